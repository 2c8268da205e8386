"""End to end: `recover run` against a real pywb over the generated blog's WARC.

One recovery per session (the real command line, in a subprocess); the tests check what
it wrote against the blog's truth: every post recoverable from a page or the feed, exact
titles, dates to the minute, terms, bodies, comments; no error page, no archive URL, no
mojibake; the WXR parses and holds everything; hugo builds the Markdown.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree, html
from support import hugo, runner

from recover import cli
from recover.urls import canonical

REPO = Path(__file__).resolve().parent.parent


def recover_cli(
    *args: str, cwd: Path | None = None, timeout: float = 300, module: str = "recover"
) -> subprocess.CompletedProcess:
    """Run the real ``recover`` command line (``python -m <module>``)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or REPO,
    )


@pytest.fixture(scope="session")
def recovered(sample_blog: Any, pywb_archive: Any) -> dict:
    """The session's reference run (:func:`support.runner.clean_run`), read-only."""
    out = runner.clean_run(sample_blog, pywb_archive)
    stdout = (out.parent / "stdout.txt").read_text(encoding="utf-8")
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    return {"out": out, "posts": {canonical(p["url"]): p for p in posts}, "stdout": stdout}


def text_of(fragment: str) -> str:
    """Whitespace-normalised plain text of an HTML fragment."""
    if not fragment.strip():
        return ""
    root = html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def minute(iso: str) -> str:
    """``YYYY-MM-DDTHH:MM`` in the post's own local time."""
    return datetime.fromisoformat(iso).strftime("%Y-%m-%dT%H:%M")


def page_posts(blog: Any) -> list[Any]:
    return [p for p in blog.posts if blog.recoverable_from[p.url] == "page"]


def test_every_recoverable_post_comes_back_once(recovered: dict, sample_blog: Any) -> None:
    blog = sample_blog.blog
    wanted = {
        canonical(p.url) for p in blog.posts if blog.recoverable_from[p.url] in ("page", "feed")
    }
    assert wanted <= set(recovered["posts"])
    truth_keys = {canonical(p.url) for p in blog.posts}
    assert set(recovered["posts"]) <= truth_keys  # nothing that is not a post
    lost = {canonical(p.url) for p in blog.posts if blog.recoverable_from[p.url] == "none"}
    assert not lost & set(recovered["posts"])


def test_titles_dates_terms_exact(recovered: dict, sample_blog: Any) -> None:
    for truth in page_posts(sample_blog.blog):
        post = recovered["posts"][canonical(truth.url)]
        assert post["title"] == truth.title
        assert minute(post["published"]) == minute(truth.published), truth.url
        assert sorted(post["categories"]) == sorted(truth.categories), truth.url
        assert sorted(post["tags"]) == sorted(truth.tags), truth.url


def test_bodies_equal_the_originals(recovered: dict, sample_blog: Any) -> None:
    for truth in page_posts(sample_blog.blog):
        post = recovered["posts"][canonical(truth.url)]
        assert text_of(post["content_html"]) == text_of(truth.content_html), truth.url
        assert post["content_markdown"].strip()
        assert not post["partial"]


def test_comments_of_the_newest_good_capture(recovered: dict, sample_blog: Any) -> None:
    for truth in page_posts(sample_blog.blog):
        post = recovered["posts"][canonical(truth.url)]
        got = [(c["author"], text_of(c["content_html"])) for c in post["comments"]]
        want = [(c.author, text_of(c.content_html)) for c in truth.comments]
        assert got == want, truth.url


def test_error_pages_never_used(recovered: dict, sample_blog: Any) -> None:
    blog = sample_blog.blog
    for trap in ("error_db", "error_500", "error_suspended"):
        for url in blog.traps[trap]:
            post = recovered["posts"][canonical(url)]
            bad = {c.timestamp for c in blog.captures_of(url) if c.trap == trap}
            assert post["source"]["timestamp"] not in bad
            assert "database" not in post["content_html"].lower()
            assert "suspended" not in post["content_html"].lower()


def test_traps_redirect_charset_rewriting(recovered: dict, sample_blog: Any) -> None:
    blog = sample_blog.blog
    for trap in ("redirect_old", "redirect_www", "https"):
        for url in blog.traps[trap]:
            assert canonical(url) in recovered["posts"], (trap, url)
    for url in blog.traps["cp1252"]:
        post = recovered["posts"][canonical(url)]
        assert text_of(post["content_html"]) == text_of(blog.post(url).content_html)
        assert not re.search(
            "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u20ac\u201a-\u203a]", post["content_html"]
        )
    for post in recovered["posts"].values():
        for field in ("content_html", "content_markdown"):
            assert "/web/" not in post[field], post["url"]
            assert "127.0.0.1" not in post[field], post["url"]
            assert "WAYBACK" not in post[field].upper(), post["url"]


def test_source_names_the_capture(recovered: dict, pywb_archive: Any) -> None:
    for post in recovered["posts"].values():
        source = post["source"]
        assert re.fullmatch(r"\d{14}", source["timestamp"])
        if source["kind"] == "page":
            assert source["capture_url"] == (
                f"{pywb_archive.replay_prefix}{source['timestamp']}id_/{source['original']}"
            )


def test_feed_only_post_recovered_from_the_feed(recovered: dict, sample_blog: Any) -> None:
    for url in sample_blog.blog.traps["feed_only"]:
        post = recovered["posts"][canonical(url)]
        assert post["source"]["kind"] == "feed"
        assert post["title"] == sample_blog.blog.post(url).title


def test_wxr_holds_every_post_term_and_comment(recovered: dict) -> None:
    tree = etree.parse(
        str(recovered["out"] / "wordpress.xml"), etree.XMLParser(resolve_entities=False)
    )
    ns = {
        "wp": "http://wordpress.org/export/1.2/",
        "content": "http://purl.org/rss/1.0/modules/content/",
    }
    assert tree.findtext("channel/wp:wxr_version", namespaces=ns) == "1.2"
    items = [
        i
        for i in tree.findall("channel/item")
        if i.findtext("wp:post_type", namespaces=ns) != "attachment"  # media: test_media_e2e
    ]
    assert len(items) == len(recovered["posts"])
    by_link = {i.findtext("link"): i for i in items}
    for post in recovered["posts"].values():
        item = by_link[post["url"]]
        assert item.findtext("title") == post["title"]
        assert item.findtext("wp:post_type", namespaces=ns) == "post"
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", item.findtext("wp:post_date_gmt", namespaces=ns)
        )
        terms = {(c.get("domain"), c.text) for c in item.findall("category")}
        assert {("category", c) for c in post["categories"]} <= terms
        assert {("post_tag", t) for t in post["tags"]} <= terms
        assert len(item.findall("wp:comment", namespaces=ns)) == len(post["comments"])
    triples = [(i.findtext("title"), i.findtext("wp:post_date", namespaces=ns)) for i in items]
    assert len(set(triples)) == len(triples)


@pytest.mark.skipif(hugo.HUGO is None, reason="hugo is not installed")
def test_hugo_builds_one_page_per_post(recovered: dict, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build = hugo.build(recovered["out"] / "content", site)
    assert build.returncode == 0, build.stderr
    assert "WARN" not in build.stderr and "ERROR" not in build.stderr, build.stderr
    pages = list((site / "public" / "posts").glob("*/index.html"))
    assert len(pages) == len(recovered["posts"])
    rows = hugo.list_all(site)
    assert len(rows) == len(recovered["posts"])
    assert not any(r["date"].startswith("0001") for r in rows)


def test_report_says_where_each_post_came_from(recovered: dict) -> None:
    report = json.loads((recovered["out"] / "report.json").read_text())
    assert report["counts"]["recovered"] + report["counts"]["partial"] == len(recovered["posts"])
    assert all(p["source"] for p in report["posts"])
    assert "recovered" in recovered["stdout"]


def test_wrong_argument_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "not a url", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unreachable_archive_one_line(tmp_path: Path) -> None:
    """Also ``python -m recover.cli`` (which imports cli twice) ends with its one line."""
    proc = recover_cli(
        "run", "http://blog.example.com", "--archive", "http://127.0.0.1:9/web/",
        "--out", str(tmp_path), "--progress", "off", "--rate", "cdx=0,replay=0",
        "-s", "RECOVER_BACKOFF_BASE=0.05",
        "-s", "RECOVER_RETRIES=1", module="recover.cli",
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("recover: error: could not query"), lines


def test_no_captures_one_line(pywb_archive: Any, tmp_path: Path) -> None:
    proc = recover_cli(
        "run", "http://nothing-here.example.org", "--archive", pywb_archive.replay_prefix,
        "--out", str(tmp_path), "--progress", "off", "--rate", "cdx=0,replay=0",
    )  # fmt: skip
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        f"recover: error: no captures of nothing-here.example.org in {pywb_archive.replay_prefix}"
    ]


def test_index_only_post_is_a_flagged_excerpt(recovered: dict, sample_blog: Any) -> None:
    for url in sample_blog.blog.traps["index_only"]:
        post = recovered["posts"][canonical(url)]
        assert post["source"]["kind"] == "index"
        assert post["partial"] is True
        assert post["title"] == sample_blog.blog.post(url).title
        assert text_of(post["content_html"])  # the excerpt as the index showed it


def test_old_url_folds_into_its_post(recovered: dict, sample_blog: Any) -> None:
    blog = sample_blog.blog
    for url in blog.traps["redirect_old"]:
        post = recovered["posts"][canonical(url)]
        assert post["source"]["kind"] == "page"
        assert not any("?p=" in key for key in recovered["posts"])


def test_scrapy_crawl_shares_the_pipeline(
    recovered: dict, sample_blog: Any, tmp_path: Path
) -> None:
    """``scrapy crawl recover -O x:wxr``: the same posts, one item each, through FEEDS."""
    proc = subprocess.run(
        [
            sys.executable, "-m", "scrapy", "crawl", "recover",
            "-a", f"site={sample_blog.blog.base}", "-a", f"warc={sample_blog.warc}",
            "-a", f"out={tmp_path / 'out'}", "-s", "RECOVER_PROGRESS=off",
            "-O", f"{tmp_path / 'feed.xml'}:wxr",
        ],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    wp = "{http://wordpress.org/export/1.2/}"
    items = [
        i
        for i in etree.parse(str(tmp_path / "feed.xml")).findall("channel/item")
        if i.findtext(f"{wp}post_type") != "attachment"  # media: test_media_e2e
    ]
    links = {canonical(i.findtext("link")) for i in items}
    assert len(items) == len(links) == len(recovered["posts"])
    assert links == set(recovered["posts"])


def test_progress_plain_lines_off_a_terminal(sample_blog: Any, tmp_path: Path) -> None:
    proc = recover_cli(
        "run", sample_blog.blog.base, "--warc", str(sample_blog.warc), "--out", str(tmp_path),
        "--progress", "log", "-s", "RECOVER_PROGRESS_INTERVAL=0.05",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "posts found" in line]
    assert lines, proc.stderr
    assert re.match(r"\d\d:\d\d:\d\d \[\w+\] posts found \d+ · fetched \d+", lines[-1])
    assert "\x1b[" not in proc.stderr  # no terminal control codes in a log
