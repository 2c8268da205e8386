"""LiveJournal (and Dreamwidth-style) journals: ``/1234.html`` entries, ljtags, ljuser."""

from __future__ import annotations

import re

from recover.extract import markup
from recover.extract.page import Fields, Page
from recover.post import Comment

NAME = "livejournal"

_ENTRY = [
    ".entry-content",
    ".b-singlepost-body",
    ".asset-body",
    ".entry_text",
    "div.entry-text",
    ".entrytext",
    "article.entry .entry-body",
]


def detect(page: Page) -> int:
    score = 0
    if re.search(r"livejournal\.(com|net)|dreamwidth\.org", page.url):
        score += 70
    if re.search(r"stat\.livejournal\.com|l-stat\.livejournal\.net", page.raw[:200_000]):
        score += 50
    if page.class_tokens & {"ljuser", "ljtags", "b-singlepost-body", "lj-cut", "ljcut"}:
        score += 30
    return score


def read(page: Page) -> Fields:
    fields = Fields(entries=len(page.css(".entry-wrap, .b-singlepost, div.entry, .asset-entry")))
    fields.is_post = bool(re.search(r"/\d+\.html", page.url))
    fields.title = markup.pick_text(
        page,
        None,
        [".b-singlepost-title", ".entry-title", ".subject", ".asset-name", "h3.entry-header"],
    )
    fields.published = markup.pick_date(
        page,
        None,
        [".b-singlepost-author-date", "abbr.datetime", "time", ".datetime", ".entry-date", ".date"],
    )
    fields.author = markup.pick_text(
        page, None, [".b-singlepost-author .ljuser b", ".entry-poster .ljuser b", ".ljuser b"]
    )
    tags = markup.terms(page, None, [".ljtags a", ".b-singletags-item a", ".tag a", "a[rel='tag']"])
    fields.tags = tags or None
    fields.body = markup.pick(page, None, _ENTRY)
    fields.comments = comments(page)
    return fields


def comments(page: Page) -> list[Comment]:
    out: list[Comment] = []
    for el in page.css(".comment-wrap, .b-tree-twig .comment, div.comment[id^='t']"):
        content = markup.pick(page, el, [".comment-text", ".b-leaf-article", ".comment-body"])
        user = markup.pick(page, el, [".ljuser", ".b-leaf-username", ".comment-poster"])
        date = markup.pick_text(
            page, el, [".comment-datetime", ".b-leaf-createdtime", ".datetime", "time"]
        )
        made = markup.comment(page, author=user, date=date, content=content, ident=el.get("id"))
        if made:
            out.append(made)
    return out
