"""Site URLs: undoing archive rewriting, one identity per post, and what a URL is.

The single place that turns archive replay URLs (``<prefix>/<timestamp><mod>/<url>``)
back into the site's own URLs; ``recover.extract.archive`` and every caller use it.
No function here raises, whatever the input.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from typing import NamedTuple
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

_MEMO = 1 << 15  # URLs remembered by the pure helpers below (each a few µs; called often)

# A timestamp segment of a replay URL: "/20081031120000id_/", "/2008/", "/*/".
_STAMP = re.compile(r"/(\d{4,14}|\*)([a-z]{2}_)?/+", re.IGNORECASE)
# what every replay URL _accept() takes has: /web/, a full or modified timestamp, or a
# timestamp followed by an absolute URL
_MAYBE_REPLAY = re.compile(
    r"/web/|/\d{14}(?:[a-z]{2}_)?/|/\d{4,13}[a-z]{2}_/|/\d{4,14}/+https?:", re.IGNORECASE
)
_AUTHORITY = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/?#]*", re.IGNORECASE)
_SCHEME = re.compile(r"^(https?):/+", re.IGNORECASE)
# "blog.example.com/x", "www.example.com", "127.0.0.1:8080/x", "localhost:8080/".
_HOSTLIKE = re.compile(
    r"^(?P<host>(?:[\w-]+\.)+(?P<tld>[a-z]{2,24}|xn--[a-z0-9-]+)|\d{1,3}(?:\.\d{1,3}){3}|"
    r"localhost)(?P<port>:\d+)?(?P<after>[/?#]|$)",
    re.IGNORECASE,
)
# Endings that make "x.html" a file name rather than a host name.
_FILE_EXT = re.compile(
    r"^(s?html?|xhtml|php\d?|aspx?|jsp|cgi|pl|py|rb|xml|rss|rdf|atom|json|txt|md|css|js|"
    r"jpe?g|png|gif|svg|webp|ico|bmp|pdf|zip|gz|mp[34]|swf)$",
    re.IGNORECASE,
)
_LOCAL = re.compile(r"^(#|mailto:|data:|javascript:|vbscript:|tel:|about:)", re.IGNORECASE)

# query parameters that never change which post a URL shows: tracking, sharing, comment
# permalinks and comment pages (Blogger ?showComment=, WordPress ?replytocom= / ?cpage=,
# LiveJournal ?thread=), mobile/AMP/print views (?m=1 alone; ?m=200810 is a date archive)
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_hsenc|_hsmi|"
    r"mkt_tok|ref|source|share|spref|amp|noamp|m|replytocom|showcomment|commentpage|cpage|"
    r"thread|print|printer|printable|printpage)$",
    re.IGNORECASE,
)
# path endings of a post's other views: AMP, feed, comment page, trackback, print view
_SUFFIXES = re.compile(
    r"(/amp|/feed(/atom|/rss2?|/rdf)?|/comment-page-\d+|/trackback|/print|/index\.html?|"
    r"/index\.php)/?$",
    re.IGNORECASE,
)
# a page of a post split in pages (WordPress <!--nextpage-->): /2010/01/31/slug/2/
_PAGE_SUFFIX = re.compile(r"^(?P<base>.+?)/(?P<n>[1-9]\d?)/?$")

ASSET_EXT = re.compile(
    r"\.(css|js|json|png|jpe?g|gif|bmp|webp|svg|ico|pdf|zip|gz|tgz|rar|7z|exe|msi|dmg|mp3|mp4|"
    r"m4a|ogg|wav|avi|mov|wmv|flv|swf|woff2?|ttf|eot|txt|doc|docx|ppt|pptx|xls|xlsx|ps|tex|"
    r"cs|java|c|h|py|rb|pl|sh)$",
    re.IGNORECASE,
)
FEED_PATH = re.compile(
    r"(/feed/?(atom|rss2?|rdf)?/?$|/feeds/(posts|comments|\d+/comments)/(default|full|summary)|"
    r"\.(xml|rss|rdf|atom)$|/rss/?$|/atom/?$|/data/(rss|atom)/?$|[?&]feed=(rss2?|atom|rdf)|"
    r"/wp-json/wp/v2/posts)",
    re.IGNORECASE,
)
SITEMAP_PATH = re.compile(r"sitemap[^/]*\.xml(\.gz)?$", re.IGNORECASE)
_YEAR = r"(?:19|20)\d{2}"
INDEX_PATH = re.compile(
    r"(^/?$|/page/\d+/?$|/(category|categories|tag|tags|tagged|topics?|label|labels|"
    r"author|search)(/|$)|/archives?/?$|/search/label/|_archive\.html$|/archives?\.html?$|"
    rf"/archives/cat_[^/]+\.html?$|/{_YEAR}_\d{{2}}(_\d{{2}})?\.html?$|"
    rf"(^|/){_YEAR}(/\d{{1,2}}(/\d{{1,2}})?)?/?$|^/(posts?|blog|articles?|entries|notes)/?$)",
    re.IGNORECASE,
)
SKIP_PATH = re.compile(
    r"(/wp-(admin|login|includes|content|json)|/xmlrpc\.php|/wp-comments-post|/cgi-bin/|"
    r"/mt-(comments|tb|search)\.cgi|/trackback/?$|/attachment/|[?&]attachment_id=|/comments/feed|"
    r"/feed/?$|/share/|/login|/signup|/cdn-cgi/)",
    re.IGNORECASE,
)
POST_PATH = re.compile(
    r"(/\d{4}/\d{1,2}/(\d{1,2}/)?[^/?#]+(/|\.s?html?|\.php)?$|"  # /2008/10/31/slug/
    r"[?&]p=\d+|/archives/\d+(\.html?)?/?$|/\d{4,}\.html$|"  # ?p=123, /archives/123, lj /1234.html
    r"/(post|posts|blog|entry|entries|article|articles|story|notes?)/[^?#]+$|"  # /post/123/slug
    r"/\d+/[^/?#]+/?$)",  # /123/slug (ghost id urls, tumblr)
    re.IGNORECASE,
)
_INDEX_QUERY = re.compile(
    r"(^|&)((paged?|cat|tag|s|start-index|updated-max|max-results|skip)=|m=\d{4,}(&|$))"
)


class Replay(NamedTuple):
    """A replay URL taken apart."""

    timestamp: str  # 4-14 digits ("*" for a calendar page)
    modifier: str  # "id_", "im_", ... or ""
    rest: str  # what follows: "http://site/x", "site/x" or a site-relative "x"


def _split(url: str) -> SplitResult:
    """``urlsplit`` that never raises (stray brackets are dropped)."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit(url.replace("[", "").replace("]", ""))


def _hostlike(rest: str) -> bool:
    m = _HOSTLIKE.match(rest)
    if not m:
        return False
    if m.group("host").lower().startswith("www.") or m.group("port") or not m.group("tld"):
        return True
    return m.group("after") == "/" or not _FILE_EXT.match(m.group("tld"))


def replay(url: str) -> Replay | None:
    """The parts of an archive replay URL, or None for a site URL.

    A replay URL has a timestamp segment followed by the archived URL: 14 digits, or
    4-14 with a modifier (``id_``, ``im_``...), or any length right after ``/web/`` or
    before an ``http(s):`` URL. The archived URL is absolute (``http:/...``), host-like
    (``blog.example.com/x``) or, after a full timestamp, a path of the archived site.
    Site URLs with date paths (``/2010/09/24/x.html``) are not replay URLs.
    """
    url = (url or "").strip()
    if not _MAYBE_REPLAY.search(url):
        return None  # the common case (site URLs, date paths included), decided at once
    head = _AUTHORITY.match(url)
    pos = head.end() if head else 0
    stop = min((i for i in (url.find("?", pos), url.find("#", pos)) if i >= 0), default=len(url))
    while 0 <= pos < stop:
        m = _STAMP.match(url, pos)
        if m:
            found = _accept(url[: m.start()], m.group(1), m.group(2) or "", url[m.end() :])
            if found:
                return found
        pos = url.find("/", pos + 1)
    return None


def _accept(prefix: str, stamp: str, mod: str, rest: str) -> Replay | None:
    if not rest:
        return None
    web = prefix.lower().endswith("/web")
    if stamp != "*" and not re.fullmatch(r"(19|20)\d{2}((0[1-9]|1[0-2])\d{0,8})?", stamp):
        return None  # not a date: a post id (/post/23456789/slug)
    full = stamp != "*" and (len(stamp) == 14 or bool(mod))
    if _SCHEME.match(rest):
        ok = web or stamp != "*"
    elif _hostlike(rest):
        ok = web or full
    else:
        ok = full
    return Replay(stamp, mod.lower(), rest) if ok else None


def is_replay(url: str) -> bool:
    """True when ``url`` is an archive replay URL (not a site URL with a date path)."""
    return replay(url) is not None


@functools.lru_cache(maxsize=_MEMO)
def original_url(url: str, base: str = "") -> str:
    """The site's own URL behind an archive replay URL (unchanged if not archived).

    A replay of a site-relative path (``/web/2008.../x``) is resolved against ``base``
    (the site URL of the page it was found on); without one it is returned unchanged.
    """
    if not url:
        return url
    found = replay(url)
    if found is None:
        return url
    rest = found.rest
    if _SCHEME.match(rest):
        return _SCHEME.sub(lambda s: s.group(1).lower() + "://", rest)
    if _hostlike(rest):
        return "http://" + rest
    site = original_url(base) if base else ""
    if not site or is_replay(site):
        return url
    return _join(site, "/" + rest.lstrip("/"))


def capture_timestamp(url: str) -> str | None:
    """The timestamp (4-14 digits) of an archive replay URL, or None."""
    found = replay(url) if url else None
    return found.timestamp if found and found.timestamp != "*" else None


def _join(base: str, url: str) -> str:
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def absolute(url: str, base: str) -> str:
    """``url`` resolved against ``base`` and returned to the site's own address.

    ``base`` is the page's URL (site or replay). ``#frag``, ``mailto:``, ``data:``,
    ``javascript:``, ``tel:`` and ``about:`` are left alone.
    """
    url = (url or "").strip()
    if not url or _LOCAL.match(url):
        return url
    if url.startswith(("http://", "https://")) and not _MAYBE_REPLAY.search(url):
        return url  # already the site's own absolute address
    site = original_url(base.strip(), "") if base else ""
    if is_replay(url):
        return original_url(url, site)
    return original_url(_join(site, url) if site else url, site)


@functools.lru_cache(maxsize=_MEMO)
def host_of(url: str) -> str:
    """The host without ``www.`` and port, lower case."""
    try:
        host = (_split(url if "//" in url else "http://" + url).hostname or "").lower()
    except ValueError:
        host = ""
    return host[4:] if host.startswith("www.") else host


def query_host(url: str) -> str:
    """:func:`host_of` with the port kept when it is not the scheme's default.

    What an archive index is asked for: a site on ``127.0.0.1:18510`` is captured (and
    indexed) under that port, so ``url=127.0.0.1/`` would find nothing.
    """
    parts = _split(url if "//" in url else "http://" + url)
    try:
        port = parts.port
    except ValueError:
        port = None
    host = host_of(url)
    default = {"http": 80, "https": 443}.get(parts.scheme or "http")
    return f"{host}:{port}" if port and port != default else host


def _keep_param(key: str, value: str) -> bool:
    if key.lower() == "m":
        return bool(re.fullmatch(r"\d{4,}", value))  # ?m=200810 is a date archive
    return not TRACKING_PARAMS.match(key)


def _strip_views(path: str) -> str:
    """``path`` without the endings of a post's other views (AMP, print, comment page...)."""
    while True:
        new = _SUFFIXES.sub("", path)
        if new == path:
            return path
        path = new


def _split_page(path: str, query: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]], int]:
    """(path, query, page number) of a page of a post split in pages (1: not split).

    ``/2010/01/31/slug/2/`` (the shorter path is a post's, the whole one no archive's) and
    ``?p=123&page=2`` are page 2 of the post; a post's ``?page=N`` alone (LiveJournal's
    comment pages) is the post too.
    """
    keys = {k.lower() for k, _ in query}
    if "page" in keys and ("p" in keys or kind_of(path) == "post"):
        page = next((v for k, v in query if k.lower() == "page"), "")
        rest = [(k, v) for k, v in query if k.lower() != "page"]
        return path, rest, int(page) if page.isdigit() and 0 < int(page) < 100 else 1
    m = _PAGE_SUFFIX.match(path)
    if m and kind_of(path) not in ("index", "feed", "sitemap", "asset", "skip"):
        if kind_of(m.group("base")) in ("post", "page"):  # /2010/01/slug/2/, /slug/2/
            return m.group("base"), query, int(m.group("n"))
    return path, query, 1


def _identity(url: str) -> tuple[SplitResult, str, list[tuple[str, str]], int]:
    """(parts, path, kept query, page number) of a site URL, every variant folded."""
    parts = _split(url if "//" in url else "http://" + url)
    path = unquote(parts.path or "/", errors="surrogateescape")
    path = _strip_views(re.sub(r"/{2,}", "/", path))
    pairs = parse_qsl(parts.query, keep_blank_values=True, errors="surrogateescape")
    query = [(k, v) for k, v in pairs if _keep_param(k, v)]
    path, query, page = _split_page(path.rstrip("/") or "/", query)
    return parts, _strip_views(path).rstrip("/") or "/", query, page


# a surrogate that is not an undecodable byte kept by ``errors="surrogateescape"``
# (U+DC80 to U+DCFF): text no encoding can write ("\ud800" from a JSON escape)
_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


@functools.lru_cache(maxsize=_MEMO)
def canonical(url: str) -> str:
    """One identity for every variant of a post's URL.

    http/https, ``www.``, trailing slash, ``index.html``, ``?m=1``, AMP, print, feed and
    comment-page suffixes, comment permalinks (``#comment-N``, ``?showComment=``,
    ``?replytocom=``), tracking parameters and the page number of a post split in pages
    all fold together.
    """
    url = _LONE_SURROGATE.sub("\ufffd", original_url(url))
    _parts, path, query, _page = _identity(url)
    safe = "/%:@!$&'()*+,;=-._~"
    return urlunsplit(
        (
            "http",
            host_of(url),
            quote(path, safe=safe, errors="surrogateescape"),
            urlencode(sorted(query), errors="surrogateescape"),
            "",
        )
    )


@functools.lru_cache(maxsize=_MEMO)
def page_number(url: str) -> int:
    """Which page of a post split in pages ``url`` shows (1 for a post in one page)."""
    return _identity(original_url(url))[3]


def plain(url: str) -> str:
    """``url`` as the site spells the post itself: scheme, host and path as written, every
    variant (tracking, comment permalink, AMP, print, comment or post page) and doubled
    slash (a feed template's ``//course/...``) dropped."""
    url = _LONE_SURROGATE.sub("\ufffd", original_url(url))
    parts = _split(url if "//" in url else "http://" + url)
    _parts, _path, query, page = _identity(url)
    path = re.sub(r"/{2,}", "/", parts.path or "/")  # a feed's "{{ site.url }}/{{ url }}"
    slash = path.endswith("/") or bool(re.search(r"/index\.(html?|php)$", path, re.I))
    path = _strip_views(path.rstrip("/")) or "/"
    if page > 1 and not any(k.lower() == "page" for k, _ in parse_qsl(parts.query)):
        path = _PAGE_SUFFIX.sub(r"\g<base>", path)
    path = _strip_views(path.rstrip("/")) or "/"
    if slash and not path.endswith("/"):
        path += "/"
    query_string = urlencode(query, errors="surrogateescape")
    return urlunsplit((parts.scheme, parts.netloc, path, query_string, ""))


_VIEW_PARAMS = re.compile(
    r"^(amp|noamp|m|print|printer|printable|printpage|cpage|commentpage|thread)$", re.IGNORECASE
)


@functools.lru_cache(maxsize=_MEMO)
def is_variant(url: str) -> bool:
    """True for another view of a post than its own page: AMP, mobile, print, a comment
    page or thread, a later page.  (Tracking and comment-permalink parameters show the
    page itself.)"""
    url = original_url(url)
    parts = _split(url if "//" in url else "http://" + url)
    path = re.sub(r"/index\.(html?|php)$", "", parts.path or "/", flags=re.I).rstrip("/")
    if _strip_views(path) != path or page_number(url) > 1:
        return True
    return any(
        _VIEW_PARAMS.match(k) and _keep_param(k, v) is False
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )


@functools.lru_cache(maxsize=_MEMO)
def kind_of(url: str) -> str:
    """What a site URL most likely holds, from its shape alone.

    One of ``post``, ``page`` (may be a post: the markup decides), ``feed``, ``sitemap``,
    ``index``, ``asset`` or ``skip``.
    """
    parts = _split(original_url(url))
    path = parts.path or "/"
    query = "&".join(
        p for p in parts.query.split("&") if p and _keep_param(*(p.split("=", 1) + [""])[:2])
    )
    whole = path + ("?" + query if query else "")
    if SITEMAP_PATH.search(path):
        return "sitemap"
    if FEED_PATH.search(whole):
        return "feed"
    if ASSET_EXT.search(path):
        return "asset"
    if SKIP_PATH.search(whole):
        return "skip"
    if not re.search(r"(^|&)(p|page_id)=\d+", query) and (
        INDEX_PATH.search(path) or _INDEX_QUERY.search(query)
    ):
        return "index"
    if POST_PATH.search(whole):
        return "post"
    return "page"


def slug_of(url: str) -> str:
    """A file-safe slug from a post URL's last meaningful segment."""
    parts = _split(plain(url))
    m = re.search(r"[?&]p=(\d+)", "?" + parts.query)
    segs = [s for s in unquote(parts.path).split("/") if s]
    while segs and re.fullmatch(
        r"(index\.\w+|amp|feed|comment-page-\d+|trackback)", segs[-1], re.IGNORECASE
    ):
        segs.pop()
    last = segs[-1] if segs else ""
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.IGNORECASE)
    if m and not last:
        last = "p-" + m.group(1)
    slug = re.sub(r"[^\w-]+", "-", last.lower(), flags=re.UNICODE).strip("-_")
    return slug or "post"


def last_segment(url: str) -> str:
    """The last segment of a URL's path, decoded and lower case (``/2014/12/02/A-b.html/``
    -> ``a-b.html``): a cheap first match of a link against known posts' keys."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    if "//" in path:
        path = path.split("//", 1)[1].partition("/")[2]
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]).lower()


def path_of(url: str) -> str:
    """The site-relative path (and query) of a URL, for aliases and redirects."""
    parts = _split(original_url(url))
    return (parts.path or "/") + (("?" + parts.query) if parts.query else "")


_REST_POSTS = re.compile(r"/wp/v2/posts(?:/\d+)?/?$", re.I)


def is_posts_url(url: str) -> bool:
    """WordPress's REST posts route, in either form (``/wp-json/...``, ``?rest_route=``)."""
    try:
        parts = urlsplit(original_url(url))
    except ValueError:
        return False
    if _REST_POSTS.search(parts.path) and "/wp-json/" in parts.path.lower():
        return True
    route = dict(parse_qsl(parts.query)).get("rest_route", "")
    return bool(_REST_POSTS.search(route))


_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])(?:/(0?[1-9]|[12]\d|3[01]))?(?=/)")
_URL_FLAT = re.compile(r"/((?:19|20)\d{2})[_-](0[1-9]|1[0-2])[_-](0[1-9]|[12]\d|3[01])[_/-]")


def date_from_url(url: str) -> str | None:
    """``YYYY-MM-DD`` from a dated permalink (``/2008/10/31/slug``), day 01 if absent."""
    m = _URL_DATE.search(url or "") or _URL_FLAT.search(url or "")
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3) or 1)
    try:
        return date(int(year), month, day).isoformat()
    except ValueError:
        return None


def undated_path(url: str) -> str | None:
    """A dated permalink with its date as ``*`` (``/2008/10/31/slug`` -> ``/*/slug``), None
    for an address with no date in its path or nothing after it."""
    m = _URL_DATE.search(url or "")
    if m is None or not url[m.end() :].strip("/"):
        return None
    return url[: m.start()] + "/*" + url[m.end() :]


def is_comment_feed(url: str) -> bool:
    """A feed of comments: the site's, or one post's (``/2008/10/31/slug/feed/``)."""
    path = urlsplit(url).path.lower()
    if "/comments/" in path or path.rstrip("/").endswith("/comments/default"):
        return True
    return path.rstrip("/").endswith("/feed") and kind_of(canonical(url)) == "post"


_BLOGGER_POST_COMMENTS = re.compile(r"/feeds/\d+/comments/")


def is_post_comment_feed(url: str) -> bool:
    """One post's comment feed (WordPress ``/slug/feed/``, Blogger ``/feeds/<id>/comments/``),
    not the whole site's."""
    if not is_comment_feed(url):
        return False
    path = urlsplit(url).path.lower()
    return bool(_BLOGGER_POST_COMMENTS.search(path)) or "/comments/" not in path
