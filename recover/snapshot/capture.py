"""Where one fetched page's bytes live: a WARC file in the snapshots folder and an offset."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator


@dataclass
class SavedRecord:
    """One response record: enough to point a revisit at it and to read it back."""

    url: str
    warc: str  # file name inside the snapshots folder
    offset: int  # byte offset of the record in that file
    date: str  # its WARC-Date (ISO 8601, UTC)
    record_id: str  # its WARC-Record-ID
    digest: str  # its WARC-Payload-Digest ("sha1:BASE32")
    status: int = 200
    content_type: str = ""

    @property
    def timestamp(self) -> str:
        """The 14-digit timestamp (YYYYMMDDhhmmss) of :attr:`date`."""
        return "".join(ch for ch in self.date if ch.isdigit())[:14]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SavedRecord:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of ``body`` (``sha1:`` and base32, as warcio writes it)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def read_capture(folder: Path, capture: SavedRecord) -> tuple[list[tuple[str, str]], bytes]:
    """The HTTP headers and the payload of ``capture``, read back from its WARC."""
    with open(folder / capture.warc, "rb") as fh:
        fh.seek(capture.offset)
        for record in ArchiveIterator(fh):
            headers = record.http_headers.headers if record.http_headers else []
            return list(headers), record.content_stream().read()
    raise FileNotFoundError(f"no record at {capture.warc}:{capture.offset}")
