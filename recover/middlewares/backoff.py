"""Downloader middleware: retries of 5xx, resets and timeouts, pausing the endpoint longer.

Replaces Scrapy's immediate retries (``RETRY_ENABLED = False``) and reuses its
``get_retry_request``, so ``retry/*`` stats hold.  A failure pauses the endpoint's slot
``base * 2**n`` seconds (times a random 0.5-1.5) for ``n`` failures in a row there; a
request that was already on the wire when the pause began (several go at once) fails
within it, waits for it and counts for nothing more, refused or not.  A size limit
(``DOWNLOAD_MAXSIZE``) is final, never retried.  Refused connections are how a blocked
client sees an archive's firewall: after a few in a row the crawl saves what it has and
stops instead of hammering on.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from scrapy import Request, exceptions
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import Response
from scrapy.utils.misc import load_object
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefused
from twisted.internet.error import DNSLookupError

from recover.handlers import ARCHIVED, UnreadableCapture
from recover.middlewares.endpoints import Endpoints

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 500, 502, 503, 504, 520, 521, 522, 523, 524})
REFUSED = (
    TxConnectionRefused,
    ConnectionRefusedError,
    DNSLookupError,
    exceptions.DownloadConnectionRefusedError,
    exceptions.CannotResolveHostError,
)


class BackoffMiddleware:
    """Retry transient failures later, pausing their endpoint longer each time."""

    def __init__(self, crawler: Crawler, endpoints: Endpoints, rng: random.Random | None = None):
        s = crawler.settings
        self.crawler = crawler
        self.endpoints = endpoints
        self.base = s.getfloat("RECOVER_BACKOFF_BASE", 2.0)
        self.cap = s.getfloat("RECOVER_BACKOFF_MAX", 300.0)
        self.retries = s.getint("RECOVER_RETRIES", 6)
        self.refused_give_up = s.getint("RECOVER_REFUSED_GIVE_UP", 3)
        self.transient = tuple(
            load_object(x) if isinstance(x, str) else x for x in s.getlist("RETRY_EXCEPTIONS")
        )
        self.failures: dict[str, int] = {}  # slot -> failures in a row
        self.refused: dict[str, int] = {}
        self.rng = rng or random.Random()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        return cls(crawler, Endpoints.of(crawler))

    def _later(self, request: Request, reason: str) -> Request | None:
        slot = request.meta.get("download_slot", "")
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=self.retries,
            give_up_log_level=logging.INFO,
        )
        if retry is None:
            return None
        if self.endpoints.in_pause(slot):
            return retry  # on the wire when the pause began: it waits for that pause
        n = self.failures[slot] = self.failures.get(slot, 0) + 1
        delay = min(self.cap, self.base * 2 ** (n - 1)) * self.rng.uniform(0.5, 1.5)
        self.endpoints.pause(slot, delay)
        log.info("retry of %s, %s paused %.1f s (%s)", request.url, slot, delay, reason)
        return retry

    def process_response(self, request: Request, response: Response, spider: Any = None):
        slot = request.meta.get("download_slot", "")
        self.refused.pop(slot, None)
        archived = ARCHIVED in response.flags  # a capture's own status: nothing to retry
        if response.status in RETRY_STATUSES and not archived and not self.endpoints.stopped:
            return self._later(request, f"HTTP {response.status}") or response
        if response.status != 429:
            self.failures.pop(slot, None)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None):
        if self.endpoints.stopped or isinstance(
            exception, (exceptions.IgnoreRequest, UnreadableCapture)
        ):
            return None  # stopping, cancelled, or damaged bytes (which stay damaged)
        slot = request.meta.get("download_slot", "")
        reason = f"{type(exception).__name__}: {exception}".strip()
        if isinstance(exception, REFUSED):
            in_flight = self.endpoints.in_pause(slot)  # sent before the pause: counted once
            count = self.refused[slot] = self.refused.get(slot, 0) + (0 if in_flight else 1)
            if count >= self.refused_give_up:
                # the command says so in one line; every request still queued is cancelled
                host = slot.split("|")[0]
                if self.crawler.stats and not self.crawler.stats.get_value("recover/refused"):
                    log.info("%s refuses connections (%s): stopping", host, reason)
                    self.crawler.stats.set_value("recover/refused", host)
                self.endpoints.stop("archive_refused")
                return None
        elif not isinstance(exception, self.transient):
            return None  # a size limit, a bad URL: final
        return self._later(request, type(exception).__name__)
