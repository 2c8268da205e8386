"""The run's report: ``report.json`` for tools, ``report.md`` for people.

The ``report`` dict given to :func:`recover.export.write_all` (every key optional)::

    {
        "site": "http://example.com/",              # the blog's root URL
        "archives": ["https://web.archive.org/web/", "warc:/data/x.warc.gz"],
        "missing": [                                # posts known to exist but not recovered
            {"url": "http://example.com/2008/10/lost/",
             "known_from": ["http://example.com/feed/"],   # or one string
             "reason": "no capture"},
        ],
        "skipped": [                                # captures read and rejected
            {"url": "https://web.archive.org/web/2008.../http://example.com/x/",
             "timestamp": "20081031120000",         # optional
             "reason": "soft 404: 'Page not found'"},
        ],
        "stats": {"captures_seen": 120, ...},       # any JSON-ready counters, copied as is
    }

``report.json`` then holds ``site``, ``archives``, ``generated`` (UTC ISO time),
``counts`` (``recovered``: complete posts, ``partial``: excerpt-only posts, ``missing``,
``posts`` = recovered + partial, ``comments``, ``errors``, ``estimated_dates``),
``posts`` (one entry a post: url, title, slug, date, date_estimated, partial, comments,
source {archive, capture_url, timestamp}, sources [same]), ``missing`` (url, known_from
list, reason), ``errors`` (url, timestamp, reason: one line each) and ``stats``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from recover.export.prepare import Prepared
from recover.post import Source


def one_line(text: Any, limit: int = 300) -> str:
    """``text`` as one trimmed line of at most ``limit`` characters."""
    line = re.sub(r"\s+", " ", str(text if text is not None else "")).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _source(s: Source | None) -> dict[str, str] | None:
    if s is None:
        return None
    return {
        "archive": s.archive,
        "capture_url": s.capture_url,
        "timestamp": s.timestamp,
        "kind": s.kind,
    }


def build_report(
    posts: list[Prepared], report: dict[str, Any] | None, now: datetime | None = None
) -> dict[str, Any]:
    """The ``report.json`` document (shape in the module docstring)."""
    report = report or {}
    now = now or datetime.now(UTC)
    missing = []
    for m in report.get("missing") or []:
        known = m.get("known_from") or []
        missing.append(
            {
                "url": str(m.get("url") or ""),
                "known_from": [str(k) for k in ([known] if isinstance(known, str) else known)],
                "reason": one_line(m.get("reason") or "not found in any archive"),
            }
        )
    errors = [
        {
            "url": str(s.get("url") or ""),
            "timestamp": str(s.get("timestamp") or ""),
            "reason": one_line(s.get("reason") or "skipped"),
        }
        for s in report.get("skipped") or []
    ]
    entries = [
        {
            "url": p.site_url,
            "title": p.title,
            "slug": p.slug,
            "date": p.date.when.isoformat(),
            "date_estimated": p.date.estimated,
            "partial": p.post.partial,
            "comments": len(p.post.comments),
            "source": _source(p.post.source),
            "sources": [_source(s) for s in p.post.sources],
            "provenance": dict(p.post.provenance),
        }
        for p in posts
    ]
    partial = sum(1 for p in posts if p.post.partial)
    return {
        "site": report.get("site") or "",
        "archives": list(report.get("archives") or []),
        "generated": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "counts": {
            "recovered": len(posts) - partial,
            "partial": partial,
            "missing": len(missing),
            "posts": len(posts),
            "comments": sum(len(p.post.comments) for p in posts),
            "errors": len(errors),
            "estimated_dates": sum(1 for p in posts if p.date.estimated),
        },
        "posts": entries,
        "missing": missing,
        "errors": errors,
        "stats": dict(report.get("stats") or {}),
    }


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def render_report_md(data: dict[str, Any], limit: int = 50) -> str:
    """A short human summary of a :func:`build_report` document."""
    c = data["counts"]
    lines = [f"# Recovery report: {_md(data.get('site') or 'blog')}", ""]
    lines.append(
        f"- **{c['recovered']}** posts recovered complete, **{c['partial']}** partial "
        f"(excerpt only), **{c['missing']}** missing"
    )
    lines.append(
        f"- {c['comments']} comments; {c['estimated_dates']} posts with an estimated "
        f"date; {c['errors']} captures skipped"
    )
    if data.get("archives"):
        lines.append("- archives: " + ", ".join(_md(a) for a in data["archives"]))
    lines.append(f"- generated {data['generated']}")
    sections = [
        (
            "Partial posts",
            [p for p in data["posts"] if p["partial"]],
            lambda p: f"{_md(p['title'])} <{p['url']}>",
        ),
        (
            "Estimated dates",
            [p for p in data["posts"] if p["date_estimated"]],
            lambda p: f"{_md(p['title'])} <{p['url']}>: {p['date']}",
        ),
        ("Missing posts", data["missing"], lambda m: f"<{m['url']}>: {_md(m['reason'])}"),
        ("Skipped captures", data["errors"], lambda e: f"<{e['url']}>: {_md(e['reason'])}"),
    ]
    for title, rows, fmt in sections:
        if not rows:
            continue
        lines += ["", f"## {title}", ""]
        lines += [f"- {fmt(r)}" for r in rows[:limit]]
        if len(rows) > limit:
            lines.append(f"- … and {len(rows) - limit} more (see report.json)")
    if data.get("stats"):
        lines += ["", "## Stats", ""]
        lines += [f"- {_md(str(k))}: {_md(one_line(v))}" for k, v in data["stats"].items()]
    return "\n".join(lines) + "\n"
