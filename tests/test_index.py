"""parse_index: home, paging, term and date archive pages of each engine, as posts."""

from __future__ import annotations

from pathlib import Path

import pytest

from recover.extract.index import parse_index

FIXTURES = Path(__file__).parent / "fixtures" / "index"
ENGINES = Path(__file__).parent / "fixtures" / "engines"


def parse(name: str, url: str):
    return parse_index((FIXTURES / name).read_text(encoding="utf-8"), url)


def rows(posts):
    return [(p.url, p.title, p.published, p.categories, p.tags, p.partial, p.engine) for p in posts]


def test_wordpress_kubrick_home_shows_whole_posts():
    posts = parse("wordpress_kubrick_home_2007.html", "http://kitchen.example.org/")
    base = "http://kitchen.example.org/2007/"
    assert rows(posts) == [
        (
            base + "11/02/sourdough-week-three/",
            "Sourdough, week three",
            "2007-11-02",
            ["Baking", "Notes"],
            [],
            False,  # no "more" link: the whole post
            "wordpress",
        ),
        (base + "10/28/starter/", "Starter", "2007-10-28", ["Baking"], [], True, "wordpress"),
    ]
    assert posts[0].content_html == (
        "<p>The starter finally doubles in six hours.</p>\n"
        '<p><img src="http://kitchen.example.org/wp-content/uploads/2007/11/loaf.jpg" alt="loaf">'
        "</p>"
    )
    assert posts[0].images == ["http://kitchen.example.org/wp-content/uploads/2007/11/loaf.jpg"]
    assert posts[0].slug == "sourdough-week-three"
    assert posts[1].content_html == "<p>Day one: flour and water, nothing else.</p>"
    # the sidebar's "Recent Posts" are not entries
    assert "old-news" not in " ".join(p.url for p in posts)


def test_wordpress_tag_archive_from_wayback():
    posts = parse(
        "wordpress_twentytwelve_tag_2013_wayback.html",
        "https://web.archive.org/web/20130601093012/http://travel.example.net/tag/lisbon/",
    )
    assert rows(posts) == [
        (
            "http://travel.example.net/2013/05/14/lisbon-trams/",
            "Lisbon by tram",
            "2013-05-14T08:05:33+00:00",
            ["Portugal"],
            ["Lisbon", "trams"],
            True,
            "wordpress",
        ),
        (
            "http://travel.example.net/2013/04/02/pasteis/",
            "Pastéis de nata",
            "2013-04-02T17:40:00+00:00",
            ["Portugal"],
            ["Lisbon"],
            True,  # .entry-summary is an excerpt even when it looks complete
            "wordpress",
        ),
    ]
    assert [p.author for p in posts] == ["Maria", "Maria"]
    assert posts[0].content_html == (
        "<p>The 28 climbs from Martim Moniz to Graça, rattling past washing lines […]</p>"
    )


def test_wordpress_block_theme_query_loop():
    posts = parse("wordpress_block_home_2022.html", "https://compiletime.example.dev/")
    base = "https://compiletime.example.dev/2022/"
    assert rows(posts) == [
        (
            base + "03/09/rust-lifetimes/",
            "Notes on rust lifetimes",
            "2022-03-09T19:40:00+01:00",
            ["Rust"],
            ["borrow checker", "lifetimes"],
            False,
            "wordpress",
        ),
        (
            base + "02/01/cargo-workspaces/",
            "Cargo workspaces",
            "2022-02-01T10:00:00+01:00",
            ["Tooling"],
            [],
            True,
            "wordpress",
        ),
    ]
    assert "<td>elided</td>" in posts[0].content_html
    assert posts[1].content_html == (
        '<p class="wp-block-post-excerpt__excerpt">One lock file for many crates, and why that '
        "matters. </p>"
    )


def test_blogger_classic_date_headers():
    posts = parse("blogger_classic_home_2006.html", "http://birding.blogspot.com/")
    base = "http://birding.blogspot.com/2006/03/"
    assert rows(posts) == [
        (base + "herons-at-dawn.html", "Herons at dawn", "2006-03-12T06:42:00", [], [], False)
        + ("blogger",),
        (base + "kingfisher.html", "Kingfisher!", "2006-03-12T06:05:00", [], [], True, "blogger"),
        (base + "new-binoculars.html", "New binoculars", "2006-03-10T21:30:00", [], [], False)
        + ("blogger",),
    ]
    assert posts[0].images == ["http://photos1.blogger.com/blogger/1234/heron.jpg"]
    assert "read more" not in posts[1].content_html
    assert posts[2].content_html.endswith("<p>8x42, and they fit in a coat pocket.</p>")


def test_blogger_layout_label_page():
    posts = parse(
        "blogger_layout_label_2010.html", "http://fieldrec.blogspot.com/search/label/frogs"
    )
    base = "http://fieldrec.blogspot.com/2010/"
    assert rows(posts) == [
        (
            base + "06/recording-frogs-with-zoom-h2.html",
            "Recording frogs with a Zoom H2",
            "2010-06-08T21:14:00+01:00",
            ["frogs", "gear"],
            [],
            True,  # "Read more »" jump link
            "blogger",
        ),
        (
            base + "05/pond-at-night.html",
            "Pond at night",
            "2010-05-30T23:02:00+01:00",
            ["frogs"],
            [],
            False,
            "blogger",
        ),
    ]
    assert [p.author for p in posts] == ["Dev Patel", "Dev Patel"]
    assert posts[0].content_html == "<p>Set the gain to <b>low</b> and wait.</p>"


def test_movabletype_blogbody_home():
    posts = parse("movabletype_home_2004.html", "http://cafe.example.com/")
    base = "http://cafe.example.com/archives/"
    assert rows(posts) == [
        (base + "000044.html", "Why the crema forms", "2004-05-06T22:10:00", [], [], True)
        + ("movabletype",),
        (base + "000043.html", "Tamping pressure", "2004-05-06T08:15:00", [], [], False)
        + ("movabletype",),
        (base + "000042.html", "Grinder burrs", "2004-05-01T19:00:00", [], [], False)
        + ("movabletype",),
    ]
    assert posts[0].content_html == "<p>The naïve view is wrong—it is not oil.</p>"
    assert posts[1].content_html == "<p>Twenty kilos is a myth. Be level, be consistent.</p>"


def test_movabletype4_category_archive():
    posts = parse("movabletype4_category_2009.html", "http://photo.example.org/lenses/")
    assert rows(posts) == [
        (
            "http://photo.example.org/2009/03/the-50mm.html",
            "The 50mm, again",
            "2009-03-21T14:02:11+01:00",
            ["Lenses"],
            ["primes", "50mm"],
            True,  # "Continue reading"
            "movabletype",
        ),
        (
            "http://photo.example.org/2009/02/cleaning-glass.html",
            "Cleaning glass",
            "2009-02-02T09:30:00+01:00",
            ["Lenses", "Care"],
            [],
            False,
            "movabletype",
        ),
    ]
    assert [p.author for p in posts] == ["Jonas", "Jonas"]
    assert posts[0].content_html == "<p>Every photographer comes back to the nifty fifty.</p>"


def test_livejournal_recent_entries():
    posts = parse("livejournal_home_2009.html", "http://moth-collector.livejournal.com/")
    base = "http://moth-collector.livejournal.com/"
    assert rows(posts) == [
        (
            base + "12345.html",
            "Lepidoptera night, part 2",
            "2009-07-18T23:40:00",
            [],
            ["moths", "night"],
            True,  # lj-cut
            "livejournal",
        ),
        (base + "12100.html", "Sheet and lamp", "2009-07-02T22:15:00", [], ["kit"], False)
        + ("livejournal",),
    ]
    assert posts[0].content_html == "Elephant hawk-moths, three of them.<br><br>"
    assert posts[1].content_html.endswith("</span> and a flask of tea.")
    assert posts[1].author is None  # an ljuser mention in the text is not the author


def test_tumblr_home():
    posts = parse("tumblr_home_2012.html", "http://paperboats.tumblr.com/")
    base = "http://paperboats.tumblr.com/post/"
    assert rows(posts) == [
        (
            base + "23456789/folding-a-crane",
            "Folding a crane from receipt paper",
            "2012-04-02T14:05:00-04:00",
            [],
            ["origami", "paper"],
            False,
            "tumblr",
        ),
        (base + "23400001", None, "2012-03-30T09:00:00-04:00", [], [], False, "tumblr"),
        (base + "23300002/long-read", "Water bombs", "2012-03-28T18:20:00-04:00", [], [], True)
        + ("tumblr",),
    ]
    assert posts[1].images == ["http://25.media.tumblr.com/tumblr_m1xyz_500.jpg"]
    assert "<p>A whole fleet.</p>" in posts[1].content_html
    assert "notes" not in posts[1].content_html
    assert posts[2].content_html == "<p>The classic balloon, folded wet.</p>"


def test_jekyll_minima_links_only():
    posts = parse("jekyll_minima_home_2016.html", "https://lowlevel.github.io/")
    base = "https://lowlevel.github.io/2016/"
    assert rows(posts) == [
        (base + "11/20/profiling-python.html", "Profiling Python with perf", "2016-11-20")
        + ([], [], True, "jekyll"),
        (base + "10/03/cache-lines.html", "Cache lines & false sharing", "2016-10-03")
        + ([], [], True, "jekyll"),
    ]
    assert [p.content_html for p in posts] == ["", ""]


def test_jekyll_excerpts_and_permalink_categories():
    posts = parse("jekyll_excerpts_2014.html", "http://amath.github.io/")
    assert rows(posts) == [
        (
            "http://amath.github.io/research/2014/05/02/hilbert-basis.html",
            "Hilbert's basis theorem",
            "2014-05-02",
            ["research"],
            [],
            True,
            "jekyll",
        ),
        (
            "http://amath.github.io/research/2012/03/01/groebner.html",
            "Notes on Gröbner bases",
            "2012-03-01",
            ["research"],
            [],
            True,
            "jekyll",
        ),
    ]
    assert posts[1].content_html == r"<p>Let \( I \subset k[x_1,\dots,x_n] \) be an ideal.</p>"


def test_hugo_papermod_list():
    posts = parse("hugo_papermod_list_2021.html", "https://homelab.example.net/posts/")
    base = "https://homelab.example.net/posts/"
    assert rows(posts) == [
        (
            base + "matrix-on-a-pi/",
            "Self-hosting Matrix on a Pi",
            "2019-08-03T09:12:44+02:00",
            [],
            [],
            True,
            "hugo",
        ),
        (base + "wireguard/", "WireGuard in ten minutes", "2019-06-11T20:00:00+02:00", [], [])
        + (True, "hugo"),
    ]
    assert posts[0].content_html == "<p>Synapse, Postgres and a reverse proxy on 4 GB of RAM.</p>"


def test_archive_list_links_only():
    posts = parse("hugo_archive_2019.html", "https://rack.example.net/archive/")
    base = "https://rack.example.net/posts/"
    assert [(p.url, p.title, p.published, p.partial, p.content_html) for p in posts] == [
        (base + "matrix-on-a-pi/", "Self-hosting Matrix on a Pi", "2019-08-03T09:12:44+02:00")
        + (True, ""),
        (base + "wireguard/", "WireGuard in ten minutes", "2019-06-11T20:00:00+02:00", True, ""),
        (base + "ups-battery/", "Replacing a UPS battery", "2018-12-24", True, ""),
    ]  # tag links, navigation and the sidebar are not posts


def test_ghost_post_cards():
    posts = parse("ghost_home_2020.html", "https://opslog.example.io/")
    assert rows(posts) == [
        (
            "https://opslog.example.io/shipping-on-fridays/",
            "Shipping on Fridays",
            "2020-02-21",
            [],
            ["Deploys"],
            True,
            "ghost",
        ),
        ("https://opslog.example.io/on-call-notes/", "On-call notes", "2020-01-10", [], [])
        + (True, "ghost"),
    ]
    assert [p.author for p in posts] == ["Priya Raman", "Priya Raman"]
    assert posts[1].content_html == (
        "<p>Runbooks nobody reads, and the one that everybody does.</p>"
    )


def test_generic_h_entries():
    posts = parse("generic_articles_2015.html", "http://dave.example.net/log/")
    base = "http://dave.example.net/log/2015/"
    assert rows(posts) == [
        (base + "09/coffee.html", "Coffee, again", "2015-09-14T08:00:00-05:00", ["coffee"], [])
        + (False, "generic"),
        (base + "08/bikes.html", "Bikes", "2015-08-30", [], [], True, "generic"),
    ]


def test_engine_fixture_home_page():
    html = (ENGINES / "wordpress_home.html").read_text(encoding="utf-8")
    posts = parse_index(html, "http://kitchen.example.org/")
    assert [(p.url, p.title, p.content_html, p.partial) for p in posts] == [
        (
            "http://kitchen.example.org/2007/11/02/sourdough-week-three/",
            "Sourdough, week three",
            "<p>The starter finally doubles.</p>",
            False,
        ),
        ("http://kitchen.example.org/2007/10/28/starter/", "Starter", "<p>Day one.</p>", False),
    ]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "not html at all",
        "<html></html>",
        "<html><body><p>Just a page.</p><a href='/about/'>About</a></body></html>",
        "\x00\x01\x02<html>" + "\x03" * 500,
        "<div class='post'><h2><a href='http://[bad'>x</a></h2></div>",
        "<" * 10000,
        "<article>" * 3000,
    ],
)
def test_garbage_gives_nothing(html):
    assert parse_index(html, "http://blog.example.com/") == []


def test_non_string_input_never_raises():
    assert parse_index(None, "http://blog.example.com/") == []  # type: ignore[arg-type]
    assert parse_index("<html></html>", None) == []  # type: ignore[arg-type]


def test_comment_before_an_entry_is_no_date_line():
    """A theme's HTML comment just before an entry: the entries are read past it, and a
    date line before the comment still belongs to the entry."""
    html = (
        '<html><body><div id="main">'
        '<!-- one --><div><h2><a href="/2010/01/01/a/">Alpha post</a></h2>'
        "<p>Some words of the alpha excerpt...</p></div>"
        '<p class="date">January 2, 2010</p><!-- two -->'
        '<div><h2><a href="/2010/01/02/b/">Beta post</a></h2>'
        "<p>Some words of the beta excerpt...</p></div>"
        "</div></body></html>"
    )
    posts = parse_index(html, "http://blog.example.com/")
    assert [(p.url, p.title, p.published) for p in posts] == [
        ("http://blog.example.com/2010/01/01/a/", "Alpha post", None),
        ("http://blog.example.com/2010/01/02/b/", "Beta post", "2010-01-02"),
    ]


def test_a_page_parsed_once_serves_the_listing_and_is_left_unchanged():
    """The crawl parses a listing once (for the template too): the same posts as from the
    HTML alone, and the tree it hands over is not altered."""
    from lxml import etree

    from recover.extract.charset import decode
    from recover.extract.page import Page

    html = decode((FIXTURES / "terms" / "wordpress_tag_de_2014.html").read_bytes(), None)
    url = "https://radtouren.example.de/tag/fahrrad/page/2/"
    page = Page(html, url)
    before = etree.tostring(page.root)
    posts = parse_index(html, url, page)
    assert posts and all("Fahrrad" in p.tags for p in posts)  # the term listing's term
    assert rows(posts) == rows(parse_index(html, url))
    assert etree.tostring(page.root) == before


def test_block_reading_only_where_the_layout_missed_a_post_link(monkeypatch):
    """A listing whose layout gave every post link in the main column an entry with a
    title and a text is not read a second time block by block (that reading cost every
    listing about as much again); where the layout missed a linked post, it is."""
    import recover.extract.index as index

    read = []
    blocks = index._blocks
    monkeypatch.setattr(index, "_blocks", lambda *args: read.append(1) or blocks(*args))
    posts = parse("wordpress_kubrick_home_2007.html", "http://kitchen.example.org/")
    assert len(posts) == 2 and all(p.title and p.content_html for p in posts)
    assert read == []

    entry = (
        '<article class="hentry"><h2 class="entry-title"><a href="/2010/01/0{n}/p{n}/">'
        'Post {n}</a></h2><div class="entry-content"><p>{words}</p></div></article>'
    )
    words = "Enough words here to make a real excerpt of the post. " * 2
    plain = (  # the third entry lacks the theme's classes: only the block reading sees it
        '<div><h2><a href="/2010/01/03/p3/">Post 3</a></h2>'
        f'<p class="date">January 3, 2010</p><p>{words}</p></div>'
    )
    html = (
        "<html><body><main>"
        + "".join(entry.format(n=n, words=words) for n in (1, 2))
        + plain
        + "</main></body></html>"
    )
    posts = parse_index(html, "http://blog.example.com/")
    assert read == [1]
    assert [p.title for p in posts] == ["Post 1", "Post 2", "Post 3"]


def test_a_link_in_an_excerpt_is_not_a_missed_entry(monkeypatch):
    """Excerpts that link to other posts ("see my notes") hold no entry the layout missed:
    the listing is not read block by block for them (they made every listing of the
    generated blog read twice), and it gives the entries the layout read."""
    import recover.extract.index as index

    read = []
    blocks = index._blocks
    monkeypatch.setattr(index, "_blocks", lambda *args: read.append(1) or blocks(*args))
    entry = (
        '<article class="hentry"><h2 class="entry-title"><a href="/2010/01/0{n}/p{n}/">'
        'Post {n}</a></h2><div class="entry-content"><p>Words of post {n}, as in my '
        '<a href="/2009/12/0{n}/older-{n}/">older notes</a> and more words here.</p>'
        "</div></article>"
    )
    html = (
        "<html><body><main>"
        + "".join(entry.format(n=n) for n in (1, 2, 3))
        + "</main></body></html>"
    )
    posts = parse_index(html, "http://blog.example.com/")
    assert [p.title for p in posts] == ["Post 1", "Post 2", "Post 3"]
    assert all("older notes" in p.content_html for p in posts)
    assert read == []


def test_a_layout_entry_around_several_posts_is_read_block_by_block() -> None:
    """The theme's entry class on a box around every post (one "entry" whose text holds the
    others): the links in the others' headings are entries the layout missed, so the
    listing is read block by block and gives each post."""
    words = "Enough words here to make a real excerpt of the post. " * 2
    item = (
        '<div class="item"><h2><a href="/2010/01/0{n}/p{n}/">Post {n}</a></h2>'
        '<div class="entry"><p>{words}</p></div></div>'
    )
    html = (
        '<html><body><div id="main"><div class="post">'
        + "".join(item.format(n=n, words=words) for n in (1, 2, 3))
        + "</div></div></body></html>"
    )
    posts = parse_index(html, "http://blog.example.com/")
    assert [p.title for p in posts] == ["Post 1", "Post 2", "Post 3"]
    assert all(words.strip()[:20] in p.content_html for p in posts)
