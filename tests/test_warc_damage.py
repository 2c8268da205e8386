"""Damaged WARCs: a bad record is skipped, the intact ones after it are kept and reported.

Real WARCs written with warcio, damaged on disk, read by ``recover run --warc`` in a
subprocess (issue 10.10), and by :func:`recover.discovery.warcfile.index` directly.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from support import runner
from support.hostile import post_page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recover.discovery import warcfile

SITE = "http://blog.example.com"
POSTS = [f"{SITE}/2008/10/0{n}/post-{n}/" for n in range(1, 7)]


def _warc(path: Path, gz: bool) -> list[int]:
    """Six post captures; the offset where each record starts."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for n, url in enumerate(POSTS, 1):
            offsets.append(fh.tell())
            body = post_page(f"Post {n}", "<p>" + f"Words of post {n}. " * 40 + "</p>")
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": f"2008-10-0{n}T10:00:00Z"},
            )
            writer.write_record(rec)
    return offsets


def _flip(path: Path, at: int, n: int = 40) -> None:
    data = bytearray(path.read_bytes())
    for i in range(at, at + n):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _damaged(tmp_path: Path, kind: str) -> Path:
    gz = kind != "plain"
    path = tmp_path / ("blog.warc.gz" if gz else "blog.warc")
    offsets = _warc(path, gz)
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[: offsets[5] + 200])  # cut inside record 6
    else:
        _flip(path, offsets[2] + (60 if gz else 3))  # record 3 of 6
    return path


@pytest.mark.parametrize("kind", ["gz", "plain", "truncated"])
def test_index_skips_the_bad_record_only(kind: str, tmp_path: Path) -> None:
    damaged: list[warcfile.Damage] = []
    path = _damaged(tmp_path, kind)
    found = sorted({c.original for c in warcfile.index(path, damaged)})
    lost = {"truncated": {POSTS[5]}}.get(kind, {POSTS[2]})
    assert found == sorted(set(POSTS) - lost)
    assert len(damaged) == 1, damaged
    for cap in warcfile.index(path):
        assert warcfile.read(cap) is not None  # each kept offset reads back


@pytest.mark.parametrize("kind", ["gz", "truncated"])
def test_run_keeps_records_after_the_damage_and_reports_it(kind: str, tmp_path: Path) -> None:
    path = _damaged(tmp_path, kind)
    out = tmp_path / "out"
    argv = runner.command(SITE, "", out, settings=runner.FAST)
    argv = [a for a in argv if a not in ("--archive", "")] + ["--warc", str(path)]
    done = runner.run(argv)
    assert done.returncode == 0, done.stderr[-2000:]
    titles = sorted(json.loads(x)["title"] for x in (out / "posts.jsonl").read_text().splitlines())
    assert titles == sorted(
        f"Post {n}" for n in range(1, 7) if n != (6 if kind == "truncated" else 3)
    )
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert any("damaged WARC record" in e["reason"] for e in report["errors"]), report["errors"]
