"""Microformats: classic ``hentry`` (2005-era themes) and ``h-entry`` (IndieWeb, new themes)."""

from __future__ import annotations

from lxml import etree

from recover.extract.body import inner_html
from recover.extract.dates import parse_date
from recover.extract.page import Fields, Page, classes, text_of
from recover.post import Comment

_ENTRY = frozenset(("hentry", "h-entry"))
_WITH_CLASS = etree.XPath("descendant-or-self::*[@class]")


def entries(page: Page) -> list[etree._Element]:
    """Top-level post entries (nested entries, e.g. comments marked h-entry, excluded)."""
    if not page.class_tokens & _ENTRY:
        return []  # no element of the page has the class
    found = [el for el in _WITH_CLASS(page.root) if classes(el) & _ENTRY]
    found_set = set(found)
    top = []
    for el in found:
        anc = el.getparent()
        nested = False
        while anc is not None:
            if anc in found_set or classes(anc) & {
                "comment",
                "comments",
                "commentlist",
                "comment-list",
                "h-cite",
                "p-comment",
            }:
                nested = True
                break
            anc = anc.getparent()
        if not nested and not classes(el) & {"comment", "h-cite", "p-comment"}:
            top.append(el)
    return top


def _within(page: Page, root: etree._Element, *names: str) -> etree._Element | None:
    """The first element matching one of ``names`` in ``root``, outside its comments."""
    for name in names:
        for el in page.css(name, root):
            if not _in_comment(el, root):
                return el
    return None


def _in_comment(el: etree._Element, root: etree._Element) -> bool:
    """True inside a comment (a nested entry, or a theme's comment list) under ``root``."""
    for anc in el.iterancestors():
        if anc is root:
            return False
        tokens = set((anc.get("class") or "").lower().split())
        if tokens & {"comment", "p-comment", "h-cite", "comments", "comment-list", "commentlist"}:
            return True
        if (anc.get("id") or "").lower() == "comments":
            return True
    return False


def date_of(el: etree._Element | None) -> str | None:
    """A date from a <time datetime>, <abbr title>, ``value-title`` or the text."""
    if el is None:
        return None
    for attr in ("datetime", "title", "content"):
        value = el.get(attr)
        if value and (found := parse_date(value)):
            return found
    inner = el.find(".//*[@class='value-title']")
    if inner is not None and (found := parse_date(inner.get("title"))):
        return found
    # as shown, then with every piece apart ("<span>Jun</span><span>21</span>" shows "Jun21")
    return parse_date(text_of(el)) or parse_date(" ".join(el.itertext()))


def read(page: Page) -> Fields:
    """Fields from the page's single hentry/h-entry, if it has exactly one."""
    items = entries(page)
    fields = Fields(entries=len(items))
    if len(items) != 1:
        return fields
    entry = items[0]
    title = _within(page, entry, ".p-name", ".entry-title")
    if title is not None and title.tag not in ("article", "div", "section"):
        fields.title = text_of(title) or None
    fields.published = date_of(
        _within(page, entry, ".dt-published", ".published", "time.entry-date", ".updated")
    )
    fields.is_post = bool(fields.published)  # hentry marks static pages too: need a date
    fields.updated = date_of(_within(page, entry, ".dt-updated", ".updated"))
    author = _within(
        page,
        entry,
        ".p-author .p-name",
        ".p-author",
        ".author .fn",
        ".vcard .fn",
        ".author.vcard",
        ".h-card",
    )
    if author is not None:
        fields.author = text_of(author) or None
    terms = [text_of(a) for a in page.css(".p-category", entry)]
    if terms := [t for t in terms if t]:
        # mf2 has one kind of term; engine markup knows categories from tags
        fields.extra["terms"] = list(dict.fromkeys(terms))
    body = _within(page, entry, ".e-content", ".entry-content")
    if body is not None:
        fields.body = body
    fields.comments = _comments(page, entry) or None
    return fields


def _comments(page: Page, entry: etree._Element) -> list[Comment]:
    out = []
    for el in page.css(".p-comment.h-cite, .p-comment.h-entry, .h-cite.u-comment", entry):
        author = _within(page, el, ".p-author .p-name", ".p-author", ".h-card")
        url = _within(page, el, ".p-author .u-url", ".u-url")
        content = _within(page, el, ".e-content", ".p-content", ".p-name")
        if content is None:
            continue
        out.append(
            Comment(
                author=text_of(author) or None,
                published=date_of(_within(page, el, ".dt-published", "time")),
                content_html=inner_html(content),
                author_url=page.absolute(url.get("href")) if url is not None else None,
            )
        )
    return out
