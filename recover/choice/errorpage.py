"""Error and placeholder pages that must never be taken for a post.

Contract: ``error_reason(status: int, html: str) -> str | None``: a short reason
("http 500", "database error", "account suspended", "parked domain", "soft 404",
"login wall", "empty body", ...) or None for a good page.

Phrases only count where an error page puts them (the <title>, a heading) or when the
page has little text besides: a real post that mentions "404" or "database" is long.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from recover.document import document

SHORT_TEXT = 1500  # visible characters below which a page is "just a message"

_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "database error",
        re.compile(
            r"error establishing a database connection|database connection error|"
            r"error connecting to (the )?database|too many connections|"
            r"mysql server has gone away|warning: mysql_?i?_(p?connect|select_db)|"
            r"can'?t connect to (local )?mysql server|database error",
            re.I,
        ),
    ),
    (
        "account suspended",
        re.compile(
            r"account (has been )?suspended|this account has been suspended|"
            r"site (has been )?suspended|blog has been (suspended|archived or suspended)|"
            r"suspendedpage|hosting account .{0,40}(suspended|disabled)",
            re.I,
        ),
    ),
    (
        "parked domain",
        re.compile(
            r"this domain (name )?(is|may be) for sale|buy this domain|domain (has )?expired|"
            r"sedoparking|parkingcrew|bodis\.com|domain (is )?parked|parked (free|domain)|"
            r"this domain name has been registered|is available for purchase|"
            r"godaddy\.com/park|renew (this|your) domain",
            re.I,
        ),
    ),
    (
        "login wall",
        re.compile(
            r"you must be logged in|please log ?in to (view|continue|see)|"
            r"this blog is (private|open to invited readers only)|"
            r"this site is (private|open to invited readers only)|protected blog|"
            r"private site|log in to (your account|continue)|id=\"loginform\"|"
            r"password protected|members only",
            re.I,
        ),
    ),
    (
        "server error",
        re.compile(
            r"internal server error|service (temporarily )?unavailable|bad gateway|"
            r"gateway time-?out|bandwidth limit exceeded|resource limit (is )?reached|"
            r"briefly unavailable for scheduled maintenance|site is (temporarily )?unavailable|"
            r"checking your browser before accessing|attention required! \| cloudflare|"
            r"web server is returning an unknown error|origin is unreachable",
            re.I,
        ),
    ),
    (
        "soft 404",
        re.compile(
            r"\b404\b|page not found|not found|nothing (was )?found|no longer (exists|available)|"
            r"page (you (requested|were looking for|are looking for)[^.]{0,40} )?"
            r"(does not|doesn'?t|no longer) exists?|"
            r"there'?s nothing here|this page (isn'?t|is not) available|"
            r"the requested url .{0,80} was not found",
            re.I,
        ),
    ),
]


# A short page's markup is searched for two signs too, a parking service's or a login form's
# (up to 200 KB of it: 5 to 80 ms a page for those patterns).  Each alternative of their
# patterns holds one of these words, so markup that holds none of them cannot match: it is
# looked at first (under 0.1 ms).  tests/test_errorpage.py checks the words against the
# patterns.
MARKUP_WORDS = {
    "parked domain": (
        "domain", "sedoparking", "parkingcrew", "bodis.com", "parked",
        "available for purchase", "godaddy.com/park",
    ),
    "login wall": (
        "logged in", "please log", "this blog is", "this site is", "protected blog",
        "private site", "log in to", 'id="loginform"', "password protected", "members only",
    ),
}  # fmt: skip
# the letters besides ASCII ones that re.IGNORECASE matches to i, s and k
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})

# the text nodes a reader sees: none inside a script, style, noscript or template (read in C)
_VISIBLE_TEXT = etree.XPath(
    "descendant-or-self::text()[not(ancestor::script or ancestor::style"
    " or ancestor::noscript or ancestor::template)]",
    smart_strings=False,
)


def _visible(root: lxml.html.HtmlElement) -> str:
    """The page's visible text (the tree is left as it is: extraction reads it next)."""
    body = root.find(".//body")
    return " ".join(" ".join(_VISIBLE_TEXT(body if body is not None else root)).split())


def _headings(root: lxml.html.HtmlElement) -> str:
    title = root.find(".//title")
    parts = [title.text_content() if title is not None else ""]
    for el in root.xpath("//h1|//h2")[:3]:
        parts.append(el.text_content())
    return " | ".join(" ".join(p.split()) for p in parts)


def error_reason(
    status: int | None, html: str | None, root: lxml.html.HtmlElement | None = None
) -> str | None:
    """Why this capture is not a usable page, or None when it is fine.

    ``root``: the page already parsed (spares a second parse).
    """
    if status and status >= 400:
        return f"http {status}"
    if status and 300 <= status < 400:
        return f"redirect {status}"
    if not html or not html.strip():
        return "empty body"
    return _reason(html[:2_000_000], root)


def _unrendered(html: str) -> bool:
    """Template source served as a page: front matter, or Liquid/Jinja tags outside code."""
    if re.match(r"^\s*---\s*\n(.*\n)*?---\s*\n", html[:5000]):
        return True
    outside = re.sub(r"<(pre|code)\b.*?</\1>", "", html[:200_000], flags=re.S | re.I)
    return len(re.findall(r"\{%-?\s*(for|if|endfor|endif|assign|include|unless)\b", outside)) >= 3


def _reason(html: str, root: lxml.html.HtmlElement | None = None) -> str | None:
    head = html[:200_000]
    folded = ""  # the head lower-cased, made once if a short page needs it

    def in_markup(reason: str, pattern: re.Pattern[str]) -> bool:
        nonlocal folded
        folded = folded or head.translate(_FOLD).lower()
        return any(w in folded for w in MARKUP_WORDS[reason]) and bool(pattern.search(head))

    if _unrendered(html):
        return "unrendered template"
    if root is None:
        try:
            root = document(html)
        except (etree.ParserError, ValueError):
            return "unparseable"
    classes = " ".join(root.xpath("//body/@class"))
    headings = _headings(root)
    text = _visible(root)
    short = len(text) < SHORT_TEXT
    if re.search(r"\berror404\b", classes):
        return "soft 404"
    for reason, pattern in _RULES:
        if reason == "soft 404":
            if re.search(
                r"^\s*(error\s*)?404\b|\b404\b.{0,20}(not found|error)|"
                r"(page|file|post) not found|^\s*not found\b|nothing (was )?found|"
                r"[:|\u2013\u2014-]\s*404\s*(\||$)",
                headings,
                re.I,
            ) and (short or len(text) < 4000):
                return reason
            if short and len(text) < 600 and pattern.search(text):
                return reason
            continue
        if pattern.search(headings):
            return reason
        if short and (
            pattern.search(text) or (reason in MARKUP_WORDS and in_markup(reason, pattern))
        ):
            if reason == "login wall" and len(text) > 800:
                continue
            return reason
    has_media = (
        root.find(".//img") is not None
        or root.find(".//iframe") is not None
        or root.find(".//video") is not None
        or root.find(".//object") is not None
    )
    if not text and not has_media:
        return "empty body"
    tail = html[-3000:].lower()
    if "</body" not in tail and "</html" not in tail and len(text) < 500 and not has_media:
        return "truncated"
    return None
