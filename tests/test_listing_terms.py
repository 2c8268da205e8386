"""Issue 14.12: a post listed on a term's own listing page has that term.

Themes that show a post's terms only on the term's listing: Blogger (French, label widget
with counts), WordPress (German tag archive, page 2), Hugo (Japanese category list), Tumblr
(``/tagged/``), Movable Type (Spanish category archive). Then the merge: a post's terms are
the union of its page's and every listing's.
"""

from __future__ import annotations

from pathlib import Path

from recover.extract.charset import decode
from recover.extract.index import listing_term, parse_index
from recover.extract.page import Page
from recover.normalize.merge import merge
from recover.post import Post, Source

FIXTURES = Path(__file__).parent / "fixtures" / "index" / "terms"


def fixture(name: str) -> str:
    """A fixture page decoded as a crawl decodes it (its own charset)."""
    return decode((FIXTURES / name).read_bytes(), None)


BLOGGER_LABEL = fixture("blogger_label_fr_2011.html")

WORDPRESS_TAG = fixture("wordpress_tag_de_2014.html")

HUGO_CATEGORY = fixture("hugo_category_ja_2014.html")

TUMBLR_TAGGED = fixture("tumblr_tagged_en_2012.html")

MT_CATEGORY = fixture("movabletype_category_es_2005.html")


def terms(posts: list[Post]) -> dict[str, tuple[list[str], list[str]]]:
    return {p.url.rsplit("/", 1)[-1] or p.url: (p.categories, p.tags) for p in posts}


def test_blogger_label_page_names_its_label() -> None:
    url = (
        "http://www.fuite.example/search/label/Pr%C3%A9paratifs"
        "?updated-max=2011-11-19T06:33:00-08:00&max-results=20&start=20&by-date=false"
    )
    assert listing_term(Page(BLOGGER_LABEL, url), url) == ("categories", "Préparatifs")
    posts = parse_index(BLOGGER_LABEL, url)
    assert terms(posts) == {
        "juillet-2013.html": (["Préparatifs"], []),
        "offre-dachat.html": (["Préparatifs"], []),
    }


def test_wordpress_tag_archive_page_two() -> None:
    url = "https://radtouren.example.de/tag/fahrrad/page/2/"
    posts = parse_index(WORDPRESS_TAG, url)
    assert [(p.title, p.categories, p.tags) for p in posts] == [("Über die Alpen", [], ["Fahrrad"])]


def test_hugo_category_list_in_japanese() -> None:
    url = "https://blog.example.jp/categories/%E6%97%85%E8%A1%8C/"
    posts = parse_index(HUGO_CATEGORY, url)
    assert [(p.title, p.categories) for p in posts] == [("京都で", ["旅行"]), ("奈良へ", ["旅行"])]


def test_tumblr_tagged_and_movable_type_category() -> None:
    posts = parse_index(TUMBLR_TAGGED, "https://beans.example.com/tagged/pour%20over")
    assert [(p.title, p.tags) for p in posts] == [("V60", ["pour over"])]
    posts = parse_index(MT_CATEGORY, "http://cuaderno.example.es/archives/cat_viajes.html")
    assert [(p.title, p.categories) for p in posts] == [("Lisboa", ["Viajes"])]


def test_not_term_listings() -> None:
    for url in (
        "http://www.fuite.example/",
        "http://www.fuite.example/search?updated-max=2012-01-28T01:24:00-05:00&max-results=7",
        "http://www.fuite.example/2011/06/",
        "https://radtouren.example.de/author/jan/",
        "https://radtouren.example.de/?cat=12",  # an id no link names
    ):
        assert listing_term(Page(WORDPRESS_TAG, url), url) is None
        assert all(not p.tags for p in parse_index(WORDPRESS_TAG, url))


def _rec(kind: str, ts: str, **kw: object) -> Post:
    src = Source(archive="a/", capture_url=f"{kind}-{ts}", timestamp=ts, kind=kind)
    url = "http://www.fuite.example/2011/06/juillet-2013.html"
    return Post(url=url, source=src, sources=[src], **kw)  # type: ignore[arg-type]


def test_terms_are_the_union_of_every_listing() -> None:
    page = _rec("page", "3", title="Juillet 2013!!!", content_html="<p>x</p>", categories=["Santé"])
    one = _rec("index", "1", title="Juillet 2013!!!", categories=["préparatifs"], partial=True)
    two = _rec("index", "2", title="Juillet 2013!!!", categories=["Marie-Claude"], partial=True)
    three = _rec("index", "4", title="Juillet 2013!!!", tags=["Santé", "Préparatifs"], partial=True)
    out = merge([page, one, two, three])
    # best-ranked listing first; a term already there in another case is not repeated
    assert out.categories == ["Santé", "Marie-Claude"] and out.tags == ["Préparatifs"]
    assert page.categories == ["Santé"]  # the records themselves are left alone
