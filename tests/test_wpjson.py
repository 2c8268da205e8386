"""WordPress REST ``wp/v2/posts`` answers, as an archive keeps them, to posts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recover.discovery.wpjson import is_posts_url, parse_posts

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "wpjson"
REPLAY = "https://web.archive.org/web/20120101000000id_/http://blog.example.com/wp-json/wp/v2/posts"


def test_is_posts_url() -> None:
    assert is_posts_url("http://blog.example.com/wp-json/wp/v2/posts")
    assert is_posts_url("http://blog.example.com/wp-json/wp/v2/posts?page=3&_embed")
    assert is_posts_url("http://blog.example.com/wp-json/wp/v2/posts/42")
    assert is_posts_url("http://blog.example.com/?rest_route=/wp/v2/posts&page=2")
    assert is_posts_url("http://blog.example.com/index.php?rest_route=%2Fwp%2Fv2%2Fposts")
    assert is_posts_url(REPLAY)
    assert not is_posts_url("http://blog.example.com/wp-json/wp/v2/pages")
    assert not is_posts_url("http://blog.example.com/wp-json/wp/v2/posts-archive/")
    assert not is_posts_url("http://blog.example.com/2008/10/31/hello-world/")
    assert not is_posts_url("http://[")


def test_embedded_posts() -> None:
    posts = parse_posts((FIXTURES / "posts-embed.json").read_bytes(), REPLAY)
    assert [p.url for p in posts] == [
        "http://blog.example.com/2008/10/31/hello-world/",
        "http://blog.example.com/2008/11/02/summary-only/",
        "http://blog.example.com/2008/11/03/locked/",
    ]
    full, summary, locked = posts
    assert full.title == "Hello \u201cWorld\u201d & more"
    assert full.published == "2008-10-31T14:00:00+02:00"
    assert full.updated == "2009-01-02T10:00:00+01:00"
    assert full.author == "Ann Author"
    assert full.categories == ["News", "Caf\u00e9 life"]
    assert full.tags == ["welcome"]  # "News" is a category already
    assert full.partial is False
    assert '<a href="http://blog.example.com/about/">my blog</a>' in full.content_html
    assert full.images == ["http://blog.example.com/wp-content/uploads/2008/10/pic.jpg"]
    assert full.slug == "hello-world" and full.engine == "wordpress"

    assert summary.partial is True
    assert "Only the first lines survive" in summary.content_html
    assert summary.published == "2008-11-02T09:30:00-05:00"
    assert summary.categories == [] and summary.tags == []  # ids only: no names

    assert locked.partial is True and locked.content_html == ""
    assert locked.published == "2008-11-03T09:30:00"  # no GMT time: no offset


def test_rest_route_with_php_notice_and_bom() -> None:
    url = "http://blog.example.com/?rest_route=/wp/v2/posts&page=2"
    (post,) = parse_posts((FIXTURES / "rest-route-page2.json").read_bytes(), url)
    assert post.url == "http://blog.example.com/?p=50"
    assert post.published == "2010-05-05T05:05:05+00:00"
    assert post.content_html == "<p>Second page.</p>"
    assert post.partial is False
    assert post.slug == "page-two-post"


def test_single_post_and_relative_link() -> None:
    one = {
        "id": 9,
        "link": "/2011/01/01/one/",
        "title": {"rendered": "One"},
        "content": {"rendered": "<p>x</p>"},
        "date_gmt": "2011-01-01T00:00:00",
    }
    (post,) = parse_posts(json.dumps(one).encode(), REPLAY + "/9")
    assert post.url == "http://blog.example.com/2011/01/01/one/"
    no_link = {"id": 10, "title": {"rendered": "Ten"}, "content": {"rendered": "<p>y</p>"}}
    (post,) = parse_posts(
        json.dumps(no_link).encode(), "http://blog.example.com/wp-json/wp/v2/posts"
    )
    assert post.url == "http://blog.example.com/?p=10"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Not Found</body></html>",
        b'{"code":"rest_no_route","message":"No route was found","data":{"status":404}}',
        b'{"code":"rest_disabled"}',
        b'[1, 2, null, "x", []]',
        b'[{"link": 5, "title": [], "content": "nope", "date": {}}]',
        b'[{"title": {"rendered": "t"}, "date": "not a date", "date_gmt": 7}]',
        b"\xff\xfe\x00garbage{[",
        b"[" * 5000,
    ],
)
def test_garbage(body: bytes) -> None:
    for post in parse_posts(body, "http://blog.example.com/wp-json/wp/v2/posts"):
        assert post.url.startswith("http")
