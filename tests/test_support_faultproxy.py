"""The fault proxy injects each fault it is asked for, logs every request, and stops itself."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.faultproxy import FaultProxy
from support.http import get

BODY = bytes(range(256)) * 40  # 10,240 bytes


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(BODY)))
        self.send_header("X-Host-Seen", self.headers.get("Host", ""))
        self.end_headers()
        self.wfile.write(BODY)


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _raw(url: str, path: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_ok_forwards_bytes_and_host(fault_proxy, upstream):
    fp = fault_proxy(upstream)
    status, headers, body = _raw(fp.url, "/a?x=1")
    assert (status, body) == (200, BODY)
    assert headers["x-host-seen"] == f"127.0.0.1:{fp.port}"  # pywb builds links from it
    (entry,) = fp.log
    assert (entry.path, entry.fault, entry.status, entry.method) == ("/a?x=1", "ok", 200, "GET")


def test_each_fault(fault_proxy, upstream):
    fp = fault_proxy(
        upstream,
        schedule=["429", "429-bare", "503", "reset", "stall", "truncate", "ok"],
        retry_after=3,
        stall_seconds=2.0,
    )
    status, headers, _ = _raw(fp.url, "/1")
    assert status == 429 and headers["retry-after"] == "3"
    status, headers, _ = _raw(fp.url, "/2")
    assert status == 429 and "retry-after" not in headers
    assert _raw(fp.url, "/3")[0] == 503
    with pytest.raises((ConnectionError, http.client.IncompleteRead, http.client.HTTPException)):
        _raw(fp.url, "/4")
    with pytest.raises((TimeoutError, socket.timeout)):
        _raw(fp.url, "/5", timeout=0.5)
    with pytest.raises(http.client.IncompleteRead) as info:
        _raw(fp.url, "/6")
    assert 0 < len(info.value.partial) < len(BODY)
    assert _raw(fp.url, "/7")[2] == BODY
    faults = [(e.path, e.fault, e.status, e.retry_after) for e in fp.log]
    assert faults == [
        ("/1", "429", 429, 3.0),
        ("/2", "429-bare", 429, None),
        ("/3", "503", 503, None),
        ("/4", "reset", None, None),
        ("/5", "stall", None, None),
        ("/6", "truncate", 200, None),
        ("/7", "ok", 200, None),
    ]
    assert fp.counts()["stall"] == 1 and len(fp.entries("429", path=r"^/1$")) == 1


def test_probabilities_are_deterministic_for_a_seed(fault_proxy, upstream):
    def run(seed: int) -> list[str]:
        fp = fault_proxy(upstream, seed=seed, p429=0.3, p503=0.2, ptruncate=0.1)
        for k in range(40):
            try:
                _raw(fp.url, f"/p/{k % 10}")
            except http.client.HTTPException:
                pass
        fp.stop()
        return [e.fault for e in fp.log]

    a, b, c = run(1), run(1), run(2)
    assert a == b and a != c
    assert {"ok", "429", "503"} <= set(a)
    assert 0.25 < a.count("ok") / len(a) < 0.65


def test_match_limits_faults_to_some_paths(fault_proxy, upstream):
    fp = fault_proxy(upstream, p503=1.0, match=r"id_/")
    assert _raw(fp.url, "/web/cdx?url=x")[0] == 200
    assert _raw(fp.url, "/web/2008id_/http://x/")[0] == 503
    assert [e.fault for e in fp.log] == ["ok", "503"]


def test_budget_checks(fault_proxy, upstream):
    fp = fault_proxy(upstream, schedule=["429"], retry_after=0.6)
    _raw(fp.url, "/first")
    _raw(fp.url, "/too-soon")
    time.sleep(0.7)
    _raw(fp.url, "/later")
    violations = fp.pause_violations()
    assert [(a.path, b.path) for a, b in violations] == [("/first", "/too-soon")]
    assert fp.max_in_window(60) == 3 and fp.max_in_window(0.5) == 2
    assert len(fp.gaps_after("429")) == 1 and fp.gaps_after("429")[0] < 0.6


def test_stops_itself(upstream):
    with FaultProxy(upstream, max_requests=2) as fp:
        assert _raw(fp.url, "/1")[0] == 200
        assert _raw(fp.url, "/2")[0] == 200
        deadline = time.monotonic() + 5
        while not fp.stopped and time.monotonic() < deadline:
            time.sleep(0.05)
        assert fp.stopped
        with pytest.raises(OSError):
            _raw(fp.url, "/3", timeout=1)
    fp = FaultProxy(upstream, max_seconds=0.3).start()
    time.sleep(0.8)
    assert fp.stopped
    fp.stop()  # idempotent


def test_stop_wakes_stalled_requests(upstream):
    fp = FaultProxy(upstream, pstall=1.0, stall_seconds=30).start()
    result: list[object] = []

    def client() -> None:
        try:
            result.append(_raw(fp.url, "/slow", timeout=10))
        except Exception as exc:  # noqa: BLE001
            result.append(exc)

    t = threading.Thread(target=client)
    t.start()
    time.sleep(0.3)
    start = time.monotonic()
    fp.stop()
    t.join(5)
    assert not t.is_alive() and time.monotonic() - start < 5
    assert isinstance(result[0], Exception)


def test_in_front_of_pywb(fault_proxy, pywb_archive, sample_blog):
    blog = sample_blog.blog
    fp = fault_proxy(schedule=["429", "ok"], retry_after=1)
    cap = next(c for c in blog.captures if c.kind == "page" and c.good)
    url = f"{fp.prefix()}{cap.timestamp}id_/{cap.url}"
    first = get(url)
    assert first.status == 429 and first.headers["retry-after"] == "1"
    second = get(url)
    assert second.status == 200 and blog.post(cap.url).title.encode() in second.body
    resp = get(f"{fp.prefix()}{cap.timestamp}/{cap.url}")  # rewritten links point at the proxy
    assert f"http://127.0.0.1:{fp.port}/web/".encode() in resp.body
    assert [e.status for e in fp.log] == [429, 200, 200]
