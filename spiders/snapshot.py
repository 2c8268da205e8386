"""``snapshot``: a polite crawl of the owner's live blog, every exchange written to a WARC.

Home, paging, archives, posts, feeds, sitemaps and the images and attachments pages use, on
the site's own hosts only (``www.`` and bare, http and https). robots.txt is obeyed; the
recording and the conditional requests are done by :mod:`recover.snapshot.recorder`.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import feedparser
import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from recover import __version__
from recover.snapshot.recorder import ASSET
from recover.snapshot.session import Session, iso_utc
from recover.urls import TRACKING_PARAMS, canonical, host_of, kind_of

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
PAGE_SELECTORS = ("a::attr(href)", "link[rel~=next]::attr(href)", "link[rel~=prev]::attr(href)")
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
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_TIMES": 2,
        "DOWNLOAD_TIMEOUT": 30,
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_ENABLED": False,
        "DOWNLOAD_MAXSIZE": 256 * 1024 * 1024,
        "DOWNLOADER_MIDDLEWARES": {"recover.snapshot.recorder.SnapshotRecorder": 650},
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None},
    }

    def __init__(self, session: Session | None = None, **kwargs: Any) -> None:
        if session is None:
            raise ValueError("the snapshot spider is run by `recover snapshot URL`")
        super().__init__(**kwargs)
        self.session = session
        self.site = session.site
        self.allowed_domains = [session.host]
        self._scheduled: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> SnapshotSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.site, callback=self.parse, errback=self.unreachable, priority=PRIORITY["home"]
        )
        guess = urljoin(self.site, "/sitemap.xml")
        self._scheduled.add(guess)
        yield scrapy.Request(guess, callback=self.parse, priority=PRIORITY["sitemap"])

    def unreachable(self, failure: Failure) -> None:
        self.session.errors.append(f"cannot reach {self.site}: {failure.getErrorMessage()}")

    def _robots_parsed(self, robotparser: object, request: scrapy.Request) -> None:
        for url in self.session.robots_sitemaps:
            if url not in self._scheduled and self.on_site(url):
                self._scheduled.add(url)
                self.crawler.engine.crawl(
                    scrapy.Request(url, callback=self.parse, priority=PRIORITY["sitemap"])
                )

    # -- what to follow -------------------------------------------------------------------

    def on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        hostname = (parts.hostname or "").lower()
        return (
            parts.scheme in ("http", "https")
            and host_of(url) == self.session.host
            and hostname in (self.session.host, "www." + self.session.host)
        )

    def follow(self, url: str, kind: str | None = None) -> scrapy.Request | None:
        """A request for ``url`` if it is on the site and worth a snapshot, else None."""
        url = url.split("#", 1)[0].strip()
        if not url or not self.on_site(url):
            return None
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if any(TRACKING_PARAMS.match(k) or k in ("s", "replytocom") for k, _ in query):
            return None
        kind = kind or kind_of(url)
        if kind == "skip":
            return None
        if kind == "feed":
            top = [s for s in parts.path.split("/") if s][:1]
            if top and top[0] not in _FEED_TOP and not top[0].endswith((".xml", ".rss")):
                return None  # per-post comment feeds, category feeds: not worth a request each
        meta = {ASSET: True} if kind == "asset" else {}
        callback = self.parse_asset if kind == "asset" else self.parse
        return scrapy.Request(url, callback=callback, priority=PRIORITY.get(kind, 0), meta=meta)

    # -- parsing --------------------------------------------------------------------------

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
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
        feeds = response.css(FEED_SELECTOR).getall()
        for href in feeds:
            if (req := self.follow(urljoin(base, href), "feed")) is not None:
                yield req
        for selector in PAGE_SELECTORS:
            for href in response.css(selector).getall():
                if (req := self.follow(urljoin(base, href))) is not None:
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

    def parse_sitemap(self, url: str, body: bytes) -> Iterator[scrapy.Request]:
        try:
            sitemap = Sitemap(body)
        except Exception:  # noqa: BLE001 - lxml raises several kinds on bad XML
            log.warning("unreadable sitemap %s", url)
            return
        for item in sitemap:
            loc = urljoin(url, item.get("loc", ""))
            if sitemap.type == "sitemapindex":
                req = self.follow(loc, "sitemap")
            else:
                self.session.note_date(canonical(loc), iso_utc(item.get("lastmod")))
                req = self.follow(loc)
            if req is not None:
                yield req

    def parse_feed(self, url: str, body: bytes) -> Iterator[scrapy.Request]:
        parsed = feedparser.parse(body)
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            link = urljoin(url, link)
            stamp = entry.get("updated_parsed") or entry.get("published_parsed")
            if stamp:
                when = iso_utc(datetime(*stamp[:6]).isoformat() + "+00:00")
                self.session.note_date(canonical(link), when)
            if (req := self.follow(link)) is not None:
                yield req

    def parse_asset(self, response: Response) -> None:
        """Images and attachments: recorded by the recorder, nothing to read."""
        return None
