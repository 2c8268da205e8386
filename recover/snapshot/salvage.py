"""What a killed snapshot leaves: a ``.part`` WARC whose last record may be cut short.

Each record is one gzip member, so the file is whole up to the end of its last complete
member. :func:`whole_records` cuts it there; :func:`captures_in` lists what it holds so the
next run resumes instead of asking for those pages again.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from recover.snapshot.capture import SavedRecord

log = logging.getLogger(__name__)
CHUNK = 1 << 20


def whole_records(path: Path) -> int:
    """Cut ``path`` after its last complete gzip member; return how many members remain."""
    end = count = 0
    with open(path, "rb") as fh:
        offset = 0
        pending = b""
        while True:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            data = pending or fh.read(CHUNK)
            used = 0
            ok = False
            while data:
                try:
                    d.decompress(data)
                except zlib.error:
                    data = b""
                    break
                if d.eof:
                    used += len(data) - len(d.unused_data)
                    pending = d.unused_data
                    ok = True
                    break
                used += len(data)
                data = fh.read(CHUNK)
            if not ok:
                break
            offset += used
            end, count = offset, count + 1
            if not pending:
                pending = fh.read(CHUNK)
                if not pending:
                    break
    if end < path.stat().st_size:
        log.info("%s: cut after %d whole record(s) at byte %d", path, count, end)
        with open(path, "r+b") as fh:
            fh.truncate(end)
            fh.flush()
            os.fsync(fh.fileno())
    return count


def captures_in(path: Path) -> Iterator[tuple[SavedRecord, tuple[str | None, str | None]]]:
    """Each response or revisit of ``path`` as a capture, with its ETag and Last-Modified."""
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for rec in records:
            if rec.rec_type not in ("response", "revisit"):
                continue
            h = rec.rec_headers
            http = rec.http_headers
            status = http.get_statuscode() if http else ""
            yield (
                SavedRecord(
                    url=h.get_header("WARC-Target-URI") or "",
                    warc=path.name,
                    offset=records.get_record_offset(),
                    date=h.get_header("WARC-Date") or "",
                    record_id=h.get_header("WARC-Record-ID") if rec.rec_type == "response" else "",
                    digest=h.get_header("WARC-Payload-Digest") or "",
                    status=int(status) if status and status.isdigit() else 0,
                    content_type=(http.get_header("Content-Type") if http else "") or "",
                ),
                (
                    http.get_header("ETag") if http else None,
                    http.get_header("Last-Modified") if http else None,
                ),
            )
