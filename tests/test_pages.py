"""Issue 14.13: a blog's static pages (About, Contact) recovered as pages, never as posts.

Pages of three engines in their own languages and charsets (Blogger ``/p/`` in French,
WordPress ``/ueber-mich/`` in German ISO-8859-1, Hugo ``/about/`` in Japanese): the post
extractor turns them down, :func:`extract_page` keeps them as ``type`` ``page``; then every
output keeps them apart: ``posts.jsonl`` ``type``, WXR ``wp:post_type`` ``page``, Ghost
``type`` ``page``, Hugo ``content/pages/`` and Jekyll ``pages/`` instead of the posts' folders.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from recover.export import write_all
from recover.extract import extract, extract_page
from recover.extract.charset import decode
from recover.normalize.merge import merged_posts
from recover.post import Post, Source
from recover.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "pages"
ENGINES = Path(__file__).parent / "fixtures" / "engines"
PAGES = [
    (
        "blogger_page_fr_2012.html",
        "http://www.fuite.example/p/qui-sommes-nous.html",
        "Les auteurs",
        "deux Québécois partis faire le tour du monde",
    ),
    (
        "wordpress_page_de_2009.html",
        "http://radtouren.example.de/ueber-mich/",
        "Über mich",
        "Ich fahre seit 1998 mit dem Rad durch die Alpen",
    ),
    (
        "hugo_about_ja_2018.html",
        "https://blog.example.jp/about/",
        "このブログについて",
        "京都に住むエンジニアの日記です",
    ),
]


def html_of(name: str) -> str:
    return decode((FIXTURES / name).read_bytes(), None)


@pytest.mark.parametrize("name,url,title,text", PAGES)
def test_static_pages_are_pages(name: str, url: str, title: str, text: str) -> None:
    html = html_of(name)
    assert extract(html, url) is None  # not a post
    page = extract_page(html, url)
    assert page is not None and page.type == "page"
    assert page.title == title and text in page.content_html
    assert page.published is None  # no date of its own; never the capture's
    assert "Archives du blog" not in page.content_html and "Seiten" not in page.content_html


def test_posts_and_listings_are_not_pages() -> None:
    html = html_of("wordpress_page_de_2009.html")
    assert extract_page(html, "http://radtouren.example.de/2009/08/14/pass/") is None
    assert extract_page(html, "http://radtouren.example.de/category/alpen/") is None
    assert extract_page(html, "http://radtouren.example.de/") is None


def _page_record(store: Store) -> None:
    html = html_of("blogger_page_fr_2012.html")
    page = extract_page(html, PAGES[0][1])
    assert page is not None
    page.source = Source(archive="a/", capture_url="a/1/p", timestamp="20121003000000")
    store.add_post(page)
    post = Post(
        url="http://www.fuite.example/2011/06/juillet-2013.html",
        title="Juillet 2013!!!",
        published="2011-06-13",
        content_html="<p>On part.</p>",
        source=Source(archive="a/", capture_url="a/1/x", timestamp="20121003000000"),
    )
    store.add_post(post)


def test_every_output_keeps_pages_apart(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    _page_record(store)
    posts = merged_posts(store)
    store.close()
    assert sorted(p.type for p in posts) == ["page", "post"]
    out = tmp_path / "out"
    write_all(
        posts, out, {"site": "http://www.fuite.example/"}, now=datetime(2024, 1, 1, tzinfo=UTC)
    )

    rows = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    assert {r["title"]: r["type"] for r in rows} == {
        "Les auteurs": "page",
        "Juillet 2013!!!": "post",
    }

    ns = {"wp": "http://wordpress.org/export/1.2/"}
    items = etree.parse(str(out / "wordpress.xml")).getroot().findall("channel/item")
    kinds = {i.findtext("title"): i.findtext("wp:post_type", namespaces=ns) for i in items}
    assert kinds == {"Les auteurs": "page", "Juillet 2013!!!": "post"}

    ghost = json.loads((out / "ghost.json").read_text())["db"][0]["data"]["posts"]
    assert {p["title"]: p["type"] for p in ghost} == {
        "Les auteurs": "page",
        "Juillet 2013!!!": "post",
    }

    assert [p.name for p in (out / "content" / "pages").iterdir()] == ["qui-sommes-nous.md"]
    assert [p.name for p in (out / "content" / "posts").iterdir()] == ["juillet-2013.md"]
    assert [p.name for p in (out / "pages").iterdir()] == ["qui-sommes-nous.md"]
    jekyll = (out / "pages" / "qui-sommes-nous.md").read_text()
    assert 'permalink: "/p/qui-sommes-nous.html"' in jekyll  # served at its old address
    assert [p.name for p in (out / "_posts").iterdir()] == ["2011-06-13-juillet-2013.md"]

    counts = json.loads((out / "report.json").read_text())["counts"]
    assert (counts["posts"], counts["recovered"], counts["pages"]) == (1, 1, 1)
    assert "**1** static page(s)" in (out / "report.md").read_text()
