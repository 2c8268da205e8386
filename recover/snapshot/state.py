"""What one snapshot leaves for the next: validators, the last full capture and SPN results.

A JSON file in the snapshots folder, one entry per URL, replaced atomically after each run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recover.snapshot.capture import SavedRecord

STATE_FILE = "recover-snapshot-state.json"
VERSION = 1


@dataclass
class Entry:
    """Everything known about one URL of the site."""

    etag: str | None = None
    last_modified: str | None = None
    capture: SavedRecord | None = None  # the last full (non-revisit) capture of a 200 response
    lastmod: str | None = None  # the date a sitemap or feed gave it (ISO 8601)
    seen: str | None = None  # 14-digit timestamp of the last snapshot that reached it
    spn: dict[str, Any] | None = None  # last Save Page Now attempt: date, digest, archive/error
    gone: str | None = None  # date it first answered 404/410 after a good capture
    resume: str | None = None  # stamp of an interrupted run that captured it (not asked again)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "capture": self.capture.to_dict() if self.capture else None,
            "lastmod": self.lastmod,
            "seen": self.seen,
            "spn": self.spn,
            "gone": self.gone,
            "resume": self.resume,
        }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        capture = SavedRecord.from_dict(data["capture"]) if data.get("capture") else None
        return cls(
            etag=data.get("etag"),
            last_modified=data.get("last_modified"),
            capture=capture,
            lastmod=data.get("lastmod"),
            seen=data.get("seen"),
            spn=data.get("spn"),
            gone=data.get("gone"),
            resume=data.get("resume"),
        )


@dataclass
class State:
    """The state file of one snapshots folder."""

    path: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    runs_since_refresh: int = 0  # snapshots since the last one that fetched every page
    comments: dict[str, int] = field(default_factory=dict)  # canonical post -> feed's count
    wordpress: bool = False  # the site answers with WordPress's REST API link

    @classmethod
    def load(cls, folder: Path) -> State:
        """Read ``folder``'s state (empty when there is none); ValueError when unreadable."""
        path = folder / STATE_FILE
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = {url: Entry.from_dict(e) for url, e in data.get("urls", {}).items()}
            runs = int(data.get("runs_since_refresh", 0))
            comments = {str(k): int(v) for k, v in (data.get("comments") or {}).items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"state file {path} is unreadable ({exc}); delete it") from exc
        return cls(path, entries, runs, comments, bool(data.get("wordpress")))

    def save(self) -> None:
        """Write the state: to a temporary file first, then renamed over the old one."""
        data = {
            "version": VERSION,
            "runs_since_refresh": self.runs_since_refresh,
            "comments": dict(sorted(self.comments.items())),
            "wordpress": self.wordpress,
            "urls": {url: e.to_dict() for url, e in sorted(self.entries.items())},
        }
        tmp = self.path.with_name("." + self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def get(self, url: str) -> Entry | None:
        return self.entries.get(url)

    def entry(self, url: str) -> Entry:
        """The entry of ``url``, created when new."""
        return self.entries.setdefault(url, Entry())

    def forget_warcs(self, names: set[str]) -> int:
        """Drop captures (and their validators) that live in WARC files named in ``names``.

        The next snapshot then fetches those URLs in full rather than writing a revisit
        pointing at a file that is gone.
        """
        dropped = 0
        for entry in self.entries.values():
            if entry.capture and entry.capture.warc in names:
                entry.capture = None
                entry.etag = entry.last_modified = None
                dropped += 1
        return dropped

    def forget_missing(self, folder: Path) -> int:
        """Drop captures whose WARC file is no longer in ``folder``."""
        names = {e.capture.warc for e in self.entries.values() if e.capture}
        return self.forget_warcs({n for n in names if not (folder / n).exists()})
