"""The recovery spider: discovery, capture choice, fetch, extract.

``scrapy crawl recover -a site=http://blog.example.com -a archive=http://127.0.0.1:8080/web/``
runs the same crawl as ``recover run``; item pipelines store and export what it yields.

The crawl goes in phases, each started when the previous one has gone quiet:

1. ``discover``: CDX queries (Wayback-compatible archives), Common Crawl index queries,
   local WARC files and saved-HTML folders, all grouped per post identity;
2. ``feeds``: feeds, comment feeds, sitemaps and WordPress REST JSON found in 1, which
   hold posts of their own and name posts that must exist;
3. ``indexes``: home, paging, category and date-archive pages (a bounded number), whose
   excerpts stand in for posts no other source holds, flagged ``partial``;
4. ``posts``: each post's best capture, falling back to older ones past error pages;
5. ``mementos``: Memento TimeMaps (archive.today, aggregators) for every known post not
   recovered yet, then ``memento_posts``: those posts' best mementos;
6. ``merge``: every post's records merged into one post, yielded for the exporters.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from recover.choice.capture import Capture
from recover.choice.errorpage import error_reason
from recover.choice.ranking import in_window, ranked
from recover.discovery import cdx, commoncrawl, htmldir, memento, warcfile, wpjson
from recover.discovery.sitemap import sitemap_urls
from recover.extract import extract, parse
from recover.extract.charset import decode
from recover.extract.feed import parse_comment_feed, parse_feed
from recover.extract.index import parse_index
from recover.items import Record
from recover.normalize.merge import merged_posts
from recover.post import Post, Source
from recover.store import Store
from recover.urls import absolute, canonical, capture_timestamp, host_of, kind_of, original_url

log = logging.getLogger(__name__)

DEFAULT_ARCHIVE = "https://web.archive.org/web/"
FEED_CAPTURES = 40  # distinct captures read per feed URL at most
PHASES = ("discover", "feeds", "indexes", "posts", "mementos", "memento_posts", "merge", "done")
HOME_CAPTURES = 10  # distinct captures of the home page read (older ones list older posts)


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
    if wpjson.is_posts_url(url):
        return "feed"
    kind = kind_of(url)
    if kind in ("feed", "sitemap", "asset", "skip"):
        return kind
    return kind_of(canonical(url))


def group_key(url: str) -> str:
    """Captures of one post share a key; each feed URL (page, paging) is a group of its own."""
    if group_kind(url) in ("feed", "sitemap"):
        return "feed:" + url.split("://", 1)[-1]
    return canonical(url)


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
        html: Any = None,
        memento: Any = None,
        commoncrawl: Any = None,
        cc_index: str = commoncrawl.INDEX_BASE,
        cc_data: str = commoncrawl.DATA_BASE,
        out: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not site:
            raise ValueError("a site URL is required (-a site=http://blog.example.com)")
        self.site = site if "//" in site else "http://" + site
        self.host = host_of(self.site)
        self.warcs = [Path(w) for w in as_list(warc)]
        self.html_dirs = [Path(h) for h in as_list(html)]
        self.mementos = as_list(memento)
        self.crawls = as_list(commoncrawl)
        self.cc_index, self.cc_data = cc_index, cc_data
        local_or_other = self.warcs or self.html_dirs or self.mementos or self.crawls
        archives = as_list(archive) or ([] if local_or_other else [DEFAULT_ARCHIVE])
        self.archives = [cdx.replay_prefix(a) for a in archives]
        self.since = "".join(ch for ch in (since or "") if ch.isdigit()) or None
        self.until = "".join(ch for ch in (until or "") if ch.isdigit()) or None
        self.out = Path(out) if out else None
        self.groups: dict[str, list[Capture]] = defaultdict(list)
        self.phase = PHASES[0]
        self.cdx_failures: list[str] = []
        self.store: Store | None = None
        self.result: dict[str, Any] | None = None
        self.merged = False  # the merge phase ran: the exporters have every post

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

    @property
    def sources(self) -> list[str]:
        """Every archive and file this run reads, for the report."""
        return (
            self.archives
            + [f"memento:{m}" for m in self.mementos]
            + [f"commoncrawl:{c}" for c in self.crawls]
            + [str(w) for w in self.warcs]
            + [f"html:{h}" for h in self.html_dirs]
        )

    # phases -------------------------------------------------------------------------------
    def on_idle(self) -> None:
        """Start the next phase that has work; let the crawl close after the last."""
        while self.phase != "done":
            self.phase = PHASES[PHASES.index(self.phase) + 1]
            requests = list(getattr(self, f"phase_{self.phase}", lambda: [])())
            if requests:
                log.info("phase %s: %d request(s)", self.phase, len(requests))
                for request in requests:
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider

    async def start(self) -> Any:  # Scrapy >= 2.13
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        """Phase ``discover``: index local material, query every archive's index."""
        for path in self.warcs:
            self.add_captures(warcfile.index(path), str(path))
        for directory in self.html_dirs:
            self.add_captures(htmldir.scan(directory, self.host), str(directory))
        for archive in self.archives:
            for host in (self.host, "www." + self.host):
                yield self.cdx_request(archive, host)
        for crawl in self.crawls:
            for host in (self.host, "www." + self.host):
                yield self.cc_request(crawl, host, self.parse_cc_pages, show_num_pages=True)

    def add_captures(self, captures: Iterable[Capture], where: str = "") -> None:
        n = 0
        for cap in captures:
            if host_of(cap.original) == self.host and in_window(cap, self.since, self.until):
                self.groups[group_key(cap.original)].append(cap)
                n += 1
        if where:
            log.info("%s: %d capture(s) of %s", where, n, self.host)

    # discovery: CDX, Common Crawl ---------------------------------------------------------
    def cdx_request(self, archive: str, host: str, resume_key: str | None = None) -> scrapy.Request:
        url = cdx.query_url(
            archive, host, since=self.since, until=self.until, resume_key=resume_key
        )
        return scrapy.Request(
            url,
            callback=self.parse_cdx,
            errback=self.index_failed,
            meta={"recover_endpoint": "cdx", "archive": archive, "host": host},
            dont_filter=True,
            priority=10,
        )

    def parse_cdx(self, response: Response) -> Iterator[scrapy.Request]:
        archive = response.meta["archive"]
        if response.status != 200:
            self.cdx_failures.append(f"{archive}: CDX answered HTTP {response.status}")
            return
        page = cdx.parse(response.text, archive)
        self.count("cdx_pages")
        self.count("cdx_bad_lines", page.bad_lines)
        self.add_captures(page.captures)
        if page.resume_key and page.captures:
            yield self.cdx_request(archive, response.meta["host"], page.resume_key)

    def cc_request(self, crawl: str, host: str, callback: Any, **page: Any) -> scrapy.Request:
        url = commoncrawl.index_query_url(self.cc_index, crawl, host, **page)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.index_failed,
            meta={
                "recover_endpoint": "cdx",
                "archive": f"commoncrawl:{crawl}",
                "crawl": crawl,
                "host": host,
            },
            dont_filter=True,
        )

    def parse_cc_pages(self, response: Response) -> Iterator[scrapy.Request]:
        """How many pages the Common Crawl index answer has; then each page."""
        if response.status != 200:  # 404: the crawl holds nothing of this host
            return
        pages = commoncrawl.parse_num_pages(response.text)
        for n in range(pages):
            yield self.cc_request(
                response.meta["crawl"], response.meta["host"], self.parse_cc_index, page=n
            )

    def parse_cc_index(self, response: Response) -> None:
        if response.status != 200:  # 404: the crawl holds nothing of this host
            return
        self.count("cdx_pages")
        self.add_captures(commoncrawl.parse_index(response.text, self.cc_data))

    def index_failed(self, failure: Any) -> None:
        request = failure.request
        self.cdx_failures.append(f"{request.meta['archive']}: {failure.getErrorMessage()}")

    # phase feeds --------------------------------------------------------------------------
    def phase_feeds(self) -> Iterator[scrapy.Request]:
        assert self.store is not None
        tried = self.store.tried()
        for key, caps in sorted(self.groups.items()):
            if not key.startswith("feed:"):
                continue
            fresh = [
                c
                for c in ranked(caps, pages=False)
                if c.replay_url not in tried and c.status in (200, None)
            ]
            for cap in fresh[:FEED_CAPTURES]:
                yield self.capture_request(cap, key, [], callback=self.parse_feed_capture)

    def parse_feed_capture(self, response: Response) -> Iterator[Any]:
        assert self.store is not None
        cap: Capture = response.meta["capture"]
        got = self._read(response)
        status, body, site_url = got.status, got.body, got.site_url
        self.store.record_outcome(cap.replay_url, response.meta["key"], "feed")
        if status != 200:
            return
        source = cap.source("feed")
        if group_kind(cap.original) == "sitemap":
            for url in sitemap_urls(body):
                if kind_of(url) == "post" and host_of(url) == self.host:
                    self.store.add_known(url, "sitemap")
            return
        if is_comment_feed(cap.original):
            for url, comments in parse_comment_feed(body, site_url).items():
                if host_of(url) == self.host and comments:
                    yield Record(
                        Post(
                            url=url,
                            comments=comments,
                            partial=True,
                            source=source,
                            sources=[source],
                        )
                    )
            return
        if wpjson.is_posts_url(cap.original):
            posts = wpjson.parse_posts(body, site_url)
            source.kind = "json"
        else:
            posts = parse_feed(body, site_url)
        yield from self.records(posts, source, "feed")

    def records(self, posts: Iterable[Post], source: Source, known_from: str) -> Iterator[Record]:
        """The site's posts among ``posts`` (a feed's, an index's), noted as known, as records."""
        assert self.store is not None
        for post in posts:
            if host_of(post.url) != self.host or group_kind(post.url) not in ("post", "page"):
                continue
            self.store.add_known(post.url, known_from)
            post.source = source
            post.sources = [source]
            yield Record(post)

    # phase indexes ----------------------------------------------------------------------
    def phase_indexes(self) -> Iterator[scrapy.Request]:
        assert self.store is not None
        tried = self.store.tried()
        # a few per fifty posts, so index pages stay a small share of the requests
        posts = sum(1 for k in self.groups if not k.startswith("feed:"))
        budget = min(self.settings.getint("RECOVER_INDEX_CAPTURES", 200), 10 + posts // 50)
        home = canonical(self.site)
        chosen: list[tuple[int, str, Capture]] = []
        for key, caps in self.groups.items():
            if key.startswith("feed:") or group_kind(caps[0].original) != "index":
                continue
            good = [c for c in ranked(caps) if c.status in (200, None)]
            depth = len(urlsplit(key).path.strip("/").split("/"))
            for n, cap in enumerate(good[: HOME_CAPTURES if key == home else 1]):
                chosen.append((0 if key == home else depth + n, key, cap))
        chosen.sort(key=lambda t: (t[0], t[1]))
        for _rank, key, cap in chosen[:budget]:
            if cap.replay_url not in tried:
                yield self.capture_request(cap, key, [], callback=self.parse_index_capture)

    def parse_index_capture(self, response: Response) -> Iterator[Post]:
        assert self.store is not None
        cap: Capture = response.meta["capture"]
        got = self._read(response)
        status, ctype, body, site_url = got.status, got.ctype, got.body, got.site_url
        self.store.record_outcome(cap.replay_url, response.meta["key"], "index")
        if status != 200:
            return
        html = decode(body, ctype)
        if error_reason(status, html):
            return
        source = cap.source("index")
        yield from self.records(parse_index(html, site_url), source, "index")

    # phase mementos -----------------------------------------------------------------------
    def phase_mementos(self) -> Iterator[scrapy.Request]:
        if not self.mementos:
            return
        assert self.store is not None
        settled = self.store.settled_keys()
        wanted = {
            caps[0].original
            for key, caps in self.groups.items()
            if key not in settled and group_kind(caps[0].original) == "post"
        }
        wanted |= {url for key, (url, _) in self.store.known().items() if key not in settled}
        for prefix in self.mementos:
            for url in sorted(wanted):
                yield self.timemap_request(prefix, memento.timemap_url(prefix, url))

    def timemap_request(self, prefix: str, url: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_timemap,
            errback=self.timemap_failed,
            meta={"recover_endpoint": "cdx", "archive": prefix},
            dont_filter=True,
        )

    def parse_timemap(self, response: Response) -> Iterator[scrapy.Request]:
        if response.status != 200:  # 404: the archive holds no copy of this URL
            return
        self.count("timemaps")
        timemap = memento.parse_timemap(response.text, response.meta["archive"], url=response.url)
        self.add_captures(timemap.captures)
        for url in timemap.next_timemaps:
            yield self.timemap_request(response.meta["archive"], url)

    def timemap_failed(self, failure: Any) -> None:
        log.warning("TimeMap %s: %s", failure.request.url, failure.getErrorMessage())

    # phase posts --------------------------------------------------------------------------
    def shared_digests(self, at_least: int = 3) -> set[str]:
        """Digests of pages served under many post URLs: a host's error or parking page.

        A post's own content is its own; the same bytes under three or more posts'
        addresses are what a dying host shows for every URL.  Such captures are tried only
        after the post's other captures, so they rarely cost a fetch.
        """
        urls: dict[str, set[str]] = defaultdict(set)
        for key, caps in self.groups.items():
            if key.startswith("feed:"):
                continue
            for cap in caps:
                if cap.digest and cap.status in (200, None):
                    urls[cap.digest].add(key)
        return {digest for digest, keys in urls.items() if len(keys) >= at_least}

    def phase_memento_posts(self) -> Iterator[scrapy.Request]:
        return self.phase_posts(first=False)

    def phase_posts(self, first: bool = True) -> Iterator[scrapy.Request]:
        """Each unsettled post's best capture; ``first=False``: a second pass, not counted."""
        assert self.store is not None
        settled = self.store.settled_keys()
        tried = self.store.tried()
        suspect = self.shared_digests()
        found = 0
        for key, caps in sorted(self.groups.items()):
            kind = group_kind(caps[0].original)
            if kind not in ("post", "page") or key.startswith("feed:"):
                continue
            if kind == "post" and first:
                self.store.add_known(caps[0].original, "cdx")
                found += 1
            if key in settled:
                if first:
                    self.count("resumed")
                continue
            queue = [c for c in ranked(caps) if c.replay_url not in tried]
            queue.sort(key=lambda c: c.digest in suspect)  # stable: newest first in each part
            if not queue:
                if kind == "post" and first:
                    self.store.record_outcome(f"none:{key}", key, "bad", "no good capture")
                    self.count("missing")
                continue
            yield self.capture_request(queue[0], key, queue[1:])
        if first:
            self.count("found", found)

    # phase merge --------------------------------------------------------------------------
    def phase_merge(self) -> Iterator[scrapy.Request]:
        yield scrapy.Request(
            "data:,merge", callback=self.emit_posts, dont_filter=True, meta={"dont_cache": True}
        )

    def emit_posts(self, response: Response) -> Iterator[Post]:
        """Every post, merged from its records, for the exporters."""
        assert self.store is not None
        self.merged = True
        yield from merged_posts(self.store)

    def capture_request(
        self, cap: Capture, key: str, rest: list[Capture], callback: Any = None
    ) -> scrapy.Request:
        meta: dict[str, Any] = {"capture": cap, "key": key, "rest": rest}
        headers = {}
        if cap.archive.startswith(("warc:", "html:")):  # local: read in the callback
            meta["dont_cache"] = True
            url = "data:,local-capture"
        elif commoncrawl.is_commoncrawl(cap):
            url = commoncrawl.data_url(cap)
            headers["Range"] = commoncrawl.range_header(cap)
        else:
            url = cap.replay_url
            # redirects are read as captures (a 301 capture is the site's, not ours to follow
            # onto the live web); HTTP errors reach the callback too
            meta["dont_redirect"] = True
            meta["handle_httpstatus_all"] = True
        if commoncrawl.is_commoncrawl(cap):
            meta["download_maxsize"] = max(cap.length * 4, 1 << 20)
        return scrapy.Request(
            url,
            callback=callback or self.parse_capture,
            errback=self.capture_failed,
            headers=headers,
            meta=meta,
            dont_filter=True,
        )

    def _read(self, response: Response) -> Fetched:
        """A capture's HTTP status, headers, body and site URL, wherever it lives."""
        cap: Capture = response.meta["capture"]
        if cap.archive.startswith("warc:"):
            record = warcfile.read(cap)
            if record is None:
                return Fetched(0, {}, b"", cap.original)
            return Fetched(record.status, _lower(record.headers), record.body, cap.original)
        if cap.archive.startswith("html:"):
            body = htmldir.read(cap)
            return Fetched(200 if body else 0, {}, body, cap.original)
        if commoncrawl.is_commoncrawl(cap):
            rec = commoncrawl.parse_record(response.body) if response.status in (200, 206) else None
            if rec is None:
                return Fetched(0, {}, b"", cap.original)
            return Fetched(rec.status, _lower(rec.headers), rec.body, cap.original)
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1")
            for k, v in ((k, response.headers.get(k)) for k in response.headers)
            if v is not None
        }
        site_url = original_url(response.url)
        if not urlsplit(site_url).scheme.startswith("http") or host_of(site_url) != self.host:
            site_url = cap.original
        return Fetched(response.status, headers, response.body, site_url)

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
        got = self._read(response)
        status, ctype, body, site_url = got.status, got.ctype, got.body, got.site_url
        if status in (301, 302, 303, 307, 308):
            yield from self.follow_redirect(response.meta, got.headers.get("location", ""))
            return
        if status != 200:
            yield from self.next_capture(
                response.meta, f"HTTP {status}" if status else "unreadable"
            )
            return
        html = decode(body, ctype)
        page = parse(html, site_url)  # once, for the error check and the extraction
        reason = error_reason(status, html, root=page.root if page is not None else None)
        if reason:
            yield from self.next_capture(response.meta, reason)
            return
        post = extract(html, site_url, captured=cap.timestamp, page=page)
        if post is None:
            self.store.record_outcome(cap.replay_url, key, "notpost", "not a post")
            return
        post.source = cap.source("html" if cap.archive.startswith("html:") else "page")
        post.sources = [post.source]
        self.store.record_outcome(cap.replay_url, key, "post")
        self.count("recovered")
        yield Record(post)

    def follow_redirect(self, meta: dict[str, Any], location: str) -> Iterator[scrapy.Request]:
        """A redirect capture: follow it inside the archive, never onto the live site."""
        cap: Capture = meta["capture"]
        location = location.strip()
        hops = int(meta.get("hops", 0)) + 1
        target = absolute(location, cap.original) if location else ""
        if not target or hops > 5:
            yield from self.next_capture(meta, f"redirect to {location or '?'}")
            return
        own = canonical(target) == canonical(cap.original)
        if not own and any(c.status == 200 for c in self.groups.get(group_key(target), [])):
            # the target has captures of its own and is fetched under its own identity
            assert self.store is not None
            self.store.record_outcome(cap.replay_url, meta["key"], "alias", target)
            self.store.add_known(target, "redirect")
            return
        if cap.archive.startswith(("warc:", "html:", "cc:")):
            yield from self.next_capture(meta, f"redirect to {target}")
            return
        # the archive's own hop to its nearest capture of the same URL, or the target as
        # the archive holds it nearest to this capture's time
        when = (capture_timestamp(location) if own else None) or cap.timestamp
        hop = Capture(archive=cap.archive, timestamp=when.ljust(14, "0"), original=target)
        request = self.capture_request(hop, meta["key"], meta["rest"])
        request.meta["hops"] = hops
        yield request

    def capture_failed(self, failure: Any) -> Iterable[scrapy.Request]:
        meta = failure.request.meta
        reason = failure.getErrorMessage() or type(failure.value).__name__
        if self.crawler.stats and self.crawler.stats.get_value("recover/stop_reason"):
            return []  # stopping: leave it untried so a re-run fetches it
        log.warning("could not fetch %s: %s", meta["capture"].replay_url, reason)
        if not meta.get("rest") and meta.get("key", "").startswith("feed:"):
            return []
        return self.next_capture(meta, reason, "failed")


class Fetched(NamedTuple):
    """What a capture held, read back from an archive, a WARC, a file or Common Crawl."""

    status: int  # 0: unreadable
    headers: dict[str, str]  # lower-case names
    body: bytes
    site_url: str

    @property
    def ctype(self) -> str | None:
        return self.headers.get("content-type")


def _lower(headers: list[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers}
