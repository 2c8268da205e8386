"""Dates as blogs print them, to ISO 8601 (keeping the offset when one is given)."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as dateparser

_ISO = re.compile(
    r"(?P<d>\d{4}-\d{2}-\d{2})(?:[T ](?P<t>\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*"
    r"(?:(?P<ap>[aApP])\.?[mM]\.?(?![a-zA-Z])\s*)?"
    r"\(?(?P<z>(?:Z|UTC|GMT)(?![a-zA-Z])|[+-]\d{2}:?\d{2})?\)?)?(?![\d])"
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = (
    r"(?:(?:\s*(?:,|at|@|-|\||\u2014|\u2013))?\s*\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:[+-]\d{2}:?\d{2}|UTC|GMT|Z)(?![a-z]))?)?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WORDY = re.compile(
    rf"(?:{_MONTHS}\s+{_DAY},?\s+\d{{4}}|{_DAY}\.?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}|"
    rf"\d{{4}}\s*/\s*\d{{1,2}}\s*/\s*\d{{1,2}}|\d{{4}}\.\d{{1,2}}\.\d{{1,2}}|"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])(?:/(0?[1-9]|[12]\d|3[01]))?(?=/)")
_URL_FLAT = re.compile(r"/((?:19|20)\d{2})[_-](0[1-9]|1[0-2])[_-](0[1-9]|[12]\d|3[01])[_/-]")


def _iso(dt: datetime, has_time: bool) -> str:
    if not has_time:
        return dt.strftime("%Y-%m-%d")
    return dt.isoformat(timespec="seconds")


def parse_date(text: str | None) -> str | None:
    """The first date (and time, and offset) in ``text`` as ISO 8601, or None."""
    if not text:
        return None
    text = " ".join(str(text).split())[:300]
    m = _ISO.search(text)
    if m:
        return _from_iso(m)
    m = _WORDY.search(text)
    if m:
        phrase = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", m.group(0), flags=re.IGNORECASE)
        phrase = re.sub(r"\s(at|@|\||\u2014|\u2013|of)\s", " ", phrase, flags=re.IGNORECASE)
        try:
            dt = dateparser.parse(phrase, fuzzy=True)
        except (ValueError, OverflowError):
            return None
        if dt is None or not 1990 <= dt.year <= 2100:
            return None
        has_time = bool(re.search(r"\d[:.]\d{2}", phrase.split(str(dt.year), 1)[-1]))
        return _iso(dt, has_time)
    return None


def _from_iso(m: re.Match[str]) -> str | None:
    day, time, zone = m.group("d"), m.group("t"), m.group("z")
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        return None
    if not time:
        return day
    if len(time) <= 5:
        time += ":00"
    if m.group("ap"):  # "2011-02-07 01:02 pm (UTC)", as LiveJournal prints comment times
        hour = int(time.split(":")[0]) % 12 + (12 if m.group("ap").lower() == "p" else 0)
        time = f"{hour}:{time.split(':', 1)[1]}"
    if len(time.split(":")[0]) == 1:
        time = "0" + time
    if zone in ("Z", "UTC", "GMT"):
        zone = "+00:00"
    elif zone and ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    return f"{day}T{time}{zone or ''}"


def date_from_url(url: str) -> str | None:
    """``YYYY-MM-DD`` from a dated permalink (``/2008/10/31/slug``), day 01 if absent."""
    m = _URL_DATE.search(url or "") or _URL_FLAT.search(url or "")
    if not m:
        return None
    year, month, day = m.group(1), int(m.group(2)), int(m.group(3) or 1)
    try:
        return datetime(int(year), month, day).strftime("%Y-%m-%d")
    except ValueError:
        return None


def from_capture(timestamp: str | None) -> str | None:
    """ISO 8601 (UTC) from a 14-digit capture timestamp."""
    if not timestamp or not re.fullmatch(r"\d{8,14}", timestamp):
        return None
    ts = timestamp.ljust(14, "0")
    try:
        dt = datetime.strptime(ts, "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return dt.isoformat(timespec="seconds") + "+00:00"
