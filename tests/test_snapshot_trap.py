"""The snapshot frontier cannot be trapped, and a killed snapshot keeps what it crawled.

A loopback blog made of traps: every post carries four paginated query blocks
(``?query-N-page=K``, each page linking every combination onward), an endless calendar
(``/calendar/YYYY/MM/`` linking the next month forever) and ``?replytocom=N`` links that
grow with each visit. The snapshot must capture every post within a bounded number of
requests. Then a slow copy of the blog is snapshotted and killed (SIGTERM, then SIGKILL)
mid-crawl: the records crawled are kept in a readable WARC and the next run resumes.
"""

from __future__ import annotations

import itertools
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from recover.snapshot.retention import snapshots

POSTS = [f"/2024/0{m}/0{d}/post-{m}-{d}/" for m in (1, 2, 3) for d in (1, 2, 3, 4, 5)]
COUNTER = itertools.count(1)


def page(title: str, links: list[str], body: str = "") -> bytes:
    items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f'<article class="post hentry"><h1 class="entry-title">{title}</h1>'
        f'<div class="entry-content"><p>{body or title} has words.</p></div></article>'
        f"<ul>{items}</ul></body></html>"
    ).encode()


class TrapBlog(BaseHTTPRequestHandler):
    delay = 0.0

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.hits.append(self.path)
        time.sleep(self.server.delay)
        parts = urlsplit(self.path)
        path, query = parts.path, dict(parse_qsl(parts.query))
        if path == "/robots.txt":
            return self.send(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/":
            links = POSTS[:5] + ["/calendar/2024/01/", "/archive/?paged=2"]
            return self.send(page("Home", links))
        if path.startswith("/calendar/"):
            y, m = (int(x) for x in path.strip("/").split("/")[1:3])
            nxt = f"/calendar/{y + m // 12}/{m % 12 + 1:02d}/"
            return self.send(page(f"Calendar {y}-{m}", [nxt]))
        if path == "/archive/":
            n = int(query.get("paged", 1))
            chunk = POSTS[(n - 1) * 5 : n * 5]
            more = [f"/archive/?paged={n + 1}"] if True else []  # endless: pages past the end
            return self.send(page(f"Archive {n}", chunk + more))
        if path in POSTS:
            links = []
            for block in range(1, 5):
                for k in range(1, 20):
                    q = dict(query, **{f"query-{block}-page": str(k)})
                    links.append(path + "?" + urlencode(q))
            links.append(path + f"?replytocom={next(COUNTER)}")
            links += ["/calendar/2024/01/", "/"]
            return self.send(page(f"Post {path}", links, body=f"Body of {path}"))
        return self.send(b"not found", "text/html", 404)

    def send(self, body: bytes, ctype: str = "text/html; charset=utf-8", status=200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Blog:
    def __init__(self, delay: float = 0.0) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), TrapBlog)
        self.server.daemon_threads = True
        self.server.hits = []
        self.server.delay = delay
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> Blog:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def snapshot_argv(url: str, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "recover",
        "snapshot",
        url,
        "--out",
        str(out),
        "--delay",
        "0",
        "--no-export",
        "--progress",
        "off",
        *extra,
    ]


def responses(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        return [
            r.rec_headers.get_header("WARC-Target-URI")
            for r in ArchiveIterator(fh)
            if r.rec_type in ("response", "revisit")
        ]


def test_crawler_traps_end_within_bounded_requests(tmp_path: Path) -> None:
    with Blog() as blog:
        done = subprocess.run(
            snapshot_argv(blog.url, tmp_path, "--max-per-pattern", "40"),
            capture_output=True,
            text=True,
            timeout=300,
        )
        hits = list(blog.server.hits)
    assert done.returncode == 0, done.stderr
    paths = {urlsplit(h).path for h in hits}
    assert all(p in paths for p in POSTS), "every post captured"
    assert not any("replytocom" in h for h in hits)
    combos = [h for h in hits if h.count("query-") > 1]
    assert combos == [], combos[:3]
    # 15 posts x 4 query blocks, a bounded calendar and archive paging, and the rest
    assert len(hits) < 15 * 4 + 40 + 40 + 30, len(hits)
    calendar = [h for h in hits if h.startswith("/calendar/")]
    assert len(calendar) <= 40


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_killed_snapshot_keeps_its_records_and_the_next_run_resumes(
    tmp_path: Path, how: signal.Signals
) -> None:
    with Blog(delay=0.15) as blog:
        proc = subprocess.Popen(
            snapshot_argv(blog.url, tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while len(blog.server.hits) < 25 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(how)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode != 0
        first_hits = list(blog.server.hits)
        blog.server.hits.clear()
        if how == signal.SIGTERM:
            (kept,) = snapshots(tmp_path, "127.0.0.1")  # closed properly under its name
            assert "kept" in err.decode() and "resume" in err.decode()
            captured = responses(kept)
        else:
            (part,) = tmp_path.glob(".127.0.0.1-*.warc.gz.part")  # cut wherever it was
            captured = None
        blog.server.delay = 0.0
        again = subprocess.run(
            snapshot_argv(blog.url, tmp_path), capture_output=True, text=True, timeout=300
        )
        assert again.returncode == 0, again.stderr
        second_hits = list(blog.server.hits)
    warcs = snapshots(tmp_path, "127.0.0.1")
    assert len(warcs) == 2 and not list(tmp_path.glob(".*.part"))
    if captured is None:
        captured = responses(warcs[0])  # the killed run's WARC, cut after its last whole record
    pages = [u for u in captured if urlsplit(u).path in POSTS and not urlsplit(u).query]
    assert len(captured) >= 10 and pages, captured
    assert len(first_hits) >= 25
    # resumed: what the killed run captured is not asked for again
    for url in pages:
        target = urlsplit(url).path
        assert target not in second_hits, target
    every = responses(warcs[0]) + responses(warcs[1])
    assert all(any(urlsplit(u).path == p for u in every) for p in POSTS)
