"""A capture: one archived copy of one URL, as a CDX row describes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from recover.post import Source

FIRST_YEAR = 1991  # the web's first pages: no archive holds anything older


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
        ts = self.timestamp[:14].ljust(14, "0")
        # a short timestamp padded with zeros (``2009`` -> month 00) means its first month/day
        ts = ts[:4] + (ts[4:6].replace("00", "01")) + (ts[6:8].replace("00", "01")) + ts[8:]
        try:
            when = datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            return False
        return when.year >= FIRST_YEAR and when <= datetime.now(UTC) + timedelta(days=1)
