"""WordPress themes: Kubrick/classic (2.x), Twenty-X, hAtom themes, block themes."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from recover.extract import markup
from recover.extract.page import Fields, Page, classes, outermost, text_of
from recover.post import Comment

NAME = "wordpress"

_POSTS = (
    "article.post, article.type-post, div.type-post, div.post[id^='post-'], "
    "div.post, .wp-block-post-content"
)
_TITLE = [
    ".entry-title",
    ".wp-block-post-title",
    ".post-title",
    ".storytitle",
    "h2.title",
    "h1.title",
    "h2 a[rel~='bookmark']",
    "h1",
    "h2",
    "h3",
]
_DATE = [
    "time.entry-date",
    ".wp-block-post-date time",
    "abbr.published",
    "time.published",
    ".published",
    ".entry-date",
    ".post-date",
    ".posted-on time",
    "time[datetime]",
    ".date",
    "small",
    ".postmetadata",
    ".post-meta",
    ".entry-meta",
    ".meta",
]
_BODY = [
    ".entry-content",
    ".wp-block-post-content",
    ".post-content",
    ".storycontent",
    ".entry",
    ".postentry",
    ".post-entry",
    ".post-body",
    ".content",
]
_CATS = [
    ".cat-links a",
    ".taxonomy-category a",
    ".post-categories a",
    ".categories a",
    "a[rel~='category']",
    ".postmetadata a[href*='/category/']",
    "a[href*='/category/']",
    "a[href*='?cat=']",
]
_TAGS = [
    ".tags-links a",
    ".tag-links a",
    ".taxonomy-post_tag a",
    ".post-tags a",
    ".entry-tags a",
    "a[rel='tag']",
    "a[href*='/tag/']",
]


def detect(page: Page) -> int:
    if "wordpress" in page.generator:
        return 100
    score = 0
    if page.source_has("/wp-content/", "/wp-includes/"):
        score += 60
    if page.class_tokens & {
        "wp-block-post-content",
        "wp-site-blocks",
        "storycontent",
        "wp-caption",
        "sharedaddy",
        "commentlist",
    }:
        score += 30
    if page.class_tokens & {"postmetadata", "type-post", "single-post", "hentry"}:
        score += 20
    return score


_POST_ID = re.compile(r"#?post(?:id)?-(\d+)")


def shortlinks(page: Page, site: str, url: str | None = None) -> dict[str, str]:
    """WordPress's short address (``<site>/?p=N``) of each post a page shows: address -> post.

    Every theme's ``post_class`` gives an entry the element id ``post-N``, N being the post's
    id, and WordPress answers ``?p=N`` with a redirect to that post.  An entry's post is its
    title's link.  ``url``: the page is that single post; then its ``<link rel="shortlink">``
    and ``postid-N`` body class count too, and an entry with no link is the post.
    """
    out: dict[str, str] = {}
    if url and (short := page.absolute(page.link("shortlink"))) and short != url:
        out[short] = url
    if not any(_POST_ID.fullmatch(t) for t in page.class_tokens):
        return out
    root = site if site.endswith("/") else site + "/"
    for token in page.class_tokens if url else ():
        if token.startswith("postid-") and (m := _POST_ID.fullmatch(token)):
            out.setdefault(urljoin(root, f"?p={m.group(1)}"), url or "")
    if url and out:
        return out  # a single post that names itself: no walk of the page
    entries = [
        (el, m.group(1))
        for el in page.root.xpath("//*[starts-with(@id, 'post-')]")
        if (m := _POST_ID.fullmatch(el.get("id") or ""))
    ]
    lone = url if len(entries) == 1 else None  # a single post's entry needs no link
    for el, number in entries:
        link = el.xpath(".//*[self::h1 or self::h2 or self::h3]//a[@href] | .//a[@rel='bookmark']")
        if target := (page.absolute(link[0].get("href")) if link else None) or lone:
            out.setdefault(urljoin(root, f"?p={number}"), target)
    return out


def _post(page: Page) -> tuple[etree._Element | None, int]:
    found = [el for el in page.css(_POSTS) if not _inside_comments(el)]
    top = outermost(found)
    if len(top) == 1 and "wp-block-post-content" in classes(top[0]):
        return _block_post(page, top[0]), 1
    return (top[0] if top else None), len(top)


def _block_post(page: Page, content: etree._Element) -> etree._Element:
    """Block themes: title, date and terms are siblings of the content, not inside it."""
    for anc in content.iterancestors():
        if page.first(".wp-block-post-title", anc) is not None:
            return anc
        if anc.tag in ("main", "body"):
            break
    return content


def _inside_comments(el: etree._Element) -> bool:
    for anc in el.iterancestors():
        if classes(anc) & {"comment", "commentlist", "comment-list", "widget", "sidebar"} or (
            anc.get("id") or ""
        ) in ("comments", "sidebar"):
            return True
    return False


def read(page: Page) -> Fields:
    post, n = _post(page)
    body_classes = (
        classes(page.root.find(".//body")) if page.root.find(".//body") is not None else set()
    )
    fields = Fields(entries=n)
    if "single" in body_classes or "single-post" in body_classes:
        fields.is_post = True
        fields.entries = 1
    if (
        body_classes & {"home", "blog", "archive", "search", "category", "tag", "page"}
        and not fields.is_post
    ):
        fields.extra["index"] = "page" not in body_classes
    root = post if post is not None else page.root
    fields.title = markup.pick_text(page, root, _TITLE)
    fields.published = markup.pick_date(page, root, _DATE)
    fields.author = next(
        (
            text_of(el)
            for sel in (
                ".author .fn",
                ".byline .author a",
                ".wp-block-post-author-name",
                ".post-author .meta-text a",
                "a[rel='author']",
                ".author a",
                ".author",
            )
            for el in page.css(sel, root)
            if text_of(el) and not _inside_comments(el)  # Twenty Twenty: comments in the article
        ),
        None,
    )
    heads = page.css(".site-featured-image .entry-header, .site-header .entry-header")
    if len(heads) == 1:  # Twenty Nineteen: a featured image puts the post's header up there
        fields.title = fields.title or markup.pick_text(page, heads[0], _TITLE[:3])
        fields.published = fields.published or markup.pick_date(page, heads[0], _DATE[:8])
        fields.author = fields.author or markup.pick_text(page, heads[0], [".author .fn"])
    fields.categories = markup.terms(page, root, _CATS) or None
    tags = markup.terms(page, root, _TAGS)
    fields.tags = [t for t in tags if t not in (fields.categories or [])] or None
    body = markup.pick(page, root, _BODY)
    if body is None and post is not None:
        body = post
    fields.body = body
    fields.comments = comments(page)
    return fields


def comments(page: Page) -> list[Comment]:
    """Comments from ``ol.commentlist`` (Kubrick, Twenty-X) and block-theme lists."""
    out: list[Comment] = []
    items = page.css(
        "ol.commentlist li, ul.commentlist li, ol.comment-list li, "
        "ul.comment-list li, .wp-block-comment-template li, "
        ".comments div.comment[id^='comment-']"  # wp_list_comments(style=div): Twenty Twenty
    )
    units = set(items)
    for li in items:
        ident = li.get("id") or ""
        kind = next((k for k in ("pingback", "trackback") if k in classes(li)), "comment")
        if not (
            ident.startswith(("comment-", "li-comment-"))
            or "comment" in classes(li)
            or kind != "comment"
        ):
            continue
        own = [e for e in li.iter() if _owner(e, li, units)]
        author = _first(
            own,
            lambda e: (
                classes(e) & {"fn", "comment-author-name"}
                or e.tag == "cite"
                or "wp-block-comment-author-name" in classes(e)
            ),
        )
        content = _first(
            own,
            lambda e: (
                classes(e) & {"comment-content", "comment-body-text", "wp-block-comment-content"}
            ),
        )
        if content is None:
            content = _paragraphs(li, own)
        if kind != "comment" and author is None:  # "<p>Pingback: <a>Other post</a></p>"
            author = _first(own, lambda e: e.tag == "a" and bool(e.get("href")))
            if author is not None and content is not None:
                label = text_of(lxml.html.fragment_fromstring(content, create_parent="div"))
                if len(label.replace(text_of(author), "")) < 20:
                    content = None  # only a label and the link: no excerpt survives
        date_el = _first(own, lambda e: e.tag == "time")
        if date_el is None:
            date_el = _first(
                own,
                lambda e: (
                    classes(e)
                    & {
                        "commentmetadata",
                        "comment-meta",
                        "comment-metadata",
                        "wp-block-comment-date",
                    }
                ),
            )
        date = None
        if date_el is not None:
            date = date_el.get("datetime") or text_of(date_el)
        parent = None
        for anc in li.iterancestors("li", "div"):
            if anc in units and (anc.get("id") or "").startswith(("comment-", "li-comment-")):
                parent = anc.get("id").replace("li-comment-", "comment-")
                break
        made = markup.comment(
            page,
            author=author,
            date=date,
            content=content,
            ident=ident.replace("li-comment-", "comment-") or None,
            parent=parent,
            kind=kind,
        )
        if made:
            out.append(made)
    return out


def _owner(el: etree._Element, li: etree._Element, units: set[etree._Element]) -> bool:
    """True when ``el`` belongs to ``li`` itself, not to a nested reply."""
    for anc in el.iterancestors():
        if anc is li:
            return True
        if anc.tag == "li" or anc in units:
            return False
    return False


def _first(nodes, test):
    for el in nodes:
        if isinstance(el.tag, str) and test(el):
            return el
    return None


def _paragraphs(li: etree._Element, own: list[etree._Element]) -> str | None:
    """Kubrick comments: the <p> children of the <li> are the text."""

    paras = [
        e
        for e in own
        if e.tag == "p"
        and e.getparent() is li
        or (e.tag == "p" and classes(e.getparent()) & {"comment-body"})
    ]
    if not paras:
        return None
    return "".join(lxml.html.tostring(p, encoding="unicode", with_tail=False) for p in paras)
