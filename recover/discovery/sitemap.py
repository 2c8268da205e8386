"""Sitemaps (XML, gzipped or not) as a list of the site's URLs."""

from __future__ import annotations

import gzip
import re

_LOC = re.compile(rb"<loc>\s*(.*?)\s*</loc>", re.IGNORECASE | re.DOTALL)


def sitemap_urls(body: bytes) -> list[str]:
    """Every ``<loc>`` of a sitemap or sitemap index; garbage gives an empty list."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return []
    out = []
    for m in _LOC.finditer(body[:50_000_000]):
        url = m.group(1).decode("utf-8", "replace").replace("&amp;", "&").strip()
        if url.startswith(("http://", "https://")):
            out.append(url)
    return out
