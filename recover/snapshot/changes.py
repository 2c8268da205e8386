"""What changed on the blog since the previous snapshot: new, edited, deleted posts, new comments.

Static pages (About, Colophon) are entries like posts: a new or edited page is a change.

Read from two snapshots' exports (``posts.jsonl`` and ``report.json`` as ``recover run``
writes them); added to the newer export's report and printed on the terminal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recover.export.atomic import atomic_write


def _entries(folder: Path | None) -> dict[str, dict[str, Any]]:
    """Every post and page of an export, by URL."""
    if folder is None or not (folder / "posts.jsonl").exists():
        return {}
    out = {}
    for line in (folder / "posts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            post = json.loads(line)
            out[post["url"]] = post
    return out


def _deleted(folder: Path | None) -> dict[str, str]:
    if folder is None or not (folder / "report.json").exists():
        return {}
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    return {d["url"]: d.get("reason", "") for d in data.get("deleted") or []}


def _comment_keys(post: dict[str, Any]) -> set[str]:
    return {
        str(c.get("id") or f"{c.get('author')}|{c.get('published')}")
        for c in post.get("comments") or []
    }


def changes(before: Path | None, after: Path) -> dict[str, Any]:
    """``{"new", "edited", "deleted", "comments", "first", "exported"}`` between two export
    folders; ``exported`` counts the newer one's posts and pages."""
    old, new = _entries(before), _entries(after)
    kinds = [post.get("type", "post") for post in new.values()]
    was_deleted, deleted = _deleted(before), _deleted(after)
    edited = [
        url
        for url, post in new.items()
        if url in old
        and (
            post.get("title") != old[url].get("title")
            or post.get("content_markdown") != old[url].get("content_markdown")
        )
    ]
    comments = {
        url: len(_comment_keys(post) - _comment_keys(old.get(url, {})))
        for url, post in new.items()
        if url in old
    }
    return {
        "first": not old,
        "new": sorted(set(new) - set(old) - set(was_deleted)) if old else [],
        "edited": sorted(edited),
        "deleted": [
            {"url": u, "reason": r} for u, r in sorted(deleted.items()) if u not in was_deleted
        ],
        "comments": {u: n for u, n in sorted(comments.items()) if n},
        "exported": {"posts": kinds.count("post"), "pages": len(kinds) - kinds.count("post")},
    }


def describe(summary: dict[str, Any]) -> str:
    """One line for the terminal."""
    if summary["first"]:
        return "first snapshot: nothing to compare with"
    return (
        f"since the previous snapshot: {len(summary['new'])} new, {len(summary['edited'])} "
        f"edited, {len(summary['deleted'])} deleted post(s) or page(s), "
        f"{sum(summary['comments'].values())} new comment(s)"
    )


def add_changes(folder: Path, summary: dict[str, Any]) -> tuple[int, int]:
    """Put ``summary`` into ``folder``'s report.json and report.md; return (posts, pages)."""
    report = folder / "report.json"
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    data["changes"] = summary
    atomic_write(report, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    md = folder / "report.md"
    lines = ["", "## Changes since the previous snapshot", "", f"- {describe(summary)}"]
    for label, urls in (("new", summary["new"]), ("edited", summary["edited"])):
        lines += [f"- {label}: <{u}>" for u in urls]
    lines += [f"- deleted: <{d['url']}>: {d['reason']}" for d in summary["deleted"]]
    lines += [f"- {n} new comment(s): <{u}>" for u, n in summary["comments"].items()]
    text = md.read_text(encoding="utf-8") if md.exists() else ""
    atomic_write(md, text.rstrip("\n") + "\n" + "\n".join(lines) + "\n")
    return summary["exported"]["posts"], summary["exported"]["pages"]
