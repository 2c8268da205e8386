"""The recovery spider: CDX discovery, capture choice, fetch, extract.

``scrapy crawl recover -a site=http://blog.example.com -a archive=http://127.0.0.1:8080/web/``
runs the same crawl as ``recover run``; item pipelines store and export what it yields.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from recover.choice.capture import Capture
from recover.choice.errorpage import error_reason
from recover.choice.ranking import in_window, ranked
from recover.discovery import cdx, warcfile
from recover.discovery.sitemap import sitemap_urls
from recover.extract import extract_bytes
from recover.extract.charset import decode
from recover.extract.feed import parse_comment_feed, parse_feed
from recover.post import Post, Source
from recover.store import Store
from recover.urls import canonical, host_of, kind_of, original_url

log = logging.getLogger(__name__)

DEFAULT_ARCHIVE = "https://web.archive.org/web/"
FEED_CAPTURES = 40  # distinct feed captures read per feed URL at most


def as_list(value: Any) -> list[str]:
    """A spider argument as a list (``-a archive=a,b`` or a real list)."""
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def is_comment_feed(url: str) -> bool:
    """A feed of comments: the site's, or one post's (``/2008/10/31/slug/feed/``)."""
    path = urlsplit(url).path.lower()
    if "/comments/" in path or path.rstrip("/").endswith("/comments/default"):
        return True
    return path.rstrip("/").endswith("/feed") and kind_of(canonical(url)) == "post"


def group_kind(url: str) -> str:
    """What a URL's group holds: feeds and sitemaps by their own shape, else the identity's."""
    kind = kind_of(url)
    if kind in ("feed", "sitemap", "asset", "skip"):
        return kind
    return kind_of(canonical(url))


class RecoverSpider(scrapy.Spider):
    """Find every capture of a site's posts, choose the best of each, extract it."""

    name = "recover"

    def __init__(
        self,
        site: str = "",
        archive: Any = None,
        since: str | None = None,
        until: str | None = None,
        warc: Any = None,
        out: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not site:
            raise ValueError("a site URL is required (-a site=http://blog.example.com)")
        self.site = site if "//" in site else "http://" + site
        self.host = host_of(self.site)
        warcs = as_list(warc)
        archives = as_list(archive) or ([] if warcs else [DEFAULT_ARCHIVE])
        self.archives = [cdx.replay_prefix(a) for a in archives]
        self.warcs = [Path(w) for w in warcs]
        self.since = "".join(ch for ch in (since or "") if ch.isdigit()) or None
        self.until = "".join(ch for ch in (until or "") if ch.isdigit()) or None
        self.out = Path(out) if out else None
        self.groups: dict[str, list[Capture]] = defaultdict(list)
        self.phase = "discover"
        self.cdx_failures: list[str] = []
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RecoverSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.out is None:
            spider.out = Path(crawler.settings.get("RECOVER_OUT", "output")) / spider.host
        spider.store = Store(spider.out / ".recover" / "state.db")
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        return spider

    def on_closed(self) -> None:
        if self.store is not None:
            self.store.close()

    def count(self, key: str, n: int = 1) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value(f"recover/{key}", n)

    # discovery --------------------------------------------------------------------------
    def hosts(self) -> list[str]:
        return [self.host, "www." + self.host]

    def cdx_request(self, archive: str, host: str, resume_key: str | None = None) -> scrapy.Request:
        url = cdx.query_url(
            archive, host, since=self.since, until=self.until, resume_key=resume_key
        )
        return scrapy.Request(
            url,
            callback=self.parse_cdx,
            errback=self.cdx_failed,
            meta={"recover_endpoint": "cdx", "archive": archive, "host": host},
            dont_filter=True,
            priority=10,
        )

    async def start(self) -> Any:  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for path in self.warcs:
            n = 0
            for cap in warcfile.index(path):
                if host_of(cap.original) == self.host:
                    self.add_capture(cap)
                    n += 1
            log.info("%s: %d captures of %s", path, n, self.host)
        for archive in self.archives:
            for host in self.hosts():
                yield self.cdx_request(archive, host)

    def add_capture(self, cap: Capture) -> None:
        if in_window(cap, self.since, self.until):
            self.groups[
                canonical(cap.original)
                if group_kind(cap.original) != "feed"
                else "feed:" + cap.original.split("://", 1)[-1]
            ].append(cap)

    def parse_cdx(self, response: Response) -> Iterator[scrapy.Request]:
        archive = response.meta["archive"]
        if response.status != 200:
            self.cdx_failures.append(f"{archive}: CDX answered HTTP {response.status}")
            return
        page = cdx.parse(response.text, archive)
        self.count("cdx_pages")
        self.count("cdx_bad_lines", page.bad_lines)
        for cap in page.captures:
            if host_of(cap.original) == self.host:
                self.add_capture(cap)
        if page.resume_key and page.captures:
            yield self.cdx_request(archive, response.meta["host"], page.resume_key)

    def cdx_failed(self, failure: Any) -> None:
        request = failure.request
        self.cdx_failures.append(f"{request.meta['archive']}: {failure.getErrorMessage()}")

    # choice and fetching ----------------------------------------------------------------
    def on_idle(self) -> None:
        if self.phase != "discover":
            return
        self.phase = "fetch"
        requests = list(self.fetch_requests())
        engine = self.crawler.engine
        for request in requests:
            engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def fetch_requests(self) -> Iterator[scrapy.Request]:
        assert self.store is not None
        settled = self.store.settled_keys()
        tried = self.store.tried()
        found = 0
        for key, caps in sorted(self.groups.items()):
            kind = group_kind(caps[0].original)
            if kind == "feed" or kind == "sitemap":
                fresh = [
                    c
                    for c in ranked(caps, pages=False)
                    if c.replay_url not in tried and c.status == 200
                ]
                for cap in fresh[:FEED_CAPTURES]:
                    yield self.capture_request(cap, key, [], callback=self.parse_feed_capture)
                continue
            if kind not in ("post", "page"):
                continue
            if kind == "post":
                self.store.add_known(caps[0].original, "cdx")
                found += 1
            if key in settled:
                self.count("resumed")
                continue
            queue = [c for c in ranked(caps) if c.replay_url not in tried]
            if not queue:
                if kind == "post":
                    self.store.record_outcome(f"none:{key}", key, "bad", "no good capture")
                continue
            yield self.capture_request(queue[0], key, queue[1:])
        self.count("found", found)

    def capture_request(
        self, cap: Capture, key: str, rest: list[Capture], callback: Any = None
    ) -> scrapy.Request:
        meta = {"capture": cap, "key": key, "rest": rest}
        if cap.archive.startswith("warc:"):  # local: read in the callback, no network
            meta["dont_cache"] = True
            url = "data:,local-capture"
        else:
            url = cap.replay_url
        return scrapy.Request(
            url,
            callback=callback or self.parse_capture,
            errback=self.capture_failed,
            meta=meta,
            dont_filter=True,
        )

    def _read(self, response: Response) -> tuple[int, str | None, bytes, str]:
        """(status, content type, body, site URL) of a capture, local or archived."""
        cap: Capture = response.meta["capture"]
        if cap.archive.startswith("warc:"):
            record = warcfile.read(cap)
            if record is None:
                return 0, None, b"", cap.original
            ctype = next((v for k, v in record.headers if k.lower() == "content-type"), None)
            return record.status, ctype, record.body, cap.original
        ctype = response.headers.get("Content-Type")
        site_url = original_url(response.url)
        if not urlsplit(site_url).scheme.startswith("http"):
            site_url = cap.original
        return (
            response.status,
            ctype.decode("latin-1") if ctype else None,
            response.body,
            site_url,
        )

    def next_capture(
        self, meta: dict[str, Any], reason: str, outcome: str = "bad"
    ) -> Iterator[scrapy.Request]:
        """Note why a capture was passed over and try the next older one."""
        assert self.store is not None
        cap: Capture = meta["capture"]
        key = meta["key"]
        log.info("skip %s: %s", cap.replay_url, reason)
        self.count("skipped")
        self.store.record_outcome(cap.replay_url, key, outcome, reason)
        rest: list[Capture] = meta["rest"]
        if rest:
            yield self.capture_request(rest[0], key, rest[1:])
        else:
            self.count("missing")

    def parse_capture(self, response: Response) -> Iterator[Any]:
        assert self.store is not None
        cap: Capture = response.meta["capture"]
        key = response.meta["key"]
        self.count("fetched")
        status, ctype, body, site_url = self._read(response)
        if status != 200:
            yield from self.next_capture(response.meta, f"HTTP {status}")
            return
        html = decode(body, ctype)
        reason = error_reason(status, html)
        if reason:
            yield from self.next_capture(response.meta, reason)
            return
        post = extract_bytes(body, site_url, ctype, captured=cap.timestamp)
        if post is None:
            self.store.record_outcome(cap.replay_url, key, "notpost", "not a post")
            return
        post.source = Source(
            archive=cap.archive,
            capture_url=cap.replay_url,
            timestamp=cap.timestamp,
            kind="page",
            original=cap.original,
        )
        post.sources = [post.source]
        self.store.record_outcome(cap.replay_url, key, "post")
        self.count("recovered")
        yield post

    def parse_feed_capture(self, response: Response) -> Iterator[Any]:
        assert self.store is not None
        cap: Capture = response.meta["capture"]
        status, ctype, body, site_url = self._read(response)
        self.store.record_outcome(cap.replay_url, response.meta["key"], "feed")
        if status != 200:
            return
        if group_kind(cap.original) == "sitemap":
            for url in sitemap_urls(body):
                if kind_of(url) == "post" and host_of(url) == self.host:
                    self.store.add_known(url, "sitemap")
            return
        source = Source(
            archive=cap.archive,
            capture_url=cap.replay_url,
            timestamp=cap.timestamp,
            kind="feed",
            original=cap.original,
        )
        if is_comment_feed(cap.original):
            for url, comments in parse_comment_feed(body, site_url).items():
                if host_of(url) == self.host and comments:
                    yield Post(
                        url=url, comments=comments, partial=True, source=source, sources=[source]
                    )
            return
        for post in parse_feed(body, site_url):
            if host_of(post.url) != self.host:
                continue
            self.store.add_known(post.url, "feed")
            post.source = source
            post.sources = [source]
            yield post

    def capture_failed(self, failure: Any) -> Iterable[scrapy.Request]:
        meta = failure.request.meta
        reason = failure.getErrorMessage() or type(failure.value).__name__
        log.warning("could not fetch %s: %s", meta["capture"].replay_url, reason)
        if self.crawler.stats and self.crawler.stats.get_value("recover/stop_reason"):
            return []  # stopping: leave it untried so a re-run fetches it
        if "rest" not in meta:  # a feed capture
            return []
        return self.next_capture(meta, reason, "failed")
