"""Error and placeholder pages are flagged; real posts mentioning errors are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from recover.choice.errorpage import error_reason

FIXTURES = Path(__file__).parent / "fixtures" / "engines"


def doc(title: str, body: str, closed: bool = True) -> str:
    html = f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}"
    return html + ("</body></html>" if closed else "")


@pytest.mark.parametrize("status", [404, 410, 500, 502, 503])
def test_http_errors(status):
    assert error_reason(status, doc("x", "<p>whatever</p>")) == f"http {status}"


def test_redirect():
    assert error_reason(301, "") == "redirect 301"


@pytest.mark.parametrize(
    "html,reason",
    [
        (
            doc("Database Error", "<h1>Error establishing a database connection</h1>"),
            "database error",
        ),
        (
            doc("WordPress &rsaquo; Error", "<p>Error establishing a database connection</p>"),
            "database error",
        ),
        (
            doc(
                "Account Suspended",
                "<h1>Account Suspended</h1><p>This Account has been suspended."
                "</p><p>Contact your hosting provider for more information.</p>",
            ),
            "account suspended",
        ),
        (
            doc(
                "example.com",
                "<h1>example.com</h1><p>This domain is for sale! Buy this domain.</p>"
                "<div>Related Searches: Cheap Flights</div>",
            ),
            "parked domain",
        ),
        (
            doc(
                "Private Site",
                '<form id="loginform" action="/wp-login.php"><input name="log">'
                "</form><p>You must be logged in to view this site.</p>",
            ),
            "login wall",
        ),
        (
            doc(
                "Page not found | My Blog",
                "<h1>Oops! That page can't be found.</h1><p>Try a search.</p>",
            ),
            "soft 404",
        ),
        (
            doc(
                "My Blog",
                "<h2>Not Found</h2><p>Sorry, but you are looking for something that isn't"
                " here.</p>",
            ),
            "soft 404",
        ),
        (
            doc(
                "My Blog: 404",
                "<p>Sorry, the page you were looking for in this blog does not exist.</p>",
            ),
            "soft 404",
        ),
        (
            doc("503 Service Temporarily Unavailable", "<h1>Service Temporarily Unavailable</h1>"),
            "server error",
        ),
        ("<html><head><title>x</title></head><body>   </body></html>", "empty body"),
        ("", "empty body"),
        (
            doc("A long post", "<div class='post'><h1>A long post</h1><p>It began", closed=False),
            "truncated",
        ),
        (
            "---\nlayout: default\n---\n<div>{% for post in site.posts %}{{ post.title }}"
            "{% endfor %}</div>",
            "unrendered template",
        ),
    ],
)
def test_error_pages(html, reason):
    assert error_reason(200, html) == reason


def test_wordpress_error404_body_class():
    html = (
        '<html><head><title>My Blog</title></head><body class="error404">'
        + "<p>"
        + "Archives by month. " * 200
        + "</p></body></html>"
    )
    assert error_reason(200, html) == "soft 404"


LONG = "<p>" + "We measured latency on every request for a week. " * 60 + "</p>"


@pytest.mark.parametrize(
    "title,body",
    [
        (
            "Why your 404 page matters",
            "<h1>Why your 404 page matters</h1>"
            + LONG
            + "<p>A good 404 page says Page not found and offers a search.</p>",
        ),
        (
            "Tuning MySQL",
            "<h1>Tuning MySQL</h1>"
            + LONG
            + "<p>If you see Error establishing a database connection, raise max_connections.</p>",
        ),
        ("My account was suspended", "<h1>Twitter suspended my account</h1>" + LONG),
        (
            "HTTP status codes",
            "<h1>HTTP status codes</h1><p>500 Internal Server Error and 503 "
            "Service Unavailable are different.</p>" + LONG,
        ),
    ],
)
def test_real_posts_that_mention_errors(title, body):
    assert error_reason(200, doc(title, body)) is None


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.html")))
def test_fixture_posts_are_good(name):
    assert error_reason(200, (FIXTURES / name).read_bytes().decode("utf-8", "replace")) is None


def test_photo_post_with_little_text_is_fine():
    html = doc("Sunset", '<div class="post"><img src="/sunset.jpg"><p>Sunset.</p></div>')
    assert error_reason(200, html) is None


def test_the_error_check_leaves_a_shared_tree_whole() -> None:
    """The spider parses once; the error check must not strip what extraction reads."""
    from recover.extract import extract, parse

    html = (
        "<html><head><title>T</title><script type='application/ld+json'>"
        '{"@type": "BlogPosting", "headline": "From JSON-LD", "datePublished": "2008-10-31"}'
        "</script></head><body><article><h1>T</h1><p>"
        + "Words of the post. " * 40
        + "</p></article></body></html>"
    )
    page = parse(html, "http://blog.example.com/2008/10/31/t/")
    assert page is not None
    assert error_reason(200, html, root=page.root) is None
    post = extract(html, page.url, page=page)
    assert post is not None and post.title == "From JSON-LD"


def test_every_alternative_of_the_markup_signs_holds_one_of_their_words() -> None:
    """A short page's markup is searched for a parking service's or a login form's signs
    only when it holds one of their words: each alternative of those patterns must hold
    one, or a sign would be missed."""
    import re._parser as sre  # the regex parser: the alternatives and their literal parts

    from recover.choice.errorpage import _RULES, MARKUP_WORDS

    patterns = dict(_RULES)
    for reason, words in MARKUP_WORDS.items():
        ((op, (_none, branches)),) = sre.parse(patterns[reason].pattern, patterns[reason].flags)
        assert op is sre.BRANCH and len(branches) > 5
        for branch in branches:
            runs, run = [], ""
            for item_op, value in [*branch, (None, None)]:
                if item_op is sre.LITERAL:
                    run += chr(value).lower()
                else:
                    runs.append(run)
                    run = ""
            assert any(w in r for r in runs for w in words), (reason, runs)


def test_a_sign_in_the_markup_alone_is_found_whatever_its_case() -> None:
    """The words are looked for in the lower-cased markup, with the letters the pattern's
    IGNORECASE also takes (here a long s for the s of "sedo")."""
    script = '<script src="//\u017fEDOPARKING.com/ads.js"></script>'
    assert error_reason(200, doc("Welcome", f"<p>Hello.</p>{script}")) == "parked domain"
    assert error_reason(200, doc("Welcome", "<p>Hello.</p>")) is None
