"""LiveJournal (and Dreamwidth-style) journals: ``/1234.html`` entries, ljtags, ljuser."""

from __future__ import annotations

import re

from lxml import etree

from recover.extract import markup
from recover.extract.page import Fields, Page, text_of
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
    if page.source_has("stat.livejournal.com", "l-stat.livejournal.net", limit=200_000):
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
    """Comments of s1/s2 layouts (``.comment-wrap``, ``div.comment``) and new ones
    (``.b-tree-twig`` / ``.b-leaf``); replies found by indentation or nesting."""
    units = page.css(".b-tree-twig, .comment-wrap") or page.css(
        "div.comment[id^='t'], .b-leaf, div.comment"
    )
    out: list[Comment] = []
    stack: list[tuple[int, str | None]] = []
    for el in units:
        content = markup.pick(page, el, _COMMENT_TEXT)
        user = markup.pick(page, el, _COMMENT_USER)
        date = markup.pick_text(page, el, _COMMENT_DATE)
        ident = _ident(page, el)
        depth = _depth(el, units)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if user is not None and not user.findall(".//a") and "anonymous" in text_of(user).lower():
            user = "Anonymous"
        elif user is not None and (name := user.find(".//a/b")) is not None:
            user = name.getparent()  # the journal link, not the /profile icon beside it
        made = markup.comment(
            page, author=user, date=date, content=content, ident=ident, parent=parent
        )
        if made:
            out.append(made)
            stack.append((depth, ident))
    return out


_COMMENT_TEXT = [".comment-content", ".comment-text", ".b-leaf-article", ".comment-body"]
_COMMENT_USER = [".b-leaf-username", ".comment-poster", ".poster", ".ljuser", ".anonymous"]
_COMMENT_DATE = [".comment-datetime", ".b-leaf-createdtime", ".datetime", "time", ".comment-date"]


def _ident(page: Page, el: etree._Element) -> str | None:
    """The comment's ``t<number>`` id (on the unit, its data-tid, or its inner comment)."""
    for node in [el, *page.css("[id^='t']", el)]:
        ident = node.get("id") or ""
        if re.fullmatch(r"t\d+", ident):
            return ident
    if re.fullmatch(r"t\d+", el.get("data-tid") or ""):
        return el.get("data-tid")
    m = re.fullmatch(r"ljcmt(\d+)", el.get("id") or "")
    return "t" + m.group(1) if m else el.get("id")


def _depth(el: etree._Element, units: list[etree._Element]) -> int:
    """Thread depth: ``b-tree-twig-N``, the ``margin-left`` indent, or the nesting."""
    if m := re.search(r"\bb-tree-twig-(\d+)\b", el.get("class") or ""):
        return int(m.group(1))
    for node in el.iter():
        if isinstance(node.tag, str) and (
            m := re.search(r"margin-left:\s*(\d+)", node.get("style") or "")
        ):
            return int(m.group(1))
    return sum(1 for a in el.iterancestors() if a in units)
