"""Media stages on their own: refs, magic bytes, resized copies, paths, plans, links."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from recover.choice.capture import Capture
from recover.media.files import drop_partial_files, media_path, write_file
from recover.media.links import GHOST_PREFIX, local_paths, rewrite_html
from recover.media.lookup import cdx_lookups
from recover.media.magic import sniff, verdict
from recover.media.plan import Planner
from recover.media.refs import media_refs
from recover.media.variants import originals
from recover.post import Post

SITE = "http://blog.example.com/2010/01/02/post/"


def png(width: int = 2) -> bytes:
    """A real, complete PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(width))
    head = struct.pack(">IIBBBBB", width, width, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", head)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x01" * 200 + b"\xff\xd9"


def test_refs_cover_every_kind_of_post_media_and_skip_furniture() -> None:
    html = (
        '<p><a href="/wp-content/uploads/cat.jpg"><img src="/wp-content/uploads/cat-300x200.jpg"'
        ' srcset="/wp-content/uploads/cat-600x400.jpg 2x"></a>'
        '<img class="avatar" src="http://www.gravatar.com/avatar/abc.png">'
        '<img src="/wp-includes/images/smilies/icon_smile.gif">'
        '<img src="http://stats.example.net/pixel.gif" width="1" height="1">'
        '<video poster="still.jpg"><source src="clip.mp4"></video><audio src="/ep1.mp3"></audio>'
        '<a href="/files/paper.pdf">paper</a><a href="/2010/02/other-post/">a post</a>'
        '<img src="data:image/gif;base64,R0lGOD"></p>'
    )
    refs = media_refs(html, SITE, ["http://cdn.example.net/podcast/ep2.mp3"])
    got = {(r.url, r.kind) for r in refs}
    assert got == {
        ("http://blog.example.com/wp-content/uploads/cat.jpg", "image"),
        ("http://blog.example.com/wp-content/uploads/cat-300x200.jpg", "image"),
        ("http://blog.example.com/wp-content/uploads/cat-600x400.jpg", "image"),
        ("http://blog.example.com/2010/01/02/post/still.jpg", "image"),
        ("http://blog.example.com/2010/01/02/post/clip.mp4", "attachment"),
        ("http://blog.example.com/ep1.mp3", "attachment"),
        ("http://blog.example.com/files/paper.pdf", "attachment"),
        ("http://cdn.example.net/podcast/ep2.mp3", "attachment"),
    }


@pytest.mark.parametrize(
    ("body", "url", "ctype", "ok"),
    [
        (JPEG, "http://x/a.jpg", "image/jpeg", True),
        (png(), "http://x/a.png", "image/png", True),
        (png(), "http://x/a.jpg", "image/jpeg", True),  # another image format: still the image
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "http://x/a.gif", None, True),
        (b"<html><body>Error establishing a database connection</body></html>", "http://x/a.jpg",
         "image/jpeg", False),
        (b"", "http://x/a.jpg", "image/jpeg", False),
        (JPEG[:120], "http://x/a.jpg", "image/jpeg", False),  # truncated: no end marker
        (png()[:-12], "http://x/a.png", "image/png", False),  # truncated: no IEND
        (b"ID3\x03\x00" + b"\x00" * 50, "http://x/ep.mp3", "audio/mpeg", True),
        (b"%PDF-1.4\n...\n%%EOF\n", "http://x/p.pdf", None, True),
        (b"PK\x03\x04" + b"\x00" * 40, "http://x/a.jpg", "image/jpeg", False),  # a zip, not a jpeg
        (b"\x00\x01\x02 some binary", "http://x/a.jpg", "image/jpeg", False),
    ],
)  # fmt: skip
def test_verdict_by_magic_bytes(body: bytes, url: str, ctype: str | None, ok: bool) -> None:
    assert verdict(body, url, ctype).ok is ok


def test_verdict_short_of_declared_length_is_truncated() -> None:
    assert not verdict(JPEG, "http://x/a.jpg", "image/jpeg", length=len(JPEG) + 10).ok
    assert verdict(JPEG, "http://x/a.jpg", "image/jpeg", length=len(JPEG)).ok
    assert sniff(png()) == "image/png"


@pytest.mark.parametrize(
    ("url", "first"),
    [
        ("http://b.com/wp-content/uploads/2010/01/cat-300x200.jpg",
         "http://b.com/wp-content/uploads/2010/01/cat.jpg"),
        ("https://1.bp.blogspot.com/-a/B/C/d/s320/photo.jpg",
         "https://1.bp.blogspot.com/-a/B/C/d/s1600/photo.jpg"),
        ("http://b.com/files/cat.jpg?w=640", "http://b.com/files/cat.jpg"),
        ("https://1.bp.blogspot.com/-a/B/C/d/s1600-h/photo.jpg",
         "https://1.bp.blogspot.com/-a/B/C/d/s1600/photo.jpg"),
        ("https://i0.wp.com/b.com/wp-content/uploads/cat.jpg?resize=300%2C200",
         "https://b.com/wp-content/uploads/cat.jpg"),
    ],
)  # fmt: skip
def test_originals_of_resized_copies(url: str, first: str) -> None:
    assert originals(url)[0] == first
    assert originals(first) == [] or first.startswith("https://b.com")


def test_media_paths_stay_inside_out(tmp_path: Path) -> None:
    assert media_path("http://www.blog.example.com/images/a%20b.jpg", "blog.example.com") == (
        "media/images/a-b.jpg"
    )
    assert media_path("http://farm1.static.flickr.com/12/x_m.jpg", "blog.example.com") == (
        "media/farm1.static.flickr.com/12/x_m.jpg"
    )
    evil = media_path("http://blog.example.com/../../%2e%2e/etc/passwd", "blog.example.com")
    assert evil == "media/etc/passwd"
    q = media_path("http://blog.example.com/img.php?id=3", "blog.example.com", "image/png")
    assert q.startswith("media/img-") and q.endswith(".png")
    first = write_file(tmp_path, "media/a.jpg", JPEG)
    again = write_file(tmp_path, "media/a.jpg", JPEG)
    other = write_file(tmp_path, "media/a.jpg", png())
    assert first == again == "media/a.jpg" and other != first
    assert (tmp_path / other).read_bytes() == png()
    with pytest.raises(ValueError):
        write_file(tmp_path, "../outside.jpg", JPEG)
    (tmp_path / "media" / ".b.jpg.123.tmp").write_bytes(JPEG[:10])  # a killed run's
    drop_partial_files(tmp_path)
    assert not list((tmp_path / "media").glob(".*.tmp")) and (tmp_path / first).is_file()


def cap(url: str, ts: str, status: int | None = 200, digest: str = "") -> Capture:
    return Capture("http://a/web/", ts, url, "image/jpeg", status, digest or ts)


def test_plan_prefers_original_falls_back_to_thumbnail_and_shares_jobs() -> None:
    thumb = "http://b.com/u/cat-300x200.jpg"
    orig = "http://b.com/u/cat.jpg"
    lone = "http://b.com/u/dog-300x200.jpg"
    held = {
        orig: [cap(orig, "20100101000000"), cap(orig, "20120101000000"), cap(orig, "2013", 404)],
        thumb: [cap(thumb, "20100101000000")],
        lone: [cap(lone, "20100101000000")],
    }
    planner = Planner([thumb, orig, lone, "http://b.com/u/gone.jpg"], lambda u: held.get(u, []))
    assert planner.unheld() == ["http://b.com/u/gone.jpg"]
    assert [c.timestamp for c in planner.captures[orig]] == ["20120101000000", "20100101000000"]
    jobs = planner.start()
    assert jobs == [orig, "http://b.com/u/dog.jpg"] or jobs == [orig, lone]  # one job for both
    assert planner.done(orig, {"file": "media/u/cat.jpg"}) == []
    assert planner.resolved[thumb] == (orig, {"file": "media/u/cat.jpg"})
    assert planner.resolved[orig] == (orig, {"file": "media/u/cat.jpg"})
    assert planner.resolved["http://b.com/u/gone.jpg"] == (None, None)


def test_plan_moves_to_the_resized_copy_when_the_original_is_bad() -> None:
    thumb, orig = "http://b.com/u/cat-300x200.jpg", "http://b.com/u/cat.jpg"
    held = {orig: [cap(orig, "20100101000000")], thumb: [cap(thumb, "20100101000000")]}
    planner = Planner([thumb], lambda u: held.get(u, []))
    assert planner.start() == [orig]
    assert planner.done(orig, None) == [thumb]
    planner.done(thumb, {"file": "t"})
    assert planner.resolved[thumb] == (thumb, {"file": "t"})


def test_lookups_batch_a_folder_and_ask_lone_files_exactly() -> None:
    urls = [
        "http://farm1.static.flickr.com/12/a.jpg",
        "http://farm1.static.flickr.com/12/b.jpg",
        "http://cdn.example.net/x/c.png",
    ]
    blogger = "https://1.bp.blogspot.com/-a/B/C/d/{}/photo.jpg"
    urls += [blogger.format("s1600"), blogger.format("s320")]  # a file and its thumbnail
    queries = cdx_lookups("http://127.0.0.1:8080/web/", urls)
    assert len(queries) == 3
    assert any(
        "matchType=prefix" in q and "1.bp.blogspot.com%2F-a%2FB%2FC%2Fd%2F&" in q for q in queries
    )
    assert any("matchType=prefix" in q and "12%2F" in q for q in queries)
    assert any("c.png" in q and "matchType" not in q for q in queries)


def test_lookups_never_ask_for_a_whole_archive() -> None:
    urls = [
        "https://i0.wp.com/farm1.static.flickr.com/52/131_o_d.jpg",  # a proxy's copy
        "http://farm1.static.flickr.com/52/131_o_d.jpg",  # and its origin: two hosts
        "http://cdn.example.net/a.png",
        "http://cdn.example.net/b.png",  # at a host's root: never the whole host
    ]
    queries = cdx_lookups("http://127.0.0.1:8080/web/", urls)
    assert len(queries) == 4
    assert not any("matchType" in q for q in queries)


def test_links_point_markdown_and_ghost_at_local_copies() -> None:
    post = Post(url=SITE, images=[
        {"url": "http://blog.example.com/i/a.jpg", "file": "media/i/a.jpg"},
        {"url": "http://blog.example.com/i/gone.jpg", "file": None},
    ])  # fmt: skip
    html = '<p><img src="/i/a.jpg" srcset="/i/a.jpg 1x"><img src="/i/gone.jpg"></p>'
    local = rewrite_html(html, local_paths(post), SITE)
    assert 'src="/media/i/a.jpg"' in local and "/media/i/a.jpg 1x" in local
    assert 'src="/i/gone.jpg"' in local
    ghost = rewrite_html(html, local_paths(post, GHOST_PREFIX), SITE)
    assert 'src="/content/images/i/a.jpg"' in ghost
    assert rewrite_html(html, {}, SITE) == html


def test_wxr_attachment_items_once_per_file_with_their_download_url() -> None:
    from datetime import UTC, datetime

    from lxml import etree

    from recover.media.wxr import Attachments

    shared = {
        "url": "http://blog.example.com/i/a-300x200.jpg",
        "original": "http://blog.example.com/i/a.jpg",
        "file": "media/i/a.jpg",
        "sha1": "0" * 40,
        "capture": "http://127.0.0.1:8080/web/20100101000000id_/http://blog.example.com/i/a.jpg",
    }
    local = {"url": "http://o.net/b.png", "file": "media/o.net/b.png", "capture": "warc:/x#1"}
    one, two = Post(url=SITE, images=[shared, local]), Post(url=SITE, images=[dict(shared)])
    when = datetime(2010, 1, 2, tzinfo=UTC)
    for base, n in (("", 1), ("https://files.example.org/m/", 2)):
        att = Attachments(first_id=10, media_base_url=base)
        html = att.html(one, '<img src="/i/a-300x200.jpg">', SITE)
        assert 'src="http://blog.example.com/i/a.jpg"' in html  # the attachment's guid
        items = [*att.items(one, 1, when, "ann"), *att.items(two, 2, when, "ann")]
        assert len(items) == n  # a file shared by two posts: one item, under the first
        ns = {"wp": "http://wordpress.org/export/1.2/"}
        wrapped = f'<rss xmlns:wp="{ns["wp"]}" xmlns:dc="d" xmlns:content="c" xmlns:excerpt="e">'
        doc = etree.fromstring((wrapped + "".join(items) + "</rss>").encode())
        first = doc.find("item")
        assert first.findtext("guid") == "http://blog.example.com/i/a.jpg"
        assert first.findtext("wp:post_parent", namespaces=ns) == "1"
        assert first.findtext("wp:post_type", namespaces=ns) == "attachment"
        url = first.findtext("wp:attachment_url", namespaces=ns)
        assert url == (base + "i/a.jpg" if base else shared["capture"])
