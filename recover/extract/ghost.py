"""Ghost blogs: Casper and friends (``post-full-content``, ``gh-content``)."""

from __future__ import annotations

from recover.extract import markup
from recover.extract.page import Fields, Page

NAME = "ghost"


def detect(page: Page) -> int:
    if "ghost" in page.generator:
        return 100
    score = 0
    if page.class_tokens & {
        "gh-content",
        "post-full-content",
        "kg-card",
        "gh-article",
        "post-full",
    }:
        score += 50
    return score


def read(page: Page) -> Fields:
    posts = page.css("article.post-card, .post-feed article")
    fields = Fields(entries=len(posts))
    root = page.first("article.post, article.post-full, article.gh-article, article, main")
    fields.title = markup.pick_text(
        page, root, [".post-full-title", ".gh-article-title", ".article-title", ".post-title", "h1"]
    )
    fields.published = markup.pick_date(
        page, root, ["time.post-full-meta-date", ".byline-meta-date", "time[datetime]"]
    )
    fields.author = markup.pick_text(
        page,
        root,
        [
            ".author-name",
            ".post-full-author-name",
            ".byline-meta-author a",
            ".gh-article-author-name a",
            ".gh-article-author-name",
        ],
    )
    fields.tags = (
        markup.terms(
            page,
            root,
            [
                ".post-full-tags a",
                ".post-tags a",
                ".article-tag a",
                "a.gh-article-tag",
                "a[href*='/tag/']",
            ],
        )
        or None
    )
    fields.body = markup.pick(
        page,
        root,
        [
            ".gh-content",
            ".post-full-content .post-content",
            ".post-content",
            ".article-content",
            ".post-full-content",
        ],
    )
    return fields
