"""A recovery through a hostile archive: 429s, 503s, resets, stalls, cut bodies, refusals.

The generated sample blog is served by a real pywb behind :class:`support.faultproxy.
FaultProxy`; ``recover run`` runs in a subprocess with short pauses.  The run must end
with the same posts as a run against the plain archive, and the proxy's log must show
that every 429 pause was kept and no endpoint's budget was exceeded.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from support import runner
from support.faultproxy import Entry, FaultProxy

CDX_RATE, REPLAY_RATE = 240.0, 600.0  # requests a minute: 0.25 s and 0.1 s apart
SETTINGS: dict[str, Any] = {
    **runner.FAST,
    "RECOVER_429_GIVE_UP": 8,
    "RECOVER_RETRIES": 8,
    "DOWNLOAD_TIMEOUT": 2,  # a stall costs this much
}
ARRIVAL_SLACK = 0.1  # s: a request sent just before the client read a 429 may arrive after it


def endpoint(entry: Entry) -> str:
    return "cdx" if re.search(r"/cdx\b|timemap", entry.path) else "replay"


def pause_violations(log: list[Entry], bare_pause: float) -> list[str]:
    """Requests that reached an endpoint while a 429 had paused it."""
    out = []
    for e in log:
        if e.status != 429:
            continue
        pause = e.retry_after if e.retry_after is not None else bare_pause
        for later in log:
            if endpoint(later) != endpoint(e):
                continue
            if e.t + ARRIVAL_SLACK < later.t < e.t + pause - 0.05:
                out.append(f"{later.path} {later.t - e.t:.2f}s after a 429 ({pause:g}s pause)")
    return out


def spacing_violations(log: list[Entry], kind: str, per_minute: float) -> list[str]:
    """Consecutive requests to one endpoint closer than its budget allows."""
    interval = 60.0 / per_minute
    times = sorted(e.t for e in log if endpoint(e) == kind)
    return [
        f"{kind}: {b - a:.3f}s apart (budget {interval:.3f}s)"
        for a, b in zip(times, times[1:], strict=False)
        if b - a < interval - 0.03
    ]


def test_recovers_everything_through_faults(
    sample_blog: Any, pywb_archive: Any, fault_proxy: Any, tmp_path: Path
) -> None:
    """Random 429s (with and without Retry-After), 503s, resets, stalls and cut bodies."""
    clean = runner.clean_run(sample_blog, pywb_archive)
    proxy: FaultProxy = fault_proxy(
        seed=3,
        p429=0.08,
        p429_bare=0.05,
        p503=0.08,
        preset=0.05,
        pstall=0.03,
        ptruncate=0.06,
        retry_after=1,
        stall_seconds=SETTINGS["DOWNLOAD_TIMEOUT"] + 2,
        # every kind of fault at least once, early, on post captures
        match=r"id_/",
        schedule=["429", "ok", "429-bare", "503", "ok", "reset", "truncate", "stall", "ok"],
    )
    out = tmp_path / "out"
    done = runner.run(
        runner.command(
            sample_blog.blog.base,
            proxy.prefix(),
            out,
            rate=f"cdx={CDX_RATE:g},replay={REPLAY_RATE:g}",
            settings=SETTINGS,
        ),
        timeout=150,
    )
    proxy.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    faults = proxy.counts()
    assert all(faults[f] for f in ("429", "429-bare", "503", "reset", "stall", "truncate")), faults

    assert runner.normalized_posts(out) == runner.normalized_posts(clean)
    assert runner.post_urls(out) >= runner.recoverable(sample_blog.blog)

    log = sorted(proxy.log, key=lambda e: e.t)
    assert pause_violations(log, SETTINGS["RECOVER_429_PAUSE"]) == []
    assert spacing_violations(log, "cdx", CDX_RATE) == []
    assert spacing_violations(log, "replay", REPLAY_RATE) == []
    for kind, rate in (("cdx", CDX_RATE), ("replay", REPLAY_RATE)):
        kind_log = [e for e in log if endpoint(e) == kind]
        for window in (5.0, 10.0):  # no burst in any sliding window
            most = max_in_window(kind_log, window)
            assert most <= window * rate / 60 + 1, (kind, window, most)


def max_in_window(log: list[Entry], seconds: float) -> int:
    times = sorted(e.t for e in log)
    best = lo = 0
    for hi, t in enumerate(times):
        while t - times[lo] >= seconds:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def test_refused_connections_stop_the_run_then_a_rerun_completes(
    sample_blog: Any, pywb_archive: Any, tmp_path: Path
) -> None:
    """The archive stops answering mid-run: a one-line message, non-zero exit, work kept."""
    clean = runner.clean_run(sample_blog, pywb_archive)
    out = tmp_path / "out"
    first = FaultProxy(pywb_archive.base_url, max_requests=12).start()
    port = first.port
    try:
        argv = runner.command(sample_blog.blog.base, first.prefix(), out, settings=SETTINGS)
        stopped = runner.run(argv, timeout=120)
    finally:
        first.stop()
    assert stopped.returncode != 0
    lines = [line for line in stopped.stderr.splitlines() if line.strip()]
    assert lines, "no message"
    assert re.search(r"run the same command again", lines[-1]), lines[-5:]
    assert runner.check_whole(out) == []

    with FaultProxy(pywb_archive.base_url, port=port) as again:
        resumed = runner.run(argv, timeout=120)
        asked = [e.path for e in again.log]
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert runner.normalized_posts(out) == runner.normalized_posts(clean)
    first_paths = {e.path for e in first.log if e.status == 200}
    assert not first_paths & set(asked), "a re-run asked again for what it already had"
    assert len(lines) == 1, "\n".join(lines)  # one message, not a log line per request
