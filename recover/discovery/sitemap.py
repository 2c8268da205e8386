"""Sitemaps (XML, gzipped or not) as a list of the site's URLs, read by Scrapy's own parser.

``scrapy.utils.sitemap.Sitemap`` reads ``urlset`` and ``sitemapindex`` documents without
resolving entities; a gzipped one is inflated by ``scrapy.utils.gz.gunzip`` up to the
sitemap protocol's 50 MB, so a gzip bomb costs nothing.
"""

from __future__ import annotations

import logging

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

log = logging.getLogger(__name__)

MAX_BYTES = 50 * 1024 * 1024  # the sitemap protocol's limit, uncompressed


def sitemap_urls(body: bytes) -> list[str]:
    """Every ``<loc>`` of a sitemap or sitemap index; garbage gives an empty list."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_BYTES)
        except (OSError, EOFError, ValueError) as exc:  # ValueError: over MAX_BYTES
            log.info("sitemap not read: %s", exc)
            return []
    try:
        entries = list(Sitemap(body[:MAX_BYTES]))
    except (etree.LxmlError, StopIteration, ValueError):
        return []
    out = []
    for entry in entries:
        url = str(entry.get("loc") or "").strip()
        if url.startswith(("http://", "https://")):
            out.append(url)
    return out
