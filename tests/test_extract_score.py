"""bench/score.py: the helpers the fidelity benchmark relies on."""

from __future__ import annotations

from bench.score import (
    body_tokens,
    comments_found,
    looks_like_error,
    same_day,
    score,
    terms_f1,
    terms_f1_visible,
    title_equal,
    token_f1,
    url_key,
)


def test_body_tokens_of_html_and_text():
    assert body_tokens("<p>Hello, <b>World</b>!</p><script>x=1</script>") == ["hello", "world"]
    assert body_tokens("Café au lait 2x") == ["café", "au", "lait", "2x"]
    assert body_tokens("ＡＢＣ") == ["abc"]  # NFKC
    # runs of Chinese/Japanese/Korean characters: overlapping pairs
    assert body_tokens("はじめに Hugo") == ["はじ", "じめ", "めに", "hugo"]
    assert body_tokens("日") == ["日"]


def test_token_f1():
    assert token_f1("a b c", "a b c") == 1.0
    assert token_f1("", "") == 1.0
    assert token_f1("a b", "c d") == 0.0
    assert round(token_f1("a b c d", "a b"), 3) == 0.667


def test_title_equal_and_same_day():
    assert title_equal("MA141\u2014Fall\xa02014", "MA141\u2014Fall 2014")
    assert title_equal(" Two  spaces ", "Two spaces")
    assert not title_equal("A", "B")
    # read in the truth's zone: 22:55 at -08:00 is the next day at +08:00
    assert not same_day("2003-02-19T22:55:10-08:00", "2003-02-19T22:55:10+08:00")
    assert same_day("2003-02-20T06:55:10Z", "2003-02-19T22:55:10-08:00")
    assert same_day("2011-06-21", "2011-06-21")  # a date-only truth: as written
    assert same_day("2011-06-21T23:30:00-04:00", "2011-06-21")
    assert not same_day("2003-02-19", "2003-02-20T00:00:00")
    assert not same_day(None, "2003-02-19")


def test_terms_f1():
    assert terms_f1({"categories": [], "tags": []}, {"categories": [], "tags": []}) == 1.0
    assert (
        terms_f1({"categories": ["Baking"], "tags": []}, {"categories": ["baking"], "tags": []})
        == 1.0
    )
    assert terms_f1({"categories": ["x"]}, {"categories": ["y"]}) == 0.0
    truth = {"categories": ["A", "B"], "tags": ["C"], "terms_visible": ["A"]}
    assert terms_f1_visible({"categories": ["a"]}, truth) == 1.0  # only A is shown anywhere
    assert terms_f1_visible({"categories": ["a", "b"]}, truth) == 1.0  # B is right too
    assert round(terms_f1_visible({"categories": ["a", "z"]}, truth), 3) == 0.667
    hidden = {"categories": ["A"], "terms_visible": []}  # the archive shows none of its terms
    assert terms_f1_visible({}, hidden) == 1.0
    assert terms_f1_visible({"categories": ["a"]}, hidden) == 1.0
    assert terms_f1_visible({"tags": ["made-up"]}, hidden) == 0.0


def test_url_key():
    assert url_key("https://www.b.example/2008/10/a/index.html") == url_key(
        "http://b.example/2008/10/a"
    )
    assert url_key("http://b.example/caf%C3%A9/") == url_key("http://b.example/café")
    # the tool must merge these itself: the scorer keeps the query
    assert url_key("http://b.example/a.html?showComment=1") != url_key("http://b.example/a.html")


def test_comments_found():
    truth = {
        "comments": {
            "count": 3,
            "items": [
                {"author": "Ann", "text": "Great post about the sea and the boats"},
                {"author": "Bob", "text": "Merci pour ce récit"},
                {"author": "Cy", "text": "Never seen"},
            ],
        }
    }
    post = {
        "comments": [
            {"author": "ann", "content_html": "<p>Great post about the sea</p>"},  # author+similar
            {"author": "Anonymous", "content_html": "Merci pour ce récit"},  # very similar text
        ]
    }
    assert comments_found(post, truth) == (2, 3)
    assert comments_found(None, truth) == (0, 3)


def test_looks_like_error():
    assert looks_like_error({"title": "Error establishing a database connection"})
    assert looks_like_error({"title": "x", "content_html": "<h1>Account Suspended</h1><p>Bye</p>"})
    assert not looks_like_error({"title": "A", "content_html": "<p>A short real post.</p>"})
    long = "<p>" + "word " * 200 + "the page not found error story</p>"
    assert not looks_like_error({"title": "A", "content_html": long})


def test_score():
    truth = [
        {
            "url": "http://b.example/2008/10/01/a/",
            "title": "A",
            "published": "2008-10-01",
            "categories": ["c"],
            "tags": [],
            "text": "one two three",
            "comments": {"count": 2, "items": [{"author": "x", "text": "hi there"}] * 2},
            "recoverable_from": "page",
            "text_available": "full",
            "images": [{"url": "http://b.example/img/one.jpg"}, {"url": "http://b.example/2.png"}],
        },
        {
            "url": "http://b.example/2008/10/02/b/",
            "title": "B",
            "published": "2008-10-02",
            "categories": [],
            "tags": [],
            "text": "four",
            "comments": [],
            "recoverable_from": "feed",
            "text_available": "full",
            "bad_timestamps": ["20150101000000"],
        },
        {
            "url": "http://b.example/2008/10/03/c/",
            "title": "C",
            "published": "2008-10-03",
            "categories": [],
            "tags": [],
            "text": "x",
            "recoverable_from": "none",
        },
    ]
    posts = [
        {
            "url": "https://www.b.example/2008/10/01/a",
            "title": "A",
            "published": "2008-10-01T10:00:00+02:00",
            "categories": ["c"],
            "tags": [],
            "content_html": '<p>one two three</p><img src="/img/one.jpg">',
            "comments": [{"author": "x", "content_html": "hi there"}],
            "source": {"timestamp": "20090101000000"},
        },
        {
            "url": "http://b.example/2008/10/02/b/",
            "title": "b",
            "published": "2008-10-03",
            "categories": [],
            "tags": [],
            "content_html": "four five",
            "source": {"timestamp": "20150101000000"},
        },
        {"url": "http://b.example/about/", "title": "About", "content_html": ""},
        {"url": "http://b.example/a/", "title": "A", "content_html": "<p>one</p>"},  # by title
        {"url": "http://b.example/contact/", "title": "Contact", "type": "page"},
    ]
    got = score(posts, truth)
    assert got["recall"] == 1.0
    assert got["precision"] == 0.5  # 2 real posts, 4 records (a duplicate, a non-post)
    assert got["duplicates"] == 1 and got["not_posts"] == 1 and got["pages"] == 1
    assert got["title_exact"] == 0.5
    assert got["published_same_day"] == 0.5
    assert got["terms_f1"] == 1.0
    assert round(got["body_f1_mean"], 3) == round((1 + 2 / 3) / 2, 3)
    assert round(got["body_f1_p10"], 3) == 0.667
    assert got["comment_recall"] == 0.5
    assert got["bad_capture_posts"] == 1
    assert got["image_refs_recall"] == 0.5
