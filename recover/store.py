"""The run's store: what has been fetched and recovered, kept on disk as it happens.

:class:`RunState` is the crawler-level component (a Scrapy extension) that holds it for
the spider, the item pipelines and the command: ``RunState.of(crawler)``.

A killed run loses nothing that was committed here; a re-run reads it back and skips
every capture already tried.  SQLite in WAL mode, one commit per record.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Container, Iterable, Iterator
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from recover.component import Component
from recover.post import Post
from recover.urls import canonical

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    capture_url TEXT PRIMARY KEY, key TEXT NOT NULL, outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_key ON outcomes(key);
CREATE TABLE IF NOT EXISTS posts (
    key TEXT NOT NULL, capture_url TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (key, capture_url)
);
CREATE TABLE IF NOT EXISTS known (
    key TEXT PRIMARY KEY, url TEXT NOT NULL, known_from TEXT NOT NULL
);
"""


NO_CAPTURE = "no good capture found"
NOT_THE_POST = "no capture was the post"
OUTCOMES = {
    "post": "the capture gave the post (settles it)",
    "alias": "a redirect to another post with captures of its own (settles it); reason: target",
    "bad": "an error page or HTTP error: the next older capture is tried",
    "failed": "the fetch failed: the next older capture is tried",
    "notpost": "a page that is not the post: the next older capture is tried; retried on re-run",
    "error": "extracting raised: logged, the next older capture is tried; retried on re-run",
    "feed": "a feed, comment feed, sitemap or REST JSON capture, read",
    "index": "a home or listing capture, read for excerpts",
}


class Store:
    """Outcomes of fetched captures, recovered post records and posts known to exist."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # captures tried -------------------------------------------------------------------
    def record_outcome(self, capture_url: str, key: str, outcome: str, reason: str = "") -> None:
        """Remember how a capture turned out: one of :data:`OUTCOMES`."""
        assert outcome in OUTCOMES, outcome
        self.db.execute(
            "INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?)",
            (capture_url, key, outcome, reason, time.time()),
        )

    def settled_keys(self) -> set[str]:
        """Groups answered for good: a post was recovered, or the URL is another's alias."""
        rows = self.db.execute(
            "SELECT DISTINCT key FROM outcomes WHERE outcome IN ('post', 'alias')"
        )
        return {r[0] for r in rows}

    def tried(self) -> set[str]:
        """Captures a re-run need not fetch again (extraction errors and pages that were
        not the post are retried: a fixed extractor may read them)."""
        rows = self.db.execute(
            "SELECT capture_url FROM outcomes WHERE outcome NOT IN ('error', 'notpost')"
        )
        return {r[0] for r in rows}

    def skipped(self) -> list[dict[str, str]]:
        """Captures passed over, with their reasons (for the report)."""
        rows = self.db.execute(
            "SELECT capture_url, key, outcome, reason FROM outcomes "
            "WHERE outcome IN ('bad', 'failed', 'notpost', 'error') ORDER BY key"
        )
        return [
            dict(zip(("capture_url", "key", "outcome", "reason"), r, strict=True)) for r in rows
        ]

    def missing_reasons(self) -> dict[str, str]:
        """key -> why no capture gave the post, for posts not settled.

        ``extraction error: ...`` when extracting a capture raised (a re-run retries it),
        ``no capture was the post`` when every capture fetched was some other page, else
        the last reason a capture was passed over (an error page, a failed fetch).
        """
        by_key: dict[str, list[tuple[str, str]]] = {}
        rows = self.db.execute(
            "SELECT key, outcome, reason FROM outcomes "
            "WHERE outcome IN ('bad', 'failed', 'notpost', 'error') ORDER BY key, at"
        )
        for key, outcome, reason in rows:
            by_key.setdefault(key, []).append((outcome, reason))
        reasons = {}
        for key, seen in by_key.items():
            errors = [r for o, r in seen if o == "error"]
            fetched = [o for o, r in seen if r != NO_CAPTURE]
            if errors:
                reasons[key] = f"extraction error: {errors[-1]}"
            elif fetched and all(o == "notpost" for o in fetched):
                reasons[key] = NOT_THE_POST
            else:
                reasons[key] = next((r for o, r in reversed(seen) if o != "notpost"), NOT_THE_POST)
        return reasons

    def aliases(self) -> dict[str, str]:
        """key -> the URL it redirects to, for identities that are another post's old URL."""
        rows = self.db.execute("SELECT key, reason FROM outcomes WHERE outcome = 'alias'")
        return dict(rows)

    # posts ----------------------------------------------------------------------------
    def add_post(self, post: Post) -> None:
        """Keep one post record (a page, feed entry or excerpt) under its identity."""
        src = post.source
        self.db.execute(
            "INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?)",
            (
                canonical(post.url),
                src.capture_url if src else post.url,
                src.kind if src else "page",
                json.dumps(post.to_dict(), ensure_ascii=False),
            ),
        )

    def recorded_keys(self) -> set[str]:
        """Identities with at least one record kept (a page, a feed entry, an excerpt)."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT key FROM posts")}

    def record_times(self) -> dict[str, list[str]]:
        """key -> the capture timestamps of its records ("" where a source has none)."""
        out: dict[str, list[str]] = {}
        rows = self.db.execute("SELECT key, json_extract(data, '$.source.timestamp') FROM posts")
        for key, stamp in rows:
            out.setdefault(key, []).append(stamp or "")
        return out

    def title(self, key: str) -> str:
        """A title a record of ``key`` gives ("" when none does): a post reported missing
        may still be known by name (a listing's link, a menu)."""
        row = self.db.execute(
            "SELECT json_extract(data, '$.title') AS t FROM posts WHERE key = ? AND t != '' "
            "LIMIT 1",
            (key,),
        ).fetchone()
        return row[0] if row else ""

    def paged_keys(self) -> set[str]:
        """Identities with a record read from a page of their own (not a feed or listing)."""
        rows = self.db.execute("SELECT DISTINCT key FROM posts WHERE kind IN ('page', 'html')")
        return {r[0] for r in rows}

    def listed_records(self, key: str) -> list[Post]:
        """The records of ``key`` that feeds, listings and REST answers gave (not pages)."""
        rows = self.db.execute(
            "SELECT data FROM posts WHERE key = ? AND kind NOT IN ('page', 'html')", (key,)
        )
        return [Post.from_dict(json.loads(data)) for (data,) in rows]

    def post_records(
        self, keys: Iterable[str] | None = None, skip: Container[str] = ()
    ) -> Iterator[tuple[str, list[Post]]]:
        """Every identity with its records (only those in ``keys``, the only rows read;
        none in ``skip``, whose rows are not decoded), one at a time."""
        current: str | None = None
        batch: list[Post] = []
        if keys is None:
            rows = self.db.execute("SELECT key, data FROM posts ORDER BY key")
        else:
            rows = self.db.execute(
                "SELECT key, data FROM posts WHERE key IN (SELECT value FROM json_each(?))"
                " ORDER BY key",
                (json.dumps(sorted(keys)),),
            )
        for key, data in rows:
            if key in skip:
                continue
            if key != current and batch:
                yield current or "", batch
                batch = []
            current = key
            batch.append(Post.from_dict(json.loads(data)))
        if batch:
            yield current or "", batch

    # posts known to exist -------------------------------------------------------------
    def add_known(self, url: str, known_from: str) -> None:
        """Note that ``url`` is a post (seen in the CDX, a feed, an index or a sitemap)."""
        key = canonical(url)
        row = self.db.execute("SELECT known_from FROM known WHERE key = ?", (key,)).fetchone()
        sources = set(json.loads(row[0])) if row else set()
        if known_from in sources:
            return
        sources.add(known_from)
        self.db.execute(
            "INSERT OR REPLACE INTO known VALUES (?, ?, ?)",
            (key, url, json.dumps(sorted(sources))),
        )

    def known(self) -> dict[str, tuple[str, list[str]]]:
        """key -> (url, known_from) of every post known to exist."""
        return {k: (u, json.loads(f)) for k, u, f in self.db.execute("SELECT * FROM known")}


class RunState(Component):
    """A recovery's shared state, one per crawler: its :class:`Store`, its output folder and
    what the report says the run was (site, sources, window).

    The spider opens it (:meth:`open`) once it knows where the output goes; the item
    pipelines and ``recover run`` read it; it closes with the spider, after the pipelines.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.store: Store | None = None
        self.out: Path | None = None
        self.run: dict[str, Any] = {}  # site, archives, window: the report's header
        self.media: Any = None  # the run's MediaCrawl (recover.media.crawl), when it has one
        self.deleted: dict[str, Any] = {}  # key -> Deletion: a post deleted on the live site
        self.include_deleted = False  # export deleted posts all the same
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def kept(self, posts: Iterable[Post]) -> Iterator[Post]:
        """``posts`` without those deleted on the live site (unless ``include_deleted``)."""
        for post in posts:
            if self.include_deleted or canonical(post.url) not in self.deleted:
                yield post

    def open(self, out: Path, run: dict[str, Any]) -> Store:
        """Open ``<out>/.recover/state.db``; ``run``: the report's site, archives, window."""
        self.out, self.run = out, run
        if self.store is None:
            self.store = Store(out / ".recover" / "state.db")
        return self.store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
