"""`recover demo`, the README's first command: offline, end to end, into its folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_recover_demo_recovers_the_sample_blog(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "recover", "demo", "--out", str(out), "--progress", "off"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert "recovered 23 post(s)" in proc.stdout
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    assert len(posts) == 23
    for name in ("wordpress.xml", "ghost.json", "report.json", "report.md"):
        assert (out / name).stat().st_size > 0
    assert len(list((out / "content" / "posts").glob("*.md"))) == 23
