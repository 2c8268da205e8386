"""WordPress eXtended RSS (WXR 1.2), the file Tools > Import > WordPress reads.

The importer silently skips what it cannot match, so this writes what it expects: UTF-8, no
DOCTYPE, the ``wp`` prefix bound to http://wordpress.org/export/1.2/, authors and terms
declared in the channel, ``YYYY-MM-DD HH:MM:SS`` dates, and no two posts with the same
(title, date, type) (``post_exists`` would drop the second; it is moved on by a second).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from recover.export.dates import parse_iso, plausible, wp_format
from recover.export.prepare import Prepared, strip_illegal
from recover.normalize.markdown import absolutize_html, safe_slug
from recover.urls import original_url

WXR_VERSION = "1.2"
NS = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
DEFAULT_AUTHOR = "Unknown author"
POST_TYPE = "post"


def cdata(text: str | None) -> str:
    """A CDATA section for any text (``]]>`` split across two sections)."""
    return "<![CDATA[" + strip_illegal(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(text: str | None) -> str:
    return escape(strip_illegal(text))


def _el(name: str, value: str | int | None, raw: bool = False) -> str:
    body = str(value) if raw else cdata(None if value is None else str(value))
    return f"<{name}>{body}</{name}>"


def author_login(name: str, taken: dict[str, str]) -> str:
    """An ASCII login WordPress's ``sanitize_user(strict)`` keeps, unique per display name."""
    if name in taken:
        return taken[name]
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9_.@-]+", "-", ascii_name.lower()).strip("-.") or "author"
    login, n = base[:60], 1
    while login in taken.values():
        n += 1
        login = f"{base[:55]}-{n}"
    taken[name] = login
    return login


class Terms:
    """Category or tag names folded case-insensitively, each with a unique nicename."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # folded name -> first spelling
        self.slugs: dict[str, str] = {}  # folded name -> nicename

    def add(self, name: str) -> tuple[str, str] | None:
        clean = re.sub(r"\s+", " ", strip_illegal(name)).strip()
        if not clean:
            return None
        key = clean.casefold()
        if key not in self.names:
            slug = safe_slug(clean) or f"term-{len(self.names) + 1}"
            base, n = slug, 1
            while slug in self.slugs.values():
                n += 1
                slug = f"{base}-{n}"
            self.names[key], self.slugs[key] = clean, slug
        return self.names[key], self.slugs[key]


def post_type(p: Prepared) -> str:
    """``post``, or ``page`` for a static page (About, Contact)."""
    return "page" if p.post.type == "page" else POST_TYPE


def unique_dates(posts: Iterable[Prepared]) -> dict[int, datetime]:
    """Each post's date (by ``id``), moved on by seconds where (title, date, type) repeats."""
    seen: set[tuple[str, str, str]] = set()
    out: dict[int, datetime] = {}
    for p in posts:
        when = p.date.when
        kind = post_type(p)
        while (p.title.casefold(), wp_format(when), kind) in seen:
            when += timedelta(seconds=1)
        seen.add((p.title.casefold(), wp_format(when), kind))
        out[id(p)] = when
    return out


def iter_wxr(
    posts: list[Prepared],
    site_url: str = "",
    site_title: str = "",
    description: str = "",
    now: datetime | None = None,
    media_base_url: str = "",
) -> Iterator[str]:
    """The WXR document in pieces (the channel head, then one piece an item).

    Each post's recovered media follow it as ``attachment`` items (:mod:`recover.media.wxr`).
    """
    now = now or datetime.now(UTC)
    site_url = original_url(site_url or (posts[0].site_url if posts else "http://localhost/"))
    parts = urlsplit(site_url)
    base = f"{parts.scheme or 'http'}://{parts.netloc}" if parts.netloc else site_url
    logins: dict[str, str] = {}
    categories, tags = Terms(), Terms()
    for p in posts:
        author_login(p.post.author or DEFAULT_AUTHOR, logins)
        for c in p.post.categories:
            categories.add(c)
        for t in p.post.tags:
            tags.add(t)

    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append(
        '<rss version="2.0"\n'
        + "\n".join(f'\txmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
        + ">"
    )
    out.append("<channel>")
    out.append(f"\t<title>{_text(site_title or parts.netloc or site_url)}</title>")
    out.append(f"\t<link>{_text(base)}</link>")
    out.append(f"\t<description>{_text(description)}</description>")
    out.append(f"\t<pubDate>{format_datetime(now.astimezone(UTC))}</pubDate>")
    out.append(f"\t<wp:wxr_version>{WXR_VERSION}</wp:wxr_version>")
    out.append(f"\t<wp:base_site_url>{_text(base)}</wp:base_site_url>")
    out.append(f"\t<wp:base_blog_url>{_text(base)}</wp:base_blog_url>")
    for i, (name, login) in enumerate(logins.items(), 1):
        out.append(
            "\t<wp:author>"
            f"<wp:author_id>{i}</wp:author_id>{_el('wp:author_login', login)}"
            f"{_el('wp:author_email', '')}{_el('wp:author_display_name', name)}"
            f"{_el('wp:author_first_name', '')}{_el('wp:author_last_name', '')}"
            "</wp:author>"
        )
    term_id = 0
    for key, name in categories.names.items():
        term_id += 1
        out.append(
            f"\t<wp:category><wp:term_id>{term_id}</wp:term_id>"
            f"{_el('wp:category_nicename', categories.slugs[key])}"
            f"{_el('wp:category_parent', '')}{_el('wp:cat_name', name)}</wp:category>"
        )
    for key, name in tags.names.items():
        term_id += 1
        out.append(
            f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id>"
            f"{_el('wp:tag_slug', tags.slugs[key])}{_el('wp:tag_name', name)}</wp:tag>"
        )
    out.append("\t<generator>recover</generator>")
    yield "\n".join(out) + "\n"

    dates = unique_dates(posts)
    from recover.media.wxr import Attachments  # (it builds on recover.export: no cycle here)

    attachments = Attachments(len(posts) + 1, media_base_url)
    comment_id = 0
    for post_id, p in enumerate(posts, 1):
        when = dates[id(p)]
        gmt = when.astimezone(UTC)
        login = logins[p.post.author or DEFAULT_AUTHOR]
        item = [
            "\t<item>",
            f"\t\t{_el('title', p.title)}",
            f"\t\t<link>{_text(p.site_url)}</link>",
            f"\t\t<pubDate>{format_datetime(gmt)}</pubDate>",
            f"\t\t{_el('dc:creator', login)}",
            f'\t\t<guid isPermaLink="false">{_text(p.site_url)}</guid>',
            "\t\t<description></description>",
            f"\t\t{_el('content:encoded', attachments.html(p.post, p.html, p.site_url))}",
            f"\t\t{_el('excerpt:encoded', '')}",
            f"\t\t<wp:post_id>{post_id}</wp:post_id>",
            f"\t\t{_el('wp:post_date', wp_format(when))}",
            f"\t\t{_el('wp:post_date_gmt', wp_format(gmt))}",
            f"\t\t{_el('wp:post_modified', wp_format(max(p.updated, when)))}",
            f"\t\t{_el('wp:post_modified_gmt', wp_format(max(p.updated, when).astimezone(UTC)))}",
            f"\t\t{_el('wp:comment_status', 'open')}",
            f"\t\t{_el('wp:ping_status', 'open')}",
            f"\t\t{_el('wp:post_name', p.slug)}",
            f"\t\t{_el('wp:status', 'publish')}",
            "\t\t<wp:post_parent>0</wp:post_parent>",
            "\t\t<wp:menu_order>0</wp:menu_order>",
            f"\t\t{_el('wp:post_type', post_type(p))}",
            f"\t\t{_el('wp:post_password', '')}",
            "\t\t<wp:is_sticky>0</wp:is_sticky>",
        ]
        for domain, terms, names in (
            ("category", categories, p.post.categories),
            ("post_tag", tags, p.post.tags),
        ):
            done: set[str] = set()
            for name in names:
                term = terms.add(name)
                if term and term[1] not in done:
                    done.add(term[1])
                    item.append(
                        f'\t\t<category domain="{domain}" nicename={quoteattr(term[1])}>'
                        f"{cdata(term[0])}</category>"
                    )
        meta = {"_recover_source_url": p.post.source.capture_url if p.post.source else ""}
        if p.post.partial:
            meta["_recover_partial"] = "1"
        if p.date.estimated:
            meta["_recover_date_estimated"] = p.date.basis
        for key, value in meta.items():
            if value:
                item.append(
                    f"\t\t<wp:postmeta>{_el('wp:meta_key', key)}"
                    f"{_el('wp:meta_value', value)}</wp:postmeta>"
                )
        item.extend(_comments(p, when, comment_id))
        comment_id += len(p.post.comments)
        item.append("\t</item>")
        yield "\n".join(item) + "\n"
        yield from attachments.items(p.post, post_id, when, login)
    yield "</channel>\n</rss>\n"


def _comments(p: Prepared, post_when: datetime, first_id: int) -> list[str]:
    """``wp:comment`` elements, ids from ``first_id + 1``, parents mapped to those ids."""
    ids = {c.id: first_id + i for i, c in enumerate(p.post.comments, 1) if c.id}
    out = []
    for i, c in enumerate(p.post.comments, 1):
        when = parse_iso(c.published)
        if not plausible(when):
            when = post_when + timedelta(seconds=i)
        assert when is not None
        parent = ids.get(c.parent, 0) if c.parent else 0
        if parent == first_id + i:
            parent = 0
        author_url = original_url(c.author_url or "")
        out.append(
            "\t\t<wp:comment>"
            f"<wp:comment_id>{first_id + i}</wp:comment_id>"
            f"{_el('wp:comment_author', c.author or 'Anonymous')}"
            f"{_el('wp:comment_author_email', '')}"
            f"{_el('wp:comment_author_url', author_url)}"
            f"{_el('wp:comment_author_IP', '')}"
            f"{_el('wp:comment_date', wp_format(when))}"
            f"{_el('wp:comment_date_gmt', wp_format(when.astimezone(UTC)))}"
            f"{_el('wp:comment_content', absolutize_html(c.content_html, p.site_url))}"
            f"{_el('wp:comment_approved', '1')}"
            f"{_el('wp:comment_type', c.type or 'comment')}"
            f"<wp:comment_parent>{parent}</wp:comment_parent>"
            "<wp:comment_user_id>0</wp:comment_user_id>"
            "</wp:comment>"
        )
    return out
