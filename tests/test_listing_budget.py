"""Issue 14.6: every listing capture that can add a post or an excerpt is read.

The planner's ``indexes`` step (what the spider's ``indexes`` phase fetches): the newest
capture of every distinct listing (home, paging, term, date archive) is read, however many
there are for the blog's size; then (the ``older_indexes`` phase, once those are read)
older captures of the home page and paging for each known post that has no good capture
of its own nor any record yet.
"""

from __future__ import annotations

import pytest
from support.pages import listing

from recover.choice.capture import Capture
from recover.choice.planner import Planner
from recover.urls import canonical

SITE = "http://www.fuite.example"
ARCHIVE = "http://127.0.0.1:9/web/"


def planner() -> Planner:
    return Planner(SITE, index_captures=200)


def cap(path: str, ts: str, status: int = 200) -> Capture:
    return Capture(
        archive=ARCHIVE, timestamp=ts, original=SITE + path, mimetype="text/html", status=status
    )


def listed(fetches) -> list[str]:
    return sorted(f.capture.original.removeprefix(SITE) for f in fetches)


def test_every_listing_is_read_not_a_fixed_count() -> None:
    s = planner()
    labels = [f"/search/label/L{n}" for n in range(17)]
    posts = [f"/2011/06/post-{n}.html" for n in range(20)]
    s.add(
        [cap("/", "20221209000000"), cap("/", "20221225000000"), cap("/", "20230105000000", 500)]
        + [cap(p, "20221210000000") for p in labels]
        + [cap("/2011/06/", "20221211000000")]
        + [cap(p, "20221212000000") for p in posts]
    )
    got = listed(s.indexes(set()))
    # 19 listings, each once (a fixed 10 + 1 per 50 posts would read 10); nothing missing:
    # no older capture of the home page
    assert got == sorted(["/", "/2011/06/", *labels])
    assert planner_first(s) == "20221225000000"


def planner_first(s: Planner) -> str:
    fresh = planner()
    fresh.add(c for caps in s.groups.values() for c in caps)
    return fresh.indexes(set())[0].capture.timestamp


def test_older_listings_for_each_missing_post() -> None:
    s = planner()
    homes = [cap("/", f"2022{m:02d}01000000") for m in range(1, 13)]
    s.add(
        homes
        + [cap("/search?updated-max=2012-01-28T01:24:00-05:00&max-results=7", "20221210000000")]
        + [cap("/2011/06/gone.html", "20221212000000", 404)]  # known, never captured well
        + [cap("/2011/07/here.html", "20221212000000")]
    )
    known = [canonical(SITE + "/2011/08/only-in-feed.html")]  # from a feed
    got = [f.capture for f in s.indexes(set(), known)]
    # the newest of both listings, then two older home pages per missing post (two posts):
    # the first two after their dates (June and August 2011: both get January and February
    # 2022), then the newest others
    assert len(got) == 2 + 4
    assert [c.timestamp for c in got if c.original == SITE + "/"] == [
        f"2022{m:02d}01000000" for m in (12, 1, 2, 11, 10)
    ]


def test_a_dated_missing_post_gets_the_home_pages_of_its_time() -> None:
    """Five years of monthly home pages: a post of June 2011 was on top of the home page
    captured after it, not on the second newest page of 2014."""
    s = planner()
    homes = [cap("/", f"{y}{m:02d}01000000") for y in range(2010, 2015) for m in range(1, 13)]
    s.add(homes + [cap("/2011/06/15/gone.html", "20141212000000", 404)])
    got = [f.capture.timestamp for f in s.indexes(set())]
    assert got == ["20141201000000", "20110701000000", "20110801000000"]


def test_a_post_a_feed_already_gave_costs_no_older_listing() -> None:
    """Budgeted by what is still missing: a known post without a good capture of its own
    but with a record already (a feed's entry) adds nothing an older listing could."""
    s = planner()
    homes = [cap("/", f"2022{m:02d}01000000") for m in range(1, 13)]
    s.add(homes + [cap("/2011/06/gone.html", "20221212000000", 404)])
    gone = canonical(SITE + "/2011/06/gone.html")
    only_feed = canonical(SITE + "/2011/08/only-in-feed.html")
    # both missing: the newest home page and two older ones for each
    assert len(s.indexes(set(), [only_feed])) == 1 + 4
    s = planner()
    s.add(homes + [cap("/2011/06/gone.html", "20221212000000", 404)])
    # the feed gave the second one: two older home pages for the first alone
    got = s.indexes(set(), [only_feed], recorded=[only_feed])
    assert [f.capture.timestamp for f in got] == [f"2022{m:02d}01000000" for m in (12, 1, 2)]
    s = planner()
    s.add(homes + [cap("/2011/06/gone.html", "20221212000000", 404)])
    assert len(s.indexes(set(), [only_feed], recorded=[only_feed, gone])) == 1


# -- the spider: older listings are budgeted once the newest have been read ---------------

WEB = "http://archive.test/web/"
BLOG = "http://blog.example.com"
LISTING = listing(BLOG)


def blog_spider(tmp_path, lost: str):
    from scrapy.utils.test import get_crawler

    from recover.spiders.recover import RecoverSpider
    from recover.store import Store

    crawler = get_crawler(RecoverSpider, {"RECOVER_INDEX_CAPTURES": 200})
    spider = RecoverSpider.from_crawler(crawler, site=BLOG, archive=WEB, out=str(tmp_path))
    spider.crawler = crawler
    spider.store = Store(tmp_path / "state.db")
    homes = [Capture(WEB, f"2009{m:02d}01000000", BLOG + "/", "text/html", 200) for m in (1, 2, 3)]
    gone = Capture(WEB, "20090401000000", BLOG + lost, "text/html", 404)  # known, never good
    spider.planner.add([*homes, gone])
    return spider


def read(spider, requests) -> list[str]:
    from scrapy.http import HtmlResponse

    stamps = []
    for request in requests:
        fetch = request.meta["fetch"]
        stamps.append(fetch.capture.timestamp)
        response = HtmlResponse(
            request.url, body=LISTING.encode(), encoding="utf-8", request=request
        )
        list(spider.parse_index_capture(response))
    return stamps


@pytest.mark.parametrize(
    ("lost", "older"),
    [("/2008/10/15/p/", []), ("/2008/09/01/q/", ["20090101000000", "20090201000000"])],
    ids=["listed-by-the-newest", "listed-by-none"],
)
def test_older_listings_only_for_posts_the_newest_left_without_a_record(
    tmp_path, lost: str, older: list[str]
) -> None:
    """The newest home page lists a missing post: its excerpt is a record, and no older home
    page is read for it; a post it does not list costs two older captures."""
    spider = blog_spider(tmp_path, lost)
    assert read(spider, spider.phase_indexes()) == ["20090301000000"]
    assert read(spider, spider.phase_older_indexes()) == older


def test_a_listing_capture_is_parsed_once(tmp_path, monkeypatch) -> None:
    """The error-page check reads the tree the listing is read from: one parse a listing
    capture (a second one cost every listing about a tenth of its reading)."""
    import recover.choice.errorpage as errorpage

    parsed = []
    tree = errorpage.document
    monkeypatch.setattr(errorpage, "document", lambda html: parsed.append(1) or tree(html))
    spider = blog_spider(tmp_path, "/2008/10/15/p/")
    read(spider, spider.phase_indexes())
    assert canonical(BLOG + "/2008/10/15/p/") in spider.store.recorded_keys()
    assert parsed == []
