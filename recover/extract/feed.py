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
from collections import Counter
from typing import Any
from urllib.parse import urldefrag, urlsplit

import feedparser

from recover.extract import archive, body
from recover.extract.dates import parse_date
from recover.extract.page import lxml_fragment, text_of
from recover.post import Comment, Post
from recover.urls import absolute, original_url, slug_of

log = logging.getLogger(__name__)

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
# the tail of a cut summary: an ellipsis, "[…]", a "read more" in the blog's language
_CUT = re.compile(
    r"(\[(\.\.\.|&hellip;|\u2026)\]|\u2026|\.\.\.|continue reading|read more|more\s*»|\[more\]|"
    r"\(more\W*\)|lire la suite|weiterlesen|leer m[aá]s|leggi (tutto|il resto)|ler mais|"
    r"continuar lendo|lees (meer|verder)|читать далее|続きを読む|阅读全文|더 보기)\W*$",
    re.IGNORECASE,
)
# a "more" link or marker inside a summary's HTML (WordPress's <!--more--> teaser)
_MORE_MARK = re.compile(
    r"class=[\"'][^\"']*more-link|#more-\d+|<!--more-->|class=[\"']jump-link", re.I
)
SUMMARY_WORDS = 80  # Hugo's summaries are the first 70 words, as plain text
_BLOGGER_SCHEME = "blogger.com/atom/ns#"
_SUMMARY_FEED = re.compile(r"/feeds/posts/summary|[?&]summary=|/summary\.(xml|rss|atom)$", re.I)
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
    text = text_of(lxml_fragment(summary)) if "<" in summary else summary
    short = len(text) < 600 or (len(text.split()) <= SUMMARY_WORDS and len(text) < 1000)
    cut = (
        bool(_CUT.search(text.strip()))
        or bool(_MORE_MARK.search(summary))
        or (not _HTML_BLOCK.search(summary) and short)
    )
    if full:
        return full, False
    return summary, cut


def _title(entry: Any) -> str | None:
    title = entry.get("title") or ""
    if entry.get("title_detail", {}).get("type") == "text/html" and "<" in title:
        title = text_of(lxml_fragment(title))
    title = " ".join(htmlmod.unescape(title).split()) if "&" in title else " ".join(title.split())
    return title or None


def _clean_html(html: str, base: str) -> tuple[str, list[str]]:
    """Absolute site URLs in the body; images listed."""
    root = lxml_fragment(html)
    archive.clean_tree(root, base)
    imgs = []
    for img in root.iter("img"):
        src = img.get("src")
        if src and not src.startswith("data:") and src not in imgs:
            imgs.append(src)
    return body.inner_html(root), imgs


def _enclosures(entry: Any, base: str) -> list[str]:
    """A feed item's enclosures (a podcast's audio), absolute."""
    out = []
    for enc in entry.get("enclosures") or []:
        href = (enc.get("href") or enc.get("url") or "").strip()
        url = original_url(absolute(href, base)) if href else ""
        if url and url not in out:
            out.append(url)
    return out


def parse_feed(data: bytes, url: str) -> list[Post]:
    """Posts in a feed (empty list for anything that is not a usable feed)."""
    return _parse_feed(data, url)


def _parse_feed(data: bytes, url: str) -> list[Post]:
    parsed = _parse(data)
    if parsed is None:
        return []
    base = original_url(url)
    generator = (parsed.feed.get("generator") or "").lower()
    summary_feed = bool(_SUMMARY_FEED.search(base))
    posts = []
    for entry in parsed.entries:
        link = _link(entry, base)
        title = _title(entry)
        if not link or (title and _TEMPLATE.search(title)):
            continue
        if "#comment" in link or re.search(r"#c\d+$", link):
            continue  # a comment, not a post
        html, partial = _content(entry)
        if _TEMPLATE.search(html[:2000]) and not text_of(lxml_fragment(_TEMPLATE.sub("", html))):
            continue
        content_html, images = _clean_html(html, link) if html else ("", [])
        if not title and not text_of(lxml_fragment(content_html)) and "<img" not in content_html:
            continue  # neither a title nor a body: not a post
        if summary_feed:
            partial = True
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
                attachments=_enclosures(entry, link),
                slug=slug_of(link),
                engine="feed" + (f":{generator.split()[0]}" if generator else ""),
                partial=partial,
            )
        )
    return _site_shaped(posts)


def shape(url: str) -> tuple[str, ...]:
    """A permalink's shape: its path segments, digits and the last segment generalised
    (``/post/2014/03/04/slug.html`` → ``("post", "#", "#", "#", "*.html")``)."""
    segs = [s for s in urlsplit(url).path.split("/") if s]
    out = [re.sub(r"\d+", "#", s) if re.search(r"\d", s) else s for s in segs[:-1]]
    if segs:
        last = segs[-1]
        out.append("#" if last.isdigit() else "*" + (re.search(r"\.\w+$", last) or [""])[0])
    return tuple(out)


def _site_shaped(posts: list[Post]) -> list[Post]:
    """The feed's posts; an untitled item only when its link has the shape most of the feed's
    links share (a Hugo feed also lists stray files such as ``/post/vendor/bundle/...``)."""
    shapes = Counter(shape(p.url) for p in posts if p.title)
    if not shapes:
        return posts
    usual = shapes.most_common(1)[0][0]
    return [p for p in posts if p.title or shape(p.url) == usual]


def parse_comment_feed(data: bytes, url: str) -> dict[str, list[Comment]]:
    """Comments from a comment feed, keyed by the commented post's URL."""
    return _parse_comment_feed(data, url)


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
