"""The recovery spider: discovery, capture choice, fetch, extract.

``scrapy crawl recover -a site=http://blog.example.com -a archive=http://127.0.0.1:8080/web/``
runs the same crawl as ``recover run``; item pipelines store and export what it yields.

The crawl goes in phases, each started when the previous one has gone quiet:

1. ``discover``: CDX queries (Wayback-compatible archives), Common Crawl index queries,
   local WARC files and saved-HTML folders, all grouped per post identity;
2. ``feeds``: feeds, comment feeds, sitemaps and WordPress REST JSON found in 1, which
   hold posts of their own and name posts that must exist;
3. ``indexes``: the newest capture of every home, paging, category and date-archive page,
   whose excerpts stand in for posts no other source holds, flagged ``partial``; then
   ``older_indexes``: older captures of them, two for each known post still without any
   record (a bounded number);
4. ``posts``: each post's best capture, falling back to older ones past error pages;
   then ``redirects``: the addresses the archive holds only as redirects, but for those
   a page read named as a post's short link (WordPress's ``?p=N``: that post's alias);
   then ``comment_feeds``: each post's comment feed, but for its captures no newer than a
   page of the post that showed comments;
5. ``mementos``: Memento TimeMaps (archive.today, aggregators) for every known post not
   recovered yet, then ``memento_posts``: those posts' best mementos;
6. ``media_lookups``, ``media``: first the posts only the pages' menus named get a
   title-only record and posts moved to another date's address become aliases
   (:mod:`recover.choice.renames`); then the files posts use (images, enclosures,
   documents), each from its best good capture into ``<out>/media/``
   (:mod:`recover.media.crawl`);
7. ``merge``: every post's records merged into one post, yielded for the exporters.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from recover.choice.capture import Capture
from recover.choice.deletion import deletions
from recover.choice.errorpage import error_reason
from recover.choice.identity import stranger
from recover.choice.planner import REDIRECTS, Fetch, Planner, group_kind
from recover.choice.renames import LinkNames, date_moves
from recover.discovery import cdx, commoncrawl, htmldir, memento, warcfile, wpjson
from recover.discovery.sitemap import sitemap_urls
from recover.errors import stop_on_write_error
from recover.extract import Template, extract, extract_page, parse
from recover.extract.charset import decode
from recover.extract.feed import parse_comment_feed, parse_feed
from recover.extract.index import named_links, parse_index
from recover.extract.wordpress import shortlinks
from recover.handlers import ARCHIVED, UnreadableCapture, capture_fetch
from recover.media.crawl import MediaCrawl
from recover.post import Post, Source
from recover.store import NO_CAPTURE, RunState, Store
from recover.urls import (
    canonical,
    host_of,
    is_comment_feed,
    kind_of,
    original_url,
    query_host,
)

log = logging.getLogger(__name__)

DEFAULT_ARCHIVE = "https://web.archive.org/web/"
PHASES = (
    "discover", "feeds", "indexes", "older_indexes", "posts", "redirects", "comment_feeds",
    "mementos", "memento_posts", "media_lookups", "media", "merge", "done",
)  # fmt: skip


def as_list(value: Any) -> list[str]:
    """A spider argument as a list (``-a archive=a,b`` or a real list)."""
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def content_type(response: Response) -> str | None:
    """A response's Content-Type header, if it has one."""
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


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
        media_base_url: str = "",
        include_deleted: Any = False,
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
        self.include_deleted = str(include_deleted).lower() in ("1", "true", "yes")
        self.media_base_url = media_base_url  # WXR attachments' download base (default: archive)
        self.phase = PHASES[0]
        self.planner = Planner(self.site, self.since, self.until)
        self.template = Template()  # the site's pages seen so far: its theme, its name
        self.names = LinkNames()  # what pages' links call the posts with no page captured
        self.store: Store  # opened with the spider (RunState)
        self.media: MediaCrawl  # created with the store
        self.state: RunState  # the crawl's shared state (the store, what was deleted)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RecoverSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.out is None:
            spider.out = Path(crawler.settings.get("RECOVER_OUT", "output")) / spider.host
        spider.planner.index_captures = crawler.settings.getint("RECOVER_INDEX_CAPTURES", 200)
        crawler.signals.connect(spider.on_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    def on_opened(self) -> None:
        """Open the run's store (a crawler component the pipelines share)."""
        assert self.out is not None
        if self.crawler.stats:
            self.crawler.stats.set_value("recover/phase", self.phase)
        state = RunState.of(self.crawler)
        self.store = state.open(
            self.out,
            {
                "site": self.site,
                "archives": self.sources,
                "window": {"from": self.since, "to": self.until},
                "media_base_url": self.media_base_url,
            },
        )
        self.media = state.media = MediaCrawl(self)
        state.include_deleted = self.include_deleted
        self.state = state

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
            if self.crawler.stats:
                self.crawler.stats.set_value("recover/phase", self.phase)
            try:
                requests = list(getattr(self, f"phase_{self.phase}", lambda: [])())
            except (OSError, sqlite3.Error) as exc:  # the disk is full: stop, saying so
                if stop_on_write_error(self.crawler, exc):
                    return
                raise
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
        damaged: list[warcfile.Damage] = []
        for path, captures in warcfile.index_all(self.warcs, damaged):
            self.add_captures(captures, str(path))
        for damage in damaged:  # counted, and listed in the report's skipped captures
            self.count("warc_damaged")
            where = f"{warcfile.archive_name(damage.path)}@{damage.offset}"
            self.store.record_outcome(
                where, where, "failed", f"damaged WARC record skipped: {damage.reason}"
            )
        for directory in self.html_dirs:
            self.add_captures(htmldir.scan(directory, self.host), str(directory))
        bare = query_host(self.site)  # the port kept: a site on :18510 is indexed with it
        hosts = (bare, "www." + bare)
        for archive in self.archives:
            # Wayback-compatible indexes (the Internet Archive, pywb, OpenWayback) key
            # captures by SURT, which drops ``www.``: one prefix query answers for both, and
            # asking twice would double the load on the scarcest endpoint
            yield self.cdx_request(archive, bare)
        for crawl in self.crawls:
            for host in hosts:
                yield self.cc_request(crawl, host, self.parse_cc_pages, show_num_pages=True)

    def add_captures(self, captures: Iterable[Capture], where: str = "") -> None:
        captures = list(captures)
        for cap in captures:
            if host_of(cap.original) != self.host and kind_of(cap.original) == "asset":
                self.media.add_other(cap)  # another host's file in a local source
        n = self.planner.add(captures)
        self.count("captures", n)
        if where:
            log.info("%s: %d capture(s) of %s", where, n, self.host)

    # discovery: CDX, Common Crawl ---------------------------------------------------------
    def cdx_request(
        self, archive: str, host: str, resume_key: str | None = None, asked: tuple[str, ...] = ()
    ) -> scrapy.Request:
        url = cdx.query_url(
            archive, host, since=self.since, until=self.until, resume_key=resume_key
        )
        return scrapy.Request(
            url,
            callback=self.parse_cdx,
            errback=self.index_failed,
            meta={
                "recover_endpoint": "cdx",
                "recover_cache_check": "cdx",
                "archive": archive,
                "host": host,
                "cdx_asked": (*asked, url),
            },
            dont_filter=True,
            priority=10,
        )

    def cdx_failed(self, message: str) -> None:
        """An archive's index could not be read: counted, the first kept for the command."""
        self.count("cdx_failures")
        if self.crawler.stats and not self.crawler.stats.get_value("recover/cdx_failure"):
            self.crawler.stats.set_value("recover/cdx_failure", message)

    def parse_cdx(self, response: Response) -> Iterator[scrapy.Request]:
        archive = response.meta["archive"]
        if response.status != 200:
            self.cdx_failed(f"{archive}: CDX answered HTTP {response.status}")
            return
        page = response.meta.pop("recover_cdx_page", None) or cdx.parse(response.text, archive)
        self.count("cdx_pages")
        self.count("cdx_bad_lines", page.bad_lines)
        self.add_captures(page.captures)
        if not (page.resume_key and page.captures):
            return
        asked: tuple[str, ...] = response.meta["cdx_asked"]
        more = self.cdx_request(archive, response.meta["host"], page.resume_key, asked)
        if more.url in asked or len(asked) >= cdx.MAX_PAGES:
            log.warning(
                "CDX of %s: stopping after %d page(s) (a page repeats)", archive, len(asked)
            )
            self.count("cdx_repeats")
            return
        yield more

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
        self.add_captures(commoncrawl.index_captures(response.text, self.cc_data))

    def index_failed(self, failure: Any) -> None:
        request = failure.request
        self.cdx_failed(f"{request.meta['archive']}: {failure.getErrorMessage()}")

    # fetching a capture, whatever holds it ----------------------------------------------------
    def capture_request(self, fetch: Fetch, callback: Any = None) -> scrapy.Request:
        """The request for a capture: a replay URL, or a ``warc:``/``html:``/``cc:`` URL
        that a download handler of :mod:`recover.handlers` answers."""
        cap = fetch.capture
        url, headers = capture_fetch(cap)
        # redirects and HTTP errors are the capture's: the callback reads them (a 301
        # capture is the site's, not ours to follow onto the live web)
        meta: dict[str, Any] = {
            "fetch": fetch,
            "dont_redirect": True,
            "handle_httpstatus_all": True,
        }
        if cap.archive.startswith(("warc:", "html:")):
            meta["dont_cache"] = True  # a local file is its own cache
            # a file, not an archive: its own download slot, never delayed nor throttled
            meta["download_slot"] = "local"
            meta["autothrottle_dont_adjust_delay"] = True
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

    def site_url(self, response: Response) -> str:
        """The site's own URL of the page a capture response holds."""
        fetch: Fetch = response.meta["fetch"]
        if ARCHIVED in response.flags:
            return fetch.capture.original
        url = original_url(response.url)
        if not urlsplit(url).scheme.startswith("http") or host_of(url) != self.host:
            return fetch.capture.original
        return url

    def pass_over(
        self, fetch: Fetch, reason: str, outcome: str = "bad"
    ) -> Iterator[scrapy.Request]:
        """Note why a capture was passed over; try the post's next older capture."""
        cap = fetch.capture
        log.info("skip %s: %s", cap.replay_url, reason)
        self.count("skipped")
        self.store.record_outcome(cap.replay_url, fetch.key, outcome, reason)
        if fetch.purpose != "post":
            return
        following = self.planner.passed(fetch)
        if following is not None:
            yield self.capture_request(following)
        else:
            self.count("missing")

    def capture_failed(self, failure: Any) -> Iterable[scrapy.Request]:
        fetch: Fetch = failure.request.meta["fetch"]
        if failure.check(UnreadableCapture):
            return self.pass_over(fetch, "unreadable")
        reason = failure.getErrorMessage() or type(failure.value).__name__
        if self.crawler.stats and self.crawler.stats.get_value("recover/stop_reason"):
            return []  # stopping: leave it untried so a re-run fetches it
        log.warning("could not fetch %s: %s", fetch.capture.replay_url, reason)
        if fetch.purpose == "feed":
            return []  # a feed is asked again on the next run
        return self.pass_over(fetch, reason, "failed")

    # phase feeds --------------------------------------------------------------------------
    def phase_feeds(self) -> Iterator[scrapy.Request]:
        """Every feed, sitemap and REST answer but one post's comment feed (read after the
        posts: their pages may show every comment it holds)."""
        for fetch in self.planner.feeds(self.store.tried(), comments=False):
            yield self.capture_request(fetch, callback=self.parse_feed_capture)

    def phase_comment_feeds(self) -> Iterator[scrapy.Request]:
        """Each post's comment feed captures newer than the post's pages read with comments."""
        tried = self.store.tried()
        for fetch in self.planner.feeds(tried, comments=True):
            yield self.capture_request(fetch, callback=self.parse_feed_capture)

    def reading_failed(self, fetch: Fetch, exc: Exception) -> Iterator[scrapy.Request]:
        """Reading a capture raised: an ``error`` outcome, counted and logged once with the
        URL and capture, not settled (the next run retries it); a post's next older capture
        is tried meanwhile.  The one place a bug in reading a page is caught."""
        cap = fetch.capture
        log.error("extraction error on %s (capture %s): %r", cap.original, cap.replay_url, exc)
        self.count("extract_errors")
        yield from self.pass_over(fetch, f"{type(exc).__name__}: {exc}", "error")

    def parse_feed_capture(self, response: Response) -> Iterator[scrapy.Request]:
        fetch: Fetch = response.meta["fetch"]
        try:
            if response.status == 200:
                self.read_feed(fetch, response)
        except Exception as exc:  # a bug on one capture must not stop the crawl
            yield from self.reading_failed(fetch, exc)
            return
        self.store.record_outcome(fetch.capture.replay_url, fetch.key, "feed")

    def read_feed(self, fetch: Fetch, response: Response) -> None:
        """Keep a feed's, comment feed's, REST answer's or sitemap's posts and known URLs."""
        cap = fetch.capture
        body, site_url = response.body, self.site_url(response)
        source = cap.source("feed")
        if group_kind(cap.original) == "sitemap":
            for url in sitemap_urls(body):
                if kind_of(url) == "post" and host_of(url) == self.host:
                    self.store.add_known(url, "sitemap")
            return
        if is_comment_feed(cap.original):
            for url, comments in parse_comment_feed(body, site_url).items():
                if host_of(url) == self.host and comments:
                    post = Post(url=url, comments=comments, partial=True, source=source)
                    self.keep(post, source)
            return
        if wpjson.is_posts_url(cap.original):
            posts = wpjson.parse_posts(body, site_url)
            source.kind = "json"
        else:
            posts = parse_feed(body, site_url)
        self.keep_listed(posts, source, "feed")

    def keep(self, post: Post, source: Source) -> None:
        """Commit one record of a post (a page, a feed entry, an excerpt) to the store."""
        post.source = source
        post.sources = [source]
        self.store.add_post(post)
        self.count("records")

    def keep_listed(self, posts: Iterable[Post], source: Source, known_from: str) -> None:
        """The site's posts among ``posts`` (a feed's, an index's): known to exist, kept."""
        for post in posts:
            if host_of(post.url) != self.host or group_kind(post.url) not in ("post", "page"):
                continue
            self.store.add_known(post.url, known_from)
            self.keep(post, source)

    # phase indexes ----------------------------------------------------------------------
    def phase_indexes(self) -> Iterator[scrapy.Request]:
        """The newest capture of every listing."""
        store = self.store
        fetches = self.planner.indexes(store.tried(), store.known(), older=False)
        for fetch in fetches:
            yield self.capture_request(fetch, callback=self.parse_index_capture)

    def phase_older_indexes(self) -> Iterator[scrapy.Request]:
        """Older listing captures, for the known posts the newest left without any record."""
        store = self.store
        for fetch in self.planner.indexes(store.tried(), store.known(), store.recorded_keys()):
            yield self.capture_request(fetch, callback=self.parse_index_capture)

    def parse_index_capture(self, response: Response) -> Iterator[scrapy.Request]:
        fetch: Fetch = response.meta["fetch"]
        cap = fetch.capture
        try:
            html = decode(response.body, content_type(response))
            site_url = self.site_url(response)
            page = parse(html, site_url) if response.status == 200 else None  # once for all
            if page is not None and not error_reason(response.status, html, root=page.root):
                if self.template.wants(site_url):
                    self.template.add(page)  # a listing shows the theme the posts share
                posts = parse_index(html, site_url, page)
                self.keep_listed(posts, cap.source("index"), "index")
                if self.planner.redirected:
                    self.note_shortlinks(shortlinks(page, self.site))
        except Exception as exc:  # a bug on one capture must not stop the crawl
            yield from self.reading_failed(fetch, exc)
            return
        self.store.record_outcome(cap.replay_url, fetch.key, "index")

    # phase posts --------------------------------------------------------------------------
    def phase_posts(self, first: bool = True) -> Iterator[scrapy.Request]:
        """Each unsettled post's best capture; ``first=False``: a later pass, not counted
        (the first leaves the addresses held only as redirects to phase ``redirects``)."""
        if first:
            groups = self.planner.groups
            kinds = {k: group_kind(c[0].original) for k, c in groups.items() if c}
            self.state.deleted = deletions(groups, kinds)
            for deletion in self.state.deleted.values():
                log.info("%s: %s", deletion.url, deletion.reason)
            self.count("deleted", len(self.state.deleted))
        skip = set() if self.include_deleted else set(self.state.deleted)
        store = self.store
        plan = self.planner.posts(store.settled_keys(), store.tried(), skip, redirects=not first)
        if first:
            for url in plan.known:
                self.store.add_known(url, "cdx")
            self.names = LinkNames(self.planner.missing_posts(self.store.known()))
            self.count("found", len(plan.known))
            if plan.resumed:
                self.count("resumed", plan.resumed)
            for key in plan.exhausted:
                self.store.record_outcome(f"none:{key}", key, "bad", NO_CAPTURE)
                self.count("missing")
        for fetch in plan.fetches:
            yield self.capture_request(fetch)

    def parse_capture(self, response: Response) -> Iterator[scrapy.Request]:
        fetch: Fetch = response.meta["fetch"]
        cap = fetch.capture
        self.count("fetched")
        status = response.status
        if status in REDIRECTS:
            location = response.headers.get("Location", b"").decode("latin-1")
            yield from self.follow_redirect(fetch, location)
            return
        if status != 200:
            yield from self.pass_over(fetch, f"HTTP {status}")
            return
        site_url = self.site_url(response)
        try:
            html = decode(response.body, content_type(response))
            page = parse(html, site_url)  # once, for the error check and the extraction
            reason = error_reason(status, html, root=page.root if page is not None else None)
            if page is not None and not reason and self.template.wants(site_url):
                self.template.add(page)
            post = (
                None
                if reason
                else extract(
                    html, site_url, captured=cap.timestamp, page=page, template=self.template
                )
            )
            if post is None and not reason:  # a static page (About, Contact) is kept as a page
                post = extract_page(html, site_url, page=page, template=self.template)
        except Exception as exc:  # a bug on one page must not stop the crawl
            yield from self.reading_failed(fetch, exc)
            return
        if reason:
            yield from self.pass_over(fetch, reason)
            return
        if post is None:  # a listing, junk: an older capture may be it
            yield from self.pass_over(fetch, "not a post", "notpost")
            return
        if other := stranger(post, self.store.listed_records(fetch.key)):  # a new owner's
            yield from self.pass_over(fetch, other, "notpost")
            return
        self.store.record_outcome(cap.replay_url, fetch.key, "post")
        self.planner.settled(fetch)
        self.count("recovered")
        self.keep(post, cap.source("html" if cap.archive.startswith("html:") else "page"))
        if page is not None and self.planner.redirected:  # ?p=N held as redirects
            self.note_shortlinks(shortlinks(page, self.site, post.url))
        if page is not None and post.comments and self.planner.comment_feeds:
            self.note_comment_feeds(page, cap.timestamp)
        if page is not None and self.names.wanted:
            self.names.note(named_links(page, self.names.wanted, self.names.tails), post.source)

    def note_comment_feeds(self, page: Any, captured: str) -> None:
        """The post's own comment feed a page with comments names (``rel="alternate"``):
        its captures up to this page's time hold no comment the page lacks."""
        for href in page.links("alternate"):
            self.planner.showed_comments(page.absolute(href) or "", captured)

    def note_shortlinks(self, links: dict[str, str]) -> None:
        """Short addresses a page names (``?p=N`` -> a post): each the archive holds as
        redirects only is settled as its post's alias, and its redirect is never fetched."""
        for address, target in links.items():
            if key := self.planner.shortlink(address, target):
                self.store.record_outcome(f"shortlink:{key}", key, "alias", target)

    def follow_redirect(self, fetch: Fetch, location: str) -> Iterator[scrapy.Request]:
        """A redirect capture: followed inside its archive, never onto the live site."""
        decision = self.planner.redirect(fetch, location)
        if decision.action == "alias":
            self.store.record_outcome(fetch.capture.replay_url, fetch.key, "alias", decision.target)
            self.store.add_known(decision.target, "redirect")
            self.planner.settled(fetch)
        elif decision.action == "hop" and decision.fetch is not None:
            yield self.capture_request(decision.fetch)
        else:
            yield from self.pass_over(fetch, decision.reason)

    def phase_redirects(self) -> Iterator[scrapy.Request]:
        """The addresses held only as redirects no page named: their redirects followed."""
        return self.phase_posts(first=False)

    # phase mementos -----------------------------------------------------------------------
    def phase_mementos(self) -> Iterator[scrapy.Request]:
        if not self.mementos:
            return
        wanted = self.planner.memento_urls(self.store.settled_keys(), self.store.known())
        for prefix in self.mementos:
            for url in wanted:
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

    def phase_memento_posts(self) -> Iterator[scrapy.Request]:
        return self.phase_posts(first=False)

    # phases media_lookups, media ----------------------------------------------------------
    def phase_media_lookups(self) -> Iterator[scrapy.Request]:
        self.settle_renames()
        return self.media.lookup_requests()

    def settle_renames(self) -> None:
        """Before the posts are merged: a title-only record of each post only the site's
        links name, and the posts that moved to another date's address as aliases."""
        recorded = self.store.recorded_keys()
        for post in self.names.records():
            if canonical(post.url) not in recorded:
                self.store.add_known(post.url, "link")
                self.keep(post, post.source)
        aliases = self.store.aliases()
        times = {k: v for k, v in self.store.record_times().items() if k not in aliases}
        for old, new in date_moves(times, self.store.paged_keys()).items():
            log.info("%s: moved to %s (the same post under a later date)", old, new)
            self.store.record_outcome(f"moved:{old}", old, "alias", new)

    def phase_media(self) -> Iterator[scrapy.Request]:
        return self.media.fetch_requests()

    # phase merge --------------------------------------------------------------------------
    def phase_merge(self) -> Iterator[scrapy.Request]:
        yield scrapy.Request(
            "data:,merge", callback=self.emit_posts, dont_filter=True, meta={"dont_cache": True}
        )

    def emit_posts(self, response: Response) -> Iterator[Post]:
        """Every post, merged from its records, for the exporters."""
        yield from self.state.kept(self.media.attach(self.media.merged()))
