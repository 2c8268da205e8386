"""The synthetic blog the tests and benchmarks recover: truth, planted faults, WARC captures.

Test data, not the package: ``recover demo`` serves a WARC built once from it
(``python tests/support/demo/sample.py`` rebuilds ``recover/demo/sample.warc.gz``)::

    from support.demo import make_blog, write_warc
    blog = make_blog(24, seed=0)
    warc = write_warc(blog, "blog.warc.gz")

Modules, leaves first: ``model`` (Blog, PostMeta, Capture), ``text``, ``captures`` (the
capture plan and its traps), ``blog`` (``make_blog``), ``wordpress`` and ``blogger`` (page
renderers), ``archived`` (archive rewriting, error pages), ``warc``, ``truth``, ``bundle``.
"""

from support.demo.blog import make_blog
from support.demo.bundle import Bundle, write_bundle
from support.demo.captures import TRAP_SHARES
from support.demo.model import Blog, Capture
from support.demo.warc import render_capture, write_warc

__all__ = [
    "Blog",
    "Bundle",
    "Capture",
    "TRAP_SHARES",
    "make_blog",
    "render_capture",
    "write_bundle",
    "write_warc",
]
