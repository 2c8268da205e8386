"""Scrapy item exporters, one a format; items are :class:`~recover.post.Post` (or its dict).

Register them under ``FEED_EXPORTERS`` and use them in ``FEEDS``; extra options go in the
feed's ``item_export_kwargs`` (``site_url``/``site_title`` for WXR, ``directory`` and
``prune`` for Markdown). They also work on any binary file::

    exporter = WxrExporter(fh, site_url="http://example.com/")
    exporter.start_exporting(); exporter.export_item(post); exporter.finish_exporting()

Whole-document formats (WXR, Ghost, the Markdown manifest) are written in
``finish_exporting``; use feed option ``overwrite: True`` (or
:class:`recover.export.storage.AtomicFileFeedStorage`) so a re-run does not append.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from scrapy.exporters import BaseItemExporter

from recover.export.atomic import atomic_write, write_json
from recover.export.comments import comment_files
from recover.export.ghost import GhostBody, render_ghost
from recover.export.hugo import render_markdown_file
from recover.export.jekyll import jekyll_filename, render_jekyll_file
from recover.export.prepare import Prepared, Preparer
from recover.export.wxr import iter_wxr


class PostExporter(BaseItemExporter):
    """Base: turns each item into a :class:`Prepared` post (same slugs in every format)."""

    def __init__(self, file: BinaryIO, *, now: datetime | None = None, **kwargs: Any) -> None:
        super().__init__(dont_fail=False, **kwargs)
        self.file = file
        self.encoding = "utf-8"
        self.preparer = Preparer(now)
        self.now = now
        self.posts: list[Prepared] = []

    def export_item(self, item: Any) -> Any:
        self.export_prepared(self.preparer.prepare(item))
        return item

    def export_prepared(self, prepared: Prepared) -> None:
        """Export a post already prepared (several exporters can share one preparation)."""
        self.posts.append(prepared)
        self.write_post(prepared)

    def write_post(self, post: Prepared) -> None:
        """Called for each post as it arrives (streaming formats write here)."""

    def _write(self, text: str) -> None:
        self.file.write(text.encode("utf-8"))


class PostsJsonLinesExporter(PostExporter):
    """``posts.jsonl``: one :meth:`Post.to_dict` object a line (normalized, final slug)."""

    def write_post(self, post: Prepared) -> None:
        data = post.post.to_dict()
        data["slug"] = post.slug
        if self.fields_to_export is not None:
            fields = (
                self.fields_to_export.items()
                if isinstance(self.fields_to_export, dict)
                else [(f, f) for f in self.fields_to_export]
            )
            data = {out: data.get(name) for name, out in fields}
        self._write(json.dumps(data, ensure_ascii=False) + "\n")


class WxrExporter(PostExporter):
    """WordPress WXR 1.2 (``wordpress.xml``), for Tools > Import > WordPress."""

    def __init__(
        self,
        file: BinaryIO,
        *,
        site_url: str = "",
        site_title: str = "",
        media_base_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(file, **kwargs)
        self.site_url = site_url
        self.site_title = site_title
        self.media_base_url = media_base_url

    def finish_exporting(self) -> None:
        pieces = iter_wxr(
            self.posts, self.site_url, self.site_title, now=self.now,
            media_base_url=self.media_base_url,
        )  # fmt: skip
        for piece in pieces:
            self._write(piece)


class GhostJsonExporter(PostExporter):
    """Ghost's import JSON (``ghost.json``), bodies as ``html``."""

    def finish_exporting(self) -> None:
        doc = render_ghost(self.posts, now=self.now, deferred=True)
        write_json(self.file, doc, indent=self.indent, default=_ghost_body)


def _ghost_body(value: Any) -> str:
    """Each post's Ghost body, rendered as the encoder reaches it."""
    if isinstance(value, GhostBody):
        return value.render()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class MarkdownExporter(PostExporter):
    """Hugo: one ``<slug>.md`` a post in ``directory`` (each written atomically as it comes).

    With ``comments_directory``, each comment also becomes a Staticman-style data file
    there (:mod:`recover.export.comments`). The exporter's own file gets a JSON manifest:
    ``{"directory", "files": [{"file", "slug", "url", "title", "date", "partial"}]}``.
    With ``prune=True``, other ``.md`` files in ``directory`` are removed at the end.
    """

    def __init__(
        self,
        file: BinaryIO,
        *,
        directory: str | Path = "",
        comments_directory: str | Path = "",
        pages_directory: str | Path = "",
        prune: bool = False,
        atomic: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(file, **kwargs)
        self.atomic = atomic  # False in a staging folder that is swapped in whole
        if not directory:
            raise ValueError(f"{type(self).__name__} needs a 'directory' (item_export_kwargs)")
        self.directory = Path(directory)
        self.comments_directory = Path(comments_directory) if comments_directory else None
        # static pages (About, Contact) go apart from the posts; beside them without one
        self.pages_directory = Path(pages_directory) if pages_directory else self.directory
        self.prune = prune
        self.files: list[dict[str, Any]] = []
        self.folders: set[Path] = set()

    def filename(self, post: Prepared) -> str:
        return f"{post.slug}.md"

    def render(self, post: Prepared) -> str:
        return render_markdown_file(post)

    def _put(self, path: Path, text: str) -> None:
        if self.atomic:
            atomic_write(path, text)
        else:
            if path.parent not in self.folders:  # one mkdir a folder, not one a file
                path.parent.mkdir(parents=True, exist_ok=True)
                self.folders.add(path.parent)
            path.write_text(text, encoding="utf-8")

    def write_post(self, post: Prepared) -> None:
        page = post.post.type == "page"
        name = f"{post.slug}.md" if page else self.filename(post)
        self._put((self.pages_directory if page else self.directory) / name, self.render(post))
        if self.comments_directory is not None:
            for rel, text in comment_files(post).items():
                self._put(self.comments_directory / rel, text)
        self.files.append(
            {
                "file": name,
                "slug": post.slug,
                "url": post.site_url,
                "title": post.title,
                "date": post.date.when.isoformat(),
                "partial": post.post.partial,
                "type": post.post.type,
            }
        )

    def finish_exporting(self) -> None:
        if self.prune and self.directory.is_dir():
            keep = {f["file"] for f in self.files}
            for path in self.directory.glob("*.md"):
                if path.name not in keep:
                    with contextlib.suppress(OSError):
                        path.unlink()
        manifest = {"directory": str(self.directory), "files": self.files}
        self._write(json.dumps(manifest, ensure_ascii=False, indent=self.indent))


class JekyllMarkdownExporter(MarkdownExporter):
    """Jekyll: one ``_posts/YYYY-MM-DD-<slug>.md`` a post (:mod:`recover.export.jekyll`)."""

    def filename(self, post: Prepared) -> str:
        return jekyll_filename(post)

    def render(self, post: Prepared) -> str:
        return render_jekyll_file(post)
