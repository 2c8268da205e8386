"""write_all: every output file, the report, re-runs, and the exporters under Scrapy FEEDS."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from recover.export import exporters as exporters_module
from recover.export import write_all
from recover.post import Post

FIXTURES = Path(__file__).parent / "fixtures" / "export"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
REPORT = {
    "site": "http://blog.example.com/",
    "archives": ["https://web.archive.org/web/", "warc:/data/blog.warc.gz"],
    "missing": [
        {
            "url": "http://blog.example.com/2008/12/lost/",
            "known_from": "http://blog.example.com/feed/",
            "reason": "no capture\nin any archive",
        },
        {
            "url": "http://blog.example.com/2009/12/gone/",
            "known_from": ["sitemap", "link"],
            "reason": "only error pages",
            "title": "Gone\nbut named",  # a menu's link named it
        },
    ],
    "skipped": [
        {
            "url": "https://web.archive.org/web/2010/http://blog.example.com/x/",
            "timestamp": "20100101000000",
            "reason": "soft 404:\n  'Page not found'",
        },
    ],
    "stats": {"captures_seen": 42, "requests": 17},
}


def load_posts() -> list[Post]:
    return [Post.from_dict(d) for d in json.loads((FIXTURES / "posts.json").read_text())]


@pytest.fixture
def out(tmp_path) -> Path:
    write_all(load_posts(), tmp_path / "out", REPORT, now=NOW)
    return tmp_path / "out"


def test_all_files_written(out):
    names = {p.name for p in out.iterdir()}
    assert names == {
        "posts.jsonl",
        "wordpress.xml",
        "ghost.json",
        "ghost-comments.json",
        "content",
        "data",
        "_posts",
        "_data",
        "report.json",
        "report.md",
    }
    assert not [p for p in out.rglob(".*")]  # no temp or staging leftovers
    etree.parse(str(out / "wordpress.xml"), etree.XMLParser(recover=False))
    json.loads((out / "ghost.json").read_text(encoding="utf-8"))


def test_posts_jsonl_round_trips(out):
    lines = (out / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    posts = [Post.from_dict(json.loads(line)) for line in lines]
    assert len(posts) == len(load_posts())
    hello = next(p for p in posts if p.url.endswith("hello-world/"))
    assert hello.title == "Hello, world" and hello.content_markdown.startswith("First [about]")
    assert hello.comments[1].parent == "comment-1"
    assert len({p.slug for p in posts}) == len(posts)
    md_files = {p.stem for p in (out / "content" / "posts").glob("*.md")}
    assert md_files == {p.slug for p in posts}  # same slugs in every format
    dates = [json.loads(line)["published"] for line in lines[1:3]]  # 1970 fallback first
    assert dates == ["2008-10-31T12:00:00+01:00", "2009-01-02T08:00:00Z"]  # oldest first


def test_report_json(out):
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["counts"] == {
        "recovered": 10,
        "partial": 1,
        "missing": 2,
        "posts": 11,
        "comments": 3,
        "errors": 1,
        "estimated_dates": 4,
        "media_files": 0,
        "media_missing": 0,
        "deleted": 0,
        "pages": 0,
    }
    assert data["site"] == "http://blog.example.com/"
    assert data["archives"] == REPORT["archives"]
    assert data["stats"] == REPORT["stats"]
    assert data["missing"][0] == {
        "url": "http://blog.example.com/2008/12/lost/",
        "known_from": ["http://blog.example.com/feed/"],
        "reason": "no capture in any archive",
    }
    assert data["missing"][1]["title"] == "Gone but named"
    assert data["errors"] == [
        {
            "url": REPORT["skipped"][0]["url"],
            "timestamp": "20100101000000",
            "reason": "soft 404: 'Page not found'",
        }
    ]
    entry = next(p for p in data["posts"] if p["url"].endswith("hello-world/"))
    assert entry["title"] == "Hello, world" and entry["partial"] is False
    assert entry["source"]["capture_url"].startswith("https://web.archive.org/web/20081101000000/")
    assert entry["source"]["timestamp"] == "20081101000000"
    assert len(entry["sources"]) == 1
    partial = next(p for p in data["posts"] if p["partial"])
    assert partial["url"] == "http://blog.example.com/?p=77" and partial["date_estimated"]


def test_report_md(out):
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "**10** posts recovered complete, **1** partial" in text
    assert "**2** missing" in text
    assert "## Missing posts" in text and "<http://blog.example.com/2008/12/lost/>" in text
    assert "Gone but named <http://blog.example.com/2009/12/gone/>: only error pages" in text
    assert "## Skipped captures" in text and "## Stats" in text
    assert "## Site settings the Markdown needs" in text and "unsafe = true" in text
    assert len(text.splitlines()) < 80


def test_rerun_replaces_everything(out):
    posts = load_posts()[:2]
    write_all(posts, out, {"site": "http://blog.example.com/"}, now=NOW)
    assert {p.stem for p in (out / "content" / "posts").glob("*.md")} == {
        "hello-world",
        "templates",
    }
    assert len((out / "posts.jsonl").read_text().splitlines()) == 2
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["missing"] == 0 and report["missing"] == []


def test_failure_midway_keeps_previous_outputs(out, monkeypatch):
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("exporter crashed")

    monkeypatch.setattr(exporters_module, "render_ghost", broken)
    with pytest.raises(RuntimeError):
        write_all(load_posts()[:1], out, {}, now=NOW)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # every file is written before any is replaced: a crash leaves the previous run whole
    assert after == before
    etree.parse(str(out / "wordpress.xml"), etree.XMLParser(recover=False))
    assert not [p for p in out.rglob(".*")]


SPIDER = """
import json, sys
from pathlib import Path
import scrapy
from scrapy.crawler import CrawlerProcess
from recover.post import Post

out = Path(sys.argv[1])
posts = [Post.from_dict(d) for d in json.loads(Path(sys.argv[2]).read_text())]

class Posts(scrapy.Spider):
    name = "posts"

    async def start(self):
        for post in posts:
            yield post

process = CrawlerProcess(settings={
    "LOG_LEVEL": "ERROR",
    "FEED_EXPORTERS": {
        "jsonl-posts": "recover.export.exporters.PostsJsonLinesExporter",
        "wxr": "recover.export.exporters.WxrExporter",
        "ghost": "recover.export.exporters.GhostJsonExporter",
        "markdown": "recover.export.exporters.MarkdownExporter",
    },
    "FEED_STORAGES": {"": "recover.export.storage.AtomicFileFeedStorage",
                      "file": "recover.export.storage.AtomicFileFeedStorage"},
    "FEEDS": {
        str(out / "posts.jsonl"): {"format": "jsonl-posts", "overwrite": True},
        str(out / "wordpress.xml"): {"format": "wxr", "overwrite": True,
                                     "item_export_kwargs": {"site_url": "http://blog.example.com/"}},
        str(out / "ghost.json"): {"format": "ghost", "overwrite": True},
        str(out / "markdown.json"): {"format": "markdown", "overwrite": True,
                                     "item_export_kwargs": {"directory": str(out / "md")}},
    },
})
process.crawl(Posts)
process.start()
"""


def test_exporters_under_scrapy_feeds(tmp_path):
    script = tmp_path / "crawl.py"
    script.write_text(textwrap.dedent(SPIDER))
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out"), str(FIXTURES / "posts.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = tmp_path / "out"
    n = len(load_posts())
    assert len((out / "posts.jsonl").read_text().splitlines()) == n
    root = etree.parse(str(out / "wordpress.xml"), etree.XMLParser(recover=False)).getroot()
    assert len(root.findall("channel/item")) == n
    ghost = json.loads((out / "ghost.json").read_text())
    assert len(ghost["db"][0]["data"]["posts"]) == n
    manifest = json.loads((out / "markdown.json").read_text())
    assert len(manifest["files"]) == n
    assert {f["file"] for f in manifest["files"]} == {p.name for p in (out / "md").glob("*.md")}
