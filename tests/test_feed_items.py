"""Issue 14.4-14.5: which feed items are posts, and which only carry a summary.

Feeds as their engines write them: a Japanese Hugo feed that also lists stray files
(``/post/vendor/bundle/...``, untitled), a German Hugo feed of 70-word summaries, a French
WordPress excerpt feed ("[…]", a "Lire la suite" link), a French Blogger summary feed.
Then the merge: a feed's items are judged summaries or whole bodies by the posts that also
have a page.
"""

from __future__ import annotations

from pathlib import Path

from recover.extract.feed import parse_feed
from recover.normalize.merge import feed_verdicts, merged_posts
from recover.post import Post, Source
from recover.store import Store

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def feed(name: str, url: str) -> list[Post]:
    return parse_feed((FEEDS / name).read_bytes(), url)


def test_only_items_that_look_like_posts() -> None:
    posts = feed("hugo_ja_junk_2019.xml", "https://blog.example.jp/index.xml")
    assert [p.url.removeprefix("https://blog.example.jp") for p in posts] == [
        "/post/2019/03/kyoto-server/",
        "/post/2019/02/untitled-note/",  # untitled, but a body and the blog's permalink shape
        "/post/2019/01/nara/",
    ]
    assert posts[0].title == "京都で自宅サーバー" and posts[1].title is None


def test_untitled_feeds_keep_their_items() -> None:
    """A feed whose posts have no titles at all (Tumblr, a microblog) is not judged by shape."""
    xml = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><link>https://m.example.com/post/1/a</link><description>Coffee.</description></item>
    <item><link>https://m.example.com/2019/x</link><description>Tea.</description></item>
    </channel></rss>"""
    assert len(parse_feed(xml, "https://m.example.com/rss")) == 2


def test_summaries_are_partial() -> None:
    (hugo,) = feed("hugo_de_summary_2020.xml", "https://rad.example.de/index.xml")
    assert hugo.partial and len(hugo.content_html) > 600  # 78 words, no cut mark
    excerpt, teaser = feed("wordpress_fr_excerpt_2011.xml", "http://cuisine.example.fr/feed/")
    assert excerpt.partial  # "[…]"
    assert teaser.partial  # a "Lire la suite" more-link, long text
    (blogger,) = feed("blogger_fr_summary_2012.xml", "http://www.fuite.example/feeds/posts/summary")
    assert blogger.partial and blogger.title == "300 jours et ça continue"


def test_whole_bodies_are_not_partial() -> None:
    xml = b"""<?xml version="1.0"?><rss version="2.0"
    xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
    <item><title>Short</title><link>http://k.example.org/2007/11/02/short/</link>
    <description>Two lines [...]</description>
    <content:encoded><![CDATA[<p>Two lines, the whole post.</p>]]></content:encoded></item>
    </channel></rss>"""
    (post,) = parse_feed(xml, "http://k.example.org/feed/")
    assert not post.partial


FEED_URL = "http://www.fuite.example/feeds/posts/default"


def _records(n: int, page_words: int, feed_words: int, with_page: bool) -> list[Post]:
    url = f"http://www.fuite.example/2012/0{n}/post-{n}.html"
    body = " ".join(f"mot{i}" for i in range(page_words))
    fsrc = Source(archive="a/", capture_url=f"f{n}", timestamp="2", kind="feed", original=FEED_URL)
    item = " ".join(f"mot{i}" for i in range(feed_words))
    out = [Post(url=url, title=f"T{n}", content_html=f"<p>{item}</p>", source=fsrc)]
    if with_page:
        psrc = Source(archive="a/", capture_url=f"p{n}", timestamp="1", kind="page", original=url)
        out.append(Post(url=url, title=f"T{n}", content_html=f"<p>{body}</p>", source=psrc))
    return out


def test_feed_verdicts_from_posts_that_have_a_page() -> None:
    summary = [_records(n, 300, 70, True) for n in range(1, 4)]
    assert feed_verdicts(summary) == {"fuite.example/feeds/posts/default": False}
    whole = [_records(n, 300, 300, True) for n in range(1, 4)]
    assert feed_verdicts(whole) == {"fuite.example/feeds/posts/default": True}
    assert feed_verdicts([_records(1, 300, 300, False)]) == {}  # nothing to compare with


def test_feed_only_posts_follow_their_feeds_verdict(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    for n in range(1, 4):  # a summary feed: its items hold a quarter of their pages
        for r in _records(n, 300, 70, True):
            store.add_post(r)
    (lonely,) = _records(4, 0, 250, False)  # long, full-looking, but from that feed
    store.add_post(lonely)
    out = {p.title: p.partial for p in merged_posts(store)}
    assert out == {"T1": False, "T2": False, "T3": False, "T4": True}
    store.close()


def test_whole_feed_clears_a_short_posts_flag(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    for n in range(1, 4):
        for r in _records(n, 300, 300, True):
            store.add_post(r)
    (short,) = _records(5, 0, 12, False)
    short.partial = True  # a short plain item looks like a summary on its own
    store.add_post(short)
    assert {p.title: p.partial for p in merged_posts(store)}["T5"] is False
    store.close()
