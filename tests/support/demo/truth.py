"""The demo blog's truth on disk, in the shared corpus's shape (``truth.jsonl``, ``site.json``).

Each line is the full :class:`recover.post.Post` dict plus the corpus's fields
(``text``, ``recoverable_from``, ``bad_capture``) and the demo's ``traps``.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any

from support.demo.model import Blog

_BAD = {"error_db": "db_error", "error_500": "500", "error_suspended": "suspended"}


def plain_text(content_html: str) -> str:
    """The body's visible text, whitespace folded (as in the corpus's ``text``)."""
    s = re.sub(r"<(script|style)\b.*?</\1>", " ", content_html, flags=re.S | re.I)
    s = html.unescape(re.sub(r"<[^>]+>", " ", s))
    return " ".join(s.split())


def truth_rows(blog: Blog) -> list[dict[str, Any]]:
    """One dict per post, oldest first."""
    rows = []
    for post in blog.posts:
        row = post.to_dict()
        traps = blog.traps_of(post.url)
        row["text"] = plain_text(post.content_html)
        row["recoverable_from"] = blog.recoverable_from[post.url]
        row["traps"] = traps
        bad = [_BAD[t] for t in traps if t in _BAD]
        if bad:
            row["bad_capture"] = bad[0]
        rows.append(row)
    return rows


def write_truth(blog: Blog, folder: str | os.PathLike[str]) -> Path:
    """Write ``truth.jsonl`` and ``site.json`` into ``folder``; returns the folder."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        for row in truth_rows(blog):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    first = min(c.at for c in blog.captures)
    last = max(c.at for c in blog.captures)
    site = {
        "site": blog.base,
        "engine": "+".join(blog.engines),
        "window": {"from": f"{first:%Y-%m-%d}", "to": f"{last:%Y-%m-%d}"},
        "source": f"support.demo seed={blog.seed} posts={len(blog.posts)}",
        "loss_date": f"{last:%Y-%m-%d}",
    }
    (out / "site.json").write_text(json.dumps(site, indent=2) + "\n")
    return out
