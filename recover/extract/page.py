"""A parsed archived page and the small lookups every engine needs."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

from recover.document import HUGE, document
from recover.extract import archive
from recover.post import Comment
from recover.urls import absolute, original_url

MAX_CHARS = 5_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Fields:
    """What one source of evidence says about the post (None: says nothing)."""

    title: str | None = None
    published: str | None = None
    updated: str | None = None
    author: str | None = None
    categories: list[str] | None = None
    tags: list[str] | None = None
    body: etree._Element | None = None
    body_html: str | None = None  # when the source gives HTML rather than a node
    comments: list[Comment] | None = None
    is_post: bool = False  # explicit single-post markup
    entries: int = 0  # post containers seen (more than one: an index page)
    extra: dict = field(default_factory=dict)


_INLINE = frozenset(
    "a abbr acronym b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q "
    "s samp small span strike strong sub sup time tt u var wbr".split()
)
_SKIP = frozenset(("script", "style", "noscript", "template"))


def text_of(el: etree._Element | None) -> str:
    """Whitespace-collapsed text of an element, as a browser lays it out.

    Inline markup adds no space (``Mark<sup>up</sup>`` is "Markup", ``a <em>b</em>`` keeps its
    space); block elements and ``<br>`` separate words. Comments and scripts are left out.
    """
    if el is None:
        return ""
    if len(el) == 0 and isinstance(el.tag, str):  # a leaf (a link, a date): its own text
        return "" if el.tag.lower() in _SKIP else " ".join((el.text or "").split())
    parts: list[str] = []
    walker = etree.iterwalk(el, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event in ("comment", "pi"):
            if node.tail and node is not el:
                parts.append(node.tail)
            continue
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag not in _INLINE:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
            continue
        if tag not in _INLINE:
            parts.append(" ")
        if node.tail and node is not el:
            parts.append(node.tail)
    return " ".join("".join(parts).split())


def outermost(elements: Iterable[etree._Element]) -> list[etree._Element]:
    """The elements (each once, in their order) that no other of them holds."""
    found = list(dict.fromkeys(elements))
    given = set(found)
    return [el for el in found if not any(a in given for a in el.iterancestors())]


def classes(el: etree._Element) -> set[str]:
    """The class tokens of an element, lower case."""
    return set((el.get("class") or "").lower().split())


@functools.lru_cache(maxsize=4096)
def _selector(selector: str) -> CSSSelector | None:
    """A CSS selector compiled once (translating CSS to XPath is the costly part)."""
    try:
        return CSSSelector(selector, translator="html")
    except SelectorError:  # a selector this CSS translator does not know
        return None


_BRACKETS = re.compile(r"\[[^\]]*\]|\([^()]*\)|\"[^\"]*\"|'[^']*'")
_NAMED = re.compile(r"([.#])(-?[_a-zA-Z][-\w]*)")


@functools.lru_cache(maxsize=4096)
def _needs(selector: str) -> tuple[frozenset[str], ...] | None:
    """Per alternative of a selector list, the class (``x``) and id (``#x``) tokens an
    element tree must hold for it to match; None when that cannot be told safely
    (escapes, nested brackets).  What ``:not(...)`` and ``[attr]`` name is not required."""
    if "\\" in selector:
        return None
    plain = selector
    for _ in range(3):  # brackets inside brackets, innermost first
        plain = _BRACKETS.sub(" ", plain)
    if any(c in plain for c in "[]()\"'"):
        return None
    return tuple(
        frozenset(("#" if mark == "#" else "") + name.lower() for mark, name in _NAMED.findall(alt))
        for alt in plain.split(",")
    )


def lxml_fragment(html: str) -> etree._Element:
    """``html`` (a body, a feed entry's content) parsed inside one ``<div>``."""
    try:
        return lxml.html.fragment_fromstring(flatten(html), create_parent="div", parser=HUGE)
    except (etree.ParserError, ValueError):  # nothing in it lxml can read
        return lxml.html.fragment_fromstring("<div></div>")


# libxml2 stops nesting at 255 levels and drops the rest of the page (300 paragraphs of
# unclosed <font> keep 251): huge_tree (``document.HUGE``) lifts that to about 2,000, and
# :func:`flatten` keeps deeper pages under it (and under Python's recursion limit downstream)
MAX_DEPTH = 200
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b[^>]*?(/?)>")
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen".split()
)
# elements whose end tag may be left out: an unclosed one is closed by its next sibling,
# so old pages full of them are not deep (never counted, never dropped)
_SELF_ENDING = frozenset("p li dt dd tr td th option thead tbody tfoot colgroup rt rp".split())


# the same tags as _TAG (each ends at the first ">"), matched without the lazy scan
_TAG_FAST = re.compile(r"<(/?)([a-zA-Z][\w:-]*)\b([^>]*)>")
_UNCOUNTED = _VOID | _SELF_ENDING


def _deepest(html: str, limit: int) -> int:
    """At least the deepest nesting :func:`flatten` counts in ``html`` (often exactly it),
    or a number over ``limit`` as soon as it cannot be shown to stay under it.

    Opening tags as "(", closing ones as "/": every pass removes the innermost matched
    pairs, so the passes bound the matched nesting and what is left (unmatched closing
    tags, which do not count at depth 0, then unmatched opening ones) adds its openings.
    """
    marks = "".join(
        [c or "(" for c, name, rest in _TAG_FAST.findall(html)
         if rest[-1:] != "/" and name.lower() not in _UNCOUNTED]
    )  # fmt: skip
    passes = 0
    while "(/" in marks and passes <= limit:
        marks = marks.replace("(/", "")
        passes += 1
    return passes + marks.count("(")


def flatten(html: str, limit: int = MAX_DEPTH) -> str:
    """``html`` with tags opened past ``limit`` levels (and their closing tags) removed.

    Text is kept; only the nesting deeper than any real page needs goes.  Unclosed tags
    count as open (except those a sibling closes, like ``<p>``).
    """
    if html.count("<") <= limit or _deepest(html, limit) <= limit:
        return html
    depth = 0
    dropped: dict[str, int] = {}

    def tag(m: re.Match[str]) -> str:
        nonlocal depth
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or name in _SELF_ENDING or selfclosing:
            return m.group(0)
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                return ""
            depth = max(0, depth - 1)
            return m.group(0)
        if depth >= limit:
            dropped[name] = dropped.get(name, 0) + 1
            return ""
        depth += 1
        return m.group(0)

    return _TAG.sub(tag, html)


# attribute values read in C, without a Python object for every element
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_ID_VALUES = etree.XPath("descendant-or-self::*/@id", smart_strings=False)


class Page:
    """One archived HTML page: its tree (archive additions removed) and site URL."""

    def __init__(self, html: str, url: str) -> None:
        self.url = original_url(url)
        self.cut = len(html) > MAX_CHARS  # read up to MAX_CHARS: the rest is lost
        html = flatten(archive.strip_text(html[:MAX_CHARS]))
        html = _CONTROL.sub("", html)
        self.raw = html
        self.root = document(html)
        archive.clean_tree(self.root, self.url)

    # -- lookups ---------------------------------------------------------------------------
    def css(self, selector: str, root: etree._Element | None = None) -> list[etree._Element]:
        """Elements matching a CSS selector (empty list if the selector is invalid)."""
        compiled = _selector(selector)
        if compiled is None:
            return []
        needs = _needs(selector)
        if needs and (root is None or root.getroottree().getroot() is self.root):
            tokens = self.class_tokens
            if not any(need <= tokens for need in needs):
                return []  # a class or id it needs is on no element of the page
        try:
            return compiled(root if root is not None else self.root)
        except etree.XPathError:
            return []

    def first(self, selector: str, root: etree._Element | None = None) -> etree._Element | None:
        found = self.css(selector, root)
        return found[0] if found else None

    def text(self, selector: str, root: etree._Element | None = None) -> str:
        return text_of(self.first(selector, root))

    @cached_property
    def metas(self) -> dict[str, list[str]]:
        """``<meta>`` content by lower-cased name/property/itemprop/http-equiv."""
        out: dict[str, list[str]] = {}
        for el in self.root.iter("meta"):
            content = el.get("content")
            if content is None:
                continue
            for attr in ("name", "property", "itemprop", "http-equiv"):
                key = (el.get(attr) or "").strip().lower()
                if key:
                    out.setdefault(key, []).append(content.strip())
        return out

    def meta(self, *names: str) -> str | None:
        """The first non-empty meta content among ``names``."""
        for name in names:
            for value in self.metas.get(name.lower(), []):
                if value:
                    return value
        return None

    def meta_all(self, name: str) -> list[str]:
        return [v for v in self.metas.get(name.lower(), []) if v]

    @cached_property
    def generator(self) -> str:
        return (self.meta("generator") or "").lower()

    @cached_property
    def lang(self) -> str | None:
        """The page's language ("fr", "de-at"): ``<html lang>``, content-language, og:locale."""
        html = self.root if self.root.tag == "html" else self.root.find(".//html")
        for value in (
            html.get("lang") if html is not None else None,
            html.get("{http://www.w3.org/XML/1998/namespace}lang") if html is not None else None,
            html.get("xml:lang") if html is not None else None,
            self.meta("content-language", "language", "dc.language", "og:locale"),
        ):
            if value and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value.strip()):
                return value.strip().replace("_", "-").lower()
        return None

    @cached_property
    def title_tag(self) -> str:
        el = self.root.find(".//title")
        return text_of(el) if el is not None else ""

    @cached_property
    def class_tokens(self) -> set[str]:
        """Every class and id token in the page (for engine detection)."""
        out = {token for value in _CLASS_VALUES(self.root) for token in value.lower().split()}
        out.update("#" + value.lower() for value in _ID_VALUES(self.root) if value)
        return out

    def source_has(self, *needles: str, limit: int = 400_000, lower: bool = False) -> bool:
        """Whether the page's source (its first ``limit`` characters) holds any of
        ``needles`` (a plain substring search, nothing copied: engines' signatures);
        ``lower``: in the source lower-cased (its first 300,000 characters at most)."""
        text = self._lowered if lower else self.raw
        return any(text.find(needle, 0, limit) >= 0 for needle in needles)

    @cached_property
    def _lowered(self) -> str:
        return self.raw[:300_000].lower()

    @cached_property
    def comments_text(self) -> list[str]:
        """Text of the HTML comments (engines hide metadata there)."""
        return [c.text or "" for c in self.root.iter(etree.Comment)]

    def link(self, rel: str) -> str | None:
        found = self.links(rel)
        return found[0] if found else None

    def links(self, rel: str) -> list[str]:
        """The ``href`` of every ``<link>`` with ``rel`` among its relations, as written."""
        return [
            el.get("href")
            for el in self.root.iter("link")
            if rel in (el.get("rel") or "").lower().split() and el.get("href")
        ]

    def absolute(self, href: str | None) -> str | None:
        return absolute(href, self.url) if href else None
