"""Extraction: one archived page in, one post out (no network, no Scrapy).

Contract used by the crawl (do not change the signatures without telling the spider):

- ``extract(html: str, url: str, *, captured: str | None = None) -> Post | None``
  ``html`` is decoded text (archive additions may still be in it), ``url`` the site's own
  URL of the page, ``captured`` the 14-digit capture timestamp (last-resort date).
  Returns ``None`` when the page is not a single post (home, index, about page...).
- ``extract_bytes(body: bytes, url: str, content_type: str | None = None, *,
  captured: str | None = None) -> Post | None``: decode (charset.py) then ``extract``.

How fields are chosen: the engine is detected (generator meta, class names, URL shapes);
metadata is then taken by trust, JSON-LD > microformats > meta tags > engine markup >
generic. The body comes from markup (engine, then h-entry, then the generic block finder)
because JSON-LD ``articleBody`` is plain text; it is the last resort. Dates: the page's,
then the permalink's, then the capture time.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable

from recover.extract import (
    blogger,
    body,
    charset,
    generic,
    ghost,
    hugo,
    jekyll,
    jsonld,
    livejournal,
    meta,
    microformats,
    movabletype,
    tumblr,
    wordpress,
)
from recover.extract.dates import date_from_url, from_capture
from recover.extract.page import Fields, Page, text_of
from recover.post import Post
from recover.urls import canonical, kind_of, slug_of

log = logging.getLogger(__name__)

ENGINES = (wordpress, blogger, movabletype, livejournal, tumblr, ghost, hugo, jekyll)


def detect(page: Page):
    """The engine module that best explains the page (``generic`` when none does)."""
    best, best_score = generic, 0
    for engine in ENGINES:
        try:
            score = engine.detect(page)
        except Exception:  # a broken detector must not hide the others
            score = 0
        if score > best_score:
            best, best_score = engine, score
    return best if best_score >= 30 else generic


def parse(html: str, url: str) -> Page | None:
    """The parsed page (archive additions removed), or None for what is not HTML."""
    try:
        if not html or not html.strip() or "<" not in html[:5000] or _binary(html):
            return None
        return Page(html, url)
    except Exception:  # hostile or broken input
        log.debug("parse failed for %s", url, exc_info=True)
        return None


def extract(
    html: str, url: str, *, captured: str | None = None, page: Page | None = None
) -> Post | None:
    """The post in an archived page, or None when the page is not a single post.

    ``page``: the same page already :func:`parse`-d (spares a second parse).
    """
    try:
        page = page or parse(html, url)
        return _extract(page, captured) if page is not None else None
    except Exception:  # hostile or broken input: never let one page stop a crawl
        log.debug("extract failed for %s", url, exc_info=True)
        return None


def extract_bytes(
    body: bytes, url: str, content_type: str | None = None, *, captured: str | None = None
) -> Post | None:
    """Decode the page's bytes (see charset.decode), then :func:`extract`."""
    try:
        if content_type and not re.search(r"html|xml|text/plain", content_type, re.I):
            return None
        return extract(charset.decode(body, content_type), url, captured=captured)
    except Exception:
        return None


def _first(*values):
    for value in values:
        if value:
            return value
    return None


def _extract(page: Page, captured: str | None) -> Post | None:
    engine = detect(page)
    jl, mf, mt = jsonld.read(page), microformats.read(page), meta.read(page)
    en = engine.read(page) if engine is not generic else Fields()
    gen = functools.cache(lambda: generic.read(page))  # costly: only when needed
    layers = (jl, mf, mt, en)

    explicit = jl.is_post or mf.is_post or en.is_post
    if not explicit and (
        jl.entries > 1 or mf.entries > 1 or en.entries > 1 or en.extra.get("index")
    ):
        return None
    if not jl.is_post and kind_of(canonical(page.url)) == "index":
        return None  # home, paging, term and date archives

    published = _first(*(f.published for f in layers))
    page_dated = bool(published)
    if not published and gen().published:
        published, page_dated = gen().published, True
    url_date = date_from_url(page.url)
    if not (explicit or page_dated or url_date or mt.is_post):
        return None  # an undated page without post markup: about, contact, index...
    # how far the date is to be trusted, for the merge: the page, then its URL, then the capture
    how = "page" if published else ("url" if url_date else "capture")
    published = published or url_date or from_capture(captured)

    title = _first(*(f.title for f in layers)) or gen().title
    categories = _first(*(f.categories for f in layers)) or []
    tags = _first(*(f.tags for f in layers)) or []
    if not categories and not tags and mf.extra.get("terms"):
        tags = mf.extra["terms"]

    content_html, images = _body(page, en, mf, jl, gen, title)
    if not content_html and not title:
        return None
    return Post(
        url=page.url,
        title=title,
        published=published,
        updated=_first(*(f.updated for f in layers)),
        author=_first(*(f.author for f in layers)),
        categories=list(dict.fromkeys(categories)),
        tags=[t for t in dict.fromkeys(tags) if t not in categories],
        content_html=content_html,
        comments=en.comments or mf.comments or [],
        images=images,
        slug=slug_of(page.url),
        engine=engine.NAME,
        provenance={} if how == "page" else {"published": how},
    )


def _body(
    page: Page, en: Fields, mf: Fields, jl: Fields, gen: Callable[[], Fields], title: str | None
) -> tuple[str, list[str]]:
    """The cleaned body HTML and its images, from the most specific markup available."""
    import lxml.html

    if en.body_html:
        wrapper = lxml.html.fragment_fromstring(en.body_html, create_parent="div")
        cleaned = body.clean(wrapper, page, title)
        return body.inner_html(cleaned), body.images(cleaned)
    for fields in (en, mf):
        if fields.body is not None and text_of(fields.body):
            cleaned = body.clean(fields.body, page, title, drop=fields.extra.get("drop"))
            return body.inner_html(cleaned), body.images(cleaned)
    if jl.body_html:
        return jl.body_html, []
    if gen().body is not None:
        cleaned = body.clean(gen().body, page, title)
        return body.inner_html(cleaned), body.images(cleaned)
    return "", []


def _binary(text: str) -> bool:
    """True for bytes that were served as text/html but are not text."""
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return bad / len(sample) > 0.1


__all__ = ["detect", "extract", "extract_bytes", "parse"]
