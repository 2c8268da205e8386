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
import itertools
import logging
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from recover.extract import (
    blogger,
    body,
    charset,
    drupal,
    generic,
    ghost,
    hexo,
    hugo,
    jekyll,
    joomla,
    jsonld,
    livejournal,
    markup,
    meta,
    microformats,
    movabletype,
    pelican,
    site,
    tumblr,
    wordpress,
)
from recover.extract.dates import from_capture, in_site_zone, language
from recover.extract.page import Fields, Page, classes, text_of
from recover.extract.site import SiteView, Template
from recover.post import Post
from recover.urls import canonical, date_from_url, kind_of, slug_of

log = logging.getLogger(__name__)

ENGINES = (
    wordpress,
    blogger,
    movabletype,
    livejournal,
    tumblr,
    ghost,
    hugo,
    jekyll,
    pelican,
    hexo,
    drupal,
    joomla,
)


def detect(page: Page):
    """The engine module that best explains the page (``generic`` when none does)."""
    best, best_score = generic, 0
    for engine in ENGINES:
        score = engine.detect(page)
        if score > best_score:
            best, best_score = engine, score
    return best if best_score >= 30 else generic


def parse(html: str, url: str) -> Page | None:
    """The parsed page (archive additions removed), or None for what is not HTML."""
    if not html or not html.strip() or "<" not in html[:5000] or _binary(html):
        return None
    try:
        urlsplit(url or "")  # "http://[": not an address a page can have
        return Page(html, url)
    except (etree.ParserError, ValueError):  # no document, not one lxml reads, no URL
        log.debug("parse failed for %s", url, exc_info=True)
        return None


def extract(
    html: str,
    url: str,
    *,
    captured: str | None = None,
    page: Page | None = None,
    template: Template | None = None,
) -> Post | None:
    """The post in an archived page, or None when the page is not a single post.

    A bug raises: the crawl records it as an extraction error and retries it next run.

    ``page``: the same page already :func:`parse`-d (spares a second parse).
    ``template``: the site's other pages already seen (see :mod:`recover.extract.site`): the
    body is then the region that differs between them, the title the ``<title>`` without
    what they all share. Without it, single-page heuristics decide.
    """
    page = page or parse(html, url)
    if page is None:
        return None
    view = template.view(page) if template is not None else SiteView()
    with language(page.lang):
        post = _extract(page, captured, view)
    if post is not None and page.cut:
        post.partial = True  # the page was cut: its body may be too
    return post


def extract_page(
    html: str,
    url: str,
    *,
    captured: str | None = None,
    page: Page | None = None,
    template: Template | None = None,
) -> Post | None:
    """A static page (About, Contact, Links...) as a ``Post`` of ``type`` ``page``, or None.

    For a page :func:`extract` turns down as no post: its URL has a page's shape (not a
    post's, a listing's, a feed's), it lists no entries, and it has a title (a contact
    page's body may be empty: its form is a script).
    Its date is the page's own, else none (never the capture's).
    """
    page = page or parse(html, url)
    if page is None or kind_of(canonical(page.url)) != "page":
        return None
    view = template.view(page) if template is not None else SiteView()
    with language(page.lang):
        post = _extract(page, None, view, static=True)
    if post is None or not post.title:
        return None
    post.type = "page"
    if not post.published:
        post.provenance.pop("published", None)
    return post


def extract_bytes(
    body: bytes, url: str, content_type: str | None = None, *, captured: str | None = None
) -> Post | None:
    """Decode the page's bytes (see charset.decode), then :func:`extract`."""
    if content_type and not re.search(r"html|xml|text/plain", content_type, re.I):
        return None
    return extract(charset.decode(body, content_type), url, captured=captured)


def _first(*values):
    for value in values:
        if value:
            return value
    return None


def _extract(page: Page, captured: str | None, view: SiteView, static: bool = False) -> Post | None:
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

    published = in_site_zone([f.published for f in layers if f.published])
    page_dated = bool(published)
    if not published and (found := site.own_date(page, view) or gen().published):
        published, page_dated = found, True
    url_date = date_from_url(page.url)
    if not (static or explicit or page_dated or url_date or mt.is_post):
        return None  # an undated page without post markup: about, contact, index...
    # how far the date is to be trusted, for the merge: the page, then its URL, then the capture
    how = "page" if published else ("url" if url_date else "capture")
    published = published or url_date or (None if static else from_capture(captured))

    node, furniture = _body_node(page, en, mf, gen, view, static)
    title = _title(page, layers, gen, node, view)
    categories = _first(*(f.categories for f in layers)) or []
    tags = _first(*(f.tags for f in layers)) or []
    if not categories and not tags and mf.extra.get("terms"):
        tags = mf.extra["terms"]
    if not categories or not tags:  # a theme whose term markup no reader knows
        cats, links = markup.term_links(page, _entry(page, node), body=node)
        categories = categories or [c for c in cats if c not in tags]
        tags = tags or [t for t in links if t not in categories]

    content_html, images = _body(page, node, furniture, en, mf, jl, title)
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


_ENTRY = {"post", "entry", "hentry", "h-entry", "single", "article"}


def _entry(page: Page, node: etree._Element | None) -> etree._Element | None:
    """The post's own element, whose header or footer shows its terms: the single
    ``article`` (or ``main``) holding the body, else the body's nearest ancestor that is
    a post's box (``.post``, ``.entry``), else the body's parent."""
    for selector in ("article", "main", "[role='main']"):
        found = page.css(selector)
        if len(found) == 1 or (found and node is not None and node in found[0].iter()):
            return found[0]
    if node is None:
        return None
    for up in node.iterancestors():
        if classes(up) & _ENTRY:
            return up
    return node.getparent()


def _body_node(
    page: Page,
    en: Fields,
    mf: Fields,
    gen: Callable[[], Fields],
    view: SiteView,
    static: bool = False,
) -> tuple[etree._Element | None, list[etree._Element]]:
    """The element holding the body (and nodes in it that are not), from the most specific
    markup available.

    Engine markup first, then h-entry; on an unknown theme, the region that differs between
    the site's pages (when other pages are known), then the single-page block finder.
    A static page's own empty container (a contact form's) is its body.
    """
    if en.body_html:
        return lxml.html.fragment_fromstring(en.body_html, create_parent="div"), []
    for fields in (en, mf):
        if fields.body is not None and (static or text_of(fields.body)):
            return fields.body, fields.extra.get("drop") or []
    if (found := site.content_region(page, view)) is not None:
        return found
    return gen().body, []


def _title(
    page: Page,
    layers: tuple[Fields, ...],
    gen: Callable[[], Fields],
    node: etree._Element | None,
    view: SiteView,
) -> str:
    """The post's own title: its title element, og:title/JSON-LD, or ``<title>`` minus the
    blog's name; never the blog's name, never a heading of the body ("" when untitled)."""
    names = generic.blog_names(page)
    learned = site.strip_affixes(page.title_tag, view) if view.size else page.title_tag
    from_tag = learned if learned != page.title_tag else generic.title_from_tag(page, names) or ""
    blog = {n.casefold() for n in (meta.site_name(page), *names) if n}

    def is_blog(text: str) -> bool:
        return text.casefold() in blog or view.is_site_name(text)

    in_body = set()
    if node is not None:
        in_body = {text_of(h).casefold() for h in node.iter("h1", "h2", "h3", "h4", "h5", "h6")}
    tag_text = page.title_tag.casefold()
    jl, mf, mt, en = layers
    learned_tag = (from_tag,) if learned != page.title_tag else ()
    for markup_title, candidate in itertools.chain(
        ((False, jl.title), (True, mf.title), (False, mt.title), (True, en.title)),
        ((False, t) for t in learned_tag),  # <title> minus what the site's titles share
        ((True, gen().title) for _ in (1,)),  # the block finder: costly, so asked last, lazily
    ):
        if not candidate or is_blog(candidate):
            continue
        folded = candidate.casefold()
        if markup_title and folded in in_body and folded not in tag_text:
            if from_tag and not is_blog(from_tag):
                return from_tag  # a heading of the body, and <title> names another
        return candidate
    return "" if not from_tag or is_blog(from_tag) else from_tag


def _body(
    page: Page,
    node: etree._Element | None,
    drop: list[etree._Element],
    en: Fields,
    mf: Fields,
    jl: Fields,
    title: str,
) -> tuple[str, list[str]]:
    """The cleaned body HTML and its images."""
    if node is not None:
        found = node is not mf.body and node is not en.body and not en.body_html
        cleaned = body.clean(node, page, title, drop=drop, header=found)
        return body.inner_html(cleaned), body.images(cleaned)
    if jl.body_html:
        return jl.body_html, []
    return "", []


_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\ufffd]")  # control characters but \t\n\f\r


def _binary(text: str) -> bool:
    """True for bytes that were served as text/html but are not text."""
    sample = text[:4096]
    if not sample:
        return False
    return len(_NOT_TEXT.findall(sample)) / len(sample) > 0.1


__all__ = ["Template", "detect", "extract", "extract_bytes", "parse"]
