"""``--html DIR``: browser saves, search-engine cache copies and wget mirrors as captures."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from recover.discovery.htmldir import cache_block, read, scan
from recover.extract import extract_bytes
from recover.urls import canonical

FIXTURES = Path(__file__).parent / "fixtures" / "sources" / "htmldir"
MTIME = datetime(2011, 4, 5, 6, 7, 8, tzinfo=UTC)


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    """The fixture folder copied, every file dated MTIME (git does not keep mtimes)."""
    root = tmp_path / "saved"
    shutil.copytree(FIXTURES, root)
    stamp = MTIME.timestamp()
    for path in root.rglob("*"):
        os.utime(path, (stamp, stamp))
    return root


def _by_name(caps: list) -> dict[str, object]:
    return {Path(c.location).name: c for c in caps}


def test_scan_finds_every_style(pages: Path) -> None:
    caps = scan(pages, "blog.example.com")
    got = {Path(c.location).relative_to(pages).as_posix(): (c.original, c.timestamp) for c in caps}
    mtime = MTIME.strftime("%Y%m%d%H%M%S")
    assert got == {
        # browser saves: the saved-from comment
        "browser/Hello World – My Blog.html": (
            "http://blog.example.com/2008/10/31/hello-world/",
            mtime,
        ),
        # saved from a Wayback page: the site URL and the capture time come out of it
        "browser/Old days.htm": ("http://blog.example.com/2007/07/07/old-days/", "20100102030405"),
        # a relative canonical link wins, resolved against the saved-from URL
        "browser/canon.html": ("http://www.blog.example.com/2011/01/01/canon/", mtime),
        "browser/og.html": ("https://blog.example.com/2012/02/02/og-only/", mtime),
        # cache copies: base href or the header's link, and the header's date
        "cache/google-old.html": (
            "http://blog.example.com/2009/09/09/cached-post/",
            "20100103123456",
        ),
        "cache/google-new.html": (
            "https://blog.example.com/2015/05/05/new-cached/",
            "20160205070809",
        ),
        # wget: the path under the host-named folder
        "mirror/blog.example.com/2009/05/06/wget-post/index.html": (
            "http://blog.example.com/2009/05/06/wget-post/index.html",
            mtime,
        ),
        "mirror/blog.example.com/2009/06/07/no-extension": (
            "http://blog.example.com/2009/06/07/no-extension",
            mtime,
        ),
        "mirror/www.blog.example.com/index.html?p=42.html": (
            "http://www.blog.example.com/index.html?p=42",
            mtime,
        ),
    }
    for cap in caps:
        assert cap.archive == f"html:{pages.resolve()}"
        assert cap.status == 200 and cap.mimetype == "text/html"
        assert cap.uri.startswith("file://") and cap.replay_url == cap.uri
        assert cap.length == Path(cap.location).stat().st_size
    assert canonical(got["mirror/blog.example.com/2009/05/06/wget-post/index.html"][0]) == (
        "http://blog.example.com/2009/05/06/wget-post"
    )


def test_scan_without_host_keeps_other_sites(pages: Path) -> None:
    names = {Path(c.location).relative_to(pages).as_posix() for c in scan(pages, "")}
    assert "browser/elsewhere.html" in names
    assert "mirror/other.example.net/index.html" in names
    assert not any("_files" in n or n.endswith((".orig", ".jpg", ".css")) for n in names)


def test_scan_host_spelling(pages: Path) -> None:
    assert len(scan(pages, "http://www.blog.example.com/")) == len(scan(pages, "blog.example.com"))
    assert scan(pages, "nothing.example") == []


def test_read_cuts_cache_headers(pages: Path) -> None:
    caps = _by_name(scan(pages, "blog.example.com"))
    for name in ("google-old.html", "google-new.html"):
        cap = caps[name]
        raw = Path(cap.location).read_bytes()
        assert cache_block(raw) is not None
        body = read(cap)
        assert b"cache of" not in body and b"snapshot of the page" not in body
        assert b"<h2>" in body
    plain = caps["Hello World – My Blog.html"]
    assert read(plain) == Path(plain.location).read_bytes()


def test_read_missing_file_is_empty(pages: Path) -> None:
    cap = _by_name(scan(pages, "blog.example.com"))["og.html"]
    Path(cap.location).unlink()
    assert read(cap) == b""


def test_captures_extract(pages: Path) -> None:
    caps = _by_name(scan(pages, "blog.example.com"))
    cached = caps["google-old.html"]
    post = extract_bytes(read(cached), cached.original, cached.mimetype, captured=cached.timestamp)
    assert post is not None
    assert post.title and "Cached post" in post.title
    assert "Saved by Google" in post.content_html and "cache of" not in post.content_html
    old = caps["Old days.htm"]
    post = extract_bytes(read(old), old.original, old.mimetype, captured=old.timestamp)
    assert post is not None and "Café" in post.content_html


def test_garbage_files_do_not_break_scan(tmp_path: Path) -> None:
    site = tmp_path / "blog.example.com" / "2010" / "01" / "01" / "x"
    site.mkdir(parents=True)
    (site / "index.html").write_bytes(b"\x00\xff<html" + os.urandom(2000))
    (site / "empty.html").write_bytes(b"")
    (site / "half.html").write_bytes(b"<!-- saved from url=(9999)http://blog.example.com/a -->")
    caps = scan(tmp_path, "blog.example.com")
    assert {Path(c.location).name for c in caps} == {"index.html", "empty.html", "half.html"}
    half = next(c for c in caps if Path(c.location).name == "half.html")
    assert half.original == "http://blog.example.com/a"


def test_unsplittable_urls_fall_through(tmp_path: Path) -> None:
    page = tmp_path / "blog.example.com" / "2010" / "x.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<!-- saved from url=(0008)http://[ -->\n<html><head><link rel="canonical" '
        'href="http://[::1"><meta property="og:url" content="//["></head></html>'
    )
    (cap,) = scan(tmp_path, "blog.example.com")
    assert cap.original == "http://blog.example.com/2010/x.html"
    assert scan(tmp_path, "") == [cap]
