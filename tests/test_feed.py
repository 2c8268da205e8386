"""Feeds: RSS 2.0 (full and summary), Atom (Blogger), RDF (MT), comment feeds, garbage."""

from __future__ import annotations

from pathlib import Path

import pytest

from recover.extract.feed import parse_comment_feed, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "engines" / "feeds"


def load(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_wordpress_content_encoded_is_full():
    [post] = parse_feed(load("wordpress_rss2_full.xml"), "http://kitchen.example.org/feed/")
    assert post.url == "http://kitchen.example.org/2007/11/02/sourdough-week-three/"
    assert post.title == "Sourdough, week three"
    assert post.published == "2007-11-02T21:15:00-07:00"
    assert post.author == "Jo"
    assert post.categories == ["Baking", "rye"]  # RSS does not tell categories from tags
    assert post.partial is False
    assert "<blockquote><p>Feed it twice a day, said the baker.</p></blockquote>" in (
        post.content_html
    )
    assert post.images == ["http://kitchen.example.org/wp-content/uploads/2007/11/loaf.jpg"]
    assert post.slug == "sourdough-week-three"


def test_wordpress_description_only_is_partial():
    [post] = parse_feed(load("wordpress_rss2_summary.xml"), "http://travel.example.net/feed/")
    assert post.partial is True
    assert post.title == "Lisbon by tram"
    assert post.published == "2013-05-14T08:05:33+00:00"
    assert post.author == "Maria"
    assert post.categories == ["Portugal"]
    assert post.content_html.startswith("Tram 28 climbs through Graça and Alfama.")


def test_blogger_atom_from_wayback():
    [post] = parse_feed(
        load("blogger_atom.xml"),
        "https://web.archive.org/web/20100701000000/http://fieldrec.blogspot.com/feeds/posts/default",
    )
    assert post.url == "http://fieldrec.blogspot.com/2010/06/recording-frogs-with-zoom-h2.html"
    assert post.title == "Recording frogs with a Zoom H2"
    assert post.published == "2010-06-08T21:14:00+01:00"
    assert post.updated == "2010-06-08T21:20:00+01:00"
    assert post.author == "Dev Patel"
    assert post.categories == ["frogs", "gear"]
    assert post.tags == []
    assert post.content_html == "<p>Set the gain to <b>low</b> and wait.</p>"
    assert post.partial is False


def test_rdf_latin1():
    [post] = parse_feed(load("movabletype_rdf.xml"), "http://cafe.example.com/index.rdf")
    assert post.url == "http://cafe.example.com/archives/000044.html"
    assert post.title == "Why the crema forms"
    assert post.published == "2004-05-06T22:10:05+01:00"
    assert post.author == "Adèle"
    assert post.categories == ["Espresso"]
    assert "naïve" in post.content_html
    assert post.partial is True  # MT's excerpt ends with "..."


def test_wordpress_comment_feed():
    found = parse_comment_feed(
        load("wordpress_comments.xml"), "http://kitchen.example.org/comments/feed/"
    )
    key = "http://kitchen.example.org/2007/11/02/sourdough-week-three/"
    assert set(found) == {key, "http://kitchen.example.org/2007/10/28/starter/"}
    assert [(c.author, c.published, c.content_html, c.id) for c in found[key]] == [
        ("Anna", "2007-11-03T15:01:00+00:00", "<p>Try a little rye in the feed.</p>", "comment-7"),
        ("Bob", "2007-11-05T05:30:00+00:00", "<p>Looks great!</p>", "comment-8"),
    ]


@pytest.mark.parametrize("name", ["liquid_template.xml", "liquid_no_frontmatter.xml"])
def test_unrendered_template_gives_nothing(name):
    assert parse_feed(load(name), "http://blog.example.com/feed.xml") == []
    assert parse_comment_feed(load(name), "http://blog.example.com/feed.xml") == {}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\xff" * 100,
        b"<html><body><p>Not a feed</p></body></html>",
        b"<?xml version='1.0'?><rss><channel><item><title>x",
        b'{"json": true}',
        b"<" * 100000,
    ],
)
def test_garbage_never_raises(data):
    assert parse_feed(data, "http://blog.example.com/feed") == []
    assert parse_comment_feed(data, "http://blog.example.com/feed") == {}
