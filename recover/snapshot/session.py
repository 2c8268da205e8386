"""One snapshot run: what the spider and the recorder share while the crawl goes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from recover.snapshot.capture import SavedRecord
from recover.snapshot.state import State
from recover.snapshot.warcwriter import SnapshotWarc

NEW, CHANGED, UNCHANGED, SKIPPED = "new", "changed", "unchanged", "skipped"
GONE = "gone"  # answered 404/410 where an earlier snapshot had a page


def iso_utc(value: str | datetime | date | None) -> str | None:
    """A date from a sitemap, a feed or a header as ``YYYY-MM-DDThh:mm:ssZ`` (None if unreadable).

    The same shape as a WARC/1.0 date, so the two compare as strings.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Visit:
    """A URL this snapshot reached, and the capture that holds its body as of now."""

    url: str
    capture: SavedRecord
    change: str  # new | changed | unchanged (304 or same payload) | skipped (dates say so)


@dataclass
class Session:
    """The run: its WARC, the state from earlier runs and what the crawl has seen so far."""

    folder: Path
    site: str  # the start URL
    host: str  # host_of(site): no www., no port
    stamp: str  # 14-digit start time, also in the WARC's name
    warc: SnapshotWarc
    state: State
    full: bool = False  # ignore validators and dates, no revisits: a self-contained WARC
    refresh: bool = False  # ignore validators and dates (revisits still written)
    pattern_cap: int = 500  # frontier: URLs per path pattern
    dates: dict[str, str] = field(default_factory=dict)  # canonical URL -> last change date
    stale: set[str] = field(default_factory=set)  # canonical URLs whose comment count moved
    visits: dict[str, Visit] = field(default_factory=dict)
    robots_sitemaps: list[str] = field(default_factory=list)
    crawl_delay: float = 0.0  # robots.txt's Crawl-delay for us (seconds)
    errors: list[str] = field(default_factory=list)
    fetched: int = 0  # full response records written
    revisits: int = 0  # revisit records written

    def visit(self, url: str, capture: SavedRecord, change: str) -> None:
        self.visits[url] = Visit(url, capture, change)
        self.state.entry(url).seen = self.stamp

    def known(self) -> list[str]:
        """Every URL an earlier snapshot captured (asked again: a deletion shows as a 404)."""
        return [u for u, e in self.state.entries.items() if e.capture is not None or e.gone]

    def note_comments(self, key: str, count: int) -> None:
        """A feed's comment count for the post ``key``; a change means the page changed."""
        before = self.state.comments.get(key)
        if before is not None and before != count:
            self.stale.add(key)
        self.state.comments[key] = count

    def changed_since(self, key: str, captured: str) -> bool | None:
        """Whether the page changed after ``captured`` by the dates and counts known.

        None when nothing dates it (it must be fetched to know).
        """
        if key in self.stale:
            return True
        when = self.dates.get(key)
        if when is None:
            return None
        return when > captured

    def note_date(self, key: str, when: str | None) -> None:
        """Keep the newest date a sitemap or feed gives ``key`` (a canonical URL)."""
        if when and when > self.dates.get(key, ""):
            self.dates[key] = when

    def changed(self) -> list[Visit]:
        """The pages new or changed in this snapshot, in crawl order."""
        return [v for v in self.visits.values() if v.change in (NEW, CHANGED)]
