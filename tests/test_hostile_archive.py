"""Recoveries against archives that lie: a hostile archive of our own on loopback, real pywb.

Each test scripts what :class:`support.hostile.HostileArchive` answers (CDX pages, captures)
and runs ``recover run`` in a subprocess as a user does (issue 10: 1, 4, 5, 6, 9, 14).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from support import runner
from support.hostile import HostileArchive, Reply, cdx_json, post_page, write_warc

SITE = "http://blog.example.com"
POST = f"{SITE}/2008/10/31/hello-world/"
GOOD = post_page("Hello world", "<p>" + "The real post, as its author wrote it. " * 20 + "</p>")


def _posts(out: Path) -> list[dict[str, Any]]:
    path = out / "posts.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _capture(path: str) -> tuple[str, str] | None:
    """``(timestamp, original)`` of a raw replay path ``/web/<ts>id_/<url>``."""
    m = re.match(r"^/web/(\d{14})id_/(.+)$", path)
    return (m.group(1), m.group(2)) if m else None


@pytest.mark.parametrize(
    "tail", [b"Error\n", b"[1,2,3]\n", b"\nError\n"], ids=["word", "list", "after-blank"]
)
def test_cdx_garbage_line_is_not_a_resume_key(tail: bytes, tmp_path: Path) -> None:
    """10.1: one good row then a one-word line: the run ends, CDX asked once."""

    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            return Reply(200, cdx_json([("20081031100000", POST)]) + tail)
        if _capture(path):
            return Reply(200, GOOD, {"Content-Type": "text/html; charset=utf-8"})
        return None

    out = tmp_path / "out"
    with HostileArchive(answer) as archive:
        done = runner.run(
            runner.command(SITE, archive.prefix, out, settings=runner.FAST), timeout=90
        )
        asked = archive.paths("/web/cdx")
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(asked) == 1, asked
    assert [p["title"] for p in _posts(out)] == ["Hello world"]


IA = "http://web.archive.org/web/"  # reached through an http_proxy: our hostile archive
IA_HEADER = '[["urlkey","timestamp","original","mimetype","statuscode","digest","length"]'


def _ia_row(ts: str, url: str) -> str:
    return f',["k","{ts}","{url}","text/html","200","D{ts}","1000"]'


def _run_as_internet_archive(answer: Any, out: Path) -> list[str]:
    """``recover run`` against web.archive.org, ``answer`` answering through an http_proxy
    (the paths it gets are absolute URLs): the CDX paths asked."""
    with HostileArchive(lambda path: answer(re.sub(r"^http://web\.archive\.org", "", path))) as ia:
        argv = runner.command(SITE, IA, out, settings=runner.FAST)
        done = runner.run(argv, timeout=90, proxy=ia.base_url)
    assert done.returncode == 0, done.stderr[-2000:]
    return ia.paths("cdx")


@pytest.mark.parametrize("tail", ['["Error"]', "[1,2,3]", '[],["Error"]'])
def test_internet_archive_garbage_row_is_not_a_resume_key(tail: str, tmp_path: Path) -> None:
    """10.1 where resume keys are asked for (the Internet Archive's CDX, ``showResumeKey``):
    one good row then a garbage row: the run ends, CDX asked once."""

    def answer(path: str) -> Reply | None:
        if path.startswith("/cdx/search/cdx") or path.startswith("/web/cdx"):
            assert "showResumeKey=true" in path
            body = IA_HEADER + _ia_row("20081031100000", POST) + "," + tail + "]"
            return Reply(200, body.encode(), {"Content-Type": "application/json"})
        if _capture(path):
            return Reply(200, GOOD, {"Content-Type": "text/html; charset=utf-8"})
        return None

    out = tmp_path / "out"
    asked = _run_as_internet_archive(answer, out)
    assert len(asked) == 1, asked
    assert [p["title"] for p in _posts(out)] == ["Hello world"]


def test_internet_archive_resume_key_that_repeats_ends_the_listing(tmp_path: Path) -> None:
    """10.1: a real resume key is followed; a page that gives back the key it was asked
    with would repeat forever: the listing stops there, each page asked once."""
    key = "com%2Cexample%2Cblog%29%2F2008%2F11+20081101100000"
    second = f"{SITE}/2008/11/01/second/"

    def answer(path: str) -> Reply | None:
        if "cdx" in path and "resumeKey=" not in path:
            body = IA_HEADER + _ia_row("20081031100000", POST) + f',[],["{key}"]]'
            return Reply(200, body.encode(), {"Content-Type": "application/json"})
        if "cdx" in path:  # the next page: one more post, and the same key again
            body = IA_HEADER + _ia_row("20081101100000", second) + f',[],["{key}"]]'
            return Reply(200, body.encode(), {"Content-Type": "application/json"})
        cap = _capture(path)
        if cap:
            title = "Second" if cap[1] == second else "Hello world"
            page = post_page(title, f"<p>{title}: " + "the text of this post. " * 20 + "</p>")
            return Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})
        return None

    out = tmp_path / "out"
    asked = _run_as_internet_archive(answer, out)
    assert len(asked) == 2, asked
    stats = json.loads((out / "report.json").read_text("utf-8"))["stats"]
    assert stats["cdx_pages"] == 2, stats  # not a loop over the cached page either
    assert sorted(p["title"] for p in _posts(out)) == ["Hello world", "Second"]


def test_cdx_asked_once_where_the_index_folds_www(tmp_path: Path) -> None:
    """10.4: pywb's SURT index folds ``www.``: one CDX query finds the www. capture too."""
    try:
        from recover.demo.pywb import PywbArchive, PywbError
    except ImportError:  # moved to tests/support
        from support.pywb import PywbArchive, PywbError  # type: ignore[no-redef]
    from support.faultproxy import FaultProxy

    warc = write_warc(
        tmp_path / "www.warc.gz",
        [
            (POST.replace("://blog.", "://www.blog."), "2008-11-01T10:00:00Z", GOOD),
            (
                f"{SITE}/2008/11/02/second/",
                "2008-11-02T10:00:00Z",
                post_page("Second", "<p>" + "Another post. " * 30 + "</p>"),
            ),
        ],
    )
    try:
        wb = PywbArchive([warc]).start()
    except (PywbError, OSError) as exc:
        pytest.skip(f"pywb could not start: {str(exc)[:300]}")
    out = tmp_path / "out"
    try:
        with FaultProxy(wb.base_url) as proxy:
            done = runner.run(runner.command(SITE, proxy.prefix(), out, settings=runner.FAST))
            cdx = [e.path for e in proxy.log if "/cdx" in e.path]
    finally:
        wb.stop()
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(cdx) == 1, cdx
    assert sorted(p["title"] for p in _posts(out)) == ["Hello world", "Second"]


def test_bad_cdx_answer_is_not_cached(tmp_path: Path) -> None:
    """10.9: a maintenance page (200) for CDX is not cached: the re-run asks again."""
    healthy = {"now": False}

    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            if not healthy["now"]:
                return Reply(200, b"<html><body><h1>Down for maintenance</h1></body></html>")
            return Reply(200, cdx_json([("20081031100000", POST)]))
        if _capture(path):
            return Reply(200, GOOD, {"Content-Type": "text/html; charset=utf-8"})
        return None

    out = tmp_path / "out"
    with HostileArchive(answer) as archive:
        argv = runner.command(SITE, archive.prefix, out, settings=runner.FAST)
        first = runner.run(argv)
        assert first.returncode == 2 and "no captures" in first.stderr, first.stderr[-2000:]
        healthy["now"] = True
        second = runner.run(argv)
    assert second.returncode == 0, second.stderr[-2000:]
    assert [p["title"] for p in _posts(out)] == ["Hello world"]


def test_redirect_to_another_site_is_not_the_post(tmp_path: Path) -> None:
    """10.14: the newest capture redirects to evil.example; the older real post is taken."""
    evil = "http://evil.example/pills/"

    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            # the index says 200 for both; the newer one answers with a redirect
            return Reply(200, cdx_json([("20090101000000", POST), ("20081031100000", POST)]))
        cap = _capture(path)
        if cap and cap[1] == POST and cap[0] == "20090101000000":
            return Reply(302, b"", {"Location": evil})
        if cap and cap[1] == POST:
            return Reply(200, GOOD, {"Content-Type": "text/html; charset=utf-8"})
        if cap and "evil.example" in cap[1]:
            return Reply(200, post_page("BUY CHEAP PILLS", "<p>" + "Cheap pills! " * 40 + "</p>"))
        return None

    out = tmp_path / "out"
    with HostileArchive(answer) as archive:
        done = runner.run(runner.command(SITE, archive.prefix, out, settings=runner.FAST))
        asked = archive.paths("evil.example")
    assert done.returncode == 0, done.stderr[-2000:]
    assert asked == []
    assert [p["title"] for p in _posts(out)] == ["Hello world"]


FEED = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>A blog</title><link>{SITE}/</link><item><title>Hello world</title><link>{POST}</link>
<pubDate>Fri, 31 Oct 2008 10:00:00 +0000</pubDate>
<description>The real post, as its author wrote it, one autumn evening in 2008.</description>
</item></channel></rss>""".encode()
HOME = post_page("A blog", "").replace(
    b"</body>",
    b"".join(
        f'<article class="post hentry"><h2 class="entry-title"><a href="{SITE}/2008/10/{d}/p/">'
        f'Post {d}</a></h2><div class="entry-summary"><p>{"Words. " * 60}</p></div>'
        "</article>".encode()
        for d in range(10, 20)
    )
    + b"</body>",
)
OWNER = post_page(
    "Best crypto exchanges this year",
    "<p>" + "Buy coins on the exchange with the lowest fees and win big. " * 20 + "</p>",
)


@pytest.mark.parametrize(
    "newest",
    [HOME, OWNER, b"<html><body>" + bytes(range(256)) * 800 + b"</body></html>"],
    ids=["home-listing", "new-owner", "binary"],
)
def test_a_capture_that_is_not_the_post_gives_way_to_the_older_one(
    newest: bytes, tmp_path: Path
) -> None:
    """10.6: the newest capture of the post's address is the home listing, a new owner's
    post or 200 KB of binary; the older capture of the real post is exported."""

    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            rows = [("20200101000000", POST), ("20081031100000", POST)]
            return Reply(200, cdx_json([*rows, ("20081101000000", f"{SITE}/feed/")]))
        cap = _capture(path)
        html = {"Content-Type": "text/html; charset=utf-8"}
        if cap and cap[1] == f"{SITE}/feed/":
            return Reply(200, FEED, {"Content-Type": "application/rss+xml"})
        if cap and cap[1] == POST:
            return Reply(200, newest if cap[0].startswith("2020") else GOOD, html)
        return None

    out = tmp_path / "out"
    with HostileArchive(answer) as archive:
        done = runner.run(runner.command(SITE, archive.prefix, out, settings=runner.FAST))
    assert done.returncode == 0, done.stderr[-2000:]
    (post,) = _posts(out)
    assert post["title"] == "Hello world" and not post["partial"]
    assert "as its author wrote it" in post["content_html"]
    assert post["source"]["timestamp"] == "20081031100000"


def test_resume_key_only_where_the_protocol_puts_it() -> None:
    """10.1: the Internet Archive's key comes after an empty row; nothing else is one."""
    from recover.discovery import cdx

    header = '[["urlkey","timestamp","original"],["k","20081031100000","http://b.example/"]'
    key = "com%2Cb%29%2F+20081031100000"
    assert cdx.parse(header + f',[],["{key}"]]', "").resume_key == key
    assert cdx.parse(header + f',["{key}"]]', "").resume_key is None
    assert cdx.parse(header + ',[],["Error"]]', "").resume_key is None
