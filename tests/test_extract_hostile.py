"""Hostile input never raises and never hangs: deep nesting, huge pages, binary, junk."""

from __future__ import annotations

import time

import pytest

from recover.extract import extract, extract_bytes

URL = "http://blog.example.com/2010/01/02/post/"


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 50_000 + "deep" + "</div>" * 50_000,
        "<p>" + "word " * 2_000_000 + "</p>",
        "<html><body>" + "<table><tr><td>" * 5_000 + "x",
        "\x00\x01\x02" * 1000,
        "<<<<>>>><!--" * 10_000,
        '<html><head><script type="application/ld+json">'
        + "[" * 100_000
        + "</script></head></html>",
        "<html><head><meta charset='x-bogus'><title>" + "\ufffd" * 5000,
        "<?xml version='1.0'?><rss></rss>",
        "",
    ],
    ids=[
        "deep",
        "huge",
        "unclosed-tables",
        "controls",
        "brackets",
        "deep-json-ld",
        "replacement-chars",
        "xml",
        "empty",
    ],
)
def test_hostile_html(html):
    start = time.monotonic()
    result = extract(html, URL, captured="20100102000000")
    assert result is None or result.url == URL
    assert time.monotonic() - start < 30


@pytest.mark.parametrize(
    "body,ctype",
    [
        (bytes(range(256)) * 4000, "text/html"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000, "text/html"),
        (b"GIF89a" + bytes(range(256)) * 10, None),
        (b"<html><body><p>fine</p></body></html>", "image/png"),
    ],
    ids=["bytes", "png", "gif", "png-type"],
)
def test_binary_as_html(body, ctype):
    assert extract_bytes(body, URL, ctype) is None
