"""``<meta>`` evidence: OpenGraph, article:*, Dublin Core, Parsely/sailthru, generator."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from recover.extract.dates import parse_date
from recover.extract.page import Fields, Page

_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publishdate",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "citation_date",
)
_UPDATED = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)


_AUTHOR = (
    "article:author",
    "author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "citation_author",
)


def read(page: Page) -> Fields:
    """What the page's meta tags say about the post."""
    fields = Fields()
    og_type = (page.meta("og:type") or "").lower()
    fields.is_post = og_type == "article" and bool(page.meta(*_PUBLISHED))
    title = page.meta(
        "og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "citation_title"
    )
    if title and og_type not in ("website", "blog", "profile"):
        fields.title = " ".join(html.unescape(title).split())
    for name in _PUBLISHED:
        if found := parse_date(page.meta(name)):
            fields.published = found
            break
    for name in _UPDATED:
        if found := parse_date(page.meta(name)):
            fields.updated = found
            break
    for name in _AUTHOR:  # article:author is often a profile's URL: then the next one
        author = page.meta(name)
        if author and not author.startswith(("http://", "https://")):
            fields.author = " ".join(author.split()) or None
            break
    folder = _path(page.url).strip("/").split("/")[0].casefold()
    section = [s for s in page.meta_all("article:section") if s.casefold() != folder]
    if section:  # Hugo's section is the content folder (/posts/...), not a category
        fields.categories = list(dict.fromkeys(section))
    tags = page.meta_all("article:tag")
    if tags:
        fields.tags = list(dict.fromkeys(tags))
    return fields


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:  # a broken URL ("http://[bad/")
        return ""


def site_name(page: Page) -> str | None:
    """The blog's name, as the page states it."""
    return page.meta("og:site_name", "application-name", "twitter:site")
