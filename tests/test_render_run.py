"""`recover run --format jekyll` on the generated blog, built by a real Jekyll.

Every recovered post renders to its ``content_html`` text, and every comment is on its page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import render

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(render.JEKYLL is None, reason="needs jekyll")
def test_format_jekyll_builds_every_post_and_comment(sample_blog: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "recover", "run", sample_blog.blog.base,
         "--warc", str(sample_blog.warc), "--out", str(out), "--progress", "off",
         "--format", "jekyll"],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (out / "_posts").is_dir() and not (out / "content").exists()
    assert not (out / "data").exists() and (out / "_data" / "comments").is_dir()
    report = json.loads((out / "report.json").read_text())
    assert report["formats"] == ["jekyll"]
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    pages, _ = render.build_jekyll(out, tmp_path / "site", report["config"]["jekyll"])
    assert set(pages) == {p["slug"] for p in posts}
    for post in posts:
        page = pages[post["slug"]]
        assert render.visible_text(page.body) == render.visible_text(post["content_html"])
        assert [render.visible_text(c) for c in page.comments] == [
            render.visible_text(c["content_html"])
            for c in sorted(post["comments"], key=lambda c: c["published"] or "")
        ]
    assert sum(len(p["comments"]) for p in posts) > 0
