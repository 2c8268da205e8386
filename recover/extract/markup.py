"""Helpers shared by the engine readers: pick by selector list, terms, dates, comments."""

from __future__ import annotations

import re

from lxml import etree

from recover.extract.body import inner_html
from recover.extract.dates import parse_date
from recover.extract.microformats import date_of
from recover.extract.page import Page, classes, text_of
from recover.post import Comment
from recover.urls import host_of

# "NAME said..." as comment templates print it in their languages
_SAID = re.compile(
    r"\s+(?:said|says|wrote|dijo|escribi[óo]|disse|escreveu|a dit|a écrit|dit|"
    r"hat gesagt|sagt|schrieb|ha detto|dice|scrive|zei|schreef|schrijft|"
    r"napisał[a]?|написал[а]?|сказал[а]?|kirjoitti|skrev|sagde|sa)\s*(?:\.\.\.|…|\.)*\s*:?\s*$",
    re.IGNORECASE,
)
# "posted by NAME at 12:32" as blog templates print it in their languages
POSTED_LABEL = re.compile(
    r"^\s*(?:posted by|publicado por|postado por|publi[ée] par|eingestellt von|"
    r"ver[öo]ffentlicht von|geschrieben von|written by|pubblicato da|scritto da|"
    r"geplaatst door|opublikowane przez|submitted by|"
    r"отправил|投稿者|作者)\s*:?\s*",
    re.IGNORECASE,
)
_POSTED_BY = re.compile(
    POSTED_LABEL.pattern.replace("^", "", 1)
    + r"(.+?)(?:\s+(?:at|on|@|a las|às|à|um|am|alle|il|om|o|в)\s|\s*\||$)",
    re.IGNORECASE,
)
# the list of all terms (/tags/); /tags/#x (Minimal Mistakes, Chirpy) is term x on that list
_TERM_INDEX = re.compile(r"/(?:tags?|categor(?:y|ies)|labels?|topics?)/?(?:\?[^#]*)?#?$", re.I)
# a link to one term: /tag/x, /tags/x, /tags/#x, /categories/x, /search/label/x, /topics/x
_TERM_LINK = re.compile(
    r"/(?P<kind>search/label|labels?|categor(?:y|ies)|tags?|tagged|topics?)/"
    r"(?:[^/?#]+|[^?#]*#[^#]+)",
    re.IGNORECASE,
)
_NOT_ENTRY = {"sidebar", "widget", "widget-area", "comments", "comment", "related", "nav", "menu"}
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
            if _TERM_INDEX.search(el.get("href") or ""):
                continue  # the list of all tags, not a tag
            text = _TERM_NOISE.sub("", text_of(el)).strip()
            if text and text not in out and len(text) < 100:
                out.append(text)
        if out:
            return out
    return out


def term_links(
    page: Page, root: etree._Element | None, body: etree._Element | None = None
) -> tuple[list[str], list[str]]:
    """(categories, tags) from the links to term listings in a post outside its ``body``
    (``rel="tag"``, an ``/tags/x`` or ``/categories/#x`` address): what a theme no reader
    knows shows. A link to a category or label listing (or ``rel="category"``) is a
    category; a link in the body is the author's, not a term, and one to another site is
    no term of this blog."""
    cats: list[str] = []
    tags: list[str] = []
    if root is None:
        return cats, tags
    inside = set(body.iter("a")) if body is not None else set()
    home = host_of(page.url)
    for a in root.iter("a"):
        if a in inside:
            continue
        href, rel = a.get("href") or "", (a.get("rel") or "").lower().split()
        if host_of(page.absolute(href) or "") != home:
            continue  # another site's listing (a commenter's link), not this blog's term
        m = _TERM_LINK.search(href)
        if not m and "tag" not in rel and "category" not in rel:
            continue
        if _TERM_INDEX.search(href) or any(
            classes(up) & _NOT_ENTRY for up in a.iterancestors() if up is not root
        ):
            continue
        text = _TERM_NOISE.sub("", text_of(a)).strip()
        if not text or len(text) >= 100:
            continue
        kind = (m.group("kind") if m else "").lower()
        cat = "category" in rel or kind.startswith(("categor", "label", "search"))
        into = cats if cat else tags
        if text not in into:
            into.append(text)
    return cats, tags


def terms_noise(text: str) -> str:
    """A term's text less its decoration ("#tag", "Tags: x")."""
    return _TERM_NOISE.sub("", text).strip()


def posted_by(text: str) -> str | None:
    """The name in a "Posted by NAME at ..." line, in the languages templates print it."""
    m = _POSTED_BY.search(text or "")
    name = m.group(1).strip() if m else ""
    if name.endswith(".") and name.count(".") == 1:
        name = name[:-1].strip()  # "Posted by Julien. Permalink": the sentence's full stop
    return name or None


def byline_text(el: etree._Element | None) -> str:
    """A "Posted by NAME ..." line up to its first link, unless that link is the name
    ("Posted by Julien. <a>Permalink</a>" is "Posted by Julien.")."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag == "a":
            if POSTED_LABEL.fullmatch(" ".join(parts)) or not "".join(parts).strip():
                parts.append(text_of(child) + (child.tail or ""))
                continue
            break
        parts.append(text_of(child) + (child.tail or ""))
    return " ".join(" ".join(parts).split())


_BYLINE = re.compile(r"^(?:by|par|von|por|di|da|door|av|af|przez|от)\s+(\S.{0,40})$", re.IGNORECASE)


def byline(page: Page, root: etree._Element | None) -> str | None:
    """The author of a "By NAME" line (a short element whose whole text is that)."""
    for el in (root if root is not None else page.root).iter("p", "span", "div", "small"):
        text = text_of(el)
        if len(text) <= 50 and (m := _BYLINE.match(text)):
            return m.group(1).strip()
    return None


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
    kind: str = "comment",
) -> Comment | None:
    """A Comment from the pieces of a theme's comment markup (None if no content).

    ``kind``: "pingback" or "trackback" for a link from another blog (its text may be empty).
    """
    if content is None and kind == "comment":
        return None
    html = "" if content is None else content if isinstance(content, str) else inner_html(content)
    if not html.strip() and kind == "comment":
        return None
    url = None
    if isinstance(author, etree._Element):
        link = author if author.tag == "a" else author.find(".//a")
        href = link.get("href") if link is not None else None
        if href and not href.startswith(("#", "javascript:")):
            url = page.absolute(href)
        author = text_of(author)
    author = _SAID.sub("", author or "")
    return Comment(
        author=author.strip() or None,
        published=parse_date(date) if date else None,
        content_html=html,
        author_url=url,
        id=ident,
        parent=parent,
        type=kind,
    )


__all__ = [
    "byline",
    "byline_text",
    "comment",
    "count",
    "parse_date",
    "pick",
    "pick_date",
    "pick_text",
    "posted_by",
    "term_links",
    "terms",
]
