"""``--html DIR``: pages kept on disk as an archive of their own.

Three kinds are recognised: pages saved by a browser ("Save Page As", with a ``_files/``
folder and a ``<!-- saved from url=(NNNN)... -->`` comment), search-engine cache copies
(a "This is Google's cache of ..." block and a ``<base href>``), and wget mirrors
(``host/path/index.html``).  Each page's site URL is taken from, in order: its canonical
link, ``og:url``, the saved-from comment, ``<base href>`` (or the cache block's link), the
path under a folder named after the host.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
from dateutil import parser as dateparser

from recover.choice.capture import Capture
from recover.extract.charset import decode
from recover.urls import absolute, capture_timestamp, host_of, original_url

log = logging.getLogger(__name__)

HTML_EXT = (".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp", ".cgi")
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\((\d{1,5})\)(\S+?)\s*-->", re.I)
_CACHE_ID = re.compile(
    rb"<div\b[^>]*\bid=[\"']?[^\"'>]*(?:google-cache-hdr|cacheheader|cache_hdr|cache-hdr)", re.I
)
_CACHE_TEXT = re.compile(
    rb"(?:This is (?:Google|Bing|Yahoo!?)(?:&#39;|&#039;|'|&rsquo;|\xe2\x80\x99)s cache of"
    rb"|is the cached (?:copy|page) of|cached (?:copy|page|version) of)",
    re.I,
)
_CACHE_DATE = re.compile(
    rb"(?:appeared on|retrieved on|as of|snapshot taken on)\s+([^<>]{6,60}?)(?=\.\s|\.?<|\.?$)",
    re.I,
)
_CACHE_LINK = re.compile(rb"cache of\s*<a\b[^>]*\bhref=[\"']([^\"']+)[\"']", re.I)
_DIV = re.compile(rb"<(/?)div\b", re.I)
_HEAD_END = re.compile(rb"<base\b[^>]*>|<meta\b[^>]*>|<body\b[^>]*>", re.I)
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[:+]\d+)?$", re.I)


def archive_name(directory: Path) -> str:
    """How a folder of pages is named as an archive in captures and sources."""
    return f"html:{directory}"


def _is_html_file(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".orig") or name.startswith("."):
        return False
    base = name.split("?", 1)[0]
    if base.endswith(HTML_EXT) or name.endswith((".html", ".htm")):
        return True
    if "." in base:
        return False
    try:  # wget without --adjust-extension: sniff extensionless files
        with path.open("rb") as fh:
            head = fh.read(1024).lstrip().lower()
    except OSError:
        return False
    return head.startswith((b"<!doctype html", b"<html", b"<!--", b"<head"))


def _files(directory: Path) -> list[Path]:
    out: list[Path] = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.endswith("_files") and not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if path.is_file() and _is_html_file(path):
                out.append(path)
    return out


def cache_block(raw: bytes) -> tuple[int, int] | None:
    """Where a search engine's cache header sits in a page (start, end), or None."""
    m = _CACHE_ID.search(raw)
    if m:
        start = m.start()
    else:
        t = _CACHE_TEXT.search(raw, 0, 30000)
        if not t:
            return None
        before = raw[: t.start()]
        after_head = max((h.end() for h in _HEAD_END.finditer(before)), default=0)
        div = raw.find(b"<div", after_head, t.start())
        if div < 0:
            div = raw.lower().find(b"<div", after_head, t.start())
        if div < 0:
            return None
        start = div
    depth = 0
    for d in _DIV.finditer(raw, start):
        depth += -1 if d.group(1) else 1
        if depth == 0:
            end = raw.find(b">", d.end())
            return start, (end + 1 if end >= 0 else len(raw))
    return None


def _cache_timestamp(block: bytes) -> str | None:
    m = _CACHE_DATE.search(block)
    if not m:
        return None
    try:
        dt = dateparser.parse(m.group(1).decode("latin-1"), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y%m%d%H%M%S") if 1990 <= dt.year <= 2100 else None


def _saved_from(raw: bytes) -> str | None:
    m = _SAVED_FROM.search(raw, 0, 4096)
    if not m:
        return None
    url = m.group(2).decode("latin-1")
    size = int(m.group(1))
    if 0 < size <= len(url):  # the number is the URL's length; trust it when it fits
        url = url[:size]
    return None if url.lower().startswith(("about:", "file:")) else url


def _path_url(path: Path, directory: Path, host: str) -> str | None:
    """``http://<host folder>/<rest>`` for a page under a folder named after a host."""
    parts = path.relative_to(directory).parts
    for i, part in enumerate(parts[:-1]):
        if not _DOMAIN.match(part):
            continue
        if host and host_of(part.replace("+", ":")) != host:
            continue
        rest = list(parts[i + 1 :])
        name = rest[-1]
        if "?" in name and name.endswith(".html"):
            rest[-1] = name[: -len(".html")]  # wget -E appended it to a query
        return "http://" + part.replace("+", ":") + "/" + "/".join(rest)
    return None


def _head_links(text: str) -> tuple[list[str], list[str]]:
    """(canonical and og:url hrefs, base hrefs) of a page, in that order."""
    try:
        doc = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return [], []
    named: list[str] = []
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            named.append(link.get("href", "").strip())
    for meta in doc.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:url":
            if meta.get("content"):
                named.append(meta.get("content", "").strip())
    bases = [b.get("href", "").strip() for b in doc.iter("base") if b.get("href")]
    return named, bases


def _absolute(url: str, anchors: list[str]) -> str | None:
    url = original_url(url)
    if re.match(r"^https?://", url, re.I):
        return url
    if url.startswith("//"):
        return "http:" + url
    for anchor in anchors:
        if anchor:
            return absolute(url, anchor)
    return None


def _page(path: Path, directory: Path, host: str) -> Capture | None:
    try:
        raw = path.read_bytes()
        mtime = path.stat().st_mtime
    except OSError:
        return None
    block = cache_block(raw)
    cached = raw[block[0] : block[1]] if block else b""
    saved = _saved_from(raw)
    by_path = _path_url(path, directory, host)
    cache_link = _CACHE_LINK.search(cached)
    named, bases = _head_links(decode(raw[:500_000]))
    if cache_link:
        bases.append(cache_link.group(1).decode("latin-1"))
    anchors = [u for u in (saved, *bases, by_path) if u and re.match(r"^https?://", u, re.I)]
    candidates = [*named, *(u for u in (saved, *bases, by_path) if u)]
    original = None
    raw_url = ""
    for cand in candidates:
        try:
            url = _absolute(cand, anchors)
            if url and (host_of(url) == host if host else host_of(url)):
                original, raw_url = url, cand
                break
        except ValueError:  # "http://[": try the next candidate
            continue
    if original is None:
        return None
    ts = (
        _cache_timestamp(cached)
        or capture_timestamp(raw_url)
        or next((t for t in map(capture_timestamp, anchors) if t), None)
        or datetime.fromtimestamp(mtime, UTC).strftime("%Y%m%d%H%M%S")
    )
    return Capture(
        archive=archive_name(directory),
        timestamp=ts.ljust(14, "0")[:14],
        original=original,
        mimetype="text/html",
        status=200,
        length=len(raw),
        location=str(path),
        uri=path.as_uri(),
    )


def scan(directory: Path | str, host: str) -> list[Capture]:
    """Every saved page under ``directory`` whose site URL is on ``host`` (all hosts if "").

    ``archive`` is ``html:<dir>``, ``location`` the file's path, ``uri`` its ``file://``
    URI (unique, never fetched: read it with :func:`read`).
    """
    directory = Path(directory).resolve()
    host = host_of(host) if host else ""
    captures: list[Capture] = []
    skipped = 0
    for path in _files(directory):
        try:
            cap = _page(path, directory, host)
        except ValueError:  # a URL that cannot be split ("http://[")
            cap = None
        if cap is None:
            skipped += 1
        else:
            captures.append(cap)
    if skipped:
        log.info("%s: %d page(s) not from %s, skipped", directory, skipped, host or "a site")
    return captures


def read(capture: Capture) -> bytes:
    """The saved page's bytes, a search engine's cache header cut out (b"" if unreadable)."""
    return read_file(Path(capture.location))


def read_file(path: Path) -> bytes:
    """The bytes of the saved page at ``path``, its cache header cut out (b"" if unreadable)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.warning("%s: unreadable, skipped (%s)", path, exc)
        return b""
    block = cache_block(raw)
    return raw[: block[0]] + raw[block[1] :] if block else raw
