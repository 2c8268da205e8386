"""Downloader middleware: each archive endpoint is a download slot, spaced by its budget.

Every request to an archive belongs to an endpoint (the archive's host and ``cdx`` or
``replay``), whose budget in ``RECOVER_BUDGETS`` (requests a minute, at most in flight)
becomes its download slot's delay and concurrency.  Nothing waits here: Scrapy's
downloader holds each request in its slot until the slot's delay allows it.  Cached
responses never reach this middleware; a request that already names a slot (a local
file's ``local``) keeps it.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from recover.middlewares.endpoints import Endpoints, endpoint_of, is_archive_request

GOOD = range(100, 500)  # answers that end a pause (429s and 5xx are the pausers' business)


class BudgetMiddleware:
    """Put each archive request in its endpoint's download slot; after a decision to stop,
    let none through."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BudgetMiddleware:
        return cls(Endpoints.of(crawler))

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self.endpoints.stopped and is_archive_request(request):
            # a retry or a follow-up still in the scheduler when the run decided to stop:
            # never sent (what the slots held was cancelled at the decision)
            raise IgnoreRequest(f"stopping: {self.endpoints.stopped}")
        if is_archive_request(request) and "download_slot" not in request.meta:
            slot = endpoint_of(request)
            self.endpoints.register(slot)
            request.meta["download_slot"] = slot
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None):
        if response.status in GOOD and response.status not in (408, 429):
            self.endpoints.resume(request.meta.get("download_slot", ""))
        return response
