"""The spider's capture callback on in-process responses: every page has an outcome.

An error page or a page that is not the post passes to the next older capture; an
exception while extracting is an ``error`` outcome (counted, not settled, retried by the
next run); the report says which of these left a post missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from support.pages import listing

from recover.choice.capture import Capture
from recover.choice.planner import Fetch, Planner
from recover.handlers import ARCHIVED, archived_response, capture_fetch
from recover.post import Post, Source
from recover.spiders.recover import RecoverSpider
from recover.store import NO_CAPTURE, NOT_THE_POST, Store

WEB = "http://archive.test/web/"
SITE = "http://blog.example.com"
POST = f"{SITE}/2008/10/31/a-post/"
KEY = "http://blog.example.com/2008/10/31/a-post"

TEXT = "A real paragraph of the post, which the author wrote one autumn evening in 2008. "
GOOD = f"""<html><head><title>A post</title></head><body><article class="post hentry">
<h1 class="entry-title">A post</h1><time class="published" datetime="2008-10-31T10:00:00">
Oct 31</time><div class="entry-content"><p>{TEXT * 10}</p></div>
</article></body></html>"""
LISTING = listing(SITE)


def cap(ts: str) -> Capture:
    return Capture(WEB, ts.ljust(14, "0"), POST, "text/html", 200, f"d{ts}")


@pytest.fixture
def spider(tmp_path: Path) -> RecoverSpider:
    crawler = get_crawler(RecoverSpider, {"RECOVER_INDEX_CAPTURES": 200})
    spider = RecoverSpider.from_crawler(crawler, site=SITE, archive=WEB, out=str(tmp_path))
    spider.crawler = crawler
    spider.store = Store(tmp_path / "state.db")
    spider.planner.add([cap("2010"), cap("2009"), cap("2008")])
    return spider


def first_fetch(spider: RecoverSpider) -> Fetch:
    plan = spider.planner.posts(spider.store.settled_keys(), spider.store.tried())
    assert len(plan.fetches) == 1
    return plan.fetches[0]


def respond(fetch: Fetch, html: str) -> HtmlResponse:
    url = fetch.capture.replay_url
    request = Request(url, meta={"fetch": fetch})
    return HtmlResponse(url, body=html.encode(), encoding="utf-8", request=request)


def run(spider: RecoverSpider, fetch: Fetch, html: str) -> list[Any]:
    return list(spider.parse_capture(respond(fetch, html)))


def stat(spider: RecoverSpider, name: str) -> Any:
    return spider.crawler.stats.get_value(f"recover/{name}")


def test_a_page_that_is_not_the_post_passes_to_the_older_capture(spider) -> None:
    fetch = first_fetch(spider)
    (following,) = run(spider, fetch, LISTING)
    older: Fetch = following.meta["fetch"]
    assert older.capture.timestamp.startswith("2009")
    assert run(spider, older, GOOD) == []
    assert KEY in spider.store.settled_keys()
    assert [p.title for _, posts in spider.store.post_records() for p in posts] == ["A post"]


OWNER = f"""<html><head><title>Crypto tips</title></head><body><article class="post hentry">
<h1 class="entry-title">Best crypto exchanges this year</h1>
<time class="published" datetime="2021-03-02T10:00:00">Mar 2</time><div class="entry-content">
<p>{"Buy coins on the exchange with the lowest fees and win. " * 20}</p></div></article>
</body></html>"""


def feed_record(spider: RecoverSpider, title: str, text: str) -> None:
    item = Post(url=POST, title=title, content_html=f"<p>{text}</p>")
    spider.keep(item, Source(WEB, f"{WEB}2009id_/{SITE}/feed/", "2009", "feed", f"{SITE}/feed/"))


def test_a_new_owners_page_at_the_address_passes_to_the_older_capture(spider) -> None:
    """10.6: the newest capture is another site's post at the old address; the feed said
    what the post was, so the older capture is taken."""
    feed_record(spider, "A post", TEXT)
    fetch = first_fetch(spider)
    (following,) = run(spider, fetch, OWNER)
    assert following.meta["fetch"].capture.timestamp.startswith("2009")
    (skip,) = spider.store.skipped()
    assert skip["outcome"] == "notpost" and skip["reason"].startswith("another page at the post")
    assert run(spider, following.meta["fetch"], GOOD) == []
    records = [p for _, posts in spider.store.post_records() for p in posts]
    assert [p.title for p in records if p.source.kind == "page"] == ["A post"]


@pytest.mark.parametrize(
    ("title", "text"),
    [("Its old title", TEXT), ("A post", "An old draft about something else entirely, " * 3)],
    ids=["renamed", "rewritten"],
)
def test_a_renamed_or_rewritten_post_is_still_the_post(spider, title: str, text: str) -> None:
    feed_record(spider, title, text)
    assert run(spider, first_fetch(spider), GOOD) == []
    assert KEY in spider.store.settled_keys()


def test_an_extraction_error_is_an_outcome_counted_and_retried(spider, monkeypatch, caplog):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr("recover.spiders.recover.extract", broken)
    fetch = first_fetch(spider)
    (following,) = run(spider, fetch, GOOD)  # the next older capture is tried
    assert following.meta["fetch"].capture.timestamp.startswith("2009")
    assert stat(spider, "extract_errors") == 1
    errors = [r for r in caplog.records if "extraction error" in r.getMessage()]
    assert len(errors) == 1 and fetch.capture.replay_url in errors[0].getMessage()
    assert KEY not in spider.store.settled_keys()
    assert fetch.capture.replay_url not in spider.store.tried()  # the next run retries it
    assert spider.store.missing_reasons()[KEY] == "extraction error: RuntimeError: extractor bug"


def test_report_reasons_tell_not_the_post_from_no_good_capture(spider) -> None:
    fetch = first_fetch(spider)
    while fetch is not None:
        nxt = run(spider, fetch, LISTING)
        fetch = nxt[0].meta["fetch"] if nxt else None
    assert spider.store.missing_reasons()[KEY] == NOT_THE_POST
    assert KEY not in spider.store.settled_keys()
    assert spider.store.tried() == set()  # a re-run (with a better extractor) tries again
    rerun = Planner(SITE)
    rerun.add([cap("2010"), cap("2009"), cap("2008")])
    plan = rerun.posts(spider.store.settled_keys(), spider.store.tried())
    assert [f.capture.timestamp[:4] for f in plan.fetches] == ["2010"]
    assert stat(spider, "missing") == 1

    bad = Store(spider.store.path.with_name("other.db"))
    bad.record_outcome("u1", "k", "bad", "database error")
    bad.record_outcome("none:k2", "k2", "bad", NO_CAPTURE)
    assert bad.missing_reasons() == {"k": "database error", "k2": NO_CAPTURE}


def test_local_captures_are_fetched_through_handlers(tmp_path: Path) -> None:
    warc = Capture(f"warc:{tmp_path}/a b.warc.gz", "2008".ljust(14, "0"), POST, location="42")
    url, headers = capture_fetch(warc)
    assert url.startswith("warc://localhost/") and url.endswith("a%20b.warc.gz?offset=42")
    assert Request(url).url == url  # a URL Scrapy keeps as it is
    page = Capture(f"html:{tmp_path}", "2008".ljust(14, "0"), POST, location=f"{tmp_path}/p.html")
    assert capture_fetch(page) == (f"html://localhost{tmp_path}/p.html", {})
    assert capture_fetch(cap("2010")) == (cap("2010").replay_url, {})
    response = archived_response(
        url,
        404,
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Content-Length", "9")],
        b"<html>gone</html>",
    )
    assert isinstance(response, HtmlResponse) and response.status == 404
    assert ARCHIVED in response.flags
    assert b"Content-Encoding" not in response.headers  # the body is already decoded
    assert b"Content-Length" not in response.headers  # ... and of another length
    plain = archived_response(url, 200, {"Content-Length": "17"}, b"<html>gone</html>")
    assert plain.headers["Content-Length"] == b"17"
