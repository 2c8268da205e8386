"""Each engine's fixture page: title, date, terms, body, comments asserted exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from recover.extract import extract_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "engines"


def read(name: str, url: str, captured: str | None = None):
    return extract_bytes((FIXTURES / name).read_bytes(), url, captured=captured)


def test_wordpress_kubrick():
    post = read(
        "wordpress_kubrick_2007.html", "http://kitchen.example.org/2007/11/02/sourdough-week-three/"
    )
    assert post.engine == "wordpress"
    assert post.title == "Sourdough, week three"
    assert post.published == "2007-11-02T21:15:00"
    assert post.categories == ["Baking", "Notes"]
    assert post.tags == []
    assert post.slug == "sourdough-week-three"
    assert post.images == ["http://kitchen.example.org/wp-content/uploads/2007/11/loaf.jpg"]
    assert "<blockquote><p>Feed it twice a day, said the baker.</p></blockquote>" in (
        post.content_html
    )
    assert "<li>500g flour</li>" in post.content_html
    for junk in ("Digg this", "This entry was posted", "Sourdough, week three", "Leave a Reply"):
        assert junk not in post.content_html
    assert [(c.author, c.published, c.content_html, c.author_url) for c in post.comments] == [
        (
            "Anna",
            "2007-11-03T08:01:00",
            "<p>Try a little rye in the feed.</p>",
            "http://anna.example.com/",
        ),
        ("Bob", "2007-11-04T22:30:00", "<p>Looks great!</p>", None),
    ]


def test_wordpress_twentytwelve_from_wayback():
    post = read(
        "wordpress_twentytwelve_2013_wayback.html",
        "https://web.archive.org/web/20130601093012/"
        "http://travel.example.net/2013/05/14/lisbon-trams/",
    )
    assert post.url == "http://travel.example.net/2013/05/14/lisbon-trams/"
    assert post.title == "Lisbon by tram"
    assert post.published == "2013-05-14T08:05:33+00:00"
    assert post.author == "Maria"
    assert post.categories == ["Portugal"]
    assert post.tags == ["Lisbon", "trams"]
    assert post.images == ["http://travel.example.net/wp-content/uploads/2013/05/tram-1024x768.jpg"]
    html = post.content_html
    assert "<pre><code>ticket = 2.85 # euros</code></pre>" in html
    assert '<li id="note1">Prices from 2013.</li>' in html  # footnotes kept
    assert (  # the embed kept as one normalised iframe, never as URL text (issue 14.9)
        '<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" '
        'frameborder="0" allowfullscreen=""></iframe>' in html
    )
    assert ">http" not in html
    assert "300w, http://travel.example.net/wp-content/uploads/2013/05/tram-1024x768.jpg" in html
    for junk in (
        "web.archive.org",
        "/web/2013",
        "Share this",
        "Related",
        "Wayback",
        "<script",
    ):
        assert junk not in html
    assert [
        (c.author, c.published, c.content_html, c.id, c.parent, c.author_url)
        for c in post.comments
        if c.type == "comment"
    ] == [
        (
            "João",
            "2013-05-15T10:12:00+00:00",
            "<p>Take the 12 as well.</p>",
            "comment-20",
            None,
            "http://joao.example.pt/",
        ),
        (
            "Maria",
            "2013-05-15T11:00:00+00:00",
            "<p>Next time!</p>",
            "comment-21",
            "comment-20",
            None,
        ),
    ]

    pingback = post.comments[-1]  # carried as a comment of its own type (issue 14.10)
    assert (pingback.type, pingback.author, pingback.author_url, pingback.content_html) == (
        "pingback",
        "Elsewhere",
        "http://elsewhere.example/",
        "",
    )


def test_wordpress_block_theme_prefers_json_ld():
    post = read(
        "wordpress_block_2022.html", "https://compiletime.example.dev/2022/03/09/rust-lifetimes/"
    )
    assert post.title == "Notes on rust lifetimes"
    assert post.published == "2022-03-09T19:40:00+01:00"  # JSON-LD beats og (UTC)
    assert post.updated == "2022-03-10T08:00:00+01:00"
    assert post.author == "Kim Lee"
    assert post.categories == ["Rust"]
    assert post.tags == ["borrow checker", "lifetimes"]
    assert "<td>elided</td>" in post.content_html
    assert "$a^2 + b^2 = c^2$" in post.content_html
    assert "fn longest&lt;'a&gt;" in post.content_html
    assert [(c.author, c.published, c.content_html) for c in post.comments] == [
        ("Sam", "2022-03-11T09:00:00+00:00", "<p>Very clear, thanks.</p>")
    ]


@pytest.mark.parametrize(
    "name,url",
    [
        ("wordpress_home.html", "http://kitchen.example.org/"),
        ("wordpress_home.html", "http://kitchen.example.org/page/2/"),
        ("wordpress_about.html", "http://travel.example.net/about/"),
    ],
)
def test_not_a_single_post(name, url):
    assert read(name, url, captured="20130601093012") is None


def test_blogger_classic():
    post = read(
        "blogger_classic_2006.html", "http://birding.blogspot.com/2006/03/herons-at-dawn.html"
    )
    assert post.engine == "blogger"
    assert post.title == "Herons at dawn"
    assert post.published == "2006-03-12T06:42:00"
    assert post.author == "Ruth"
    assert post.categories == [] and post.tags == []
    assert "Three grey herons on the weir at 6am." in post.content_html
    assert "posted by" not in post.content_html.lower()
    assert post.images == ["http://photos1.blogger.com/blogger/1234/heron.jpg"]
    assert [(c.author, c.published, c.content_html, c.author_url, c.id) for c in post.comments] == [
        (
            "Tom",
            "2006-03-12T09:10:00",
            "<p>Lovely. Which weir?</p>",
            "http://www.blogger.com/profile/999",
            "c111",
        ),
        ("Anonymous", "2006-03-13T23:00:00", "<p>Great shot!</p>", None, "c112"),
    ]


def test_blogger_layout():
    post = read(
        "blogger_layout_2010.html",
        "http://fieldrec.blogspot.com/2010/06/recording-frogs-with-zoom-h2.html",
    )
    assert post.title == "Recording frogs with a Zoom H2"
    assert post.published == "2010-06-08T21:14:00+01:00"
    assert post.author == "Dev Patel"
    assert post.categories == ["frogs", "gear"]
    assert post.content_html.startswith("<p>Set the gain to <b>low</b> and wait.</p>")
    assert "<td>Gain</td>" in post.content_html
    assert [(c.author, c.published, c.content_html) for c in post.comments] == [
        ("Lena", "2010-06-09T17:13:00", "<p>What about rain noise?</p>")
    ]


def test_movabletype_author_of_a_byline_with_no_end():
    """MT 2.x's "Posted by Julien. <a>Permalink</a> | ..." has no "at" to end the name
    (monstuff): the name is the line up to its first link, less the full stop; the entry's
    RDF, when the page has one, names its creator."""
    data = (FIXTURES / "movabletype_2004_latin1.html").read_bytes()
    data = data.replace(b"Posted by Ad\xe8le at May 6, 2004 10:10 PM |", b"Posted by Ad\xe8le.")
    url = "http://cafe.example.com/archives/000044.html"
    post = extract_bytes(data, url)
    assert (post.author, post.published) == ("Adèle", "2004-05-06T22:10:05+01:00")
    rdf = data.replace(b"<dc:date>", b"<dc:creator>Ad\xe8le C.</dc:creator>\n<dc:date>", 1)
    assert extract_bytes(rdf, url).author == "Adèle C."


def test_movabletype_2_trackback_excerpt_and_time():
    """MT 2.x TrackBacks: the excerpt and the "Tracked:" time after a long excerpt (monstuff)."""
    data = (FIXTURES / "movabletype_2004_latin1.html").read_bytes()
    ping = (
        b'<div class="trackback-body"><a name="10"></a><span class="trackback-post">'
        b'<a href="http://neuro.example.net/archives/000408.html">Liposuction for Reader 6</a>'
        b"<br />\r\n<b>Excerpt:</b> " + b"The Inquirer has decent instructions. " * 9 + b"<br />"
        b"\r\n<b>Weblog:</b> Neurotech<br />\r\n<b>Tracked:</b> February  7, 2004 06:56 PM"
        b"</span></div>\r\n</body>"
    )
    data = data.replace(b"</body>", ping, 1)
    post = extract_bytes(data, "http://cafe.example.com/archives/000044.html")
    ping = post.comments[-1]
    assert (ping.type, ping.author, ping.published) == (
        "trackback",
        "Liposuction for Reader 6",
        "2004-02-07T18:56:00",
    )
    assert ping.content_html.startswith("<p>The Inquirer has decent instructions.")


def test_blogger_template_author_in_the_post_header():
    """A Blogger template's own header line "par <span class='fn'>André</span>" (lafuite)."""
    html = """<html lang="fr"><head><meta content='blogger' name='generator'/>
    <title>Carnet: Offre d'achat</title></head><body><div class='blog-posts hfeed'>
    <h2 class='date-header'><span>mardi 21 juin 2011</span></h2>
    <div class='post-outer'><div class='post hentry'>
    <h3 class='post-title entry-title'>Offre d'achat</h3>
    <div class='post-header'><div class='post-header-line-1'></div>
    par <span class='fn'>André</span></div>
    <div class='post-body entry-content'><p>Enfin une offre d'achat sur mon loft!</p></div>
    <div class='post-footer'></div></div></div></div></body></html>"""
    post = extract_bytes(html.encode(), "http://carnet.example.com/2011/06/offre-dachat.html")
    assert (post.engine, post.author, post.published) == ("blogger", "André", "2011-06-21")


def test_movabletype_latin1_with_rdf_date():
    post = read("movabletype_2004_latin1.html", "http://cafe.example.com/archives/000044.html")
    assert post.engine == "movabletype"
    assert post.title == "Why the crema forms"
    assert post.published == "2004-05-06T22:10:05+01:00"
    assert post.author == "Adèle"
    assert post.categories == ["Espresso"]
    assert "The naïve view is wrong—it is not oil." in post.content_html
    assert "the foam." in post.content_html  # the extended entry after <a name="more">
    assert "Posted by" not in post.content_html and "Permalink" not in post.content_html
    assert post.images == ["http://cafe.example.com/archives/images/crema.png"]
    assert [(c.author, c.published, c.content_html, c.author_url) for c in post.comments] == [
        (
            "Pierre",
            "2004-05-07T08:15:00",
            "<p>So the darker the roast, the less crema?</p>",
            "http://pierre.example.fr/",
        ),
        ("Adèle", "2004-05-07T09:02:00", "<p>Yes, mostly.</p>", None),
    ]


def test_typepad():
    post = read(
        "typepad_2008.html", "http://knitclub.typepad.com/knit/2008/10/fair-isle-finally.html"
    )
    assert post.title == "Fair Isle, finally"
    assert post.published == "2008-10-14T19:30:00"
    assert post.categories == ["Colorwork", "Patterns"]
    assert post.content_html == (
        '<p>Two colours per row, never more.</p><p>The chart is <a href="http://knitclub'
        '.typepad.com/knit/images/chart.pdf">here</a>.</p>'
    )
    assert [(c.author, c.published, c.content_html) for c in post.comments] == [
        ("Wooly", "2008-10-15T08:01:00", "<p>Gorgeous yoke!</p>")
    ]


def test_livejournal():
    post = read("livejournal_2009.html", "http://moth-collector.livejournal.com/12345.html")
    assert post.engine == "livejournal"
    assert post.title == "Lepidoptera night, part 2"
    assert post.published == "2009-07-18T23:40:00"
    assert post.author == "moth_collector"
    assert post.tags == ["moths", "night"]
    assert "Elephant hawk-moths, three of them." in post.content_html
    assert "Tags:" not in post.content_html
    assert [(c.author, c.published, c.content_html) for c in post.comments] == [
        ("beetle_bob", "2009-07-19T08:02:00+00:00", "Jealous! No moths here.")
    ]


def test_tumblr():
    post = read("tumblr_2012.html", "http://paperboats.tumblr.com/post/23456789/folding-a-crane")
    assert post.engine == "tumblr"
    assert post.title == "Folding a crane from receipt paper"
    assert post.published == "2012-04-02T14:05:00-04:00"
    assert post.tags == ["origami", "paper"]
    assert post.images == ["http://25.media.tumblr.com/tumblr_m1abc_500.jpg"]
    assert "alice likes this" not in post.content_html


def test_jekyll_minima():
    post = read(
        "jekyll_minima_2016.html", "https://lowlevel.github.io/2016/11/20/profiling-python.html"
    )
    assert post.engine == "jekyll"
    assert post.title == "Profiling Python with perf"
    assert post.published == "2016-11-20T10:00:00+00:00"
    assert post.categories == [] and post.tags == []
    assert r"<p>\[ T(n) = 2T(n/2) + n \]</p>" in post.content_html  # LaTeX as written
    assert "perf record <span" in post.content_html
    assert "disqus" not in post.content_html


def test_jekyll_categories_from_permalink_and_title_tag():
    post = read("jekyll_bare_2012.html", "http://amath.github.io/research/2012/03/01/groebner.html")
    assert post.title == "Notes on Gröbner bases"
    assert post.published == "2012-03-01"
    assert post.categories == ["research"]
    assert r"Let \( I \subset k[x_1,\dots,x_n] \) be an ideal." in post.content_html
    assert "MathJax" not in post.content_html


def test_hugo():
    post = read("hugo_2019.html", "https://homelab.example.net/posts/matrix-on-a-pi/")
    assert post.engine == "hugo"
    assert post.title == "Self-hosting Matrix on a Pi"
    assert post.published == "2019-08-03T09:12:44+02:00"
    assert post.tags == ["matrix", "raspberry pi"]
    assert "<li>Install Synapse</li>" in post.content_html
    assert "WireGuard" not in post.content_html


def test_ghost():
    post = read("ghost_2020.html", "https://opslog.example.io/shipping-on-fridays/")
    assert post.engine == "ghost"
    assert post.title == "Shipping on Fridays"
    assert post.published == "2020-02-21T16:30:00+00:00"
    assert post.author == "Priya Raman"
    assert post.tags == ["Deploys", "Culture"]
    assert post.images == ["https://opslog.example.io/content/images/2020/02/deploy.png"]
    assert (
        '<iframe src="https://player.vimeo.com/video/1234" width="480" height="270" '
        'frameborder="0" allowfullscreen=""></iframe>' in post.content_html
    )
    assert "Subscribe" not in post.content_html and "Canary" not in post.content_html


def test_generic_hand_written_page():
    post = read("generic_handwritten_2001.html", "http://members.example.net/~dave/modem.html")
    assert post.engine == "generic"
    assert post.title == "My new modem"
    assert post.published == "2001-06-03"
    assert "It connects at 49,333 bps on a good day – not bad!" in post.content_html
    assert "“just works”" in post.content_html  # windows-1252 quotes
    assert "Guestbook" not in post.content_html and "visitor" not in post.content_html


@pytest.mark.parametrize(
    ("signature", "engine"),
    [
        ('<link rel="stylesheet" href="/wp-content/themes/x/style.css">', "wordpress"),
        ('<script src="https://www.blogger.com/static/v1/widgets.js"></script>', "blogger"),
        ('<script src="/mt-static/mt.js"></script>', "movabletype"),
        ('<img src="https://static.tumblr.com/logo.png">', "tumblr"),
        ('<link href="https://l-stat.livejournal.net/s.css" rel="stylesheet">', "livejournal"),
    ],
)
def test_engine_known_by_the_address_of_its_files(signature: str, engine: str) -> None:
    """A page with no generator and no engine's classes: the address of a file it loads
    names its engine; the same address past the part of the page searched does not."""
    from recover.extract import detect
    from recover.extract.page import Page

    head = f"<html><head><title>A post</title>{signature}</head>"
    body = "<body><h1>A post</h1><p>Words of the post.</p></body></html>"
    assert detect(Page(head + body, "http://blog.example.com/a-post")).NAME == engine
    filler = "<p>" + "filler text " * 40_000 + "</p>"  # 480,000 characters
    late = f"<html><head><title>A post</title></head><body>{filler}{signature}{body[6:]}"
    assert detect(Page(late, "http://blog.example.com/a-post")).NAME == "generic"
