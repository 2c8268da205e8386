"""What the media phase has settled, kept in the run's SQLite store (a re-run fetches no
file twice and repeats no lookup)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS media (url TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS media_files (sha1 TEXT PRIMARY KEY, file TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS media_lookups (query TEXT PRIMARY KEY, data TEXT NOT NULL);
"""


class MediaState:
    """Settled files (``url`` -> entry), stored contents (``sha1`` -> file) and lookups done."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.db.executescript(_SCHEMA)

    def entries(self) -> dict[str, dict[str, Any]]:
        """url -> ``{url, file, sha1, bytes, mime, capture}`` (``file`` None: missing)."""
        return {u: json.loads(d) for u, d in self.db.execute("SELECT url, data FROM media")}

    def settle(self, url: str, entry: dict[str, Any]) -> None:
        self.db.execute("INSERT OR REPLACE INTO media VALUES (?, ?)", (url, json.dumps(entry)))

    def file_for(self, sha1: str) -> str | None:
        row = self.db.execute("SELECT file FROM media_files WHERE sha1 = ?", (sha1,)).fetchone()
        return row[0] if row else None

    def add_file(self, sha1: str, file: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO media_files VALUES (?, ?)", (sha1, file))

    def lookups(self) -> dict[str, list[dict[str, Any]]]:
        """query URL -> the captures it returned (as dicts)."""
        return {
            q: json.loads(d) for q, d in self.db.execute("SELECT query, data FROM media_lookups")
        }

    def add_lookup(self, query: str, captures: list[dict[str, Any]]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO media_lookups VALUES (?, ?)", (query, json.dumps(captures))
        )
