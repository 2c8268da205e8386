"""Local WARC and ARC files as an archive of their own: index them, read a record back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from recover.choice.capture import Capture

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Record:
    """One HTTP response read back from a WARC."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def archive_name(path: Path) -> str:
    """How a local file is named as an archive in captures and sources."""
    return f"warc:{path}"


def _timestamp(warc_date: str) -> str:
    digits = "".join(ch for ch in warc_date if ch.isdigit())
    return digits[:14].ljust(14, "0")


def index(path: Path) -> Iterator[Capture]:
    """Every HTTP response (and revisit) in a WARC/ARC file, gzipped or not.

    A corrupt or truncated file ends the listing with one logged line; what was read
    before the damage is kept.
    """
    name = archive_name(path)
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh, arc2warc=True)
            for rec in records:
                if rec.rec_type not in ("response", "revisit") or not rec.http_headers:
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                status = rec.http_headers.get_statuscode() or ""
                yield Capture(
                    archive=name,
                    timestamp=_timestamp(rec.rec_headers.get_header("WARC-Date") or ""),
                    original=uri,
                    mimetype=(rec.http_headers.get_header("Content-Type") or "").split(";")[0],
                    status=int(status) if status.isdigit() else None,
                    digest=rec.rec_headers.get_header("WARC-Payload-Digest") or "",
                    length=int(rec.rec_headers.get_header("Content-Length") or 0),
                    location=str(records.get_record_offset()),
                )
    except Exception as exc:  # warcio raises many kinds on damaged files
        log.warning("%s: unreadable past this point, skipped (%s)", path, exc)


def read(cap: Capture) -> Record | None:
    """The HTTP response of a capture from :func:`index` (None if it can't be read)."""
    path = Path(cap.archive.removeprefix("warc:"))
    try:
        with path.open("rb") as fh:
            fh.seek(int(cap.location or 0))
            for rec in ArchiveIterator(fh, arc2warc=True):
                headers = rec.http_headers
                status = headers.get_statuscode() if headers else ""
                return Record(
                    status=int(status) if status and status.isdigit() else 200,
                    headers=list(headers.headers) if headers else [],
                    body=rec.content_stream().read(),
                )
    except Exception as exc:  # warcio raises many kinds on damaged records
        log.warning("%s @%s: record unreadable, skipped (%s)", path, cap.location, exc)
    return None
