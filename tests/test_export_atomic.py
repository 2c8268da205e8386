"""Atomic writes: a crash mid-write leaves the old complete file (or folder), never half."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading

import pytest

from recover.export import atomic
from recover.export.atomic import (
    atomic_open,
    atomic_write,
    recover_dir,
    replace_dir_files,
    replacing_dir,
    write_json,
)


def killed_midway(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a child that SIGKILLs itself where the code says ``die()``."""
    script = "import os, signal\ndef die():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    return subprocess.run([sys.executable, "-c", script + textwrap.dedent(code)], timeout=60)


def test_write_and_replace(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    atomic_write(target, "héllo")
    assert target.read_text(encoding="utf-8") == "héllo"
    atomic_write(target, b"bytes")
    assert target.read_bytes() == b"bytes"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


def test_exception_mid_write_keeps_old_file(tmp_path):
    target = tmp_path / "f.json"
    target.write_text('{"old": true}')
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write(b'{"new": ')
        raise RuntimeError("boom")
    assert target.read_text() == '{"old": true}'
    assert list(tmp_path.iterdir()) == [target]


def test_kill_mid_write_keeps_old_file_and_next_run_cleans_up(tmp_path):
    target = tmp_path / "posts.jsonl"
    target.write_text("old complete\n")
    run = killed_midway(f"""
        from recover.export.atomic import atomic_open
        with atomic_open({str(target)!r}) as fh:
            fh.write(b"new but only half")
            fh.flush()
            die()
    """)
    assert run.returncode == -9
    assert target.read_text() == "old complete\n"
    leftovers = [p for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1 and leftovers[0].name.endswith(".tmp")
    atomic_write(target, "new complete\n")
    assert target.read_text() == "new complete\n"
    assert list(tmp_path.iterdir()) == [target]


def test_kill_while_building_a_folder_keeps_the_old_folder(tmp_path):
    posts = tmp_path / "content" / "posts"
    replace_dir_files(posts, {"a.md": "A1", "b.md": "B1"})
    run = killed_midway(f"""
        from pathlib import Path
        from recover.export.atomic import atomic_write, replacing_dir
        with replacing_dir({str(posts)!r}) as staging:
            atomic_write(Path(staging) / "a.md", "A2")
            die()
    """)
    assert run.returncode == -9
    assert {p.name: p.read_text() for p in posts.iterdir()} == {"a.md": "A1", "b.md": "B1"}
    replace_dir_files(posts, {"c.md": "C2"})
    assert {p.name: p.read_text() for p in posts.iterdir()} == {"c.md": "C2"}
    assert sorted(p.name for p in posts.parent.iterdir()) == ["posts"]  # staging cleaned


def test_error_while_building_a_folder_keeps_the_old_folder(tmp_path):
    posts = tmp_path / "posts"
    replace_dir_files(posts, {"a.md": "A1"})
    with pytest.raises(ValueError), replacing_dir(posts) as staging:
        (staging / "b.md").write_text("B2")
        raise ValueError("bad post")
    assert {p.name for p in posts.iterdir()} == {"a.md"}
    assert [p.name for p in tmp_path.iterdir()] == ["posts"]


def test_swap_without_renameat2_and_interrupted_swap(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    posts = tmp_path / "posts"
    replace_dir_files(posts, {"a.md": "A1"})
    replace_dir_files(posts, {"b.md": "B2"})
    assert [p.name for p in posts.iterdir()] == ["b.md"]
    # a run killed between its two renames: only the old folder, renamed aside
    os.rename(posts, tmp_path / ".posts.old")
    recover_dir(posts)
    assert [p.name for p in posts.iterdir()] == ["b.md"]


def test_paths_cannot_escape_the_folder(tmp_path):
    with pytest.raises(ValueError):
        replace_dir_files(tmp_path / "posts", {"../evil.md": "x"})
    assert not (tmp_path / "evil.md").exists()


def test_atomic_feed_storage(tmp_path):
    from recover.export.storage import AtomicFileFeedStorage

    target = tmp_path / "feed.xml"
    target.write_bytes(b"old")
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": True})
    fh = storage.open(None)
    fh.write(b"new")
    assert target.read_bytes() == b"old"  # unchanged until stored
    storage.store(fh)
    assert target.read_bytes() == b"new"
    appending = AtomicFileFeedStorage(str(target), feed_options={"overwrite": False})
    fh = appending.open(None)
    fh.write(b"+more")
    appending.store(fh)
    assert target.read_bytes() == b"new+more"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_readers_never_see_a_partial_file(tmp_path):
    target = tmp_path / "r.txt"
    versions = [c * 200_000 for c in "ab"]
    atomic_write(target, versions[0])
    seen: set[str] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.add(target.read_text())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(40):
            atomic_write(target, versions[i % 2])
    finally:
        stop.set()
        thread.join()
    assert seen <= set(versions)


def test_write_json_writes_a_large_document_in_pieces():
    """No piece of a large document's JSON is much over 64K characters: the whole text is
    never one string; the file is the document, with a final newline."""
    import io
    import json

    class Pieces(io.BytesIO):
        sizes: list[int] = []

        def write(self, data):
            self.sizes.append(len(data))
            return super().write(data)

    doc = {"posts": [{"id": i, "html": "<p>é" + "x" * 1000 + "</p>"} for i in range(3000)]}
    fh = Pieces()
    write_json(fh, doc, indent=1)
    assert len(fh.sizes) > 10 and max(fh.sizes) < 80_000 * 2
    assert fh.getvalue().endswith(b"}\n")
    assert json.loads(fh.getvalue()) == doc
