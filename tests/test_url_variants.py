"""Issue 14.2-14.3: a post's other URLs fold into it; a post split in pages is joined.

Variants as each engine really spells them (Blogger, WordPress, LiveJournal, Tumblr,
Hugo, Movable Type), in several languages; pages of a WordPress ``<!--nextpage-->`` post.
"""

from __future__ import annotations

import pytest

from recover.choice.capture import Capture
from recover.choice.planner import split_pages
from recover.normalize.merge import merge
from recover.post import Comment, Post, Source
from recover.urls import canonical, is_variant, kind_of, page_number, plain, slug_of

BLOGGER = "http://www.lafuite.example/2011/06/juillet-2013.html"
WP = "https://vélo.example.org/2010/01/31/première-sortie/"


@pytest.mark.parametrize(
    "post,variant",
    [
        # Blogger: comment permalinks, mobile views
        (BLOGGER, BLOGGER + "?showComment=1334592081948"),
        (BLOGGER, BLOGGER + "?showComment=1334592081948#c5676099856696455645"),
        (BLOGGER, BLOGGER + "?m=0"),
        (BLOGGER, BLOGGER + "?m=1"),
        (BLOGGER, BLOGGER + "?commentPage=2"),
        (BLOGGER, BLOGGER + "?spref=tw&utm_source=feedburner&utm_medium=feed"),
        (BLOGGER, BLOGGER.replace("http://www.", "https://") + "?amp=1"),
        # WordPress: comment links, comment pages, AMP, sharing, print views
        (WP, WP + "#comment-12"),
        (WP, WP + "?replytocom=77#respond"),
        (WP, WP + "comment-page-2/#comments"),
        (WP, WP + "?cpage=3"),
        (WP, WP + "amp/"),
        (WP, WP + "?share=facebook&nb=1".replace("&nb=1", "")),
        (WP, WP + "?share=twitter"),
        (WP, WP + "print/"),
        (WP, WP + "?print=1"),
        (WP, WP + "?utm_campaign=x&fbclid=abc&gclid=1"),
        # LiveJournal: comment threads
        ("https://ivan.livejournal.com/12345.html", "https://ivan.livejournal.com/12345.html?thread=9#t9"),
        # Tumblr and Hugo: AMP and tracking
        ("https://tumblr.example/post/123/slug", "https://tumblr.example/post/123/slug/amp"),
        ("https://hugo.example/posts/はじめに/", "https://hugo.example/posts/はじめに/?utm_source=rss"),
        # Movable Type: a comment anchor
        ("http://mt.example/archives/2004/05/mai.html", "http://mt.example/archives/2004/05/mai.html#c1234"),
    ],
)  # fmt: skip
def test_variants_fold_into_the_post(post: str, variant: str) -> None:
    assert canonical(variant) == canonical(post)
    assert not is_variant(post)
    assert slug_of(variant) == slug_of(post)
    assert page_number(variant) == 1


@pytest.mark.parametrize(
    "url,view",
    [
        (BLOGGER + "?m=1", True),  # Blogger's mobile template
        (BLOGGER + "?commentPage=2", True),
        (WP + "amp/", True),
        (WP + "print/", True),
        (WP + "?print=1", True),
        (WP + "comment-page-2/", True),
        (WP + "2/", True),  # a later page of the post
        ("https://ivan.livejournal.com/12345.html?thread=9", True),  # one comment thread
        (BLOGGER + "?showComment=1334592081948", False),  # the page itself, a comment marked
        (WP + "?replytocom=77", False),
        (WP + "?utm_source=rss&fbclid=x", False),
        (WP, False),
    ],
)
def test_other_views_are_fetched_after_the_page_itself(url: str, view: bool) -> None:
    assert is_variant(url) is view


def test_plain_keeps_the_sites_own_spelling() -> None:
    assert plain(BLOGGER + "?showComment=1#c1") == BLOGGER
    assert plain(WP + "amp/") == WP
    assert plain(WP + "comment-page-2/#comments") == WP
    assert (
        plain("https://www.x.example/2010/01/31/slug/3/")
        == "https://www.x.example/2010/01/31/slug/"
    )
    assert plain("http://x.example/?p=123&page=2&utm_source=a") == "http://x.example/?p=123"
    assert plain("http://x.example//course//2014/a.html") == "http://x.example/course/2014/a.html"


@pytest.mark.parametrize(
    "url",
    [
        "http://x.example/?m=201106",  # Blogger/WordPress month archive, not a mobile view
        "http://x.example/?p=123",
        "http://x.example/?page_id=7",
        "http://x.example/page/2/",  # the home page's second page
        "http://x.example/archives/2010/2",  # a month archive
        "http://x.example/2010/01/31/2/",  # a post whose slug is a number
    ],
)
def test_not_variants(url: str) -> None:
    assert not is_variant(url)
    assert page_number(url) == 1
    assert canonical(url) != canonical(url.rstrip("/").rsplit("/", 1)[0] + "/") or url.endswith(
        "/2/"
    )


@pytest.mark.parametrize(
    "url,n",
    [
        ("https://x.example/2010/01/31/slug/2/", 2),
        ("https://x.example/2010/01/31/slug/3", 3),
        ("https://x.example/2010/01/slug/2/", 2),
        ("https://x.example/archives/123/2", 2),
        ("https://x.example/?p=123&page=4", 4),
        ("https://x.example/2010/01/31/slug/2/amp/", 2),
        ("https://x.example/mein-beitrag/2/", 2),  # WordPress /%postname%/ permalinks
    ],
)
def test_pages_of_a_post_split_in_pages(url: str, n: int) -> None:
    assert page_number(url) == n
    assert canonical(url) == canonical(plain(url))
    assert kind_of(canonical(url)) in ("post", "page")  # the markup decides a /slug/


def _cap(url: str, ts: str) -> Capture:
    return Capture(archive="http://a/web/", timestamp=ts, original=url)


def test_each_page_of_a_post_is_fetched() -> None:
    base = "https://x.example/2010/01/31/slug/"
    queue = [
        _cap(base + "3/", "20120101000000"),
        _cap(base, "20110101000000"),
        _cap(base + "2/", "20100601000000"),
        _cap(base + "?share=twitter", "20100501000000"),
        _cap(base + "2/", "20100301000000"),
    ]
    pages = split_pages(queue)
    assert [[c.original for c in p] for p in pages] == [
        [base, base + "?share=twitter"],
        [base + "2/", base + "2/"],
        [base + "3/"],
    ]


def _page(url: str, ts: str, body: str, **kw: object) -> Post:
    src = Source(archive="a/", capture_url=f"{url}@{ts}", timestamp=ts, kind="page")
    return Post(
        url=url, title="Première sortie", content_html=body, source=src, sources=[src], **kw
    )  # type: ignore[arg-type]


def test_pages_are_joined_in_order() -> None:
    base = "https://x.example/2010/01/31/premiere-sortie/"
    c = Comment(author="Zoé", published="2010-02-01T10:00:00", content_html="<p>Bravo</p>")
    records = [
        _page(base + "3/", "20110103000000", "<p>Troisième partie.</p>", comments=[c]),
        _page(base + "2/", "20110102000000", "<p>Deuxième partie.</p>", comments=[c]),
        _page(base, "20110101000000", "<p>Première partie.</p>", comments=[c]),
        _page(base + "2/", "20100101000000", "<p>Deuxième (ancienne).</p>"),
    ]
    out = merge(records)
    assert out.content_html == (
        "<p>Première partie.</p>\n<p>Deuxième partie.</p>\n<p>Troisième partie.</p>"
    )
    assert out.url == base and not out.partial
    assert len(out.comments) == 1  # shown under every page, kept once
    assert {s.capture_url for s in out.sources} >= {
        base + "@20110101000000",
        base + "2/@20110102000000",
        base + "3/@20110103000000",
    }


def test_a_missing_page_leaves_the_post_partial() -> None:
    base = "https://x.example/?p=42"
    out = merge(
        [
            _page(base, "20110101000000", "<p>One.</p>"),
            _page(base + "&page=3", "2", "<p>Three.</p>"),
        ]
    )
    assert out.content_html == "<p>One.</p>\n<p>Three.</p>" and out.partial
    assert out.url == base


def test_comment_pages_add_no_body() -> None:
    """LiveJournal's ``?page=2`` shows the same entry with the next comments."""
    base = "https://ivan.livejournal.com/12345.html"
    one = Comment(author="petr", published="2009-01-01T10:00:00", content_html="<p>Первый</p>")
    two = Comment(author="olga", published="2009-01-02T10:00:00", content_html="<p>Второй</p>")
    out = merge(
        [
            _page(base, "1", "<p>Запись.</p>", comments=[one]),
            _page(base + "?page=2", "2", "<p>Запись.</p>", comments=[two]),
        ]
    )
    assert out.content_html == "<p>Запись.</p>" and not out.partial
    assert [c.author for c in out.comments] == ["petr", "olga"]
