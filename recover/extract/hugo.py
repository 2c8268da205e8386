"""Hugo sites: common themes (ananke, PaperMod, hyde, even, ...)."""

from __future__ import annotations

from recover.extract import markup
from recover.extract.page import Fields, Page

NAME = "hugo"


def detect(page: Page) -> int:
    if "hugo" in page.generator:
        return 100
    score = 0
    if page.class_tokens & {"post-single", "post-entry", "single-title", "entry-cover"}:
        score += 20
    return score


def read(page: Page) -> Fields:
    posts = page.css("article.post-entry, .post-list article, .posts article, article.summary")
    fields = Fields(entries=len(posts))
    root = page.first("article, main, .post") if len(posts) <= 1 else None
    fields.title = markup.pick_text(
        page, root, [".post-title", ".entry-title", ".single-title", "h1.title", "h1"]
    )
    fields.published = markup.pick_date(
        page, root, ["time[datetime]", ".post-date", ".date", ".post-meta"]
    )
    fields.author = markup.pick_text(page, root, [".post-author", ".author"]) or markup.byline(
        page, root
    )
    fields.categories = markup.terms(page, root, ["a[href*='/categories/']"]) or None
    fields.tags = markup.terms(page, root, [".post-tags a", ".tags a", "a[href*='/tags/']"]) or None
    fields.body = markup.pick(
        page,
        root,
        [
            ".post-content",
            ".entry-content",
            ".post-body",
            ".content",
            "article section",
            ".markdown",
        ],
    )
    return fields
