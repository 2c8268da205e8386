"""The spider's media phases: look up files no listing holds, then fetch each file's best
good capture, store it under ``<out>/media/`` and attach the entries to the posts.

:class:`MediaCrawl` is driven by :class:`recover.spiders.recover.RecoverSpider`:
``media_lookups`` (CDX prefix/URL queries or TimeMaps for files on other hosts), ``media``
(one job per file, see :mod:`recover.media.plan`), and :meth:`MediaCrawl.attach` when the
posts are emitted. Requests go through the spider's own capture requests, so they share the
archives' budgets, cache and politeness.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.http import Response

from recover.choice.capture import Capture
from recover.choice.planner import Fetch
from recover.discovery import cdx, memento
from recover.media import lookup
from recover.media.files import drop_partial_files, media_path, sha1_of, write_file
from recover.media.links import local_paths, rewrite_markdown
from recover.media.magic import verdict
from recover.media.plan import Planner
from recover.media.refs import MediaRef, media_refs
from recover.media.saved import saved_files
from recover.media.state import MediaState
from recover.post import Post
from recover.urls import canonical, host_of

log = logging.getLogger(__name__)


def post_refs(post: Post) -> list[MediaRef]:
    """The media a (merged) post uses: its body's files, then its enclosures."""
    enclosures = [a for a in (post.attachments or []) if isinstance(a, str)]
    return media_refs(post.content_html, post.url, enclosures)


def _name(url: str) -> str:
    """A URL's file name, decoded and lower-cased ("" when none)."""
    return unquote(urlsplit(url).path).rsplit("/", 1)[-1].lower()


def missing(url: str, reason: str) -> dict[str, Any]:
    return {
        "url": url, "file": None, "sha1": None, "bytes": None, "mime": None, "capture": None,
        "reason": reason,
    }  # fmt: skip


class MediaCrawl:
    """Media lookups, fetches and the entries they give, for one spider."""

    def __init__(self, spider: Any) -> None:
        self.spider = spider
        self.state = MediaState(spider.store.db)
        self.other: dict[str, list[Capture]] = defaultdict(list)  # other hosts, local sources
        self.found: dict[str, list[Capture]] = defaultdict(list)  # from lookups
        self.posts: list[Post] | None = None
        self.planner: Planner | None = None
        self.last_reason: dict[str, str] = {}
        self._refs: dict[int, list[MediaRef]] = {}  # id(post) -> its media
        self.saved_names: dict[str, list[Capture]] = {}  # file name -> saved pages' files
        self.digests: dict[str, dict[str, Any] | None] = {}  # digest -> entry (None: bad)
        self.inflight: set[str] = set()  # digests being fetched
        self.waiting: dict[str, list[tuple[str, list[Capture]]]] = defaultdict(list)

    def count(self, key: str, n: int = 1) -> None:
        self.spider.count(f"media_{key}", n)

    # what is wanted ----------------------------------------------------------------------
    def merged(self) -> list[Post]:
        if self.posts is None:
            from recover.normalize.merge import merged_posts

            self.posts = merged_posts(self.spider.store)
        return self.posts

    def refs(self, post: Post) -> list[MediaRef]:
        """The post's media, read once per post (bodies are parsed once, not per phase)."""
        key = id(post)
        if key not in self._refs:
            self._refs[key] = post_refs(post)
        return self._refs[key]

    def wanted(self) -> list[str]:
        settled = self.state.entries()
        out: dict[str, None] = {}
        for post in self.merged():
            for ref in self.refs(post):
                if ref.url not in settled:
                    out[ref.url] = None
        return list(out)

    def held(self, url: str) -> list[Capture]:
        """Every capture any source holds of ``url`` (a saved page's file of the same name
        when nothing else does and only one has that name)."""
        key = canonical(url)
        caps = list(self.other.get(key, [])) + list(self.found.get(key, []))
        if host_of(url) == self.spider.host:
            groups = self.spider.planner.groups
            caps += [c for c in groups.get(key, []) if canonical(c.original) == key]
        if not caps:
            named = self.saved_names.get(_name(url), [])
            if len({c.location for c in named}) == 1:
                caps = named
        return caps

    def add_saved_files(self) -> None:
        """Index the ``_files/`` folders of the saved pages among the captures (once)."""
        if self.saved_names:
            return
        self.saved_names[""] = []
        for caps in list(self.spider.planner.groups.values()):
            for page in caps:
                if page.archive.startswith("html:") and page.mimetype == "text/html":
                    for cap in saved_files(page):
                        self.add_other(cap)
                        self.saved_names.setdefault(_name(cap.original), []).append(cap)

    def add_other(self, cap: Capture) -> None:
        """A capture of another host's file from a local source (WARC, saved pages)."""
        self.other[canonical(cap.original)].append(cap)

    # phase media_lookups -----------------------------------------------------------------
    def _load_lookups(self) -> set[str]:
        done = self.state.lookups()
        for caps in done.values():
            for c in caps:
                cap = Capture(**c)
                self.found[canonical(cap.original)].append(cap)
        return set(done)

    def lookup_requests(self) -> Iterator[scrapy.Request]:
        self.add_saved_files()
        done = self._load_lookups()
        planner = Planner(self.wanted(), self.held)
        unheld = [
            u
            for u in planner.unheld()
            if host_of(u) != self.spider.host or not self.spider.archives
        ]
        if not unheld:
            return
        if self.spider.archives:
            archive = self.spider.archives[0]
            queries = lookup.cdx_lookups(archive, unheld)
        elif self.spider.mementos:
            archive = self.spider.mementos[0]
            queries = lookup.memento_lookups(archive, unheld)
        else:
            return
        for query in queries:
            if query in done:
                continue
            self.count("lookups")
            yield scrapy.Request(
                query,
                callback=self.parse_lookup,
                errback=self.lookup_failed,
                meta={"recover_endpoint": "cdx", "archive": archive, "dont_redirect": True},
                dont_filter=True,
            )

    def parse_lookup(self, response: Response) -> None:
        archive = response.meta["archive"]
        caps: list[Capture] = []
        if response.status == 200:
            if "/timemap/" in response.url or archive in self.spider.mementos:
                caps = memento.parse_timemap(response.text, archive, url=response.url).captures
            else:
                caps = cdx.parse(response.text, archive).captures
        elif response.status not in (404, 400):
            return  # not settled: a re-run asks again
        for cap in caps:
            self.found[canonical(cap.original)].append(cap)
        self.state.add_lookup(response.url, [dataclasses.asdict(c) for c in caps])

    def lookup_failed(self, failure: Any) -> None:
        log.warning("media lookup %s: %s", failure.request.url, failure.getErrorMessage())

    # phase media ------------------------------------------------------------------------
    def fetch_requests(self) -> Iterator[scrapy.Request]:
        drop_partial_files(self.spider.out)
        self.add_saved_files()
        self._load_lookups()
        self.planner = Planner(self.wanted(), self.held)
        jobs = self.planner.start()
        self._settle()
        for job in jobs:
            yield from self._job(job, self.planner.captures[job])

    def _job(self, job: str, caps: list[Capture]) -> Iterator[scrapy.Request]:
        """Fetch the job's next capture, unless its bytes (its digest) are known already:
        a good digest is reused without a fetch, a bad one skipped, one being fetched for
        another file waited for (an archive's error page served as an image under many
        URLs costs one fetch)."""
        while caps and caps[0].digest in self.digests:
            known = self.digests[caps[0].digest]
            if known is not None:
                yield from self._finish(job, {**known, "capture": caps[0].replay_url})
                return
            self.count("skipped_known_bad")
            caps = caps[1:]
        if not caps:
            yield from self._finish(job, None)
            return
        digest = caps[0].digest
        if digest and digest in self.inflight:
            self.waiting[digest].append((job, caps))
            return
        if digest:
            self.inflight.add(digest)
        fetch = Fetch(caps[0], f"media:{job}", "media")
        self.count("fetches")  # recover/media_fetches: the bench tells them from post requests
        request = self.spider.capture_request(fetch, callback=self.parse_file)
        request.meta.update({"media_job": job, "media_rest": caps[1:]})
        yield request.replace(errback=self.file_failed)

    def _learn(self, cap: Capture, entry: dict[str, Any] | None) -> Iterator[scrapy.Request]:
        """Remember what a digest's bytes turned out to be; resume the jobs waiting on it."""
        if not cap.digest:
            return
        self.digests[cap.digest] = entry
        yield from self._release(cap.digest)

    def _release(self, digest: str) -> Iterator[scrapy.Request]:
        self.inflight.discard(digest)
        for job, caps in self.waiting.pop(digest, []):
            yield from self._job(job, caps)

    def _finish(self, job: str, entry: dict[str, Any] | None) -> Iterator[scrapy.Request]:
        assert self.planner is not None
        more = self.planner.done(job, entry)
        self._settle()
        for nxt in more:
            yield from self._job(nxt, self.planner.captures[nxt])

    def _settle(self) -> None:
        """Keep every newly resolved wanted URL in the store."""
        assert self.planner is not None
        for url, (job, entry) in list(self.planner.resolved.items()):
            if entry is None:
                held = bool(self.planner.chains[url])
                reason = self.last_reason.get(job or url, "") if held else ""
                self.state.settle(
                    url,
                    missing(url, f"no good capture ({reason})" if held else "no source holds it"),
                )
                self.count("missing")
            else:
                data = {"url": url, **entry}
                if job != url:
                    data["original"] = job
                self.state.settle(url, data)
            del self.planner.resolved[url]

    def parse_file(self, response: Response) -> Iterator[scrapy.Request]:
        job: str = response.meta["media_job"]
        cap: Capture = response.meta["fetch"].capture
        if response.status != 200:
            yield from self._learn(cap, None)
            yield from self._bad(response.meta, f"HTTP {response.status}")
            return
        body = response.body
        declared = response.headers.get("Content-Length", b"").decode("latin-1")
        length = (
            int(declared)
            if declared.isdigit() and not response.headers.get("Content-Encoding")
            else None
        )
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or None
        v = verdict(body, job, ctype, length)
        if not v.ok:
            yield from self._learn(cap, None)
            yield from self._bad(response.meta, v.reason)
            return
        sha1 = sha1_of(body)
        file = self.state.file_for(sha1)
        if file is None or not (self.spider.out / file).is_file():
            file = write_file(self.spider.out, media_path(job, self.spider.host, v.mime), body)
            self.state.add_file(sha1, file)
            self.count("files")
        self.count("recovered")
        entry = {
            "file": file, "sha1": sha1, "bytes": len(body), "mime": v.mime,
            "capture": cap.replay_url,
        }  # fmt: skip
        yield from self._learn(cap, {k: v for k, v in entry.items() if k != "capture"})
        yield from self._finish(job, entry)

    def _bad(self, meta: dict[str, Any], reason: str) -> Iterator[scrapy.Request]:
        job: str = meta["media_job"]
        cap: Capture = meta["fetch"].capture
        log.info("media: skip %s: %s", cap.replay_url, reason)
        self.count("skipped")
        self.last_reason[job] = reason
        yield from (
            self._job(job, meta["media_rest"]) if meta["media_rest"] else self._finish(job, None)
        )

    def file_failed(self, failure: Any) -> Iterator[scrapy.Request]:
        stats = self.spider.crawler.stats
        if stats and stats.get_value("recover/stop_reason"):
            return  # stopping: unsettled, a re-run fetches it
        digest = failure.request.meta["fetch"].capture.digest
        if digest:  # unknown after all: a job waiting on it fetches it itself
            yield from self._release(digest)
        yield from self._bad(failure.request.meta, failure.getErrorMessage() or "failed")

    # emit -------------------------------------------------------------------------------
    def attach(self, posts: list[Post]) -> list[Post]:
        """Each post's ``images`` and ``attachments`` as entries (see the README schema)."""
        settled = self.state.entries()
        for post in posts:
            images, files = [], []
            for ref in self.refs(post):
                entry = settled.get(ref.url) or missing(ref.url, "not fetched")
                (images if ref.kind == "image" else files).append(entry)
            post.images = images
            post.attachments = files
            post.content_markdown = rewrite_markdown(post.content_markdown, local_paths(post))
        stats = self.spider.crawler.stats
        if stats is not None:  # for the run's summary line
            used = [e for p in posts for e in p.images + p.attachments]
            stats.set_value("recover/media_out", len({e["file"] for e in used if e["file"]}))
            stats.set_value("recover/media_missing_out", sum(1 for e in used if not e["file"]))
        return posts
