"""Local WARC and ARC files as an archive of their own: index them, read a record back.

A ``revisit`` record holds no body: it says "same as that earlier record". :func:`index_all`
resolves each revisit to the response it refers to (by ``WARC-Refers-To``, then
``WARC-Refers-To-Target-URI`` + ``-Date``, then URL and payload digest, then digest alone),
across every file given and in any order, so a snapshot's unchanged pages keep their date
while their bytes are read from the earlier file. A revisit nothing resolves is dropped.
What that takes of the WARC headers is collected while indexing: each file is read once.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from warcio.archiveiterator import ArchiveIterator

from recover.choice.capture import Capture

log = logging.getLogger(__name__)

REVISIT = "warc/revisit"  # the mimetype a revisit record is indexed under (as CDX servers do)


class WarcResponse(NamedTuple):
    """One HTTP response read back from a WARC record (a local file's, Common Crawl's)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def archive_name(path: Path) -> str:
    """How a local file is named as an archive in captures and sources."""
    return f"warc:{path}"


def _timestamp(warc_date: str) -> str:
    digits = "".join(ch for ch in warc_date if ch.isdigit())
    return digits[:14].ljust(14, "0")


class Damage(NamedTuple):
    """A stretch of a WARC file that could not be read, skipped to the next record."""

    path: Path
    offset: int  # where the last good record began (or 0)
    reason: str


def index(
    path: Path, damaged: list[Damage] | None = None, links: Links | None = None
) -> Iterator[Capture]:
    """Every HTTP response (and revisit) in a WARC/ARC file, gzipped or not.

    A damaged record (flipped bytes, a cut) is skipped: reading resumes at the next
    record's ``WARC/1.`` header (or gzip member holding one), so intact records after it
    are kept.  Each skip is logged and added to ``damaged``.  ``links`` collects what
    resolving revisits needs of each record's WARC headers, in the same pass.
    """
    name = archive_name(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        log.warning("%s: unreadable (%s)", path, exc.strerror or exc)
        if damaged is not None:
            damaged.append(Damage(path, 0, exc.strerror or str(exc)))
        return
    with fh:
        size = fh.seek(0, 2)
        start, retried = 0, False
        while True:
            last: int | None = None
            end = start
            try:
                fh.seek(start)
                records = ArchiveIterator(fh, arc2warc=True)
                for rec in records:
                    offset = records.get_record_offset()
                    cap = _capture(name, rec, offset)
                    last, end = offset, offset + records.get_record_length()
                    if cap is not None:
                        if links is not None:
                            links.add(cap, rec.rec_headers)
                        yield cap
                    retried = False
                fh.seek(end)
                if size - end <= 4 or not fh.read(64).strip():
                    return
                raise ValueError(f"{size - end} bytes after the last whole record")  # a cut
            except Exception as exc:  # warcio raises many kinds on damaged files
                reason = f"{type(exc).__name__}: {exc}"[:200]
                if not (retried and last is None):  # not the same damaged record again
                    log.warning(
                        "%s: damaged record after offset %d skipped (%s)", path, start, reason
                    )
                    if damaged is not None:
                        damaged.append(Damage(path, last if last is not None else start, reason))
                found = next_record(fh, (last if last is not None else start) + 1)
                if found is None:
                    return
                start, retried = found, True


def _capture(name: str, rec: object, offset: int) -> Capture | None:
    """The capture a WARC record holds (None for records that are not HTTP responses)."""
    rec_type = rec.rec_type  # type: ignore[attr-defined]
    if rec_type not in ("response", "revisit"):
        return None
    http = rec.http_headers  # type: ignore[attr-defined]
    if not http and rec_type == "response":
        return None
    warc = rec.rec_headers  # type: ignore[attr-defined]
    status = (http.get_statuscode() if http else "") or ""
    return Capture(
        archive=name,
        timestamp=_timestamp(warc.get_header("WARC-Date") or ""),
        original=warc.get_header("WARC-Target-URI") or "",
        mimetype=REVISIT
        if rec_type == "revisit"
        else ((http.get_header("Content-Type") if http else "") or "").split(";")[0],
        status=int(status) if status.isdigit() else None,
        digest=warc.get_header("WARC-Payload-Digest") or "",
        length=int(warc.get_header("Content-Length") or 0),
        location=str(offset),
    )


_GZIP = b"\x1f\x8b\x08"
_WARC = b"WARC/1."


def next_record(fh: BinaryIO, start: int, chunk: int = 1 << 20) -> int | None:
    """Offset of the first record that begins at or after ``start``, or None.

    A record begins with a ``WARC/1.`` line (at the file's start or after a newline), or,
    in a ``.warc.gz``, with a gzip member whose first bytes inflate to one.
    """
    pos = start
    while True:
        fh.seek(pos)
        data = fh.read(chunk + 16)
        if not data:
            return None
        for hit in sorted(_hits(data)):
            at = pos + hit
            if at >= start and _starts_record(fh, at):
                return at
        if len(data) <= chunk:
            return None
        pos += chunk


def _hits(data: bytes) -> Iterator[int]:
    for needle in (_GZIP, b"\n" + _WARC):
        i = data.find(needle)
        while i != -1:
            yield i + (1 if needle[0:1] == b"\n" else 0)
            i = data.find(needle, i + 1)


def _starts_record(fh: BinaryIO, at: int) -> bool:
    fh.seek(at)
    head = fh.read(512)
    if head.startswith(_WARC):
        return True
    if not head.startswith(_GZIP):
        return False
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16).startswith(_WARC)
    except zlib.error:
        return False


def read(cap: Capture) -> WarcResponse | None:
    """The HTTP response of a capture from :func:`index` (None if it can't be read)."""
    return read_at(Path(cap.archive.removeprefix("warc:")), int(cap.location or 0))


def read_at(path: Path, offset: int) -> WarcResponse | None:
    """The HTTP response of the record at ``offset`` of ``path`` (None if it can't be read)."""
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            for rec in ArchiveIterator(fh, arc2warc=True):
                headers = rec.http_headers
                status = headers.get_statuscode() if headers else ""
                return WarcResponse(
                    status=int(status) if status and status.isdigit() else 200,
                    headers=list(headers.headers) if headers else [],
                    body=rec.content_stream().read(),
                )
    except Exception as exc:  # warcio raises many kinds on damaged records
        log.warning("%s @%s: record unreadable, skipped (%s)", path, offset, exc)
    return None


@dataclass(frozen=True)
class _Ref:
    """What a revisit record refers to (read from its WARC headers)."""

    record_id: str
    target: str
    date: str


@dataclass
class Links:
    """What resolving revisits needs of the records' WARC headers, by (archive, offset):
    each response's record id, what each revisit refers to."""

    ids: dict[tuple[str, int], str] = field(default_factory=dict)
    refs: dict[tuple[str, int], _Ref] = field(default_factory=dict)

    def add(self, cap: Capture, warc: Any) -> None:
        at = (cap.archive, int(cap.location))
        if _is_revisit(cap):
            self.refs[at] = _Ref(
                warc.get_header("WARC-Refers-To") or "",
                warc.get_header("WARC-Refers-To-Target-URI") or "",
                _timestamp(warc.get_header("WARC-Refers-To-Date") or ""),
            )
        elif record_id := warc.get_header("WARC-Record-ID"):
            self.ids[at] = record_id


def resolve_revisits(by_file: dict[Path, list[Capture]], links: Links) -> dict[Path, list[Capture]]:
    """Each file's captures with every revisit replaced by the response it refers to.

    The resolved capture keeps the revisit's URL and time (the page still had those bytes
    then) and points at the original record, which may sit in another file: its
    ``archive`` names that file. Revisits whose original is in none of the files are
    dropped with one logged line per file.
    """
    responses = [c for caps in by_file.values() for c in caps if not _is_revisit(c)]
    if not any(_is_revisit(c) for caps in by_file.values() for c in caps):
        return by_file
    by_id: dict[str, Capture] = {}
    by_uri_date: dict[tuple[str, str], Capture] = {}
    by_uri_digest: dict[tuple[str, str], Capture] = {}
    by_digest: dict[str, Capture] = {}
    for cap in sorted(responses, key=lambda c: c.timestamp):  # newest wins below
        record_id = links.ids.get((cap.archive, int(cap.location)))
        if record_id:
            by_id[record_id] = cap
        by_uri_date[(cap.original, cap.timestamp)] = cap
        if cap.digest:
            by_uri_digest[(cap.original, cap.digest)] = cap
            by_digest[cap.digest] = cap
    out: dict[Path, list[Capture]] = {}
    for path, caps in by_file.items():
        kept, lost = [], 0
        for cap in caps:
            if not _is_revisit(cap):
                kept.append(cap)
                continue
            ref = links.refs.get((cap.archive, int(cap.location)), _Ref("", "", ""))
            original = (
                by_id.get(ref.record_id)
                or by_uri_date.get((ref.target, ref.date))
                or by_uri_digest.get((cap.original, cap.digest))
                or by_uri_digest.get((ref.target, cap.digest))
                or by_digest.get(cap.digest)
            )
            if original is None or (cap.digest and original.digest != cap.digest):
                lost += 1
                continue
            kept.append(
                Capture(
                    archive=original.archive,
                    timestamp=cap.timestamp,
                    original=cap.original,
                    mimetype=original.mimetype or cap.mimetype,
                    status=original.status,
                    digest=original.digest,
                    length=original.length,
                    location=original.location,
                )
            )
        if lost:
            log.warning("%s: %d revisit record(s) refer to no record given, skipped", path, lost)
        out[path] = kept
    return out


def index_all(
    paths: list[Path], damaged: list[Damage] | None = None
) -> Iterator[tuple[Path, list[Capture]]]:
    """Every file's captures (:func:`index`), revisits resolved across all of them."""
    links = Links()
    by_file = {path: list(index(path, damaged, links)) for path in paths}
    yield from resolve_revisits(by_file, links).items()


def _is_revisit(cap: Capture) -> bool:
    return cap.mimetype == REVISIT
