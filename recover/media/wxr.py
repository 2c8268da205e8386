"""WordPress attachment items: one per recovered file, parented to the first post using it.

The importer's "Download and import file attachments" fetches ``wp:attachment_url`` (the
archive's raw capture by default, or ``--media-base-url`` + the file's path under
``media/`` when the user serves that folder; a file only a local source held gets an item
only then), puts the file in the media library, and
rewrites every post's uses of the ``guid`` (the original URL) to the library's copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

from recover.export.dates import wp_format
from recover.export.wxr import cdata
from recover.media.links import entries, rewrite_html
from recover.normalize.markdown import safe_slug


class Attachments:
    """Hands out attachment items as posts are written (each file once, ids after posts)."""

    def __init__(self, first_id: int, media_base_url: str = "") -> None:
        self.next_id = first_id
        self.base = media_base_url.rstrip("/") + "/" if media_base_url else ""
        self.files: set[str] = set()
        self.guids: dict[str, str] = {}  # file -> guid
        self.taken: set[tuple[str, str]] = set()  # (title, date): the importer's post_exists

    def download_url(self, entry: dict[str, Any]) -> str | None:
        """Where WordPress downloads the file from (None: nowhere it can reach).

        A file read from a local WARC, saved page or Common Crawl range has no such URL
        unless the user serves ``media/`` (``--media-base-url``).
        """
        if self.base:
            return self.base + quote(str(entry["file"]).removeprefix("media/"))
        capture = str(entry.get("capture") or "")
        if capture.startswith(("http://", "https://")) and "#" not in capture:
            return capture
        return None

    def guid(self, entry: dict[str, Any]) -> str:
        """The URL a file's attachment is known by: the first URL it was recovered for."""
        return self.guids.setdefault(entry["file"], str(entry.get("original") or entry["url"]))

    def html(self, post: Any, html: str, base: str) -> str:
        """The post's body with each use of a resized copy or alias of a recovered file
        spelled as that file's ``guid``, so the importer's URL rewriting reaches it."""
        mapping = {}
        for entry in entries(post):
            if entry.get("file") and self.download_url(entry) is not None:
                guid = self.guid(entry)
                if entry["url"] != guid:
                    mapping[entry["url"]] = guid
        return rewrite_html(html, mapping, base)

    def items(self, post: Any, parent_id: int, when: datetime, login: str) -> Iterator[str]:
        """``<item>`` elements for the post's files not yet written."""
        for entry in entries(post):
            file = entry.get("file")
            download = self.download_url(entry) if file else None
            if not file or file in self.files or download is None:
                continue
            self.files.add(file)
            url = self.guid(entry)
            name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or file.rsplit("/", 1)[-1]
            title = name.rsplit(".", 1)[0] or name
            stamp = when
            while (title.casefold(), wp_format(stamp)) in self.taken:
                stamp += timedelta(seconds=1)
            self.taken.add((title.casefold(), wp_format(stamp)))
            post_id, self.next_id = self.next_id, self.next_id + 1
            fields = [
                f"\t\t<title>{cdata(title)}</title>",
                f"\t\t<link>{escape(url)}</link>",
                f"\t\t<dc:creator>{cdata(login)}</dc:creator>",
                f'\t\t<guid isPermaLink="false">{escape(url)}</guid>',
                "\t\t<description></description>",
                f"\t\t<content:encoded>{cdata('')}</content:encoded>",
                f"\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>",
                f"\t\t<wp:post_id>{post_id}</wp:post_id>",
                f"\t\t<wp:post_date>{cdata(wp_format(stamp))}</wp:post_date>",
                f"\t\t<wp:post_date_gmt>{cdata(wp_format(stamp.astimezone(UTC)))}</wp:post_date_gmt>",
                f"\t\t<wp:comment_status>{cdata('closed')}</wp:comment_status>",
                f"\t\t<wp:ping_status>{cdata('closed')}</wp:ping_status>",
                f"\t\t<wp:post_name>{cdata(safe_slug(title) or f'file-{post_id}')}</wp:post_name>",
                f"\t\t<wp:status>{cdata('inherit')}</wp:status>",
                f"\t\t<wp:post_parent>{parent_id}</wp:post_parent>",
                "\t\t<wp:menu_order>0</wp:menu_order>",
                f"\t\t<wp:post_type>{cdata('attachment')}</wp:post_type>",
                f"\t\t<wp:post_password>{cdata('')}</wp:post_password>",
                "\t\t<wp:is_sticky>0</wp:is_sticky>",
                f"\t\t<wp:attachment_url>{cdata(download)}</wp:attachment_url>",
                f"\t\t<wp:postmeta><wp:meta_key>{cdata('_recover_sha1')}</wp:meta_key>"
                f"<wp:meta_value>{cdata(str(entry.get('sha1') or ''))}</wp:meta_value>"
                "</wp:postmeta>",
            ]
            yield "\t<item>\n" + "\n".join(fields) + "\n\t</item>\n"
