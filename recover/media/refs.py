"""The files a post's body uses: images, the full-size file a thumbnail links to, video,
audio, their sources, linked documents, and a feed item's enclosures.

Author avatars, smilies, tracking pixels and share buttons are theme furniture, not post
media, and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from recover.media.magic import EXTENSIONS, extension
from recover.urls import absolute

IMAGE_EXT = frozenset(e for e, fam in EXTENSIONS.items() if fam.startswith("image"))
FILE_EXT = frozenset(EXTENSIONS) - IMAGE_EXT - {"swf"}
_FURNITURE_CLASS = re.compile(r"\b(avatar|wp-smiley|emoji|gravatar|share|sharing|sociable)\b", re.I)
_FURNITURE_URL = re.compile(
    r"(gravatar\.com/|/wp-includes/|/smilies/|/emoji/|feedburner|pixel\.wp\.com|"
    r"stats\.wordpress\.com|/b\.gif|/blank\.gif|/spacer\.gif|doubleclick\.net|"
    r"/share[_-]?(button|icon)|/icons?/(feed|rss|twitter|facebook|digg|delicious))",
    re.I,
)


@dataclass(frozen=True)
class MediaRef:
    """One file a post uses: its absolute URL and whether it is an ``image`` or a file."""

    url: str
    kind: str  # image | attachment


def _furniture(el: etree._Element, url: str) -> bool:
    if _FURNITURE_URL.search(url) or _FURNITURE_CLASS.search(el.get("class") or ""):
        return True
    return el.get("width") in ("0", "1") and el.get("height") in ("0", "1")


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _usable(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def media_refs(html: str, base: str, enclosures: list[str] | None = None) -> list[MediaRef]:
    """Every media file ``html`` (a post body) uses, absolute, in order, once each."""
    found: dict[str, MediaRef] = {}

    def add(raw: str | None, kind: str, el: etree._Element | None = None) -> None:
        if not raw or raw.strip().startswith(("data:", "#", "javascript:")):
            return
        url = absolute(raw.strip(), base)
        if not _usable(url) or (el is not None and _furniture(el, url)):
            return
        if url not in found:
            found[url] = MediaRef(url, kind)

    if html and html.strip():
        try:
            root = lxml.html.fragment_fromstring(html, create_parent="div")
        except (etree.ParserError, ValueError):
            root = None
        if root is not None:
            for el in root.iter("img", "a", "video", "audio", "source", "embed", "object"):
                tag = el.tag
                if tag == "img":
                    add(el.get("src"), "image", el)
                    for u in _srcset(el.get("srcset") or ""):
                        add(u, "image", el)
                elif tag == "a":
                    href = el.get("href") or ""
                    ext = extension(href)
                    if ext in IMAGE_EXT and el.find(".//img") is not None:
                        add(href, "image", el)  # the full-size file a thumbnail links to
                    elif ext in IMAGE_EXT or ext in FILE_EXT:
                        add(href, "image" if ext in IMAGE_EXT else "attachment", el)
                elif tag == "source":
                    parent = el.getparent()
                    kind = (
                        "image" if parent is not None and parent.tag == "picture" else "attachment"
                    )
                    add(el.get("src"), kind, el)
                    for u in _srcset(el.get("srcset") or ""):
                        add(u, kind, el)
                elif tag == "object":
                    add(el.get("data"), "attachment", el)
                else:
                    add(el.get("src"), "attachment", el)
                    if tag == "video":
                        add(el.get("poster"), "image", el)
    for url in enclosures or []:
        add(url, "image" if extension(url) in IMAGE_EXT else "attachment")
    return list(found.values())
