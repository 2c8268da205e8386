"""Dates as blogs print them, in many languages, read to ISO 8601 (dates.parse_date)."""

from __future__ import annotations

import pytest

from recover.extract import extract
from recover.extract.dates import language, parse_date


@pytest.mark.parametrize(
    "text,lang,want",
    [
        ("mardi 21 juin 2011", None, "2011-06-21"),
        ("mardi 21 juin 2011 21h30", "fr", "2011-06-21T21:30:00"),
        ("1er janvier 2011", "fr", "2011-01-01"),
        ("6. Mai 2004 um 14:05", "de", "2004-05-06T14:05:00"),
        ("12.03.2006 um 06:42", "de", "2006-03-12T06:42:00"),
        ("martes, 21 de junio de 2011", None, "2011-06-21"),
        ("21 de junho de 2011 às 10:30", "pt-BR", "2011-06-21T10:30:00"),
        ("6 maggio 2004 alle 10:30", "it", "2004-05-06T10:30:00"),
        ("6 mei 2004", "nl", "2004-05-06"),
        ("21 июня 2011 г., 10:30", "ru", "2011-06-21T10:30:00"),
        ("2014年1月13日月曜日", "ja", "2014-01-13"),
        ("2010年7月 3日 21:15", None, "2010-07-03T21:15:00"),
        ("3 marca 2017 o 12:40", "pl", "2017-03-03T12:40:00"),
        ("13 maj 2020 kl. 07:55", "sv", "2020-05-13T07:55:00"),
        ("21. kesäkuuta 2011", "fi", "2011-06-21"),
        ("12. 3. 2015 v 14.05", "cs", "2015-03-12T14:05:00"),
        ("2015. március 12. 14:05", "hu", "2015-03-12T14:05:00"),
        ("12 березня 2015", "uk", "2015-03-12"),
        ("12 Μαρτίου 2015", "el", "2015-03-12"),
        ("3/12/2015", "en-GB", "2015-12-03"),
        ("2014年1月13日 午後1:05", "ja", "2014-01-13T13:05:00"),
        ("2011年6月21日 星期二", "zh-CN", "2011-06-21"),
        ("2014년 1월 13일 오후 1:05", "ko", "2014-01-13T13:05:00"),
        ("21/06/2011 10:30", "fr", "2011-06-21T10:30:00"),
        ("06/21/2011 10:30 PM", None, "2011-06-21T22:30:00"),
        ("3/12/06 9:10 AM", "en-US", "2006-03-12T09:10:00"),
        ("Tuesday, June 21, 2011 at 10:30 pm", None, "2011-06-21T22:30:00"),
        ("June 21st, 2011 @ 6:42 pm -0500", None, "2011-06-21T18:42:00-05:00"),
        ("Tue, 21 Jun 2011 10:30:00 +0000", None, "2011-06-21T10:30:00+00:00"),
        ("2011-06-21T10:30:00+02:00", None, "2011-06-21T10:30:00+02:00"),
        ("Posted by Ruth at 6:42 AM", None, None),
        ("12 comments on 3 posts", None, None),
    ],
)
def test_parse_date_any_language(text, lang, want):
    assert parse_date(text, lang) == want


def test_page_language_orders_numeric_dates():
    with language("fr-FR"):
        assert parse_date("03/04/2011") == "2011-04-03"
    with language("en-US"):
        assert parse_date("03/04/2011") == "2011-03-04"
    assert parse_date("03/04/2011") == "2011-03-04"


def test_french_blogger_date_header_read_from_the_page():
    """Issue 14.1: the date header, not the 1st of the URL's month."""
    html = """<html lang="fr"><head><meta content='blogger' name='generator'/>
    <title>La fuite: Le robinet</title></head><body><div class="blog-posts">
    <h2 class="date-header"><span>mardi 21 juin 2011</span></h2>
    <div class="post hentry"><h3 class="post-title entry-title">Le robinet</h3>
    <div class="post-body entry-content">Il fuit encore, goutte à goutte, depuis lundi.</div>
    <div class="post-footer">Publié par Anne à <a class="timestamp-link" href="#">14:05</a></div>
    </div></div></body></html>"""
    post = extract(html, "http://lafuite.blogspot.com/2011/06/le-robinet.html")
    assert post.published == "2011-06-21T14:05:00"


@pytest.mark.parametrize(
    "html,want",
    [
        ('<div class="date"><span>21</span><span>Jun</span><span>2011</span></div>', "2011-06-21"),
        ('<div class="date"><span>Jun</span><span>21</span><span>2011</span></div>', "2011-06-21"),
        ("<p>Posted on<time>June 3</time>, 2011</p>", "2011-06-03"),
    ],
)
def test_date_badges_in_pieces(html, want):
    """Themes print dates in pieces that inline layout runs together ("Jun212011")."""
    import lxml.html

    from recover.extract.microformats import date_of

    assert date_of(lxml.html.fragment_fromstring(html)) == want


def test_the_site_zone_wins_for_the_same_instant():
    """Meta tags in UTC and the page in its zone: the page's offset (the site's day)."""
    from recover.extract.dates import in_site_zone

    utc, local = "2019-03-16T17:40:12+00:00", "2019-03-17T01:40:12+08:00"
    assert in_site_zone([utc, local]) == local
    assert in_site_zone(["2019-03-16T17:40:12Z", local]) == local
    assert in_site_zone([utc, "2019-03-17T01:41:00+08:00"]) == utc  # another instant
    assert in_site_zone(["2019-03-16", local]) == "2019-03-16"  # no time: the first
    assert in_site_zone([]) is None
