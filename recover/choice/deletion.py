"""Posts deleted on the live site: the newest answer at their address is a 404 or 410.

A snapshot asks again for every URL it captured before, so a post removed from the blog
leaves a ``404``/``410`` capture newer than its last good one. That alone could also be a
dying host, so it counts only when the site was alive then: the same archive (WARC file)
holds a good capture of another page of the site within a day of the 404.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from recover.choice.capture import Capture
from recover.choice.ranking import is_page

GONE = (404, 410)
ALIVE_WITHIN = timedelta(days=1)


@dataclass(frozen=True)
class Deletion:
    """When a post went, and the last capture that still had it."""

    url: str
    deleted: str  # 14-digit timestamp of the first 404/410 after the last good capture
    status: int
    last_seen: Capture

    @property
    def seen(self) -> str:
        """The last good capture, named so a person can find it."""
        cap = self.last_seen
        if cap.archive.startswith("warc:"):
            return f"{_iso(cap.timestamp)} in {cap.archive.removeprefix('warc:')}"
        return cap.replay_url

    @property
    def reason(self) -> str:
        return f"deleted on {_iso(self.deleted)[:10]}, last seen {self.seen}"

    def to_dict(self) -> dict[str, str]:
        return {
            "url": self.url,
            "deleted": self.deleted,
            "status": str(self.status),
            "last_seen": self.seen,
            "last_seen_timestamp": self.last_seen.timestamp,
            "reason": self.reason,
        }


def deletions(groups: dict[str, list[Capture]], kinds: dict[str, str]) -> dict[str, Deletion]:
    """``key -> Deletion`` for each post or page group (``kinds[key]``) deleted on the site."""
    alive: dict[str, list[tuple[str, str]]] = defaultdict(list)  # archive -> (ts, key)
    for key, caps in groups.items():
        for cap in caps:
            if cap.status == 200 and is_page(cap):
                alive[cap.archive].append((cap.timestamp, key))
    for rows in alive.values():
        rows.sort()
    out: dict[str, Deletion] = {}
    for key, caps in groups.items():
        if kinds.get(key) not in ("post", "page"):
            continue
        good = [c for c in caps if c.status == 200]
        if not good:
            continue
        last = max(good, key=lambda c: c.timestamp)
        gone = sorted(
            (c for c in caps if c.status in GONE and c.timestamp > last.timestamp),
            key=lambda c: c.timestamp,
        )
        first = next((c for c in gone if _site_alive(alive[c.archive], c, key)), None)
        if first is not None:
            out[key] = Deletion(last.original, first.timestamp, int(first.status or 0), last)
    return out


def _site_alive(rows: list[tuple[str, str]], cap: Capture, key: str) -> bool:
    """A good capture of another page in the same archive within a day of ``cap``."""
    low = (cap.when - ALIVE_WITHIN).strftime("%Y%m%d%H%M%S")
    high = (cap.when + ALIVE_WITHIN).strftime("%Y%m%d%H%M%S")
    i = bisect.bisect_left(rows, (low, ""))
    while i < len(rows) and rows[i][0] <= high:
        if rows[i][1] != key:
            return True
        i += 1
    return False


def _iso(ts: str) -> str:
    return f"{ts[:4]}-{ts[4:6]}-{ts[6:8]} {ts[8:10]}:{ts[10:12]}:{ts[12:14]}"
