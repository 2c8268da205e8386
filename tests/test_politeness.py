"""Politeness, as the archive sees it: budgets, 429 pauses, giving up, never the live site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import runner
from support.faultproxy import FaultProxy
from test_faults import endpoint, max_in_window, spacing_violations

SETTINGS: dict[str, Any] = {**runner.FAST, "RECOVER_429_PAUSE": 0.4}


def test_every_request_goes_to_the_archive(
    sample_blog: Any, pywb_archive: Any, tmp_path: Path
) -> None:
    """Redirect captures and links never send the crawler to the (lost) live site."""
    net = tmp_path / "network.log"
    argv = runner.command(
        sample_blog.blog.base,
        pywb_archive.replay_prefix,
        tmp_path / "out",
        settings=runner.FAST,
        network_log=net,
    )
    done = runner.run(argv)
    assert done.returncode == 0, done.stderr[-2000:]
    sent = runner.network_requests(net)
    assert sent
    outside = [u for u in sent if not u.startswith(pywb_archive.base_url + "/")]
    assert outside == []


def test_budgets_hold_without_faults(
    sample_blog: Any, pywb_archive: Any, fault_proxy: Any, tmp_path: Path
) -> None:
    """Requests to each endpoint are spaced by its rate; no burst in any window."""
    proxy: FaultProxy = fault_proxy()
    cdx, replay = 60.0, 240.0
    argv = runner.command(
        sample_blog.blog.base,
        proxy.prefix(),
        tmp_path / "out",
        rate=f"cdx={cdx:g},replay={replay:g}",
        settings=SETTINGS,
    )
    done = runner.run(argv)
    assert done.returncode == 0, done.stderr[-2000:]
    log = sorted(proxy.log, key=lambda e: e.t)
    assert spacing_violations(log, "cdx", cdx) == []
    assert spacing_violations(log, "replay", replay) == []
    replays = [e for e in log if endpoint(e) == "replay"]
    assert max_in_window(replays, 5.0) <= 5.0 * replay / 60 + 1


def test_bare_429s_pause_longer_each_time(
    sample_blog: Any, pywb_archive: Any, fault_proxy: Any, tmp_path: Path
) -> None:
    """429s without Retry-After in a row: pauses of RECOVER_429_PAUSE, then doubling."""
    pause = SETTINGS["RECOVER_429_PAUSE"]
    proxy: FaultProxy = fault_proxy(match=r"id_/", schedule=["429-bare"] * 3)
    argv = runner.command(
        sample_blog.blog.base, proxy.prefix(), tmp_path / "out", settings=SETTINGS
    )
    done = runner.run(argv)
    assert done.returncode == 0, done.stderr[-2000:]
    log = sorted(proxy.log, key=lambda e: e.t)
    firsts = [k for k, e in enumerate(log) if e.fault == "429-bare"]
    assert len(firsts) == 3
    for n, k in enumerate(firsts):
        later = [e for e in log[k + 1 :] if endpoint(e) == "replay" and e.t > log[k].t + 0.1]
        assert later, "nothing after the 429"
        gap = later[0].t - log[k].t
        assert gap >= pause * 2**n - 0.05, (n, gap)


def test_429_storm_saves_and_stops_then_resumes(
    sample_blog: Any, pywb_archive: Any, fault_proxy: Any, tmp_path: Path
) -> None:
    """An archive that answers nothing but 429: the run stops (exit 3), a re-run finishes."""
    clean = runner.clean_run(sample_blog, pywb_archive)
    settings = {**SETTINGS, "RECOVER_429_PAUSE": 0.1, "RECOVER_429_GIVE_UP": 3}
    storm: FaultProxy = fault_proxy(match=r"id_/", schedule=lambda k, path: "429")
    storm.retry_after = 0.2
    out = tmp_path / "out"
    argv = runner.command(sample_blog.blog.base, storm.prefix(), out, settings=settings)
    done = runner.run(argv)
    storm.stop()
    assert done.returncode == 3, (done.returncode, done.stderr[-2000:])
    assert "again" in done.stderr.splitlines()[-1]
    assert len(storm.entries(fault="429")) <= settings["RECOVER_429_GIVE_UP"] + 3

    calm: FaultProxy = fault_proxy()
    argv = runner.command(sample_blog.blog.base, calm.prefix(), out, settings=settings)
    # a new port is a new archive address to the cache; the store still skips nothing
    resumed = runner.run(argv)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert runner.post_urls(out) == runner.post_urls(clean)
