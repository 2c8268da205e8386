"""Archive additions are stripped and replay URLs turned back into the site's own."""

from __future__ import annotations

import lxml.html
import pytest

from recover.extract import extract
from recover.extract.archive import clean_tree, strip_text
from recover.urls import absolute, is_replay, original_url

BASE = "http://blog.example.com/2008/10/31/halloween/"


@pytest.mark.parametrize(
    "url,want",
    [
        ("/web/20081031120000id_/http://blog.example.com/x", "http://blog.example.com/x"),
        ("/web/20081031120000/http://blog.example.com/x", "http://blog.example.com/x"),
        (
            "https://web.archive.org/web/20081031120000im_/http://blog.example.com/a.jpg",
            "http://blog.example.com/a.jpg",
        ),
        ("//web.archive.org/web/2008/http://blog.example.com/a", "http://blog.example.com/a"),
        ("/web/20081031120000/blog.example.com/x", "http://blog.example.com/x"),
        (
            "http://localhost:8080/coll/20081031120000/https://blog.example.com/x",
            "https://blog.example.com/x",
        ),
        ("/web/20081031120000/x", "http://blog.example.com/x"),
        ("/2008/10/30/older/", "http://blog.example.com/2008/10/30/older/"),
        ("http://blog.example.com/2008/10/30/older/", "http://blog.example.com/2008/10/30/older/"),
        ("../../29/x.html", "http://blog.example.com/2008/10/29/x.html"),
        ("#comments", "#comments"),
        ("mailto:me@example.com", "mailto:me@example.com"),
    ],
)
def test_absolute(url, want):
    assert absolute(url, BASE) == want


def test_dated_site_urls_are_not_replay_urls():
    assert not is_replay("http://blog.example.com/2008/10/31/halloween/")
    assert original_url("http://blog.example.com/2008/10/31/halloween/") == (
        "http://blog.example.com/2008/10/31/halloween/"
    )
    assert original_url(
        "https://web.archive.org/web/20081031120000/http://blog.example.com/a/"
    ) == ("http://blog.example.com/a/")


WAYBACK_PAGE = """<html><head>
<script src="//archive.org/includes/analytics.js?v=cf34f82" type="text/javascript"></script>
<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1" charset="utf-8"></script>
<script type="text/javascript" src="/_static/js/wombat.js?v=1" charset="utf-8"></script>
<script>__wm.init("https://web.archive.org/web");</script>
<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=1" />
<!-- End Wayback Rewrite JS Include -->
<title>Halloween</title></head>
<body>
<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<div id="wm-ipp-base"><div id="wm-ipp">TOOLBAR 47 captures</div></div>
<!-- END WAYBACK TOOLBAR INSERT -->
<div class="post"><p>Pumpkins <a href="/web/20081031120000/http://blog.example.com/tag/pumpkins/">tag</a>
<img src="/web/20081031120000im_/http://blog.example.com/p.jpg"
     srcset="/web/20081031120000im_/http://blog.example.com/p-2x.jpg 2x"></p></div>
</body></html>
<!--
     FILE ARCHIVED ON 12:00:00 Oct 31, 2008 AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON 10:00:00 Jan 01, 2020.
-->
<!-- playback timings (ms): captures_list: 1.0 -->"""

PYWB_PAGE = """<html><head>
<!-- WB Insert -->
<script>wbinfo = {}; wbinfo.top_url = "http://localhost:8080/my-web/2008/http://blog.example.com/";</script>
<script src='http://localhost:8080/static/wombat.js'> </script>
<script src='http://localhost:8080/static/default_banner.js'> </script>
<!-- End WB Insert -->
<title>Halloween</title></head><body>
<div id="_wb_plain_banner">Archived page</div>
<p>Pumpkins <img src="http://localhost:8080/my-web/20081031120000im_/http://blog.example.com/p.jpg"></p>
</body></html>"""


@pytest.mark.parametrize("html", [WAYBACK_PAGE, PYWB_PAGE])
def test_strip_and_restore(html):
    root = lxml.html.fromstring(strip_text(html))
    clean_tree(root, BASE)
    out = lxml.html.tostring(root, encoding="unicode")
    for injected in (
        "TOOLBAR",
        "wombat",
        "_static",
        "archive.org",
        "wbinfo",
        "__wm",
        "FILE ARCHIVED",
        "playback timings",
        "Archived page",
        "/web/2008",
        "localhost",
    ):
        assert injected not in out
    assert 'src="http://blog.example.com/p.jpg"' in out
    assert "Pumpkins" in out


def test_extract_from_replay_page():
    post = extract(
        WAYBACK_PAGE,
        "https://web.archive.org/web/20081031120000/" + BASE,
        captured="20081031120000",
    )
    assert post.url == BASE
    assert post.title == "Halloween"
    assert post.published == "2008-10-31"  # from the permalink
    assert post.images == ["http://blog.example.com/p.jpg"]
    assert 'srcset="http://blog.example.com/p-2x.jpg 2x"' in post.content_html
    assert 'href="http://blog.example.com/tag/pumpkins/"' in post.content_html
    assert "TOOLBAR" not in post.content_html
