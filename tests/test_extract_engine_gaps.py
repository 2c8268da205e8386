"""Engine layouts beyond the classics: LJ s2 and new journals, MT 4, Blogger comment forms,
WordPress block themes without JSON-LD, Ghost's Source theme, Hugo ``.content`` themes."""

from __future__ import annotations

from pathlib import Path

from recover.extract import extract_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "engines"


def read(name: str, url: str):
    return extract_bytes((FIXTURES / name).read_bytes(), url)


def comments(post):
    return [
        (c.author, c.published, c.content_html, c.author_url, c.id, c.parent) for c in post.comments
    ]


def test_livejournal_s2_entry_content_and_threaded_comments():
    post = read("livejournal_s2_2011.html", "http://kettle-tinker.livejournal.com/4321.html")
    assert post.engine == "livejournal"
    assert post.title == "Soldering a Nixie clock"
    assert post.published == "2011-02-05T21:07:00"
    assert post.author == "kettle_tinker"
    assert post.tags == ["electronics", "clocks"]
    assert post.content_html == (
        "<p>Six IN-14 tubes and a 170\xa0V supply.</p>\n"
        '<p><a name="cutid1"></a>Mind the <b>high voltage</b> rail.</p>'
    )
    assert comments(post) == [
        (
            "volt_vera",
            "2011-02-06T09:15:00+00:00",
            "Lovely glow! Which driver chip?",
            "http://volt-vera.livejournal.com/",
            "t77825",
            None,
        ),
        (
            "kettle_tinker",
            "2011-02-06T10:40:00+00:00",
            "A K155ID1, <i>of course</i>.",
            "http://kettle-tinker.livejournal.com/",
            "t78081",
            "t77825",  # indented under the first
        ),
        ("Anonymous", "2011-02-07T13:02:00+00:00", "Do you sell kits?", None, "t78337", None),
    ]


def test_livejournal_singlepost_layout():
    post = read("livejournal_lynx_2014.html", "https://kitchen-witch.livejournal.com/5555.html")
    assert post.engine == "livejournal"
    assert post.title == "Soup of the week: borscht"
    assert post.published == "2014-10-12T18:30:00"
    assert post.author == "kitchen_witch"
    assert post.tags == ["soup", "beets"]
    assert post.content_html == (
        "<p>Beetroot, cabbage, and a spoon of <em>smetana</em>.</p>\n<p>Bake the beets first.</p>"
    )
    assert comments(post) == [
        (
            "dill_pickle",
            "2014-10-13T07:45:00+00:00",
            "Garlic pampushky on the side!",
            "https://dill-pickle.livejournal.com/",
            "t901",
            None,
        ),
        (
            "kitchen_witch",
            "2014-10-13T09:10:00+00:00",
            "Next week, promise.",
            "https://kitchen-witch.livejournal.com/",
            "t902",
            "t901",
        ),
    ]


def test_movabletype4_asset_body_more_and_comment_footers():
    post = read("movabletype4_2009.html", "http://photo.example.org/2009/03/the-50mm.html")
    assert post.engine == "movabletype"
    assert post.title == "The 50mm, again"
    assert post.published == "2009-03-21T14:02:11+01:00"
    assert post.author == "Jonas"
    assert post.categories == ["Lenses"]
    assert post.tags == ["primes", "50mm"]
    assert post.images == ["http://photo.example.org/images/50mm.jpg"]
    assert post.content_html == (
        "<p>Every photographer comes back to the nifty fifty.</p>"
        "<p>It is <strong>cheap</strong>, sharp at f/4, and light.</p>\n"
        '<p><img alt="50mm" src="http://photo.example.org/images/50mm.jpg" width="400" '
        'height="300"></p>'
    )
    assert comments(post) == [
        (
            "Lena",
            "2009-03-21T18:40:00+01:00",
            "<p>Mine lives on the camera.</p>",
            "http://lena.example.de/",
            "comment-1201",
            None,
        ),
        # "Posted by: Anonymous | <a href=#comment-1202>date</a>": the date is no author
        ("Anonymous", "2009-03-22T09:05:00", "<p>Canon or Nikon?</p>", None, "comment-1202", None),
        (
            "Jonas",
            "2009-03-22T10:15:00",
            "<p>Both, at different times.</p>",
            "http://photo.example.org/",
            "comment-1203",
            None,
        ),
    ]


def test_blogger_threaded_comments():
    post = read(
        "blogger_threaded_2013.html",
        "http://quilting-hours.blogspot.com/2013/04/log-cabin-blocks.html",
    )
    assert post.engine == "blogger"
    assert post.title == "Log cabin blocks"
    assert post.published == "2013-04-13T10:20:00-07:00"
    assert post.author == "Margaret"
    assert post.categories == ["blocks", "log cabin"]
    assert post.images == ["http://2.bp.blogspot.com/-abc/UWm/AAAA/s320/cabin.jpg"]
    assert post.content_html.startswith("Start with a red centre square.<br><br>")
    assert post.content_html.endswith("Then work outwards, light on one side, dark on the other.")
    assert comments(post) == [
        (
            "Dot",
            "2013-04-13T11:00:00",
            "Do you press the seams open?",
            "https://www.blogger.com/profile/0101",
            "c7001",
            None,
        ),
        (
            "Margaret",
            "2013-04-13T12:00:00",
            "To the dark side, always.",
            "https://www.blogger.com/profile/0202",
            "c7002",
            "c7001",
        ),
        ("Anonymous", "2013-04-14T10:20:00", "Lovely colours.<br>Saving this one.", None)
        + ("c7003", None),
    ]


def test_blogger_classic_comments_dl_without_id():
    post = read(
        "blogger_classic_comments_2005.html",
        "http://allotment.blogspot.com/2005/11/broad-beans-in.html",
    )
    assert post.engine == "blogger"
    assert post.title == "Broad beans in"
    assert post.published == "2005-11-06T14:15:00"
    assert post.author == "Geoff"  # "posted by Geoff @ 2:15 PM"
    assert "Aquadulce Claudia, two rows, five inches apart." in post.content_html
    assert comments(post) == [
        (
            "Marion",
            "2005-11-06T18:30:00",
            "<p>Mice will have them unless you net.</p>",
            "http://www.blogger.com/profile/777",
            "c113129000000000001",
            None,
        ),
        (
            "Anonymous",
            "2005-11-07T08:05:00",
            "<p>Soak them overnight first.</p>",
            None,
            "c113130000000000002",
            None,
        ),
    ]


def test_wordpress_block_theme_markup_alone():
    post = read(
        "wordpress_block_plain_2023.html", "https://workbench.example.com/2023/01/28/card-scraper/"
    )
    assert post.engine == "wordpress"
    assert post.title == "Sharpening a card scraper"
    assert post.published == "2023-01-28T15:10:00+00:00"
    assert post.author == "Ole"
    assert post.categories == ["Hand tools"]
    assert post.tags == ["scrapers", "sharpening"]
    assert post.images == [
        "https://workbench.example.com/wp-content/uploads/2023/01/scraper-1024x683.jpg"
    ]
    assert post.content_html == (
        "<p>File the edge square, then <strong>burnish</strong> a hook.</p>\n"
        '<figure class="wp-block-image size-large"><img decoding="async" '
        'src="https://workbench.example.com/wp-content/uploads/2023/01/scraper-1024x683.jpg" '
        'alt="scraper" class="wp-image-515"></figure>\n'
        "<ol><li>File</li><li>Hone</li><li>Burnish</li></ol>"
    )
    assert comments(post) == [
        (
            "Kari",
            "2023-01-29T08:00:00+00:00",
            "<p>A drop of oil on the burnisher helps.</p>",
            "https://kari.example.no/",
            "comment-88",
            None,
        )
    ]


def test_ghost_source_theme():
    post = read("ghost_source_2023.html", "https://opslog.example.io/feature-flags/")
    assert post.engine == "ghost"
    assert post.title == "Feature flags without a vendor"
    assert post.published == "2023-05-02"
    assert post.author == "Priya Raman"
    assert post.tags == ["Flags"]
    assert post.images == ["https://opslog.example.io/content/images/2023/05/flags.png"]
    assert post.content_html == (
        "<p>We kept our flags in <code>postgres</code> for two years.</p>\n"
        '<figure class="kg-card kg-image-card"><img src="https://opslog.example.io/content/'
        'images/2023/05/flags.png" class="kg-image" alt="" loading="lazy" width="1200" '
        'height="800"></figure>\n<h2 id="caching">Caching</h2>\n<p>Thirty seconds is plenty.</p>'
    )
    assert "Shipping on Fridays" not in post.content_html  # the "Read more" cards


def test_hugo_content_theme():
    post = read("hugo_content_2020.html", "https://rack.example.net/posts/restic/")
    assert post.engine == "hugo"
    assert post.title == "Backups with restic"
    assert post.published == "2020-11-15T18:00:00+00:00"
    assert post.tags == ["backup", "restic"]
    assert post.content_html == (
        '<p>Restic deduplicates, encrypts and talks to <a href="https://www.backblaze.com/b2/">'
        "B2</a>.</p>\n"
        '<pre><code class="language-sh">restic -r b2:rack:/ backup /srv\n</code></pre>\n'
        "<p>Prune weekly.</p>"
    )
