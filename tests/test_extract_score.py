"""bench/score.py: the helpers the fidelity benchmark relies on."""

from __future__ import annotations

from bench.score import body_tokens, same_day, score, terms_f1, title_equal, token_f1


def test_body_tokens_of_html_and_text():
    assert body_tokens("<p>Hello, <b>World</b>!</p><script>x=1</script>") == ["hello", "world"]
    assert body_tokens("Café au lait 2x") == ["café", "au", "lait", "2x"]


def test_token_f1():
    assert token_f1("a b c", "a b c") == 1.0
    assert token_f1("", "") == 1.0
    assert token_f1("a b", "c d") == 0.0
    assert round(token_f1("a b c d", "a b"), 3) == 0.667


def test_title_equal_and_same_day():
    assert title_equal("MA141\u2014Fall\xa02014", "MA141\u2014Fall 2014")
    assert title_equal(" Two  spaces ", "Two spaces")
    assert not title_equal("A", "B")
    assert same_day("2003-02-19T22:55:10-08:00", "2003-02-19T22:55:10+08:00")
    assert not same_day("2003-02-19", "2003-02-20T00:00:00")
    assert not same_day(None, "2003-02-19")


def test_terms_f1():
    assert terms_f1({"categories": [], "tags": []}, {"categories": [], "tags": []}) == 1.0
    assert (
        terms_f1({"categories": ["Baking"], "tags": []}, {"categories": ["baking"], "tags": []})
        == 1.0
    )
    assert terms_f1({"categories": ["x"]}, {"categories": ["y"]}) == 0.0


def test_score():
    truth = [
        {
            "url": "http://b.example/2008/10/01/a/",
            "title": "A",
            "published": "2008-10-01",
            "categories": ["c"],
            "tags": [],
            "text": "one two three",
            "comments": {"count": 2},
            "recoverable_from": "page",
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
            "bad_capture": "20150101000000",
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
            "content_html": "<p>one two three</p>",
            "comments": [{}],
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
    ]
    got = score(posts, truth)
    assert got["recall"] == 1.0
    assert round(got["precision"], 3) == 0.667
    assert got["title_exact"] == 0.5
    assert got["published_same_day"] == 0.5
    assert got["terms_f1"] == 1.0
    assert round(got["body_f1_mean"], 3) == round((1 + 2 / 3) / 2, 3)
    assert round(got["body_f1_p10"], 3) == 0.667
    assert got["comment_recall"] == 0.5
    assert got["bad_capture_posts"] == 1
