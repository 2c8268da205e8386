"""Scrapy extension: progress while a recovery runs.

A live line on a terminal (rich); plain log lines every few seconds otherwise.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task


class Progress:
    """Posts found, fetched, recovered, missing; requests, rate and time left."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        mode = crawler.settings.get("RECOVER_PROGRESS", "auto")
        if mode == "auto":
            mode = "rich" if sys.stderr.isatty() else "log"
        self.mode = mode
        self.interval = crawler.settings.getfloat("RECOVER_PROGRESS_INTERVAL", 10.0)
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.live: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def figures(self) -> dict[str, float]:
        stats = self.crawler.stats
        get = (lambda k: stats.get_value(k, 0) or 0) if stats else (lambda k: 0)
        found = get("recover/found")
        done = get("recover/recovered") + get("recover/missing") + get("recover/resumed")
        elapsed = max(time.monotonic() - self.started, 1e-6)
        requests = get("downloader/request_count")
        rate = get("recover/fetched") / elapsed
        left = (found - done) / rate if rate > 0 and found > done else 0.0
        return {
            "found": found,
            "fetched": get("recover/fetched"),
            "recovered": get("recover/recovered"),
            "missing": get("recover/missing"),
            "requests": requests,
            "rate": rate,
            "left": left,
            "elapsed": elapsed,
        }

    def line(self) -> str:
        own = getattr(self.crawler.spider, "progress_line", None)
        if own is not None:  # a crawl with its own figures (the snapshot)
            return own()
        f = self.figures()
        stats = self.crawler.stats
        phase = stats.get_value("recover/phase", "") if stats else ""
        return (
            (f"[{phase}] " if phase else "")
            + f"posts found {f['found']:.0f} · fetched {f['fetched']:.0f} · recovered "
            f"{f['recovered']:.0f} · missing {f['missing']:.0f} · requests {f['requests']:.0f} "
            f"· {f['rate']:.1f}/s · left ~{f['left']:.0f}s"
        )

    def opened(self, spider: Any = None) -> None:
        if self.mode == "off":
            return
        if self.mode == "rich":
            from rich.console import Console
            from rich.live import Live

            self.live = Live(
                self.line(), console=Console(stderr=True), refresh_per_second=4, transient=True
            )
            self.live.start()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(0.5 if self.mode == "rich" else self.interval, now=False)

    def tick(self) -> None:
        if self.live is not None:
            self.live.update(self.line())
        else:
            print(time.strftime("%H:%M:%S"), self.line(), file=sys.stderr, flush=True)

    def closed(self, spider: Any = None) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
            self.live = None
