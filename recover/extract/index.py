"""Index pages (home, paging, category, tag, date archives) as sources of posts.

``parse_index(html, url) -> list[Post]``: one post per entry shown, in page order, each
with its permalink, title, date and terms when shown, ``content_html`` = the excerpt as
shown and ``partial=True`` unless the entry is clearly the whole post (a full-body
container, no "more"/"Continue reading" link, no cut mark). Link-only lists (archive
pages) give posts with url/title/published alone. Never raises; garbage gives [].
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urldefrag, urlsplit

from lxml import etree

from recover.extract import body, jekyll, markup
from recover.extract.dates import parse_date
from recover.extract.page import Page, classes, lxml_fragment, outermost, text_of
from recover.post import Post
from recover.urls import canonical, host_of, kind_of, last_segment, original_url, slug_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Layout:
    """Where one family of themes puts each part of an index entry."""

    name: str
    entry: str  # entry containers
    title: tuple[str, ...]  # the title (a link, or a heading holding one)
    full: tuple[str, ...]  # containers of a whole body
    excerpt: tuple[str, ...] = ()  # containers that only ever hold an excerpt
    date: tuple[str, ...] = ("time[datetime]", "abbr.published", ".published", ".date")
    cats: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    link: tuple[str, ...] = ()  # permalinks besides the title's
    author: tuple[str, ...] = (".author .fn", ".vcard .fn", ".author a", ".author")
    rest: str = ""  # without a body container, the entry less title and meta is: "whole" post
    # or "excerpt"


_WP_CATS = (".cat-links a", ".post-categories a", "a[rel~='category']", "a[href*='/category/']")
_WP_TAGS = (".tags-links a", ".tag-links a", ".post-tags a", "a[rel='tag']", "a[href*='/tag/']")
_PERMALINKS = ("a[rel~='bookmark']", "a.permalink", ".permalink a", "a.timestamp-link")

LAYOUTS = (
    Layout(
        "wordpress",
        ".wp-block-post, article.post, article.type-post, div.type-post, "
        "div.post[id^='post-'], div.post, article.hentry",
        (".wp-block-post-title a", ".entry-title a", ".storytitle a", "h2 a", "h1 a", "h3 a"),
        (".wp-block-post-content", ".entry-content", ".storycontent", ".entry", ".post-content"),
        (".wp-block-post-excerpt", ".entry-summary", ".excerpt"),
        ("time.entry-date", ".wp-block-post-date time", "abbr.published", "time[datetime]")
        + (".entry-date", ".post-date", ".date", "small", ".postmetadata"),
        (".wp-block-post-terms.taxonomy-category a", ".taxonomy-category a") + _WP_CATS,
        (".wp-block-post-terms.taxonomy-post_tag a", ".taxonomy-post_tag a") + _WP_TAGS,
        _PERMALINKS,
    ),
    Layout(
        "blogger",
        ".date-outer .post-outer, .post.hentry, div.post",
        (".post-title a", ".entry-title a", ".post-title", ".entry-title"),
        (".post-body", ".entry-content"),
        (".post-summary", ".snippet-item"),
        ("abbr.published", "time.published", "a.timestamp-link abbr", "a.timestamp-link time"),
        (".post-labels a", "a[href*='/search/label/']"),
        (),
        (".post-title", "a.timestamp-link", "a[title='permanent link']", ".post-timestamp a"),
        (".post-author .fn", ".post-author-name", ".post-author a"),
    ),
    Layout(
        "movabletype",
        ".entry-asset, div.entry[id^='entry-'], .asset.entry, .blogbody",
        ("h2.asset-name a", ".asset-name a", ".entry-header a", ".title a", "h3 a", "h2 a")
        + (".asset-name", ".entry-header", "h3.title", "h2.title"),
        (".asset-body", ".entry-body", ".entry-content", ".blogbody"),
        (".asset-excerpt",),
        ("abbr.published", "time[datetime]", ".published"),
        (".entry-categories a", ".asset-meta a[rel~='category']", "a[href*='/cat_']"),
        (".entry-tags a", "a[rel='tag']"),
        (".asset-name", ".entry-header", "h3.title", "h2.title")
        + _PERMALINKS
        + (".posted a", ".entry-footer a", ".asset-footer a", ".post-footers a"),
    ),
    Layout(
        "livejournal",
        ".entry-wrap, .b-lenta-item, div.entry, .asset-entry",
        (".entry-title a", ".b-lenta-item-title a", ".subject a", "h3.entry-header a"),
        (".entry-content", ".b-lenta-body", ".asset-body", ".entry_text", ".entrytext"),
        (),
        ("abbr.datetime", ".datetime", "time", ".b-lenta-item-date", ".date"),
        (),
        (".ljtags a", ".b-lenta-tags a", ".tag a"),
        (".entry-title", ".subject", ".entry-readlink a", ".permalink a", ".entry-permalink a"),
        (".entry-poster .ljuser b", ".poster .ljuser b"),
    ),
    Layout(
        "tumblr",
        "article.post, div.post, .posts > li, article[class*='type-']",
        (".post-title a", ".title a", "h2 a", "h3 a", ".post-title", ".title", "h2", "h3"),
        (".post-content", ".body-text", ".text", ".post-body", ".body", ".content"),
        (),
        ("time[datetime]", ".date", ".post-date", ".timestamp"),
        (),
        (".tags a", ".post-tags a", "a[href*='/tagged/']"),
        ("a.permalink", ".permalink a", "a[href*='/post/']"),
        rest="whole",
    ),
    Layout(
        "ghost",
        "article.post-card, .post-feed article",
        (".post-card-title a", ".post-card-title"),
        (),
        (".post-card-excerpt", ".post-card-content-link section", ".post-card-content p"),
        ("time[datetime]",),
        (),
        (".post-card-primary-tag", ".post-card-tags a", ".post-card-tags"),
        ("a.post-card-content-link", "a.post-card-image-link"),
        (".post-card-byline-content a", ".author-name", ".static-avatar"),
    ),
    Layout(
        "hugo",
        "article.post-entry, .post-list article, .posts article, article.summary, "
        ".post-preview, article.post",
        (".entry-header h2 a", ".post-title a", ".entry-title a", "h2 a", "h1 a", "h3 a")
        + (".entry-header h2", ".post-title", "h2"),
        (".post-content", ".content"),
        (".entry-content", ".summary", ".post-summary", ".post-excerpt", ".excerpt"),
        ("time[datetime]", ".post-date", ".date", ".entry-footer span[title]", ".post-meta"),
        (".categories a", "a[href*='/categories/']"),
        (".tags a", ".post-tags a", "a[href*='/tags/']"),
        ("a.entry-link", "a.read-more", "a[href]"),
    ),
    Layout(
        "jekyll",
        ".post-list > li, ul.posts > li, .posts > .post, .archive-item",
        ("a.post-link", "h3 a", "h2 a", "a"),
        (),
        (".post-excerpt", ".excerpt"),
        ("time[datetime]", ".post-meta", ".post-date", ".date", "span"),
        (),
        (".tags a", "a[href*='/tags/']"),
        rest="excerpt",
    ),
    Layout(
        "generic",
        "article, .hentry, .h-entry",
        (".entry-title a", ".p-name a", "h1 a", "h2 a", "h3 a", ".p-name", "h2", "h1"),
        (".entry-content", ".e-content", ".post-content", ".content"),
        (".entry-summary", ".p-summary", ".summary", ".excerpt"),
        ("time[datetime]", ".dt-published", ".published", ".date"),
        (".p-category", "a[rel~='category']"),
        ("a[rel='tag']",),
        _PERMALINKS + (".u-url",),
    ),
)

_MORE_TEXT = re.compile(
    r"^\W*((continue|keep) reading|read (more|the rest)|full (post|story|article)|view full post|"
    r"weiterlesen|mehr lesen|lire la suite|la suite|leer m[aá]s|leggi tutto|continua a leggere|"
    r"leia mais|continuar lendo|lees (meer|verder)|verder lezen|czytaj dalej|читать далее|"
    r"続きを読む|阅读全文|더 보기)\b|^\W*(more|mehr|suite|plus)\W*$",
    re.IGNORECASE,
)
# a link to the post itself whose text trails off ("La suite de l'article...")
_TRAILING = re.compile(r"(\.\.\.|\u2026)\s*\)?\s*$")
# a link to the post's comments ("( 1 commentaire )", "4 Kommentare")
_TO_COMMENTS = re.compile(r"#(comments?|comment-form|respond|disqus_thread|comments-area)$", re.I)
_MORE_SELECTOR = (
    "a.more-link, .more-link, .jump-link a, .asset-more-link a, a.read-more, .read-more a, "
    "a[href*='#more'], a[href*='#cutid'], .ljcut-link a, .lj-cut a, a.more, .post-more a, "
    ".entry-more-link a"
)
_CUT_TEXT = re.compile(r"(\[(\.\.\.|…)\]|…|\.\.\.|\[more\]|»)\s*$", re.IGNORECASE)
_OUTSIDE = {"sidebar", "widget-area", "comments", "comment", "commentlist", "menu"}
_META = (".posted", ".post-meta", ".post-date", ".meta", "time", ".date", ".tags", "footer")
_NOT_POST = ("index", "feed", "sitemap", "asset", "skip")


# a term's own listing: /category/x/, /categories/x/, /tag/y/, /tags/y/, Tumblr /tagged/y,
# Blogger /search/label/z, /topics/x/ (then perhaps /page/N/); Movable Type /archives/cat_x.html
_TERM_PATH = re.compile(
    r"/(?P<kind>search/label|labels?|categor(?:y|ies)|tags?|tagged|topics?)/(?:[^/]+/)*?"
    r"(?P<term>[^/]+)(?:/page/\d+)?/?$|/archives/(?P<kind2>cat)_(?P<term2>[^/]+)\.html?$",
    re.IGNORECASE,
)
_TERM_QUERY = {"tag": "tags", "cat": "categories", "category_name": "categories"}
_COUNT = re.compile(r"\s*[(\[]\d+[)\]]\s*$")  # "Laos (12)"


def listing_term(page: Page, url: str) -> tuple[str, str] | None:
    """``(field, name)`` when ``url`` is one term's listing page: the posts it lists have
    that term. ``field`` is ``tags`` for tag listings, else ``categories`` (Blogger labels,
    as its pages give them); the name is a link's text on the page pointing at the listing
    (a label widget, a post's footer), else the URL's own spelling (Blogger's is the name)."""
    parts = urlsplit(original_url(url))
    m = _TERM_PATH.search(parts.path)
    field, slug, listing = "", "", ""
    if m:
        kind = (m.group("kind") or m.group("kind2") or "").lower()
        field = "tags" if kind.startswith("tag") else "categories"
        slug = unquote(m.group("term") or m.group("term2") or "")
        listing = parts.path[: m.end("term") if m.group("term") else m.end()]
    else:
        for key, value in parse_qsl(parts.query):
            if key.lower() in _TERM_QUERY and value and kind_of(parts.path or "/") == "index":
                field, slug = _TERM_QUERY[key.lower()], value
                listing = f"{parts.path or '/'}?{key}={value}"
                break
    if not field or not slug:
        return None
    target = canonical(f"{parts.scheme}://{parts.netloc}{listing}")
    for a in page.root.iter("a"):
        href = a.get("href")
        if href and canonical(page.absolute(href) or "") == target:
            name = _COUNT.sub("", markup.terms_noise(text_of(a)))
            if name and len(name) < 100:
                return field, name
    if slug.isdigit():
        return None  # ?cat=12: an id, named by no link
    return field, slug.replace("+", " ")


def parse_index(html: str, url: str, page: Page | None = None) -> list[Post]:
    """Posts shown on an index page (see the module docstring); [] for anything else.

    On a term's listing page (:func:`listing_term`) every post listed gets the term.
    ``page``: the same page already parsed (spares parsing it again; left unchanged).
    """
    if page is None:
        from recover.extract import parse  # the package imports engines; avoid a cycle

        page = parse(html, url) if url else None
        if page is None:  # not HTML (empty, binary, no markup)
            return []
    posts = _parse(page)
    if posts:
        term = listing_term(page, url)
        if term is not None:
            field, name = term
            for post in posts:
                have = {t.casefold() for t in post.categories + post.tags}
                if name.casefold() not in have:
                    getattr(post, field).append(name)
    return posts


def _parse(page: Page) -> list[Post]:
    from recover.extract import detect  # the package imports engines; avoid a cycle

    engine = detect(page).NAME
    order = sorted(LAYOUTS, key=lambda lay: lay.name != engine)
    found: list[Post] = []
    entries: list[tuple[etree._Element, Post]] = []  # the layout's entries, by element
    for layout in order:
        entries = _entries(page, layout, engine)
        found = _dedupe([post for _el, post in entries])
        if found and not any(p.title for p in found):
            listed = _dedupe(_link_list(page, engine))  # a list of bare links (Hugo, Jekyll)
            if any(p.title for p in listed):
                found, entries = listed, []
        if found:
            break
    if not found:
        found, entries = _dedupe(_link_list(page, engine)), []
    anchors = _post_anchors(page)
    if _richness(found)[0] >= len(_listed_keys(anchors, entries)):
        return found  # a block each post link outside the entries: no more entries with a text
    blocks = _dedupe(_blocks(page, engine, anchors))
    return blocks if _richness(blocks) > _richness(found) else found


def _listed_keys(
    anchors: list[tuple[etree._Element, str, str]], entries: list[tuple[etree._Element, Post]]
) -> set[str]:
    """Keys of the post links that may be entries of the listing: a link in the text of an
    entry the layout read, to another post than that entry's own, is a "see also" of its
    excerpt, not an entry of its own; one in a heading is a title, an entry's (the layout's
    entry may be a box around several)."""
    boxes = {el for el, _post in entries}
    own = {canonical(post.url) for _el, post in entries}
    listed = set()
    for a, _url, key in anchors:
        above = list(a.iterancestors())
        in_text = (
            key not in own
            and any(anc in boxes for anc in above)
            and not any(anc.tag in _HEADINGS for anc in above)
        )
        if not in_text:
            listed.add(key)
    return listed


def _richness(posts: list[Post]) -> tuple[int, int]:
    """How much of each entry a parse holds: (entries with a title and text, titled ones)."""
    titled = [p for p in posts if p.title and not _MORE_TEXT.match(p.title)]
    return sum(1 for p in titled if p.content_html), len(titled)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_DATES = ("time[datetime]", ".entry-date", ".post-date", ".published", ".date")


def _post_anchors(page: Page) -> list[tuple[etree._Element, str, str]]:
    """The main column's links to posts: (link, post URL, its key), in document order."""
    anchors = []
    for a in page.root.iter("a"):
        url = _permalink(page, a)
        if url and kind_of(url) == "post" and not _outside(a):
            anchors.append((a, url, canonical(url)))
    return anchors


def _blocks(page: Page, engine: str, anchors: list[tuple[etree._Element, str, str]]) -> list[Post]:
    """Entries of a theme no layout knows: around each post permalink of the main column
    (``anchors``), the largest block holding no other post's link (with the siblings after
    it that hold none either: an excerpt the parser moved out of its link); its heading
    (else the link's text) is the title, the rest an excerpt (``partial``)."""
    within: dict[etree._Element, set[str]] = {}
    for a, _url, key in anchors:
        for node in (a, *a.iterancestors()):
            within.setdefault(node, set()).add(key)
    boxes: dict[str, list[etree._Element]] = {}
    urls: dict[str, str] = {}
    for a, url, key in anchors:
        box = a
        for anc in a.iterancestors():
            if anc.tag in ("body", "html") or len(within.get(anc, ())) > 1:
                break
            box = anc
        if box not in boxes.setdefault(key, []):
            boxes[key].append(box)
        urls.setdefault(key, url)
    best: dict[str, tuple[int, list[etree._Element], str]] = {}
    for key, found in boxes.items():
        main = max(found, key=lambda b: len(text_of(b)))
        parts = [b for b in found if b.getparent() is main.getparent()]  # document order
        parts += _trailing(page, parts[-1], within)
        # the element before it (a comment between them is skipped, never searched)
        prev = next(parts[0].itersiblings(etree.Element, preceding=True), None)
        if (
            prev is not None
            and prev not in within
            and any(page.css(selector, prev) for selector in _DATES)
            and not any(page.css(selector, b) for b in parts for selector in _DATES)
        ):
            parts.insert(0, prev)  # its date line just before it
        best[key] = (0, parts, urls[key])
    posts = []
    for _size, parts, url in best.values():
        entry = etree.Element("div")
        for part in parts:
            entry.append(copy.deepcopy(part))
        post = _block_post(page, entry, url, engine)
        if post is not None:
            posts.append(post)
    return posts


def _trailing(page: Page, box: etree._Element, within: dict) -> list[etree._Element]:
    """Siblings after ``box`` up to the next post link, a heading, navigation or paging."""
    out = []
    for sib in box.itersiblings():
        tag = sib.tag.lower() if isinstance(sib.tag, str) else ""
        if not tag or sib in within or tag in (*_HEADINGS, "nav", "aside", "footer", "header"):
            break
        if any(page.css(selector, sib) for selector in _DATES):
            break  # the next entry's date line
        if any(kind_of(page.absolute(a.get("href")) or "") == "index" for a in sib.iter("a")):
            break
        out.append(sib)
        if len(out) >= 5:
            break
    return out


def _block_post(page: Page, entry: etree._Element, url: str, engine: str) -> Post | None:
    key = canonical(url)
    links = [a for a in entry.iter("a") if canonical(page.absolute(a.get("href")) or "") == key]
    heading = next((h for h in entry.iter(*_HEADINGS) if text_of(h)), None)
    named = heading if heading is not None else next((a for a in links if text_of(a)), None)
    title = text_of(named) if named is not None else ""
    if not title or _MORE_TEXT.match(title):
        return None
    date = markup.pick_date(page, entry, list(_DATES))
    if heading is None and date is None:
        return None  # a link in a paragraph (a post citing another), not an entry
    drop = [named]
    for selector in _DATES:
        drop += [d for d in page.css(selector, entry) if d not in drop]
    drop += [m for m in entry.iter("a") if m is not named and _MORE_TEXT.match(text_of(m))]
    drop += [t for t in entry.iter("a") if kind_of(page.absolute(t.get("href")) or "") == "index"]
    drop += [a for a in links if not text_of(a) and a.find(".//img") is None]
    drop = outermost(drop)
    content = re.sub(r"<a\b[^>]*>\s*</a>", "", _clean(page, entry, drop))
    fragment = lxml_fragment(content)
    text = text_of(fragment)
    if len(text.split()) < 8 and len(text) < 40:  # a line of meta, not an excerpt
        content = ""
    return Post(
        url=url,
        title=title,
        published=date,
        categories=jekyll.path_categories(url) if engine == "jekyll" else [],
        content_html=content,
        images=body.images(fragment) if content else [],
        slug=slug_of(url),
        partial=True,
        engine=engine,
    )


def _outside(el: etree._Element) -> bool:
    """True inside sidebars, widgets, navigation and comment threads."""
    for anc in el.iterancestors():
        tag = anc.tag.lower() if isinstance(anc.tag, str) else ""
        tokens = classes(anc)
        if (
            tag in ("aside", "nav")
            or tokens & _OUTSIDE
            or ("widget" in tokens and "blog" not in tokens)
        ):
            return True  # (Blogger's posts are in a "widget Blog")
        if (anc.get("id") or "").lower() in ("sidebar", "comments", "nav", "menu"):
            return True
    return False


def _entries(page: Page, layout: Layout, engine: str) -> list[tuple[etree._Element, Post]]:
    """The layout's entries on the page: each one's element and the post it shows."""
    found = [el for el in page.css(layout.entry) if not _outside(el)]
    top = outermost(found)
    entries = []
    for el in top:
        post = _entry(page, el, layout)
        if post is not None:
            post.engine = engine if engine != "generic" else layout.name
            entries.append((el, post))
    return entries


def _same_site(page: Page, url: str) -> bool:
    return not host_of(page.url) or host_of(url) == host_of(page.url)


def _permalink(page: Page, el: etree._Element) -> str | None:
    """The post URL an element is, or holds in its first link."""
    links = [el] if el.tag == "a" else list(el.iter("a"))
    for a in links:
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urldefrag(page.absolute(href) or "")[0]
        if url.startswith("http") and _same_site(page, url):
            if kind_of(url) not in _NOT_POST:
                return url
    return None


def _title(page: Page, root: etree._Element, layout: Layout):
    """(title text, its element, the permalink it holds)."""
    for selector in layout.title:
        for el in page.css(selector, root):
            text = text_of(el)
            if text:
                return text, el, _permalink(page, el)
    return None, None, None


def _entry(page: Page, el: etree._Element, layout: Layout) -> Post | None:
    title, title_el, url = _title(page, el, layout)
    if not url:
        for selector in layout.link:
            for cand in page.css(selector, el):
                url = _permalink(page, cand)
                if url:
                    break
            if url:
                break
    if not url:
        return None
    published = markup.pick_date(page, el, list(layout.date)) or _header_date(page, el)
    cats = markup.terms(page, el, list(layout.cats)) if layout.cats else []
    if not cats and layout.name == "jekyll":
        cats = jekyll.path_categories(url)  # /:categories/:year/:month/:day/:title.html
    tags = [t for t in markup.terms(page, el, list(layout.tags)) if t not in cats]
    more = [a for a in page.css(_MORE_SELECTOR, el) if a.tag == "a" or a.find(".//a") is not None]
    more += [a for a in el.iter("a") if a not in more and _more_link(page, a, url)]
    talk = [a for a in el.iter("a") if a not in more and _comments_link(page, a, url)]
    content, excerpt = _body(page, el, layout, title_el, more, talk)
    text = text_of(lxml_fragment(content)) if content else ""
    partial = excerpt or bool(more) or not text or bool(_CUT_TEXT.search(text))
    return Post(
        url=url,
        title=title,
        published=published,
        author=markup.pick_text(page, el, list(layout.author)),
        categories=cats,
        tags=tags,
        content_html=content,
        images=body.images(lxml_fragment(content)) if content else [],
        slug=slug_of(url),
        partial=partial,
    )


def _body(
    page: Page, el: etree._Element, layout: Layout, title_el, more, talk=()
) -> tuple[str, bool]:
    """(cleaned body HTML, True when the container only ever holds an excerpt).

    ``more`` ("Continue reading") and ``talk`` (links to the comments) are left out."""
    more = [*more, *talk]
    for selectors, excerpt in ((layout.full, False), (layout.excerpt, True)):
        for selector in selectors:
            found = page.first(selector, el) if selector else None
            if found is not None and found is not el and text_of(found):
                return _clean(page, found, [m for m in more if _inside(m, found)]), excerpt
    blogbody = "blogbody" in classes(el)
    if layout.rest or blogbody:
        drop = [title_el] if title_el is not None and title_el is not el else []
        drop += [m for m in more if _inside(m, el)]
        for selector in _META:
            drop += [d for d in page.css(selector, el) if d not in drop]
        drop += [d for d in _title_headings(el, title_el) if d not in drop]
        drop = outermost(drop)
        return _clean(page, el, drop), layout.rest == "excerpt"
    return "", True


def _more_link(page: Page, a: etree._Element, url: str) -> bool:
    """A "Continue reading" link (its words, or a text trailing off) to the post itself."""
    href, text = a.get("href"), text_of(a)
    if not href or not text or not (_MORE_TEXT.match(text) or _TRAILING.search(text)):
        return False
    return canonical(page.absolute(href) or "") == canonical(url)


def _comments_link(page: Page, a: etree._Element, url: str) -> bool:
    """A link to the post's comments ("( 1 commentaire )"): not the author's text."""
    href = a.get("href") or ""
    if not _TO_COMMENTS.search(href):
        return False
    return canonical(page.absolute(href) or "") == canonical(url)


def _title_headings(el: etree._Element, title_el) -> list[etree._Element]:
    """The heading around the title link (dropped from a body taken from the entry)."""
    if title_el is None:
        return []
    return [a for a in title_el.iterancestors() if a.tag in ("h1", "h2", "h3", "h4")][:1]


def _inside(node: etree._Element, root: etree._Element) -> bool:
    return node is root or any(a is root for a in node.iterancestors())


def _more_box(link: etree._Element, root: etree._Element) -> etree._Element:
    """The largest element around a "more" link that holds nothing else ("( Read more )")."""
    words = re.sub(r"\W+", "", text_of(link))
    box = link
    for anc in link.iterancestors():
        if (
            anc is root
            or re.sub(r"\W+", "", text_of(anc)) != words
            or anc.find(".//img") is not None
        ):
            break
        box = anc
    return box


def _clean(page: Page, el: etree._Element, drop: list[etree._Element]) -> str:
    drop = [_more_box(d, el) if d.tag == "a" else d for d in drop]
    drop = outermost(drop)
    cleaned = body.clean(el, page, None, drop=drop)
    for anchor in list(cleaned.iter("a")):  # named anchors ("<a name=more>") mark nothing
        if not anchor.get("href") and not text_of(anchor) and not len(anchor):
            anchor.drop_tag()
    for node in list(cleaned.iter()):  # a paragraph left empty by the "more" link
        if (
            isinstance(node.tag, str)
            and node.tag in ("p", "span", "div")
            and node is not cleaned
            and not text_of(node)
            and node.find(".//img") is None
            and not (node.tail or "").strip()
        ):
            node.getparent().remove(node)
    # the brackets a dropped comments link sat in ("( 1 commentaire )")
    return re.sub(r"(?<![\w)\]])\(\s*\)", "", body.inner_html(cleaned))


def _header_date(page: Page, el: etree._Element) -> str | None:
    """A day heading before the entry (Blogger, Movable Type) plus the entry's time."""
    found = el.xpath(
        "preceding::*[contains(concat(' ', normalize-space(@class), ' '), ' date-header ') or "
        "(self::h2 and contains(concat(' ', normalize-space(@class), ' '), ' date '))][1]"
    )
    if not found:
        return None
    day = text_of(found[0])
    foot = " ".join(
        text_of(f)
        for f in page.css(".post-footer, .posted, .post-timestamp, .entry-footer, .byline", el)
    )
    m = re.search(r"\b(\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)", foot, re.IGNORECASE)
    return parse_date(f"{day} {m.group(1)}" if m else day) or parse_date(day)


def _link_list(page: Page, engine: str) -> list[Post]:
    """Archive lists: ``li > a`` (plus a date) pointing at posts of the site."""
    posts = []
    for li in page.css("li, tr, dt, p"):
        if _outside(li):
            continue
        links = [a for a in li.iter("a") if _permalink(page, a)]
        if len(links) != 1 or kind_of(_permalink(page, links[0]) or "") != "post":
            continue
        a = links[0]
        url = _permalink(page, a)
        title = text_of(a) or None
        when = markup.pick_date(page, li, ["time", ".date", ".post-date", "abbr", "span"])
        if not when:
            when = parse_date(text_of(li).replace(title or "", " "))
        posts.append(
            Post(
                url=url,
                title=title,
                published=when,
                slug=slug_of(url),
                partial=True,
                engine=engine,
            )
        )
    return posts


LINK_TEXT = 150  # characters: a link's text longer than this is a card, not a title


def named_links(page: Page, keys: set[str], tails: set[str]) -> dict[str, tuple[str, str]]:
    """The links of ``page`` to the posts ``keys`` names, with the text each link shows:
    canonical key -> (URL, text).  ``tails``: the keys' :func:`~recover.urls.last_segment`
    (most links are passed over on it alone).  A link with no words of its own ("Read
    more", an image, its own URL as text) or a whole card as one link names nothing; of
    several links to one post the longest text is kept.
    """
    found: dict[str, tuple[str, str]] = {}
    for a in page.root.iter("a"):
        href = a.get("href")
        if not href or last_segment(href) not in tails:
            continue
        url = urldefrag(page.absolute(href) or "")[0]
        key = canonical(url) if url else ""
        if key not in keys:
            continue
        text = text_of(a)
        if (
            not text
            or len(text) > LINK_TEXT
            or _MORE_TEXT.match(text)
            or "://" in text
            or not re.search(r"\w", text)
        ):
            continue  # no words of its own, or a whole card (title, excerpt, date) as a link
        if len(text) > len(found.get(key, ("", ""))[1]):
            found[key] = (url, text)
    return found


def _dedupe(posts: list[Post]) -> list[Post]:
    out: dict[str, Post] = {}
    for post in posts:
        out.setdefault(canonical(post.url), post)
    return list(out.values())


__all__ = ["LAYOUTS", "Layout", "named_links", "parse_index"]
