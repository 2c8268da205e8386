"""Bad input ends in one clear line, never a traceback; garbage dates and names are refused.

``recover run`` in a subprocess against a hostile archive of our own (issue 10.11, 10.15);
file names built by a real ``hugo``.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import hugo, runner
from support.hostile import HostileArchive, Reply, cdx_json, post_page

from recover.export import write_all
from recover.post import Post, Source

SITE = "http://blog.example.com"
POST = f"{SITE}/2008/10/31/hello-world/"
GOOD = post_page("Hello world", "<p>" + "The post as written. " * 30 + "</p>")


def _archive(rows: list[tuple[str, str]] | None = None) -> HostileArchive:
    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            return Reply(200, cdx_json(rows or [("20081031100000", POST)]))
        m = re.match(r"^/web/(\d{14})id_/", path)
        if m and m.group(1) == "20081031100000":
            return Reply(200, GOOD, {"Content-Type": "text/html; charset=utf-8"})
        if m:
            return Reply(200, post_page("FROM THE FUTURE", "<p>" + "Wrong. " * 40 + "</p>"))
        return None

    return HostileArchive(answer)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--from", "2010-01-01", "--to", "2009-01-01"], "--from 2010-01-01 is after --to"),
        (["-s", "CONCURRENT_REQUESTS=abc"], "CONCURRENT_REQUESTS takes a number"),
        (["-s", "RECOVER_BUDGETS=[1]"], "RECOVER_BUDGETS takes a JSON object"),
        (["--from", "2008-13-01"], "is not a date"),
    ],
)
def test_bad_flags_fail_before_asking_the_archive(
    extra: list[str], message: str, tmp_path: Path
) -> None:
    with _archive() as archive:
        argv = runner.command(SITE, archive.prefix, tmp_path / "out", extra=extra)
        done = runner.run(argv, timeout=60)
        asked = list(archive.log)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert asked == []


@pytest.mark.parametrize("site", ["http://[::1", "http://blog.example.com:99999/", "ftp://x.org"])
def test_bad_site_is_one_line(site: str, tmp_path: Path) -> None:
    argv = runner.command(site, "http://127.0.0.1:9/web/", tmp_path / "out")
    done = runner.run(argv, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("recover: error:") and "is not a site address" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_verbose_after_run_and_impossible_capture_dates(tmp_path: Path) -> None:
    """``run -v`` is accepted; captures dated 2999, month 13 or year 0 are never used."""
    rows = [
        ("29991231000000", POST),
        ("20081331000000", POST),
        ("00001031000000", POST),
        ("20081031100000", POST),
    ]
    out = tmp_path / "out"
    with _archive(rows) as archive:
        argv = runner.command(SITE, archive.prefix, out, settings=runner.FAST)
        argv.insert(argv.index("run") + 1, "-v")
        done = runner.run(argv)
        fetched = archive.paths("id_/")
    assert done.returncode == 0, done.stderr[-2000:]
    [post] = [json.loads(x) for x in (out / "posts.jsonl").read_text("utf-8").splitlines()]
    assert post["title"] == "Hello world"
    assert post["source"]["timestamp"] == "20081031100000"
    assert fetched == [f"/web/20081031100000id_/{POST}"]


@pytest.mark.skipif(hugo.HUGO is None, reason="needs hugo (apt-get install hugo)")
def test_long_segments_and_windows_names_build(tmp_path: Path) -> None:
    """A 300-byte old URL segment and a ``com¹`` slug: safe file names, hugo builds."""
    long_url = f"{SITE}/2008/10/30/{'a-very-long-title-' * 17}/"
    posts = [
        Post(
            url=f"{SITE}/2008/10/31/com¹/",
            title="Com one",
            published="2008-10-31T10:00:00+00:00",
            content_html="<p>Reserved on Windows.</p>",
        ),
        Post(
            url=long_url,
            title="Long",
            published="2008-10-30T10:00:00+00:00",
            content_html="<p>A long address.</p>",
            sources=[
                Source(archive="a", capture_url="c", timestamp="20081030100000", original=long_url)
            ],
        ),
    ]
    out = tmp_path / "out"
    write_all(posts, out, {"site": SITE}, now=datetime(2024, 1, 1, tzinfo=UTC))
    names = [p.name for p in (out / "content").rglob("*") if p.is_file()]
    assert names and all(len(n.encode()) <= 255 for n in names)
    assert not any(re.match(r"(?i)^(com|lpt)[0-9¹²³](\.|$)", n) for n in names), names
    built = hugo.build(out / "content", tmp_path / "site")
    assert built.returncode == 0, built.stderr[-2000:]


@pytest.mark.parametrize(
    "raw, value",
    [
        ("False", False),
        ("false", False),
        ("0", False),
        ("True", True),
        (" TRUE", True),
        ("1", True),
    ],
)
def test_flag_settings_take_true_false_in_any_case_and_digits(raw: str, value: bool) -> None:
    """``-s AUTOTHROTTLE_ENABLED=False`` (as Scrapy's own ``-s`` takes it) is a flag."""
    from scrapy.settings import Settings

    from recover.commands.run import _setting

    settings = Settings()
    settings.setmodule("recover.settings")
    assert _setting(f"AUTOTHROTTLE_ENABLED={raw}", settings) == ("AUTOTHROTTLE_ENABLED", value)


@pytest.mark.parametrize("raw", ["maybe", "2", "[]", ""])
def test_flag_settings_refuse_other_values(raw: str) -> None:
    from scrapy.settings import Settings

    from recover.commands.run import _setting
    from recover.errors import UserError

    settings = Settings()
    settings.setmodule("recover.settings")
    with pytest.raises(UserError, match="AUTOTHROTTLE_ENABLED takes true or false"):
        _setting(f"AUTOTHROTTLE_ENABLED={raw}", settings)


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path: Path) -> None:
    """``recover run ... | head``: the pipe is closed before the summary is printed; the
    run ends quietly (status 1), its outputs written (Python would print a traceback)."""
    sample = runner.REPO / "recover" / "demo" / "sample.warc.gz"
    argv = [sys.executable, "-c", runner.MAIN, "run", "http://blog.example.com"]
    argv += ["--warc", str(sample), "--out", str(tmp_path / "out"), "--progress", "off"]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=runner.env()
    )  # fmt: skip
    proc.stdout.close()  # the reader is gone before anything is printed
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert stderr == ""
    assert (tmp_path / "out" / "posts.jsonl").read_text().count("\n") == 23


@pytest.mark.parametrize(
    "flag, kind, message",
    [
        ("--warc", "dir", "a folder; name its files (--warc"),
        ("--warc", "missing", "no such file"),
        ("--html", "file", "a file, not the folder of saved pages"),
        ("--html", "missing", "no such folder"),
        ("--out", "file", "a file; --out names the output folder"),
    ],
)
def test_a_path_of_the_wrong_kind_is_one_line(
    flag: str, kind: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder where a WARC file is wanted, a file where a folder is: said in one line,
    before anything is read or written (checked in-process: it fails before the crawl)."""
    from recover.cli import main

    path = tmp_path / "thing"
    if kind == "dir":
        path.mkdir()
    elif kind == "file":
        path.write_bytes(b"x")
    sample = str(runner.REPO / "recover" / "demo" / "sample.warc.gz")
    argv = ["run", SITE, "--warc", sample, "--out", str(tmp_path / "out"), flag, str(path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"recover: error: {flag} {path}: {message}"), err
    assert len(err.strip().splitlines()) == 1
    assert flag == "--out" or not (tmp_path / "out").exists()
