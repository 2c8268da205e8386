"""Memento TimeMaps: URL builders, link-format parsing, and a real pywb TimeMap."""

from __future__ import annotations

import urllib.request
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recover.discovery.memento import parse_timemap, raw_memento, timemap_url
from recover.urls import canonical

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
POST = "http://blog.example.com/2008/10/31/hello-world/"


def test_timemap_urls() -> None:
    assert timemap_url("archive.ph", POST) == f"https://archive.ph/timemap/{POST}"
    assert timemap_url("https://archive.today/", POST) == f"https://archive.today/timemap/{POST}"
    assert (
        timemap_url("https://web.archive.org", POST)
        == f"https://web.archive.org/web/timemap/link/{POST}"
    )
    assert (
        timemap_url("http://127.0.0.1:8080/web/", POST)
        == f"http://127.0.0.1:8080/web/timemap/link/{POST}"
    )
    assert (
        timemap_url("http://timetravel.mementoweb.org/timemap/link/", POST)
        == f"http://timetravel.mementoweb.org/timemap/link/{POST}"
    )
    assert (
        timemap_url("memgator.example.org:1208/timemap/link", POST)
        == f"https://memgator.example.org:1208/timemap/link/{POST}"
    )


def test_wayback_timemap() -> None:
    text = (FIXTURES / "ia_timemap.link").read_text()
    self_url = f"https://web.archive.org/web/timemap/link/{POST}"
    tm = parse_timemap(text, "https://web.archive.org/web/", url=self_url)
    assert tm.bad_entries == 0
    assert tm.original == POST
    assert [c.timestamp for c in tm.captures] == [
        "20081031120000",
        "20090215083000",
        "20120101000000",
    ]
    first, second, last = tm.captures
    assert first.archive == "https://web.archive.org/web/"
    assert first.uri == f"https://web.archive.org/web/20081031120000id_/{POST}"
    assert first.replay_url == first.uri
    assert second.original == "http://www.blog.example.com/2008/10/31/hello-world/"
    assert last.uri.startswith("https://web.archive.org/web/20120101000000id_/")
    assert {canonical(c.original) for c in tm.captures} == {canonical(POST)}
    assert tm.next_timemaps == [f"{self_url}?page=2"]


def test_aggregator_timemap() -> None:
    text = (FIXTURES / "aggregator_timemap.link").read_text()
    tm = parse_timemap(text, "http://timetravel.mementoweb.org/")
    assert tm.bad_entries == 0
    by_ts = {c.timestamp: c for c in tm.captures}
    assert len(by_ts) == 5
    ait = by_ts["20090120100000"]
    assert ait.archive == "http://wayback.archive-it.org/all/"
    assert (
        ait.uri
        == "http://wayback.archive-it.org/all/20090120100000id_/http://blog.example.com/about/"
    )
    # archive.today has no raw mode: its URIs stay as given
    assert by_ts["20150601120000"].uri == (
        "https://archive.ph/20150601120000/http://blog.example.com/about/"
    )
    assert by_ts["20150601120000"].archive == "https://archive.ph/"
    short = by_ts["20150602091500"]
    assert short.uri == "https://archive.ph/Xy12Q"
    assert short.original == "http://blog.example.com/about/"
    other = by_ts["20210303184510"]
    assert other.archive == "http://timetravel.mementoweb.org/"
    assert other.uri == "https://webarchive.example.org/versions?id=8&v=3"
    assert tm.next_timemaps == [
        "http://timetravel.mementoweb.org/timemap/link/2/http://blog.example.com/about/"
    ]


def test_archive_today_timemap() -> None:
    text = (
        '<http://blog.example.com/>; rel="original",\n'
        '<https://archive.ph/timegate/http://blog.example.com/>; rel="timegate",\n'
        '<https://archive.ph/20130101000000/http://blog.example.com/>; rel="first memento";'
        ' datetime="Tue, 01 Jan 2013 00:00:00 GMT",\n'
        '<https://archive.ph/20190101000000/http://blog.example.com/>; rel="last memento";'
        ' datetime="Tue, 01 Jan 2019 00:00:00 GMT",\n'
        '<https://archive.ph/timemap/http://blog.example.com/>; rel="self";'
        ' type="application/link-format"'
    )
    tm = parse_timemap(text, "https://archive.ph/")
    assert [c.uri for c in tm.captures] == [
        "https://archive.ph/20130101000000/http://blog.example.com/",
        "https://archive.ph/20190101000000/http://blog.example.com/",
    ]
    assert tm.next_timemaps == []


def test_datetime_wins_and_offsets_fold_to_utc() -> None:
    text = (
        "<http://x.example/>; rel=original, "
        '<http://a.example/m/1>; rel="memento"; datetime="Sat, 01 Mar 2008 14:00:00 +0200"'
    )
    (cap,) = parse_timemap(text, "http://a.example/m/").captures
    assert cap.timestamp == "20080301120000"
    assert cap.original == "http://x.example/"
    assert raw_memento("http://a.example/m/1") == "http://a.example/m/1"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a timemap at all",
        "<html><body>Rate limited</body></html>",
        "<<<>>>;;;,,,",
        '<http://x/>; rel="memento"; datetime="yesterday"',
        '<>; rel="memento"',
        "\x00\x01\x02<http://",
        '<http://a/20080101000000/http://b/>; rel="memento"; datetime="Fri, 99 Foo 2008"; x',
    ],
)
def test_garbage_never_raises(text: str) -> None:
    tm = parse_timemap(text, "http://a/")
    assert isinstance(tm.captures, list)
    assert all(c.timestamp.isdigit() and len(c.timestamp) == 14 for c in tm.captures)


def test_garbage_is_counted_and_good_entries_kept() -> None:
    text = (
        '<http://blog.example.com/p/>; rel="original",\n'
        "some stray words\n"
        '<http://a.example/web/20100101000000/http://blog.example.com/p/>; rel="memento";'
        ' datetime="Fri, 01 Jan 2010 00:00:00 GMT",\n'
        '<not a url>; rel="memento"; datetime="Fri, 01 Jan 2010 00:00:00 GMT",\n'
        '<http://a.example/nodate>; rel="memento",\n'
    )
    tm = parse_timemap(text, "http://a.example/web/")
    assert len(tm.captures) == 1
    assert tm.bad_entries >= 3


def test_fuzzed_bytes_never_raise() -> None:
    import random

    rng = random.Random(7)
    base = (FIXTURES / "ia_timemap.link").read_text()
    for _ in range(300):
        chars = list(base)
        for _ in range(rng.randint(1, 40)):
            chars[rng.randrange(len(chars))] = chr(rng.randrange(0, 0x3000))
        parse_timemap("".join(chars), "https://web.archive.org/web/")


# -- a real pywb serving a TimeMap over a WARC made here ---------------------------------------


def _warc(path: Path, captures: list[tuple[str, str, bytes]]) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, date, body in captures:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(rec)


def test_pywb_timemap(tmp_path: Path) -> None:
    from recover.demo.pywb import PywbArchive

    bodies = {
        "2008-11-01T10:00:00Z": b"<html><body><h1>Hello v1</h1></body></html>",
        "2009-03-05T08:30:15Z": b"<html><body><h1>Hello v2</h1></body></html>",
    }
    warc = tmp_path / "blog.warc.gz"
    _warc(
        warc,
        [(POST, d, b) for d, b in bodies.items()]
        + [("http://blog.example.com/other/", "2009-01-01T00:00:00Z", b"<p>other</p>")],
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with PywbArchive([warc]) as wb:
        url = timemap_url(wb.replay_prefix, POST)
        assert url == f"{wb.replay_prefix}timemap/link/{POST}"
        with opener.open(url, timeout=30) as resp:
            text = resp.read().decode("utf-8")
        tm = parse_timemap(text, wb.replay_prefix, url=url)
        assert tm.bad_entries == 0, text
        assert tm.original == POST
        assert [c.timestamp for c in tm.captures] == ["20081101100000", "20090305083015"]
        for cap, body in zip(tm.captures, bodies.values(), strict=True):
            assert cap.archive == wb.replay_prefix
            assert cap.uri == f"{wb.replay_prefix}{cap.timestamp}id_/{POST}"
            with opener.open(cap.replay_url, timeout=30) as resp:
                assert resp.read() == body  # raw bytes, no rewriting


def test_unsplittable_uris_are_bad_entries() -> None:
    when = 'datetime="Fri, 01 Jan 2010 00:00:00 GMT"'
    text = (
        '<http://blog.example.com/>; rel="original",\n'
        f'<http://[>; rel="memento"; {when},\n'
        f'<http://a.example/web/20100101000000/http://[::1>; rel="memento"; {when},\n'
        f'<http://a.example/web/20100101000000/http://blog.example.com/>; rel="memento"; {when}\n'
    )
    tm = parse_timemap(text, "http://a.example/web/")
    assert [c.original for c in tm.captures] == ["http://blog.example.com/"]
    assert tm.bad_entries == 2
