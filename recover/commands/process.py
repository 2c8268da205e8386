"""The Scrapy process a recovery runs in: the first Ctrl-C or SIGTERM sends nothing more."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import CrawlerProcess

from recover.middlewares.endpoints import Endpoints


class RecoveryProcess(CrawlerProcess):
    """Scrapy's process, except that a signal cancels every queued request at once.

    Scrapy's graceful stop lets the downloader send every request already queued, through
    pauses of minutes; here the first signal cancels them, then the crawl closes as usual
    (what was recovered is exported) and :attr:`interrupted` holds the signal's number.
    """

    interrupted: int | None = None

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        self.interrupted = signum
        reactor.callFromThread(self._stop_sending)
        super()._signal_shutdown(signum, frame)

    def _stop_sending(self) -> None:
        for crawler in self.crawlers:
            Endpoints.of(crawler).stop("interrupted")
