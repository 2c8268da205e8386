"""Snapshot politeness and operations on a loopback blog: robots.txt's Crawl-delay honoured,
``--ignore-robots`` for one's own site (logged), ``-v`` logging every request, progress lines.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from recover.snapshot.retention import snapshots

POSTS = [f"/2024/01/0{d}/post-{d}/" for d in range(1, 7)]
ROBOTS = b"User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.hits.append((time.monotonic(), self.path))
        if self.path == "/robots.txt":
            return self.send(ROBOTS, "text/plain")
        if self.path == "/":
            links = POSTS + ["/private/notes/"]
        elif self.path in POSTS or self.path == "/private/notes/":
            links = ["/"]
        else:
            return self.send(b"no", "text/html", 404)
        items = "".join(f'<a href="{h}">{h}</a>' for h in links)
        body = f"<html><head><title>{self.path}</title></head><body>{items}</body></html>"
        self.send(body.encode(), "text/html; charset=utf-8")

    def send(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def snapshot(url: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "recover", *[e for e in extra[:1] if e], "snapshot", url]
        + ["--out", str(out)]
        + ["--delay", "0", "--no-export", *extra[1:]],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_crawl_delay_is_honoured_and_verbose_logs_every_request(tmp_path: Path) -> None:
    server = serve()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        done = snapshot(url, tmp_path, "-v", "--progress", "log")
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    pages = [(t, p) for t, p in server.hits if p != "/robots.txt"]
    assert {p for _, p in pages} >= set(POSTS) and "/private/notes/" not in {p for _, p in pages}
    gaps = [b[0] - a[0] for a, b in zip(pages, pages[1:], strict=False)]
    assert min(gaps) >= 0.9, gaps  # Crawl-delay: 1 (the command's own --delay is 0)
    for path in ["/", *POSTS]:
        assert f"GET {url.rstrip('/')}{path} -> 200" in done.stderr
    assert f"GET {url}sitemap.xml -> 404" in done.stderr
    assert "[pages] pages" in done.stderr  # a progress line while it ran


def test_ignore_robots_crawls_the_owners_site_and_says_so(tmp_path: Path) -> None:
    server = serve()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        done = snapshot(url, tmp_path, "", "--ignore-robots")
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    assert "/private/notes/" in {p for _, p in server.hits}
    assert "/robots.txt" not in {p for _, p in server.hits}
    assert "robots.txt ignored" in done.stderr
    (warc,) = snapshots(tmp_path, "127.0.0.1")
    with open(warc, "rb") as fh:
        info = next(iter(ArchiveIterator(fh))).content_stream().read().decode()
    assert "robots: ignore" in info
