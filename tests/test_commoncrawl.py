"""Common Crawl: index queries and answers, byte-range WARC records from a loopback server."""

from __future__ import annotations

import gzip
import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from surt import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recover.discovery.commoncrawl import (
    collinfo_crawls,
    data_url,
    index_captures,
    index_query_url,
    is_commoncrawl,
    parse_num_pages,
    parse_record,
    range_header,
)
from recover.urls import host_of

CRAWL = "CC-MAIN-2015-11"
FILENAME = f"crawl-data/{CRAWL}/segments/1424936461359.90/warc/{CRAWL}-00001.warc.gz"
POST = "http://blog.example.com/2015/03/01/spring/"
PAGES: dict[str, tuple[bytes, list[tuple[str, str]]]] = {
    POST: (b"<html><body><h1>Spring</h1><p>Buds.</p></body></html>", []),
    "http://blog.example.com/2015/02/01/winter/": (
        b"<html><body><h1>Winter</h1><p>Snow, caf\xc3\xa9.</p></body></html>",
        [("Content-Encoding", "gzip")],
    ),
    "http://blog.example.com/2015/01/01/chunked/": (
        b"<html><body><h1>Chunked</h1></body></html>",
        [("Transfer-Encoding", "chunked")],
    ),
    "http://other.example.org/": (b"<html>not ours</html>", []),
}


def _chunked(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data)


def _write_warc(path: Path) -> None:
    """A Common Crawl-like WARC: warcinfo, then request/response pairs, one gzip member each."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i, (url, (body, extra)) in enumerate(PAGES.items()):
            date = f"2015-03-0{i + 1}T12:00:00Z"
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", host_of(url))], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "request",
                    payload=BytesIO(b""),
                    http_headers=req,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
            payload = body
            if ("Content-Encoding", "gzip") in extra:
                payload = gzip.compress(body)
            if ("Transfer-Encoding", "chunked") in extra:
                payload = _chunked(body)
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), *extra],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(payload),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": date},
                    length=len(payload),
                )
            )


def _cdxj(warc: Path) -> list[str]:
    """One CDXJ line per response record, the way Common Crawl's index holds them."""
    lines = []
    with warc.open("rb") as fh:
        it = ArchiveIterator(fh)
        for rec in it:
            if rec.rec_type != "response":
                continue
            rec.content_stream().read()
            offset, length = it.get_record_offset(), it.get_record_length()
            url = rec.rec_headers.get_header("WARC-Target-URI")
            ts = "".join(c for c in rec.rec_headers.get_header("WARC-Date") if c.isdigit())
            fields = {
                "url": url,
                "mime": "text/html",
                "mime-detected": "text/html",
                "status": "200",
                "digest": rec.rec_headers.get_header("WARC-Payload-Digest").split(":")[-1],
                "length": str(length),
                "offset": str(offset),
                "filename": FILENAME,
                "languages": "eng",
            }
            lines.append(f"{surt(url)} {ts} {json.dumps(fields)}")
    return sorted(lines)


class _Handler(BaseHTTPRequestHandler):
    warc: bytes = b""
    cdxj: list[str] = []
    ranges: list[str] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        if parts.path == "/collinfo.json":
            info = [
                {"id": "CC-MAIN-2015-14", "cdx-api": "x/CC-MAIN-2015-14-index"},
                {"id": CRAWL, "name": "March 2015", "cdx-api": f"x/{CRAWL}-index"},
            ]
            return self._send(200, json.dumps(info).encode(), "application/json")
        if parts.path == f"/{CRAWL}-index":
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if q.get("showNumPages") == "true":
                body = json.dumps({"pages": 1, "pageSize": 5, "blocks": 1})
                return self._send(200, body.encode(), "text/x-ndjson")
            host = q["url"].rstrip("/")
            out = []
            for line in self.cdxj:
                key, ts, blob = line.split(" ", 2)
                obj = json.loads(blob)
                if host_of(obj["url"]) == host_of(host):
                    out.append(json.dumps({"urlkey": key, "timestamp": ts, **obj}))
            if not out:
                return self._send(404, b'{"message": "No Captures found"}', "application/json")
            return self._send(200, ("\n".join(out) + "\n").encode(), "text/x-ndjson")
        if parts.path == "/" + FILENAME:
            rng = self.headers.get("Range", "")
            type(self).ranges.append(rng)
            if not rng.startswith("bytes="):
                return self._send(200, self.warc, "application/octet-stream")
            first, last = (int(x) for x in rng[6:].split("-"))
            chunk = self.warc[first : last + 1]
            extra = {"Content-Range": f"bytes {first}-{last}/{len(self.warc)}"}
            return self._send(206, chunk, "application/octet-stream", extra)
        return self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    warc = tmp_path_factory.mktemp("cc") / "cc.warc.gz"
    _write_warc(warc)
    handler = type("Handler", (_Handler,), {"warc": warc.read_bytes(), "cdxj": _cdxj(warc)})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(url, headers=headers or {})
    with opener.open(req, timeout=10) as resp:
        return resp.status, resp.read()


def test_index_query_url() -> None:
    url = index_query_url("https://index.commoncrawl.org/", CRAWL, "blog.example.com")
    assert url == (
        "https://index.commoncrawl.org/CC-MAIN-2015-11-index"
        "?url=blog.example.com%2F&matchType=prefix&output=json"
    )
    assert index_query_url("index.commoncrawl.org", f"{CRAWL}-index", "b.com", page=3).endswith(
        "output=json&page=3"
    )
    assert "showNumPages=true" in index_query_url("", CRAWL, "b.com", show_num_pages=True)


def test_end_to_end_over_loopback(server: str) -> None:
    status, body = _get(f"{server}/collinfo.json")
    crawls = collinfo_crawls(body.decode())
    assert crawls == ["CC-MAIN-2015-14", CRAWL]

    _, pages = _get(index_query_url(server, CRAWL, "blog.example.com", show_num_pages=True))
    assert parse_num_pages(pages.decode()) == 1

    status, body = _get(index_query_url(server, CRAWL, "blog.example.com"))
    assert status == 200
    caps = index_captures(body.decode(), server)
    assert {c.original for c in caps} == {u for u in PAGES if "blog." in u}
    for cap in caps:
        assert is_commoncrawl(cap)
        assert cap.archive == f"cc:{CRAWL}"
        assert cap.status == 200 and cap.mimetype == "text/html"
        filename, offset, length = cap.location.split(" ")
        assert filename == FILENAME and int(length) == cap.length
        assert data_url(cap) == f"{server}/{FILENAME}"
        assert cap.replay_url.startswith(data_url(cap) + "#")
        # urllib, like Scrapy, never sends the fragment: the replay URL itself is fetchable
        status, chunk = _get(cap.replay_url, {"Range": range_header(cap)})
        assert status == 206
        assert len(chunk) == cap.length
        record = parse_record(chunk)
        assert record is not None
        code, headers, payload = record
        assert code == 200
        assert payload == PAGES[cap.original][0]  # gzip and chunking undone
        assert any(k.lower() == "content-type" for k, _ in headers)
    assert len({c.replay_url for c in caps}) == len(caps)


def test_range_header() -> None:
    (cap,) = index_captures(
        json.dumps(
            {
                "url": POST,
                "timestamp": "20150301120000",
                "filename": FILENAME,
                "offset": "1000",
                "length": "250",
                "status": "200",
                "mime": "text/html",
            }
        )
    )
    assert range_header(cap) == "bytes=1000-1249"
    assert cap.uri == f"https://data.commoncrawl.org/{FILENAME}#1000-1249"


def test_parse_index_skips_garbage() -> None:
    good = {"url": POST, "timestamp": "20150301", "filename": "a.warc.gz", "offset": 0, "length": 9}
    untimed = json.dumps({k: v for k, v in good.items() if k != "timestamp"})
    lines = [
        json.dumps(good),
        "garbage",
        "{not json",
        "[1, 2]",
        json.dumps({**good, "offset": "x"}),
        json.dumps({**good, "length": "0"}),
        json.dumps({**good, "filename": ""}),
        json.dumps({**good, "timestamp": "yesterday"}),
        f"com,example)/ 20150301000000 {untimed}",
        "",
    ]
    caps = index_captures("\n".join(lines))
    assert [c.timestamp for c in caps] == ["20150301000000", "20150301000000"]
    assert caps[0].archive == "cc:https://data.commoncrawl.org"  # no crawl id in the filename
    assert collinfo_crawls("<html>") == [] and collinfo_crawls('{"id": 1}') == []
    assert parse_num_pages("oops") == 1


def test_parse_record_rejects_garbage_and_truncation(tmp_path: Path) -> None:
    warc = tmp_path / "x.warc.gz"
    _write_warc(warc)
    data = warc.read_bytes()
    line = json.loads(_cdxj(warc)[0].split(" ", 2)[2])
    off, length = int(line["offset"]), int(line["length"])
    whole = data[off : off + length]
    assert parse_record(whole) is not None
    assert parse_record(whole[: length // 2]) is None  # cut gzip member
    assert parse_record(whole[:-10]) is None
    assert parse_record(b"") is None
    assert parse_record(b"\x1f\x8b\x08garbage") is None
    assert parse_record(b"<html>Access denied</html>") is None
    assert parse_record(gzip.compress(b"WARC/1.0\r\nContent-Length: 9999\r\n\r\nshort")) is None
    # the first record of the file is warcinfo, the second a request: not responses
    assert parse_record(data[:off]) is None
    plain = gzip.decompress(whole)
    assert parse_record(plain) is not None  # an uncompressed record reads too
    assert parse_record(plain[:-40]) is None


def test_range_fingerprints() -> None:
    """The project's fingerprinter keeps this module's byte ranges apart in the HTTP cache."""
    from scrapy import Request
    from scrapy.utils.request import fingerprint

    from recover.fingerprint import RangeAwareFingerprinter

    fp = RangeAwareFingerprinter().fingerprint
    url = f"https://data.commoncrawl.org/{FILENAME}"
    a = Request(url + "#0-99", headers={"Range": "bytes=0-99"})
    b = Request(url + "#100-199", headers={"Range": "bytes=100-199"})
    assert fp(a) != fp(b)
    assert fp(a) == fp(Request(url, headers={"Range": "bytes=0-99"}))
    plain = Request("http://127.0.0.1:8080/web/20080101000000id_/http://b.example/")
    assert fp(plain) == fingerprint(plain)  # other requests: Scrapy's own fingerprint


def test_unsplittable_urls_are_skipped() -> None:
    good = {"timestamp": "20150301", "filename": "a.warc.gz", "offset": 0, "length": 9}
    lines = [json.dumps({**good, "url": u}) for u in ("http://[", "http://[::1", "http://", POST)]
    assert [c.original for c in index_captures("\n".join(lines))] == [POST]
