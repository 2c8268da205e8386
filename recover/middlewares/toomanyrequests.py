"""Downloader middleware: HTTP 429 pauses the endpoint, then the request is tried again.

``Retry-After`` (seconds or an HTTP date) is honoured; without it the pause is
``RECOVER_429_PAUSE`` (60 s by default: the Internet Archive sends bare 429s and blocks
clients that keep going).  After ``RECOVER_429_GIVE_UP`` 429s in a row on one endpoint
the crawl saves what it has and stops, saying when to resume.
"""

from __future__ import annotations

import email.utils
import logging
import time
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from recover.middlewares import stop_crawl
from recover.middlewares.budget import Budgets, endpoint_of

log = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds from a ``Retry-After`` value, or None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class TooManyRequestsMiddleware:
    """Turn a 429 into a pause of its endpoint and a later retry."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.budgets = Budgets.of(crawler)
        self.pause = crawler.settings.getfloat("RECOVER_429_PAUSE", 60.0)
        self.give_up = crawler.settings.getint("RECOVER_429_GIVE_UP", 5)
        self.in_a_row: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TooManyRequestsMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None):
        endpoint = endpoint_of(request)
        if response.status != 429:
            self.in_a_row.pop(endpoint, None)
            return response
        count = self.in_a_row[endpoint] = self.in_a_row.get(endpoint, 0) + 1
        stats = self.crawler.stats
        if stats:
            stats.inc_value("recover/http_429")
        seconds = retry_after_seconds(response.headers.get("Retry-After"))
        seconds = self.pause * (2 ** (count - 1)) if seconds is None else seconds
        self.budgets.get(endpoint).pause(seconds)
        if count > self.give_up:
            log.info("%s keeps answering 429: stopping", endpoint.split("|")[0])
            stop_crawl(self.crawler, "archive_rate_limited")
            raise IgnoreRequest("rate limited")
        log.warning("429 from %s: pausing %.0f s", endpoint.split("|")[0], seconds)
        retry = request.replace(dont_filter=True)
        retry.meta.pop("recover_not_before", None)
        retry.priority = request.priority + 1
        return retry
