"""robots.txt's ``Crawl-delay``: a downloader middleware spacing requests to the site by it.

The recorder reads the delay from robots.txt into the session; from then on each request to
the site waits until ``Crawl-delay`` seconds after the previous one started (AutoThrottle
and ``--delay`` may only make the gap longer).
"""

from __future__ import annotations

import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from recover.urls import host_of


class CrawlDelay:
    """Downloader middleware: at most one request per ``Crawl-delay`` to the snapshot's site."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.last = -1e9  # when the last request to the site was let through

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelay:
        return cls(crawler)

    def _delay(self, request: Request) -> float:
        session = getattr(self.crawler.spider, "session", None)
        if session is None or host_of(request.url) != session.host:
            return 0.0
        if request.url.endswith("/robots.txt"):
            return 0.0
        return session.crawl_delay

    def process_request(self, request: Request, spider: object = None):
        delay = self._delay(request)
        now = time.monotonic()
        wait = max(0.0, self.last + delay - now) if delay > 0 else 0.0
        if self._delay_applies(request):
            self.last = now + wait
        if wait <= 0:
            return None
        return deferred_from_coro(self._sleep(wait))

    def _delay_applies(self, request: Request) -> bool:
        session = getattr(self.crawler.spider, "session", None)
        return session is not None and host_of(request.url) == session.host

    async def _sleep(self, wait: float) -> None:
        await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
