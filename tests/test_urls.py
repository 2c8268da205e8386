"""recover.urls: replay URLs undone, one identity per post, what a URL holds, slugs."""

from __future__ import annotations

import pytest

from recover.urls import (
    absolute,
    canonical,
    capture_timestamp,
    host_of,
    is_replay,
    kind_of,
    original_url,
    path_of,
    slug_of,
)

SITE = "http://blog.example.com"
PAGE = SITE + "/2008/10/31/halloween/"


@pytest.mark.parametrize(
    "url,want,stamp",
    [
        (f"/web/20081031120000id_/{PAGE}", PAGE, "20081031120000"),
        (f"https://web.archive.org/web/20081031120000/{PAGE}", PAGE, "20081031120000"),
        (f"https://web.archive.org/web/20081031120000im_/{SITE}/a.jpg", SITE + "/a.jpg", None),
        (f"https://web.archive.org/web/2008id_/{SITE}/a.jpg", SITE + "/a.jpg", "2008"),
        (f"//web.archive.org/web/2008/{SITE}/a", SITE + "/a", "2008"),
        ("https://web.archive.org/web/20081031120000/http:/blog.example.com/x", SITE + "/x", None),
        (
            "https://web.archive.org/web/20081031120000/HTTPS://blog.example.com/x",
            "https://blog.example.com/x",
            None,
        ),
        ("/web/20081031120000/blog.example.com/x", SITE + "/x", None),
        ("/web/2008/www.example.com", "http://www.example.com", "2008"),
        ("/web/20081031120000/127.0.0.1:8080/x", "http://127.0.0.1:8080/x", None),
        (
            "http://localhost:8080/coll/20081031120000/https://blog.example.com/x",
            "https://blog.example.com/x",
            None,
        ),
        ("http://localhost:8080/my-web/2008/http://blog.example.com/", SITE + "/", "2008"),
        (f"https://wayback.archive-it.org/1234/20081031120000/{PAGE}", PAGE, None),
        (f"https://web.archive.org/web/*/{PAGE}", PAGE, None),
        # site URLs, date paths included, are left alone
        (PAGE, PAGE, None),
        (SITE + "/2010/09/24/x.html", SITE + "/2010/09/24/x.html", None),
        (SITE + "/jekyll/2010/09/24/x.html", SITE + "/jekyll/2010/09/24/x.html", None),
        (SITE + "/20100924/x.html", SITE + "/20100924/x.html", None),
        (SITE + "/post/23456789/slug", SITE + "/post/23456789/slug", None),
        (SITE + "/archives/2008/10/", SITE + "/archives/2008/10/", None),
        ("", "", None),
    ],
)
def test_original_url(url, want, stamp):
    assert original_url(url) == want
    if stamp:
        assert capture_timestamp(url) == stamp


def test_replay_and_timestamp():
    assert capture_timestamp(f"/web/20081031120000id_/{PAGE}") == "20081031120000"
    assert capture_timestamp(PAGE) is None
    assert capture_timestamp(f"https://web.archive.org/web/*/{PAGE}") is None
    assert is_replay(f"/web/20081031120000/{PAGE}")
    assert not is_replay(PAGE)
    assert not is_replay(SITE + "/2010/09/24/x.html")


def test_site_relative_replay_needs_a_base():
    url = "/web/20081031120000/x.html"
    assert is_replay(url)
    assert original_url(url) == url  # no site to resolve against
    assert original_url(url, PAGE) == SITE + "/x.html"
    assert original_url("https://web.archive.org/web/20081031120000id_/about/", PAGE) == (
        SITE + "/about/"
    )


@pytest.mark.parametrize(
    "url,base,want",
    [
        ("/web/20081031120000/x", PAGE, SITE + "/x"),
        ("../../29/x.html", PAGE, SITE + "/2008/10/29/x.html"),
        ("x.jpg", f"https://web.archive.org/web/20081031120000/{PAGE}", PAGE + "x.jpg"),
        ("/2008/10/30/older/", PAGE, SITE + "/2008/10/30/older/"),
        ("#comments", PAGE, "#comments"),
        ("mailto:me@example.com", PAGE, "mailto:me@example.com"),
        ("data:image/png;base64,AAA", PAGE, "data:image/png;base64,AAA"),
        ("  http://other.example.org/a ", PAGE, "http://other.example.org/a"),
        ("", PAGE, ""),
    ],
)
def test_absolute(url, base, want):
    assert absolute(url, base) == want


POSTS = [
    "/2008/10/31/slug/",  # WordPress
    "/index.php/2008/10/31/slug/",  # WordPress PATHINFO
    "/?p=123",  # WordPress default
    "/archives/000123.html",  # Movable Type
    "/archives/2008/10/slug.html",  # Movable Type 4
    "/2008/10/slug.html",  # Blogger
    "/12345.html",  # LiveJournal
    "/post/123/slug",  # Tumblr
    "/post/123",
    "/cat/2010/09/24/x.html",  # Jekyll
    "/2010/09/24/x.html",
    "/posts/slug/",  # Hugo
    "/blog/slug.html",
]


@pytest.mark.parametrize("path", POSTS)
def test_kind_post(path):
    assert kind_of(SITE + path) == "post"
    assert kind_of(f"https://web.archive.org/web/20081031120000id_/{SITE}{path}") == "post"


@pytest.mark.parametrize(
    "path,kind",
    [
        ("/slug/", "page"),  # Ghost: the markup decides
        ("/about/", "page"),
        ("/p/about.html", "page"),  # Blogger static page
        ("/?page_id=2", "page"),
        ("/", "index"),
        ("", "index"),
        ("/page/2/", "index"),
        ("/?paged=3", "index"),
        ("/search?updated-max=2008-10-31T12:00:00-07:00&max-results=7", "index"),
        ("/?skip=20", "index"),  # LiveJournal
        ("/posts/", "index"),  # Hugo list
        ("/posts/page/2/", "index"),
        ("/category/baking/", "index"),
        ("/category/baking/page/2/", "index"),
        ("/?cat=3", "index"),
        ("/tag/bread/", "index"),
        ("/tagged/origami", "index"),  # Tumblr
        ("/tags/matrix/", "index"),  # Hugo
        ("/search/label/frogs", "index"),  # Blogger
        ("/archives/cat_espresso.html", "index"),  # Movable Type
        ("/2008/", "index"),
        ("/2008/10/", "index"),
        ("/2008/10/31/", "index"),
        ("/archives/2008/10/", "index"),
        ("/blog/2008/10/", "index"),
        ("/?m=200810", "index"),  # WordPress date archive
        ("/2008_10_01_archive.html", "index"),  # Blogger
        ("/archives/2008_10.html", "index"),  # Movable Type
        ("/archive", "index"),  # Tumblr
        ("/feed/", "feed"),
        ("/feed/atom/", "feed"),
        ("/comments/feed/", "feed"),
        ("/2008/10/31/slug/feed/", "feed"),  # one post's comments
        ("/?feed=rss2", "feed"),
        ("/feeds/posts/default", "feed"),
        ("/feeds/posts/default?start-index=26&max-results=25", "feed"),
        ("/feeds/comments/default", "feed"),
        ("/feeds/1234/comments/default", "feed"),
        ("/wp-json/wp/v2/posts", "feed"),
        ("/wp-json/wp/v2/posts?page=2", "feed"),
        ("/atom.xml", "feed"),
        ("/index.rdf", "feed"),
        ("/index.xml", "feed"),  # Hugo
        ("/rss", "feed"),  # Tumblr, Ghost
        ("/data/rss", "feed"),  # LiveJournal
        ("/sitemap.xml", "sitemap"),
        ("/sitemap_index.xml", "sitemap"),
        ("/wp-sitemap-posts-post-1.xml", "sitemap"),
        ("/post-sitemap.xml", "sitemap"),
        ("/sitemap.xml.gz", "sitemap"),
        ("/wp-content/uploads/2008/10/a.jpg", "asset"),
        ("/style.css", "asset"),
        ("/files/paper.pdf", "asset"),
        ("/wp-login.php", "skip"),
        ("/wp-admin/", "skip"),
        ("/xmlrpc.php", "skip"),
        ("/2008/10/31/slug/trackback/", "skip"),
        ("/2008/10/31/slug/attachment/pic/", "skip"),
    ],
)
def test_kind_of(path, kind):
    assert kind_of(SITE + path) == kind


def test_kind_of_mobile_and_replies_stay_posts():
    assert kind_of(SITE + "/2008/10/slug.html?m=1") == "post"
    assert kind_of(SITE + "/?p=123&replytocom=45") == "post"
    assert kind_of(SITE + "/2008/10/31/slug/?m=0") == "post"


@pytest.mark.parametrize(
    "variant",
    [
        "http://blog.example.com/2008/10/31/slug/",
        "http://blog.example.com/2008/10/31/slug",
        "https://blog.example.com/2008/10/31/slug/",
        "http://www.blog.example.com/2008/10/31/slug/",
        "http://BLOG.example.com/2008/10/31/slug/",
        "http://blog.example.com/2008/10/31/slug/index.html",
        "http://blog.example.com/2008/10/31/slug/index.php",
        "http://blog.example.com/2008/10/31/slug/?m=1",
        "http://blog.example.com/2008/10/31/slug/amp/",
        "http://blog.example.com/2008/10/31/slug/?amp=1",
        "http://blog.example.com/2008/10/31/slug/feed/",
        "http://blog.example.com/2008/10/31/slug/feed/atom/",
        "http://blog.example.com/2008/10/31/slug/comment-page-2/",
        "http://blog.example.com/2008/10/31/slug/comment-page-2/#comments",
        "http://blog.example.com/2008/10/31/slug/trackback/",
        "http://blog.example.com/2008/10/31/slug/?utm_source=feed&utm_medium=rss",
        "http://blog.example.com/2008/10/31/slug/?fbclid=abc",
        "http://blog.example.com/2008/10/31/slug/#comment-12",
        "http://blog.example.com//2008/10/31/slug/",
        "https://web.archive.org/web/20081031120000id_/http://blog.example.com/2008/10/31/slug/",
        "/web/20081031120000/https://www.blog.example.com/2008/10/31/slug/amp/",
    ],
)
def test_canonical_folds(variant):
    assert canonical(variant) == "http://blog.example.com/2008/10/31/slug"


def test_canonical_keeps_what_names_a_page():
    assert canonical(SITE + "/?p=123&utm_campaign=x&replytocom=4") == SITE + "/?p=123"
    assert canonical(SITE + "/?p=12") != canonical(SITE + "/?p=123")
    assert canonical(SITE + "/?m=200810") == SITE + "/?m=200810"  # a date archive, not mobile
    assert canonical(SITE + "/2008/10/slug.html?m=1") == SITE + "/2008/10/slug.html"
    assert canonical(SITE + "/Slug/") != canonical(SITE + "/slug/")  # paths are case-sensitive
    assert canonical(SITE + "/caf%C3%A9/") == canonical(SITE + "/café")
    assert canonical(SITE) == SITE + "/"
    assert canonical(SITE + "/index.html") == SITE + "/"
    key = canonical("https://www.blog.example.com/a/?b=2&a=1#x")
    assert key == SITE + "/a?a=1&b=2" and canonical(key) == key


@pytest.mark.parametrize(
    "url,slug",
    [
        (SITE + "/2008/10/31/slug/", "slug"),
        (SITE + "/?p=123", "p-123"),
        (SITE + "/archives/000123.html", "000123"),
        (SITE + "/2008/10/slug.html", "slug"),
        (SITE + "/12345.html", "12345"),
        (SITE + "/post/123/folding-a-crane", "folding-a-crane"),
        (SITE + "/cat/2010/09/24/x.html", "x"),
        (SITE + "/posts/matrix-on-a-pi/", "matrix-on-a-pi"),
        (SITE + "/shipping-on-fridays/", "shipping-on-fridays"),
        (SITE + "/2008/10/31/slug/amp/", "slug"),
        (SITE + "/2008/10/31/slug/feed/", "slug"),
        (SITE + "/2008/10/31/slug/comment-page-2/", "slug"),
        (SITE + "/2008/10/31/slug/index.html", "slug"),
        (SITE + "/2008/10/31/Caf%C3%A9 Crème/", "café-crème"),
        (f"https://web.archive.org/web/20081031120000/{SITE}/2008/10/31/slug/", "slug"),
        (SITE + "/", "post"),
    ],
)
def test_slug_of(url, slug):
    assert slug_of(url) == slug


def test_query_host_keeps_a_port():
    from recover.urls import query_host

    assert query_host("http://127.0.0.1:18510/") == "127.0.0.1:18510"
    assert query_host("https://www.Blog.example.com:443/x") == "blog.example.com"
    assert query_host("http://blog.example.com:80/") == "blog.example.com"
    assert query_host("blog.example.com:8080") == "blog.example.com:8080"


def test_host_and_path():
    assert host_of("https://WWW.Blog.Example.com:8080/x") == "blog.example.com"
    assert host_of("blog.example.com/x") == "blog.example.com"
    assert path_of(f"/web/20081031120000/{SITE}/?p=1") == "/?p=1"
    assert path_of(SITE) == "/"


@pytest.mark.parametrize("url", ["http://[", "//[x", "http://blog.example.com/\udcff/", " "])
def test_never_raises(url):
    for fn in (original_url, capture_timestamp, host_of, kind_of, slug_of, path_of, canonical):
        fn(url)
    absolute(url, PAGE)
