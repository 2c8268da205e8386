"""A capture: one archived copy of one URL, as a CDX row describes it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from recover.post import Source

FIRST_YEAR = 1991  # the web's first pages: no archive holds anything older


def capture_time(timestamp: str | None) -> datetime | None:
    """The UTC time of a capture timestamp (14 digits, or fewer: ``2009`` is its first
    second; more: the first 14), None when it is no time at all (month 13, garbage)."""
    if not timestamp or not re.fullmatch(r"\d{4,}", timestamp):
        return None
    ts = timestamp[:14].ljust(14, "0")
    try:
        return datetime(
            int(ts[:4]),
            max(1, int(ts[4:6])),
            max(1, int(ts[6:8])),
            int(ts[8:10]),
            int(ts[10:12]),
            int(ts[12:14]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


@dataclass(frozen=True)
class Capture:
    """One archived copy of a URL."""

    archive: str  # replay prefix, or ``warc:<path>``
    timestamp: str  # 14 digits
    original: str  # the URL as captured
    mimetype: str = ""
    status: int | None = None  # None for revisits and unknown
    digest: str = ""
    length: int = 0
    location: str = ""  # where the bytes are: a WARC offset, or "file offset length"
    uri: str = ""  # a memento's own address, when it is not ``<archive><ts>id_/<url>``

    @property
    def replay_url(self) -> str:
        """Where to fetch the capture: the raw (``id_``) replay URL at its exact timestamp."""
        return self.uri or f"{self.archive}{self.timestamp}id_/{self.original}"

    def source(self, kind: str = "page") -> Source:
        """This capture named as the source of a post (or of part of one)."""
        return Source(
            archive=self.archive,
            capture_url=self.replay_url,
            timestamp=self.timestamp,
            kind=kind,
            original=self.original,
        )

    @property
    def when(self) -> datetime:
        """The capture time (UTC)."""
        return datetime.strptime(self.timestamp[:14].ljust(14, "0"), "%Y%m%d%H%M%S").replace(
            tzinfo=UTC
        )

    @property
    def plausible(self) -> bool:
        """A real capture time: a valid date from the web's first year up to tomorrow.

        An index may hold garbage (year 2999, month 13, year 0); such a capture would win
        as the newest or lend a post an impossible date.
        """
        when = capture_time(self.timestamp)
        if when is None:
            return False
        return when.year >= FIRST_YEAR and when <= datetime.now(UTC) + timedelta(days=1)
