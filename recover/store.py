"""The run's store: what has been fetched and recovered, kept on disk as it happens.

A killed run loses nothing that was committed here; a re-run reads it back and skips
every capture already tried.  SQLite in WAL mode, one commit per record.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

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
        """Remember how a capture turned out.

        ``post``, ``bad``, ``notpost``, ``failed``, ``feed``, or ``alias`` (a redirect to
        another post; ``reason`` holds the target URL).
        """
        self.db.execute(
            "INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?)",
            (capture_url, key, outcome, reason, time.time()),
        )

    def outcome(self, capture_url: str) -> str | None:
        row = self.db.execute(
            "SELECT outcome FROM outcomes WHERE capture_url = ?", (capture_url,)
        ).fetchone()
        return row[0] if row else None

    def settled_keys(self) -> set[str]:
        """Groups already answered by a capture (a post, or a page that is no post)."""
        rows = self.db.execute(
            "SELECT DISTINCT key FROM outcomes WHERE outcome IN ('post', 'notpost', 'alias')"
        )
        return {r[0] for r in rows}

    def tried(self) -> dict[str, str]:
        """capture_url -> outcome, for every capture tried so far."""
        return dict(self.db.execute("SELECT capture_url, outcome FROM outcomes"))

    def skipped(self) -> list[dict[str, str]]:
        """Captures passed over, with their reasons (for the report)."""
        rows = self.db.execute(
            "SELECT capture_url, key, outcome, reason FROM outcomes "
            "WHERE outcome IN ('bad', 'failed') ORDER BY key"
        )
        return [
            dict(zip(("capture_url", "key", "outcome", "reason"), r, strict=True)) for r in rows
        ]

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

    def post_records(self) -> Iterator[tuple[str, list[Post]]]:
        """Every identity with its records, one identity at a time."""
        current: str | None = None
        batch: list[Post] = []
        for key, data in self.db.execute("SELECT key, data FROM posts ORDER BY key"):
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
