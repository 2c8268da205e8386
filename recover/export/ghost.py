"""Ghost's import JSON (Settings > Labs > Import content).

Bodies go in ``html``: Ghost's importer converts HTML to its own editor format. Categories
and tags both become Ghost tags; partial posts also get the internal tag ``#recovered-partial``.
Users need an e-mail address, so each author gets a placeholder ``<slug>@example.com``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from recover.export.prepare import Prepared
from recover.normalize.markdown import safe_slug

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


def render_ghost(posts: list[Prepared], now: datetime | None = None) -> dict[str, Any]:
    """The import document: ``{"db": [{"meta": ..., "data": ...}]}``."""
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
                "html": p.html,
                "feature_image": None,
                "featured": 0,
                "type": "post",
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
