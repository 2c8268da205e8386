"""A parsed archived page and the small lookups every engine needs."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import cached_property

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

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


def text_of(el: etree._Element | None) -> str:
    """Whitespace-collapsed text of an element (comments and scripts excluded)."""
    if el is None:
        return ""
    parts = []
    for node in el.iter():
        if node is not el and not isinstance(node.tag, str):
            if node.tail:
                parts.append(node.tail)
            continue
        if isinstance(node.tag, str) and node.tag.lower() in ("script", "style", "noscript"):
            if node.tail and node is not el:
                parts.append(node.tail)
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node.tail and node is not el:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def classes(el: etree._Element) -> set[str]:
    """The class tokens of an element, lower case."""
    return set((el.get("class") or "").lower().split())


@functools.lru_cache(maxsize=4096)
def _selector(selector: str) -> CSSSelector | None:
    """A CSS selector compiled once (translating CSS to XPath is the costly part)."""
    try:
        return CSSSelector(selector, translator="html")
    except Exception:
        return None


class Page:
    """One archived HTML page: its tree (archive additions removed) and site URL."""

    def __init__(self, html: str, url: str) -> None:
        self.url = original_url(url)
        html = archive.strip_text(html[:MAX_CHARS])
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
        html = _CONTROL.sub("", html)
        self.raw = html
        self.root = lxml.html.fromstring(html or "<html></html>")
        archive.clean_tree(self.root, self.url)

    # -- lookups ---------------------------------------------------------------------------
    def css(self, selector: str, root: etree._Element | None = None) -> list[etree._Element]:
        """Elements matching a CSS selector (empty list if the selector is invalid)."""
        compiled = _selector(selector)
        if compiled is None:
            return []
        try:
            return compiled(root if root is not None else self.root)
        except Exception:
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
    def title_tag(self) -> str:
        el = self.root.find(".//title")
        return text_of(el) if el is not None else ""

    @cached_property
    def class_tokens(self) -> set[str]:
        """Every class and id token in the page (for engine detection)."""
        out: set[str] = set()
        for el in self.root.iter():
            if isinstance(el.tag, str):
                out.update((el.get("class") or "").lower().split())
                if el.get("id"):
                    out.add("#" + el.get("id").lower())
        return out

    @cached_property
    def comments_text(self) -> list[str]:
        """Text of the HTML comments (engines hide metadata there)."""
        return [c.text or "" for c in self.root.iter(etree.Comment)]

    def link(self, rel: str) -> str | None:
        for el in self.root.iter("link"):
            if rel in (el.get("rel") or "").lower().split() and el.get("href"):
                return el.get("href")
        return None

    def absolute(self, href: str | None) -> str | None:
        return absolute(href, self.url) if href else None
