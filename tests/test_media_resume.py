"""A recovery killed with SIGKILL while it fetches media, then run again: every file comes
out once, as in an uninterrupted run, and the archive is never asked twice for anything."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from support import runner
from support.faultproxy import FaultProxy

MEDIA = r"id_/.*\.(png|jpe?g|gif)$"


def media_entries(out: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    return {
        e["url"]: (e["file"], e["sha1"]) for row in rows for e in row["images"] + row["attachments"]
    }


def test_sigkill_during_media_then_rerun(
    sample_blog: Any, pywb_archive: Any, fault_proxy: Any, tmp_path: Path
) -> None:
    clean = runner.clean_run(sample_blog, pywb_archive)
    want = media_entries(clean)
    files = {f for f, _ in want.values() if f}
    assert len(files) >= 4, "the sample blog has images to recover"
    proxy: FaultProxy = fault_proxy()
    out = tmp_path / "out"
    argv = runner.command(
        sample_blog.blog.base, proxy.prefix(), out, rate="cdx=0,replay=120", settings=runner.FAST
    )
    first = runner.start(argv, tmp_path / "first.log")
    try:
        deadline = time.monotonic() + 120
        while (
            len(proxy.entries(path=MEDIA)) < 2 and first.poll() is None
            and time.monotonic() < deadline
        ):  # fmt: skip
            time.sleep(0.02)
        time.sleep(0.25)  # the last response is in and cached; the next is 0.5 s away
        assert first.poll() is None, "the run ended before it could be killed"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert 0 < len(proxy.entries(path=MEDIA)) < len(files)
    second = runner.run(
        runner.command(sample_blog.blog.base, proxy.prefix(), out, settings=runner.FAST)
    )
    assert second.returncode == 0, second.stderr[-2000:]
    assert media_entries(out) == want
    on_disk = {p.relative_to(out).as_posix() for p in (out / "media").rglob("*") if p.is_file()}
    assert on_disk == files  # each file once, nothing half-written left behind
    served = Counter(e.path for e in proxy.log if e.status == 200)
    assert {p: n for p, n in served.items() if n > 1} == {}
