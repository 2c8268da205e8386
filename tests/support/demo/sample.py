"""The sample archive ``recover demo`` ships, and how it is rebuilt.

``python tests/support/demo/sample.py`` writes ``recover/demo/sample.warc.gz`` again
(24 posts, seed 0); run it when the generator changes what the demo should show.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``support`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from recover.demo import SAMPLE_SITE, SAMPLE_WARC  # noqa: E402
from support.demo.blog import make_blog  # noqa: E402
from support.demo.model import Blog  # noqa: E402
from support.demo.warc import write_warc  # noqa: E402

SAMPLE_POSTS = 24
SAMPLE_SEED = 0


def sample_blog() -> Blog:
    """The blog the bundled sample archive holds."""
    blog = make_blog(SAMPLE_POSTS, seed=SAMPLE_SEED)
    assert blog.base == SAMPLE_SITE, (blog.base, SAMPLE_SITE)
    return blog


def write_sample(path: Path = SAMPLE_WARC) -> Path:
    """Write the sample blog's captures to ``path`` (default: the package's copy)."""
    return write_warc(sample_blog(), path)


if __name__ == "__main__":
    print(write_sample())
