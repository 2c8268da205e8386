"""Common Crawl: its pywb CDX index per crawl, and single WARC records fetched by byte range.

The index (``https://index.commoncrawl.org/<crawl>-index?url=...&output=json``) answers
one JSON object a line naming the WARC file, offset and length of each capture; the record
itself is one gzip member at that range of ``https://data.commoncrawl.org/<filename>``.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zlib
from typing import Any
from urllib.parse import urlencode, urlsplit

from warcio.archiveiterator import ArchiveIterator

from recover.choice.capture import Capture
from recover.discovery.warcfile import WarcResponse

log = logging.getLogger(__name__)

INDEX_BASE = "https://index.commoncrawl.org"
DATA_BASE = "https://data.commoncrawl.org"
_TS = re.compile(r"^\d{4,14}$")
_CRAWL = re.compile(r"(CC-MAIN-\d{4}-\d{2})")


def index_query_url(
    index_base: str,
    crawl_id: str,
    host: str,
    *,
    page: int | None = None,
    show_num_pages: bool = False,
) -> str:
    """The index query for every capture under ``host`` in one crawl (``CC-MAIN-2015-11``).

    ``show_num_pages=True`` asks how many pages the answer has (see :func:`parse_num_pages`);
    ``page=N`` fetches one of them.
    """
    base = (index_base or INDEX_BASE).strip().rstrip("/")
    if not re.match(r"^https?://", base, re.I):
        base = "https://" + base
    crawl = crawl_id.strip().removesuffix("-index")
    params: list[tuple[str, str]] = [
        ("url", f"{host}/"),
        ("matchType", "prefix"),
        ("output", "json"),
    ]
    if show_num_pages:
        params.append(("showNumPages", "true"))
    elif page is not None:
        params.append(("page", str(page)))
    return f"{base}/{crawl}-index?{urlencode(params)}"


def parse_num_pages(text: str) -> int:
    """Pages in a ``showNumPages=true`` answer (``{"pages": N, ...}``); 1 when unreadable."""
    try:
        data = json.loads(text)
        return max(1, int(data.get("pages", 1)))
    except (ValueError, TypeError, AttributeError):
        return 1


def collinfo_crawls(text: str) -> list[str]:
    """Crawl ids (newest first, as listed) from ``collinfo.json``; [] when unreadable."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    out: list[str] = []
    for item in data:
        if isinstance(item, dict):
            cid = str(item.get("id") or "").strip()
            if not cid:
                m = _CRAWL.search(str(item.get("cdx-api") or ""))
                cid = m.group(1) if m else ""
            if cid and cid not in out:
                out.append(cid)
    return out


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _record(line: str) -> dict[str, Any] | None:
    """One index line: a JSON object, or CDXJ (``urlkey timestamp {json}``)."""
    line = line.strip()
    if not line.startswith("{"):
        parts = line.split(" ", 2)
        if len(parts) < 3 or not parts[2].startswith("{"):
            return None
        line, ts = parts[2], parts[1]
    else:
        ts = None
    try:
        obj = json.loads(line)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    if ts and "timestamp" not in obj:
        obj["timestamp"] = ts
    return obj


def index_captures(text: str, data_base: str = DATA_BASE) -> list[Capture]:
    """Captures from an index answer; lines without a usable location are skipped.

    ``archive`` is ``cc:<crawl id>``, ``location`` ``"<filename> <offset> <length>"`` and
    ``uri`` ``<data_base>/<filename>#<first>-<last>`` (the byte range as a fragment keeps
    each capture's address unique; it is never sent: fetch with :func:`range_header`).
    """
    base = (data_base or DATA_BASE).strip().rstrip("/")
    captures: list[Capture] = []
    bad = 0
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        rec = _record(line)
        cap = _capture(rec, base) if rec is not None else None
        if cap is None:
            bad += 1
        else:
            captures.append(cap)
    if bad:
        log.info("Common Crawl index: %d unreadable line(s) skipped", bad)
    return captures


def _capture(rec: dict[str, Any], base: str) -> Capture | None:
    ts = str(rec.get("timestamp") or "")
    url = str(rec.get("url") or rec.get("original") or "")
    filename = str(rec.get("filename") or "").strip().lstrip("/")
    offset, length = _int(rec.get("offset")), _int(rec.get("length"))
    if not _TS.match(ts) or not url or not filename or " " in filename:
        return None
    try:
        if not urlsplit(url if "//" in url else "http://" + url).hostname:
            return None
    except ValueError:  # "http://[" and other unsplittable URLs
        return None
    if offset is None or length is None or offset < 0 or length <= 0:
        return None
    status = str(rec.get("status") or rec.get("statuscode") or "")
    crawl = _CRAWL.search(filename)
    return Capture(
        archive=f"cc:{crawl.group(1) if crawl else base}",
        timestamp=ts.ljust(14, "0"),
        original=url,
        mimetype=str(rec.get("mime") or rec.get("mimetype") or ""),
        status=int(status) if status.isdigit() else None,
        digest=str(rec.get("digest") or ""),
        length=length,
        location=f"{filename} {offset} {length}",
        uri=f"{base}/{filename}#{offset}-{offset + length - 1}",
    )


def _where(capture: Capture) -> tuple[str, int, int]:
    filename, offset, length = capture.location.rsplit(" ", 2)
    return filename, int(offset), int(length)


def is_commoncrawl(capture: Capture) -> bool:
    """True for a capture from :func:`index_captures` (fetch it by range)."""
    return capture.archive.startswith("cc:") and capture.location.count(" ") >= 2


def data_url(capture: Capture) -> str:
    """The WARC file's URL, without the range fragment."""
    return capture.uri.split("#", 1)[0]


def range_header(capture: Capture) -> str:
    """``bytes=<offset>-<offset+length-1>`` for a capture from :func:`index_captures`.

    Raises ValueError when the capture has no ``"<file> <offset> <length>"`` location.
    """
    _, offset, length = _where(capture)
    if offset < 0 or length <= 0:
        raise ValueError(f"not a byte range: {capture.location!r}")
    return f"bytes={offset}-{offset + length - 1}"


def _complete(body: bytes) -> bytes | None:
    """The WARC bytes of a whole record: one gzip member inflated, or plain bytes as given."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflate.decompress(body)
    except zlib.error:
        return None
    return data if inflate.eof else None


def parse_record(body: bytes) -> WarcResponse | None:
    """``(status, headers, payload)`` of the HTTP response in one WARC record.

    Garbage, a truncated record, or a record that holds no response (revisit, request,
    metadata) gives None.  Chunked and compressed payloads are decoded.
    """
    if not body:
        return None
    data = _complete(body)
    if not data or not data.startswith((b"WARC/", b"warc/")):
        return None
    try:
        for rec in ArchiveIterator(io.BytesIO(data)):
            declared = _int(rec.rec_headers.get_header("Content-Length"))
            head = data.find(b"\r\n\r\n")
            if declared is None or head < 0 or len(data) < head + 4 + declared:
                return None  # cut short
            if rec.rec_type != "response" or not rec.http_headers:
                return None
            code = rec.http_headers.get_statuscode() or ""
            if not code.isdigit():
                return None
            payload = rec.content_stream().read()
            return WarcResponse(int(code), list(rec.http_headers.headers), payload)
    except Exception as exc:  # warcio raises many kinds on hostile input
        log.debug("Common Crawl record unreadable: %s", exc)
    return None
