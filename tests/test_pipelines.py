"""The export pipeline in-process: a crawler with the run's store, no crawl.

It collects the merged posts the spider yields and writes every output when the spider
closes; a crawl stopped before its merge writes what the store holds; the report says why
each known post is missing, "not tried yet" for what a stopped run never tried.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from recover.pipelines import NOT_TRIED, ExportPipeline
from recover.post import Post, Source
from recover.spiders.recover import RecoverSpider
from recover.store import NO_CAPTURE, RunState, Store

SITE = "http://blog.example.com"
WEB = "http://archive.test/web/"


def _crawler(out: Path) -> tuple[Crawler, Store]:
    crawler = get_crawler(
        RecoverSpider,
        {"EXTENSIONS": {"recover.store.RunState": 0}, "RECOVER_FORMATS": ["hugo"]},
    )
    crawler._apply_settings()
    store = RunState.of(crawler).open(out, {"site": SITE})
    return crawler, store


def _post(n: int) -> Post:
    url = f"{SITE}/2008/10/{n:02d}/post-{n}/"
    ts = f"200810{n:02d}100000"
    return Post(
        url=url,
        title=f"Post {n}",
        published=f"2008-10-{n:02d}T10:00:00+00:00",
        content_html=f"<p>The text of post {n}, as its author wrote it.</p>",
        source=Source(WEB, f"{WEB}{ts}id_/{url}", ts, "page", url),
    )


def _outputs(out: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    return posts, json.loads((out / "report.json").read_text())


def test_merged_posts_are_written_with_the_missing_and_the_stats(tmp_path: Path) -> None:
    out = tmp_path / "out"
    crawler, store = _crawler(out)
    for n in (1, 2, 3):
        store.add_known(_post(n).url, "cdx")
    store.record_outcome(f"{WEB}x/3", f"{SITE}/2008/10/03/post-3", "bad", "database error")
    pipeline = ExportPipeline.from_crawler(crawler)
    for n in (1, 2):
        assert pipeline.process_item(_post(n)) is not None  # passed on to the feed exports
    pipeline.close_spider()
    posts, report = _outputs(out)
    assert [p["title"] for p in posts] == ["Post 1", "Post 2"]
    assert (out / "content" / "posts").is_dir()  # the formats asked for
    assert [(m["url"], m["reason"]) for m in report["missing"]] == [
        (_post(3).url, "database error")
    ]
    assert report["site"] == SITE
    assert crawler.stats.get_value("recover/posts") == 2
    assert crawler.stats.get_value("recover/missing_posts") == 1
    assert crawler.stats.get_value(f"recover/from/page {WEB}") == 2


def test_a_run_stopped_before_its_merge_writes_what_the_store_holds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    crawler, store = _crawler(out)
    for n in (1, 2):
        store.add_known(_post(n).url, "cdx")
    store.add_post(_post(1))
    crawler.stats.set_value("recover/stop_reason", "interrupted")
    ExportPipeline.from_crawler(crawler).close_spider()  # no item came: merged from the store
    posts, report = _outputs(out)
    assert [p["title"] for p in posts] == ["Post 1"]
    assert [m["reason"] for m in report["missing"]] == [NOT_TRIED]
    assert NOT_TRIED != NO_CAPTURE


_FREED_BODIES = """
import os, sys
from pathlib import Path
from recover.pipelines import give_back_memory

def rss_mb():
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6

bodies, kept = [], []
for i in range(3000):  # a crawl's page bodies, with small records kept between them
    bodies.append(b"x" * 40_000 + bytes([i % 256]))
    kept.append(b"k" * 600 + bytes([i % 256]))
del bodies
held = rss_mb()
give_back_memory()
print(held, rss_mb(), len(kept))
"""


def test_memory_the_crawl_freed_is_given_back_before_the_exports() -> None:
    """Freed bodies between live blocks stay in glibc's heap (counted in the peak) until
    given back: ``give_back_memory`` (which the pipeline calls before writing) does.

    In a fresh interpreter: a test worker's heap, shaped by the tests before, may already
    serve 40 KB blocks from mmap (glibc's threshold moves), which hides the effect."""
    import ctypes
    import subprocess
    import sys

    if not Path("/proc/self/statm").exists() or not hasattr(ctypes.CDLL(None), "malloc_trim"):
        pytest.skip("needs Linux and glibc")
    out = subprocess.run(
        [sys.executable, "-c", _FREED_BODIES], capture_output=True, text=True, check=True
    ).stdout.split()
    held, after, kept = float(out[0]), float(out[1]), int(out[2])
    assert held > 120, "the freed bodies were counted while held"
    assert after < held - 100, "the freed 120 MB stayed with the process"
    assert kept == 3000
