"""Movable Type (2.x ``blogbody``, 3.x ``entry``, 4+ ``asset``) and TypePad."""

from __future__ import annotations

import html
import re

from lxml import etree

from recover.extract import markup
from recover.extract.dates import parse_date
from recover.extract.page import Fields, Page, classes, outermost, text_of
from recover.post import Comment

NAME = "movabletype"

_POSTS = ".blogbody, .entry-asset, div.entry[id^='entry-'], .asset.entry, div.entry"
_TITLE = ["h1.asset-name", ".entry-header", "h3.title", "h2.title", ".title", "h3", "h2"]
_BODY_PARTS = [(".asset-body", ".asset-more"), (".entry-body", ".entry-more")]
_BODY = [".asset-content", ".entry-content", ".blogbody"]
_FOOTER = [
    ".posted",
    ".entry-footer",
    ".post-footers",
    ".asset-footer",
    ".asset-meta",
    ".entry-meta",
]
# both forms MT printed: <dc:date>...</dc:date> (2.x) and dc:date="..." (3.x+)
_RDF_DATE = re.compile(r"<dc:date>([^<]+)</dc:date>|dc:date=\"([^\"]+)\"")
_RDF_SUBJECT = re.compile(r"<dc:subject>([^<]+)</dc:subject>|dc:subject=\"([^\"]+)\"")
_RDF_CREATOR = re.compile(r"<dc:creator>([^<]+)</dc:creator>|dc:creator=\"([^\"]+)\"")
_RDF_ABOUT = re.compile(r"rdf:about=\"([^\"]+)\"")


def detect(page: Page) -> int:
    gen = page.generator
    if "movable type" in gen or "typepad" in gen or "movabletype" in gen:
        return 100
    score = 0
    if page.source_has(
        "mt-comments.cgi", "mt-tb.cgi", "mt-search.cgi", "typepad.com/", "/mt-static/"
    ):
        score += 50
    if any("trackback:ping" in c or "<dc:date>" in c for c in page.comments_text):
        score += 50
    if page.class_tokens & {
        "blogbody",
        "entry-asset",
        "asset-body",
        "entry-body",
        "posted",
        "comments-post",
        "entry-footer",
        "post-footers",
    }:
        score += 30
    return score


def _rdf(page: Page) -> dict[str, str]:
    """The trackback RDF block MT hides in a comment: the entry's date, subject, author."""
    for text in page.comments_text:
        if "<rdf:RDF" not in text:
            continue
        out = {}
        if m := _RDF_DATE.search(text):
            out["date"] = m.group(1) or m.group(2)
        if m := _RDF_SUBJECT.search(text):
            out["subject"] = html.unescape(m.group(1) or m.group(2))
        if m := _RDF_CREATOR.search(text):
            out["creator"] = html.unescape(m.group(1) or m.group(2)).strip()
        if m := _RDF_ABOUT.search(text):
            out["about"] = m.group(1)
        return out
    return {}


def read(page: Page) -> Fields:
    found = [el for el in page.css(_POSTS) if not _in_comments(el)]
    posts = outermost(found)
    fields = Fields(entries=len(posts))
    post = posts[0] if posts else None
    root = post if post is not None else page.root
    rdf = _rdf(page)
    if rdf.get("date") and len(posts) <= 1:
        fields.is_post = True
    fields.title = markup.pick_text(page, root, _TITLE)
    footer = markup.pick(page, root, _FOOTER)
    if footer is None:
        footer = markup.pick(page, None, _FOOTER)
    fields.published = parse_date(rdf.get("date")) or markup.pick_date(
        page, root, ["abbr.published", "time[datetime]", ".published"]
    )
    if not fields.published:
        fields.published = _footer_date(page, root, footer)
    if footer is not None:  # "Posted by NAME at 12:32 | Permalink", "Posted by NAME. Permalink"
        fields.author = markup.posted_by(markup.byline_text(footer))
    fields.author = (
        markup.pick_text(page, root, [".author .fn", ".vcard .fn"])
        or rdf.get("creator")
        or fields.author
    )
    cats = markup.terms(page, root, [".entry-categories a", ".asset-meta a[rel~='category']"])
    if not cats and footer is not None:
        cats = [
            text_of(a)
            for a in footer.iter("a")
            if re.search(r"/(archives/)?(cat_|category/|categories/)", a.get("href") or "")
        ]
    if not cats and footer is not None:
        cats = _footer_terms(page, footer)
    if not cats and (subject := rdf.get("subject")) and _shown_as_link(page, subject):
        cats = [subject]  # the RDF's subject, when the page shows it as a term
    fields.categories = [c for c in dict.fromkeys(cats) if c] or None
    fields.tags = markup.terms(page, root, [".entry-tags a", "a[rel='tag']"]) or None
    fields.body, fields.body_html, drop = _body(page, root, footer)
    fields.extra["drop"] = drop
    fields.comments = comments(page)
    return fields


_NOT_TERM = re.compile(
    r"^(permalink|comments?( \(\d+\))?|\d+ comments?|trackbacks?"
    r"( \(\d+\))?|email this|tweet( this)?|digg this|share)$",
    re.IGNORECASE,
)


def _footer_terms(page: Page, footer: etree._Element) -> list[str]:
    """TypePad/MT 3 footers: "Posted at 07:30 PM in <a>Category</a> | <a>Other</a>"."""
    holder = page.first(".post-footers", footer)
    if holder is None:
        holder = footer
    if not re.search(r"\bin\s*$", (holder.text or "").strip() + " ", re.IGNORECASE) and not (
        re.search(r"\sin\s", text_of(holder))
    ):
        return []
    out = []
    for a in holder.iter("a"):
        href = page.absolute(a.get("href")) or ""
        text = text_of(a)
        if not text or _NOT_TERM.match(text) or "#" in href or href == page.url:
            continue
        if "permalink" in (a.get("class") or "") or "bookmark" in (a.get("rel") or ""):
            continue
        out.append(text)
    return out


def _in_comments(el: etree._Element) -> bool:
    return any(
        classes(a) & {"comments", "comments-content", "comment"}
        or (a.get("id") or "") in ("comments", "sidebar", "beta", "gamma")
        for a in el.iterancestors()
    )


def _footer_date(page: Page, root: etree._Element, footer: etree._Element | None) -> str | None:
    """Date header ("February 19, 2003") plus the footer's time ("10:55 PM")."""
    header = markup.pick_text(page, None, [".date-header", "h2.date", ".date"])
    foot = text_of(footer) if footer is not None else ""
    day = parse_date(foot) or parse_date(header)
    if day and "T" not in day and (m := re.search(r"\b(\d{1,2}:\d{2}(?:\s*[AP]M\b)?)", foot, re.I)):
        return parse_date(f"{header or ''} {m.group(1)}") or day
    return day


def _body(page: Page, root: etree._Element, footer: etree._Element | None):
    for main, more in _BODY_PARTS:
        el = page.first(main, root)
        if el is not None:
            extra = page.first(more, root)
            if extra is not None:
                from recover.extract.body import clean, inner_html

                html = inner_html(clean(el, page)) + inner_html(clean(extra, page))
                return None, html, []
            return el, None, []
    el = markup.pick(page, root, _BODY)
    if el is None and footer is not None and (between := _between_title_and_footer(footer)):
        return None, between, []
    drop = [footer] if footer is not None else []
    if el is not None:
        drop += [d for d in page.css(".date, h2.date, .date-header", el)]
    return el, None, drop


def _shown_as_link(page: Page, text: str) -> bool:
    want = text.strip().casefold()
    return any(text_of(a).casefold() == want for a in page.root.iter("a"))


def _between_title_and_footer(footer: etree._Element) -> str | None:
    """MT 3's default entry template: the body is what lies between ``<h3>`` title and the
    ``p.posted`` line, with no container of its own."""
    parts: list[str] = []
    node = footer.getprevious()
    while node is not None and not (isinstance(node.tag, str) and node.tag in ("h3", "h2", "h1")):
        if isinstance(node.tag, str):
            parts.append(_html(node))
        node = node.getprevious()
    if node is None or not parts:
        return None

    return "".join(reversed(parts))


def comments(page: Page) -> list[Comment]:
    """MT 2.x ``comments-body``/``comments-post``; 3.x/4.x/TypePad ``.comment``."""
    out: list[Comment] = []
    for el in page.css(".comments-body"):
        posted = page.first(".comments-post", el)
        if posted is None or page.first("#disqus_thread", el) is not None:
            continue
        author = posted.find(".//a")
        if author is None:
            author = markup.posted_by(text_of(posted))
        date = text_of(posted)
        content = _without(el, posted)
        if made := markup.comment(page, author=author, date=date, content=content):
            out.append(made)
    if out:
        return out + trackbacks(page)
    for el in page.css("div.comment[id^='comment-'], div.comment, li.comment"):
        content = markup.pick(page, el, [".comment-content", ".comment-body"])
        foot = markup.pick(
            page,
            el,
            [".comment-footer", ".comment-header", ".comment-meta", ".comment-footer-inner"],
        )
        if content is None or foot is None:
            continue
        author = _commenter(page, foot)
        date = markup.pick_date(page, foot, ["abbr", "time", "a[href*='#comment']"]) or parse_date(
            text_of(foot)
        )
        made = markup.comment(
            page,
            author=author if author is not None else markup.posted_by(text_of(foot)),
            date=date,
            content=content,
            ident=el.get("id"),
        )
        if made:
            out.append(made)
    return out + trackbacks(page)


def trackbacks(page: Page) -> list[Comment]:
    """TrackBacks, as comments of type "trackback": MT 2/3 ``.trackback-body``, 4+ ``.trackback``.

    The author is the linking post (its title, linked), as WordPress records them.
    """
    out: list[Comment] = []
    for el in page.css(".trackback-body, div.trackback[id^='ping-']"):
        link = next((a for a in el.iter("a") if (a.get("href") or "").startswith("http")), None)
        stamp = markup.pick(page, el, [".trackback-post", "abbr.published", ".trackback-header"])
        said = _labelled(stamp)  # MT 2.x: "<b>Excerpt:</b> ...<br /><b>Tracked:</b> date"
        when = (
            markup.pick_date(page, el, ["abbr.published"])
            or parse_date(said.get("tracked"))
            or parse_date(text_of(stamp))
        )
        content = markup.pick(page, el, [".trackback-content"])
        if content is None:  # MT 2/3: the paragraphs after the one with the link
            paras = [p for p in el.iter("p") if link is None or link not in p.iter("a")]
            content = "".join(_html(p) for p in paras)
            if not content and said.get("excerpt"):
                content = f"<p>{html.escape(said['excerpt'], quote=False)}</p>"
        made = markup.comment(
            page, author=link, date=when, content=content, ident=el.get("id"), kind="trackback"
        )
        if made:
            out.append(made)
    return out


def _labelled(el: etree._Element | None) -> dict[str, str]:
    """``{"excerpt": ..., "tracked": ...}`` from "<b>Label:</b> text" lines, labels lower case."""
    out: dict[str, str] = {}
    for b in el.iter("b", "strong") if el is not None else ():
        label = text_of(b).rstrip(": ").casefold()
        if label and (b.tail or "").strip():
            out.setdefault(label, " ".join(b.tail.split()))
    return out


def _html(el: etree._Element) -> str:
    import lxml.html

    return lxml.html.tostring(el, encoding="unicode", with_tail=False)


def _commenter(page: Page, foot: etree._Element) -> etree._Element | None:
    """The commenter's name in a comment header/footer (never the date's permalink)."""
    found = markup.pick(page, foot, [".vcard", ".fn", ".commenter-profile", ".comment-author"])
    if found is not None:
        return found
    for a in foot.iter("a"):
        href = a.get("href") or ""
        if text_of(a) and not re.search(r"#c(omment)?-?\d|^javascript:", href):
            return a
    return None


def _without(el: etree._Element, skip: etree._Element) -> str:
    import lxml.html

    parts = []
    for child in el:
        if child is skip:
            continue
        parts.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    return ((el.text or "").strip() + "".join(parts)).strip()
