"""Stopping: once the run decides to stop (429s, Ctrl-C, SIGTERM) nothing more is sent.

A hostile archive of our own (:class:`support.hostile.HostileArchive`) lists many posts
and answers every capture with 429; ``recover run`` runs in a subprocess (issue 10: 2, 3,
5, 8).
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from support import runner
from support.hostile import HostileArchive, Reply, cdx_json, post_page

SITE = "http://blog.example.com"
POSTS = [f"{SITE}/2008/10/{day:02d}/post-{day}/" for day in range(1, 25)]
CDX = cdx_json([(f"200810{day:02d}100000", url) for day, url in enumerate(POSTS, 1)])
SLACK = 0.3  # s: a request already on the wire when the decision was taken


def _rate_limited(retry_after: str | None) -> HostileArchive:
    headers = {"Retry-After": retry_after} if retry_after else {}

    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            return Reply(200, CDX)
        if "id_/" in path:
            return Reply(429, b"slow down", headers)
        return None

    return HostileArchive(answer)


def _wait_for(archive: HostileArchive, what: str, n: int = 1, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while len(archive.paths(what)) < n:
        if time.monotonic() > end:
            raise AssertionError(f"no {what!r} request within {timeout} s: {archive.log}")
        time.sleep(0.05)


def _report(out: Path) -> dict[str, Any]:
    return json.loads((out / "report.json").read_text("utf-8"))


def test_giving_up_on_429s_sends_nothing_queued(tmp_path: Path) -> None:
    """10.2: after the last 429 allowed, the queued requests are cancelled, not sent later."""
    settings = {**runner.FAST, "RECOVER_429_PAUSE": 1.0, "RECOVER_429_GIVE_UP": 2}
    out = tmp_path / "out"
    with _rate_limited(None) as archive:
        started = time.monotonic()
        argv = runner.command(SITE, archive.prefix, out, settings=settings)
        done = runner.run(argv, timeout=60)
        took = time.monotonic() - started
        replays = [t for t, p in archive.log if "id_/" in p]
    assert done.returncode == 3, done.stderr[-2000:]
    assert "429" in done.stderr
    # the first answers (429s to everything on the wire) count once and pause the slot 1 s;
    # then one request after each pause (1 s, then 2 s) counts: the second's 429 is the
    # third in a row, the decision; a queued request sent after it would be a third here
    burst = [t for t in replays if t <= replays[0] + SLACK]
    after = [round(t - replays[0], 2) for t in replays[len(burst) :]]
    assert len(after) == 2, f"sent after the first pause: {after}"
    assert after[0] >= 1.0 - SLACK and after[1] - after[0] >= 2.0 - SLACK, after
    assert took < 30
    assert all(m["reason"].startswith("not tried yet") for m in _report(out)["missing"])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_a_pause_sends_nothing_more(signum: int, tmp_path: Path) -> None:
    """10.2 + 10.8: Ctrl-C/SIGTERM in a 429 pause: nothing more sent, exit 130/143, resumable."""
    out = tmp_path / "out"
    with _rate_limited("3") as archive:
        argv = runner.command(
            SITE, archive.prefix, out, rate="cdx=0,replay=0", settings=runner.FAST
        )
        proc = runner.start(argv, tmp_path / "run.log")
        try:
            _wait_for(archive, "id_/", 1)
            time.sleep(0.5)  # inside the 3 s pause
            proc.send_signal(signum)
            sent_at = time.monotonic() - archive.started
            code = proc.wait(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        replays = [t for t, p in archive.log if "id_/" in p]
    # The requests the 429 paused would go when the pause ends, 3 s after the first answer:
    # none may.  (Those before it are the first burst: on a loaded machine the archive can
    # log one of them after the signal, handled late in its own thread.)
    late = [round(t - sent_at, 2) for t in replays if t >= replays[0] + 3.0 - SLACK]
    err = Path(str(tmp_path / "run.log") + ".err").read_text("utf-8")
    assert late == [], f"sent after the signal, when the pause ended: {late}"
    assert code == 128 + signum, err[-2000:]
    assert "interrupted" in err and "run the same command again to resume" in err
    assert "Traceback" not in err
    report = _report(out)
    assert len(report["missing"]) == len(POSTS)
    assert all(m["reason"].startswith("not tried yet") for m in report["missing"]), report[
        "missing"
    ]


def test_two_runs_on_one_folder(tmp_path: Path) -> None:
    """10.3: a second run on the same --out while the first runs: one line, exit 2."""
    out = tmp_path / "out"
    with _rate_limited("30") as archive:
        argv = runner.command(SITE, archive.prefix, out, settings=runner.FAST)
        first = runner.start(argv, tmp_path / "first.log")
        try:
            _wait_for(archive, "id_/", 1)
            # the same folder, the same archive under another path: what the second run
            # would ask is told apart from what the first goes on asking
            second_archive = archive.base_url + "/second/web/"
            second = runner.run(
                runner.command(SITE, second_archive, out, settings=runner.FAST), timeout=60
            )
            assert archive.paths("/second/") == []  # the second run asked the archive nothing
        finally:
            first.send_signal(signal.SIGINT)
            first.wait(timeout=60)
    assert second.returncode == 2, second.stderr[-2000:]
    assert "another recovery is running" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1, second.stderr


def test_size_limit_is_final_not_retried(tmp_path: Path) -> None:
    """10.5: a capture over DOWNLOAD_MAXSIZE, sent without Content-Length, is asked once."""
    post = POSTS[0]
    good = post_page("The post", "<p>" + "Its text. " * 40 + "</p>")

    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            return Reply(200, cdx_json([("20090101000000", post), ("20081001100000", post)]))
        if path.startswith("/web/20090101000000id_/"):
            chunk = b"<p>" + b"x" * 65536 + b"</p>\n"
            return Reply(200, (chunk for _ in range(80)), {"Content-Type": "text/html"}, False)
        if path.startswith("/web/20081001100000id_/"):
            return Reply(200, good, {"Content-Type": "text/html; charset=utf-8"})
        return None

    out = tmp_path / "out"
    settings = {**runner.FAST, "DOWNLOAD_MAXSIZE": 1024 * 1024, "RECOVER_RETRIES": 6}
    with HostileArchive(answer) as archive:
        done = runner.run(runner.command(SITE, archive.prefix, out, settings=settings))
        big = archive.paths("/web/20090101000000id_/")
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(big) == 1, big
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    assert [p["title"] for p in posts] == ["The post"]
