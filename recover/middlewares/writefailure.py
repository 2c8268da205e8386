"""Spider middleware: a callback that could not write the run's files stops the run at once.

A full disk (or a read-only one) makes every callback fail the same way; instead of one
traceback a response, blamed on the archive, the crawl stops and the command ends with
one line naming the file and the cause (see :func:`recover.errors.stop_on_write_error`).
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from recover.errors import stop_on_write_error


class WriteFailureMiddleware:
    """Swallow a callback's failure to write our files, and stop the crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WriteFailureMiddleware:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: Any = None
    ) -> list[Any] | None:
        return [] if stop_on_write_error(self.crawler, exception) else None
