"""Issue 14.8 end to end: an unknown theme's posts read through the site's template.

A Hugo site on a theme no reader knows (its posts dated only in plain text, its body in an
unclassed block beside a sidebar of the same size) is captured in a WARC with its home page;
``recover run`` (the real command line) learns the theme from the pages it fetches and
takes each post's own region as its body, which no single page would tell.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent
ENGINES = Path(__file__).parent / "fixtures" / "engines"
SITE = "https://sakamichi.example.jp"
PAGES = [  # (url, fixture, capture time)
    (f"{SITE}/", None, "20140301000000"),
    (f"{SITE}/post/yurei/", "hugo_unknown_2014_ja_yurei.html", "20140301000100"),
    (f"{SITE}/post/kagurazaka/", "hugo_unknown_2014_ja.html", "20140301000200"),
    (f"{SITE}/post/shiomizaka/", "hugo_unknown_2014_ja_shiomizaka.html", "20140301000300"),
]


def home() -> bytes:
    """The home page: the same theme, a list of the posts instead of one."""
    page = (ENGINES / "hugo_unknown_2014_ja_yurei.html").read_text()
    start, end = page.index('<div class="col">'), page.index('<div class="side">')
    listing = (
        '<div class="col"><ul class="list">'
        '<li><a href="/post/shiomizaka/">汐見坂から海は見えない</a> 2014年2月2日</li>'
        '<li><a href="/post/kagurazaka/">神楽坂の石畳</a> 2014年1月13日</li>'
        '<li><a href="/post/yurei/">幽霊坂の夕方</a> 2013年12月22日</li></ul></div>\n'
    )
    page = page[:start] + listing + page[end:]
    return page.replace(
        "<title>幽霊坂の夕方 - 写真と坂道</title>", "<title>写真と坂道</title>"
    ).encode()


def write_warc(path: Path) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, fixture, ts in PAGES:
            body = home() if fixture is None else (ENGINES / fixture).read_bytes()
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            date = f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:]}Z"
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)


def test_unknown_theme_bodies_from_the_sites_template(tmp_path: Path):
    warc = tmp_path / "site.warc.gz"
    write_warc(warc)
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "recover", "run", SITE, "--warc", str(warc), "--out", str(out),
         "--progress", "off"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    posts = {
        json.loads(line)["url"]: json.loads(line)
        for line in (out / "posts.jsonl").read_text().splitlines()
    }
    yurei = posts[f"{SITE}/post/yurei/"]
    assert yurei["title"] == "幽霊坂の夕方"
    assert yurei["published"].startswith("2013-12-22")
    assert yurei["content_html"] == "<p>幽霊坂は夕方がいちばん雰囲気がある。人通りも少ない。</p>"
    first = posts[f"{SITE}/post/kagurazaka/"]
    assert first["title"] == "神楽坂の石畳"  # not its body's heading "はじめに"
    assert first["published"].startswith("2014-01-13")
    assert "<h1>はじめに</h1>" in first["content_html"]
    assert "1/125" in first["content_html"]
    for post in posts.values():
        for chrome in ("最近の記事", "Powered by Hugo", "前の記事", "Olympus 35 RC と Pentax SP"):
            assert chrome not in post["content_html"]
