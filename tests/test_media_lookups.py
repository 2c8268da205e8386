"""The media lookup phase on its own: what is asked of which archive, and what answers."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.http import Request, TextResponse

from recover.discovery import memento
from recover.media.crawl import MediaCrawl
from recover.post import Post

SITE = "http://blog.example.com/2010/01/02/post/"
CDN = "http://cdn.example.net/photos/a.jpg"
OWN = "http://blog.example.com/images/b.png"
PREFIX = "http://127.0.0.1:8080/other/"


def media(tmp_path: Path, archives: list[str], mementos: list[str], groups: Any = None) -> Any:
    spider = SimpleNamespace(
        host="blog.example.com", archives=archives, mementos=mementos, out=tmp_path,
        store=SimpleNamespace(db=sqlite3.connect(":memory:")),
        planner=SimpleNamespace(groups=groups or {}), count=lambda *a: None,
    )  # fmt: skip
    crawl = MediaCrawl(spider)
    crawl.posts = [Post(url=SITE, content_html=f'<p><img src="{CDN}"><img src="/images/b.png">')]
    return crawl


def test_memento_only_one_timemap_per_file_no_source_holds(tmp_path: Path) -> None:
    crawl = media(tmp_path, [], [PREFIX])
    asked = [r.url for r in crawl.lookup_requests()]
    assert sorted(asked) == sorted(memento.timemap_url(PREFIX, u) for u in (CDN, OWN))
    # the answer: a TimeMap naming one memento of the CDN file
    url = memento.timemap_url(PREFIX, CDN)
    body = (
        f'<{CDN}>; rel="original",\n'
        f'<{PREFIX}20100101000000/{CDN}>; rel="memento"; '
        'datetime="Fri, 01 Jan 2010 00:00:00 GMT"\n'
    )
    response = TextResponse(
        url, body=body.encode(), encoding="utf-8",
        request=Request(url, meta={"archive": PREFIX}),
    )  # fmt: skip
    crawl.parse_lookup(response)
    held = crawl.held(CDN)
    assert [c.timestamp for c in held] == ["20100101000000"]
    again = media(tmp_path, [], [PREFIX])
    again.state = crawl.state  # the same store: a re-run asks nothing already answered
    assert [r.url for r in again.lookup_requests()] == [memento.timemap_url(PREFIX, OWN)]
    url = memento.timemap_url(PREFIX, OWN)  # the archive has no copy: a 404 is an answer too
    crawl.parse_lookup(
        TextResponse(url, status=404, request=Request(url, meta={"archive": PREFIX}))
    )
    assert crawl.held(OWN) == []
    assert list(again.lookup_requests()) == []


def test_with_a_cdx_archive_only_other_hosts_are_looked_up(tmp_path: Path) -> None:
    crawl = media(tmp_path, ["http://127.0.0.1:8080/web/"], [PREFIX])  # its listing: the site
    asked = [r.url for r in crawl.lookup_requests()]
    assert len(asked) == 1 and "/web/cdx?" in asked[0] and "cdn.example.net" in asked[0]
