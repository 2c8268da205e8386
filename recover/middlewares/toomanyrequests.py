"""Downloader middleware: HTTP 429 pauses the endpoint, then the request is tried again.

``Retry-After`` (seconds or an HTTP date) is honoured; without it the pause is
``RECOVER_429_PAUSE`` (60 s by default: the Internet Archive sends bare 429s and blocks
clients that keep going), doubling on each 429 in a row.  After ``RECOVER_429_GIVE_UP``
429s in a row on one endpoint the crawl saves what it has and stops at once (nothing
queued is sent), saying when to resume.  A 429 to a request that was already on the wire
when the pause began (several in flight at once) is retried after the pause without
counting: it says nothing the first one did not.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from recover.handlers import ARCHIVED
from recover.middlewares.endpoints import Endpoints

log = logging.getLogger(__name__)


def retry_after_seconds(
    value: bytes | str | None, now: Callable[[], float] = time.time
) -> float | None:
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
    return max(0.0, when.timestamp() - now())


class TooManyRequestsMiddleware:
    """Turn a 429 into a pause of its endpoint and a later retry."""

    def __init__(self, crawler: Crawler, endpoints: Endpoints) -> None:
        self.crawler = crawler
        self.endpoints = endpoints
        self.pause = crawler.settings.getfloat("RECOVER_429_PAUSE", 60.0)
        self.give_up = crawler.settings.getint("RECOVER_429_GIVE_UP", 5)
        self.in_a_row: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TooManyRequestsMiddleware:
        return cls(crawler, Endpoints.of(crawler))

    def process_response(self, request: Request, response: Response, spider: Any = None):
        slot = request.meta.get("download_slot", "")
        if response.status != 429 or ARCHIVED in response.flags:
            self.in_a_row.pop(slot, None)
            return response
        if self.crawler.stats:
            self.crawler.stats.inc_value("recover/http_429")
        if self.endpoints.stopped:
            raise IgnoreRequest("rate limited")
        if not self.endpoints.in_pause(slot):
            # not a request that was on the wire when the pause began: one more in a row
            count = self.in_a_row[slot] = self.in_a_row.get(slot, 0) + 1
            if count > self.give_up:
                log.info("%s keeps answering 429: stopping", slot.split("|")[0])
                self.endpoints.stop("archive_rate_limited")
                raise IgnoreRequest("rate limited")
            seconds = retry_after_seconds(response.headers.get("Retry-After"))
            seconds = self.pause * (2 ** (count - 1)) if seconds is None else seconds
            self.endpoints.pause(slot, seconds)
            log.warning("429 from %s: pausing %.0f s", slot.split("|")[0], seconds)
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason="429 Too Many Requests",
            max_retry_times=max(20, 4 * self.give_up),
            priority_adjust=1,
            give_up_log_level=logging.INFO,
        )
        if retry is None:
            raise IgnoreRequest("rate limited")
        return retry
