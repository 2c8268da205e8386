"""The demo's parts: a synthetic blog (truth + WARC captures) and a real pywb server over it.

Used by ``recover demo``, the tests and ``bench/scale.py``::

    from recover.demo import make_blog, write_warc, PywbArchive
    blog = make_blog(24, seed=0)
    warc = write_warc(blog, "blog.warc.gz")
    with PywbArchive([warc]) as wb:
        ...  # wb.replay_prefix, wb.cdx_url
"""

from recover.demo.blog import Blog, make_blog
from recover.demo.bundle import Bundle, write_bundle
from recover.demo.captures import TRAP_SHARES, Capture
from recover.demo.pywb import PywbArchive, PywbError
from recover.demo.warc import render_capture, write_warc

__all__ = [
    "Blog",
    "Bundle",
    "Capture",
    "PywbArchive",
    "PywbError",
    "TRAP_SHARES",
    "make_blog",
    "render_capture",
    "write_bundle",
    "write_warc",
]
