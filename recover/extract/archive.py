"""Undo what web archives add to a page: toolbars, replay scripts, rewritten URLs.

Replay URLs themselves are undone by :mod:`recover.urls` (the one implementation).
"""

from __future__ import annotations

import re

from lxml import etree

from recover.urls import absolute, original_url

_TEXT_BLOCKS = [
    re.compile(
        r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->",
        re.IGNORECASE | re.DOTALL,
    ),
    re.compile(r"<!--\s*WB Insert\s*-->.*?<!--\s*End WB Insert\s*-->", re.IGNORECASE | re.DOTALL),
    # Wayback head injection, up to its closing marker.
    re.compile(
        r"<script[^>]*(?:archive\.org/includes|/_static/js/)[^>]*>.*?"
        r"<!--\s*End Wayback Rewrite JS Include\s*-->",
        re.IGNORECASE | re.DOTALL,
    ),
    # Playback footer comments: "FILE ARCHIVED ON ... playback timings".
    re.compile(r"<!--\s*FILE ARCHIVED ON.*?-->", re.IGNORECASE | re.DOTALL),
    re.compile(r"<!--\s*playback timings.*?-->", re.IGNORECASE | re.DOTALL),
]

# Nodes that only an archive puts in a page (the one list: normalize strips the same ids).
INJECTED_IDS = {
    "wm-ipp",
    "wm-ipp-base",
    "wm-ipp-print",
    "wm-ipp-inside",
    "donato",
    "wm-capinfo",
    "_wb_plain_banner",
    "_wb_frame_top_banner",
    "_wb_banner",
    "wb_iframe_div",
    "wb_frame",
    "wm-toolbar",
}
_INJECTED_SRC = re.compile(
    r"(/_static/|archive\.org/includes/|/static/__pywb|/static/wombat|/static/default_banner|"
    r"/static/vidrw|wombat(\.min)?\.js|bundle-playback|banner-styles\.css|iconochive\.css|"
    r"ruffle\.js)",
    re.IGNORECASE,
)
_INJECTED_SCRIPT = re.compile(
    r"(__wm\.|_wb_wombat|WB_wombat|wbinfo\s*[.=]|_WBWombat|RufflePlayer|archive_analytics|"
    r"wombat\.js)"
)

# Where lazy-loading themes keep an image's real address (the one list, most specific first).
LAZY_SRC = ("data-lazy-src", "data-src", "data-original", "data-orig-file", "data-full-url")
_URL_ATTRS = frozenset(
    (
        "href",
        "src",
        "action",
        "poster",
        "background",
        "cite",
        "longdesc",
        "data",
        *LAZY_SRC,
        "data-large-file",
        "data-medium-file",
        "data-href",
    )
)
_SRCSET_ATTRS = frozenset(("srcset", "data-srcset", "data-lazy-srcset"))


def strip_text(html: str) -> str:
    """Remove archive insertions that are easiest to find in the raw text."""
    for pattern in _TEXT_BLOCKS:
        html = pattern.sub("", html)
    return html


def clean_tree(root: etree._Element, base: str) -> None:
    """Remove archive-injected nodes and restore the site's own URLs, in place."""
    base = original_url(base)
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            if isinstance(el, etree._Comment) and re.search(
                r"(WAYBACK|FILE ARCHIVED ON|playback timings|WB Insert|Wayback Rewrite)",
                el.text or "",
                re.IGNORECASE,
            ):
                doomed.append(el)
            continue
        tag = el.tag.lower()
        ident = el.get("id") or ""
        if ident in INJECTED_IDS or ident.startswith("wm-ipp"):
            doomed.append(el)
            continue
        if tag in ("script", "link", "style", "iframe"):
            ref = el.get("src") or el.get("href") or ""
            if _INJECTED_SRC.search(ref) or (
                tag == "script" and _INJECTED_SCRIPT.search(el.text or "")
            ):
                doomed.append(el)
                continue
        for attr, value in el.items():  # most elements carry no URL at all
            if attr in _URL_ATTRS:
                if value and (tag != "a" or attr != "data"):
                    fixed = absolute(value, base)
                    if fixed != value:
                        el.set(attr, fixed)
            elif attr in _SRCSET_ATTRS and value:
                el.set(attr, _fix_srcset(value, base))
    for el in doomed:
        drop_keeping_tail(el)


def _fix_srcset(value: str, base: str) -> str:
    out = []
    for part in value.split(","):
        bits = part.strip().split(None, 1)
        if not bits:
            continue
        bits[0] = absolute(bits[0], base)
        out.append(" ".join(bits))
    return ", ".join(out)


def drop_keeping_tail(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
