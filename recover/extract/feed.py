"""Feeds (RSS 0.9x/2.0, RDF/RSS 1.0, Atom; WordPress, Blogger, MT, Jekyll) to posts.

``parse_feed(body, url) -> list[Post]``: one post per entry; a body taken from a summary
(WordPress ``description`` next to no ``content:encoded``, Blogger summary feeds) is
``partial=True`` when it looks cut. ``parse_comment_feed(body, url)`` reads comment feeds
(WordPress ``/comments/feed``, Blogger ``/feeds/comments``) into comments keyed by the
post's URL. Garbage (unrendered templates, HTML, binary) gives an empty result.
"""

from __future__ import annotations

import email.utils
import html as htmlmod
import logging
import re
from typing import Any
from urllib.parse import urldefrag

import feedparser
import lxml.html

from recover.extract import archive, body
from recover.extract.dates import parse_date
from recover.extract.page import text_of
from recover.post import Comment, Post
from recover.urls import absolute, original_url, slug_of

log = logging.getLogger(__name__)

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_CUT = re.compile(
    r"(\[(\.\.\.|&hellip;|\u2026)\]|\u2026|\.\.\.|continue reading|read more|more\s*»|"
    r"\[more\])\W*$",
    re.IGNORECASE,
)
_BLOGGER_SCHEME = "blogger.com/atom/ns#"
_HTML_BLOCK = re.compile(r"<(p|div|br|ul|ol|pre|blockquote|h\d|table|img)\b", re.IGNORECASE)


def _date(raw: str | None) -> str | None:
    """ISO 8601 from an RFC 822 or ISO date, keeping the offset."""
    if not raw:
        return None
    raw = raw.strip()
    if _TEMPLATE.search(raw):
        return None
    if re.match(r"^[A-Za-z]{3},|^\d{1,2} [A-Za-z]{3} \d{4}", raw):
        try:
            dt = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None:
            return dt.isoformat(timespec="seconds")
    return parse_date(raw)


def _parse(data: bytes) -> Any | None:
    if not data or not data.strip():
        return None
    head = data[:2048].lstrip()
    if head[:1] != b"<" and not head.startswith(b"\xef\xbb\xbf"):
        return None  # front matter, JSON, binary: not a feed
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        return None
    return parsed


def _link(entry: Any, base: str) -> str | None:
    href = None
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") in (
            "text/html",
            "application/xhtml+xml",
        ):
            href = link.get("href")
            break
    href = href or entry.get("link")
    if not href and entry.get("guidislink") is not False:
        guid = entry.get("id") or ""
        href = guid if guid.startswith("http") else None
    if not href or _TEMPLATE.search(href):
        return None
    return absolute(href, base)


def _author(entry: Any) -> str | None:
    name = entry.get("author_detail", {}).get("name") or entry.get("author")
    if not name:
        return None
    m = re.match(r"^\S+@\S+\s+\((.+)\)$", name.strip())  # "noreply@blogger.com (Name)"
    name = m.group(1) if m else name
    if name.lower() in ("unknown", "noreply@blogger.com"):
        return None
    return " ".join(name.split()) or None


def _terms(entry: Any) -> tuple[list[str], list[str]]:
    cats: list[str] = []
    tags: list[str] = []
    for tag in entry.get("tags") or []:
        term = " ".join(htmlmod.unescape(tag.get("label") or tag.get("term") or "").split())
        scheme = (tag.get("scheme") or "").lower()
        if not term or _TEMPLATE.search(term) or term.startswith("http"):
            continue
        if "kind#" in scheme:  # Blogger's "kind#post" marker
            continue
        target = tags if ("tag" in scheme and _BLOGGER_SCHEME not in scheme) else cats
        if term not in target:
            target.append(term)
    return cats, tags


def _content(entry: Any) -> tuple[str, bool]:
    """The entry's HTML and whether it is only a summary."""
    full = ""
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        if len(value) > len(full):
            full = value
    summary = entry.get("summary") or ""
    if full and len(full) >= len(summary) * 0.8:
        return full, False
    if not summary:
        return full, False
    text = text_of(_fragment(summary)) if "<" in summary else summary
    cut = bool(_CUT.search(text.strip())) or (not _HTML_BLOCK.search(summary) and len(text) < 600)
    if full:
        return full, False
    return summary, cut


def _fragment(html: str):
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:
        return lxml.html.fragment_fromstring("<div></div>")


def _title(entry: Any) -> str | None:
    title = entry.get("title") or ""
    if entry.get("title_detail", {}).get("type") == "text/html" and "<" in title:
        title = text_of(_fragment(title))
    title = " ".join(htmlmod.unescape(title).split()) if "&" in title else " ".join(title.split())
    return title or None


def _clean_html(html: str, base: str) -> tuple[str, list[str]]:
    """Absolute site URLs in the body; images listed."""
    root = _fragment(html)
    archive.clean_tree(root, base)
    imgs = []
    for img in root.iter("img"):
        src = img.get("src")
        if src and not src.startswith("data:") and src not in imgs:
            imgs.append(src)
    return body.inner_html(root), imgs


def parse_feed(data: bytes, url: str) -> list[Post]:
    """Posts in a feed (empty list for anything that is not a usable feed)."""
    try:
        return _parse_feed(data, url)
    except Exception:
        log.debug("feed parse failed for %s", url, exc_info=True)
        return []


def _parse_feed(data: bytes, url: str) -> list[Post]:
    parsed = _parse(data)
    if parsed is None:
        return []
    base = original_url(url)
    generator = (parsed.feed.get("generator") or "").lower()
    posts = []
    for entry in parsed.entries:
        link = _link(entry, base)
        title = _title(entry)
        if not link or (title and _TEMPLATE.search(title)):
            continue
        if "#comment" in link or re.search(r"#c\d+$", link):
            continue  # a comment, not a post
        html, partial = _content(entry)
        if _TEMPLATE.search(html[:2000]) and not text_of(_fragment(_TEMPLATE.sub("", html))):
            continue
        content_html, images = _clean_html(html, link) if html else ("", [])
        cats, tags = _terms(entry)
        posts.append(
            Post(
                url=link,
                title=title,
                published=_date(dict.get(entry, "published") or entry.get("created"))
                or _date(dict.get(entry, "updated")),
                updated=_date(dict.get(entry, "updated")),
                author=_author(entry),
                categories=cats,
                tags=[t for t in tags if t not in cats],
                content_html=content_html,
                images=images,
                slug=slug_of(link),
                engine="feed" + (f":{generator.split()[0]}" if generator else ""),
                partial=partial,
            )
        )
    return posts


def parse_comment_feed(data: bytes, url: str) -> dict[str, list[Comment]]:
    """Comments from a comment feed, keyed by the commented post's URL."""
    try:
        return _parse_comment_feed(data, url)
    except Exception:
        log.debug("comment feed parse failed for %s", url, exc_info=True)
        return {}


def _parse_comment_feed(data: bytes, url: str) -> dict[str, list[Comment]]:
    parsed = _parse(data)
    if parsed is None:
        return {}
    base = original_url(url)
    out: dict[str, list[Comment]] = {}
    for entry in parsed.entries:
        link = _link(entry, base) or ""
        target = None
        reply = entry.get("thr_in-reply-to") or entry.get("in-reply-to")
        if isinstance(reply, dict) and reply.get("href"):
            target = absolute(reply["href"], base)
        for lnk in entry.get("links") or []:
            if lnk.get("rel") == "related" and not target:
                target = absolute(lnk.get("href") or "", base)
        if not target:
            target = urldefrag(link)[0] if link else None
        if not target:
            continue
        html, _ = _content(entry)
        if not html:
            continue
        content_html, _ = _clean_html(html, target)
        author = _author(entry)
        if not author:
            m = re.match(r"^comment on .+ by (.+)$", _title(entry) or "", re.IGNORECASE)
            author = m.group(1) if m else None
        fragment = urldefrag(link)[1] if link else ""
        out.setdefault(target, []).append(
            Comment(
                author=author,
                published=_date(dict.get(entry, "published") or dict.get(entry, "updated")),
                content_html=content_html,
                author_url=(entry.get("author_detail") or {}).get("href"),
                id=fragment or entry.get("id"),
            )
        )
    for comments in out.values():
        comments.sort(key=lambda c: c.published or "")
    return out
