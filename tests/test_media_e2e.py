"""Media end to end: a real pywb over warcio-built WARCs, the real ``recover run``.

The archive holds, for three posts: images under the site and on another host (found by
a CDX lookup), a thumbnail whose original is captured and one whose original is not, an
HTML error page served as ``image/jpeg`` newer than a good capture, an image with only a
404 capture, an image only in a local WARC (``--warc``), a PDF, a podcast enclosure in a
feed item, and one image two posts share. Each file must come out once, byte-identical,
and be referenced from posts.jsonl, Markdown (built by a real Hugo), WXR (imported by a
real WordPress when ``../shared/tools/wxr-import`` can run) and Ghost JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from support.demo.warc import png
from support.hugo import HUGO
from support.render import JEKYLL
from support.wordpress import wp_import

REPO = Path(__file__).resolve().parent.parent
SITE = "http://blog.example.com"
UP = f"{SITE}/wp-content/uploads/2010/01"
CDN = "http://cdn.example.net/photos"
LOCAL = "http://other.example.org/pics/local-only.png"


def jpeg(seed: str) -> bytes:
    """A small JPEG-shaped file (SOI ... EOI) unique to ``seed``."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
        + hashlib.sha256(seed.encode()).digest() * 8
        + (b"\xff\xd9")
    )


FILES = {
    "shared": png("shared"),
    "cat": jpeg("cat original"),
    "cat_thumb": jpeg("cat thumbnail"),
    "dog_thumb": jpeg("dog thumbnail"),
    "fox": jpeg("fox"),
    "bird": jpeg("bird on a cdn"),
    "local": png("only in a local warc"),
    "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    # an ID3 tag, then MPEG-1 layer III frames (128 kbit/s, 44.1 kHz): what finfo calls audio
    "photo": jpeg("saved with the page"),
    "heron": jpeg("heron, saved with the page, uncaptured elsewhere"),
    "mp3": b"ID3\x03\x00\x00\x00\x00\x00\x00" + (b"\xff\xfb\x90\x64" + bytes(413)) * 6,
}
ERROR_PAGE = b"<html><body><h1>Error establishing a database connection</h1></body></html>"
FILLER = (
    "This post is about the long walk along the river, the herons standing in the shallows, "
    "the old mill and its wheel, and what the winter light does to the water at four o'clock. "
) * 2


def page(title: str, date: str, body: str) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="generator" content="WordPress 3.0"></head>
<body><article class="post hentry"><h1 class="entry-title">{title}</h1>
<time class="published" datetime="{date}T10:00:00+00:00">{date}</time>
<div class="entry-content"><p>{FILLER}</p>{body}</div></article></body></html>""".encode()


FIRST = f"""<p><img src="/wp-content/uploads/2010/01/shared.png" alt="shared"></p>
<p><a href="{UP}/cat.jpg"><img src="{UP}/cat-300x200.jpg" alt="cat"></a></p>
<p><a href="{UP}/dog.jpg"><img src="{UP}/dog-300x200.jpg" alt="dog"></a></p>
<p><img src="{UP}/fox.jpg" alt="fox"> <img src="{CDN}/bird.jpg" alt="bird"></p>
<p><img src="{UP}/gone.jpg" alt="gone"> <img src="{LOCAL}" alt="local"></p>"""
SECOND = f"""<p><img src="{UP}/shared.png" alt="shared again"> <img src="{UP}/heron.jpg">
<img src="{UP}/owl.jpg"></p>
<p>The paper: <a href="{SITE}/files/paper.pdf">paper.pdf</a></p>"""
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Blog</title><link>{SITE}/</link><description>d</description>
<item><title>Episode one</title><link>{SITE}/2010/03/01/episode-one/</link>
<pubDate>Mon, 01 Mar 2010 10:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>{FILLER}</p><p>Listen to the first episode.</p>]]></content:encoded>
<enclosure url="{SITE}/podcast/ep1.mp3" length="2512" type="audio/mpeg"/></item>
</channel></rss>""".encode()


SAVED_URL = f"{SITE}/2010/04/01/saved-only/"
SAVED = b"<!-- saved from url=(%04d)%s -->\n" % (len(SAVED_URL), SAVED_URL.encode()) + page(
    "Saved only",
    "2010-04-01",
    '<p><img src="./Saved%20only_files/photo.jpg"> <img src="Saved only_files/heron.jpg"></p>',
)


def write_warc(path: Path, records: list[tuple[str, str, int, str, bytes]]) -> Path:
    """A gzipped WARC of ``(url, WARC-Date, status, content type, body)`` responses."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    reasons = {200: "200 OK", 404: "404 Not Found"}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, date, status, ctype, body in records:
            headers = StatusAndHeaders(
                reasons[status],
                [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": date},
                )
            )
    return path


ARCHIVED = [
    (f"{SITE}/2010/01/05/first/", "2010-01-06T10:00:00Z", 200, "text/html",
     page("First post", "2010-01-05", FIRST)),
    (f"{SITE}/2010/02/01/second/", "2010-02-02T10:00:00Z", 200, "text/html",
     page("Second post", "2010-02-01", SECOND)),
    (f"{SITE}/feed/", "2010-03-02T10:00:00Z", 200, "application/rss+xml", FEED),
    (f"{UP}/shared.png", "2010-01-06T10:01:00Z", 200, "image/png", FILES["shared"]),
    (f"{UP}/cat.jpg", "2010-01-06T10:02:00Z", 200, "image/jpeg", FILES["cat"]),
    (f"{UP}/cat-300x200.jpg", "2010-01-06T10:03:00Z", 200, "image/jpeg", FILES["cat_thumb"]),
    (f"{UP}/dog-300x200.jpg", "2010-01-06T10:04:00Z", 200, "image/jpeg", FILES["dog_thumb"]),
    (f"{UP}/fox.jpg", "2011-05-01T10:00:00Z", 200, "image/jpeg", FILES["fox"]),
    (f"{UP}/fox.jpg", "2013-05-01T10:00:00Z", 200, "image/jpeg", ERROR_PAGE),  # newer, bad
    (f"{UP}/owl.jpg", "2010-02-02T10:02:00Z", 200, "image/jpeg", ERROR_PAGE),  # only bad
    (f"{UP}/gone.jpg", "2010-01-06T10:05:00Z", 404, "text/html", b"<h1>Not Found</h1>"),
    (f"{CDN}/bird.jpg", "2010-01-07T10:00:00Z", 200, "image/jpeg", FILES["bird"]),
    (f"{SITE}/files/paper.pdf", "2010-02-02T10:01:00Z", 200, "application/pdf", FILES["pdf"]),
    (f"{SITE}/podcast/ep1.mp3", "2010-03-02T10:01:00Z", 200, "audio/mpeg", FILES["mp3"]),
]  # fmt: skip


def sha1(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def recover_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recover", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The archive (kept running for the WordPress import) and two runs into one --out."""
    try:
        from recover.demo.pywb import PywbArchive, PywbError
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"pywb support unavailable: {exc}")
    base = tmp_path_factory.mktemp("media")
    web = write_warc(base / "web.warc.gz", ARCHIVED)
    local = write_warc(
        base / "local.warc.gz", [(LOCAL, "2010-01-08T10:00:00Z", 200, "image/png", FILES["local"])]
    )
    saved = base / "saved"
    (saved / "Saved only_files").mkdir(parents=True)
    (saved / "Saved only.html").write_bytes(SAVED)
    (saved / "Saved only_files" / "photo.jpg").write_bytes(FILES["photo"])
    (saved / "Saved only_files" / "heron.jpg").write_bytes(FILES["heron"])
    archive = PywbArchive([web])
    try:
        archive.start()
    except (PywbError, OSError) as exc:
        pytest.skip(f"pywb could not start: {str(exc)[:500]}")
    out = base / "out"
    args = (
        "run", SITE, "--archive", archive.replay_prefix, "--warc", str(local),
        "--html", str(saved),
        "--out", str(out), "--rate", "cdx=0,replay=0", "--progress", "off",
    )  # fmt: skip
    try:
        first = recover_cli(*args)
        assert first.returncode == 0, first.stderr[-3000:]
        assert f"10 image(s) and file(s) in {out}/media/, 3 still missing" in first.stdout
        report1 = json.loads((out / "report.json").read_text())
        second = recover_cli(*args)
        assert second.returncode == 0, second.stderr[-3000:]
        yield {
            "out": out,
            "prefix": archive.replay_prefix,
            "report1": report1,
            "report2": json.loads((out / "report.json").read_text()),
            "posts": {
                p["url"].rstrip("/").rsplit("/", 1)[-1]: p
                for p in map(json.loads, (out / "posts.jsonl").read_text().splitlines())
            },
        }
    finally:
        archive.stop()


def entry(post: dict[str, Any], url: str, key: str = "images") -> dict[str, Any]:
    found = [e for e in post[key] if e["url"] == url]
    assert len(found) == 1, (url, post[key])
    return found[0]


def test_each_file_once_byte_identical(world: dict[str, Any]) -> None:
    out = world["out"]
    files = sorted(p for p in (out / "media").rglob("*") if p.is_file())
    bodies = [p.read_bytes() for p in files]
    assert len({sha1(b) for b in bodies}) == len(files)  # identical bytes stored once
    # every file, the thumbnail of a captured original aside (the original stands for it)
    assert sorted(map(sha1, bodies)) == sorted(
        sha1(b) for k, b in FILES.items() if k != "cat_thumb"
    )
    assert ERROR_PAGE not in bodies
    assert (out / "media/wp-content/uploads/2010/01/shared.png").read_bytes() == FILES["shared"]
    assert (out / "media/cdn.example.net/photos/bird.jpg").read_bytes() == FILES["bird"]
    assert (out / "media/other.example.org/pics/local-only.png").read_bytes() == FILES["local"]


def test_posts_jsonl_entries(world: dict[str, Any]) -> None:
    first, second = world["posts"]["first"], world["posts"]["second"]
    out = world["out"]

    def check(e: dict[str, Any], body: bytes) -> None:
        assert e["file"] and (out / e["file"]).read_bytes() == body
        assert e["sha1"] == sha1(body) and e["bytes"] == len(body)
        assert e["mime"].startswith(("image/", "audio/", "application/"))
        assert e["capture"]

    shared = entry(first, f"{UP}/shared.png")
    check(shared, FILES["shared"])
    assert entry(second, f"{UP}/shared.png")["file"] == shared["file"]  # one file, two posts
    thumb = entry(first, f"{UP}/cat-300x200.jpg")
    check(thumb, FILES["cat"])  # the original, captured, is preferred over the thumbnail
    assert thumb["file"] == entry(first, f"{UP}/cat.jpg")["file"]
    check(entry(first, f"{UP}/dog-300x200.jpg"), FILES["dog_thumb"])  # no original: the thumb
    assert entry(first, f"{UP}/dog.jpg")["file"] is None
    fox = entry(first, f"{UP}/fox.jpg")
    check(fox, FILES["fox"])
    assert "2011" in fox["capture"]  # the older good capture, not the newer error page
    assert entry(first, f"{UP}/gone.jpg")["file"] is None  # only a 404 capture
    check(entry(first, f"{CDN}/bird.jpg"), FILES["bird"])
    check(entry(first, LOCAL), FILES["local"])
    check(entry(second, f"{SITE}/files/paper.pdf", "attachments"), FILES["pdf"])
    check(entry(second, f"{UP}/heron.jpg"), FILES["heron"])  # by name, from a _files/ folder
    assert entry(second, f"{UP}/owl.jpg")["file"] is None  # only an error page as image/jpeg
    saved = world["posts"]["saved-only"]
    check(entry(saved, f"{SAVED_URL}Saved%20only_files/photo.jpg"), FILES["photo"])
    episode = world["posts"]["episode-one"]
    check(entry(episode, f"{SITE}/podcast/ep1.mp3", "attachments"), FILES["mp3"])
    assert f'src="{UP}/fox.jpg"' in first["content_html"]  # content_html keeps original URLs
    assert "](/media/wp-content/uploads/2010/01/fox.jpg" in first["content_markdown"]
    assert f"]({UP}/gone.jpg" in first["content_markdown"]  # missing: the original URL


def test_rerun_fetches_no_file_twice_and_stays_in_budget(world: dict[str, Any]) -> None:
    s1, s2 = world["report1"]["stats"], world["report2"]["stats"]
    assert s1["media_recovered"] == 11  # heron: read twice from its local file
    assert not s2.get("media_recovered") and not s2.get("media_lookups")
    posts, files = 4, 8  # (files from the archive)
    unheld = 1  # dog.jpg on the site: the site's own CDX listing answered; one CDN lookup
    assert s1["media_lookups"] <= unheld + 1
    archive = s1["httpcache/miss"]  # requests to the archive (local files are not cached)
    page_requests = archive - files - s1["media_lookups"]
    assert page_requests <= 1.05 * posts + 4  # CDX listings and the feed
    # the error page served as image/jpeg (fox's newer capture, owl's only one) is fetched
    # once: its digest is known bad after that
    assert s1["media_skipped"] == 1 and s1["media_skipped_known_bad"] == 1


def test_report_lists_missing_media(world: dict[str, Any]) -> None:
    report = json.loads((world["out"] / "report.json").read_text())
    first = next(p for p in report["posts"] if p["url"].endswith("/first/"))
    assert set(first["media_missing"]) == {f"{UP}/gone.jpg", f"{UP}/dog.jpg"}
    assert report["counts"]["media_files"] == 10 and report["counts"]["media_missing"] == 3
    assert "gone.jpg" in (world["out"] / "report.md").read_text()


def test_wxr_attachments(world: dict[str, Any]) -> None:
    ns = {"wp": "http://wordpress.org/export/1.2/"}
    tree = etree.parse(str(world["out"] / "wordpress.xml"))
    items = tree.findall("channel/item")
    ids = {i.findtext("wp:post_id", namespaces=ns): i for i in items}
    attachments = [i for i in items if i.findtext("wp:post_type", namespaces=ns) == "attachment"]
    assert len(attachments) == 7  # one per file the archive serves (not the local WARC's)
    guids = {a.findtext("guid"): a for a in attachments}
    assert f"{UP}/shared.png" in guids and f"{UP}/cat.jpg" in guids and LOCAL not in guids
    for a in attachments:
        parent = ids[a.findtext("wp:post_parent", namespaces=ns)]
        assert parent.findtext("wp:post_type", namespaces=ns) == "post"
        assert a.findtext("guid") in parent.findtext(
            "{http://purl.org/rss/1.0/modules/content/}encoded"
        ) or (a.findtext("guid").endswith(".mp3"))
    bird = guids[f"{CDN}/bird.jpg"].findtext("wp:attachment_url", namespaces=ns)
    assert bird.startswith(world["prefix"]) and "id_/" in bird  # the archive's raw capture


def test_ghost_paths_and_zip(world: dict[str, Any]) -> None:
    out = world["out"]
    doc = json.loads((out / "ghost.json").read_text())
    html = next(p["html"] for p in doc["db"][0]["data"]["posts"] if p["slug"] == "first")
    assert "/content/images/wp-content/uploads/2010/01/fox.jpg" in html
    assert f"{UP}/gone.jpg" in html
    with zipfile.ZipFile(out / "ghost-import.zip") as zf:
        names = set(zf.namelist())
        assert "ghost.json" in names
        assert zf.read("content/images/wp-content/uploads/2010/01/fox.jpg") == FILES["fox"]


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_hugo_build_shows_every_recovered_image(world: dict[str, Any], tmp_path: Path) -> None:
    from support.hugo import build

    site = tmp_path / "site"
    shutil.copytree(world["out"] / "media", site / "static" / "media")
    proc = build(world["out"] / "content", site)
    assert proc.returncode == 0, proc.stderr
    built = next((site / "public").rglob("first/index.html")).read_text()
    assert 'src="/media/wp-content/uploads/2010/01/fox.jpg"' in built
    assert 'src="/media/cdn.example.net/photos/bird.jpg"' in built
    assert (site / "public/media/wp-content/uploads/2010/01/fox.jpg").read_bytes() == FILES["fox"]


def assert_library_holds(data: dict[str, Any], posts: dict[str, Any], served: Any) -> None:
    """Every file ``served`` says WordPress could download is in the media library with its
    bytes, and the posts point at the library for each of them."""
    attachments = [p for p in data["posts"] if p["post_type"] == "attachment"]
    entries = [
        e for p in posts.values() for e in p["images"] + p["attachments"] if e["file"] and served(e)
    ]
    assert {a["file_sha1"] for a in attachments} == {e["sha1"] for e in entries}, data["errors"]
    library = {a["guid"] for a in attachments}
    for name in ("first", "second", "saved-only"):
        body = next(p for p in data["posts"] if p["post_name"] == name)["post_content"]
        for e in posts[name]["images"] + posts[name]["attachments"]:
            if e["file"] and served(e):  # in the library: rewritten
                assert f'"{e["url"]}"' not in body, (e["url"], body)
        srcs = set(re.findall(r'(?:src|href)="([^"]+)"', body))
        assert bool(srcs & library) == any(e["file"] and served(e) for e in posts[name]["images"])
        elsewhere = {e["url"] for e in posts[name]["images"] if not (e["file"] and served(e))}
        assert srcs - library == elsewhere & srcs  # every other image in the media library


def test_wordpress_import_brings_every_file_into_the_library(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """The real importer with "Download and import file attachments", archive on loopback:
    every file the archive serves (local WARCs and saved pages aside)."""
    data = wp_import(world["out"] / "wordpress.xml", tmp_path)  # the module's pywb serves
    assert_library_holds(data, world["posts"], lambda e: str(e["capture"]).startswith("http"))


def test_wordpress_import_from_media_base_url(world: dict[str, Any], tmp_path: Path) -> None:
    """``--media-base-url``: the user serves ``media/``; every recovered file is imported."""
    out = tmp_path / "out"
    shutil.copytree(world["out"], out)  # a re-run there resumes: nothing is fetched again
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
         "--directory", str(out / "media")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        port = re.search(r"port (\d+)", server.stdout.readline()).group(1)
        base = f"http://127.0.0.1:{port}/"
        rerun = recover_cli(
            "run", SITE, "--archive", world["prefix"], "--out", str(out), "--media-base-url",
            base, "--rate", "cdx=0,replay=0", "--progress", "off",
        )  # fmt: skip
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert not json.loads((out / "report.json").read_text())["stats"].get("media_recovered")
        data = wp_import(out / "wordpress.xml", tmp_path)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert_library_holds(data, world["posts"], lambda e: True)


@pytest.mark.skipif(JEKYLL is None, reason="jekyll is not installed")
def test_jekyll_build_shows_every_recovered_image(world: dict[str, Any], tmp_path: Path) -> None:
    from support import render

    out = world["out"]
    shutil.copytree(out / "media", tmp_path / "site" / "jekyll" / "media")  # the site root
    config = json.loads((out / "report.json").read_text())["config"]["jekyll"]
    pages, _ = render.build_jekyll(out, tmp_path / "site", config)
    images = render.images(pages["first"].body)
    assert "/media/wp-content/uploads/2010/01/fox.jpg" in images
    assert "/media/cdn.example.net/photos/bird.jpg" in images
    assert f"{UP}/gone.jpg" in images  # missing: the original URL
    built = tmp_path / "site" / "jekyll" / "_site" / "media" / "wp-content/uploads/2010/01/fox.jpg"
    assert built.read_bytes() == FILES["fox"]
