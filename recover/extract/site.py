"""What a site's pages share: the template (header, sidebar, footer) and the title's site name.

A :class:`Template` is fed the pages of a site already fetched (home, listings, posts); from
them it knows which text repeats on every page (the theme's furniture) and what every
``<title>`` adds to the post's own title (the blog's name, with whatever separator). The
extraction of one more page of the same site then takes as its body the region whose text
is its own, and as its title the ``<title>`` without that shared part. It keeps small text
fingerprints of a bounded number of pages per host, never the trees.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from recover.extract.dates import parse_date
from recover.extract.page import Page, classes
from recover.urls import canonical, host_of

MAX_PAGES = 12  # pages remembered per host
_SKIP = ("script", "style", "noscript", "template", "head", "title")


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


_PIECES: weakref.WeakKeyDictionary[Page, list[tuple[etree._Element, str, str]]] = (
    weakref.WeakKeyDictionary()
)


def _pieces(page: Page) -> list[tuple[etree._Element, str, str]]:
    """Each text piece of the page: (its element, the text normalised, the element's path).

    A path is the chain of tags, ids and classes from the root: the same sidebar line sits
    at the same path on every page of a theme, a post's title in a listing does not.
    A tail belongs to its parent (the element it is the text of).  Walked once a page
    (remembered while the page lives): the template, the content region and the date read it.
    """
    if (known := _PIECES.get(page)) is None:
        known = _PIECES[page] = list(_walk(page))
    return known


def _walk(page: Page) -> Iterator[tuple[etree._Element, str, str]]:
    paths: dict[etree._Element, str] = {}
    for el in page.root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        tag = el.tag.lower()
        mark = tag + ("#" + el.get("id") if el.get("id") else "")
        mark += "".join("." + c for c in sorted(classes(el)))
        paths[el] = (paths.get(parent, "") if parent is not None else "") + "/" + mark
    for el, path in paths.items():
        if el.tag.lower() in _SKIP or any(a.tag in _SKIP for a in el.iterancestors()):
            continue
        if el.text and len(t := _norm(el.text)) > 1:
            yield el, t, path
        for child in el:
            if child.tail and len(t := _norm(child.tail)) > 1:
                yield el, t, path


@dataclass
class _Seen:
    url: str
    title: str
    texts: frozenset[str]  # text pieces
    placed: frozenset[str]  # path + text of each piece


@dataclass
class Chrome:
    """The theme's text: what sits at the same place on another page, or is on many."""

    placed: set[str]
    common: set[str]

    def has(self, text: str, path: str) -> bool:
        return text in self.common or f"{path}\x00{text}" in self.placed


@dataclass
class SiteView:
    """What the other pages of one site say, seen from one page of it."""

    pages: list[_Seen] = field(default_factory=list)
    _chrome: Chrome | None = field(default=None, repr=False, compare=False)

    @property
    def size(self) -> int:
        return len(self.pages)

    def chrome(self) -> Chrome:
        """The theme's text: a piece at the same place on another page, or a piece on at
        least half of them (two at least).  Made once a view."""
        if self._chrome is None:
            self._chrome = self._make_chrome()
        return self._chrome

    def _make_chrome(self) -> Chrome:
        n = len(self.pages)
        need = max(2, (n + 1) // 2)
        counts = Counter(t for seen in self.pages for t in seen.texts)
        placed = {p for seen in self.pages for p in seen.placed}
        return Chrome(placed, {t for t, k in counts.items() if k >= need})

    def title_affixes(self, title: str) -> tuple[str, str]:
        """The prefix and suffix ``title`` shares with the other pages' titles.

        Only an affix that at least half of the others share is taken, and only up to a
        non-word boundary: "Notes on X ✦ My Blog" and "Y ✦ My Blog" share " ✦ My Blog".
        """
        others = [s.title for s in self.pages if s.title and s.title != title]
        if not title or not others:
            return "", ""
        return _shared(title, others, suffix=False), _shared(title, others, suffix=True)

    def is_site_name(self, text: str) -> bool:
        """True when ``text`` is the blog's name: its home page's title, or what at least
        half of the other pages' titles start or end with."""
        if not text or not self.pages:
            return False
        want = _norm(text)
        for seen in self.pages:
            if _path(seen.url).strip("/") == "" and _norm(seen.title) == want:
                return True
        others = [_norm(s.title) for s in self.pages if s.title and _norm(s.title) != want]
        hits = sum(1 for o in others if o.startswith(want) or o.endswith(want))
        return bool(others) and hits >= max(1, (len(others) + 1) // 2)


_SEPARATOR = re.compile(r"\s+[^\w\s]+\s+|\s*[|·•»«:]\s*|\s+[-–—~]+\s*")


def _shared(title: str, others: list[str], *, suffix: bool) -> str:
    """The prefix (suffix) of ``title`` that at least half of ``others`` share.

    The shared part is cut at a separator ("Foo2 – My Blog" and "Bar2 – My Blog" share
    " – My Blog", not "2 – My Blog"); a part without a separator character counts only when
    three or more others share it ("How to " shared by two posts is not a blog's name), or
    when another title is that part alone (the home page's, the blog's name).
    """
    need = max(1, (len(others) + 1) // 2)
    best = ""
    for other in others:
        a, b = (title[::-1], other[::-1]) if suffix else (title, other)
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        if n == 0 or n >= len(title):
            continue
        part = title[len(title) - n :] if suffix else title[:n]
        inner = title[len(title) - n - 1] if suffix else title[n]  # the title's side of the cut
        edge = part[0] if suffix else part[-1]
        if inner.isalnum() and edge.isalnum():  # the cut is inside a word: back to a separator
            seps = list(_SEPARATOR.finditer(part))
            if not seps:
                continue
            part = part[seps[0].start() :] if suffix else part[: seps[-1].end()]
        if not re.search(r"\w", part):
            continue
        if (
            not re.search(r"[^\w\s]", part)
            and part.strip() not in others  # a title that is just the name: the home page's
            and sum(1 for o in others if (o.endswith(part) if suffix else o.startswith(part))) < 3
        ):
            continue
        count = sum(1 for o in others if (o.endswith(part) if suffix else o.startswith(part)))
        if count >= need and len(part) > len(best):
            best = part
    return best


def strip_affixes(title: str, view: SiteView) -> str:
    """``title`` without what the site's other titles share (its name, any separator)."""
    prefix, suffix = view.title_affixes(title)
    core = title[len(prefix) :] if prefix else title
    core = core[: len(core) - len(suffix)] if suffix and core.endswith(suffix) else core
    return core.strip(" \t|·•»«:-–—~")


class Template:
    """The pages of the sites seen so far, keyed by host (see the module's docstring)."""

    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self.max_pages = max_pages
        self._hosts: dict[str, list[_Seen]] = {}

    def wants(self, url: str) -> bool:
        """True while ``url``'s site has fewer pages than the template keeps (parse it then)."""
        return len(self._hosts.get(host_of(url), [])) < self.max_pages

    def add(self, page: Page) -> None:
        """Remember one page of a site (a later capture of the same URL replaces it)."""
        host = host_of(page.url)
        seen = self._hosts.setdefault(host, [])
        key = canonical(page.url)
        seen[:] = [s for s in seen if canonical(s.url) != key]
        if len(seen) >= self.max_pages:
            seen.pop(1)  # keep the first (often the home page) and the newest
        pieces = [(t, path) for _, t, path in _pieces(page)]
        seen.append(
            _Seen(
                page.url,
                page.title_tag,
                frozenset(t for t, _ in pieces),
                frozenset(f"{path}\x00{t}" for t, path in pieces),
            )
        )

    def view(self, page: Page) -> SiteView:
        """The other pages of ``page``'s site (not ``page`` itself, nor its other captures)."""
        key = canonical(page.url)
        return SiteView(
            [s for s in self._hosts.get(host_of(page.url), []) if canonical(s.url) != key]
        )


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:  # a broken URL ("http://[bad/")
        return "?"


def content_region(
    page: Page, view: SiteView
) -> tuple[etree._Element, list[etree._Element]] | None:
    """The element holding the text that is this page's own (what the other pages lack),
    and the blocks inside it that are the template's (a "previous post" link, a share line).

    Each element scores the length of its own text minus that of the repeated text in it;
    the best holds the post with the least furniture. None when nothing is the page's own.
    """
    if view.size == 0:
        return None
    chrome = view.chrome()
    own: dict[etree._Element, int] = {}
    shared: dict[etree._Element, int] = {}
    for el, text, path in _pieces(page):
        if chrome.has(text, path):
            shared[el] = shared.get(el, 0) + len(text)
        else:
            own[el] = own.get(el, 0) + len(text)
    nodes = [el for el in page.root.iter() if isinstance(el.tag, str)]
    for el in reversed(nodes):  # sums over each subtree, bottom up
        for child in el:
            if isinstance(child.tag, str):
                own[el] = own.get(el, 0) + own.get(child, 0)
                shared[el] = shared.get(el, 0) + shared.get(child, 0)
    best, best_score = None, 0
    for el in nodes:
        if el.tag.lower() not in ("div", "article", "main", "section", "td", "body"):
            continue
        if classes(el) & {"comments", "comment", "sidebar", "widget"}:
            continue
        score = own.get(el, 0) - shared.get(el, 0)
        if score > best_score:
            best, best_score = el, score
    if best is None:
        return None
    furniture: list[etree._Element] = []
    stack = list(best)
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if own.get(el, 0) == 0 and shared.get(el, 0) > 0 and not _has_media(el):
            furniture.append(el)
        else:
            stack.extend(el)
    return best, furniture


def _has_media(el: etree._Element) -> bool:
    return any(True for _ in el.iter("img", "iframe", "video", "audio", "object", "pre"))


def own_date(page: Page, view: SiteView) -> str | None:
    """The first short text of the page's own (not the theme's) that is a date."""
    if view.size == 0:
        return None
    chrome = view.chrome()
    for _, text, path in _pieces(page):
        if 6 <= len(text) <= 60 and not chrome.has(text, path) and (found := parse_date(text)):
            return found
    return None


__all__ = ["Chrome", "SiteView", "Template", "content_region", "own_date", "strip_affixes"]
