"""The post body: keep what the author wrote, drop what the theme and archive added."""

from __future__ import annotations

import copy
import re
import unicodedata

import lxml.html
from lxml import etree

from recover.extract.archive import LAZY_SRC, drop_keeping_tail
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
    "page-links",  # WordPress <!--nextpage--> links ("Pages: 1 2 3"): pages are joined
    "wp-link-pages",
    "post-nav-links",
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


_YOUTUBE = re.compile(
    r"(?:youtube(?:-nocookie)?\.com/(?:embed/|v/|watch\?(?:.*&)?v=)|youtu\.be/)([\w-]{6,})", re.I
)
_VIMEO = re.compile(
    r"(?:player\.vimeo\.com/video/|vimeo\.com/moogaloop\.swf\?(?:.*&)?clip_id=|vimeo\.com/)(\d+)",
    re.I,
)
_WIDGET = re.compile(
    r"facebook\.com/plugins|platform\.twitter\.com|doubleclick|googlesyndication|plusone|"
    r"addthis|blogger\.com/navbar|tumblr\.com/(?:iframe|dashboard)|disqus|linkwithin|outbrain|"
    r"amazon-adsystem|adsystem|/ads?/|about:blank",
    re.I,
)


def _media_src(el: etree._Element) -> str | None:
    """Where an iframe, object, embed, video or audio element points."""
    for attr in ("src", "data-src", "data-lazy-src", "data"):
        value = el.get(attr)
        if value and not value.startswith(("data:", "javascript:", "about:")):
            return value
    for param in el.iter("param"):
        if (param.get("name") or "").lower() in ("movie", "src", "url") and param.get("value"):
            return param.get("value")
    for child in el.iter("embed", "source"):
        if child is not el and child.get("src"):
            return child.get("src")
    return None


def embed_iframe(src: str, width: str | None = None, height: str | None = None):
    """The one shape a YouTube/Vimeo embed takes in a body (None for other sources)."""
    if m := _YOUTUBE.search(src):
        url = f"https://www.youtube.com/embed/{m.group(1)}"
    elif m := _VIMEO.search(src):
        url = f"https://player.vimeo.com/video/{m.group(1)}"
    else:
        return None
    frame = lxml.html.Element("iframe", src=url)
    for name, value in (("width", width), ("height", height)):
        if value and re.fullmatch(r"\d{2,4}", value.strip()):
            frame.set(name, value.strip())
    frame.set("frameborder", "0")
    frame.set("allowfullscreen", "")
    return frame


def _media(el: etree._Element, page: Page) -> etree._Element | None:
    """The embed as the outputs keep it (never a link showing a URL the page did not show).

    YouTube and Vimeo (iframe or old Flash) become one normalised iframe; other iframes keep
    their absolute src; other Flash becomes a bare ``<embed>``; video and audio stay as they
    are, their sources absolute. Widgets (like buttons, ads, navbars) are dropped.
    """
    tag = el.tag.lower()
    src = _media_src(el)
    if not src:
        return None
    src = page.absolute(src)
    if not src.startswith(("http://", "https://")) or _WIDGET.search(src):
        return None
    frame = embed_iframe(src, el.get("width"), el.get("height"))
    if frame is not None:
        return frame
    if tag in ("video", "audio"):
        for node in el.iter():
            for attr in ("src", "poster"):
                if node.get(attr):
                    node.set(attr, page.absolute(node.get(attr)))
        return copy.copy(el)
    keep = lxml.html.Element("iframe" if tag == "iframe" else "embed", src=src)
    for name in ("width", "height", "type", "title"):
        if el.get(name):
            keep.set(name, el.get(name))
    return keep


def clean(
    el: etree._Element,
    page: Page,
    title: str | None = None,
    drop: list[etree._Element] | None = None,
    header: bool = False,
) -> etree._Element:
    """A cleaned copy of the body element (the original tree is left alone).

    ``header``: the element is a region found by its text (not a theme's content container),
    so leading lines holding only the title and a date are the post's header, dropped.

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
            kept = _media(node, page)
            if kept is not None:
                kept.tail = node.tail
                node.getparent().replace(node, kept)
            else:
                drop_keeping_tail(node)
            continue
        if tag == "img":
            _fix_img(node, page)
        stack.extend(reversed(node))
    if title:
        _drop_title_heading(body, title)
    if header:
        _drop_header_lines(body, title or "")
        _unwrap(body)
        node = body
        for _ in range(4):  # the body's own level, then the wrappers it ends with
            _drop_trailing_links(node)
            kids = [c for c in node if isinstance(c.tag, str)]
            if not kids or kids[-1].tag not in ("font", "div", "center", "section", "span"):
                break
            node = kids[-1]
        _unwrap(body)
    _drop_footer_lines(body)
    for attr in ("data-recover-drop",):
        if attr in body.attrib:
            del body.attrib[attr]
    return body


def _fix_img(img: etree._Element, page: Page) -> None:
    src = img.get("src") or ""
    for lazy in LAZY_SRC:
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


def _drop_header_lines(body: etree._Element, title: str) -> None:
    """Remove leading blocks that hold only the title and/or a date ("Title · 3 May 2011")."""
    from recover.extract.dates import parse_date

    want = _norm(title)
    node = body
    for _ in range(6):
        children = [c for c in node if isinstance(c.tag, str) and text_of(c)]
        if not children or (node.text or "").strip():
            return
        first = children[0]
        text = _norm(text_of(first))
        rest = text.replace(want, " ").strip(" \t|·•-–—,:") if want else text
        if not rest or (len(rest) <= 60 and parse_date(rest) and len(children) > 1):
            _drop(first)
            continue
        if len(children) == 1 and first.tag in ("div", "section", "article", "main", "header"):
            node = first  # the body is wrapped: look inside
            continue
        return


def _unwrap(body: etree._Element) -> None:
    """Lift the content out of wrappers that are a body's only child (div > div > p)."""
    while True:
        kids = [c for c in body if isinstance(c.tag, str)]
        if len(kids) != 1 or kids[0].tag not in ("div", "section", "article", "main"):
            return
        inner = kids[0]
        if (body.text or "").strip() or (inner.tail or "").strip():
            return
        body.text = inner.text
        body.remove(inner)
        for child in list(inner):
            body.append(child)


def _drop_trailing_links(body: etree._Element) -> None:
    """Remove trailing navigation: a block holding only links ("« Previous post"), then a
    run of bare links ("<< September | Home") at the body's own level (two links or more,
    or links after a rule, with only separators between)."""
    for _ in range(2):  # a trailing block of links alone: "« Previous post"
        kids = [c for c in body if isinstance(c.tag, str)]
        last = kids[-1] if kids else None
        if (
            last is None
            or (last.tag not in ("div", "nav", "ul", "table") and not _pager(last))
            or _SEPARATORS.sub("", last.tail or "")
            or last.find(".//img") is not None
        ):
            break
        text = text_of(last)
        linked = "".join(text_of(a) for a in last.iter("a"))
        if not text or len(text) > 60 or _SEPARATORS.sub("", text) != _SEPARATORS.sub("", linked):
            break
        _drop(last)
    kids = [c for c in body if isinstance(c.tag, str)]
    run: list[etree._Element] = []
    for child in reversed(kids):
        if _SEPARATORS.sub("", child.tail or ""):
            break
        if child.tag == "a" and len(text_of(child)) <= 40 and child.find(".//img") is None:
            run.append(child)
        elif child.tag in ("br", "hr"):
            run.append(child)
            if child.tag == "hr":
                break
        else:
            break
    links = sum(1 for c in run if c.tag == "a")
    if links >= 2 or (links and run[-1].tag == "hr"):
        for child in run:
            body.remove(child)
        if kids and (last := [c for c in body if isinstance(c.tag, str)]):
            last[-1].tail = _SEPARATORS.sub("", last[-1].tail or "") and last[-1].tail


_SEPARATORS = re.compile(r"[\s|·•<>«»\-–—:/\[\]]+")
_ARROWS = re.compile(r"<<|>>|[«»←→‹›]")


def _pager(el: etree._Element) -> bool:
    """A paragraph that is a diary's "<< previous day | next day >>" line: two links or
    more and an arrow (a paragraph of links without one may be the author's)."""
    return el.tag == "p" and len(el.findall(".//a")) >= 2 and bool(_ARROWS.search(text_of(el)))


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
        if not text and last.tag not in ("img", "hr", "br", *_MEDIA):
            if not any(True for _ in last.iter("img", *_MEDIA)):
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
