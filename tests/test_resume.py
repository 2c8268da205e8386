"""A recovery killed with SIGKILL halfway, then run again, ends as if never interrupted.

The archive (pywb behind a logging proxy) must not be asked twice for any capture across
the two runs, and every output file must parse whole at every moment we look.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from support import runner
from support.faultproxy import FaultProxy


class Watcher(threading.Thread):
    """Parse every output file over and over while runs go on; keep what failed."""

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out = out
        self.problems: list[str] = []
        self.looks = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            if self.out.exists():
                self.problems += runner.check_whole(self.out)
                self.looks += 1
            time.sleep(0.05)


def test_sigkill_halfway_then_rerun(
    sample_blog: Any, pywb_archive: Any, fault_proxy: Any, tmp_path: Path
) -> None:
    clean = runner.clean_run(sample_blog, pywb_archive)
    wanted = sum(1 for line in (clean / "posts.jsonl").open() if line.strip())
    proxy: FaultProxy = fault_proxy()
    out = tmp_path / "out"
    argv = runner.command(
        sample_blog.blog.base, proxy.prefix(), out, rate="cdx=0,replay=120", settings=runner.FAST
    )
    watcher = Watcher(out)
    watcher.start()

    def fetched() -> int:
        return len(proxy.entries(path=r"id_/"))

    first = runner.start(argv, tmp_path / "first.log")
    try:
        deadline = time.monotonic() + 90
        while fetched() < wanted // 2 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.25)  # the last response is in and cached; the next is 0.5 s away
        assert first.poll() is None, "the run ended before it could be killed"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    killed_at = proxy.now()
    before = len(proxy.log)
    assert 0 < fetched() < wanted

    # the same command, unpaced: spacing only mattered to kill the first run between fetches
    again = runner.command(sample_blog.blog.base, proxy.prefix(), out, settings=runner.FAST)
    second = runner.run(again, timeout=120)
    watcher.done.set()
    watcher.join(5)
    assert second.returncode == 0, second.stderr[-2000:]
    assert runner.normalized_posts(out) == runner.normalized_posts(clean)
    assert runner.check_whole(out) == []
    assert watcher.problems == [], watcher.problems[:5]
    assert watcher.looks > 10

    served = Counter(e.path for e in proxy.log if e.status == 200)
    again = {p: n for p, n in served.items() if n > 1}
    assert again == {}, f"asked twice (kill at {killed_at:.2f}s, {before} requests before)"
    assert len(proxy.log) > before, "the re-run fetched the rest"


def test_rerun_of_a_finished_run_asks_nothing(
    sample_blog: Any, pywb_archive: Any, tmp_path: Path
) -> None:
    """Once a run has finished, running it again is answered from the cache and store."""
    clean = runner.clean_run(sample_blog, pywb_archive)
    out = tmp_path / "out"
    shutil.copytree(clean, out)
    net = tmp_path / "network.log"
    argv = runner.command(
        sample_blog.blog.base, pywb_archive.replay_prefix, out, settings=runner.FAST,
        network_log=net,
    )  # fmt: skip
    again = runner.run(argv)
    assert again.returncode == 0, again.stderr[-2000:]
    assert runner.network_requests(net) == []
    assert runner.normalized_posts(out) == runner.normalized_posts(clean)
