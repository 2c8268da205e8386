"""Extraction: one archived page in, one post out (no network, no Scrapy).

Contract used by the crawl (do not change the signatures without telling the spider):

- ``extract(html: str, url: str, *, captured: str | None = None) -> Post | None``
  ``html`` is decoded text (archive additions may still be in it), ``url`` the site's own
  URL of the page, ``captured`` the 14-digit capture timestamp (last-resort date).
  Returns ``None`` when the page is not a single post (home, index, about page...).
- ``extract_bytes(body: bytes, url: str, content_type: str | None = None, *,
  captured: str | None = None) -> Post | None``: decode (charset.py) then ``extract``.
"""
