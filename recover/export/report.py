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
        "deleted": [                                # posts deleted on the live site
            {"url": "http://example.com/2008/10/gone/", "deleted": "20240601030000",
             "last_seen": "warc:/snapshots/x.warc.gz", "exported": False,
             "reason": "deleted on 2024-06-01, last seen <capture>"},
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
``posts`` = recovered + partial, ``comments``, ``errors``, ``estimated_dates``,
``media_files``: files under ``media/``, ``media_missing``: uses of files not recovered),
``posts`` (one entry a post: url, title, slug, date, date_estimated, partial, comments,
source {archive, capture_url, timestamp}, sources [same], media_missing: the original
URLs of its images and files no source held), ``missing`` (url, known_from
list, reason, and title where a listing or a menu named the post), ``errors`` (url,
timestamp, reason: one line each) and ``stats``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from recover.export.prepare import Prepared
from recover.media.links import entries
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
        if m.get("title"):
            missing[-1]["title"] = one_line(str(m["title"]))
    errors = [
        {
            "url": str(s.get("url") or ""),
            "timestamp": str(s.get("timestamp") or ""),
            "reason": one_line(s.get("reason") or "skipped"),
        }
        for s in report.get("skipped") or []
    ]
    rows = [
        {
            "url": p.site_url,
            "title": p.title,
            "slug": p.slug,
            "date": p.date.when.isoformat(),
            "date_estimated": p.date.estimated,
            "partial": p.post.partial,
            "type": p.post.type,
            "comments": len(p.post.comments),
            "source": _source(p.post.source),
            "sources": [_source(s) for s in p.post.sources],
            "provenance": dict(p.post.provenance),
            "media_missing": [e["url"] for e in entries(p.post) if not e.get("file")],
        }
        for p in posts
    ]
    files = {e["file"] for p in posts for e in entries(p.post) if e.get("file")}
    pages = sum(1 for p in posts if p.post.type == "page")  # static pages: not posts
    partial = sum(1 for p in posts if p.post.partial and p.post.type != "page")
    return {
        "site": report.get("site") or "",
        "archives": list(report.get("archives") or []),
        "generated": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "counts": {
            "recovered": len(posts) - pages - partial,
            "partial": partial,
            "missing": len(missing),
            "deleted": len(report.get("deleted") or []),
            "posts": len(posts) - pages,
            "pages": pages,
            "comments": sum(len(p.post.comments) for p in posts),
            "errors": len(errors),
            "estimated_dates": sum(1 for p in posts if p.date.estimated),
            "media_files": len(files),
            "media_missing": sum(len(r["media_missing"]) for r in rows),
        },
        "posts": rows,
        "missing": missing,
        "deleted": [
            {
                "url": str(d.get("url") or ""),
                "deleted": str(d.get("deleted") or ""),
                "last_seen": str(d.get("last_seen") or ""),
                "exported": bool(d.get("exported")),
                "reason": one_line(d.get("reason") or "deleted on the live site"),
            }
            for d in report.get("deleted") or []
        ],
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
        + (f"; **{c['pages']}** static page(s)" if c.get("pages") else "")
    )
    lines.append(
        f"- {c['comments']} comments; {c['estimated_dates']} posts with an estimated "
        f"date; {c['errors']} captures skipped"
    )
    if c.get("media_files") or c.get("media_missing"):
        lines.append(
            f"- {c['media_files']} media files recovered into media/; "
            f"{c['media_missing']} still missing (listed per post below)"
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
        (
            "Missing posts",
            data["missing"],
            lambda m: (
                (f"{_md(m['title'])} " if m.get("title") else "")
                + f"<{m['url']}>: {_md(m['reason'])}"
            ),
        ),
        (
            "Missing media",
            [p for p in data["posts"] if p.get("media_missing")],
            lambda p: (
                f"{_md(p['title'])} <{p['url']}>: "
                + ", ".join(f"<{u}>" for u in p["media_missing"])
            ),
        ),
        (
            "Deleted on the live site",
            data.get("deleted") or [],
            lambda d: (
                f"<{d['url']}>: {_md(d['reason'])}"
                + ("" if d["exported"] else " (not exported: --include-deleted keeps it)")
            ),
        ),
        ("Skipped captures", data["errors"], lambda e: f"<{e['url']}>: {_md(e['reason'])}"),
    ]
    for title, rows, fmt in sections:
        if not rows:
            continue
        lines += ["", f"## {title}", ""]
        lines += [f"- {fmt(r)}" for r in rows[:limit]]
        if len(rows) > limit:
            lines.append(f"- … and {len(rows) - limit} more (see report.json)")
    config = data.get("config") or {}
    if config.get("hugo") or config.get("jekyll"):
        lines += ["", "## Site settings the Markdown needs", ""]
        lines += ["Ghost cannot import comments: they are in `ghost-comments.json`.", ""]
        if config.get("hugo"):
            lines += ["Add to Hugo's `hugo.toml`:", "", "```toml", config["hugo"].rstrip(), "```"]
        if config.get("jekyll"):
            lines += [
                "",
                "Add to Jekyll's `_config.yml` (and `jekyll-redirect-from` to the Gemfile):",
            ]
            lines += ["", "```yaml", config["jekyll"].rstrip(), "```"]
    if data.get("stats"):
        lines += ["", "## Stats", ""]
        lines += [f"- {_md(str(k))}: {_md(one_line(v))}" for k, v in data["stats"].items()]
    return "\n".join(lines) + "\n"
