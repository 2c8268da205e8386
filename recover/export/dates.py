"""Post dates every export can trust: parsed, checked, and a clear fallback when missing.

A date is impossible when it does not parse, lies before 1970, lies in the future, or lies
after a capture that already held the post. Such a post gets the earliest capture time
(``estimated``); with no capture time at all, 1970-01-01T00:00:00Z (``estimated``), so no
exporter ever writes year 0001 or a future (unpublished) date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from recover.choice.capture import capture_time
from recover.post import Post

EPOCH_FALLBACK = datetime(1970, 1, 1, tzinfo=UTC)
_SLACK = timedelta(days=1)
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PostDate:
    """When a post was published, in its own UTC offset, and how sure that is."""

    when: datetime  # timezone-aware
    estimated: bool  # True when taken from a capture time or the 1970 fallback
    basis: str  # "published" | "capture" | "fallback"

    @property
    def utc(self) -> datetime:
        return self.when.astimezone(UTC)


def parse_iso(value: str | None) -> datetime | None:
    """An aware datetime from ISO 8601 text (no offset means UTC), None when invalid."""
    if not value or not isinstance(value, str):
        return None
    m = _ISO.match(value)
    if not m:
        return None
    y, mo, d, hh, mm, ss, tz = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
        if tz and tz.upper() != "Z":
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "").ljust(4, "0")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if offset >= timedelta(hours=24):
                return None
            return dt.replace(tzinfo=timezone(sign * offset))
        return dt.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def earliest_capture(post: Post) -> datetime | None:
    """The earliest capture time among the post's sources."""
    times = [capture_time(s.timestamp) for s in [*post.sources, post.source] if s is not None]
    valid = [t for t in times if t is not None]
    return min(valid) if valid else None


def plausible(when: datetime | None, post: Post | None = None, now: datetime | None = None) -> bool:
    """Whether ``when`` can be a real publication date of ``post``."""
    if when is None:
        return False
    now = now or datetime.now(UTC)
    if when < EPOCH_FALLBACK or when > now + _SLACK:
        return False
    captured = earliest_capture(post) if post is not None else None
    return captured is None or when <= captured + _SLACK


def post_date(post: Post, now: datetime | None = None) -> PostDate:
    """The date exports use for ``post`` (see the module docstring for the fallback)."""
    published = parse_iso(post.published)
    if plausible(published, post, now):
        return PostDate(published, False, "published")  # type: ignore[arg-type]
    captured = earliest_capture(post)
    if captured is not None and plausible(captured, None, now):
        return PostDate(captured, True, "capture")
    return PostDate(EPOCH_FALLBACK, True, "fallback")


def updated_date(post: Post, date: PostDate, now: datetime | None = None) -> datetime:
    """The last-modified date: ``post.updated`` when plausible and not before ``date``."""
    updated = parse_iso(post.updated)
    if updated is None or updated < date.when or not plausible(updated, None, now):
        return date.when
    return updated


def wp_format(when: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` as WordPress stores dates."""
    return when.strftime("%Y-%m-%d %H:%M:%S")
