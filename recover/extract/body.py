"""The post body: keep what the author wrote, drop what the theme and archive added."""

from __future__ import annotations

import copy
import re
import unicodedata

import lxml.html
from lxml import etree

from recover.extract.archive import drop_keeping_tail
from recover.extract.page import Page, classes, text_of

_ALWAYS = {
    "script",
    "style",
    "noscript",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "nav",
    "link",
    "meta",
    "template",
    "dialog",
    "svg",
}
_MEDIA = {"iframe", "embed", "object", "video", "audio"}
_JUNK_TOKENS = {
    "share",
    "sharing",
    "sharedaddy",
    "addtoany",
    "a2a_kit",
    "social",
    "shareaholic",
    "sociable",
    "tweetmeme",
    "share-buttons",
    "post-share",
    "share-post",
    "sharethis",
    "related",
    "related-posts",
    "relatedposts",
    "jp-relatedposts",
    "yarpp-related",
    "crp_related",
    "postmetadata",
    "post-meta",
    "entry-meta",
    "entry-footer",
    "entry-utility",
    "post-footer",
    "post-footer-line",
    "byline",
    "posted",
    "post-info",
    "postinfo",
    "navigation",
    "nav-links",
    "post-navigation",
    "pagination",
    "breadcrumb",
    "breadcrumbs",
    "wp-pagenavi",
    "comments",
    "comment-respond",
    "respond",
    "commentform",
    "comments-head",
    "comments-body",
    "comment-list",
    "commentlist",
    "adsbygoogle",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "google-ad",
    "sponsor",
    "edit-link",
    "post-edit-link",
    "feedflare",
    "blogger-post-footer",
    "screen-reader-text",
    "skip-link",
    "post-tags",
    "cat-links",
    "tag-links",
    "tags-links",
    "post-labels",
    "author-bio",
    "author-info",
    "about-author",
    "wpcnt",
    "wordads",
    "jp-post-flair",
    "sd-block",
    "newsletter",
    "subscribe",
    "print-link",
    "printfriendly",
    "reactions",
    "post-reactions",
    "post-comment-link",
    "comment-link",
    "entry-tags",
    "entry-categories",
    "post-categories",
    "meta-nav",
    "nav-previous",
    "nav-next",
    "wp-block-post-navigation-link",
    "wp-block-post-terms",
    "wp-block-comments",
    "post-share-buttons",
    "sharepost",
    "widget",
    "sidebar",
    "dsq-brlink",
    "fb-like",
    "fb-comments",
    "twitter-share-button",
    "g-plusone",
    "addthis_toolbox",
    "mc4wp-form",
    "wp-block-jetpack-subscriptions",
    "jetpack-likes-widget-wrapper",
    "sd-like",
    "post-footer-line-1",
    "post-footer-line-2",
    "post-footer-line-3",
    "date-header",
    "blog-pager",
    "ljtags",
    "tumblr_post_notes",
    "post-notes",
    "kg-signup-card",
    "footnotes-label",
}
_JUNK_IDS = {
    "comments",
    "respond",
    "disqus_thread",
    "related-posts",
    "jp-relatedposts",
    "sharing",
    "nav-below",
    "nav-above",
    "comment-form",
    "commentform",
    "trackbacks",
    "social",
    "share",
    "sidebar",
    "author-bio",
    "post-navigation",
    "dsq-app",
}
_JUNK_PREFIX = re.compile(
    r"^(share[-_]|sharing[-_]|social[-_]|dsq[-_]|yarpp|a2a_|addthis|related[-_]|"
    r"jp-relatedposts|sharedaddy|wpcnt|disqus|st_|ssba|heateor|"
    r"shariff|jetpack-sharing|crp_)"
)
_FOOTER_TEXT = re.compile(
    r"^\s*(posted|filed|written|published)\s+(by|in|under|on|at)\b|^\s*permalink\b|"
    r"^\s*(labels|tags|categories|category)\s*:|^\s*\d+\s+comments?\b|^\s*(share|tweet) this",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def is_junk(el: etree._Element) -> bool:
    """True for theme furniture (share, related, meta, comments, ads) inside a body."""
    tokens = classes(el)
    ident = (el.get("id") or "").lower()
    if tokens & _JUNK_TOKENS or ident in _JUNK_IDS:
        return True
    if any(_JUNK_PREFIX.match(t) for t in tokens) or _JUNK_PREFIX.match(ident):
        return True
    return False


def _drop(el: etree._Element) -> None:
    el.drop_tree() if hasattr(el, "drop_tree") else el.getparent().remove(el)


def _media_link(el: etree._Element, page: Page) -> etree._Element | None:
    src = el.get("src") or el.get("data")
    if not src:
        source = el.find(".//source")
        src = source.get("src") if source is not None else None
    if not src:
        param = el.find(".//embed")
        src = param.get("src") if param is not None else None
    if not src or src.startswith(("data:", "javascript:", "about:")):
        return None
    src = page.absolute(src)
    p = lxml.html.Element("p")
    a = etree.SubElement(p, "a", href=src)
    a.text = src
    return p


def clean(
    el: etree._Element,
    page: Page,
    title: str | None = None,
    drop: list[etree._Element] | None = None,
) -> etree._Element:
    """A cleaned copy of the body element (the original tree is left alone).

    ``drop`` lists nodes (inside ``el``) the engine knows are not the author's.
    """
    marks = []
    for i, node in enumerate(drop or []):
        node.set("data-recover-drop", str(i))
        marks.append(node)
    body = copy.deepcopy(el)
    for node in marks:
        del node.attrib["data-recover-drop"]
    for node in list(body.iter()):
        if not isinstance(node.tag, str):
            if node.getparent() is not None:
                drop_keeping_tail(node)
            continue
    for node in body.xpath(".//*[@data-recover-drop]"):
        _drop(node)
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in _ALWAYS or is_junk(node):
            _drop(node)
            continue
        if tag in _MEDIA:
            link = _media_link(node, page)
            if link is not None:
                link.tail = node.tail
                node.getparent().replace(node, link)
            else:
                _drop(node)
            continue
        if tag == "img":
            _fix_img(node, page)
        stack.extend(reversed(node))
    if title:
        _drop_title_heading(body, title)
    _drop_footer_lines(body)
    for attr in ("data-recover-drop",):
        if attr in body.attrib:
            del body.attrib[attr]
    return body


def _fix_img(img: etree._Element, page: Page) -> None:
    src = img.get("src") or ""
    for lazy in ("data-lazy-src", "data-src", "data-original", "data-orig-file"):
        if img.get(lazy) and (
            not src or src.startswith("data:") or "blank" in src or "spacer" in src or "lazy" in src
        ):
            src = img.get(lazy)
            break
    if src and not src.startswith("data:"):
        img.set("src", page.absolute(src))


def _drop_title_heading(body: etree._Element, title: str) -> None:
    want = _norm(title)
    for node in body.iter("h1", "h2", "h3", "h4"):
        if _norm(text_of(node)) == want:
            _drop(node)
            return
        if text_of(node):
            return  # the first heading is not the title: leave headings alone


def _drop_footer_lines(body: etree._Element) -> None:
    """Remove trailing "Posted by ... | Permalink" style lines."""
    for _ in range(4):
        children = [c for c in body if isinstance(c.tag, str)]
        if not children:
            return
        last = children[-1]
        text = text_of(last)
        if (last.tail or "").strip():
            return
        if not text and last.tag not in ("img", "hr", "br"):
            if last.find(".//img") is None:
                _drop(last)
                continue
            return
        if len(text) < 300 and _FOOTER_TEXT.search(text):
            _drop(last)
            continue
        return


def inner_html(el: etree._Element) -> str:
    """The element's content as HTML (without the element's own tag)."""
    parts = [_escape(el.text or "")]
    for child in el:
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def images(el: etree._Element) -> list[str]:
    """Absolute image URLs in a cleaned body, in order, without duplicates."""
    seen: list[str] = []
    for img in el.iter("img"):
        src = img.get("src")
        if src and not src.startswith("data:") and src not in seen:
            seen.append(src)
    return seen
