"""Politeness, as the archive sees it: budgets, 429 pauses, giving up, never the live site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support import runner
from support.faultproxy import FaultProxy

SETTINGS: dict[str, Any] = {**runner.FAST, "RECOVER_429_PAUSE": 0.4}


def test_every_request_goes_to_the_archive(sample_blog: Any, pywb_archive: Any) -> None:
    """Redirect captures and links never send the crawler to the (lost) live site."""
    clean = runner.clean_run(sample_blog, pywb_archive)
    sent = runner.network_requests(clean.parent / "network.log")
    assert sent
    outside = [u for u in sent if not u.startswith(pywb_archive.base_url + "/")]
    assert outside == []


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
