"""Helpers shared by the engine readers: pick by selector list, terms, dates, comments."""

from __future__ import annotations

import re

from lxml import etree

from recover.extract.body import inner_html
from recover.extract.dates import parse_date
from recover.extract.microformats import date_of
from recover.extract.page import Page, text_of
from recover.post import Comment

_TERM_NOISE = re.compile(r"^(#|tags?:|labels?:|categories:|category:)\s*", re.IGNORECASE)


def pick(page: Page, root: etree._Element | None, selectors: list[str]) -> etree._Element | None:
    """The first element matched by the first selector that matches anything."""
    for selector in selectors:
        el = page.first(selector, root)
        if el is not None:
            return el
    return None


def pick_text(page: Page, root: etree._Element | None, selectors: list[str]) -> str | None:
    """The text of the first matching element that has text."""
    for selector in selectors:
        for el in page.css(selector, root):
            text = text_of(el)
            if text:
                return text
    return None


def pick_date(page: Page, root: etree._Element | None, selectors: list[str]) -> str | None:
    """The first date found among the selectors (attributes first, then text)."""
    for selector in selectors:
        for el in page.css(selector, root):
            found = date_of(el)
            if found:
                return found
    return None


def terms(page: Page, root: etree._Element | None, selectors: list[str]) -> list[str]:
    """Link texts of term lists (categories, tags, labels), de-duplicated, in order."""
    out: list[str] = []
    for selector in selectors:
        for el in page.css(selector, root):
            text = _TERM_NOISE.sub("", text_of(el)).strip()
            if text and text not in out and len(text) < 100:
                out.append(text)
        if out:
            return out
    return out


def count(page: Page, selector: str) -> int:
    return len(page.css(selector))


def comment(
    page: Page,
    *,
    author: etree._Element | str | None,
    date: str | None,
    content: etree._Element | str | None,
    ident: str | None = None,
    parent: str | None = None,
) -> Comment | None:
    """A Comment from the pieces of a theme's comment markup (None if no content)."""
    if content is None:
        return None
    html = content if isinstance(content, str) else inner_html(content)
    if not html.strip():
        return None
    url = None
    if isinstance(author, etree._Element):
        link = author if author.tag == "a" else author.find(".//a")
        href = link.get("href") if link is not None else None
        if href and not href.startswith(("#", "javascript:")):
            url = page.absolute(href)
        author = text_of(author)
    author = re.sub(r"\s+(said|says|wrote)\.*:?\s*$", "", author or "", flags=re.IGNORECASE)
    return Comment(
        author=author.strip() or None,
        published=parse_date(date) if date else None,
        content_html=html,
        author_url=url,
        id=ident,
        parent=parent,
    )


__all__ = ["comment", "count", "parse_date", "pick", "pick_date", "pick_text", "terms"]
