"""What every exporter needs of a post: one slug unique in the export, a title, safe dates.

Exporters see posts in the same order (the crawl's, or ``write_all``'s), and each keeps its
own :class:`Preparer`, so every format gives a post the same slug.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter

from recover.export.dates import PostDate, post_date, updated_date
from recover.normalize.markdown import (
    absolutize_html,
    clean_title,
    normalize,
    safe_slug,
)
from recover.post import Post
from recover.urls import original_url

UNTITLED = "Untitled"
# Characters XML 1.0 forbids (and lone surrogates); also unwelcome in JSON and YAML.
ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_illegal(text: str | None) -> str:
    """``text`` without characters XML 1.0 forbids ("" for None)."""
    return ILLEGAL_XML.sub("", text or "")


def as_post(item: Any) -> Post:
    """A :class:`Post` from a Post, a dict of :meth:`Post.to_dict` or any item holding one."""
    if isinstance(item, Post):
        return item
    return Post.from_dict(ItemAdapter(item).asdict())


def clean_terms(names: list[str]) -> list[str]:
    """Category or tag names trimmed, whitespace collapsed, repeats (any case) dropped."""
    out: dict[str, str] = {}
    for name in names or []:
        clean = re.sub(r"\s+", " ", strip_illegal(str(name))).strip()
        if clean and clean.casefold() not in out:
            out[clean.casefold()] = clean
    return list(out.values())


class SlugRegistry:
    """Hands out slugs unique (case-insensitively) within one export."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def claim(self, slug: str) -> str:
        base = slug or "post"
        candidate, n = base, 1
        while candidate.lower() in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(candidate.lower())
        return candidate


@dataclass
class Prepared:
    """A post ready to write."""

    post: Post  # normalized: clean title, Markdown filled in
    slug: str  # unique within this export
    title: str  # never empty
    date: PostDate
    updated: datetime
    html: str  # body HTML with site-absolute URLs
    markdown: str
    site_url: str  # the post's URL on its own site
    comment_files: dict[str, str] | None = None  # written once, for Hugo and Jekyll alike


class Preparer:
    """Turns items into :class:`Prepared` posts, keeping slugs unique across calls."""

    def __init__(self, now: datetime | None = None) -> None:
        self.slugs = SlugRegistry()
        self.now = now

    def prepare(self, item: Any) -> Prepared:
        raw = as_post(item)
        # every item is normalized (sanitised) here, whatever it says of itself: a recovery's
        # posts, normalized when merged, keep their Markdown (normalizing twice converts once)
        post = normalize(raw)
        post = dataclasses.replace(
            post, categories=clean_terms(post.categories), tags=clean_terms(post.tags)
        )
        site_url = original_url(post.url or "")
        markdown = post.content_markdown
        date = post_date(post, self.now)
        slug = self.slugs.claim(safe_slug(post.slug) or "post")
        title = strip_illegal(clean_title(post.title) or "") or UNTITLED
        return Prepared(
            post=post,
            slug=slug,
            title=title,
            date=date,
            updated=updated_date(post, date, self.now),
            html=strip_illegal(absolutize_html(post.content_html, site_url)),
            markdown=strip_illegal(markdown),
            site_url=site_url,
        )
