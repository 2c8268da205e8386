"""Ghost's import JSON (Settings > Labs > Import content).

Bodies go in ``html``: Ghost's importer converts HTML to its own editor format (lexical),
which drops an image wrapped in a link and runs a definition list's terms together; so
:func:`ghost_html` writes those as cards it keeps: a linked image becomes an image card
(``<figure class="kg-card kg-image-card">``, the link kept), a gallery of images a gallery
card, a definition list an HTML card (iframes become embed cards by themselves). Categories
and tags both become Ghost tags; partial posts also get the internal tag ``#recovered-partial``.
Users need an e-mail address, so each author gets a placeholder ``<slug>@example.com``.
Recovered media are addressed as ``/content/images/<path under media/>``: Ghost's importer
resolves those when the upload is a zip holding ``content/images/...`` (``ghost-import.zip``).

Ghost cannot import comments (its comments are members' own): :func:`render_ghost_comments`
gives them, per post, for ``ghost-comments.json`` beside ``ghost.json``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment as HtmlComment

from recover.export.prepare import Prepared
from recover.media.links import GHOST_PREFIX, local_paths, rewrite_html
from recover.normalize.markdown import (
    BLOCKS,
    holds,
    math_as_text,
    safe_slug,
    tags,
    within,
)

GHOST_VERSION = "5.0.0"
DEFAULT_AUTHOR = "Unknown author"
PARTIAL_TAG = "#recovered-partial"
MAX_SLUG = 191
MAX_TITLE = 255
MAX_EXCERPT = 300


def ghost_time(when: datetime) -> str:
    """``2008-10-31T11:00:00.000Z``: UTC with milliseconds, as Ghost exports."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain_excerpt(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text).strip()


_GALLERY = re.compile(r"(^|\s)(gallery|wp-block-gallery|tiled-gallery)(\s|$)")
_TAG_NAME = re.compile(r"<([a-zA-Z][^\s/>]*)")
_NEEDS_CARDS = re.compile(
    r"<(img|dl|div|blockquote|strike|del|pre|li|font|small|big|mark|dfn|blink|nobr|wbr|center"
    r"|script)\b|\n",
    re.IGNORECASE,
)


def _image_card(soup: BeautifulSoup, img: Tag, href: str | None) -> Tag:
    figure = soup.new_tag("figure", attrs={"class": "kg-card kg-image-card"})
    img["class"] = "kg-image"
    if href:
        link = soup.new_tag("a", href=href)
        link.append(img)
        figure.append(link)
    else:
        figure.append(img)
    return figure


def _links(soup: BeautifulSoup) -> list[Tag]:
    """The links with an ``href`` (``find_all("a", href=True)``)."""
    return [a for a in tags(soup, ("a",)) if a.has_attr("href")]


def _card(node: Tag) -> Tag | None:
    """The Ghost card ``node`` sits in, if any."""
    return next(
        (p for p in node.parents if p.name == "figure" and "kg-card" in (p.get("class") or [])),
        None,
    )


_LINE_NUMBERS = {"lineno", "linenos", "line-number"}


def _line_numbers(soup: BeautifulSoup) -> list[Tag]:
    """A highlighter's line numbers: ``pre .lineno, pre .linenos, pre .line-number,
    td.gutter, td.linenos``, in document order."""
    found = []
    for n in soup.descendants:
        if not isinstance(n, Tag) or not n.get("class"):
            continue
        names = set(n.get("class") or [])
        if n.name == "td" and names & {"gutter", "linenos"}:
            found.append(n)
        elif names & _LINE_NUMBERS and within(n, ("pre",)) is not None:
            found.append(n)
    return found


def _only_images(el: Tag) -> list[Tag] | None:
    """The images ``el`` holds when it holds nothing else (no text), else None."""
    if el.get_text(strip=True):
        return None
    imgs = tags(el, ("img",))
    if not imgs or holds(el, ("iframe", "video", "audio", "table")):
        return None
    return imgs


def _split_runs(soup: BeautifulSoup, box: Any) -> None:
    """Wrap each run of ``box``'s inline children in a ``<p>``, blocks left between."""
    runs: list[list[Any]] = [[]]
    for child in list(box.children):
        if isinstance(child, HtmlComment) or isinstance(child, Tag) and child.name in BLOCKS:
            runs.append([])
        else:
            runs[-1].append(child)
    for run in runs:
        if any(isinstance(c, Tag) or c.strip() for c in run):
            p = soup.new_tag("p")
            run[0].insert_before(p)
            for c in run:
                p.append(c.extract())


def _paragraphs(soup: BeautifulSoup) -> None:
    """``<div>``s and loose text as paragraphs, no block in a paragraph: Ghost runs their
    text together otherwise."""
    for div in [*reversed(tags(soup, ("div",))), soup]:
        if div is not soup and within(div, ("table", "pre", "dl", "figure")) is not None:
            continue
        if div is not soup and not holds(div, BLOCKS):
            div.name, div.attrs = "p", {}
            continue
        _split_runs(soup, div)
        if div is not soup:
            div.unwrap()
    for p in reversed(tags(soup, ("p",))):
        if p.parent is not None and any(
            isinstance(c, Tag) and c.name in BLOCKS for c in p.children
        ):
            _split_runs(soup, p)
            p.unwrap()


# Inline tags Ghost's converter drops with the spaces around them (their text stays).
GHOST_UNWRAP = ["font", "small", "big", "mark", "dfn", "blink", "nobr", "wbr"]
_NOT_IN_ITEMS = (
    "table",
    "pre",
    "blockquote",
    "figure",
    "dl",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
)


def _split_lists(soup: BeautifulSoup) -> None:
    """A table, code block or quote inside a list item goes between two halves of the list
    (Ghost's list items hold text only, and it drops or reorders what else they hold)."""
    for _ in range(1000):
        block = next(
            (
                b
                for b in tags(soup, _NOT_IN_ITEMS)
                if b.parent is not None
                and b.parent.name == "li"
                and b.parent.parent is not None
                and b.parent.parent.name in ("ul", "ol")
            ),
            None,
        )
        if block is None:
            return
        li, lst = block.parent, block.parent.parent
        rest = soup.new_tag(lst.name, attrs=dict(lst.attrs))
        if lst.name == "ol":
            start = (
                int(str(lst.get("start") or "1")) if str(lst.get("start") or "1").isdigit() else 1
            )
            rest["start"] = str(start + len(li.find_previous_siblings("li")) + 1)
        tail = soup.new_tag("li")
        for node in list(block.next_siblings):
            tail.append(node.extract())
        if tail.get_text(strip=True) or tail.find(True):
            rest.append(tail)
        for item in li.find_next_siblings():
            rest.append(item.extract())
        lst.insert_after(block.extract())
        if holds(rest, ("li",)):
            block.insert_after(rest)


def _lists(soup: BeautifulSoup) -> None:
    """List items as Ghost keeps them: text and lines only, blocks between halves of the
    list, text after a nested list as the next item."""
    for li in tags(soup, ("li",)):
        for block in [c for c in li.children if isinstance(c, Tag) and c.name in ("p", "div")]:
            # Ghost's items hold text only: paragraphs in one become lines
            if block.previous_sibling is not None:
                block.insert_before(soup.new_tag("br"))
            if block.next_sibling is not None:
                block.insert_after(soup.new_tag("br"))
            block.unwrap()
    _split_lists(soup)
    for li in reversed(tags(soup, ("li",))):
        # text after a nested list: Ghost drops that list; the text becomes the next item
        inner = next(
            (c for c in li.children if isinstance(c, Tag) and c.name in ("ul", "ol")), None
        )
        if inner is None:
            continue
        tail = list(inner.next_siblings)
        while tail and isinstance(tail[0], Tag) and tail[0].name == "br":
            tail.pop(0).decompose()
        if any(isinstance(t, Tag) or t.strip() for t in tail):
            item = soup.new_tag("li")
            for node in tail:
                item.append(node.extract())
            li.insert_after(item)


def ghost_html(html: str) -> str:
    """``html`` in the shapes Ghost's importer keeps: linked images, galleries and definition
    lists as cards, divs and loose text as paragraphs, links inside the blocks they wrapped,
    lists out of quotes, ``<s>`` for struck text, code without line numbers."""
    if not html or not _NEEDS_CARDS.search(html):
        return html
    # the tag names the source holds (a superset of the tree's): a pass for tags no pass
    # before it makes is skipped when they are absent (each bs4 search walks the tree)
    names = {name.lower() for name in _TAG_NAME.findall(html)}
    soup = BeautifulSoup(html, "html.parser")
    if names & {"script", "annotation"}:
        math_as_text(soup)  # Ghost drops scripts, MathJax's math/tex ones too
    for gallery in soup.find_all(class_=_GALLERY) if "gallery" in html else ():
        if gallery.parent is None:
            continue
        imgs = _only_images(gallery)
        if not imgs or len(imgs) < 2:
            continue
        card = soup.new_tag("figure", attrs={"class": "kg-card kg-gallery-card kg-width-wide"})
        box = soup.new_tag("div", attrs={"class": "kg-gallery-container"})
        card.append(box)
        for start in range(0, len(imgs), 3):
            row = soup.new_tag("div", attrs={"class": "kg-gallery-row"})
            for img in imgs[start : start + 3]:
                cell = soup.new_tag("div", attrs={"class": "kg-gallery-image"})
                cell.append(img.extract())
                row.append(cell)
            box.append(row)
        gallery.replace_with(card)
    for a in _links(soup) if "a" in names else ():
        if a.parent is None or _card(a) is not None:
            continue
        imgs = _only_images(a)
        if not imgs:
            continue
        href = str(a["href"])
        cards = [_image_card(soup, img.extract(), href) for img in imgs]
        for card in cards:
            a.insert_before(card)
        a.decompose()
    for dl in tags(soup, ("dl",)) if "dl" in names else ():
        if dl.parent is None or within(dl, ("dl",)) is not None:
            continue
        dl.insert_before(soup.new_string("kg-card-begin: html", HtmlComment))
        dl.insert_after(soup.new_string("kg-card-end: html", HtmlComment))
    for a in _links(soup) if "a" in names else ():
        blocks = [c for c in a.children if isinstance(c, Tag) and c.name in BLOCKS]
        if not blocks or _card(a) is not None:
            continue
        for block in blocks:  # the link goes inside each block it wrapped
            if block.name in ("ul", "ol"):
                targets = tags(block, ("li",), recursive=False)
            elif block.name in ("table", "pre", "dl", "hr", "figure") or block.find("a"):
                targets = []  # kept as they are, outside the link
            else:
                targets = [block]
            for target in targets:
                inner = soup.new_tag("a", href=a["href"])
                for child in list(target.children):
                    inner.append(child.extract())
                target.append(inner)
        a.unwrap()
    for img in soup.find_all("img", src=re.compile(r"^data:")) if "data:" in html else ():
        # Ghost's image cards drop inline (data:) images; its HTML cards keep them
        if within(img, ("table", "dl")) is not None:
            continue
        top = img
        while top.parent is not None and top.parent is not soup:
            top = top.parent
        moved = img.parent if img.parent.name == "a" and _only_images(img.parent) else img
        if top is not img and top is not moved:
            top.insert_after(moved.extract())
        moved.insert_before(soup.new_string("kg-card-begin: html", HtmlComment))
        moved.insert_after(soup.new_string("kg-card-end: html", HtmlComment))
    for tag in tags(soup, GHOST_UNWRAP) if names.intersection(GHOST_UNWRAP) else ():
        tag.unwrap()  # Ghost drops the spaces around these; their text stays
    for center in tags(soup, ("center",)) if "center" in names else ():
        center.name = "div"
    for quote in reversed(tags(soup, ("blockquote",))) if "blockquote" in names else ():
        # Ghost's quotes hold text only: blocks in one run together or lose their breaks
        if quote.parent is None or not any(
            isinstance(c, Tag) and c.name in BLOCKS for c in quote.children
        ):
            continue
        _split_runs(soup, quote)
        for child in list(quote.children):
            if isinstance(child, Tag) and child.name in ("p", "h1", "h2", "h3", "h4", "h5", "h6"):
                child.wrap(soup.new_tag("blockquote"))
        quote.unwrap()
    for mark in tags(soup, ("strike", "del")) if names & {"strike", "del"} else ():
        mark.name = "s"  # Ghost drops the spaces around <strike>, the mark of <del>
    for num in _line_numbers(soup) if names & {"pre", "td"} else ():
        num.decompose()
    breaking = [n for n in soup.descendants if isinstance(n, str) and ("\n" in n or "\r" in n)]
    for text in breaking:
        if not isinstance(text, HtmlComment) and within(text, ("pre", "code")) is None:
            text.replace_with(re.sub(r"\s*[\r\n]\s*", " ", str(text)))
    _paragraphs(soup)
    if "li" in names:  # no pass before makes list items
        _lists(soup)
    for img in tags(soup, ("img",)) if "img" in names else ():
        holder = None
        for parent in img.parents:
            if parent.name in ("blockquote", "ul", "ol"):
                holder = parent  # the outermost: Ghost drops images in quotes and lists
        if holder is None or within(img, ("table",)) is not None:
            continue
        moved = _card(img) or img
        if moved is img and img.parent.name == "a" and _only_images(img.parent):
            moved = img.parent
        holder.insert_after(moved.extract())
    return str(soup)


def render_ghost_comments(posts: list[Prepared]) -> dict[str, Any]:
    """``ghost-comments.json``: every post's comments, since Ghost cannot import them."""
    return {
        "note": "Ghost cannot import comments; these are the recovered posts' comments, "
        "kept here (the WordPress export and the Hugo/Jekyll data files hold them too).",
        "posts": [
            {
                "slug": p.slug,
                "title": p.title,
                "url": p.site_url,
                "comments": [dict(vars(c)) for c in p.post.comments],
            }
            for p in posts
            if p.post.comments
        ],
    }


class GhostBody:
    """A post's body as Ghost imports it, made when asked (:meth:`render`): a document
    encoded piece by piece then never holds every body at once."""

    __slots__ = ("prepared",)

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared

    def render(self) -> str:
        p = self.prepared
        return ghost_html(rewrite_html(p.html, local_paths(p.post, GHOST_PREFIX), p.site_url))


def render_ghost(
    posts: list[Prepared], now: datetime | None = None, *, deferred: bool = False
) -> dict[str, Any]:
    """The import document: ``{"db": [{"meta": ..., "data": ...}]}``.

    ``deferred``: each post's ``html`` is a :class:`GhostBody`, for an encoder whose
    ``default`` renders it (the exporter's), instead of the string.
    """
    now = now or datetime.now(UTC)
    tags: dict[str, dict[str, Any]] = {}  # folded name -> tag
    users: dict[str, dict[str, Any]] = {}  # display name -> user
    data: dict[str, list[dict[str, Any]]] = {
        "posts": [],
        "tags": [],
        "posts_tags": [],
        "users": [],
        "posts_authors": [],
    }

    def tag_id(name: str) -> str | None:
        clean = re.sub(r"\s+", " ", name).strip()
        internal = clean == PARTIAL_TAG
        clean = clean if internal else clean.lstrip("#").strip()
        if not clean:
            return None
        key = clean.casefold()
        if key not in tags:
            slugs = {t["slug"] for t in tags.values()}
            base = "hash-recovered-partial" if internal else safe_slug(clean)[:MAX_SLUG]
            slug, n = base or f"tag-{len(tags) + 1}", 1
            while slug in slugs:
                n += 1
                slug = f"{base}-{n}"
            tags[key] = {
                "id": str(len(tags) + 1),
                "name": _cut(clean, MAX_SLUG),
                "slug": slug,
                "description": None,
            }
        return tags[key]["id"]

    def user_id(name: str) -> str:
        if name not in users:
            slugs = {u["slug"] for u in users.values()}
            base = safe_slug(name) or "author"
            slug, n = base, 1
            while slug in slugs:
                n += 1
                slug = f"{base}-{n}"
            ascii_slug = re.sub(r"[^a-z0-9-]", "", slug) or f"author-{len(users) + 1}"
            users[name] = {
                "id": str(len(users) + 1),
                "name": name,
                "slug": slug,
                "email": f"{ascii_slug}@example.com",
                "roles": ["Author"],
                "status": "active",
            }
        return users[name]["id"]

    for index, p in enumerate(posts, 1):
        pid = str(index)
        published = ghost_time(p.date.when)
        excerpt = _plain_excerpt(p.html)
        data["posts"].append(
            {
                "id": pid,
                "title": _cut(p.title, MAX_TITLE),
                "slug": p.slug[:MAX_SLUG].rstrip("-") or pid,
                "html": GhostBody(p) if deferred else GhostBody(p).render(),
                "feature_image": None,
                "featured": 0,
                "type": "page" if p.post.type == "page" else "post",
                "status": "published",
                "visibility": "public",
                "created_at": published,
                "updated_at": ghost_time(p.updated),
                "published_at": published,
                "custom_excerpt": _cut(excerpt, MAX_EXCERPT)
                if p.post.partial and excerpt
                else None,
                "canonical_url": None,
            }
        )
        names = [*p.post.categories, *p.post.tags] + ([PARTIAL_TAG] if p.post.partial else [])
        linked: list[str] = []
        for name in names:
            tid = tag_id(name)
            if tid and tid not in linked:
                linked.append(tid)
        for order, tid in enumerate(linked):
            data["posts_tags"].append({"post_id": pid, "tag_id": tid, "sort_order": order})
        data["posts_authors"].append(
            {"post_id": pid, "author_id": user_id(p.post.author or DEFAULT_AUTHOR), "sort_order": 0}
        )
    data["tags"] = list(tags.values())
    data["users"] = list(users.values())
    meta = {"exported_on": int(now.timestamp() * 1000), "version": GHOST_VERSION}
    return {"db": [{"meta": meta, "data": data}]}
