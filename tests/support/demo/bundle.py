"""A demo blog on disk in one call: ``blog.warc.gz``, ``truth.jsonl`` and ``site.json``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.demo.blog import Blog, make_blog
from support.demo.truth import write_truth
from support.demo.warc import write_warc


@dataclass
class Bundle:
    """``blog`` (truth and traps), ``warc`` (its captures), ``dir`` (where all is written).
    Attribute access falls through to ``blog``."""

    blog: Blog
    warc: Path
    dir: Path

    def __getattr__(self, name: str) -> Any:
        return getattr(self.blog, name)


def write_bundle(
    folder: str | os.PathLike[str], n_posts: int = 24, *, seed: int = 0, **options: Any
) -> Bundle:
    """Generate a blog (``make_blog`` options) and write its WARC and truth into ``folder``."""
    out = Path(folder)
    blog = make_blog(n_posts, seed=seed, **options)
    warc = write_warc(blog, out / "blog.warc.gz")
    write_truth(blog, out)
    return Bundle(blog, warc, out)
