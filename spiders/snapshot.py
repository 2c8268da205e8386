"""``snapshot``: a polite crawl of the owner's live blog, every exchange written to a WARC.

Two phases. First the change signals: sitemaps, feeds (site, Atom, comments, each post's
comment feed) and robots.txt's sitemaps, so their dates and comment counts are known before
any page is asked for. Then the pages: home, paging, archives, category and tag listings,
posts, pages, every URL an earlier snapshot reached (a deleted post answers 404 and the
WARC says so), the images and attachments pages use (a post's own images on any host).
The frontier (:mod:`recover.snapshot.frontier`) keeps it finite. robots.txt and its
``Crawl-delay`` are obeyed unless ``--ignore-robots``; recording and conditional requests
are done by :mod:`recover.snapshot.recorder`.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from recover import __version__
from recover.snapshot.frontier import Frontier, canonical_url
from recover.snapshot.recorder import ASSET
from recover.snapshot.session import Session, iso_utc
from recover.urls import canonical, host_of, kind_of

log = logging.getLogger(__name__)

# no made-up homepage: the agent says what it is and whose crawl it is
USER_AGENT = f"recover-snapshot/{__version__} (the blog owner's own backup crawl)"

PRIORITY = {"sitemap": 30, "feed": 30, "home": 20, "index": 10, "page": 5, "post": 5, "asset": -5}
_FEED_TOP = {"feed", "feeds", "rss", "atom", "rss2", "index.xml", "rss.xml", "atom.xml", "feed.xml"}
_XML_STARTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")

ASSET_SELECTORS = (
    "img::attr(src)",
    "img::attr(data-src)",
    "link[rel~=stylesheet]::attr(href)",
    "link[rel~=icon]::attr(href)",
    "script::attr(src)",
    "meta[property='og:image']::attr(content)",
    "video::attr(poster)",
    "source::attr(src)",
)
SRCSET_SELECTORS = ("img::attr(srcset)", "source::attr(srcset)")
PAGE_SELECTORS = (
    "a::attr(href)",
    "link[rel~=next]::attr(href)",
    "link[rel~=prev]::attr(href)",
    "link[rel~=canonical]::attr(href)",
)
# a post's own media, followed on any host (a CDN, an image host)
BODY_MEDIA_SELECTORS = tuple(
    f"{body} {what}"
    for body in (".entry-content", ".post-content", ".post-body", "[itemprop=articleBody]")
    for what in ("img::attr(src)", "a[href]::attr(href)", "video::attr(src)", "audio::attr(src)")
)
FEED_SELECTOR = (
    "link[rel~=alternate][type*=rss]::attr(href), link[rel~=alternate][type*=atom]::attr(href)"
)


class SnapshotSpider(scrapy.Spider):
    """Crawl one live site; ``session`` (a :class:`Session`) is passed by the command."""

    name = "snapshot"
    custom_settings: dict[str, Any] = {
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": USER_AGENT,
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 1.0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 1.0,
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "HTTPCACHE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,  # no port opened, as a recovery opens none
        "REMOTE_CONTROL_ENABLED": False,
        "RETRY_TIMES": 2,
        "DOWNLOAD_TIMEOUT": 30,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_ENABLED": False,
        "DOWNLOAD_MAXSIZE": 256 * 1024 * 1024,
        "DOWNLOADER_MIDDLEWARES": {
            "recover.snapshot.recorder.SnapshotRecorder": 650,
            # after robots.txt (100), so its Crawl-delay is known
            "recover.snapshot.crawldelay.CrawlDelay": 120,
        },
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None},
    }

    def __init__(self, session: Session | None = None, **kwargs: Any) -> None:
        if session is None:
            raise ValueError("the snapshot spider is run by `recover snapshot URL`")
        super().__init__(**kwargs)
        self.session = session
        self.site = session.site
        self.frontier = Frontier(session.pattern_cap)
        self.phase = "signals"
        self._held: list[scrapy.Request] = []  # pages found while reading the signals
        # what earlier snapshots reached (not robots.txt: the robots middleware asks for it)
        self._known = [
            u
            for u in session.known()
            if urlsplit(u).path != "/robots.txt" and "/wp-json/" not in u  # asked in phase one
        ]

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> SnapshotSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """Phase one: sitemaps and every feed an earlier snapshot found."""
        first = [urljoin(self.site, "/sitemap.xml")]
        first += [u for u in self._known if kind_of(u) in ("feed", "sitemap")]
        for url in first:
            kind = "sitemap" if kind_of(url) == "sitemap" else "feed"
            if (req := self.follow(url, kind, force=True)) is not None:
                yield req
        if self.session.state.wordpress:  # every post's and page's modified date
            for route in ("posts", "pages"):
                yield self.rest_request(route, 1)

    def rest_request(self, route: str, page: int) -> scrapy.Request:
        """One page of WordPress's REST listing of ``route``: links and modified dates only."""
        url = urljoin(
            self.site,
            f"/wp-json/wp/v2/{route}?per_page=100&page={page}&_fields=link,modified_gmt",
        )
        return scrapy.Request(
            url,
            callback=self.parse_rest,
            priority=PRIORITY["feed"],
            meta={"route": route, "page": page},
            dont_filter=True,
        )

    def parse_rest(self, response: Response) -> Iterator[scrapy.Request]:
        """Modified dates (UTC) from the REST API: they date every change to a post's text."""
        try:
            items = json.loads(response.body)
        except ValueError:
            return
        if response.status != 200 or not isinstance(items, list):
            return
        for item in items:
            if not isinstance(item, dict) or not item.get("link") or not item.get("modified_gmt"):
                continue
            when = iso_utc(str(item["modified_gmt"]).rstrip("Z") + "+00:00")
            self.session.note_date(canonical(str(item["link"])), when)
        pages = response.headers.get(b"X-WP-TotalPages", b"1").decode("latin-1", "replace")
        page = int(response.meta["page"])
        if pages.strip().isdigit() and page < min(int(pages), 100):
            yield self.rest_request(response.meta["route"], page + 1)

    def _idle(self) -> None:
        """Signals read: phase two, the pages (home, held ones, every URL known before)."""
        if self.phase != "signals":
            return
        self.phase = "pages"
        requests = []
        if (home := self.follow(self.site, "home", force=True)) is not None:
            home.errback = self.unreachable
            requests.append(home)
        requests += self._held
        self._held = []
        for url in self._known:
            kind = "asset" if kind_of(url) == "asset" else None
            if (req := self.follow(url, kind, force=True, offsite=True)) is not None:
                requests.append(req)
        for req in requests:
            self.crawler.engine.crawl(req)
        if requests:
            raise DontCloseSpider

    def progress_line(self) -> str:
        """What the progress extension shows while the snapshot runs."""
        s = self.session
        stats = self.crawler.stats
        requests = stats.get_value("downloader/request_count", 0) if stats else 0
        queued = len(self.frontier.seen) - len(s.visits)
        return (
            f"[{self.phase}] pages {len(s.visits)} · fetched {s.fetched} · revisits "
            f"{s.revisits} · new/changed {len(s.changed())} · requests {requests} · "
            f"queued ~{max(queued, 0)}"
        )

    def unreachable(self, failure: Failure) -> None:
        self.session.errors.append(f"cannot reach {self.site}: {failure.getErrorMessage()}")

    def _robots_parsed(self, robotparser: object, request: scrapy.Request) -> None:
        for url in self.session.robots_sitemaps:
            if (req := self.follow(url, "sitemap", force=True)) is not None:
                self.crawler.engine.crawl(req)

    # -- what to follow -------------------------------------------------------------------

    def on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        hostname = (parts.hostname or "").lower()
        return (
            parts.scheme in ("http", "https")
            and host_of(url) == self.session.host
            and hostname in (self.session.host, "www." + self.session.host)
        )

    def follow(
        self,
        url: str,
        kind: str | None = None,
        *,
        leads: bool = True,
        paged: bool = False,
        force: bool = False,
        offsite: bool = False,
    ) -> scrapy.Request | None:
        """A request for ``url`` if it is worth a snapshot and not asked for yet, else None.

        Pages found while the signals are read are held for phase two.
        """
        url = url.split("#", 1)[0].strip()
        if not url or not urlsplit(url).scheme.startswith("http"):
            return None
        if not self.on_site(url) and not (offsite and kind == "asset"):
            return None
        kind = kind or kind_of(url)
        if kind == "skip" or (kind == "feed" and not _wanted_feed(url)):
            return None
        admitted = self.frontier.admit(url, leads=leads, paged=paged, force=force)
        if admitted is None:
            return None
        meta = {ASSET: True} if kind == "asset" else {}
        callback = self.parse_asset if kind == "asset" else self.parse
        req = scrapy.Request(admitted, callback=callback, priority=PRIORITY.get(kind, 0), meta=meta)
        if self.phase == "signals" and kind not in ("feed", "sitemap"):
            self._held.append(req)
            return None
        return req

    # -- parsing --------------------------------------------------------------------------

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse) or response.status != 200:
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.decompress(body)
            except OSError:
                return
        head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(_XML_STARTS) or kind_of(response.url) in ("sitemap", "feed"):
            if b"<urlset" in body[:2048] or b"<sitemapindex" in body[:2048]:
                yield from self.parse_sitemap(response.url, body)
            else:
                yield from self.parse_feed(response.url, body)
            return
        yield from self.parse_html(response)

    def parse_html(self, response: TextResponse) -> Iterator[scrapy.Request]:
        base = response.url
        links = [urljoin(base, h) for s in PAGE_SELECTORS for h in response.css(s).getall()]
        # the frontier follows paging and crowded patterns only from pages that lead on
        leads = any(kind_of(u) == "post" and not canonical_seen(self.frontier, u) for u in links)
        paged = self.frontier.is_paging(base)
        for href in response.css(FEED_SELECTOR).getall():
            if (req := self.follow(urljoin(base, href), "feed")) is not None:
                yield req
        for url in links:
            if (req := self.follow(url, leads=leads, paged=paged)) is not None:
                yield req
        for selector in ASSET_SELECTORS:
            for src in response.css(selector).getall():
                if (req := self.follow(urljoin(base, src), "asset")) is not None:
                    yield req
        for selector in SRCSET_SELECTORS:
            for srcset in response.css(selector).getall():
                for candidate in srcset.split(","):
                    src = candidate.strip().split(" ")[0]
                    if src and (req := self.follow(urljoin(base, src), "asset")) is not None:
                        yield req
        for selector in BODY_MEDIA_SELECTORS:
            for src in response.css(selector).getall():
                url = urljoin(base, src)
                if kind_of(url) == "asset" or selector.endswith("img::attr(src)"):
                    if (req := self.follow(url, "asset", offsite=True)) is not None:
                        yield req

    def parse_sitemap(self, url: str, body: bytes) -> Iterator[scrapy.Request]:
        try:
            sitemap = Sitemap(body)
        except Exception:  # noqa: BLE001 - lxml raises several kinds on bad XML
            log.warning("unreadable sitemap %s", url)
            return
        for item in sitemap:
            loc = urljoin(url, item.get("loc", ""))
            if sitemap.type == "sitemapindex":
                req = self.follow(loc, "sitemap", force=True)
            else:
                self.session.note_date(canonical(loc), iso_utc(item.get("lastmod")))
                req = self.follow(loc, force=True)
            if req is not None:
                yield req

    def parse_feed(self, url: str, body: bytes) -> Iterator[scrapy.Request]:
        """Dates that mean "changed" (Atom ``updated``, comment dates), comment counts.

        An RSS ``pubDate`` is when a post was published, not when it last changed: it
        never lets a page be skipped.
        """
        parsed = feedparser.parse(body)
        atom = parsed.get("version", "").startswith("atom")
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            link = urljoin(url, link)
            post = canonical(link)
            if "#comment" in link or "#c" in link.rsplit("/", 1)[-1]:
                stamp = entry.get("published_parsed") or entry.get("updated_parsed")
                if stamp:
                    self.session.note_date(post, _iso(stamp))
            else:
                if atom and entry.get("updated_parsed"):
                    self.session.note_date(post, _iso(entry["updated_parsed"]))
                count = entry.get("slash_comments") or entry.get("thr_total")
                if count is not None and str(count).strip().isdigit():
                    self.session.note_comments(post, int(str(count).strip()))
            if (req := self.follow(link.split("#", 1)[0], force=True)) is not None:
                yield req
        generator = str(parsed.feed.get("generator", "") or "").lower()
        path = urlsplit(url).path
        if "wordpress" in generator and not atom and path.rstrip("/") == "/feed":
            # WordPress's RSS has no modified date; its Atom twin does
            if (req := self.follow(urljoin(url, "atom/"), "feed")) is not None:
                yield req

    def parse_asset(self, response: Response) -> None:
        """Images and attachments: recorded by the recorder, nothing to read."""
        return None


def canonical_seen(frontier: Frontier, url: str) -> bool:
    """True when the frontier admitted ``url`` already."""
    return canonical_url(url.split("#", 1)[0]) in frontier.seen


def _wanted_feed(url: str) -> bool:
    """The site's feeds, its comment feed and each post's comment feed; not category feeds."""
    parts = [s for s in urlsplit(url).path.split("/") if s]
    if not parts:
        return False
    if parts[0] in _FEED_TOP or parts[0].endswith((".xml", ".rss")):
        return True
    if parts[0] == "comments" and parts[1:2] == ["feed"]:
        return True
    return parts[-1] in ("feed", "atom", "rss2") and kind_of(canonical(url)) == "post"


def _iso(stamp: Any) -> str | None:
    return iso_utc(datetime(*stamp[:6]).isoformat() + "+00:00")
