"""Merging every record of one post: best value per field, provenance, comment union."""

from __future__ import annotations

from recover.normalize.merge import merge
from recover.post import Comment, Post, Source

URL = "http://blog.example.com/2008/10/31/slug/"


def record(kind: str, ts: str, **fields: object) -> Post:
    src = Source(archive="a/", capture_url=f"{kind}-{ts}", timestamp=ts, kind=kind)
    return Post(url=URL, source=src, sources=[src], **fields)  # type: ignore[arg-type]


def comment(author: str, day: str, text: str) -> Comment:
    return Comment(
        author=author, published=f"2008-11-{day}T10:00:00", content_html=f"<p>{text}</p>"
    )


def test_whole_page_beats_feed_and_excerpt() -> None:
    page = record("page", "20090101000000", title="T", content_html="<p>whole</p>")
    feed = record(
        "feed",
        "20090201000000",
        title="T (feed)",
        content_html="<p>summary</p>",
        partial=True,
        categories=["News"],
    )
    index = record("index", "20090301000000", title="T", content_html="<p>ex</p>", partial=True)
    out = merge([index, feed, page])
    assert out.content_html == "<p>whole</p>" and not out.partial
    assert out.title == "T"
    assert out.categories == ["News"]  # a gap filled from the feed
    assert out.provenance["content_html"] == "page-20090101000000"
    assert out.provenance["categories"] == "feed-20090201000000"
    assert [s.capture_url for s in out.sources] == [
        "page-20090101000000",
        "feed-20090201000000",
        "index-20090301000000",
    ]


def test_only_excerpts_stay_partial() -> None:
    out = merge([record("index", "1", title="T", content_html="<p>ex</p>", partial=True)])
    assert out.partial


def test_dates_by_trust_page_feed_url_capture() -> None:
    page = record(
        "page",
        "2",
        title="T",
        content_html="x",
        published="2008-10-31",
        provenance={"published": "url"},
    )
    feed = record(
        "feed",
        "1",
        title="T",
        content_html="y",
        partial=True,
        published="2008-10-30T23:15:00-05:00",
    )
    out = merge([page, feed])
    assert out.published == "2008-10-30T23:15:00-05:00"  # the feed's date beats the URL's
    assert out.provenance["published"] == "feed-1"
    dated = record("page", "2", title="T", content_html="x", published="2008-10-31")
    out = merge([dated, feed])
    assert out.published == "2008-10-31"  # the page's own date beats the feed's other day
    same_day = record("feed", "1", title="T", content_html="y", published="2008-10-31T09:05:00Z")
    assert merge([dated, same_day]).published == "2008-10-31T09:05:00Z"  # exact time added


def test_comments_are_the_union_once_each() -> None:
    old = record(
        "page",
        "20081101000000",
        title="T",
        content_html="x",
        comments=[comment("Ann", "01", "first")],
    )
    new = record(
        "page",
        "20081201000000",
        title="T",
        content_html="x",
        comments=[comment("Ann", "01", "first"), comment("Bob", "02", "second")],
    )
    feed = record("feed", "20081205000000", comments=[comment("Cid", "03", "third")], partial=True)
    out = merge([old, new, feed])
    assert [c.author for c in out.comments] == ["Ann", "Bob", "Cid"]


def test_identical_comments_at_different_times_both_stay() -> None:
    """Issue 14.10: a comment's identity is author + time + text, not the text alone."""
    twice = [
        Comment(author="Ann", published="2008-11-01T10:00:00", content_html="<p>+1</p>"),
        Comment(author="Ann", published="2008-11-01T10:07:00", content_html="<p>+1</p>"),
    ]
    page = record("page", "20081201000000", title="T", content_html="x", comments=twice)
    again = record("page", "20090101000000", title="T", content_html="x", comments=twice[:1])
    feed_utc = Comment(author="Ann", published="2008-11-01T08:07:00", content_html="<p>+1</p>")
    feed = record("feed", "20081205000000", comments=[feed_utc], partial=True)
    out = merge([page, again, feed])
    assert [c.published for c in out.comments] == ["2008-11-01T10:00:00", "2008-11-01T10:07:00"]
    same = [Comment(author="Ann", published=None, content_html="<p>+1</p>")] * 2
    out = merge([record("page", "20081201000000", title="T", content_html="x", comments=same)])
    assert len(out.comments) == 2  # listed twice on one page: posted twice
