"""The WARC file one snapshot writes: records go to a hidden ``.part`` file, renamed when done."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recover.snapshot.capture import SavedRecord, payload_digest

PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.0/revisit/server-not-modified"
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"
PART_SUFFIX = ".part"

Headers = list[tuple[str, str]]


def warc_date(when: datetime | None = None) -> str:
    """A WARC/1.0 date: ISO 8601 in UTC, to the second."""
    return (when or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def part_path(path: Path) -> Path:
    """Where ``path`` is written until :meth:`SnapshotWarc.commit` renames it."""
    return path.with_name("." + path.name + PART_SUFFIX)


class SnapshotWarc:
    """A gzipped WARC written record by record, published under its name only when complete."""

    def __init__(self, path: Path, info: dict[str, str]) -> None:
        self.path = path
        self.part = part_path(path)
        self._fh = open(self.part, "wb")  # noqa: SIM115 - closed by commit() or abort()
        self._writer = WARCWriter(self._fh, gzip=True)
        self.records = 0
        self._write(self._writer.create_warcinfo_record(path.name, info))

    def _write(self, record) -> int:
        offset = self._fh.tell()
        self._writer.write_record(record)
        self.records += 1
        return offset

    def _request(
        self, url: str, date: str, concurrent_to: str, line: str, headers: Headers
    ) -> None:
        http = StatusAndHeaders(line, headers, is_http_request=True)
        record = self._writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            length=0,
            http_headers=http,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
        )
        self._write(record)

    def write_exchange(
        self,
        url: str,
        *,
        status_line: str,
        headers: Headers,
        body: bytes,
        request_line: str,
        request_headers: Headers,
        protocol: str = "HTTP/1.1",
        date: str | None = None,
        ip: str | None = None,
    ) -> SavedRecord:
        """Write a response record and its request record; return where the response is."""
        date = date or warc_date()
        warc_headers = {"WARC-Date": date}
        if ip:
            warc_headers["WARC-IP-Address"] = ip
        http = StatusAndHeaders(status_line, headers, protocol=protocol)
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        offset = self._write(record)
        self._request(url, date, record_id, request_line, request_headers)
        return SavedRecord(
            url=url,
            warc=self.path.name,
            offset=offset,
            date=date,
            record_id=record_id,
            digest=record.rec_headers.get_header("WARC-Payload-Digest") or payload_digest(body),
            status=int(status_line.split()[0]),
            content_type=http.get_header("Content-Type") or "",
        )

    def write_revisit(
        self,
        url: str,
        refers_to: SavedRecord,
        *,
        profile: str,
        status_line: str,
        headers: Headers,
        request_line: str,
        request_headers: Headers,
        protocol: str = "HTTP/1.1",
        date: str | None = None,
    ) -> None:
        """Write a revisit record (and its request) pointing at an earlier full capture.

        An identical-payload-digest revisit keeps the response's headers. A
        server-not-modified one has an empty block: pywb (and wabac.js) replay a revisit with
        the headers in its block, so a ``304`` block would replay as "304 Not Modified"; with
        none they take the earlier capture's headers and payload, which is what the 304 meant.
        """
        date = date or warc_date()
        http = StatusAndHeaders(status_line, headers, protocol=protocol)
        if profile == PROFILE_NOT_MODIFIED:
            http = None
        record = self._writer.create_revisit_record(
            url,
            digest=refers_to.digest,
            refers_to_uri=refers_to.url,
            refers_to_date=refers_to.date,
            http_headers=http,
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": refers_to.record_id},
        )
        record.rec_headers.replace_header("WARC-Profile", profile)
        self._write(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        self._request(url, date, record_id, request_line, request_headers)

    def commit(self) -> Path:
        """Flush, sync and rename to the final name; the WARC is complete from now on."""
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self.part, self.path)
        return self.path

    def abort(self) -> None:
        """Close and delete the partial file."""
        if not self._fh.closed:
            self._fh.close()
        self.part.unlink(missing_ok=True)
