"""Joomla articles (``com_content``): ``dl.article-info`` details and schema.org microdata."""

from __future__ import annotations

from recover.extract import markup
from recover.extract.page import Fields, Page

NAME = "joomla"


def detect(page: Page) -> int:
    if "joomla" in page.generator:
        return 100
    score = 0
    if page.class_tokens & {"com_content", "item-page", "article-info"}:
        score += 40
    return score


def read(page: Page) -> Fields:
    items = page.css(".item-page, .blog .items-row .item, .blog-featured .item")
    fields = Fields(entries=len(items))
    root = items[0] if len(items) == 1 else None
    fields.is_post = root is not None and "view-article" in page.class_tokens
    fields.title = markup.pick_text(
        page, root, ["[itemprop='headline']", ".page-header h2", "h2.contentheading", "h2"]
    )
    info = markup.pick(page, root, ["dl.article-info", ".article-info"])
    fields.published = markup.pick_date(
        page, info, ["dd.published time", "dd.published", "dd.create time", "dd.create", "time"]
    )
    fields.updated = markup.pick_date(page, info, ["dd.modified time", "dd.modified"])
    fields.author = markup.pick_text(page, info, ["dd.createdby [itemprop='name']", "dd.createdby"])
    if fields.author:
        fields.author = markup.POSTED_LABEL.sub("", fields.author) or None
    fields.categories = (
        markup.terms(page, info, ["dd.category-name a", "dd.parent-category-name a"]) or None
    )
    fields.tags = markup.terms(page, root, [".tags a"]) or None
    fields.body = markup.pick(page, root, ["[itemprop='articleBody']", ".article-content"])
    fields.extra["drop"] = [info] if info is not None else []
    return fields
