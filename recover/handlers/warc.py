"""``warc://localhost<path>?offset=N``: one HTTP response record of a local WARC/ARC file."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from recover.discovery import warcfile
from recover.handlers import CaptureHandler, UnreadableCapture, archived_response, local_path


class WarcDownloadHandler(CaptureHandler):
    """Read the record at ``offset`` (off the reactor thread); its response as archived."""

    async def download_request(self, request: Request, spider: Any = None) -> Response:
        path = local_path(request.url)
        offset = int(parse_qs(urlsplit(request.url).query).get("offset", ["0"])[0])
        record = await maybe_deferred_to_future(
            threads.deferToThread(warcfile.read_at, path, offset)
        )
        if record is None:
            raise UnreadableCapture(f"{path} @{offset}: record unreadable")
        return archived_response(request.url, record.status, record.headers, record.body)
