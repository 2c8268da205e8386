"""Fallback for hand-written and unknown sites: <title>, <time>, the densest content block."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from recover.extract import markup
from recover.extract.dates import parse_date
from recover.extract.meta import site_name
from recover.extract.page import Fields, Page, classes, text_of

NAME = "generic"

_CANDIDATES = [
    "article",
    "[itemprop='articleBody']",
    "main",
    "[role='main']",
    "#content",
    "#main",
    ".content",
    ".post",
    ".entry",
    "#container",
    "body",
]
_BLOCKS = {
    "p",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "font",
    "span",
    "b",
    "i",
    "em",
    "strong",
    "a",
    "code",
}  # no "table": layouts use it
_SEPARATORS = re.compile(r"\s+(?:[|\-\u2013\u2014:\u00bb\u00ab/\u00b7\u2022~]|::)\s+|:\s+")


def detect(page: Page) -> int:
    return 1


def title_from_tag(page: Page, names: list[str]) -> str | None:
    """The <title> without the blog's name around it."""
    title = page.title_tag
    if not title:
        return None
    lowered = [n.casefold() for n in names if n]
    if title.strip().casefold() in lowered:
        return ""  # the blog's name alone: an untitled post
    parts = _SEPARATORS.split(title)
    if len(parts) > 1 and lowered:
        seps = _SEPARATORS.findall(title)
        if parts[0].strip().casefold() in lowered:
            return _join(parts[1:], seps[1:]) or title
        if parts[-1].strip().casefold() in lowered:
            return _join(parts[:-1], seps[:-1]) or title
    return title


def _join(parts: list[str], seps: list[str]) -> str:
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip()


def blog_names(page: Page) -> list[str]:
    """Names the blog calls itself: og:site_name, the banner heading, the home link."""
    names = []
    if name := site_name(page):
        names.append(name)
    for sel in [
        "#banner h1",
        ".site-title",
        "#blog-title",
        ".blog-title",
        "#header h1",
        "header h1 a",
        ".navbar-brand",
        "h1 a[href='/']",
    ]:
        for el in page.css(sel):
            link = el if el.tag == "a" else el.find(".//a")
            if link is not None and not _home(page, link.get("href")):
                continue  # a heading linking elsewhere: a post's title, not the blog's
            if text_of(el):
                names.append(text_of(el))
    return names


def _home(page: Page, href: str | None) -> bool:
    """True for a link to the blog's front page (``/``, or ``/blog/`` for a blog in a folder)."""
    if not href:
        return True
    try:
        path = urlsplit(page.absolute(href) or "").path.strip("/")
        here = urlsplit(page.url).path.strip("/").split("/")
    except ValueError:  # a broken URL
        return False
    if path in ("", "index.html", "index.php"):
        return True
    return "/" not in path and len(here) > 1 and here[0] == path


def read(page: Page) -> Fields:
    fields = Fields()
    fields.title = _heading_title(page) or title_from_tag(page, blog_names(page))
    main = markup.pick(page, None, ["article", "main", "[role='main']"])
    fields.published = markup.pick_date(page, main, ["time[datetime]", "time", "[pubdate]"])
    fields.body = best_block(page)
    if not fields.published and fields.body is not None:
        fields.published = _dateline(fields.body)
    return fields


_DATED = re.compile(r"^(?P<d>[\d\s/.\-:年月日()（）]{6,}?)\s+(?P<t>\S.*)$")


def _heading_title(page: Page) -> str | None:
    """A heading that is also one side of the <title> ("Site - Heading"), or that side
    less the date a diary puts before it ("Site - 2003/05/06 Heading")."""
    title = page.title_tag
    parts = {p.strip().casefold() for p in _SEPARATORS.split(title)} if title else set()
    if len(parts) < 2:
        return None
    for part in list(parts):
        if (m := _DATED.match(part)) and parse_date(m.group("d")):
            parts.add(m.group("t").strip())
    for el in page.root.iter("h1", "h2", "h3"):
        text = text_of(el)
        if text and text.casefold() in parts:
            return text
    return None


def _dateline(block: etree._Element) -> str | None:
    """A short line near the top of the content that is just a date ("June 3, 2001")."""
    for i, el in enumerate(
        block.iter("p", "div", "span", "i", "em", "small", "b", "font", "h2", "h3", "h4", "time")
    ):
        if i > 15:
            break
        text = text_of(el)
        if 6 <= len(text) <= 60 and (found := parse_date(text)):
            if len(re.sub(r"[\W\d_]+", "", text)) <= 30:
                return found
    return None


def best_block(page: Page) -> etree._Element | None:
    """The block holding most of the page's paragraph text (one bottom-up pass)."""
    total: dict[etree._Element, int] = {}
    para: dict[etree._Element, int] = {}
    link: dict[etree._Element, int] = {}
    nodes = [el for el in page.root.iter() if isinstance(el.tag, str)]
    for el in reversed(nodes):
        if el.tag in ("script", "style", "noscript", "template"):
            total[el] = para[el] = link[el] = 0
            continue
        own = len((el.text or "").strip())
        kids = [c for c in el if isinstance(c.tag, str)]
        own += sum(len((c.tail or "").strip()) for c in el)
        total[el] = own + sum(total.get(c, 0) for c in kids)
        # Text the block holds directly: its own lines and its paragraph-like children.
        para[el] = own + sum(total.get(c, 0) for c in kids if c.tag in _BLOCKS)
        link[el] = total[el] if el.tag == "a" else sum(link.get(c, 0) for c in kids)
    best, best_score = None, 0.0
    for el in nodes:
        if el.tag not in ("div", "article", "main", "section", "td", "body"):
            continue
        if classes(el) & {"sidebar", "comments", "footer", "header", "nav", "widget"}:
            continue
        score = float(para.get(el, 0))
        score *= max(0.0, 1 - link.get(el, 0) / (total.get(el, 0) or 1))
        if el.tag in ("article", "main"):
            score *= 1.2
        if score > best_score:
            best, best_score = el, score
    return best
