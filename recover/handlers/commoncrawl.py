"""``cc:<WARC file URL>`` + ``Range``: one Common Crawl record, fetched by byte range.

The bytes come over HTTP through Scrapy's own handler for the file URL's scheme; a
transport failure (429, 5xx) is answered as it came, so the downloader middlewares pace
and retry it; a whole record is answered as the capture it holds.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future

from recover.discovery import commoncrawl
from recover.handlers import CaptureHandler, UnreadableCapture, archived_response


class CommonCrawlDownloadHandler(CaptureHandler):
    """Fetch the range, then unwrap the WARC record into the archived response."""

    async def _fetch(self, request: Request) -> Response:
        handlers = self.crawler.engine.downloader.handlers
        if hasattr(handlers, "download_request_async"):  # Scrapy >= 2.14
            return await handlers.download_request_async(request)
        return await maybe_deferred_to_future(
            handlers.download_request(request, self.crawler.spider)
        )

    async def download_request(self, request: Request, spider: Any = None) -> Response:
        transport = await self._fetch(request.replace(url=request.url.removeprefix("cc:")))
        if transport.status not in (200, 206):
            return transport.replace(url=request.url)
        record = commoncrawl.parse_record(transport.body)
        if record is None:
            raise UnreadableCapture(f"{transport.url}: no whole WARC response record")
        return archived_response(request.url, record.status, record.headers, record.body)
