"""A local Common Crawl: a pywb-style CDXJ index over WARC files, records served by range.

``CCServer({filename: warc_path}, crawl="CC-MAIN-2015-11")`` indexes each WARC's response
records (one CDXJ line each: ``urlkey timestamp {url, status, mime, digest, filename,
offset, length}``) and serves, on 127.0.0.1:

- ``/<crawl>-index?url=HOST/&matchType=prefix&output=json``: one JSON object a line for
  every capture on HOST (``www.`` folded), 404 when there is none, like index.commoncrawl.org;
- ``/<filename>``: the WARC bytes, a ``Range: bytes=A-B`` request answered 206.

Pass ``--cc-index URL --cc-data URL`` (both :attr:`CCServer.url`) to ``recover run``.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from surt import surt
from warcio.archiveiterator import ArchiveIterator

from recover.urls import host_of

CRAWL = "CC-MAIN-2015-11"


def cc_filename(crawl: str = CRAWL, n: int = 1) -> str:
    """A Common Crawl-shaped WARC path (``crawl-data/<crawl>/segments/.../warc/...``)."""
    return f"crawl-data/{crawl}/segments/1424936461359.90/warc/{crawl}-{n:05d}.warc.gz"


def cdxj_lines(warc: Path, filename: str) -> list[str]:
    """One CDXJ line per response record of ``warc``, sorted, as Common Crawl indexes them."""
    lines = []
    with warc.open("rb") as fh:
        it = ArchiveIterator(fh)
        for rec in it:
            if rec.rec_type != "response":
                continue
            rec.content_stream().read()
            offset, length = it.get_record_offset(), it.get_record_length()
            url = rec.rec_headers.get_header("WARC-Target-URI")
            ts = "".join(c for c in rec.rec_headers.get_header("WARC-Date") if c.isdigit())[:14]
            http = rec.http_headers
            mime = (http.get_header("Content-Type") or "").split(";")[0].strip() if http else ""
            fields = {
                "url": url,
                "mime": mime,
                "status": http.get_statuscode() if http else "200",
                "digest": (rec.rec_headers.get_header("WARC-Payload-Digest") or "").split(":")[-1],
                "length": str(length),
                "offset": str(offset),
                "filename": filename,
            }
            lines.append(f"{surt(url)} {ts} {json.dumps(fields)}")
    return sorted(lines)


class _Handler(BaseHTTPRequestHandler):
    crawl: str = CRAWL
    files: dict[str, bytes] = {}
    cdxj: list[str] = []
    ranges: list[str] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(
        self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        if parts.path == f"/{self.crawl}-index":
            q = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if q.get("showNumPages") == "true":
                body = json.dumps({"pages": 1, "pageSize": 5, "blocks": 1}).encode()
                return self._send(200, body, "text/x-ndjson")
            host = host_of(q.get("url", "").rstrip("/"))
            out = []
            for line in self.cdxj:
                key, ts, blob = line.split(" ", 2)
                obj = json.loads(blob)
                if host and host_of(obj["url"]) == host:
                    out.append(json.dumps({"urlkey": key, "timestamp": ts, **obj}))
            if not out:
                return self._send(404, b'{"message": "No Captures found"}', "application/json")
            return self._send(200, ("\n".join(out) + "\n").encode(), "text/x-ndjson")
        data = self.files.get(parts.path.lstrip("/"))
        if data is None:
            return self._send(404, b"not found", "text/plain")
        rng = self.headers.get("Range", "")
        type(self).ranges.append(rng)
        if not rng.startswith("bytes="):
            return self._send(200, data, "application/octet-stream")
        first, last = (int(x) for x in rng[6:].split("-"))
        last = min(last, len(data) - 1)
        extra = {"Content-Range": f"bytes {first}-{last}/{len(data)}"}
        return self._send(206, data[first : last + 1], "application/octet-stream", extra)


class CCServer:
    """Index and range server over WARC files; ``with CCServer({...}) as cc: cc.url``."""

    def __init__(self, warcs: dict[str, Path], crawl: str = CRAWL) -> None:
        self.crawl = crawl
        self.cdxj = [line for name, path in warcs.items() for line in cdxj_lines(path, name)]
        files = {name: Path(path).read_bytes() for name, path in warcs.items()}
        attrs = {"crawl": crawl, "files": files, "cdxj": sorted(self.cdxj), "ranges": []}
        self.handler = type("Handler", (_Handler,), attrs)
        self.httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the index base and the data base alike."""
        assert self.httpd is not None, "not started"
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def ranges(self) -> list[str]:
        """Every ``Range`` header a data request carried, in order."""
        return self.handler.ranges

    def start(self) -> CCServer:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self) -> CCServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
