"""The politeness middlewares in-process: budgets as download slots, 429 pauses, backoff.

A real Scrapy crawler (settings, stats, retry helpers) with a stand-in downloader holding
real ``scrapy.core.downloader.Slot`` objects, and a fake clock (issue 9.4).
"""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
import scrapy
from scrapy.core.downloader import Slot
from scrapy.exceptions import DownloadCancelledError, DownloadConnectionRefusedError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from recover.middlewares.backoff import BackoffMiddleware
from recover.middlewares.budget import BudgetMiddleware
from recover.middlewares.endpoints import MIN_DELAY, UNBUDGETED_CONCURRENCY, Endpoints
from recover.middlewares.toomanyrequests import TooManyRequestsMiddleware, retry_after_seconds

ARCHIVE = "http://archive.example:8080"
REPLAY = f"{ARCHIVE}/web/20081031000000id_/http://blog.example.com/2008/10/31/x/"
CDX = f"{ARCHIVE}/web/cdx?url=blog.example.com/"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Parts(SimpleNamespace):
    crawler: Any
    endpoints: Endpoints
    budget: BudgetMiddleware
    tmr: TooManyRequestsMiddleware
    backoff: BackoffMiddleware
    clock: Clock
    slots: dict[str, Slot]


@pytest.fixture
def parts() -> Parts:
    crawler = get_crawler(
        settings_dict={
            "RECOVER_BUDGETS": {
                "cdx": {"per_minute": 24, "concurrency": 1},
                "replay": {"per_minute": 120, "concurrency": 3},
            },
            "RECOVER_429_PAUSE": 60.0,
            "RECOVER_429_GIVE_UP": 3,
            "RECOVER_BACKOFF_BASE": 2.0,
            "RECOVER_BACKOFF_MAX": 300.0,
            "RECOVER_RETRIES": 2,
            "RECOVER_REFUSED_GIVE_UP": 2,
        }
    )
    crawler.spider = scrapy.Spider.from_crawler(crawler, name="t")
    slots: dict[str, Slot] = {}
    downloader = SimpleNamespace(slots=slots, per_slot_settings={})
    crawler.engine = SimpleNamespace(downloader=downloader, spider=None)
    clock = Clock()
    endpoints = Endpoints(crawler, clock=clock)
    rng = random.Random(0)
    rng.uniform = lambda a, b: 1.0  # type: ignore[method-assign] (no jitter in tests)
    return Parts(
        crawler=crawler,
        endpoints=endpoints,
        budget=BudgetMiddleware(endpoints),
        tmr=TooManyRequestsMiddleware(crawler, endpoints),
        backoff=BackoffMiddleware(crawler, endpoints, rng=rng),
        clock=clock,
        slots=slots,
    )


def _sent(parts: Parts, url: str = REPLAY, **meta: Any) -> scrapy.Request:
    """A request as the downloader would hold it: through the budget, its slot made."""
    request = scrapy.Request(url, meta=meta)
    parts.budget.process_request(request)
    key = request.meta.get("download_slot")
    if key and key not in parts.slots:
        conf = parts.crawler.engine.downloader.per_slot_settings.get(key, {})
        parts.slots[key] = Slot(conf.get("concurrency", 8), conf.get("delay", 0.0), 0.0)
    return request


def _wait(parts: Parts, key: str) -> float:
    """Seconds until the downloader lets the slot's next request go."""
    slot = parts.slots[key]
    return max(0.0, slot.download_delay() - parts.clock() + slot.lastseen)


def test_budget_is_a_download_slot_per_endpoint(parts: Parts) -> None:
    replay, cdx = _sent(parts), _sent(parts, CDX)
    assert replay.meta["download_slot"] == "archive.example:8080|replay"
    assert cdx.meta["download_slot"] == "archive.example:8080|cdx"
    conf = parts.crawler.engine.downloader.per_slot_settings
    assert conf["archive.example:8080|cdx"] == {"delay": 2.5, "concurrency": 1, "jitter": 0.0}
    assert conf["archive.example:8080|replay"]["delay"] == 0.5
    assert conf["archive.example:8080|replay"]["concurrency"] == 3
    local = _sent(parts, "data:,local-capture", download_slot="local")
    assert local.meta["download_slot"] == "local"
    assert _sent(parts, "data:,x").meta.get("download_slot") is None


def test_an_endpoint_without_budget_is_paced_by_the_archive_alone() -> None:
    """``--rate cdx=0``: no spacing, and not one request at a time either (the kind's
    concurrency is a budget's); an endpoint with a budget keeps both."""
    crawler = get_crawler(
        settings_dict={
            "RECOVER_BUDGETS": {
                "cdx": {"per_minute": 0, "concurrency": 1},
                "replay": {"per_minute": 120, "concurrency": 3},
            }
        }
    )
    endpoints = Endpoints(crawler)
    assert endpoints.slot_settings("a.example|cdx") == {
        "delay": MIN_DELAY,
        "concurrency": UNBUDGETED_CONCURRENCY,
        "jitter": 0.0,
    }
    assert endpoints.slot_settings("a.example|replay")["concurrency"] == 3


def test_bare_429s_pause_the_slot_doubling_then_stop(parts: Parts) -> None:
    request = _sent(parts)
    key = request.meta["download_slot"]
    waiting: Deferred[Any] = Deferred()
    failures: list[Any] = []
    waiting.addErrback(failures.append)
    for n, pause in enumerate((60.0, 120.0, 240.0), 1):
        retry = parts.tmr.process_response(request, Response(REPLAY, status=429))
        assert isinstance(retry, scrapy.Request)
        assert retry.meta["retry_times"] == n
        assert _wait(parts, key) == pause
        parts.clock.now += pause  # the retry goes once the pause is over
        request = retry
    assert parts.crawler.stats.get_value("retry/count") == 3
    parts.slots[key].queue.append((scrapy.Request(REPLAY), waiting))  # queued, not sent
    with pytest.raises(IgnoreRequest):
        parts.tmr.process_response(request, Response(REPLAY, status=429))
    assert parts.endpoints.stopped == "archive_rate_limited"
    assert not parts.slots[key].queue and len(failures) == 1  # cancelled at once
    with pytest.raises(IgnoreRequest):  # a retry still in the scheduler: never sent
        _sent(parts)
    assert _sent(parts, "data:,merge").meta.get("download_slot") is None  # not the archive's


def test_429s_to_requests_already_in_flight_do_not_count(parts: Parts) -> None:
    """Eight requests on the wire when the archive starts answering 429: the first pauses
    the slot; the others, sent before that pause, are retried after it without doubling
    it or counting toward giving up."""
    first, *others = [_sent(parts) for _ in range(8)]
    key = first.meta["download_slot"]
    parts.clock.now += 1
    assert isinstance(
        parts.tmr.process_response(first, Response(REPLAY, status=429)), scrapy.Request
    )
    parts.clock.now += 0.1
    for request in others:
        retry = parts.tmr.process_response(request, Response(REPLAY, status=429))
        assert isinstance(retry, scrapy.Request) and retry.meta["retry_times"] == 1
    assert parts.endpoints.stopped is None
    assert parts.endpoints.paused[key] == 60.0
    parts.clock.now += 60  # the pause is over: the next request is sent
    later = _sent(parts)
    parts.tmr.process_response(later, Response(REPLAY, status=429))
    assert parts.endpoints.paused[key] == 120.0


def test_retry_after_is_kept_and_a_good_answer_resumes(parts: Parts) -> None:
    request = _sent(parts)
    key = request.meta["download_slot"]
    parts.tmr.process_response(request, Response(REPLAY, status=429, headers={"Retry-After": "7"}))
    assert _wait(parts, key) == 7.0
    parts.clock.now += 7
    parts.budget.process_response(request, Response(REPLAY, status=200))
    assert parts.slots[key].delay == 0.5
    assert retry_after_seconds("Thu, 01 Jan 1970 00:16:50 GMT", now=lambda: 1000.0) == 10.0


def test_backoff_pauses_longer_each_failure_then_gives_up(parts: Parts) -> None:
    request = _sent(parts)
    key = request.meta["download_slot"]
    in_flight = _sent(parts)
    first = parts.backoff.process_response(request, Response(REPLAY, status=503))
    assert isinstance(first, scrapy.Request) and _wait(parts, key) == 2.0
    # a request on the wire when the pause began fails too: retried, the pause unchanged
    again = parts.backoff.process_response(in_flight, Response(REPLAY, status=503))
    assert isinstance(again, scrapy.Request) and _wait(parts, key) == 2.0
    parts.clock.now += 2.0  # the pause is over: the retry is sent
    second = parts.backoff.process_exception(first, TimeoutError("timed out"))
    assert isinstance(second, scrapy.Request) and _wait(parts, key) == 4.0
    parts.clock.now += 4.0
    last = Response(REPLAY, status=503)
    assert parts.backoff.process_response(second, last) is last  # RECOVER_RETRIES spent
    assert parts.crawler.stats.get_value("retry/max_reached") == 1


def test_size_limit_is_final(parts: Parts) -> None:
    request = _sent(parts)
    assert parts.backoff.process_exception(request, DownloadCancelledError("too big")) is None
    assert parts.crawler.stats.get_value("retry/count") is None


def test_refused_connections_stop_the_crawl(parts: Parts) -> None:
    request = _sent(parts)
    in_flight = _sent(parts)
    refused = DownloadConnectionRefusedError("refused")
    assert isinstance(parts.backoff.process_exception(request, refused), scrapy.Request)
    # refused too, but sent before the pause: the same refusal, not a second one
    assert isinstance(parts.backoff.process_exception(in_flight, refused), scrapy.Request)
    assert parts.endpoints.stopped is None
    parts.clock.now += 2.0  # the pause is over: the retry is sent and refused again
    assert parts.backoff.process_exception(request, refused) is None
    assert parts.endpoints.stopped == "archive_refused"
    assert parts.crawler.stats.get_value("recover/stop_reason") == "archive_refused"
