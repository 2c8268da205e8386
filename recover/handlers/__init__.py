"""Download handlers: a URL scheme per kind of source that is not a replay URL.

Each answers with the capture's own HTTP response (its archived status, headers and body)
as a real Scrapy :class:`~scrapy.http.Response`, so the spider sees one kind of response
whatever the source, and every fetch goes through the downloader middlewares, the cache
and the stats, as ``scrapy/core/downloader/handlers/file.py`` does for ``file:``:

- ``warc://localhost<path>?offset=N``: a record of a local WARC/ARC file (:mod:`.warc`);
- ``html://localhost<path>``: a page saved by a browser, a search engine's cache, a wget mirror
  (:mod:`.savedpage`);
- ``cc:<WARC file URL>`` with a ``Range`` header: one Common Crawl record, fetched by
  byte range over HTTP (:mod:`.commoncrawl`).

Wayback-compatible archives and Memento need none: their raw replay URLs are HTTP.
:func:`capture_fetch` names the URL (and headers) that fetch a capture, whatever its
source; a response these handlers build carries the :data:`ARCHIVED` flag (its status is
the capture's, not a transport's: nothing to retry). A capture that cannot be read raises
:class:`UnreadableCapture`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from recover.choice.capture import Capture
from recover.discovery.commoncrawl import data_url, is_commoncrawl, range_header

ARCHIVED = "archived"  # Response flag: status and headers are the capture's own
# encoding headers describe the bytes as first sent, not the body warcio decoded (and then
# neither does the length)
_ENCODINGS = {b"content-encoding", b"transfer-encoding"}


class CaptureHandler:
    """What the handlers here share: made from the crawler, nothing to close."""

    lazy = False  # built with the downloader (reading a file costs nothing to set up)

    def __init__(self, crawler: Any = None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> CaptureHandler:
        return cls(crawler)

    async def close(self) -> None:
        pass


class UnreadableCapture(Exception):
    """The capture's bytes are missing or damaged (a final answer: not worth a retry)."""


def capture_fetch(cap: Capture) -> tuple[str, dict[str, str]]:
    """The URL (and request headers) that fetch ``cap``, whatever archive holds it."""
    if cap.archive.startswith("warc:"):
        path = Path(cap.archive.removeprefix("warc:")).resolve()
        return f"warc://localhost{quote(str(path))}?offset={int(cap.location or 0)}", {}
    if cap.archive.startswith("html:"):
        return f"html://localhost{quote(str(Path(cap.location).resolve()))}", {}
    if is_commoncrawl(cap):  # (the handler module of the same name shadows the package's)
        return f"cc:{data_url(cap)}", {"Range": range_header(cap)}
    return cap.replay_url, {}


def local_path(url: str) -> Path:
    """The file a ``warc:`` or ``html:`` URL names."""
    return Path(unquote(urlsplit(url).path))


def archived_response(
    url: str, status: int, headers: list[tuple[str, str]] | dict[str, Any], body: bytes
) -> Response:
    """A Scrapy response holding a capture's status, headers and (decoded) body."""
    pairs = list(headers.items() if isinstance(headers, dict) else headers)
    names = {name.lower().encode("latin-1") for name, _ in pairs}
    drop = _ENCODINGS | ({b"content-length"} if names & _ENCODINGS else set())
    kept = Headers()
    for name, value in pairs:
        if name.lower().encode("latin-1") not in drop:
            kept.appendlist(name, value)
    cls = responsetypes.from_args(headers=kept, url=url, body=body[:5000])
    return cls(url=url, status=status, headers=kept, body=body, flags=[ARCHIVED])
