"""Revisit records resolved to the response they refer to, across WARC files given in any order.

Three snapshot-like WARCs built with warcio: the first holds full responses; the second an
identical-payload revisit (with ``WARC-Refers-To``) and an edited page; the third a
server-not-modified revisit with no HTTP block, and one whose only clue is the digest.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recover.discovery import warcfile

SITE = "http://blog.example.com"
A, B, C = f"{SITE}/2020/01/a/", f"{SITE}/2020/02/b/", f"{SITE}/2020/03/c/"


def _http(body: bytes) -> StatusAndHeaders:
    return StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )


class Writer:
    def __init__(self, path: Path) -> None:
        self.fh = path.open("wb")
        self.w = WARCWriter(self.fh, gzip=True)

    def response(self, url: str, body: bytes, date: str) -> dict[str, str]:
        rec = self.w.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=_http(body),
            warc_headers_dict={"WARC-Date": date},
        )
        self.w.write_record(rec)
        h = rec.rec_headers
        return {
            "id": h.get_header("WARC-Record-ID"),
            "digest": h.get_header("WARC-Payload-Digest"),
            "url": url,
            "date": date,
        }

    def revisit(self, url: str, ref: dict[str, str], date: str, *, http: bool, ids: bool):
        extra = {"WARC-Date": date}
        if ids:
            extra["WARC-Refers-To"] = ref["id"]
        rec = self.w.create_revisit_record(
            url,
            digest=ref["digest"],
            refers_to_uri=ref["url"],
            refers_to_date=ref["date"],
            http_headers=_http(b"") if http else None,
            warc_headers_dict=extra,
        )
        if not ids:
            rec.rec_headers.remove_header("WARC-Refers-To-Target-URI")
            rec.rec_headers.remove_header("WARC-Refers-To-Date")
        self.w.write_record(rec)

    def close(self) -> None:
        self.fh.close()


def build(tmp: Path) -> list[Path]:
    paths = [tmp / "s-1.warc.gz", tmp / "s-2.warc.gz", tmp / "s-3.warc.gz"]
    one = Writer(paths[0])
    a1 = one.response(
        A, b"<html><body><p>A as first written</p></body></html>", "2024-01-01T00:00:00Z"
    )
    one.response(B, b"<html><body><p>B before the edit</p></body></html>", "2024-01-01T00:00:01Z")
    c1 = one.response(
        C, b"<html><body><p>C never changes</p></body></html>", "2024-01-01T00:00:02Z"
    )
    one.close()
    two = Writer(paths[1])
    two.revisit(A, a1, "2024-01-02T00:00:00Z", http=True, ids=True)
    b2 = two.response(
        B, b"<html><body><p>B after the edit</p></body></html>", "2024-01-02T00:00:01Z"
    )
    two.close()
    three = Writer(paths[2])
    three.revisit(A, a1, "2024-01-03T00:00:00Z", http=False, ids=True)  # a 304: no HTTP block
    three.revisit(B, b2, "2024-01-03T00:00:01Z", http=False, ids=True)
    three.revisit(C, c1, "2024-01-03T00:00:02Z", http=True, ids=False)  # digest alone
    three.close()
    return paths


def newest_bodies(pairs) -> dict[str, tuple[str, bytes]]:
    best: dict[str, tuple[str, bytes]] = {}
    for _, caps in pairs:
        for cap in caps:
            record = warcfile.read(cap)
            assert record is not None and record.status == 200, cap
            if cap.original not in best or cap.timestamp > best[cap.original][0]:
                best[cap.original] = (cap.timestamp, record.body)
    return best


def test_revisits_resolve_across_files_in_any_order(tmp_path: Path) -> None:
    paths = build(tmp_path)
    for order in (paths, paths[::-1], [paths[2], paths[0], paths[1]]):
        pairs = list(warcfile.index_all(order))
        caps = [c for _, caps in pairs for c in caps]
        assert len(caps) == 8  # 4 responses, 4 revisits: none dropped
        assert not any(c.mimetype == warcfile.REVISIT for c in caps)
        best = newest_bodies(pairs)
        assert best[A] == ("20240103000000", b"<html><body><p>A as first written</p></body></html>")
        assert best[B] == ("20240103000001", b"<html><body><p>B after the edit</p></body></html>")
        assert best[C] == ("20240103000002", b"<html><body><p>C never changes</p></body></html>")


def test_revisit_without_its_original_is_dropped(tmp_path: Path) -> None:
    paths = build(tmp_path)
    pairs = dict(warcfile.index_all([paths[2]]))  # the originals are not given
    assert pairs[paths[2]] == []


def test_each_file_is_read_once_and_the_record_id_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``WARC-Refers-To`` names the original even when the same payload stands under other
    URLs (the digest alone would pick the newest of them), and what it takes is read while
    indexing: one pass over each file, however many revisits."""
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    body = b"<html><body><p>the same bytes</p></body></html>"
    one = Writer(first)
    x = one.response(A, body, "2024-01-01T00:00:00Z")
    one.response(B, body, "2024-01-02T00:00:00Z")  # same payload, newer, another URL
    one.close()
    two = Writer(second)
    two.revisit(C, {**x, "url": "", "date": ""}, "2024-01-03T00:00:00Z", http=True, ids=True)
    two.close()
    reads: list[str] = []
    real = warcfile.ArchiveIterator

    def counted(fh, *args, **kwargs):
        reads.append(fh.name)
        return real(fh, *args, **kwargs)

    monkeypatch.setattr(warcfile, "ArchiveIterator", counted)
    pairs = dict(warcfile.index_all([first, second]))
    assert sorted(reads) == sorted([str(first), str(second)])
    (resolved,) = pairs[second]
    originals = {c.original: c for c in pairs[first]}
    assert (resolved.original, resolved.timestamp) == (C, "20240103000000")
    assert resolved.location == originals[A].location != originals[B].location
