"""The WXR file, read back with lxml's strict parser as WordPress's importer would."""

from __future__ import annotations

import html as html_module
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from recover.export.exporters import WxrExporter
from recover.post import Post

FIXTURES = Path(__file__).parent / "fixtures" / "export"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
WP = "http://wordpress.org/export/1.2/"
NS = {
    "wp": WP,
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}
WP_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def load_posts() -> list[Post]:
    return [Post.from_dict(d) for d in json.loads((FIXTURES / "posts.json").read_text())]


@pytest.fixture(scope="module")
def wxr() -> tuple[bytes, etree._Element, list[Post]]:
    posts = load_posts()
    buf = io.BytesIO()
    exporter = WxrExporter(buf, site_url="http://blog.example.com/", now=NOW)
    exporter.start_exporting()
    for p in posts:
        exporter.export_item(p)
    exporter.finish_exporting()
    data = buf.getvalue()
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return data, etree.fromstring(data, parser), posts


def test_well_formed_utf8_without_doctype(wxr):
    data, root, _ = wxr
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b"<!DOCTYPE" not in data
    data.decode("utf-8")  # strict
    assert root.tag == "rss" and root.nsmap["wp"] == WP
    for prefix, uri in NS.items():
        assert root.nsmap[prefix] == uri
    assert root.findtext("channel/wp:wxr_version", namespaces=NS) == "1.2"


def test_every_post_term_and_author_is_there(wxr):
    _, root, posts = wxr
    items = root.findall("channel/item")
    assert len(items) == len(posts)
    ids = [i.findtext("wp:post_id", namespaces=NS) for i in items]
    assert len(set(ids)) == len(ids)
    cats = {
        c.findtext("wp:cat_name", namespaces=NS): c.findtext("wp:category_nicename", namespaces=NS)
        for c in root.findall("channel/wp:category", namespaces=NS)
    }
    assert cats == {"News": "news", "C++": "c", "Code": "code", "日記": "日記"}
    tags = {
        t.findtext("wp:tag_name", namespaces=NS): t.findtext("wp:tag_slug", namespaces=NS)
        for t in root.findall("channel/wp:tag", namespaces=NS)
    }
    assert {"python", "web", "hugo", "jekyll", "test", "ελληνικά", "русский"} == set(tags)
    assert len(set(tags.values())) == len(tags)
    logins = {
        a.findtext("wp:author_login", namespaces=NS)
        for a in root.findall("channel/wp:author", namespaces=NS)
    }
    creators = {i.findtext("dc:creator", namespaces=NS) for i in items}
    assert creators <= logins
    assert all(re.fullmatch(r"[a-z0-9_.@-]+", login) for login in logins)
    for item in items:
        for cat in item.findall("category"):
            assert cat.get("domain") in ("category", "post_tag") and cat.get("nicename")
            table = cats if cat.get("domain") == "category" else tags
            assert table[cat.text] == cat.get("nicename")


def test_item_fields_and_date_formats(wxr):
    _, root, _ = wxr
    for item in root.findall("channel/item"):
        for field in ("title", "link", "pubDate", "guid"):
            assert item.find(field) is not None, field
        assert item.find("guid").get("isPermaLink") == "false"
        assert item.find("content:encoded", NS) is not None
        assert item.find("excerpt:encoded", NS) is not None
        assert item.findtext("wp:status", namespaces=NS) == "publish"
        assert item.findtext("wp:post_type", namespaces=NS) == "post"
        assert item.findtext("wp:post_name", namespaces=NS)
        local = item.findtext("wp:post_date", namespaces=NS)
        gmt = item.findtext("wp:post_date_gmt", namespaces=NS)
        assert WP_DATE.match(local) and WP_DATE.match(gmt)
        assert not local.startswith("0") and not local.startswith("2999")
        assert "archive.org" not in item.findtext("link")
    first = root.find("channel/item[link='http://blog.example.com/2008/10/31/hello-world/']")
    assert first.findtext("wp:post_date", namespaces=NS) == "2008-10-31 12:00:00"
    assert first.findtext("wp:post_date_gmt", namespaces=NS) == "2008-10-31 11:00:00"
    assert first.findtext("pubDate") == "Fri, 31 Oct 2008 11:00:00 +0000"
    assert first.findtext("title") == "Hello, world"
    body = first.findtext("content:encoded", namespaces=NS)
    assert 'href="http://blog.example.com/about/"' in body
    assert 'src="http://blog.example.com/img/a.png"' in body


def test_title_date_type_unique(wxr):
    _, root, _ = wxr
    keys = [
        (
            i.findtext("title").casefold(),
            i.findtext("wp:post_date", namespaces=NS),
            i.findtext("wp:post_type", namespaces=NS),
        )
        for i in root.findall("channel/item")
    ]
    assert len(set(keys)) == len(keys)
    same = sorted(k[1] for k in keys if k[0] == "same title")
    assert same == ["2011-07-08 12:00:00", "2011-07-08 12:00:01"]


def test_slugs_unique_and_special_text_survives(wxr):
    data, root, _ = wxr
    names = [i.findtext("wp:post_name", namespaces=NS) for i in root.findall("channel/item")]
    assert len(set(names)) == len(names)
    assert "same" in names and "same-2" in names and "index-post" in names
    titles = [i.findtext("title") for i in root.findall("channel/item")]
    assert "Templates {{ page.title }} and ]]> end" in titles
    assert b"]]]]><![CDATA[>" in data  # ]]> split across two CDATA sections
    assert "Control chars here" in titles  # control characters stripped
    assert "日本語のタイトル — Ελληνικά" in titles
    assert "Untitled" in titles
    code = root.find("channel/item[link='http://blog.example.com/2009/01/02/templates/']")
    assert "{{ .Title }}" in code.findtext("content:encoded", namespaces=NS)
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data)


def test_missing_and_impossible_dates_fall_back(wxr):
    _, root, _ = wxr

    def date_of(url: str) -> str:
        item = root.find(f"channel/item[link='{url}']")
        return item.findtext("wp:post_date_gmt", namespaces=NS)

    assert date_of("http://blog.example.com/?p=77") == "2012-03-04 05:06:07"  # capture time
    assert date_of("http://blog.example.com/2013/02/30/impossible/") == "1970-01-01 00:00:00"
    assert date_of("http://blog.example.com/2014/01/01/year-zero/") == "2014-02-02 00:00:00"
    assert date_of("http://blog.example.com/2015/06/07/future/") == "2015-07-01 00:00:00"
    item = root.find("channel/item[link='http://blog.example.com/?p=77']")
    meta = {
        m.findtext("wp:meta_key", namespaces=NS): m.findtext("wp:meta_value", namespaces=NS)
        for m in item.findall("wp:postmeta", NS)
    }
    assert meta["_recover_date_estimated"] == "capture" and meta["_recover_partial"] == "1"


def test_comments(wxr):
    _, root, _ = wxr
    item = root.find("channel/item[link='http://blog.example.com/2008/10/31/hello-world/']")
    comments = item.findall("wp:comment", NS)
    assert len(comments) == 3

    def f(c, name):
        return c.findtext(f"wp:comment_{name}", namespaces=NS)

    ids = [f(c, "id") for c in comments]
    assert len(set(ids)) == 3
    all_ids = [
        c.findtext("wp:comment_id", namespaces=NS) for c in root.iterfind(".//wp:comment", NS)
    ]
    assert len(set(all_ids)) == len(all_ids)
    assert [f(c, "author") for c in comments] == ["Ann", "Bob", "Anonymous"]
    assert f(comments[0], "author_url") == "http://ann.example.org/"
    assert f(comments[1], "parent") == ids[0]
    assert f(comments[0], "parent") == "0" and f(comments[2], "parent") == "0"
    assert f(comments[1], "date") == "2008-11-01 11:00:00"
    assert f(comments[1], "date_gmt") == "2008-11-01 09:00:00"
    assert all(WP_DATE.match(f(c, "date")) and WP_DATE.match(f(c, "date_gmt")) for c in comments)
    assert all(f(c, "approved") == "1" for c in comments)
    assert "Agreed ]]> really" in html_module.unescape(f(comments[1], "content"))


def test_pingbacks_and_trackbacks_keep_their_type():
    """Issue 14.10: wp:comment_type comes from Comment.type."""
    from recover.post import Comment

    post = load_posts()[0]
    post.comments = [
        Comment(author="Ann", published="2008-11-01T10:00:00", content_html="<p>Hi</p>"),
        Comment(
            author="Other blog",
            published=None,
            content_html="",
            author_url="http://other.example/",
            type="pingback",
        ),
        Comment(author="MT blog", published=None, content_html="[...] x", type="trackback"),
    ]
    buf = io.BytesIO()
    exporter = WxrExporter(buf, site_url="http://blog.example.com/", now=NOW)
    exporter.start_exporting()
    exporter.export_item(post)
    exporter.finish_exporting()
    root = etree.fromstring(buf.getvalue())
    kinds = [
        c.findtext("wp:comment_type", namespaces=NS) for c in root.iterfind(".//wp:comment", NS)
    ]
    assert kinds == ["comment", "pingback", "trackback"]
