"""Memento (RFC 7089) TimeMaps: every copy of one URL an archive or aggregator knows of.

A TimeMap is ``application/link-format`` text: ``<uri>; rel="..."; datetime="..."``
entries separated by commas.  Entries whose ``rel`` holds ``memento`` (``first memento``,
``last memento``, ``prev memento``...) become captures; ``rel="original"`` names the URL;
``rel="timemap"`` links (other than ``self``) are further pages for the crawler to follow.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from recover.choice.capture import Capture
from recover.discovery.cdx import replay_prefix
from recover.urls import original_url

log = logging.getLogger(__name__)

# archive.today's mirrors: no raw (``id_``) replay, TimeMaps at ``/timemap/<url>``
ARCHIVE_TODAY = (
    "archive.today",
    "archive.ph",
    "archive.is",
    "archive.md",
    "archive.li",
    "archive.vn",
    "archive.fo",
)
# ``<uri>`` then its parameters up to the next ``<`` outside quotes
_LINK = re.compile(r'<([^<>\s]*)>((?:[^<"]|"[^"]*")*)')
_PARAM = re.compile(r'\s*;\s*([\w.*-]+)\s*(?:=\s*(?:"([^"]*)"|([^;,\s"]*)))?')
# a Wayback-style memento: <prefix><14 digits><modifier>/<original url>
_WAYBACK = re.compile(r"^(https?://[^/?#]+(?:/[^/?#]*)*?/)(\d{14})(?:[a-z]{2}_)?/+(\S+)$", re.I)


@dataclass(frozen=True)
class TimeMap:
    """What one TimeMap response held."""

    captures: list[Capture]
    original: str | None  # the rel="original" URL
    next_timemaps: list[str]  # more TimeMap pages to fetch (never ``self``)
    bad_entries: int


def is_archive_today(url: str) -> bool:
    """True for archive.today and its mirror domains."""
    try:
        host = (urlsplit(url if "//" in url else "https://" + url).hostname or "").lower()
    except ValueError:  # "http://[" and other unsplittable URLs
        return False
    return any(host == h or host.endswith("." + h) for h in ARCHIVE_TODAY)


def timemap_url(archive_or_timemap_prefix: str, url: str) -> str:
    """The link-format TimeMap of ``url``.

    ``archive.ph`` (any archive.today mirror) → ``https://archive.ph/timemap/<url>``; a
    prefix that already holds ``/timemap/`` (an aggregator such as
    ``http://timetravel.mementoweb.org/timemap/link/``) gets ``url`` appended; any other
    Wayback-style replay prefix (pywb ``http://host/<coll>/``, ``web.archive.org``) →
    ``<prefix>timemap/link/<url>``.
    """
    given = archive_or_timemap_prefix.strip()
    if is_archive_today(given):
        parts = urlsplit(given if "//" in given else "https://" + given)
        return f"{parts.scheme}://{parts.netloc}/timemap/{url}"
    if "/timemap/" in given.lower():
        if not re.match(r"^https?://", given, re.I):
            given = "https://" + given
        return given.rstrip("/") + "/" + url
    return replay_prefix(given) + "timemap/link/" + url


def _timestamp(http_date: str) -> str | None:
    """A 14-digit UTC timestamp from an RFC 1123 date (None when unreadable)."""
    try:
        dt = parsedate_to_datetime(http_date.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    if not 1990 <= dt.year <= 2999:
        return None
    return dt.strftime("%Y%m%d%H%M%S")


def raw_memento(uri: str) -> str:
    """The raw (``id_``) form of a Wayback-style memento URI; others unchanged."""
    m = _WAYBACK.match(uri)
    if not m or is_archive_today(uri):
        return uri
    return f"{m.group(1)}{m.group(2)}id_/{m.group(3)}"


def _links(text: str) -> tuple[list[tuple[str, dict[str, str]]], int]:
    """(uri, params) per link, and how many stretches of text were not links."""
    links: list[tuple[str, dict[str, str]]] = []
    bad = 0
    pos = 0
    for m in _LINK.finditer(text):
        if text[pos : m.start()].strip(" \t\r\n,"):
            bad += 1
        pos = m.end()
        params: dict[str, str] = {}
        rest = m.group(2).rstrip(" \t\r\n,")
        at = 0
        while at < len(rest):
            p = _PARAM.match(rest, at)
            if not p or p.end() == at:
                bad += 1  # trailing garbage: keep what was read
                break
            name = p.group(1).lower()
            params.setdefault(name, p.group(2) if p.group(2) is not None else p.group(3) or "")
            at = p.end()
        links.append((m.group(1).strip(), params))
    if text[pos:].strip(" \t\r\n,"):
        bad += 1
    return links, bad


def parse_timemap(text: str, archive: str, *, url: str | None = None) -> TimeMap:
    """Read a link-format TimeMap; never raises, unreadable entries are counted.

    ``archive`` names the source in each capture unless a memento is Wayback-style, in
    which case its own replay prefix is used (an aggregator lists many archives).
    ``url`` is the TimeMap that was fetched, left out of ``next_timemaps``.
    """
    links, bad = _links(text or "")
    original = next(
        (u for u, p in links if "original" in p.get("rel", "").lower().split() and u), None
    )
    captures: list[Capture] = []
    pages: list[str] = []
    seen: set[str] = set()
    for uri, params in links:
        rels = params.get("rel", "").lower().split()
        if "memento" in rels:
            try:
                cap = _capture(uri, params, archive, original)
            except ValueError:  # an unsplittable URI
                cap = None
            if cap is None:
                bad += 1
            elif cap.uri not in seen:
                seen.add(cap.uri)
                captures.append(cap)
        elif "timemap" in rels and "self" not in rels and uri and uri != url:
            if uri not in pages:
                pages.append(uri)
        elif not rels or not uri:
            bad += 1
    if bad:
        log.info("TimeMap from %s: %d unreadable entr(y/ies) skipped", archive, bad)
    return TimeMap(captures=captures, original=original, next_timemaps=pages, bad_entries=bad)


def _fetchable(url: str) -> bool:
    """An absolute http(s) URL with a host that splits cleanly."""
    if not re.match(r"^https?://\S+$", url, re.I):
        return False
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:
        return False


def _capture(
    uri: str, params: dict[str, str], archive: str, original: str | None
) -> Capture | None:
    if not _fetchable(uri):
        return None
    m = _WAYBACK.match(uri)
    ts = _timestamp(params["datetime"]) if params.get("datetime") else None
    if m and not ts:
        ts = m.group(2)
    if not ts:
        return None
    site = original_url(uri) if m else ""
    site = site if site and site != uri else (original or "")
    if not site or not _fetchable(site):
        return None
    if is_archive_today(uri):
        parts = urlsplit(uri)
        archive = f"{parts.scheme}://{parts.netloc}/"
    elif m:
        archive = m.group(1)
    return Capture(
        archive=archive,
        timestamp=ts,
        original=site,
        mimetype=params.get("type", ""),
        status=None,  # TimeMaps do not say; ranking treats None as worth a try
        uri=raw_memento(uri),
    )
