"""A hostile Wayback-shaped archive on 127.0.0.1 whose every answer a test scripts.

``HostileArchive(answer)`` calls ``answer(path_and_query)`` for each request and sends
what it returns: a :class:`Reply` (status, headers, body; ``length=False`` sends the body
without ``Content-Length`` and closes, as a server streaming a huge page does) or None
for a 404.  Every request is logged (:attr:`log`, ``(seconds since start, path)``).
Replay prefix: :attr:`prefix` (``http://127.0.0.1:PORT/web/``), CDX at ``/web/cdx``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # send Content-Length (False: stream the body, then close)


Answer = Callable[[str], Reply | None]


class HostileArchive:
    """``with HostileArchive(answer) as archive: archive.prefix``."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.log: list[tuple[float, str]] = []
        self.started = time.monotonic()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                owner.log.append((time.monotonic() - owner.started, self.path))
                reply = owner.answer(self.path) or Reply(404, b"not in this archive")
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                chunks = [reply.body] if isinstance(reply.body, bytes) else reply.body
                if reply.length and isinstance(reply.body, bytes):
                    self.send_header("Content-Length", str(len(reply.body)))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                try:
                    for chunk in chunks:
                        self.wfile.write(chunk)
                except OSError:  # the client gave up (a size limit): fine
                    self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def prefix(self) -> str:
        return self.base_url + "/web/"

    def paths(self, containing: str = "") -> list[str]:
        """Paths asked so far that contain ``containing``."""
        return [p for _, p in self.log if containing in p]

    def start(self) -> HostileArchive:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> HostileArchive:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def cdx_json(rows: Iterable[tuple[str, str]], status: str = "200") -> bytes:
    """pywb's CDX answer (one JSON object a line) for ``(timestamp, url)`` rows."""
    import json

    return b"".join(
        json.dumps(
            {
                "urlkey": "x",
                "timestamp": ts,
                "url": url,
                "mime": "text/html",
                "status": status,
                "digest": f"D{ts}{len(url)}",
                "length": "1000",
            }
        ).encode()
        + b"\n"
        for ts, url in rows
    )


POST_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2008-10-31T10:00:00+00:00"></head>
<body><article class="post hentry"><h1 class="entry-title">{title}</h1>
<time class="published" datetime="2008-10-31T10:00:00+00:00">October 31, 2008</time>
<div class="entry-content">{body}</div></article></body></html>"""


def post_page(title: str, body: str) -> bytes:
    """A small blog post page that every extractor reads."""
    return POST_HTML.format(title=title, body=body).encode()


def write_warc(
    path: Path, captures: Iterable[tuple[str, str, bytes]], status: str = "200 OK"
) -> Path:
    """A gzipped WARC of ``(url, WARC-Date, body)`` HTML responses, written with warcio."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, date, body in captures:
            headers = StatusAndHeaders(
                status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    return path
