"""``html://localhost<path>``: a saved page (browser, search-engine cache, wget mirror) as a 200."""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import threads

from recover.discovery import htmldir
from recover.handlers import CaptureHandler, UnreadableCapture, archived_response, local_path


class SavedPageDownloadHandler(CaptureHandler):
    """The page's bytes, a search engine's cache header cut out."""

    async def download_request(self, request: Request, spider: Any = None) -> Response:
        path = local_path(request.url)
        body = await maybe_deferred_to_future(threads.deferToThread(htmldir.read_file, path))
        if not body:
            raise UnreadableCapture(f"{path}: unreadable or empty")
        return archived_response(request.url, 200, [], body)
