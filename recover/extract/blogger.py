"""Blogger / Blogspot: classic templates (``dl#comments-block``) and layouts (widgets)."""

from __future__ import annotations

import re

from recover.extract import markup
from recover.extract.page import Fields, Page, classes, outermost, text_of
from recover.post import Comment

NAME = "blogger"

_POSTS = ".post.hentry, div.post, article.post, .date-outer .post-outer"
_TITLE = ["h3.post-title", ".post-title", "h3.entry-title", "h2.post-title", ".entry-title"]
_DATE = [
    "abbr.published",
    "time.published",
    ".published",
    "a.timestamp-link abbr",
    "a.timestamp-link time",
    ".post-timestamp time",
    "time[datetime]",
]


def detect(page: Page) -> int:
    gen = page.generator
    if "blogger" in gen:
        return 100
    score = 0
    if page.source_has("www.blogger.com/", "draft.blogger.com/", ".blogspot.com"):
        score += 50
    if page.class_tokens & {
        "post-body",
        "date-header",
        "post-footer",
        "blog-posts",
        "#blog1",
        "post-labels",
        "#comments-block",
        "comment-timestamp",
    }:
        score += 30
    return score


def read(page: Page) -> Fields:
    posts = page.css(_POSTS)
    posts = outermost(posts)
    fields = Fields(entries=len(posts))
    root = posts[0] if posts else page.root
    fields.title = markup.pick_text(page, root, _TITLE)
    fields.published = markup.pick_date(page, root, _DATE)
    if not fields.published:
        header = markup.pick_text(page, None, [".date-header span", ".date-header"])
        stamp = markup.pick_text(
            page,
            root,
            [
                ".post-timestamp a",
                ".post-timestamp",
                "a.timestamp-link",
                "a[title='permanent link']",
            ],
        )
        fields.published = (
            markup.parse_date(f"{header or ''} {stamp or ''}".strip()) if header else None
        )
    fields.author = markup.pick_text(
        page,
        root,
        [
            ".post-author .fn",
            ".post-author-name",
            ".post-author a",
            ".g-profile",
            ".post-header .fn",  # a template's own "par <span class='fn'>André</span>"
            ".post-footer .fn",
        ],
    )
    if not fields.author:
        footer = text_of(page.first(".post-footer", root))
        fields.author = markup.posted_by(footer)
    if fields.author:
        fields.author = markup.POSTED_LABEL.sub("", fields.author).strip() or None
    labels = markup.terms(
        page, root, [".post-labels a", "a[rel='tag']", "a[href*='/search/label/']"]
    )
    fields.categories = labels or None
    fields.body = markup.pick(page, root, [".post-body", ".entry-content", ".post-content"])
    fields.comments = comments(page)
    return fields


def comments(page: Page) -> list[Comment]:
    out: list[Comment] = []
    seen: set = set()
    block = page.first("dl#comments-block")
    if block is None:
        block = page.first("#comments-block dl, dl.comments-block, #comments dl")
    if block is not None:
        author = None
        for el in block:
            cls = el.get("class") or ""
            if el.tag == "dt" or "comment-author" in cls:
                author = el
            elif "comment-body" in cls or (
                el.tag == "dd" and not re.search(r"footer|timestamp", cls) and author is not None
            ):
                foot = el.getnext()
                date = (
                    text_of(foot)
                    if foot is not None and re.search(r"footer|timestamp", foot.get("class") or "")
                    else _dt_date(author)
                )
                ident = author.get("id") if author is not None else None
                made = markup.comment(
                    page, author=_author(author), date=date, content=el, ident=ident
                )
                if made:
                    out.append(made)
                author = None
        return out
    for el in page.css(".comment-thread li.comment, #comment-holder li.comment"):
        if el in seen:
            continue
        seen.add(el)
        content = markup.pick(page, el, [".comment-content"])
        user = markup.pick(page, el, ["cite.user", ".comment-header .user", ".user"])
        date = markup.pick_text(page, el, [".datetime a", ".datetime"])
        parent = next(
            (a.get("id") for a in el.iterancestors("li") if "comment" in classes(a)), None
        )
        made = markup.comment(
            page, author=user, date=date, content=content, ident=el.get("id"), parent=parent
        )
        if made:
            out.append(made)
    return out


def _dt_date(dt) -> str | None:
    """Classic ``dt.comment-data``: "At <a href="#c1">11/06/2005 6:30 PM</a>, Name said..."."""
    if dt is None:
        return None
    for a in dt.iter("a"):
        if (a.get("href") or "").startswith("#c") and text_of(a):
            return text_of(a)
    return None


def _author(dt):
    """The commenter: their profile link, else the name before "said..."."""
    if dt is None:
        return None
    for a in dt.iter("a"):
        if a.get("href") and not a.get("href").startswith("#") and text_of(a):
            return a
    text = text_of(dt)
    if _dt_date(dt) and (m := re.match(r"^\s*at\s+.+?,\s*(.+)$", text, re.IGNORECASE)):
        return m.group(1)
    return text
