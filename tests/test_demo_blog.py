"""The generated demo blog: truth, engine markup, traps and the WARC it writes."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from html import escape

import feedparser
import lxml.html
import pytest
from support.demo import TRAP_SHARES, make_blog, render_capture, write_warc
from warcio.archiveiterator import ArchiveIterator

from recover.urls import canonical, kind_of

WP_URL = re.compile(r"^http://blog\.example\.com/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/$")
BLOGGER_URL = re.compile(r"^http://blog\.example\.com/\d{4}/\d{2}/[a-z0-9_-]+\.html$")


def _page(blog, cap) -> lxml.html.HtmlElement:
    _, _, body = render_capture(blog, cap)
    return lxml.html.fromstring(body)


def _good_pages(blog, url):
    return [c for c in blog.captures_of(url) if c.kind == "page" and c.good]


def test_deterministic_for_a_seed():
    a, b, c = make_blog(30, seed=7), make_blog(30, seed=7), make_blog(30, seed=8)
    assert [p.to_dict() for p in a.posts] == [p.to_dict() for p in b.posts]
    assert a.captures == b.captures and a.traps == b.traps
    assert [render_capture(a, x)[2] for x in a.captures] == [
        render_capture(b, x)[2] for x in b.captures
    ]
    assert [p.title for p in a.posts] != [p.title for p in c.posts]


def test_truth_posts(sample_blog):
    blog = sample_blog.blog
    assert len(blog.posts) == 24
    assert {p.engine for p in blog.posts} == {"wordpress", "blogger"}
    for p in blog.posts:
        assert (WP_URL if p.engine == "wordpress" else BLOGGER_URL).match(p.url), p.url
        assert kind_of(p.url) == "post" and canonical(p.url) == canonical(p.url + "#x")
        assert datetime.fromisoformat(p.published).utcoffset() is not None
        assert p.title and p.author and p.content_html.startswith("<p>")
        assert p.tags or p.categories
        for c in p.comments:
            assert c.author and c.content_html.startswith("<p>")
            assert datetime.fromisoformat(c.published) > datetime.fromisoformat(p.published)
        for src in p.images:
            assert f'src="{src}"' in p.content_html
    html = "".join(p.content_html for p in blog.posts)
    for tag in ("<ul>", "<ol>", "<blockquote>", "<pre><code>", "<table>", "<img ", "<a href"):
        assert tag in html, tag
    assert re.search(r"[^\x00-\x7f]", html)
    assert len({p.url for p in blog.posts}) == 24


def test_every_trap_is_laid_in_the_sample(sample_blog):
    blog = sample_blog.blog
    for trap in TRAP_SHARES:
        assert blog.traps[trap], trap
    assert blog.traps["multi_capture"] and blog.traps["fewer_comments"]
    singles = [u for t in TRAP_SHARES for u in blog.traps[t]]
    assert len(singles) == len(set(singles))  # one trap per post
    where = blog.recoverable_from
    assert {where[u] for u in blog.traps["lost"]} == {"none"}
    assert {where[u] for u in blog.traps["index_only"]} == {"index"}
    assert {where[u] for u in blog.traps["feed_only"]} == {"feed"}
    for trap in ("error_db", "error_500", "redirect_www", "cp1252", "rewritten", "https"):
        assert {where[u] for u in blog.traps[trap]} == {"page"}, trap


def test_truth_files(sample_blog):
    rows = [json.loads(line) for line in (sample_blog.dir / "truth.jsonl").open()]
    assert [r["url"] for r in rows] == [p.url for p in sample_blog.posts]
    by_url = {r["url"]: r for r in rows}
    db = sample_blog.traps["error_db"][0]
    assert by_url[db]["bad_capture"] == "db_error" and "error_db" in by_url[db]["traps"]
    assert all(r["text"] and "<p>" not in r["text"] for r in rows)
    site = json.loads((sample_blog.dir / "site.json").read_text())
    assert site["site"] == "http://blog.example.com"


def test_wordpress_markup(sample_blog):
    blog = sample_blog.blog
    url = next(
        u
        for u in blog.traps["fewer_comments"]
        if blog.post(u).engine == "wordpress" and not blog.traps_of(u)[:-2]
    )
    post, meta = blog.post(url), blog.meta[blog.index_of(url)]
    first, last = _good_pages(blog, url)[0], _good_pages(blog, url)[-1]
    doc = _page(blog, last)
    assert doc.cssselect('meta[name="generator"]')[0].get("content").startswith("WordPress 2.")
    div = doc.get_element_by_id(f"post-{meta.post_id}")
    assert "post" in div.get("class")
    assert div.cssselect("h2")[0].text_content() == post.title
    entry = div.cssselect("div.entry")[0]
    assert entry.cssselect("p.postmetadata") and entry.cssselect("div.sociable")
    _, _, raw = render_capture(blog, last)
    assert post.content_html.encode() in raw  # the body, verbatim
    items = doc.cssselect("ol.commentlist li.comment")
    assert len(items) == len(post.comments)
    ids = {li.get("id") for li in items}
    assert ids == {c.id for c in post.comments}
    assert len(_page(blog, first).cssselect("ol.commentlist li.comment")) < len(post.comments)
    assert doc.cssselect("#sidebar") and doc.cssselect("#footer") and doc.cssselect("#header")
    for cat in post.categories:
        assert cat in doc.cssselect("p.postmetadata")[0].text_content()


def test_blogger_markup(sample_blog):
    blog = sample_blog.blog
    url = next(
        u
        for u in blog.traps["fewer_comments"]
        if blog.post(u).engine == "blogger" and not blog.traps_of(u)[:-2]
    )
    post = blog.post(url)
    last = _good_pages(blog, url)[-1]
    doc = _page(blog, last)
    outer = doc.cssselect("div.post-outer")
    assert len(outer) == 1
    assert outer[0].cssselect("h3.post-title")[0].text_content().strip() == post.title
    assert outer[0].cssselect("div.post-body")
    stamp = outer[0].cssselect("abbr.published")[0].get("title")
    assert datetime.fromisoformat(stamp) == datetime.fromisoformat(post.published)
    labels = [a.text for a in outer[0].cssselect(".post-labels a")]
    assert labels == post.categories
    assert outer[0].cssselect("span.post-author .fn")[0].text == post.author
    assert len(doc.cssselect("#comments dl#comments-block dt.comment-author")) == len(post.comments)
    assert doc.cssselect(".post-share-buttons a") and doc.cssselect("#sidebar-wrapper")
    _, _, raw = render_capture(blog, last)
    assert post.content_html.encode() in raw


def test_home_paging_and_feeds(sample_blog):
    blog = sample_blog.blog
    homes = [c for c in blog.captures if c.kind == "home"]
    assert {c.engine for c in homes} == {"wordpress", "blogger"}
    linked = set()
    for c in homes + [c for c in blog.captures if c.kind == "paging"]:
        doc = _page(blog, c)
        linked |= {a.get("href") for a in doc.cssselect("a[href]")}
    for url in blog.traps["index_only"]:
        assert blog.link_of(blog.index_of(url)) in linked
    old = blog.traps["redirect_old"][0]
    assert blog.meta[blog.index_of(old)].old_url in linked or old in linked
    feeds = [c for c in blog.captures if c.kind == "feed"]
    assert {c.url for c in feeds} == {
        "http://blog.example.com/feed/",
        "http://blog.example.com/feeds/posts/default?alt=rss",
    }
    raw = b""
    for c in feeds:
        status, headers, body = render_capture(blog, c)
        parsed = feedparser.parse(body)
        assert status == 200 and not parsed.bozo, parsed.bozo_exception
        assert all(e.link and e.published for e in parsed.entries)
        raw += body
    for url in blog.traps["feed_only"]:
        post = blog.post(url)
        if post.engine == "wordpress":
            assert f"<content:encoded><![CDATA[{post.content_html}]]>".encode() in raw
        else:
            assert escape(post.content_html, quote=False).encode() in raw
        assert f"<link>{url}</link>".encode() in raw
    for url in blog.traps["lost"] + blog.traps["index_only"]:
        assert f"<link>{url}</link>".encode() not in raw


def test_lost_posts_are_nowhere(sample_blog):
    blog = sample_blog.blog
    lost = blog.traps["lost"]
    for c in blog.captures:
        assert c.url not in lost
        body = render_capture(blog, c)[2]
        for url in lost:
            assert url.encode() not in body or c.kind == "page", (c, url)


def test_error_captures_are_newer_than_a_good_one(sample_blog):
    blog = sample_blog.blog
    for trap, status, marker in (
        ("error_db", 200, b"Error establishing a database connection"),
        ("error_500", 500, b"Internal Server Error"),
        ("error_suspended", 200, b"Account Suspended"),
    ):
        for url in blog.traps[trap]:
            caps = blog.captures_of(url)
            bad = caps[-1]
            assert bad.trap == trap and bad.status == status
            assert marker in render_capture(blog, bad)[2]
            assert any(c.good and c.at < bad.at for c in caps)


def test_redirect_captures(sample_blog):
    blog = sample_blog.blog
    www = blog.traps["redirect_www"][0]
    cap = next(c for c in blog.captures_of(www) if c.kind == "redirect")
    assert cap.url == www.replace("://", "://www.") and cap.status == 301
    status, headers, _ = render_capture(blog, cap)
    assert status == 301 and ("Location", www) in headers
    old = blog.traps["redirect_old"][0]
    cap = next(c for c in blog.captures_of(old) if c.kind == "redirect")
    assert cap.url != old and canonical(cap.url) != canonical(old)
    assert ("Location", old) in render_capture(blog, cap)[1]


def test_windows_1252_capture(sample_blog):
    blog = sample_blog.blog
    (url,) = blog.traps["cp1252"]
    (cap,) = blog.captures_of(url)
    assert cap.encoding == "cp1252"
    status, headers, body = render_capture(blog, cap)
    assert dict(headers)["Content-Type"] == "text/html; charset=iso-8859-1"
    assert b"charset=ISO-8859-1" in body
    for ch in "“”’–—€":
        assert ch.encode("cp1252") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1252")
    assert "€15" in text and "“Smart quotes”" in text


def test_rewritten_capture(sample_blog):
    blog = sample_blog.blog
    (url,) = blog.traps["rewritten"]
    (cap,) = blog.captures_of(url)
    body = render_capture(blog, cap)[2].decode()
    assert "<!-- BEGIN WAYBACK TOOLBAR INSERT -->" in body
    assert "<!-- END WAYBACK TOOLBAR INSERT -->" in body
    assert f'href="/web/{cap.timestamp}/http://blog.example.com/' in body
    assert "FILE ARCHIVED ON" in body
    assert body.index("BEGIN WAYBACK TOOLBAR") < body.index("END WAYBACK TOOLBAR")


def test_warc_records_match_the_plan(sample_blog):
    blog = sample_blog.blog
    seen = []
    with open(sample_blog.warc, "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response":
                continue
            body = rec.content_stream().read()
            http = rec.http_headers
            assert int(http.get_header("Content-Length")) == len(body)
            assert http.get_header("Content-Type")
            if http.get_header("Content-Type").startswith(("text/html", "text/xml")):
                assert "charset=" in http.get_header("Content-Type")
            date = rec.rec_headers.get_header("WARC-Date")
            seen.append(
                (rec.rec_headers.get_header("WARC-Target-URI"), date, http.get_statuscode())
            )
    planned = [(c.url, c.at.strftime("%Y-%m-%dT%H:%M:%SZ"), str(c.status)) for c in blog.captures]
    assert seen == planned


def test_scales(tmp_path):
    start = time.monotonic()
    blog = make_blog(1000, seed=3)
    path = write_warc(blog, tmp_path / "big.warc.gz")
    assert time.monotonic() - start < 30
    assert len(blog.posts) == 1000 and path.stat().st_size > 1_000_000
    counts = {t: len(blog.traps[t]) for t in TRAP_SHARES}
    assert counts["error_db"] == 20 and counts["lost"] == 20
