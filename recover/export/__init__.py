"""Every output file: posts.jsonl, WordPress WXR, Ghost JSON, Markdown, and the report.

:func:`write_all` drives the same exporter classes Scrapy's feeds use; each file is
replaced atomically and ``content/posts`` is swapped in as a whole.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from recover.export.atomic import atomic_open, atomic_write, replacing_dir
from recover.export.dates import post_date
from recover.export.exporters import (
    GhostJsonExporter,
    MarkdownExporter,
    PostExporter,
    PostsJsonLinesExporter,
    WxrExporter,
)
from recover.export.prepare import Preparer
from recover.export.report import build_report, render_report_md
from recover.post import Post

__all__ = [
    "GhostJsonExporter",
    "MarkdownExporter",
    "PostExporter",
    "PostsJsonLinesExporter",
    "WxrExporter",
    "write_all",
]

POSTS_DIR = Path("content") / "posts"


def write_all(
    posts: list[Post], out_dir: Path, report: dict[str, Any], now: datetime | None = None
) -> None:
    """Write ``posts.jsonl``, ``wordpress.xml``, ``ghost.json``, ``content/posts/<slug>.md``,
    ``report.json`` and ``report.md`` under ``out_dir``, each atomically.

    Posts are written oldest first (ties by URL); each is prepared once and handed to every
    exporter, so every format gives it the same slug.  ``report`` is described in
    :mod:`recover.export.report`; its ``site`` also names the WXR channel.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    posts.sort(key=lambda p: (post_date(p, now).utc, p.url or ""))
    site = str(report.get("site") or "")

    with contextlib.ExitStack() as stack:
        staging = stack.enter_context(replacing_dir(out_dir / POSTS_DIR))
        manifest = staging / ".manifest.json"
        markdown = MarkdownExporter(
            stack.enter_context(manifest.open("wb")), directory=staging, atomic=False, now=now
        )
        exporters: list[PostExporter] = [
            PostsJsonLinesExporter(stack.enter_context(atomic_open(out_dir / "posts.jsonl"))),
            WxrExporter(
                stack.enter_context(atomic_open(out_dir / "wordpress.xml")), site_url=site, now=now
            ),
            GhostJsonExporter(
                stack.enter_context(atomic_open(out_dir / "ghost.json")), indent=1, now=now
            ),
            markdown,
        ]
        preparer = Preparer(now)
        for exporter in exporters:
            exporter.start_exporting()
        for post in posts:
            prepared = preparer.prepare(post)
            for exporter in exporters:
                exporter.export_prepared(prepared)
        for exporter in exporters:
            exporter.finish_exporting()
        stack.callback(manifest.unlink)
    data = build_report(markdown.posts, report, now)
    atomic_write(out_dir / "report.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    atomic_write(out_dir / "report.md", render_report_md(data))
