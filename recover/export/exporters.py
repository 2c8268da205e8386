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

from recover.export.atomic import atomic_write
from recover.export.ghost import render_ghost
from recover.export.hugo import render_markdown_file
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
        self, file: BinaryIO, *, site_url: str = "", site_title: str = "", **kwargs: Any
    ) -> None:
        super().__init__(file, **kwargs)
        self.site_url = site_url
        self.site_title = site_title

    def finish_exporting(self) -> None:
        for piece in iter_wxr(self.posts, self.site_url, self.site_title, now=self.now):
            self._write(piece)


class GhostJsonExporter(PostExporter):
    """Ghost's import JSON (``ghost.json``), bodies as ``html``."""

    def finish_exporting(self) -> None:
        doc = render_ghost(self.posts, now=self.now)
        encoder = json.JSONEncoder(ensure_ascii=False, indent=self.indent)
        buffer: list[str] = []
        size = 0
        for piece in encoder.iterencode(doc):  # never the whole document in one string
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                self._write("".join(buffer))
                buffer, size = [], 0
        self._write("".join(buffer))


class MarkdownExporter(PostExporter):
    """One ``<slug>.md`` a post in ``directory`` (each written atomically as it comes).

    The exporter's own file gets a JSON manifest: ``{"directory", "files": [{"file", "slug",
    "url", "title", "date", "partial"}]}``. With ``prune=True``, other ``.md`` files in
    ``directory`` are removed at the end.
    """

    def __init__(
        self,
        file: BinaryIO,
        *,
        directory: str | Path = "",
        prune: bool = False,
        atomic: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(file, **kwargs)
        self.atomic = atomic  # False in a staging folder that is swapped in whole
        if not directory:
            raise ValueError("MarkdownExporter needs a 'directory' (feed item_export_kwargs)")
        self.directory = Path(directory)
        self.prune = prune
        self.files: list[dict[str, Any]] = []

    def write_post(self, post: Prepared) -> None:
        name = f"{post.slug}.md"
        if self.atomic:
            atomic_write(self.directory / name, render_markdown_file(post))
        else:
            (self.directory / name).write_text(render_markdown_file(post), encoding="utf-8")
        self.files.append(
            {
                "file": name,
                "slug": post.slug,
                "url": post.site_url,
                "title": post.title,
                "date": post.date.when.isoformat(),
                "partial": post.post.partial,
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
