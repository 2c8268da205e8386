"""Bodies and comments made safe to import: an allow-list of elements, attributes and URLs.

A recovered page is whatever the archive held, a hostile one included; an administrator
importing the WXR stores its HTML as trusted, so a script or an ``onerror=`` that came
back with a post would run in the restored blog.  :func:`clean_html` passes HTML through
nh3 (the Rust ammonia sanitiser) keeping what authors legitimately wrote: text markup,
tables, code, maths (MathML), images, figures, details, audio and video, and iframes
from known video and audio hosts (YouTube, Vimeo, Dailymotion, SoundCloud, ...).
Links keep ``http(s)``, ``mailto``, ``ftp`` and ``tel``; ``data:`` only as an image.
``style`` keeps presentational properties that load nothing.  HTML comments go, except
WordPress's ``<!--more-->`` and ``<!--nextpage-->`` markers.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

import nh3

from recover.post import Post

# hosts whose embeds an author may have pasted (a host and its subdomains)
EMBED_HOSTS = (
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
    "soundcloud.com",
    "bandcamp.com",
    "spotify.com",
    "mixcloud.com",
    "ted.com",
    "slideshare.net",
    "archive.org",
    "twitch.tv",
    "google.com",  # Maps, Calendar, Docs embeds
)
MATHML = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "semantics", "annotation",
}  # fmt: skip
TAGS = set(nh3.ALLOWED_TAGS) | MATHML | {
    "iframe", "video", "audio", "source", "track", "picture", "section", "main", "font",
}  # fmt: skip
_EVERY = {"title", "lang", "dir", "class", "id", "style", "align"}
ATTRIBUTES: dict[str, set[str]] = {tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag, _attrs in {
    "*": _EVERY,
    "a": {"href", "name", "title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen", "frameborder", "allow"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "loop", "muted"},
    "audio": {"src", "controls", "preload", "loop"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "td": {"colspan", "rowspan", "valign", "scope", "width"},
    "th": {"colspan", "rowspan", "valign", "scope", "width"},
    "table": {"border", "cellpadding", "cellspacing", "summary", "width"},
    "col": {"span", "width"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "font": {"color", "size", "face"},
    "math": {"display", "xmlns"},
    "annotation": {"encoding"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "details": {"open"},
}.items():
    ATTRIBUTES.setdefault(_tag, set()).update(_attrs)
# presentational CSS properties that cannot load anything (no url(), no behaviour)
STYLE = {
    "color", "background-color", "text-align", "text-decoration", "text-indent",
    "font-weight", "font-style", "font-size", "font-family", "font-variant", "line-height",
    "vertical-align", "white-space", "float", "clear", "width", "height", "max-width",
    "margin", "margin-left", "margin-right", "margin-top", "margin-bottom", "padding",
    "padding-left", "padding-right", "padding-top", "padding-bottom", "border",
    "border-collapse", "border-color", "border-style", "border-width", "list-style-type",
    "display",
}  # fmt: skip
SCHEMES = {"http", "https", "mailto", "ftp", "tel", "data"}
_URL_ATTRS = {"href", "src", "srcset", "poster", "cite"}
_IMAGE_DATA = re.compile(r"^data:image/(png|jpe?g|gif|webp|bmp|avif);", re.I)
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)
_MARKERS = {"<!--more-->": "RecoverMoreMarker7f3", "<!--nextpage-->": "RecoverNextPageMarker7f3"}


def _embed_host(url: str) -> bool:
    try:
        parts = urlsplit(url.strip() if "//" in url else "")
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https", ""):
        return False
    return any(host == h or host.endswith("." + h) for h in EMBED_HOSTS)


def _attribute(tag: str, attr: str, value: str) -> str | None:
    """Each kept attribute's last check: ``data:`` only as an image; iframes from embed hosts."""
    if attr not in _URL_ATTRS:
        return value
    if tag == "iframe" and attr == "src":
        return value if _embed_host(value) else None
    if value.strip()[:5].lower() == "data:" or (attr == "srcset" and "data:" in value.lower()):
        return value if tag in ("img", "source") and _IMAGE_DATA.match(value.strip()) else None
    return value


_MATH_SCRIPT = re.compile(r"<script[^>]*math/tex", re.IGNORECASE)


def clean_html(html: str | None) -> str:
    """``html`` with everything outside the allow-list removed (scripts with their text).

    Clean HTML comes back as the very string given: a post sanitised again (each export
    does) then shares its body with the merged post instead of holding a copy."""
    if not html:
        return html or ""
    given = html
    if _MATH_SCRIPT.search(html):  # MathJax's TeX is the author's text: keep it as text
        from bs4 import BeautifulSoup

        from recover.normalize.markdown import math_as_text

        soup = BeautifulSoup(html, "html.parser")
        math_as_text(soup)
        html = str(soup)
    for marker, token in _MARKERS.items():
        html = html.replace(marker, token)
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style", "noscript", "template", "xmp", "noembed"},
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=SCHEMES,
        strip_comments=True,
        link_rel=None,
        filter_style_properties=STYLE,
    )
    for marker, token in _MARKERS.items():
        cleaned = cleaned.replace(token, marker)
    cleaned = _EMPTY_IFRAME.sub("", cleaned)  # an iframe whose source was not an embed host
    return given if cleaned == given else cleaned


def clean_url(url: str | None) -> str | None:
    """A link kept only when it is ``http(s)`` (a commenter's site, say), else None."""
    if not url:
        return url
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def sanitized(post: Post) -> Post:
    """A copy of ``post`` whose body, comments and commenters' links are clean."""
    comments = [
        dataclasses.replace(
            c, content_html=clean_html(c.content_html), author_url=clean_url(c.author_url)
        )
        for c in post.comments
    ]
    return dataclasses.replace(post, content_html=clean_html(post.content_html), comments=comments)
