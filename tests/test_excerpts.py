"""Issue 14.6: posts known only from a listing's excerpt are emitted, flagged ``partial``.

Listing themes no engine layout knows (a Bootstrap Jekyll home whose entries are links
wrapping a table, which the HTML parser splits; a hand-written Portuguese page in
windows-1252 with the date line before each entry): each entry still gives its post, title,
date and excerpt. Then the store: an excerpt alone comes out as a ``partial`` post, a title
alone does not (the report lists it as missing).
"""

from __future__ import annotations

from pathlib import Path

from recover.extract.charset import decode
from recover.extract.index import parse_index
from recover.normalize.merge import merged_posts
from recover.post import Post, Source
from recover.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "index" / "excerpts"


def parse(name: str, url: str) -> list[Post]:
    return parse_index(decode((FIXTURES / name).read_bytes(), None), url)


def test_bootstrap_list_group_entries() -> None:
    posts = parse("jekyll_bootstrap_home_2014.html", "http://geo.example.io/")
    assert [(p.url, p.title, p.published, p.partial) for p in posts] == [
        (
            "http://geo.example.io/post/2014/11/05/menger-sponges.html",
            "Menger Sponges",
            "2014-11-05",
            True,
        ),
        (
            "http://geo.example.io/post/2007/08/05/mechanical-geometry-theorem-proving.html",
            "Mechanical Geometry Theorem Proving",
            "2007-08-05",
            True,
        ),
    ]
    first = posts[0].content_html
    assert "The Menger sponge is a fractal curve" in first
    assert "Read more" not in first and "November 05, 2014" not in first
    assert "Menger Sponges" not in first  # the title is not part of the excerpt
    assert posts[0].images == ["http://geo.example.io/images/sponge.png"]
    assert posts[0].categories == ["post"]  # Jekyll's categories before the date
    assert "Wen-Tsun Wu" in posts[1].content_html and "Menger" not in posts[1].content_html


def test_hand_written_media_list_with_dates_before_entries() -> None:
    posts = parse("handwritten_media_list_2016.html", "http://caderno.example.com.br/")
    assert [(p.url.rsplit("/", 1)[-1], p.title, p.published) for p in posts] == [
        ("sabia.html", "Sabiá-laranjeira no quintal", "2016-03-14"),
        ("bem-te-vi.html", "Bem-te-vi e o ninho", "2016-02-02"),
    ]
    assert all(p.partial for p in posts)
    assert "um sabiá cantou" in posts[0].content_html
    assert "fevereiro" not in posts[0].content_html  # the next entry's date line is not ours
    assert "ninho novo" in posts[1].content_html and "mais antigas" not in posts[1].content_html


def test_excerpt_alone_is_emitted_partial(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    ts = "20141119000000"
    src = Source(
        archive="a/", capture_url=f"a/{ts}/http://geo.example.io/", timestamp=ts, kind="index"
    )
    for post in parse("jekyll_bootstrap_home_2014.html", "http://geo.example.io/"):
        post.source, post.sources = src, [src]
        store.add_post(post)
    titled = Post(url="http://geo.example.io/post/2014/12/02/exam-4.html", title="Exam (4|4)")
    titled.source = src
    titled.partial = True
    store.add_post(titled)
    out = merged_posts(store)
    assert sorted(p.title for p in out) == ["Mechanical Geometry Theorem Proving", "Menger Sponges"]
    assert all(p.partial and p.content_markdown for p in out)
    store.close()


def test_links_inside_a_body_are_not_entries() -> None:
    """A whole post on a listing citing other posts: one entry, not one per link."""
    html = """<html lang="fr"><body><div class="main">
    <div class="entry"><h2><a href="/2012/07/pis-le-laos-lui.html">Pis le Laos, lui?</a></h2>
    <p class="date">vendredi 6 juillet 2012</p>
    <p>Marie-Claude a <a href="/2012/05/viva-vang-vieng.html">parlé de Vang Vieng</a> et j'ai
    <a href="/2012/05/pour-vous-faire-patienter.html">garoché quelques photos</a>, mais nous
    n'avons pas donné au Laos la place qu'il mérite dans ce carnet de voyage.</p></div>
    </div></body></html>"""
    posts = parse_index(html, "http://fuite.example/2012/07/")
    assert [p.url for p in posts] == ["http://fuite.example/2012/07/pis-le-laos-lui.html"]


def test_a_page_its_author_left_empty_is_a_post(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    ts = "20150110144904"
    src = Source(archive="a/", capture_url=f"a/{ts}/000131", timestamp=ts, kind="page")
    url = "http://mt.example/archives/000131.html"
    store.add_post(Post(url=url, title="Custom C# templated webcontrol", source=src))
    (post,) = merged_posts(store)
    assert post.title == "Custom C# templated webcontrol" and not post.partial
    assert post.content_html == ""
    store.close()


BLOGGER_JUMP = """<html lang="fr"><body><div class="blog-posts hfeed">
<div class="date-outer"><h2 class="date-header"><span>mercredi 30 novembre 2011</span></h2>
<div class="post-outer"><div class="post hentry">
<h3 class="post-title entry-title"><a href="/2011/11/cocooning-in-istanbul.html">Cocooning</a></h3>
<div class="post-body entry-content"><p>Sept ans plus tard, Istanbul a bien changé.</p>
<a href="/2011/11/cocooning-in-istanbul.html" title="Cocooning">Voir le billet complet…</a>
(<a href="/2011/11/cocooning-in-istanbul.html#comments">Soyez le premier à commenter!</a>)
</div></div></div>
<div class="post-outer"><div class="post hentry">
<h3 class="post-title entry-title"><a href="/2011/11/court.html">Court</a></h3>
<div class="post-body entry-content"><p>Un billet très court, tout entier ici.</p>
(<a href="/2011/11/court.html#comments">4 commentaires</a>)
</div></div></div></div></div></body></html>"""


def test_jump_links_and_comment_links() -> None:
    """A link to the post trailing off ("Voir le billet complet…") makes an excerpt; a comments
    link is only dropped."""
    cut, whole = parse_index(BLOGGER_JUMP, "http://www.fuite.example/")
    assert cut.partial and "complet" not in cut.content_html and "commenter" not in cut.content_html
    assert "()" not in cut.content_html and "Istanbul a bien changé" in cut.content_html
    assert not whole.partial and "commentaires" not in whole.content_html
