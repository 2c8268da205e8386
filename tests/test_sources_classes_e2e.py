"""Issue 14.2-14.6, 14.12, 14.13 end to end: one ``recover run`` over a real pywb.

A German WordPress blog's lossy archive, written with warcio: a post split in two pages,
captured also under comment and AMP variants; a post captured only newer under a share
link; a feed with a summary-only item, an untitled stray item and a whole one; a tag
listing that alone names a tag; a home page whose excerpt is all that is left of a post;
an "Über mich" page. The test reads ``posts.jsonl`` as a user would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from support.runner import command, run

SITE = "http://rad.example.de"
HEAD = '<!DOCTYPE html><html lang="de-DE"><head><meta charset="utf-8">'
HEAD += '<meta name="generator" content="WordPress 4.9.8"><title>{title} – Radtouren</title>'
HEAD += "</head><body>"
SIDEBAR = '<aside id="secondary" class="widget-area"><section class="widget widget_tag_cloud">'
SIDEBAR += f'<a href="{SITE}/tag/fahrrad/">Fahrrad</a></section></aside></body></html>'


def post_html(title: str, day: str, body: str, comments: str = "") -> bytes:
    return (
        HEAD.format(title=title)
        + f'<article class="post type-post hentry"><header class="entry-header">'
        f'<h1 class="entry-title">{title}</h1><time class="entry-date published" '
        f'datetime="{day}T09:00:00+02:00">{day}</time></header>'
        f'<div class="entry-content">{body}</div></article>'
        f'<div id="comments"><ol class="comment-list">{comments}</ol></div>' + SIDEBAR
    ).encode()


COMMENT = (
    '<li class="comment" id="comment-5"><article class="comment-body"><footer>'
    '<b class="fn">Jana</b><time datetime="2014-05-07T10:00:00+02:00">7. Mai 2014</time>'
    '</footer><div class="comment-content"><p>Toller Bericht!</p></div></article></li>'
)
ALPEN = "/2014/05/06/ueber-die-alpen/"
PAGE1 = "<p>Erster Teil: von Garmisch nach Mittenwald, im Regen, aber guter Laune.</p>"
PAGE2 = "<p>Zweiter Teil: über den Brenner bis Sterzing, endlich in der Sonne.</p>"
LINKS = '<div class="page-links">Seiten: <a href="{u}">1</a> <a href="{u}2/">2</a></div>'
BRENNER = "/2014/06/01/brenner/"
FEED = f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Radtouren</title>
<link>{SITE}</link><generator>https://wordpress.org/?v=4.9.8</generator>
<item><title>Stilfser Joch</title><link>{SITE}/2014/07/02/stilfser-joch/</link>
<pubDate>Wed, 02 Jul 2014 07:00:00 +0000</pubDate><category>Pässe</category>
<description><![CDATA[<p>48 Kehren bis zum Gipfel, und jede einzelne tut weh [&#8230;]</p>]]>
</description></item>
<item><title></title><link>{SITE}/wp-content/plugins/x/readme/</link>
<description>Plugin readme</description></item>
<item><title>Brenner</title><link>{SITE}{BRENNER}</link>
<pubDate>Sun, 01 Jun 2014 07:00:00 +0000</pubDate>
<description>Kurz</description><content:encoded><![CDATA[<p>Über den Brenner.</p>]]>
</content:encoded></item>
</channel></rss>"""
TAG = (
    HEAD.format(title="Fahrrad")
    + '<h1 class="page-title">Schlagwort: Fahrrad</h1>'
    + f'<article class="post type-post hentry"><h2 class="entry-title"><a href="{SITE}{BRENNER}"'
    + ' rel="bookmark">Über den Brenner</a></h2><div class="entry-summary"><p>Über den'
    + " Brenner …</p></div></article>"
    + SIDEBAR
)
HOME = (
    HEAD.format(title="Radtouren")
    + '<article class="post type-post hentry"><h2 class="entry-title"><a href="'
    + f'{SITE}/2013/09/10/gardasee/" rel="bookmark">Am Gardasee</a></h2>'
    + '<time class="entry-date" datetime="2013-09-10T08:00:00+02:00">10. Sep 2013</time>'
    + '<div class="entry-summary"><p>Drei Tage am See, zwei davon im Sattel. Zum Schluss'
    + f' ein Eis in Riva. <a class="more-link" href="{SITE}/2013/09/10/gardasee/#more-9">'
    + "Weiterlesen</a></p></div></article>"
    + SIDEBAR
)
ABOUT = (
    HEAD.format(title="Über mich")
    + '<article class="page type-page hentry"><h1 class="entry-title">Über mich</h1>'
    + '<div class="entry-content"><p>Ich fahre seit 1998 mit dem Rad über die Alpen.</p>'
    + "</div></article>"
    + SIDEBAR
)


def captures() -> list[tuple[str, str, bytes, str]]:
    html = "text/html; charset=utf-8"
    alpen = post_html("Über die Alpen", "2014-05-06", PAGE1 + LINKS.format(u=SITE + ALPEN))
    alpen2 = post_html(
        "Über die Alpen", "2014-05-06", PAGE2 + LINKS.format(u=SITE + ALPEN), COMMENT
    )
    brenner = post_html("Über den Brenner", "2014-06-01", "<p>Über den Brenner.</p>")
    return [
        (SITE + ALPEN, "2014-06-01T10:00:00Z", alpen, html),
        (SITE + ALPEN + "2/", "2014-06-01T10:05:00Z", alpen2, html),
        (SITE + ALPEN + "?replytocom=5", "2015-01-01T10:00:00Z", alpen, html),
        (SITE + ALPEN + "amp/", "2016-01-01T10:00:00Z", alpen, html),
        (SITE + BRENNER, "2014-06-02T10:00:00Z", brenner, html),
        (SITE + BRENNER + "?share=twitter", "2015-06-02T10:00:00Z", brenner, html),
        (SITE + "/feed/", "2014-07-03T10:00:00Z", FEED.encode(), "application/rss+xml"),
        (SITE + "/tag/fahrrad/", "2014-07-03T11:00:00Z", TAG.encode(), html),
        (SITE + "/", "2014-07-03T12:00:00Z", HOME.encode(), html),
        (SITE + "/ueber-mich/", "2014-07-03T13:00:00Z", ABOUT.encode(), html),
    ]


def write_warc(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, date, body, ctype in captures():
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )  # fmt: skip
            writer.write_record(record)
    return path


@pytest.fixture(scope="module")
def recovered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    try:
        from recover.demo.pywb import PywbArchive, PywbError
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"pywb support unavailable: {exc}")
    base = tmp_path_factory.mktemp("classes")
    archive = PywbArchive([write_warc(base / "rad.warc.gz")])
    try:
        archive.start()
    except (PywbError, OSError) as exc:
        pytest.skip(f"pywb could not start: {str(exc)[:300]}")
    try:
        done = run(command(SITE, archive.replay_prefix, base / "out"))
        assert done.returncode == 0, done.stderr[-2000:]
    finally:
        archive.stop()
    lines = (base / "out" / "posts.jsonl").read_text(encoding="utf-8").splitlines()
    yield {json.loads(line)["url"].removeprefix(SITE): json.loads(line) for line in lines}


def test_one_record_per_post_and_page(recovered: dict[str, dict[str, Any]]) -> None:
    assert sorted(recovered) == sorted(
        [ALPEN, BRENNER, "/2014/07/02/stilfser-joch/", "/2013/09/10/gardasee/", "/ueber-mich/"]
    )


def test_variants_and_pages_of_a_split_post(recovered: dict[str, dict[str, Any]]) -> None:
    alpen = recovered[ALPEN]
    text = alpen["content_html"]
    assert text.index("Erster Teil") < text.index("Zweiter Teil") and "Seiten" not in text
    assert [c["author"] for c in alpen["comments"]] == ["Jana"] and not alpen["partial"]


def test_feed_items_listings_and_pages(recovered: dict[str, dict[str, Any]]) -> None:
    brenner = recovered[BRENNER]
    assert "Fahrrad" in brenner["categories"] + brenner["tags"]  # only its tag listing says so
    assert not brenner["partial"] and brenner["type"] == "post"
    stilfser = recovered["/2014/07/02/stilfser-joch/"]
    assert stilfser["partial"] and stilfser["categories"] == ["Pässe"]  # a feed excerpt
    garda = recovered["/2013/09/10/gardasee/"]
    assert garda["partial"] and garda["title"] == "Am Gardasee"  # a home page excerpt
    assert "Drei Tage am See" in garda["content_html"]
    about = recovered["/ueber-mich/"]
    assert about["type"] == "page" and about["title"] == "Über mich"
    assert all(p["type"] == "post" for u, p in recovered.items() if u != "/ueber-mich/")
