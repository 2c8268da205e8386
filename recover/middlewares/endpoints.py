"""The crawl's archive endpoints: one Scrapy download slot each, paused and stopped as one.

A crawl-level component (an extension in ``EXTENSIONS``) that the politeness middlewares
share through ``crawler.get_extension(Endpoints)``.  Every request to an archive belongs
to an endpoint, ``host:port|cdx`` or ``host:port|replay``, which is its download slot
(``meta["download_slot"]``): the slot's delay spaces the endpoint's requests and its
concurrency caps them, from ``RECOVER_BUDGETS`` (or ``DOWNLOAD_SLOTS`` when it names the
slot).  A 429 or a failing endpoint pauses its slot by raising the slot's delay, as
Scrapy's AutoThrottle adjusts one; the first good answer puts the budget's delay back.
A decision to stop (the archive blocks us, Ctrl-C, SIGTERM) cancels every request queued
in any slot at once, so nothing more is sent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from recover.component import Component

log = logging.getLogger(__name__)

# Scrapy's downloader checks a slot's concurrency only between delays: with no delay it
# hands a whole queue to the network at once.  A thousandth of a second keeps the cap
# (and spaces the requests of a slot with no budget, such as your own pywb, no further).
MIN_DELAY = 0.001
# An endpoint with no budget (``per_minute`` 0: an archive you run yourself) is not held to
# its kind's concurrency either: only the archive's own speed sets the pace.
UNBUDGETED_CONCURRENCY = 8


def endpoint_of(request: Request) -> str:
    """``host:port|kind`` of a request: its meta ``recover_endpoint`` or its URL's shape."""
    url = request.url.removeprefix("cc:")  # a Common Crawl record: paced by its file's host
    kind = request.meta.get("recover_endpoint")
    if not kind:
        path = urlsplit(url).path
        kind = "cdx" if path.endswith("/cdx") or "/cdx/" in path or "timemap" in path else "replay"
    return f"{urlsplit(url).netloc}|{kind}"


def is_archive_request(request: Request) -> bool:
    """A request that goes to an archive over the network (local warc:, html: files do not)."""
    return request.url.startswith(("http://", "https://", "cc:"))


class Endpoints(Component):
    """Download slots per archive endpoint: their budgets, pauses, and the stop."""

    def __init__(self, crawler: Crawler, clock: Callable[[], float] = time.monotonic) -> None:
        self.crawler = crawler
        self.budgets: dict[str, Any] = crawler.settings.getdict("RECOVER_BUDGETS")
        self.clock = clock  # the downloader's clock (monotonic), replaced in tests
        self.paused: dict[str, float] = {}  # slot -> pause in force (s)
        self.paused_until: dict[str, float] = {}  # slot -> when that pause ends (clock)
        self.stopped: str | None = None

    # budgets ------------------------------------------------------------------------------
    def slot_settings(self, slot: str) -> dict[str, Any]:
        """A ``DOWNLOAD_SLOTS`` entry for an endpoint: its budget as delay and concurrency."""
        kind = slot.rsplit("|", 1)[-1]
        conf = self.budgets.get(kind) or self.budgets.get("replay") or {}
        per_minute = float(conf.get("per_minute", 0) or 0)
        concurrency = max(1, int(conf.get("concurrency", 1)))
        if per_minute <= 0:
            concurrency = max(concurrency, UNBUDGETED_CONCURRENCY)
        return {
            "delay": max(MIN_DELAY, 60.0 / per_minute if per_minute > 0 else 0.0),
            "concurrency": concurrency,
            "jitter": 0.0,
        }

    def _downloader(self) -> Any:
        engine = self.crawler.engine
        return engine.downloader if engine is not None else None

    def register(self, slot: str) -> None:
        """Give ``slot`` its budget before the downloader makes it (``DOWNLOAD_SLOTS`` wins)."""
        downloader = self._downloader()
        if downloader is not None and slot not in downloader.per_slot_settings:
            downloader.per_slot_settings[slot] = self.slot_settings(slot)

    def base_delay(self, slot: str) -> float:
        downloader = self._downloader()
        conf = downloader.per_slot_settings.get(slot) if downloader is not None else None
        return float((conf or self.slot_settings(slot)).get("delay", 0.0))

    # pauses -------------------------------------------------------------------------------
    def pause(self, slot: str, seconds: float) -> None:
        """Send nothing to ``slot`` for ``seconds`` from now, then one request at a time."""
        downloader = self._downloader()
        found = downloader.slots.get(slot) if downloader is not None else None
        if found is None:
            return
        seconds = max(seconds, self.paused.get(slot, 0.0), self.base_delay(slot))
        self.paused[slot] = seconds
        self.paused_until[slot] = self.clock() + seconds
        found.delay = seconds
        found.lastseen = self.clock()  # the downloader waits ``delay`` after ``lastseen``

    def in_pause(self, slot: str) -> bool:
        """``slot``'s pause is still running: nothing is sent in a pause, so an answer now
        is to a request that was on the wire when it began."""
        return self.clock() < self.paused_until.get(slot, float("-inf"))

    def resume(self, slot: str) -> None:
        """A good answer: the slot's own budget again."""
        self.paused_until.pop(slot, None)
        if self.paused.pop(slot, None) is None:
            return
        downloader = self._downloader()
        found = downloader.slots.get(slot) if downloader is not None else None
        if found is not None:
            found.delay = self.base_delay(slot)

    # the stop -----------------------------------------------------------------------------
    def stop(self, reason: str) -> None:
        """Stop the crawl for ``reason``: cancel everything queued, then close the spider.

        Requests already on the wire finish; what was recovered is kept and exported, and
        what was not tried stays untried for the next run.
        """
        if self.stopped is not None:
            return
        self.stopped = reason
        if self.crawler.stats:
            self.crawler.stats.set_value("recover/stop_reason", reason)
        cancelled = self.cancel_queued(reason)
        log.info("stopping (%s): %d queued request(s) cancelled", reason, cancelled)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=reason))

    def cancel_queued(self, reason: str) -> int:
        """Fail every request waiting in a download slot; none of them is sent."""
        downloader = self._downloader()
        if downloader is None:
            return 0
        n = 0
        for slot in downloader.slots.values():
            if slot.latercall is not None:
                slot.latercall.cancel()
                slot.latercall = None
            while slot.queue:
                _request, deferred = slot.queue.popleft()
                deferred.errback(Failure(IgnoreRequest(f"stopping: {reason}")))
                n += 1
        return n
