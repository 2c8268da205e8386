"""WordPress REST API answers found in an archive: ``/wp-json/wp/v2/posts`` to posts.

Both addresses of the route are read (``/wp-json/wp/v2/posts[?page=N]`` and
``/?rest_route=/wp/v2/posts``), a list of posts or a single one.  Full ``content.rendered``
gives a whole post; only an ``excerpt`` gives ``partial=True``.  Categories and tags are
ids in the API: their names are kept when ``_embedded`` (``?_embed``) carries them.
"""

from __future__ import annotations

import html as htmlmod
import json
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin

import lxml.html

from recover.extract import archive
from recover.extract import body as markup
from recover.extract.page import text_of
from recover.post import Post
from recover.urls import (
    absolute,
    is_posts_url,  # noqa: F401 (this module's route, by URL shape)
    original_url,
    slug_of,
)

log = logging.getLogger(__name__)

_SKIP_TYPES = ("attachment", "page", "nav_menu_item", "wp_block", "revision")


def _json(data: bytes) -> Any:
    """The JSON value in a body, skipping a BOM or PHP notices printed before it."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    decoder = json.JSONDecoder()
    for m in re.finditer(r"[\[{]", text[:20000]):
        try:
            return decoder.raw_decode(text, m.start())[0]
        except ValueError:
            continue
        except RecursionError:  # nested deeper than Python's stack: not a REST answer
            return None
    return None


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _fragment(html: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return lxml.html.fragment_fromstring("<div></div>")


def _text(html: str) -> str:
    if "<" in html:
        html = text_of(_fragment(html))
    return " ".join(htmlmod.unescape(html).split())


def _when(local: Any, gmt: Any) -> str | None:
    """ISO 8601 with the site's offset when both the local and the GMT time are given."""
    try:
        here = datetime.fromisoformat(str(local)) if local else None
    except ValueError:
        here = None
    try:
        utc = datetime.fromisoformat(str(gmt)) if gmt else None
    except ValueError:
        utc = None
    if here and here.tzinfo:
        return here.isoformat(timespec="seconds")
    if here and utc:
        offset = here - utc.replace(tzinfo=None)
        if abs(offset) <= timedelta(hours=14) and offset.total_seconds() % 900 == 0:
            return here.replace(tzinfo=timezone(offset)).isoformat(timespec="seconds")
    if utc:
        return utc.replace(tzinfo=None).isoformat(timespec="seconds") + "+00:00"
    return here.isoformat(timespec="seconds") if here else None


def _terms(item: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Category and tag names from ``_embedded["wp:term"]`` (ids alone say nothing)."""
    cats: list[str] = []
    tags: list[str] = []
    groups = (item.get("_embedded") or {}).get("wp:term") or []
    for group in groups if isinstance(groups, list) else []:
        for term in group if isinstance(group, list) else []:
            if not isinstance(term, dict) or not term.get("name"):
                continue
            name = _text(str(term["name"]))
            taxonomy = term.get("taxonomy")
            target = cats if taxonomy == "category" else tags if taxonomy == "post_tag" else None
            if target is not None and name and name not in target:
                target.append(name)
    return cats, tags


def _author(item: dict[str, Any]) -> str | None:
    authors = (item.get("_embedded") or {}).get("author") or []
    for a in authors if isinstance(authors, list) else []:
        if isinstance(a, dict) and a.get("name"):
            return _text(str(a["name"])) or None
    return None


def _post(item: dict[str, Any], base: str) -> Post | None:
    if item.get("type") in _SKIP_TYPES:
        return None
    link = _rendered(item.get("link")) or _rendered(item.get("guid"))
    if not link and item.get("id"):
        link = urljoin(base, f"/?p={item['id']}")
    link = absolute(link, base) if link else ""
    if not re.match(r"^https?://", link, re.I):
        return None
    content = item.get("content") if isinstance(item.get("content"), dict) else {}
    full = _rendered(content)
    excerpt_field = item.get("excerpt")
    excerpt = _rendered(excerpt_field)
    if isinstance(excerpt_field, dict) and excerpt_field.get("protected"):
        excerpt = ""  # WordPress's "no excerpt because this is a protected post"
    protected = bool(content.get("protected"))
    html, partial = (full, False) if full.strip() and not protected else (excerpt, True)
    title = _text(_rendered(item.get("title"))) or None
    if not html.strip() and not title:
        return None
    content_html, images = "", []
    if html.strip():
        root = _fragment(html)
        archive.clean_tree(root, link)
        content_html, images = markup.inner_html(root), markup.images(root)
    cats, tags = _terms(item)
    return Post(
        url=link,
        title=title,
        published=_when(item.get("date"), item.get("date_gmt")),
        updated=_when(item.get("modified"), item.get("modified_gmt")),
        author=_author(item),
        categories=cats,
        tags=[t for t in tags if t not in cats],
        content_html=content_html,
        images=images,
        slug=str(item.get("slug") or "") or slug_of(link),
        engine="wordpress",
        partial=partial or not content_html,
    )


def parse_posts(body: bytes, url: str) -> list[Post]:
    """Posts in a ``wp/v2/posts`` answer (a list, or one post); [] for anything else.

    ``url`` is where the answer came from (its site URL or replay URL): relative links are
    resolved against it.  Error objects (``{"code": "rest_no_route", ...}``) give [].
    """
    data = _json(body or b"")
    if isinstance(data, dict):
        data = [data] if ("link" in data or "content" in data or "title" in data) else []
    if not isinstance(data, list):
        return []
    base = original_url(url)
    posts: list[Post] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        post = _post(item, base)
        if post is not None:
            posts.append(post)
    return posts
