"""The HTTP cache storage in-process: one file an entry, whole or absent; no bad CDX answers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from recover.cache import AtomicFilesystemCacheStorage, ParsedAnswersPolicy

URL = "http://127.0.0.1:8080/web/20081031100000id_/http://blog.example.com/2008/10/31/x/"
CDX = "http://127.0.0.1:8080/web/cdx?url=blog.example.com%2F&matchType=prefix&output=json"


class _Spider(Spider):
    name = "recover"


@pytest.fixture
def storage(tmp_path: Path) -> tuple[AtomicFilesystemCacheStorage, Spider]:
    crawler = get_crawler(
        _Spider, {"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_GZIP": True}
    )
    crawler._apply_settings()
    spider = crawler._create_spider()
    store = AtomicFilesystemCacheStorage(crawler.settings)
    store.open_spider(spider)
    return store, spider


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_an_entry_round_trips_as_one_file(storage: Any, tmp_path: Path) -> None:
    store, spider = storage
    request = Request(URL)
    body = "<html><body><p>Caf\u00e9 \u2014 the post</p></body></html>".encode()
    headers = {"Content-Type": "text/html; charset=utf-8", "X-Archive-Src": "a.warc.gz"}
    store.store_response(spider, request, HtmlResponse(URL, status=200, headers=headers, body=body))
    assert len(_files(tmp_path / "cache")) == 1

    again = Request(URL)
    got = store.retrieve_response(spider, again)
    assert isinstance(got, HtmlResponse)
    assert (got.url, got.status, got.body) == (URL, 200, body)
    assert got.headers[b"X-Archive-Src"] == b"a.warc.gz"
    assert "Café" in got.text
    assert again.meta["cache_timestamp"] > 0
    assert store.retrieve_response(spider, Request(URL + "?other")) is None


def test_a_damaged_entry_is_a_miss(storage: Any, tmp_path: Path) -> None:
    store, spider = storage
    store.store_response(spider, Request(URL), HtmlResponse(URL, body=b"<p>whole</p>"))
    (entry,) = _files(tmp_path / "cache")
    entry.write_bytes(entry.read_bytes()[:20])  # cut short
    assert store.retrieve_response(spider, Request(URL)) is None
    entry.write_bytes(b"not a pickle at all")
    assert store.retrieve_response(spider, Request(URL)) is None


def test_a_write_that_fails_leaves_nothing(
    storage: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between writing and renaming: no entry under its name, no temp file left."""
    store, spider = storage

    def killed(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store.store_response(spider, Request(URL), HtmlResponse(URL, body=b"<p>post</p>"))
    assert _files(tmp_path / "cache") == []
    assert store.retrieve_response(spider, Request(URL)) is None


def _cdx(body: bytes, status: int = 200) -> tuple[Response, Request]:
    request = Request(CDX, meta={"recover_cache_check": "cdx"})
    headers = {"Content-Type": "text/plain"}
    return TextResponse(CDX, status=status, headers=headers, body=body), request


def test_only_cdx_answers_that_parse_are_cached(tmp_path: Path) -> None:
    crawler = get_crawler(_Spider, {"HTTPCACHE_DIR": str(tmp_path)})
    policy = ParsedAnswersPolicy(crawler.settings)
    row = b'{"urlkey": "com,example,blog)/", "timestamp": "20081031100000", '
    row += b'"url": "http://blog.example.com/", "mime": "text/html", "status": "200"}\n'
    assert policy.should_cache_response(*_cdx(row))
    assert not policy.should_cache_response(*_cdx(b"<html><h1>Down for maintenance</h1>"))
    assert not policy.should_cache_response(*_cdx(b""))
    assert not policy.should_cache_response(*_cdx(row, status=503))
    page = HtmlResponse(URL, body=b"<p>post</p>")
    assert policy.should_cache_response(page, Request(URL))  # captures: always


def test_a_cdx_page_is_read_once_between_the_cache_and_the_spider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The policy's check reads the answer; the spider's callback takes that reading."""
    from recover.discovery import cdx
    from recover.spiders.recover import RecoverSpider

    web = "http://127.0.0.1:8080/web/"
    crawler = get_crawler(RecoverSpider, {"HTTPCACHE_DIR": str(tmp_path)})
    spider = RecoverSpider.from_crawler(
        crawler, site="http://blog.example.com", archive=web, out=str(tmp_path / "out")
    )
    spider.crawler = crawler
    request = spider.cdx_request(web, "blog.example.com")
    reads = []
    real = cdx.parse
    monkeypatch.setattr(cdx, "parse", lambda *a: reads.append(a) or real(*a))
    row = b'{"urlkey": "com,example,blog)/2008/10/31/x", "timestamp": "20081031100000", '
    row += b'"url": "http://blog.example.com/2008/10/31/x/", "mime": "text/html", "status": "200"}'
    response = TextResponse(request.url, body=row, request=request)
    assert ParsedAnswersPolicy(crawler.settings).should_cache_response(response, request)
    list(spider.parse_cdx(response))
    assert len(reads) == 1 and reads[0][1] == web
    assert [c.original for caps in spider.planner.groups.values() for c in caps] == [
        "http://blog.example.com/2008/10/31/x/"
    ]
