"""Every output file: posts.jsonl, WordPress WXR, Ghost JSON, Markdown, and the report.

:func:`write_all` drives the same exporter classes Scrapy's feeds use; each file is
replaced atomically and ``content/posts`` is swapped in as a whole.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.exporters import BaseItemExporter

from recover.export.atomic import atomic_open, atomic_write, replacing_dir
from recover.export.dates import post_date
from recover.export.exporters import (
    GhostJsonExporter,
    MarkdownExporter,
    PostExporter,
    PostsJsonLinesExporter,
    WxrExporter,
)
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


def _run(exporter: BaseItemExporter, posts: list[Post]) -> None:
    exporter.start_exporting()
    for post in posts:
        exporter.export_item(post)
    exporter.finish_exporting()


def write_all(
    posts: list[Post], out_dir: Path, report: dict[str, Any], now: datetime | None = None
) -> None:
    """Write ``posts.jsonl``, ``wordpress.xml``, ``ghost.json``, ``content/posts/<slug>.md``,
    ``report.json`` and ``report.md`` under ``out_dir``, each atomically.

    Posts are written oldest first (ties by URL); every format gives a post the same slug.
    ``report`` is described in :mod:`recover.export.report`; its ``site`` also names the
    WXR channel.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ordered = sorted(posts, key=lambda p: (post_date(p, now).utc, p.url or ""))
    site = str(report.get("site") or "")

    with atomic_open(out_dir / "posts.jsonl") as fh:
        _run(PostsJsonLinesExporter(fh, now=now), ordered)
    with atomic_open(out_dir / "wordpress.xml") as fh:
        _run(WxrExporter(fh, site_url=site, now=now), ordered)
    with atomic_open(out_dir / "ghost.json") as fh:
        _run(GhostJsonExporter(fh, indent=1, now=now), ordered)
    with replacing_dir(out_dir / POSTS_DIR) as staging:
        manifest = staging / ".manifest.json"
        with manifest.open("wb") as fh:
            markdown = MarkdownExporter(fh, directory=staging, now=now)
            _run(markdown, ordered)
        manifest.unlink()
    data = build_report(markdown.posts, report, now)
    atomic_write(out_dir / "report.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    atomic_write(out_dir / "report.md", render_report_md(data))
