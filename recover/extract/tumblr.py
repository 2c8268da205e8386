"""Tumblr themes: ``/post/<id>/<slug>`` permalinks, text/photo/quote posts, ``#tags``."""

from __future__ import annotations

import re

from recover.extract import markup
from recover.extract.page import Fields, Page, outermost

NAME = "tumblr"


def detect(page: Page) -> int:
    score = 0
    if page.source_has(
        "assets.tumblr.com", "static.tumblr.com", ".media.tumblr.com", limit=300_000
    ):
        score += 50
    if ".tumblr.com" in page.url or re.search(r"/post/\d+(/|$)", page.url):
        score += 30
    if page.source_has(
        "tumblr_controls", "tumblr-controls", "tumblr_post", "{block:", limit=300_000
    ):
        score += 20
    return score


def read(page: Page) -> Fields:
    posts = page.css("article.post, div.post, .posts > li, article[class*='type-']")
    posts = outermost(posts)
    fields = Fields(entries=len(posts))
    fields.is_post = bool(re.search(r"/post/\d+", page.url)) and len(posts) <= 1
    root = posts[0] if posts else page.root
    fields.title = markup.pick_text(page, root, [".post-title", ".title", "h2", "h1"])
    fields.published = markup.pick_date(
        page, root, ["time[datetime]", ".date", ".post-date", ".timestamp", ".meta .date"]
    )
    fields.tags = (
        markup.terms(page, root, [".tags a", ".post-tags a", "a[href*='/tagged/']"]) or None
    )
    body = markup.pick(
        page,
        root,
        [".post-content", ".body-text", ".text", ".post-body", ".caption", ".body", ".content"],
    )
    fields.body = body if body is not None else (posts[0] if posts else None)
    return fields
