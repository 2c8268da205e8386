"""The generated sample blog the tests share (see :mod:`support.demo.bundle`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support.demo.bundle import Bundle, write_bundle

SampleBlog = Bundle


def build_sample(folder: Path, n_posts: int = 24, seed: int = 0, **kw: Any) -> SampleBlog:
    """Generate a blog and write ``blog.warc.gz``, ``truth.jsonl`` and ``site.json``."""
    return write_bundle(folder, n_posts, seed=seed, **kw)
