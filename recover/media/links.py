"""Bodies pointing at the recovered files: what Markdown, Hugo, Jekyll and Ghost show.

``content_html`` keeps the original URLs (WXR's importer rewrites them itself); the
Markdown points at ``/media/...`` (site-root paths: copy ``media/`` into Hugo's ``static/``
or Jekyll's site root), Ghost at ``/content/images/...`` (its importer's convention). A file
no source held keeps its original URL.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from recover.urls import absolute

GHOST_PREFIX = "/content/images/"
_ATTRS = ("src", "href", "poster", "data")


def entries(post: Any) -> list[dict[str, Any]]:
    """The post's media entries (``images`` then ``attachments``) that are objects."""
    items = list(getattr(post, "images", None) or []) + list(
        getattr(post, "attachments", None) or []
    )
    return [e for e in items if isinstance(e, dict)]


def local_paths(post: Any, prefix: str = "/") -> dict[str, str]:
    """Original URL -> ``prefix`` + the file's path under ``--out`` (recovered files only).

    ``prefix="/"`` gives ``/media/images/x.jpg``; :data:`GHOST_PREFIX` Ghost's paths.
    """
    out = {}
    for e in entries(post):
        if e.get("file") and e.get("url"):
            path = e["file"]
            if prefix == GHOST_PREFIX:
                path = path.removeprefix("media/")
            out[e["url"]] = prefix + path
    return out


def rewrite_html(html: str, mapping: dict[str, str], base: str = "") -> str:
    """``html`` with every ``src``/``href``/``srcset``/``poster`` found in ``mapping`` replaced
    (relative URLs resolved against ``base`` first); unchanged when nothing matches."""
    if not mapping or not html or not html.strip():
        return html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return html
    changed = False

    def local(value: str) -> str | None:
        value = value.strip()
        return mapping.get(value) or (mapping.get(absolute(value, base)) if base else None)

    for el in root.iter(etree.Element):
        for attr in _ATTRS:
            value = el.get(attr)
            if value and (new := local(value)):
                el.set(attr, new)
                changed = True
        srcset = el.get("srcset")
        if srcset:
            parts = []
            for part in srcset.split(","):
                bits = part.strip().split(None, 1)
                if bits and (new := local(bits[0])):
                    bits[0] = new
                    changed = True
                parts.append(" ".join(bits))
            el.set("srcset", ", ".join(parts))
    if not changed:
        return html
    inner = lxml.html.tostring(root, encoding="unicode")
    return inner[inner.index(">") + 1 : inner.rindex("</div>")]


def rewrite_markdown(markdown: str, mapping: dict[str, str]) -> str:
    """Markdown whose link and image targets (``](url``) found in ``mapping`` point
    at the local copies instead; other text is left alone."""
    if not mapping or not markdown:
        return markdown
    pattern = re.compile(
        r"(\]\(<?)(" + "|".join(re.escape(u) for u in sorted(mapping, key=len, reverse=True))
        + r")(?=[>)\s])"
    )  # fmt: skip
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], markdown)
