"""Downloader middleware: a request budget per archive endpoint (spacing and concurrency).

Every request to an archive belongs to an endpoint (the archive's host and ``cdx`` or
``replay``).  Each endpoint has a rate (requests a minute) and a cap on requests in
flight; a 429 or a backoff pauses it.  Cached responses never reach this middleware.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

_HELD = "_recover_budget_held"


def endpoint_of(request: Request) -> str:
    """``host:port|kind`` of a request: its meta ``recover_endpoint`` or its URL's shape."""
    kind = request.meta.get("recover_endpoint")
    if not kind:
        path = urlsplit(request.url).path
        kind = "cdx" if path.endswith("/cdx") or "/cdx/" in path or "timemap" in path else "replay"
    return f"{urlsplit(request.url).netloc}|{kind}"


@dataclass
class Budget:
    """Spacing and concurrency of one endpoint."""

    per_minute: float
    concurrency: int
    next_at: float = 0.0
    paused_until: float = 0.0
    in_flight: int = 0
    sent: list[float] = field(default_factory=list)  # send times, for tests and stats
    freed: asyncio.Event | None = None  # set when a request in flight ends

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute if self.per_minute > 0 else 0.0

    async def acquire(self, not_before: float = 0.0) -> None:
        """Wait until this endpoint may send one more request."""
        while True:
            now = time.monotonic()
            wait = max(self.next_at - now, self.paused_until - now, not_before - time.time())
            if wait > 0:
                await asyncio.sleep(min(wait, 5.0))  # re-checked: a 429 may extend it
            elif self.in_flight >= max(1, self.concurrency):
                if self.freed is None:
                    self.freed = asyncio.Event()
                self.freed.clear()
                await self.freed.wait()  # until a request of this endpoint ends
            else:
                break
        self.in_flight += 1
        self.next_at = time.monotonic() + self.interval
        self.sent.append(time.time())
        del self.sent[:-1000]

    def release(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        if self.freed is not None:
            self.freed.set()

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds``."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)


class Budgets:
    """The budgets of one crawl, created on first use from ``RECOVER_BUDGETS``."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.by_endpoint: dict[str, Budget] = {}

    def get(self, endpoint: str) -> Budget:
        if endpoint not in self.by_endpoint:
            kind = endpoint.rsplit("|", 1)[-1]
            conf = self.config.get(kind) or self.config.get("replay") or {}
            self.by_endpoint[endpoint] = Budget(
                per_minute=float(conf.get("per_minute", 0)),
                concurrency=int(conf.get("concurrency", 1)),
            )
        return self.by_endpoint[endpoint]

    @classmethod
    def of(cls, crawler: Crawler) -> Budgets:
        """The crawl's shared budgets (every middleware sees the same ones)."""
        found = getattr(crawler, "_recover_budgets", None)
        if found is None:
            found = cls(crawler.settings.getdict("RECOVER_BUDGETS"))
            crawler._recover_budgets = found  # type: ignore[attr-defined]
        return found


class BudgetMiddleware:
    """Hold each request until its endpoint's budget allows it."""

    def __init__(self, crawler: Crawler) -> None:
        self.budgets = Budgets.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BudgetMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        if not request.url.startswith(("http://", "https://")):
            return None
        budget = self.budgets.get(endpoint_of(request))
        await budget.acquire(float(request.meta.get("recover_not_before", 0.0)))
        request.meta[_HELD] = True
        return None

    def _release(self, request: Request) -> None:
        if request.meta.pop(_HELD, False):
            self.budgets.get(endpoint_of(request)).release()

    def process_response(self, request: Request, response: Response, spider: Any = None):
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None):
        self._release(request)
        return None
