"""Drupal blog and article nodes (Drupal 6/7 ``node-*``, 8+ ``node--*`` markup, RDFa dates)."""

from __future__ import annotations

from recover.extract import markup
from recover.extract.page import Fields, Page, outermost
from recover.post import Comment

NAME = "drupal"

_NODE = ".node-full, .node.view-mode-full, article.node--view-mode-full, div.node, article.node"


def detect(page: Page) -> int:
    if "drupal" in page.generator:
        return 100
    score = 0
    if page.class_tokens & {"node-type-blog", "node-type-article", "page-node"}:
        score += 40
    if page.source_has("/sites/default/files/", limit=300_000):
        score += 20
    return score


def read(page: Page) -> Fields:
    nodes = page.css(_NODE)
    nodes = outermost(nodes)
    fields = Fields(entries=len(nodes))
    root = nodes[0] if len(nodes) == 1 else None
    fields.is_post = root is not None and bool(
        page.class_tokens & {"node-type-blog", "node-type-article", "page-node"}
    )
    fields.title = markup.pick_text(
        page, None, ["h1#page-title", "h1.page-title", "h1.title", ".node__title"]
    ) or markup.pick_text(page, root, ["h2 a", "h1"])
    submitted = markup.pick(page, root, [".submitted", ".node__submitted", ".node__meta", ".meta"])
    fields.published = markup.pick_date(
        page, submitted, ["[property~='dc:date']", "time", "span[content]"]
    ) or markup.pick_date(page, root, ["[property~='dc:date']", "time"])
    fields.author = markup.pick_text(
        page,
        submitted,
        [".username", "[rel~='sioc:has_creator']", "[rel~='schema:author']", ".node__author"],
    )
    fields.tags = (
        markup.terms(
            page,
            root,
            [
                ".field-name-field-tags a",
                ".field--name-field-tags a",
                ".field-type-taxonomy-term-reference a",
                ".field--type-entity-reference a[href*='/taxonomy/']",
            ],
        )
        or None
    )
    fields.body = markup.pick(
        page, root, [".field-name-body", ".field--name-body", ".node__content .content", ".content"]
    )
    fields.comments = comments(page)
    return fields


def comments(page: Page) -> list[Comment]:
    out: list[Comment] = []
    for el in page.css("div.comment, article.comment"):
        content = markup.pick(
            page, el, [".field-name-comment-body", ".field--name-comment-body", ".content"]
        )
        author = markup.pick(page, el, [".username", ".commenter-name", ".comment__author"])
        date = markup.pick_date(
            page, el, ["[property~='dc:date']", "time", ".comment-time", ".comment__time"]
        )
        made = markup.comment(page, author=author, date=date, content=content)
        if made:
            out.append(made)
    return out
