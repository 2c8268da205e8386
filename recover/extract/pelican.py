"""Pelican sites: ``footer.post-info`` with ``abbr.published``, ``/category/`` and ``/tag/``."""

from __future__ import annotations

from recover.extract import markup
from recover.extract.page import Fields, Page

NAME = "pelican"


def detect(page: Page) -> int:
    if "pelican" in page.generator:
        return 100
    score = 0
    if page.source_has("getpelican.com", limit=300_000, lower=True):
        score += 50
    if page.class_tokens & {"post-info"} and page.first("footer.post-info abbr") is not None:
        score += 30
    return score


def read(page: Page) -> Fields:
    posts = page.css("article")
    fields = Fields(entries=len(posts))
    root = posts[0] if len(posts) == 1 else None
    info = page.first(".post-info", root)
    fields.title = markup.pick_text(page, root, [".entry-title", "h1", "h2"])
    fields.published = markup.pick_date(page, info, ["abbr.published", "time.published", "time"])
    fields.updated = markup.pick_date(page, info, ["abbr.modified", "time.modified"])
    fields.author = markup.pick_text(page, info, [".vcard.author .fn", ".author .fn", ".author a"])
    fields.categories = markup.terms(page, info, ["a[href*='/category/']"]) or None
    fields.tags = markup.terms(page, info, ["a[href*='/tag/']"]) or None
    fields.body = markup.pick(page, root, [".entry-content", ".post-content"])
    fields.extra["drop"] = [info] if info is not None else []
    return fields
