"""Hexo sites (landscape and the themes derived from it, NexT): ``.article-entry`` bodies."""

from __future__ import annotations

from recover.extract import markup
from recover.extract.page import Fields, Page

NAME = "hexo"


def detect(page: Page) -> int:
    if "hexo" in page.generator:
        return 100
    score = 0
    if page.class_tokens & {"article-entry", "article-inner", "article-tag-list"}:
        score += 40
    return score


def read(page: Page) -> Fields:
    posts = page.css("article.article, article.post")
    fields = Fields(entries=len(posts))
    root = posts[0] if len(posts) == 1 else None
    fields.title = markup.pick_text(page, root, [".article-title", ".post-title", "h1"])
    fields.published = markup.pick_date(
        page, root, [".article-date time", "time[itemprop='datePublished']", "time"]
    )
    fields.author = markup.pick_text(page, root, [".article-author", ".post-author"])
    fields.categories = (
        markup.terms(page, root, [".article-category-link", ".post-meta a[href*='/categories/']"])
        or None
    )
    fields.tags = (
        markup.terms(page, root, [".article-tag-list-link", ".article-tag a", ".post-tags a"])
        or None
    )
    fields.body = markup.pick(page, root, [".article-entry", ".post-body", ".post-content"])
    return fields
