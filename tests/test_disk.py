"""A full or read-only disk under --out: one line naming the cause, non-zero exit (10.11).

Real small file systems: a tmpfs mounted for the test (needs root, else skipped), and a
hostile archive of our own serving posts too big for it.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import runner
from support.hostile import HostileArchive, Reply, cdx_json, post_page

SITE = "http://blog.example.com"
POSTS = [f"{SITE}/2008/10/{d:02d}/post-{d}/" for d in range(1, 31)]


@contextmanager
def mounted(where: Path, options: str) -> Iterator[Path]:
    """A tmpfs at ``where`` with mount ``options`` (skips the test when mounting is refused)."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()[:200]}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def _archive() -> HostileArchive:
    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            return Reply(
                200, cdx_json([(f"200810{d:02d}100000", u) for d, u in enumerate(POSTS, 1)])
            )
        if "id_/" in path:
            noise = "".join(hashlib.sha256(f"{path}{i}".encode()).hexdigest() for i in range(900))
            body = post_page("A post", f"<p>{noise}</p>")  # ~40 KB that gzip cannot shrink much
            return Reply(200, body, {"Content-Type": "text/html; charset=utf-8"})
        return None

    return HostileArchive(answer)


def _one_line(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr[-3000:]
    assert len(stderr.strip().splitlines()) == 1, stderr[-3000:]
    assert "archive" not in stderr.split("(")[0], stderr  # not blamed on the archive


def test_disk_filling_up_mid_run(tmp_path: Path) -> None:
    with mounted(tmp_path / "small", "size=1m") as fs, _archive() as archive:
        argv = runner.command(SITE, archive.prefix, fs / "out", settings=runner.FAST)
        done = runner.run(argv, timeout=120)
        assert archive.paths("id_/"), "the run never got going"
    assert done.returncode != 0
    assert "No space left on device" in done.stderr
    _one_line(done.stderr)


def test_read_only_out(tmp_path: Path) -> None:
    with mounted(tmp_path / "ro", "ro,size=64k") as fs, _archive() as archive:
        argv = runner.command(SITE, archive.prefix, fs, settings=runner.FAST)
        done = runner.run(argv, timeout=60)
        asked = list(archive.log)
    assert done.returncode == 2
    assert "Read-only file system" in done.stderr
    _one_line(done.stderr)
    assert asked == []
