"""Every output file: posts.jsonl, WordPress WXR, Ghost JSON, Markdown, and the report.

:func:`write_all` drives the same exporter classes Scrapy's feeds use; each file is
replaced atomically and each folder (``content/posts``, ``_posts``, the comment data) is
swapped in as a whole.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import Any

from recover.export.atomic import atomic_open, atomic_write, replacing_dir, write_json
from recover.export.dates import post_date
from recover.export.exporters import (
    GhostJsonExporter,
    JekyllMarkdownExporter,
    MarkdownExporter,
    PostExporter,
    PostsJsonLinesExporter,
    WxrExporter,
)
from recover.export.ghost import render_ghost_comments
from recover.export.prepare import Preparer
from recover.export.report import build_report, render_report_md
from recover.export.siteconfig import site_config
from recover.media.ghostzip import write_ghost_zip
from recover.post import Post

__all__ = [
    "GhostJsonExporter",
    "JekyllMarkdownExporter",
    "MarkdownExporter",
    "PostExporter",
    "PostsJsonLinesExporter",
    "WxrExporter",
    "write_all",
]

POSTS_DIR = Path("content") / "posts"
FORMATS = ("hugo", "jekyll")
# format -> (exporter, posts folder, comments folder, static pages folder)
STATIC = {
    "hugo": (MarkdownExporter, POSTS_DIR, Path("data") / "comments", Path("content") / "pages"),
    "jekyll": (JekyllMarkdownExporter, Path("_posts"), Path("_data") / "comments", Path("pages")),
}
GHOST_COMMENTS = "ghost-comments.json"


def write_all(
    posts: list[Post],
    out_dir: Path,
    report: dict[str, Any],
    now: datetime | None = None,
    formats: tuple[str, ...] | list[str] = FORMATS,
) -> None:
    """Write ``posts.jsonl``, ``wordpress.xml``, ``ghost.json`` (and ``ghost-comments.json``:
    Ghost cannot import comments), ``report.json``, ``report.md`` and, per static
    ``formats``, Hugo's ``content/posts/<slug>.md`` + ``data/comments/`` and Jekyll's
    ``_posts/<date>-<slug>.md`` + ``_data/comments/`` under ``out_dir``, each atomically;
    static pages (``type`` ``page``) go to ``content/pages/`` and ``pages/`` instead.

    Posts are written oldest first (ties by URL); each is prepared once and handed to every
    exporter, so every format gives it the same slug.  ``report`` is described in
    :mod:`recover.export.report`; its ``site`` also names the WXR channel.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    posts.sort(key=lambda p: (post_date(p, now).utc, p.url or ""))
    site = str(report.get("site") or "")

    unknown = set(formats) - set(STATIC)
    if unknown:
        raise ValueError(f"unknown format(s): {', '.join(sorted(unknown))}")

    with contextlib.ExitStack() as stack:
        static: list[PostExporter] = []
        for name in formats:
            cls, posts_dir, comments_dir, pages_dir = STATIC[name]
            staging = stack.enter_context(replacing_dir(out_dir / posts_dir))
            comments = stack.enter_context(replacing_dir(out_dir / comments_dir))
            pages = stack.enter_context(replacing_dir(out_dir / pages_dir))
            manifest = staging / ".manifest.json"
            static.append(
                cls(
                    stack.enter_context(manifest.open("wb")),
                    directory=staging,
                    comments_directory=comments,
                    pages_directory=pages,
                    atomic=False,
                    now=now,
                )
            )
            stack.callback(manifest.unlink)
        ghost = GhostJsonExporter(
            stack.enter_context(atomic_open(out_dir / "ghost.json")), indent=1, now=now
        )
        exporters: list[PostExporter] = [
            PostsJsonLinesExporter(stack.enter_context(atomic_open(out_dir / "posts.jsonl"))),
            WxrExporter(
                stack.enter_context(atomic_open(out_dir / "wordpress.xml")),
                site_url=site,
                now=now,
                media_base_url=str(report.get("media_base_url") or ""),
            ),
            ghost,
            *static,
        ]
        preparer = Preparer(now)
        for exporter in exporters:
            exporter.start_exporting()
        for post in posts:
            prepared = preparer.prepare(post)
            for exporter in exporters:
                exporter.export_prepared(prepared)
            prepared.comment_files = None  # every static format has written them
        for exporter in exporters:
            exporter.finish_exporting()
        with atomic_open(out_dir / GHOST_COMMENTS) as fh:
            write_json(fh, render_ghost_comments(ghost.posts), indent=1)
    for *_, pages_dir in STATIC.values():  # no static page: no empty folder for them
        with contextlib.suppress(OSError):
            (out_dir / pages_dir).rmdir()
    write_ghost_zip(out_dir)
    data = build_report(ghost.posts, report, now)
    data["config"] = site_config(ghost.posts)
    data["formats"] = list(formats)
    with atomic_open(out_dir / "report.json") as fh:
        write_json(fh, data, indent=2)
    atomic_write(out_dir / "report.md", render_report_md(data))
