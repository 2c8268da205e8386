"""The generated sample blog the tests share: truth, WARC and truth files in one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recover.demo import Blog, make_blog, write_warc
from recover.demo.truth import write_truth


@dataclass
class SampleBlog:
    """``blog`` (the truth and its traps), ``warc`` (its captures), ``dir`` (where both are,
    with ``truth.jsonl`` and ``site.json``). Attribute access falls through to ``blog``."""

    blog: Blog
    warc: Path
    dir: Path

    def __getattr__(self, name: str) -> Any:
        return getattr(self.blog, name)


def build_sample(folder: Path, n_posts: int = 24, seed: int = 0, **kw: Any) -> SampleBlog:
    """Generate a blog and write ``blog.warc.gz``, ``truth.jsonl`` and ``site.json``."""
    blog = make_blog(n_posts, seed=seed, **kw)
    warc = write_warc(blog, folder / "blog.warc.gz")
    write_truth(blog, folder)
    return SampleBlog(blog, warc, folder)
