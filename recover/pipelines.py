"""Item pipelines: merged posts are collected and, when the crawl ends, written out.

``recover run`` and ``scrapy crawl recover`` share them.  The spider commits each record
of a post to the run's store as it comes (:class:`recover.store.RunState`); the merged
posts it yields at the end are the only items, so feed exporters (``-O x:wxr``) and this
pipeline see the same thing.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import sqlite3
from collections import Counter
from typing import Any

from scrapy.crawler import Crawler

from recover.errors import stop_on_write_error
from recover.export import write_all
from recover.normalize.merge import merged_posts
from recover.post import Post
from recover.store import NO_CAPTURE, RunState, Store
from recover.urls import canonical

log = logging.getLogger(__name__)


NOT_TRIED = "not tried yet (the run stopped first)"


def give_back_memory() -> None:
    """Return to the system the memory the crawl freed (its pages' trees and bodies), so
    that the exports' peak starts from what is live: glibc keeps freed blocks otherwise
    (about 35 MB of the peak at 10,000 posts). Elsewhere a no-op."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError):  # not glibc
        pass


def missing_posts(
    store: Store,
    posts: list[Post],
    deleted: dict[str, Any] | None = None,
    stopped: bool = False,
) -> list[dict[str, Any]]:
    """Posts known to exist and not recovered, each with why (see Store.missing_reasons)
    and, where a record names it, its title.

    Posts ``deleted`` on the live site are not missing: the report lists them apart.
    ``stopped``: the run ended early (interrupted, or an archive stopped us), so a post
    with no capture tried was not tried yet, rather than without a good capture.
    """
    have = {canonical(p.url) for p in posts}
    aliases = {key: canonical(target) for key, target in store.aliases().items()}
    reasons = store.missing_reasons()
    gone = deleted or {}
    untried = NOT_TRIED if stopped else NO_CAPTURE
    missing = []
    for key, (url, known_from) in sorted(store.known().items()):
        if key in have or aliases.get(key) in have or key in gone:
            continue
        entry = {"url": url, "known_from": known_from, "reason": reasons.get(key, untried)}
        if title := store.title(key):
            entry["title"] = title
        missing.append(entry)
    return missing


class ExportPipeline:
    """Collect the merged posts; at the end of the crawl write every output atomically.

    A crawl stopped before its merge phase (an archive blocked us) still writes what the
    store holds.  What came back goes to the crawl's stats (``recover/posts``,
    ``recover/partial``, ``recover/missing_posts``, ``recover/from/<kind> <archive>``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.posts: list[Post] = []
        self.merged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExportPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, Post):
            self.posts.append(item)
            self.merged = True
        return item

    def close_spider(self, spider: Any = None) -> None:
        state = RunState.of(self.crawler)
        if state.store is None or state.out is None:
            return
        posts = self.posts if self.merged else list(merged_posts(state.store))
        if not self.merged and state.media is not None:
            posts = state.media.attach(posts)  # stopped early: the files fetched so far
        deleted = state.deleted
        if not self.merged:
            posts = list(state.kept(posts))
        have = {canonical(p.url) for p in posts}
        stats = self.crawler.stats
        counters = dict(stats.get_stats()) if stats else {}
        report = {
            **state.run,
            "missing": missing_posts(
                state.store, posts, deleted, stopped=bool(counters.get("recover/stop_reason"))
            ),
            "deleted": [
                dict(d.to_dict(), exported=key in have) for key, d in sorted(deleted.items())
            ],
            "skipped": [
                {"url": s["capture_url"], "key": s["key"], "reason": s["reason"]}
                for s in state.store.skipped()
            ],
            "stats": {
                k.removeprefix("recover/"): v
                for k, v in counters.items()
                if k.startswith(("recover/", "downloader/request_count", "httpcache/"))
                and k != "recover/phase"
            },
        }
        formats = self.crawler.settings.getlist("RECOVER_FORMATS") or ["hugo", "jekyll"]
        give_back_memory()
        try:
            write_all(posts, state.out, report, formats=formats)
        except (OSError, sqlite3.Error) as exc:
            if not stop_on_write_error(self.crawler, exc):
                raise
            return
        if stats:
            stats.set_value("recover/posts", len(posts))
            stats.set_value("recover/partial", sum(1 for p in posts if p.partial))
            stats.set_value("recover/missing_posts", len(report["missing"]))
            where = Counter(
                f"{p.source.kind} {p.source.archive}" if p.source else "unknown" for p in posts
            )
            for name, n in where.items():
                stats.set_value(f"recover/from/{name}", n)
