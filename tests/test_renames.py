"""Posts renamed or moved after the archive's fuller records of them were taken.

A static blog's post re-dated after it went out moves (``/2014/12/01/exam-1.html`` becomes
``/2014/12/02/exam-1.html``) and nothing redirects; its title may change with it.  The feed
captured before the change holds the whole post under the old address and title; the
pages captured after it link to the new address under the new title in their menus.  The
post comes back once, at its new address, under its new title and date, with the feed's
body.  A post only menus name is known by its title and reported missing, never emitted.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response, XmlResponse
from scrapy.utils.test import get_crawler

from recover.choice.capture import Capture
from recover.choice.planner import Fetch, group_key
from recover.choice.renames import LinkNames, date_moves
from recover.extract.index import named_links
from recover.extract.page import Page
from recover.normalize.merge import merge, merged_posts
from recover.pipelines import missing_posts
from recover.post import Post, Source
from recover.spiders.recover import RecoverSpider
from recover.urls import canonical

SITE = "http://prof.example.edu"
WEB = "http://archive.test/web/"
OLD = f"{SITE}/forum/2014/12/01/exam-1.html"
NEW = f"{SITE}/forum/2014/12/02/exam-1.html"
GONE = f"{SITE}/forum/2014/12/02/exam-4.html"
FEED = f"{SITE}/feed.xml"
TEXT = "Review problems for the first exam, with worked answers and hints. "


def page(title: str, aside: str = "") -> str:
    """A post page whose menu names the re-dated post and one never captured."""
    return f"""<html><head><title>{title}</title></head><body>
<div id="navbar"><ul class="nav"><li class="dropdown"><ul class="dropdown-menu">
<li><a href="/forum/2014/12/02/exam-1.html">Review Exam (1|4)</a></li>
<li><a href="/forum/2014/12/02/exam-4.html">Review Exam (4|4)</a></li></ul></li></ul></div>
<article><h1 class="post-title">{title}</h1><time datetime="2014-11-20">Nov 20, 2014</time>
<div class="post-content"><p>{TEXT * 8}</p>{aside}</div></article></body></html>"""


RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Prof</title>
<link>{SITE}/</link><item><title>Exam 1</title><link>{OLD}</link>
<pubDate>Mon, 01 Dec 2014 00:00:00 -0500</pubDate>
<description>&lt;p&gt;{TEXT * 6}&lt;/p&gt;</description></item></channel></rss>"""


def capture(url: str, ts: str, status: int = 200) -> Capture:
    return Capture(WEB, ts, url, "text/html", status, f"d{url}{ts}")


def respond(request: Request, body: str) -> Response:
    cls = XmlResponse if body.startswith("<?xml") else HtmlResponse
    return cls(request.url, body=body.encode(), encoding="utf-8", request=request)


def test_a_menu_names_the_posts_it_links_with_their_titles() -> None:
    body_link = '<p>As <a href="/forum/2014/12/02/exam-4.html">I said</a>.</p>'
    more = '<a href="/forum/2014/12/02/exam-1.html">Read more</a>'
    card = f'<a href="/forum/2014/12/02/exam-4.html"><h3>Exam</h3><p>{TEXT * 3}</p></a>'
    html = page("Post A", body_link + more + card + '<a href="/x/other.html">Other</a>')
    keys = {canonical(NEW), canonical(GONE)}
    found = named_links(Page(html, f"{SITE}/post/a.html"), keys, LinkNames(keys).tails)
    assert found == {
        canonical(NEW): (NEW, "Review Exam (1|4)"),  # not "Read more"
        canonical(GONE): (GONE, "Review Exam (4|4)"),  # the longest: the card is too long
    }
    bare = (
        f"<html><body><p>{TEXT}</p>{more}{card}<a href='{NEW}'><img src='x.png'></a></body></html>"
    )
    assert named_links(Page(bare, f"{SITE}/post/b.html"), keys, LinkNames(keys).tails) == {}


def test_a_name_two_pages_give_is_kept_the_name_of_one_page_is_not() -> None:
    names = LinkNames([canonical(NEW), canonical(GONE)])
    for ts, text in (("20141205000000", "Exam (1|4)"), ("20141206000000", "Exam (1|4)")):
        names.note({canonical(NEW): (NEW, text)}, Source(WEB, f"{WEB}{ts}/a", ts))
    names.note({canonical(NEW): (NEW, "the first exam")}, Source(WEB, f"{WEB}x/b", "20141207"))
    names.note({canonical(GONE): (GONE, "I said")}, Source(WEB, f"{WEB}x/c", "20141207"))
    (record,) = names.records()
    assert (record.url, record.title, record.partial) == (NEW, "Exam (1|4)", True)
    assert record.source is not None and record.source.kind == "index"


def test_two_dates_of_one_address_never_seen_together_are_one_post() -> None:
    assert date_moves({canonical(OLD): ["20141201"], canonical(NEW): ["20141205"]}) == {
        canonical(OLD): canonical(NEW)
    }
    both = {canonical(OLD): ["20141201", "20141210"], canonical(NEW): ["20141205"]}
    assert date_moves(both) == {}  # seen at the same time: two posts
    apart = {canonical(OLD): ["20141201"], canonical(NEW): ["20141205"]}
    assert date_moves(apart, {canonical(OLD), canonical(NEW)}) == {}  # a page each: two posts
    assert date_moves(apart, {canonical(OLD)}) == {canonical(OLD): canonical(NEW)}
    far = {canonical(OLD): ["20141201"], f"{SITE}/forum/2014/12/09/exam-1.html": ["20141210"]}
    assert date_moves(far) == {}  # a week apart: a series' posts, not a move
    three = {
        canonical(OLD): ["1"],
        canonical(NEW): ["2"],
        f"{SITE}/forum/2014/12/03/exam-1.html": ["3"],
    }
    assert date_moves(three) == {}
    undated = {f"{SITE}/a/exam-1.html": ["1"], f"{SITE}/b/exam-1.html": ["2"]}
    assert date_moves(undated) == {}
    months = {f"{SITE}/2011/06/x.html": ["1"], f"{SITE}/2011/07/x.html": ["2"]}
    assert date_moves(months) == {}  # Blogger's month addresses: a month apart


def record(url: str, title: str, ts: str, *, kind: str = "page", **more: object) -> Post:
    source = Source(WEB, f"{WEB}{ts}/{url}", ts, kind)
    return Post(url=url, title=title, source=source, sources=[source], **more)  # type: ignore[arg-type]


def test_a_renamed_posts_newer_title_at_its_address_wins() -> None:
    old, new = f"{SITE}/2010/05/04/old-name/", f"{SITE}/2010/05/04/new-name/"
    page_then = record(old, "Old name", "20100510", content_html=f"<p>{TEXT}</p>",
                       published="2010-05-04T10:00:00")  # fmt: skip
    listed_later = record(new, "New name", "20100901", kind="index", partial=True)
    post = merge([page_then, listed_later], canonical(new))
    assert (post.url, post.title, post.published) == (new, "New name", "2010-05-04T10:00:00")
    cut = record(new, "Old na…", "20100901", kind="index", partial=True)
    assert merge([page_then, cut], canonical(new)).title == "Old name"  # a widget shortened it
    listed_before = record(new, "Draft name", "20100501", kind="index", partial=True)
    post = merge([page_then, listed_before], canonical(new))
    assert post.title == "Old name"  # what the address showed before is no newer


def spider_for(tmp_path: Path) -> RecoverSpider:
    crawler = get_crawler(RecoverSpider, {"EXTENSIONS": {"recover.store.RunState": 0}})
    crawler._apply_settings()
    spider = RecoverSpider.from_crawler(crawler, site=SITE, archive=WEB, out=str(tmp_path))
    spider.on_opened()  # the run's store
    return spider


def test_a_re_dated_post_comes_back_once_at_its_new_address(tmp_path: Path) -> None:
    spider = spider_for(tmp_path)
    a, b = f"{SITE}/post/2014/11/20/a.html", f"{SITE}/post/2014/11/21/b.html"
    spider.planner.add([capture(a, "20141205000000"), capture(b, "20141206000000")])
    feed = Fetch(capture(FEED, "20141201225212"), group_key(FEED), "feed")
    feed_request = Request(feed.capture.replay_url, meta={"fetch": feed})
    assert list(spider.parse_feed_capture(respond(feed_request, RSS))) == []
    for url in (NEW, GONE):  # a sitemap of later named both
        spider.store.add_known(url, "sitemap")
    requests = list(spider.phase_posts())
    assert sorted(r.meta["fetch"].key for r in requests) == sorted([canonical(a), canonical(b)])
    for request, title in zip(requests, ("Post A", "Post B"), strict=True):
        assert list(spider.parse_capture(respond(request, page(title)))) == []
    spider.settle_renames()

    assert spider.store.aliases() == {canonical(OLD): canonical(NEW)}
    posts = {p.url: p for p in merged_posts(spider.store)}
    assert sorted(posts) == sorted([a, b, NEW])  # the old address is not a post of its own
    moved = posts[NEW]
    assert (moved.title, moved.published, moved.partial) == (
        "Review Exam (1|4)",
        "2014-12-02",
        False,
    )
    assert TEXT.strip() in moved.content_html  # the feed's body
    (gone,) = missing_posts(spider.store, list(posts.values()))
    assert gone["url"] == GONE and "link" in gone["known_from"]
    assert gone["title"] == "Review Exam (4|4)"  # the report names what is still missing
