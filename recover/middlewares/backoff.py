"""Downloader middleware: exponential backoff with jitter on 5xx, resets and timeouts.

Replaces Scrapy's immediate retries.  A retried request waits ``base * 2**n`` seconds
(times a random 0.5-1.5) before the budget lets it go.  Refused connections are how a
blocked client sees an archive's firewall: after a few in a row the crawl saves what it
has and stops instead of hammering on.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

from scrapy import Request, exceptions
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefused
from twisted.internet.error import DNSLookupError

from recover.middlewares import stop_crawl
from recover.middlewares.budget import endpoint_of

_SCRAPY_REFUSED = tuple(
    getattr(exceptions, n) for n in ("DownloadConnectionRefusedError",) if hasattr(exceptions, n)
)

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# Scrapy >= 2.13 wraps refusals in its own exception.
REFUSED = (TxConnectionRefused, ConnectionRefusedError, DNSLookupError, *_SCRAPY_REFUSED)


class BackoffMiddleware:
    """Retry transient failures later, each time waiting longer."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.base = s.getfloat("RECOVER_BACKOFF_BASE", 2.0)
        self.cap = s.getfloat("RECOVER_BACKOFF_MAX", 300.0)
        self.retries = s.getint("RECOVER_RETRIES", 6)
        self.refused_give_up = s.getint("RECOVER_REFUSED_GIVE_UP", 3)
        self.refused: dict[str, int] = {}
        self.rng = random.Random()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        return cls(crawler)

    def _later(self, request: Request, reason: str) -> Request | None:
        tries = int(request.meta.get("recover_tries", 0)) + 1
        if tries > self.retries or request.meta.get("dont_retry"):
            log.warning("giving up on %s after %d tries: %s", request.url, tries, reason)
            if self.crawler.stats:
                self.crawler.stats.inc_value("recover/gave_up")
            return None
        delay = min(self.cap, self.base * 2 ** (tries - 1)) * self.rng.uniform(0.5, 1.5)
        log.info("retry %d of %s in %.1f s (%s)", tries, request.url, delay, reason)
        if self.crawler.stats:
            self.crawler.stats.inc_value("recover/retries")
        retry = request.replace(dont_filter=True)
        retry.meta["recover_tries"] = tries
        retry.meta["recover_not_before"] = time.time() + delay
        return retry

    def process_response(self, request: Request, response: Response, spider: Any = None):
        self.refused.pop(endpoint_of(request), None)
        if response.status in RETRY_STATUSES and not request.meta.get("recover_expect_error"):
            return self._later(request, f"HTTP {response.status}") or response
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None):
        reason = f"{type(exception).__name__}: {exception}".strip()
        if isinstance(exception, REFUSED):
            endpoint = endpoint_of(request)
            count = self.refused[endpoint] = self.refused.get(endpoint, 0) + 1
            if count >= self.refused_give_up:
                # the command says so in one line; every request still in flight fails too
                host = endpoint.split("|")[0]
                if self.crawler.stats and not self.crawler.stats.get_value("recover/refused"):
                    log.info("%s refuses connections (%s): stopping", host, reason)
                    self.crawler.stats.set_value("recover/refused", host)
                stop_crawl(self.crawler, "archive_refused")
                return None
        return self._later(request, reason)
