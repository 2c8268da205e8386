"""Sitemaps read by Scrapy's parser: plain, gzipped, indexes; bombs and entities refused (9.9)."""

from __future__ import annotations

import gzip

from recover.discovery.sitemap import MAX_BYTES, sitemap_urls

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
URLSET = (
    f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>'
    "<url><loc>http://blog.example.com/2008/10/31/a/?x=1&amp;y=2</loc>"
    "<lastmod>2008-11-01</lastmod></url>"
    "<url><loc>\n  http://blog.example.com/2008/11/02/b/  \n</loc></url>"
    "<url><loc>javascript:alert(1)</loc></url></urlset>"
).encode()


def test_urlset_plain_and_gzipped() -> None:
    want = [
        "http://blog.example.com/2008/10/31/a/?x=1&y=2",
        "http://blog.example.com/2008/11/02/b/",
    ]
    assert sitemap_urls(URLSET) == want
    assert sitemap_urls(gzip.compress(URLSET)) == want


def test_sitemap_index() -> None:
    index = f"<sitemapindex {NS}><sitemap><loc>http://blog.example.com/s1.xml.gz</loc></sitemap></sitemapindex>"
    assert sitemap_urls(index.encode()) == ["http://blog.example.com/s1.xml.gz"]


def test_gzip_bomb_is_not_inflated_past_the_limit() -> None:
    padding = b"<!-- " + b" " * (MAX_BYTES + 1024) + b" -->"
    bomb = gzip.compress(
        f"<urlset {NS}>".encode() + padding + b"<url><loc>http://x.org/</loc></url></urlset>"
    )
    assert len(bomb) < 200_000
    assert sitemap_urls(bomb) == []


def test_entities_are_not_resolved() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
        b"<urlset><url><loc>http://blog.example.com/&e;</loc></url></urlset>"
    )
    assert sitemap_urls(evil) == ["http://blog.example.com/"]
