"""Which URLs a snapshot asks for: a frontier no calendar, pager or reply link can trap.

- every URL is put in one canonical form (scheme and host lower case, default port,
  fragment and tracking/UI parameters dropped, e.g. ``?replytocom=``, ``?share=``);
- query parameters that only page or sort a listing (``?paged=``, ``?query-3-page=``,
  ``?orderby=``, calendar parameters, ...) are followed only from a page that led to a post
  not seen before, and never two of them at once;
- past ``soft`` URLs of one path pattern (digits folded, query names kept), more only from
  a page that led to a post not seen before; never more than ``cap``: an endless
  ``/calendar/2031/07/`` or ``?month=`` walk stops.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from recover.urls import TRACKING_PARAMS

# parameters that change nothing worth keeping: dropped from the URL
DROP = re.compile(
    r"^(replytocom|share|shared|like_comment|_wpnonce|nocache|preview|preview_id|"
    r"unapproved|moderation-hash|doing_wp_cron|wc-ajax|action|redirect_to|amp|print)$",
    re.IGNORECASE,
)
# parameters that only page, sort or filter a listing: followed only when they lead to posts
PAGING = re.compile(
    r"^(paged?|pg|cpage|offset|start|limit|per_?page|orderby|order|sort|sortby|dir|view|"
    r"query-\d+-page|\w*-page|month|year|day|week|date|ical|tribe-bar-date|eventdisplay|"
    r"calendar\w*|cal\w*|filter\w*|ts|time|replyto\w*)$",
    re.IGNORECASE,
)
DEFAULT_CAP = 500  # URLs per path pattern
SOFT_CAP = 50  # past this many, a pattern grows only from pages that led to new posts
SEARCH = re.compile(r"^(s|q|search)$", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """``url`` in the form the frontier keeps (dropped parameters gone, query order kept)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port != {"http": 80, "https": 443}.get(scheme):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (DROP.match(k) or TRACKING_PARAMS.match(k) and k.lower() not in ("m",))
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def pattern(url: str) -> str:
    """The path pattern ``url`` counts against: digits folded, query names kept (sorted)."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "N", parts.path or "/")
    names = sorted({re.sub(r"\d+", "N", k) for k, _ in parse_qsl(parts.query, True)})
    return path + ("?" + "&".join(names) if names else "")


class Frontier:
    """Decides, URL by URL, what the snapshot asks for; remembers what it admitted."""

    def __init__(self, cap: int = DEFAULT_CAP, soft: int = SOFT_CAP) -> None:
        self.cap = cap
        self.soft = min(soft, cap)
        self.seen: set[str] = set()
        self.per_pattern: Counter[str] = Counter()

    def admit(
        self, url: str, *, leads: bool = True, paged: bool = False, force: bool = False
    ) -> str | None:
        """The canonical URL to request, or None (seen, a trap, over the cap).

        ``leads``: the page the link is on led to a post not seen before; ``paged``: that
        page was itself reached through a paging parameter. ``force``: a URL from a
        sitemap, a feed, robots.txt or an earlier snapshot: admitted whatever its shape
        (still once).
        """
        url = canonical_url(url)
        if url in self.seen:
            return None
        if not force:
            if self._refusal(url, leads, paged):
                return None
        self.seen.add(url)
        self.per_pattern[pattern(url)] += 1
        return url

    def _refusal(self, url: str, leads: bool, paged: bool) -> str | None:
        query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if any(SEARCH.match(k) for k, _ in query):
            return "search"
        paging = [k for k, _ in query if PAGING.match(k)]
        if len(paging) > 1:
            return "paging combination"
        if paging and paged and not leads:
            return "paging without new posts"
        count = self.per_pattern[pattern(url)]
        if count >= self.cap:
            return "pattern cap"
        if count >= self.soft and not leads:
            return "pattern without new posts"
        return None

    def is_paging(self, url: str) -> bool:
        """True when ``url`` carries a paging or sorting parameter."""
        return any(PAGING.match(k) for k, _ in parse_qsl(urlsplit(url).query, True))
