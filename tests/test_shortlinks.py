"""WordPress short links (``/?p=N``): a page names them, so their redirects need no fetch.

Heritrix follows every ``<link rel="shortlink">``, so the Wayback Machine holds a
``?p=N`` redirect beside most WordPress posts.  Following each costs a request a post;
the posts' pages and listings say where each leads (``post-N`` ids, ``postid-N``, the
shortlink itself), so those addresses wait until the posts are read and are settled then.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from recover.choice.capture import Capture
from recover.choice.planner import Fetch, Planner
from recover.extract.page import Page
from recover.extract.wordpress import shortlinks
from recover.normalize.merge import merged_posts
from recover.pipelines import missing_posts
from recover.spiders.recover import RecoverSpider
from recover.urls import canonical

SITE = "http://blog.example.com"
WEB = "http://archive.test/web/"
POST = f"{SITE}/2008/10/31/a-post/"
OTHER = f"{SITE}/2008/10/01/other/"
TEXT = "The sentence a real post has, with enough words to be a body. "

SINGLE = f"""<html><head><title>A post</title>
<link rel="shortlink" href="{SITE}/?p=7"></head><body class="single single-post postid-7">
<article id="post-7" class="post-7 post type-post hentry"><h1 class="entry-title">A post</h1>
<time class="published" datetime="2008-10-31T10:00:00">Oct 31</time>
<div class="entry-content"><p>{TEXT * 10}</p></div></article></body></html>"""

LISTED = f"""<html><body class="home blog">
<article id="post-7" class="post"><h2 class="entry-title"><a href="/2008/10/31/a-post/"
rel="bookmark">A post</a></h2></article>
<div id="post-9" class="post"><h2><a href="{OTHER}">Other</a></h2></div>
<div id="post-header"><h2><a href="{SITE}/about/">About</a></h2></div>
</body></html>"""


def test_a_single_post_names_its_short_link_three_ways() -> None:
    page = Page(SINGLE, POST)
    assert shortlinks(page, SITE, POST) == {f"{SITE}/?p=7": POST}
    bare = SINGLE.replace('<link rel="shortlink"', '<link rel="x"').replace('id="post-7"', "")
    assert shortlinks(Page(bare, POST), SITE, POST) == {f"{SITE}/?p=7": POST}  # body class


def test_a_listing_names_each_entrys_short_link() -> None:
    assert shortlinks(Page(LISTED, SITE + "/"), SITE + "/") == {
        f"{SITE}/?p=7": POST,
        f"{SITE}/?p=9": OTHER,
    }
    assert shortlinks(Page(f"<html><body><p>{TEXT}</p></body></html>", SITE), SITE) == {}


def test_a_page_elsewhere_on_a_blog_in_a_folder() -> None:
    blog = "http://example.com/blog"
    assert shortlinks(Page(LISTED.replace(SITE, blog), blog + "/"), blog) == {
        f"{blog}/?p=7": f"{SITE}/2008/10/31/a-post/".replace(SITE, "http://example.com"),
        f"{blog}/?p=9": OTHER.replace(SITE, blog),
    }


# -- the planner and the spider ------------------------------------------------------------


def capture(url: str, status: int, ts: str = "20090101000000") -> Capture:
    return Capture(WEB, ts, url, "text/html", status, f"d{url}{status}")


def spider_for(tmp_path: Path) -> RecoverSpider:
    crawler = get_crawler(RecoverSpider, {"EXTENSIONS": {"recover.store.RunState": 0}})
    crawler._apply_settings()
    spider = RecoverSpider.from_crawler(crawler, site=SITE, archive=WEB, out=str(tmp_path))
    spider.on_opened()  # the run's store
    spider.planner.add(
        [
            capture(POST, 200),
            capture(OTHER, 200),
            capture(f"{SITE}/?p=7", 301),  # named by POST's page: never fetched
            capture(f"{SITE}/?p=8", 301),  # named by no page: its redirect is followed
        ]
    )
    return spider


def respond(request: Request, body: str, status: int = 200, **headers: str) -> Response:
    request = request.replace(meta=request.meta)
    return HtmlResponse(
        request.url, status=status, body=body.encode(), encoding="utf-8", request=request,
        headers=headers,
    )  # fmt: skip


def test_the_planner_holds_back_addresses_held_as_redirects_only() -> None:
    planner = Planner(SITE)
    planner.add([capture(POST, 200), capture(f"{SITE}/?p=7", 301), capture(f"{SITE}/?p=8", 308)])
    first = planner.posts(set(), set(), redirects=False)
    assert [f.key for f in first.fetches] == [canonical(POST)]
    assert f"{SITE}/?p=7" in {k for k in planner.groups if planner.moved(k)}
    assert planner.shortlink(f"{SITE}/?p=7", POST) == f"{SITE}/?p=7"
    assert planner.shortlink(f"{SITE}/?p=7", f"{SITE}/2001/01/01/uncaptured/") is None
    assert planner.shortlink(POST, f"{SITE}/?p=7") is None  # a post of its own
    assert planner.shortlink("http://elsewhere.example/?p=7", POST) is None
    later = planner.posts(set(), set())
    assert sorted(f.key for f in later.fetches) == [f"{SITE}/?p=7", f"{SITE}/?p=8"]


def test_a_short_link_a_page_names_is_never_fetched(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    posts = {r.meta["fetch"].key: r for r in spider.phase_posts()}
    assert sorted(posts) == [canonical(OTHER), canonical(POST)]  # the two redirects wait
    assert list(spider.parse_capture(respond(posts[canonical(POST)], SINGLE))) == []
    other = SINGLE.replace("7", "3")  # names ?p=3, of which the archive has nothing
    assert list(spider.parse_capture(respond(posts[canonical(OTHER)], other))) == []

    (follow,) = spider.phase_redirects()  # ?p=7 is settled: only ?p=8 is fetched
    fetch: Fetch = follow.meta["fetch"]
    assert fetch.key == f"{SITE}/?p=8"
    assert list(spider.parse_capture(respond(follow, "", 301, Location=OTHER))) == []
    aliases = spider.store.aliases()
    assert aliases == {f"{SITE}/?p=7": POST, f"{SITE}/?p=8": OTHER}
    assert f"{WEB}20090101000000id_/{SITE}/?p=7" not in spider.store.tried()
    recovered = merged_posts(spider.store)
    assert sorted(p.url for p in recovered) == [OTHER, POST]
    assert missing_posts(spider.store, recovered) == []  # both addresses are accounted for


def test_a_listing_read_before_the_posts_settles_the_short_links_it_names(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    home = Fetch(capture(SITE + "/", 200), canonical(SITE + "/"), "index")
    request = Request(home.capture.replay_url, meta={"fetch": home})
    assert list(spider.parse_index_capture(respond(request, LISTED))) == []
    assert spider.store.aliases() == {f"{SITE}/?p=7": POST}  # ?p=9: no capture of it
    assert sorted(r.meta["fetch"].key for r in spider.phase_posts()) == [
        canonical(OTHER),
        canonical(POST),
    ]
    assert [r.meta["fetch"].key for r in spider.phase_redirects()] == [f"{SITE}/?p=8"]
