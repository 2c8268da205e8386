"""Site URLs: undoing archive rewriting, one identity per post, and what a URL is."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

# /web/20081031120000id_/http://example.com/x  (any prefix before the timestamp)
_ARCHIVED = re.compile(
    r"^(?:(?:https?:)?//[^/]+)?(?:/[^/]*)*?/(\d{4,14})(?:[a-z]{2}_)?/+"
    r"((?:https?:/+)[^/].*|(?:www\d?\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?].*)?)$",
    re.IGNORECASE,
)
_SCHEME_FIX = re.compile(r"^(https?):/+", re.IGNORECASE)

TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|source|share|amp|m|replytocom|_ga|spref)$",
    re.IGNORECASE,
)
_SUFFIXES = re.compile(
    r"(/amp|/feed(/atom|/rss2?|/rdf)?|/comment-page-\d+|/trackback|/index\.html?|/index\.php)/?$",
    re.IGNORECASE,
)

ASSET_EXT = re.compile(
    r"\.(css|js|json|png|jpe?g|gif|bmp|webp|svg|ico|pdf|zip|gz|tgz|rar|7z|exe|msi|dmg|mp3|mp4|"
    r"m4a|ogg|wav|avi|mov|wmv|flv|swf|woff2?|ttf|eot|txt|doc|docx|ppt|pptx|xls|xlsx|ps|tex|"
    r"cs|java|c|h|py|rb|pl|sh)$",
    re.IGNORECASE,
)
FEED_PATH = re.compile(
    r"(/feed/?(atom|rss2?|rdf)?/?$|/feeds/posts/(default|full|summary)|\.(xml|rss|rdf|atom)$|"
    r"/rss/?$|/atom/?$|[?&]feed=(rss2?|atom|rdf)|/wp-json/wp/v2/posts)",
    re.IGNORECASE,
)
SITEMAP_PATH = re.compile(r"sitemap[^/]*\.xml(\.gz)?$", re.IGNORECASE)
INDEX_PATH = re.compile(
    r"(^/?$|/page/\d+/?$|[?&]paged?=\d+|/(category|categories|tag|tags|topics?|label|labels|"
    r"author|search)(/|$)|/archives?/?$|/search/label/|_archive\.html$|/archives?\.html?$|"
    r"/\d{4}_\d{2}(_\d{2})?\.html?$|"
    r"^/\d{4}(/\d{2}(/\d{2})?)?/?$|^/\d{4}_\d{2}_\d{2}_archive\.html$)",
    re.IGNORECASE,
)
SKIP_PATH = re.compile(
    r"(/wp-(admin|login|includes|content|json)|/xmlrpc\.php|/wp-comments-post|/cgi-bin/|"
    r"/mt-(comments|tb|search)\.cgi|/trackback/?$|/attachment/|[?&]attachment_id=|/comments/feed|"
    r"/feed/?$|/share/|/print/?$|/login|/signup|/cdn-cgi/)",
    re.IGNORECASE,
)
POST_PATH = re.compile(
    r"(/\d{4}/\d{1,2}/(\d{1,2}/)?[^/?#]+(/|\.s?html?|\.php)?$|"  # /2008/10/31/slug/
    r"[?&]p=\d+|/archives/\d+(\.html?)?/?$|/\d{4,}\.html$|"  # ?p=123, /archives/123, lj /1234.html
    r"/(post|posts|blog|entry|entries|article|articles|story|notes?)/[^?#]+$|"  # /post/123/slug
    r"/\d+/[^/?#]+/?$)",  # /123/slug (ghost id urls, tumblr)
    re.IGNORECASE,
)


def original_url(url: str) -> str:
    """The site's own URL behind an archive replay URL (unchanged if not archived)."""
    if not url:
        return url
    m = _ARCHIVED.match(url.strip())
    if not m:
        return url
    rest = m.group(2)
    if not re.match(r"^https?:", rest, re.IGNORECASE):
        rest = "http://" + rest
    return _SCHEME_FIX.sub(lambda s: s.group(1).lower() + "://", rest)


def capture_timestamp(url: str) -> str | None:
    """The 14-digit timestamp of an archive replay URL, or None."""
    m = _ARCHIVED.match(url.strip()) if url else None
    return m.group(1) if m else None


def absolute(url: str, base: str) -> str:
    """``url`` resolved against ``base`` and returned to the site's own address."""
    return original_url(urljoin(base, original_url(url.strip())))


def host_of(url: str) -> str:
    """The host without ``www.`` and port, lower case."""
    host = (urlsplit(url if "//" in url else "http://" + url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def canonical(url: str) -> str:
    """One identity for every variant of a post's URL.

    http/https, ``www.``, trailing slash, ``index.html``, ``?m=1``, AMP, feed and
    comment-page suffixes, fragments and tracking parameters all fold together.
    """
    url = original_url(url)
    parts = urlsplit(url if "//" in url else "http://" + url)
    path = unquote(parts.path or "/")
    path = re.sub(r"/{2,}", "/", path)
    while True:
        new = _SUFFIXES.sub("", path)
        if new == path:
            break
        path = new
    path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    query.sort()
    return urlunsplit(
        ("http", host_of(url), quote(path, safe="/%:@!$&'()*+,;=-._~"), urlencode(query), "")
    )


def kind_of(url: str) -> str:
    """What a site URL most likely holds, from its shape alone.

    One of ``post``, ``page`` (may be a post: the markup decides), ``feed``, ``sitemap``,
    ``index``, ``asset`` or ``skip``.
    """
    parts = urlsplit(original_url(url))
    path = parts.path or "/"
    query = ("?" + parts.query) if parts.query else ""
    whole = path + query
    if SITEMAP_PATH.search(path):
        return "sitemap"
    if FEED_PATH.search(whole):
        return "feed"
    if ASSET_EXT.search(path):
        return "asset"
    if SKIP_PATH.search(whole):
        return "skip"
    if INDEX_PATH.search(path) or re.search(r"[?&](paged?|cat|tag|s|m)=", query):
        if not re.search(r"[?&]p=\d+", query):
            return "index"
    if POST_PATH.search(whole):
        return "post"
    return "page"


def slug_of(url: str) -> str:
    """A file-safe slug from a post URL's last meaningful segment."""
    parts = urlsplit(original_url(url))
    m = re.search(r"[?&]p=(\d+)", "?" + parts.query)
    segs = [s for s in unquote(parts.path).split("/") if s]
    while segs and re.fullmatch(r"(index\.\w+|amp|feed)", segs[-1], re.IGNORECASE):
        segs.pop()
    last = segs[-1] if segs else ""
    last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.IGNORECASE)
    if m and not last:
        last = "p-" + m.group(1)
    slug = re.sub(r"[^\w-]+", "-", last.lower(), flags=re.UNICODE).strip("-_")
    return slug or "post"


def path_of(url: str) -> str:
    """The site-relative path (and query) of a URL, for aliases and redirects."""
    parts = urlsplit(original_url(url))
    return (parts.path or "/") + (("?" + parts.query) if parts.query else "")
