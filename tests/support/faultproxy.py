"""A fault-injecting reverse HTTP proxy on 127.0.0.1, for putting in front of pywb.

Each request gets one fault, chosen by a ``schedule`` (the n-th matching request gets
``schedule[n]``) and after that by probabilities; the draw for a request depends only on
the seed, its path and how many times that path was asked before, so it does not depend
on how concurrent requests interleave. Faults:

- ``ok``: forwarded as is.
- ``429``: 429 with ``Retry-After: <retry_after>``; ``429-bare``: 429 without it.
- ``503``: 503 Service Unavailable (no Retry-After).
- ``reset``: the status line, headers and part of the body, then a TCP reset.
- ``stall``: nothing for ``stall_seconds`` (longer than the client's timeout), then the
  response if the client is still there.
- ``truncate``: full headers (the real Content-Length) and fewer body bytes, then close.

Every request is logged (:class:`Entry`). The proxy is bounded: it stops by itself after
``max_seconds`` or ``max_requests``.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

FAULTS = ("ok", "429", "429-bare", "503", "reset", "stall", "truncate")
_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te"}


@dataclass(frozen=True)
class Entry:
    """One request as the proxy saw it."""

    t: float  # seconds since the proxy started (monotonic clock), at arrival
    wall: float  # time.time() at arrival
    method: str
    path: str
    fault: str  # one of FAULTS, or "over-budget"
    status: int | None  # status sent (None for reset before headers / stall given up)
    retry_after: float | None = None


class FaultProxy:
    """``with FaultProxy("http://127.0.0.1:8080", p429=0.2, seed=1) as fp: fp.url``."""

    def __init__(
        self,
        upstream: str,
        *,
        seed: int = 0,
        p429: float = 0.0,
        p429_bare: float = 0.0,
        p503: float = 0.0,
        preset: float = 0.0,
        pstall: float = 0.0,
        ptruncate: float = 0.0,
        schedule: Sequence[str] | Callable[[int, str], str] = (),
        match: str | None = None,
        retry_after: float = 2,
        stall_seconds: float = 5.0,
        max_requests: int = 5000,
        max_seconds: float = 300.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        parts = urlsplit(upstream)
        if not parts.hostname or not parts.port:
            raise ValueError(f"upstream needs a host and port: {upstream!r}")
        self.upstream_host, self.upstream_port = parts.hostname, parts.port
        self.seed = seed
        self.probabilities = {
            "429": p429,
            "429-bare": p429_bare,
            "503": p503,
            "reset": preset,
            "stall": pstall,
            "truncate": ptruncate,
        }
        if sum(self.probabilities.values()) > 1:
            raise ValueError("fault probabilities add up to more than 1")
        if not callable(schedule):
            for f in schedule:
                if f not in FAULTS:
                    raise ValueError(f"unknown fault {f!r} (known: {', '.join(FAULTS)})")
        self.schedule = schedule
        self.match = re.compile(match) if match else None
        self.retry_after = retry_after
        self.stall_seconds = stall_seconds
        self.max_requests = max_requests
        self.max_seconds = max_seconds
        self.log: list[Entry] = []
        self._lock = threading.Lock()
        self._seen: Counter[str] = Counter()
        self._matched = 0
        self._stop = threading.Event()
        self._t0 = time.monotonic()
        self._server = _Server((host, port), _Handler)
        self._server.proxy = self
        self._thread: threading.Thread | None = None
        self._timer: threading.Timer | None = None

    # -- addresses -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: use in place of the upstream's base URL."""
        return f"http://{self._server.server_address[0]}:{self.port}"

    def prefix(self, coll: str = "web") -> str:
        """A replay prefix through the proxy (``http://127.0.0.1:PORT/web/``)."""
        return f"{self.url}/{coll}/"

    # -- life cycle ------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        if self._thread:
            return self
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self._timer = threading.Timer(self.max_seconds, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        """Stop serving (idempotent); stalled handlers wake up and give up."""
        if self._stop.is_set():
            return
        self._stop.set()
        if self._timer and self._timer is not threading.current_thread():
            self._timer.cancel()
        if self._thread:
            self._server.shutdown()
        self._server.server_close()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- decisions -------------------------------------------------------------------------

    def decide(self, path: str) -> tuple[str, int]:
        """The fault for a request to ``path``, and the request's number (0-based)."""
        with self._lock:
            number = len(self.log)
            if number >= self.max_requests:
                return "over-budget", number
            nth = self._seen[path]
            self._seen[path] += 1
            if self.match and not self.match.search(path):
                return "ok", number
            k = self._matched
            self._matched += 1
        if callable(self.schedule):
            return self.schedule(k, path), number
        if k < len(self.schedule):
            return self.schedule[k], number
        roll = random.Random(f"{self.seed}\x00{path}\x00{nth}").random()
        acc = 0.0
        for fault, p in self.probabilities.items():
            acc += p
            if roll < acc:
                return fault, number
        return "ok", number

    def record(self, entry: Entry) -> None:
        with self._lock:
            self.log.append(entry)
            over = len(self.log) >= self.max_requests
        if over:
            threading.Thread(target=self.stop, daemon=True).start()

    def now(self) -> float:
        return time.monotonic() - self._t0

    # -- what the log says -----------------------------------------------------------------

    def counts(self) -> Counter[str]:
        """How many requests got each fault."""
        return Counter(e.fault for e in self.log)

    def entries(self, fault: str | None = None, path: str | None = None) -> list[Entry]:
        """Logged requests, optionally only one fault and/or paths matching a regex."""
        rx = re.compile(path) if path else None
        return [
            e
            for e in self.log
            if (fault is None or e.fault == fault) and (rx is None or rx.search(e.path))
        ]

    def max_in_window(self, seconds: float = 60.0, path: str | None = None) -> int:
        """The most requests that arrived within any ``seconds``-long window."""
        times = sorted(e.t for e in self.entries(path=path))
        best = lo = 0
        for hi, t in enumerate(times):
            while t - times[lo] >= seconds:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    def pause_violations(self, slack: float = 0.05) -> list[tuple[Entry, Entry]]:
        """(429 with Retry-After, a request that came before the pause was over) pairs.

        A polite client pauses every request to the host, not only the one refused.
        """
        out = []
        log = sorted(self.log, key=lambda e: e.t)
        for k, e in enumerate(log):
            if e.retry_after is None:
                continue
            until = e.t + e.retry_after - slack
            for later in log[k + 1 :]:
                if later.t >= until:
                    break
                out.append((e, later))
        return out

    def gaps_after(self, fault: str = "429") -> list[float]:
        """Seconds from each ``fault`` to the next request to arrive (any path)."""
        log = sorted(self.log, key=lambda e: e.t)
        return [log[k + 1].t - e.t for k, e in enumerate(log[:-1]) if e.fault == fault]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: FaultProxy

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out or are reset on purpose are expected here


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._serve()

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve()

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    # -- one request -----------------------------------------------------------------------

    def _serve(self) -> None:
        proxy = self.server.proxy
        t, wall = proxy.now(), time.time()
        fault, _ = proxy.decide(self.path)

        def log(status: int | None, retry_after: float | None = None) -> None:
            proxy.record(Entry(t, wall, self.command, self.path, fault, status, retry_after))

        if fault == "over-budget":
            log(503)
            self._small(503, b"fault proxy: request budget used up\n", close=True)
            return
        if fault == "429":
            log(429, float(proxy.retry_after))
            ra = proxy.retry_after
            self._small(429, b"Too Many Requests\n", [("Retry-After", f"{ra:g}")])
            return
        if fault == "429-bare":
            log(429)
            self._small(429, b"Too Many Requests\n")
            return
        if fault == "503":
            log(503)
            self._small(503, b"Service Unavailable\n")
            return
        if fault == "stall":
            log(None)
            if proxy._stop.wait(proxy.stall_seconds):
                self.close_connection = True
                return
        try:
            status, reason, headers, body = self._forward()
        except OSError as exc:
            if fault != "stall":
                log(502)
            self._small(502, f"fault proxy: upstream failed: {exc}\n".encode(), close=True)
            return
        if fault in ("reset", "truncate"):
            log(status if fault == "truncate" else None)
            cut = max(0, len(body) // 2 - 1) if body else 0
            try:
                self._head(status, reason, headers, len(body))
                self.wfile.write(body[:cut])
                self.wfile.flush()
            except OSError:
                pass
            self.close_connection = True
            if fault == "reset":
                with contextlib.suppress(OSError):
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.connection.close()
            else:
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_WR)
            return
        if fault != "stall":
            log(status)
        try:
            self._head(status, reason, headers, len(body))
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True

    def _forward(self) -> tuple[int, str, list[tuple[str, str]], bytes]:
        proxy = self.server.proxy
        conn = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            conn.request(self.command, self.path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            out = [(k, v) for k, v in resp.getheaders() if k.lower() not in _HOP]
            out = [(k, v) for k, v in out if k.lower() != "content-length"]
            return resp.status, resp.reason, out, body
        finally:
            conn.close()

    def _head(self, status: int, reason: str, headers: list[tuple[str, str]], length: int) -> None:
        self.send_response_only(status, reason)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _small(
        self,
        status: int,
        body: bytes,
        extra: Sequence[tuple[str, str]] = (),
        *,
        close: bool = False,
    ) -> None:
        self.close_connection = close
        try:
            self.send_response_only(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for k, v in extra:
                self.send_header(k, v)
            if close:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError:
            self.close_connection = True
