"""Crawl-level components: one instance a crawl, shared by the spider and the middlewares,
pipelines and commands that need it, as Scrapy extensions (never attributes patched onto
the crawler nor read off the spider)."""

from __future__ import annotations

from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class Component:
    """Built by Scrapy from ``EXTENSIONS``; reached as ``TheClass.of(crawler)``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @classmethod
    def of(cls, crawler: Crawler) -> Self:
        """The crawl's one instance."""
        found = crawler.get_extension(cls)
        if found is None:
            raise NotConfigured(f"{cls.__module__}.{cls.__name__} must be in EXTENSIONS")
        return found
