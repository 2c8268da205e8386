"""One post's comment feed is read after the posts, and only where it can add a comment.

Heritrix follows every ``<link rel="alternate">``, so archives hold a comment feed beside
most WordPress and Blogger posts.  Comments only accumulate: a feed captured before a page
of its post that shows comments holds none that page lacks, so only its newer captures
are read (and every capture where no page showed any: comments a script draws, a post
with no good page).
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from recover.choice.capture import Capture
from recover.choice.planner import Planner
from recover.spiders.recover import RecoverSpider
from recover.urls import canonical

SITE = "http://blog.example.com"
WEB = "http://archive.test/web/"
POST = f"{SITE}/2008/10/31/a-post/"
FEED = f"{POST}feed/"  # WordPress: the post's comment feed
BLOGGER = f"{SITE}/feeds/1234567890/comments/default"
SITE_COMMENTS = f"{SITE}/comments/feed/"  # every post's: read with the other feeds
TEXT = "The sentence a real post has, with enough words to be a body. "


def capture(url: str, ts: str, kind: str = "text/html") -> Capture:
    return Capture(WEB, ts.ljust(14, "0"), url, kind, 200, f"d{url}{ts}")


def page(comments: int) -> str:
    items = "".join(
        f'<li class="comment" id="comment-{n}"><div class="comment-author vcard">'
        f'<cite class="fn">Reader {n}</cite></div><div class="comment-meta">'
        f'<a href="#comment-{n}">October {n}, 2008 at 10:00 am</a></div>'
        f"<p>Comment number {n} on the post, in words of its own.</p></li>"
        for n in range(1, comments + 1)
    )
    return f"""<html><head><title>A post</title>
<link rel="alternate" type="application/rss+xml" title="Comments" href="{SITE_COMMENTS}">
<link rel="alternate" type="application/rss+xml" title="A post Comments" href="feed/">
</head><body class="single"><article class="post hentry">
<h1 class="entry-title">A post</h1><time class="published" datetime="2008-10-31T10:00:00">
Oct 31</time><div class="entry-content"><p>{TEXT * 10}</p></div></article>
<ol class="commentlist">{items}</ol></body></html>"""


def test_the_planner_reads_a_posts_comment_feed_apart_and_only_where_it_adds() -> None:
    planner = Planner(SITE)
    feeds = [capture(FEED, "2008"), capture(FEED, "2010"), capture(SITE_COMMENTS, "2009")]
    planner.add([capture(POST, "2009"), *feeds, capture(BLOGGER, "2009", "application/atom+xml")])
    assert [f.capture.original for f in planner.feeds(set(), comments=False)] == [SITE_COMMENTS]
    planner.showed_comments(POST, "20090000000000")  # not a comment feed: no effect
    planner.showed_comments(FEED, "20090000000000")  # a page of 2009 showed the comments
    later = planner.feeds(set(), comments=True)
    assert sorted((f.capture.original, f.capture.timestamp[:4]) for f in later) == [
        (FEED, "2010"),  # the 2008 capture is older than a page that showed its comments
        (BLOGGER, "2009"),
    ]


def spider_for(tmp_path: Path) -> RecoverSpider:
    crawler = get_crawler(RecoverSpider, {"EXTENSIONS": {"recover.store.RunState": 0}})
    crawler._apply_settings()
    spider = RecoverSpider.from_crawler(crawler, site=SITE, archive=WEB, out=str(tmp_path))
    spider.on_opened()
    spider.planner.add([capture(POST, "2009"), capture(FEED, "2008"), capture(FEED, "2010")])
    return spider


def respond(request: Request, body: str) -> Response:
    return HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


def comment_feeds_after_reading(tmp_path: Path, html: str) -> list[str]:
    spider = spider_for(tmp_path)
    assert list(spider.phase_feeds()) == []  # the post's comment feed waits
    (post,) = spider.phase_posts()
    assert list(spider.parse_capture(respond(post, html))) == []
    assert canonical(POST) in spider.store.settled_keys()
    return [r.meta["fetch"].capture.timestamp[:4] for r in spider.phase_comment_feeds()]


def test_a_comment_feed_older_than_a_page_with_comments_is_not_read(tmp_path: Path) -> None:
    assert comment_feeds_after_reading(tmp_path, page(comments=2)) == ["2010"]


def test_a_page_without_comments_leaves_every_capture_of_its_feed_to_read(tmp_path) -> None:
    """Comments a script draws (Disqus) are in the feed and on no page."""
    assert comment_feeds_after_reading(tmp_path, page(comments=0)) == ["2010", "2008"]
