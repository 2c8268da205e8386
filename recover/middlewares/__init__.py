"""Downloader middlewares, one concern a module: budgets, 429s, backoff."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro


def stop_crawl(crawler: Crawler, reason: str) -> None:
    """Close the crawl with ``reason`` (what was recovered is kept and exported)."""
    engine = crawler.engine
    if engine is None:
        return
    if crawler.stats:
        crawler.stats.set_value("recover/stop_reason", reason)
    closer = getattr(engine, "close_spider_async", None)
    if closer is not None:
        deferred_from_coro(closer(reason=reason))
    else:  # Scrapy < 2.14
        engine.close_spider(crawler.spider, reason)
