"""Deep nesting loses nothing: past libxml2's 255 levels the rest of the page is kept (10.7).

HTML in, post out (extraction on its own), then the Markdown it becomes.
"""

from __future__ import annotations

from recover.extract import extract
from recover.normalize.markdown import normalize

URL = "http://blog.example.com/2008/10/31/deep/"
PAGE = (
    "<html><head><title>Deep</title></head><body class='single'><div class='post hentry'>"
    "<h2 class='entry-title'>Deep</h2>"
    "<abbr class='published' title='2008-10-31T10:00:00+00:00'>October 31, 2008</abbr>"
    "<div class='entry-content'>{body}</div></div></body></html>"
)


def test_three_hundred_unclosed_fonts_keep_every_paragraph() -> None:
    body = "".join(f"<p><font color='red'>paragraph {i} of the post" for i in range(300))
    post = normalize(extract(PAGE.format(body=body), URL))
    for text in (post.content_html, post.content_markdown):
        assert text.count("paragraph ") == 300
        assert "paragraph 299 of the post" in text


def test_a_hundred_thousand_levels_keep_the_text_after_them() -> None:
    body = (
        "<p>Before the deep part.</p>"
        + "<div>" * 100_000
        + "The words at the bottom."
        + "</div>" * 100_000
        + "<p>After the deep part.</p>"
    )
    post = normalize(extract(PAGE.format(body=body), URL))
    for text in (post.content_html, post.content_markdown):
        for words in ("Before the deep part.", "The words at the bottom.", "After the deep part."):
            assert words in text


def test_a_cut_page_is_flagged() -> None:
    """A page past the reading limit: what was read is kept, and the post says it is partial."""
    from recover.extract.page import MAX_CHARS

    body = "<p>The start of a very long post.</p>" + "<p>" + "word " * (MAX_CHARS // 5) + "</p>"
    post = extract(PAGE.format(body=body), URL)
    assert post is not None and "The start of a very long post." in post.content_html
    assert post.partial is True
    assert extract(PAGE.format(body="<p>A short post.</p>" * 20), URL).partial is False


def _depth(html: str) -> int:
    """The deepest nesting flatten counts, tag by tag (the reference its quick check bounds)."""
    from recover.extract.page import _SELF_ENDING, _TAG, _VOID

    depth = deepest = 0
    for closing, name, selfclosing in _TAG.findall(html):
        if selfclosing or name.lower() in _VOID or name.lower() in _SELF_ENDING:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def test_the_quick_depth_check_never_lets_a_deep_page_through() -> None:
    """flatten skips its rewrite when a quick count says the page is shallow enough: on
    seeded tag soup (unclosed, stray and self-closed tags, void and self-ending ones, names
    ending in '-', a '<' inside a tag) that count is never below the real nesting, and a
    page is left whole exactly when nothing in it is deeper than the limit."""
    import random

    from recover.extract.page import _deepest, flatten

    rng = random.Random(7)
    pieces = ["<div>", "</div>", "<FONT color=red>", "</font>", "<p>", "</p>", "<br/>",
              "<img src=x>", "<span/>", "</span>", "<li>", "<a- x>", "</b>", "<b <i>",
              "</i x>", "text ", "<o:p>", "</o:p>", "<td>", "< not a tag"]  # fmt: skip
    for n in range(400):
        size = rng.randrange(1, 500)
        weights = [rng.random() for _ in pieces]
        html = "".join(rng.choices(pieces, weights, k=size))
        real = _depth(html)
        limit = rng.randrange(1, 60)
        assert _deepest(html, limit) >= min(real, limit + 1), html
        assert (flatten(html, limit) == html) == (real <= limit), (n, limit)
    assert _deepest("<div>" * 300, 200) == 300
    assert flatten("<div>" * 300 + "x") == "<div>" * 200 + "x"
