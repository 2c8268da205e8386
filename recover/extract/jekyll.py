"""Jekyll sites (GitHub Pages): default and common themes, categories from the permalink."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from recover.extract import markup
from recover.extract.page import Fields, Page

NAME = "jekyll"

# Jekyll's default "date" permalink: /:categories/:year/:month/:day/:title.html
_DATE_PERMALINK = re.compile(r"^/((?:[^/]+/)*)(\d{4})/(\d{2})/(\d{2})/[^/]+\.html$")


def detect(page: Page) -> int:
    if "jekyll" in page.generator:
        return 100
    score = 0
    host = (urlsplit(page.url).hostname or "").lower()
    if host.endswith(".github.io") or host.endswith(".github.com"):
        score += 40
    if page.class_tokens & {"post-content", "post-header", "page-content", "post-meta"}:
        score += 20
    if _DATE_PERMALINK.match(urlsplit(page.url).path):
        score += 20
    if page.source_has("jekyll", limit=200_000, lower=True):
        score += 20
    if page.source_has("octopress.org", limit=200_000, lower=True):  # Octopress's theme
        score += 40
    return score


def path_categories(url: str) -> list[str]:
    """Categories Jekyll put before the date in a default permalink."""
    m = _DATE_PERMALINK.match(unquote(urlsplit(url).path))
    if not m:
        return []
    return [seg for seg in m.group(1).split("/") if seg]


def read(page: Page) -> Fields:
    posts = page.css("article.post, .post-list > li, .posts > .post, .post-preview")
    fields = Fields(entries=len(posts))
    root = page.first("article.post, article, .post") if len(posts) <= 1 else None
    fields.title = markup.pick_text(page, root, [".post-title", ".post-header h1", "header h1"])
    if not fields.title:
        # The default layouts' <title> is the page title alone.
        fields.title = page.title_tag or None
    fields.published = markup.pick_date(
        page, root, ["time[datetime]", ".post-date", ".post-meta", ".date"]
    )
    fields.author = markup.pick_text(page, root, [".post-author", "[itemprop='author']", ".author"])
    fields.categories = (
        markup.terms(page, root, [".post-categories a", ".categories a", ".category a"])
        or path_categories(page.url)
        or None
    )
    fields.tags = (
        markup.terms(
            page, root, [".post-tags a", ".tags a", "a[href*='/tags/']", "a[href*='/tag/']"]
        )
        or None
    )
    fields.body = markup.pick(
        page,
        root,
        [
            ".post-content",
            ".entry-content",
            ".post-body",
            "article .content",
            "[itemprop='articleBody']",
        ],
    )
    return fields
