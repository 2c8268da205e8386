"""End to end over every source at once: CDX, Memento, Common Crawl, saved pages, feeds.

A generated 24-post blog's captures are spread (:mod:`support.spread`) over a pywb
collection read by CDX (``--archive``), a second collection read only through TimeMaps
(``--memento``), a Common Crawl-style index and range-served WARC (``--commoncrawl``) and a
folder of browser-saved pages (``--html``), with URL variants of one post across sources.
``recover run`` (the real command line, in a subprocess) runs once with every source and
once with the Wayback source alone; the tests check each post comes out once, whole, from
the right capture, with every comment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html
from support.ccserver import CRAWL, CCServer, cc_filename
from support.demo.blog import make_blog
from support.demo.model import Blog
from support.spread import Files, Spread, spread_blog

from recover.urls import canonical

REPO = Path(__file__).resolve().parent.parent


def recover_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real ``recover`` command line."""
    return subprocess.run(
        [sys.executable, "-m", "recover", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def text_of(fragment: str) -> str:
    """Whitespace-normalised plain text of an HTML fragment."""
    if not fragment.strip():
        return ""
    root = html.fragment_fromstring(fragment, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def read_posts(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The blog, its spread, the servers, and both recoveries (every source; Wayback alone)."""
    try:
        from recover.demo.pywb import PywbArchive, PywbError
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"pywb support unavailable: {exc}")
    base = tmp_path_factory.mktemp("spread")
    blog = make_blog(24, seed=0)
    spread = spread_blog(blog)
    files = spread.write(base / "sources")
    archive = PywbArchive(collections={"web": [files.web], "other": [files.other]})
    try:
        archive.start()
    except (PywbError, OSError) as exc:
        pytest.skip(f"pywb could not start: {str(exc)[:500]}")
    web, other = archive.replay_prefix_for("web"), archive.replay_prefix_for("other")
    common = ("--rate", "cdx=0,replay=0", "--progress", "off")
    try:
        with CCServer({cc_filename(): files.cc}) as cc:
            every = recover_cli(
                "run", blog.base, "--archive", web, "--memento", other,
                "--commoncrawl", CRAWL, "--cc-index", cc.url, "--cc-data", cc.url,
                "--html", str(files.html), "--out", str(base / "every"), *common,
            )  # fmt: skip
            alone = recover_cli(
                "run", blog.base, "--archive", web, "--out", str(base / "alone"), *common
            )
            cc_url = cc.url
    finally:
        archive.stop()
    assert every.returncode == 0, every.stderr
    assert alone.returncode == 0, alone.stderr
    yield {
        "blog": blog,
        "spread": spread,
        "files": files,
        "web": web,
        "other": other,
        "cc": cc_url,
        "every": read_posts(base / "every"),
        "alone": read_posts(base / "alone"),
        "report": json.loads((base / "every" / "report.json").read_text()),
    }


def by_key(posts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {canonical(p["url"]): p for p in posts}


def role(world: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The recovered posts playing one part of the spread (each must be there)."""
    posts = by_key(world["every"])
    urls = world["spread"].roles[name]
    assert urls, name
    missing = [u for u in urls if canonical(u) not in posts]
    assert not missing, f"{name}: not recovered: {missing}"
    return [posts[canonical(u)] for u in urls]


def newest_good(spread: Spread, source: str, url: str) -> str:
    """14-digit timestamp of the newest good page record of ``url`` in one source."""
    records = [
        r
        for r in getattr(spread, source)
        if canonical(r.url) == canonical(url) and r.status == 200 and b"<html" in r.body[:400]
    ]
    records = [r for r in records if b"Error establishing" not in r.body]
    assert records, (source, url)
    return max(r.at for r in records).strftime("%Y%m%d%H%M%S")


def test_every_post_comes_back_once_and_whole(world: dict[str, Any]) -> None:
    blog: Blog = world["blog"]
    keys = [canonical(p["url"]) for p in world["every"]]
    assert len(keys) == len(set(keys)), "a post came out twice"
    assert set(keys) == {canonical(p.url) for p in blog.posts}
    truths = {canonical(p.url): p for p in blog.posts}
    for post in world["every"]:
        assert not post["partial"], post["url"]
        truth = truths[canonical(post["url"])]
        assert post["title"] == truth.title, post["url"]
        assert text_of(post["content_html"]) == text_of(truth.content_html), post["url"]
    assert world["report"]["missing"] == []


def test_wayback_alone_recovers_strictly_fewer(world: dict[str, Any]) -> None:
    whole = {canonical(p["url"]) for p in world["alone"] if not p["partial"]}
    every = {canonical(p["url"]) for p in world["every"] if not p["partial"]}
    assert whole < every
    alone = by_key(world["alone"])
    spread: Spread = world["spread"]
    elsewhere = ("memento_error", "memento_redirect", "memento_index", "memento_sitemap", "cc")
    for name in (*elsewhere, "html"):
        for url in spread.roles[name]:  # gone, or only a feed entry or an index excerpt
            post = alone.get(canonical(url))
            assert post is None or post["source"]["kind"] in ("feed", "index"), (name, url)


def test_provenance_points_at_sources_used(world: dict[str, Any]) -> None:
    for post in world["every"]:
        used = {s["capture_url"] for s in post["sources"]}
        assert post["source"]["capture_url"] in used, post["url"]
        assert post["provenance"]["content_html"] == post["source"]["capture_url"], post["url"]
        for name, where in post["provenance"].items():
            assert set(where.split(",")) <= used, (post["url"], name, where)


def test_memento_only_posts_come_from_the_timemap_archive(world: dict[str, Any]) -> None:
    spread, other = world["spread"], world["other"]
    for name in ("memento_error", "memento_redirect", "memento_index", "memento_feed"):
        for post in role(world, name):
            source = post["source"]
            assert source["kind"] == "page", (name, post["url"])
            ts = newest_good(spread, "other", post["url"])
            assert source["capture_url"] == f"{other}{ts}id_/{source['original']}", name
    (post,) = role(world, "memento_sitemap")
    assert post["source"]["capture_url"].startswith(other)


def test_common_crawl_posts_are_read_by_range(world: dict[str, Any]) -> None:
    data = f"{world['cc']}/{cc_filename()}#"
    for post in role(world, "cc"):
        assert post["source"]["archive"] == f"cc:{CRAWL}"
        assert post["source"]["capture_url"].startswith(data), post["source"]


def test_url_variants_fold_into_one_post(world: dict[str, Any]) -> None:
    (post,) = role(world, "variants")
    truth_url = world["spread"].roles["variants"][0]
    assert post["url"] == truth_url  # the post's own URL, not a variant
    source = post["source"]
    assert source["archive"] == f"cc:{CRAWL}"  # the newest capture, at https://www.
    assert source["original"].startswith("https://www.") and "utm_source" in source["original"]
    keys = [canonical(p["url"]) for p in world["every"]]
    assert keys.count(canonical(truth_url)) == 1


def test_saved_page_of_a_lost_post(world: dict[str, Any]) -> None:
    files: Files = world["files"]
    (post,) = role(world, "html")
    source = post["source"]
    assert source["kind"] == "html"
    assert source["archive"] == f"html:{files.html.resolve()}"
    assert source["capture_url"].startswith(files.html.resolve().as_uri())


def test_feed_only_post_from_the_wayback_feed(world: dict[str, Any]) -> None:
    for post in role(world, "feed_only"):
        assert post["source"]["kind"] == "feed"
        assert post["source"]["capture_url"].startswith(world["web"])


def test_comments_are_the_union_of_page_and_comment_feed(world: dict[str, Any]) -> None:
    blog: Blog = world["blog"]
    (post,) = role(world, "comments")
    truth = blog.post(world["spread"].roles["comments"][0])
    assert post["source"]["capture_url"].startswith(world["web"])  # the old page
    got = [(c["author"], text_of(c["content_html"])) for c in post["comments"]]
    want = [(c.author, text_of(c.content_html)) for c in truth.comments]
    assert got == want
    feeds = [s for s in post["sources"] if s["archive"] == f"cc:{CRAWL}"]
    assert [s["kind"] for s in feeds] == ["feed"]  # the comment feed, read by range
    assert feeds[0]["original"].endswith("/feed/")
    where = set(post["provenance"]["comments"].split(","))
    assert where == {post["source"]["capture_url"], feeds[0]["capture_url"]}


def test_every_comment_of_every_post(world: dict[str, Any]) -> None:
    blog: Blog = world["blog"]
    posts = by_key(world["every"])
    for truth in blog.posts:
        post = posts[canonical(truth.url)]
        if post["source"]["kind"] == "feed":
            continue  # a post feed carries no comments
        got = [(c["author"], text_of(c["content_html"])) for c in post["comments"]]
        assert len(got) == len({(a, t) for a, t in got}), truth.url  # none twice


def test_merge_keeps_the_sites_own_url_and_one_copy_per_comment() -> None:
    """The two merge rules the spread relies on, record by record."""
    from recover.normalize.merge import merge
    from recover.post import Comment, Post, Source

    site = "http://blog.example.com/2008/10/31/hello/"
    seen = "https://www.blog.example.com/2008/10/31/hello?utm_source=rss"
    late = Comment("Ann", "2008-11-01T01:30:00+00:00", "<p>Late night.</p>")  # feed: UTC
    page = Post(
        url=seen,
        title="Hello",
        content_html="<p>Body</p>",
        comments=[Comment("Ann", "2008-10-31T20:30:00", "<p>Late night.</p>")],  # local
        source=Source("cc:CC-MAIN-2015-11", "http://cc/x#0-9", "20081102000000", "page", seen),
    )
    feed = Post(
        url=site,
        comments=[late, Comment("Bob", "2008-11-03T10:00:00+00:00", "<p>Next.</p>")],
        partial=True,
        source=Source("http://a/web/", "http://a/web/1id_/feed", "20081104000000", "feed"),
    )
    out = merge([page, feed])
    assert out.url == site
    assert [c.author for c in out.comments] == ["Ann", "Bob"]
    assert merge([page]).url == "https://www.blog.example.com/2008/10/31/hello"
