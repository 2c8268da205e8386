"""The Markdown renders to the text of the HTML it came from, in real Hugo and real Jekyll.

One post a construct; every post goes through :func:`recover.export.write_all` once, and one
Hugo site and one Jekyll site (configured with the snippet the report gives) are built from
the output for the whole session. Each test compares a construct's rendered text with its
``content_html`` text, and checks what the construct needs beyond text.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from support import render

from recover.export import write_all
from recover.normalize.markdown import to_markdown
from recover.post import Comment, Post, Source

NOW = datetime(2024, 1, 1, tzinfo=UTC)
SITE = "http://blog.example.com/"


def _fuzz_paragraphs(seed: int = 13, count: int = 60) -> str:
    """Paragraphs of words and ASCII punctuation in every order, some in emphasis, code,
    links (a fixed seed): text goldmark or kramdown could read as syntax."""
    import html as html_module
    import random

    rng = random.Random(seed)
    pieces = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["word", "x", "1.", "--", "  ", "\\("]
    out = []
    tags = ["em", "strong", "code", "sup", "del", 'a href="/t/"', "b", "i"]
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 4)):
            text = html_module.escape("".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))))
            if rng.random() < 0.4:
                tag = rng.choice(tags)
                text = f"<{tag}>{text}</{tag.split()[0]}>"
            parts.append(text)
        out.append(f"<p>{''.join(parts)}</p>")
    return "".join(out)


CASES: dict[str, str] = {
    "maths": (
        r"<p>Inline \( \boldsymbol{x}_0 = A^{-1} b \) and \(P(A|B) = \frac{1}{2}\), display "
        r"\[ \sum_{i=1}^n x_i * y_i \] and $$ \int_0^1 f(x)\,dx $$, dollars $a_1 * b_2$ "
        r"and costs $5 and $10.</p><p>\begin{align} a &= b \\ c &= d \end{align}</p>"
        r'<p><script type="math/tex">e^{i\pi}+1=0</script></p>'
    ),
    "emphasis": (
        "<p><strong>bold</strong>A, <strong>&quot;quoted&quot;</strong>A, x<em>(paren)</em>y, "
        "<em>it</em>alic, <b>b<i>bi</i></b>c, <strong> spaced </strong>x, "
        "<del>gone</del>d, snake_case __init__ a*b*c 2 * 3 _x_</p>"
    ),
    "pipes": "<p>P(A | B) and a|b, x || y</p><p>| starts a line |</p>",
    "backslash": r"<p>C:\path\to\file and \n and \\ double and a trailing \</p><p>\*not*</p>",
    "br": (
        "<p>line one<br>line two<br/>\nline three<br></p><p>a<br><br>b</p>"
        '<div><p>block</p><br>\n<br>\n<br>\nafter breaks that start a block, "quoted"</div>'
        "<ul><li>item <span>275<li>stray item</li></span></li></ul>"
    ),
    "heading_link": (
        '<a href="/2008/10/other/"><h2>A heading in a link</h2></a><p>after</p>'
        '<h3>Heading with <a href="/x/">link</a> and trailing #</h3><h2>#1 ranked</h2>'
        '<p>See <a href="/y/"><span><h4>Inline heading</h4> more</span></a>. Then text.<br>'
        "next line</p>"
    ),
    "links": (
        '<p><a href="javascript:alert(1)">click me</a> and '
        '<a href="mailto:jo@example.com">write</a> and '
        '<a href="http://example.org/a_(b)?q=1&amp;r=2" title="T &quot;q&quot;">parens</a> and '
        '<a href="/rel path/x.html">spaces</a> and <a href="/empty/"><span></span></a>end</p>'
        '<a href="mailto:jo@example.com"><div><p>Write to me</p><p>any time</p></div></a>'
    ),
    "tables": (
        "<table><tr><th>a|b</th><th>c</th></tr><tr><td>1</td><td><code>x|y</code></td></tr>"
        "</table><p>and</p>"
        '<table><tr><td colspan="2">wide &amp; spanning</td></tr><tr><td rowspan="2">tall</td>'
        "<td><p>para</p><ul><li>item</li></ul></td></tr><tr><td>*last*</td></tr></table>"
        "<table><tr><td>plain</td><td>cells</td></tr><tr><td>two</td><td>rows</td></tr></table>"
    ),
    "iframes": (
        '<p>Watch: <iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" '
        'height="315" allowfullscreen></iframe></p>'
        '<iframe src="https://player.vimeo.com/video/123456"></iframe>'
        '<p><video src="/media/clip.mp4" controls></video> after</p>'
    ),
    "footnotes": (
        '<p>Claim<sup id="fnref:1"><a href="#fn:1" class="footnote-ref">1</a></sup> and '
        'another<sup id="fnref:2"><a href="#fn:2" class="footnote-ref">2</a></sup>.</p>'
        '<div class="footnotes"><hr><ol><li id="fn:1"><p>Source <a href="/src">here</a>. '
        '<a href="#fnref:1" class="reversefootnote">↩</a></p></li>'
        '<li id="fn:2"><p>Second, with <em>emphasis</em>. '
        '<a href="#fnref:2" class="reversefootnote">↩</a></p></li></ol></div>'
    ),
    "nested_lists": (
        "<ul><li>one<ul><li>nested <em>two</em><ol><li>deep</li><li>deeper</li></ol></li></ul>"
        "</li><li><p>para item</p><p>second para</p></li><li>- dash text</li></ul>"
        '<ol start="3"><li>three</li><li>four<ul><li>x</li></ul></li></ol>'
        "<p>1986. A year</p><p>+ plus</p><p>: colon</p><p>^</p><p>=====</p>"
    ),
    "code": (
        "<p>Use <code>a`b</code> and <code>``x``</code> and <code>&lt;div&gt; *x* _y_</code> "
        "and <code>{{&lt; shortcode &gt;}}</code>.</p>"
        '<pre><code class="language-python">def f(a_b):\n    return "```" * 2\n\n\n'
        "# done &lt;here&gt;</code></pre><pre>{% raw %} {{ page.title }} ~~~\n~~~</pre>"
    ),
    "entities": (
        "<p>&amp;copy; &amp;amp; &copy; &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt; "
        "AT&amp;T &#169; &nbsp;spaced &quot;quotes&quot; &#39;single&#39; it's -- --- ... "
        "&lt;&lt; &gt;&gt; {: .class} {::comment} $$ not math $$ ~~not struck~~ [x](y) "
        "&lt;http://example.com&gt; a@b.example</p>"
    ),
    "sup_dl_details": (
        "<p>x<sup>2</sup> and H<sub>2</sub>O and <sup><em>note</em></sup></p>"
        "<dl><dt>Term</dt><dd>Definition <em>one</em></dd><dt>Other</dt><dd>Two</dd></dl>"
        "<details><summary>More</summary><p>hidden text</p></details>"
    ),
    "images": (
        '<p><a href="/big.jpg"><img src="/small.jpg" alt="A [photo] ](x)"></a> and '
        '<img src="/images/a (1).png" alt="paren" title="T"></p>'
        '<figure><img src="/fig.png" alt="fig"><figcaption>The caption</figcaption></figure>'
    ),
    "script_in_link": (
        '<p><a href="http://example.org/x">a) &lt;script&gt;alert(1)&lt;/script&gt;</a> and '
        '<img src="/i.png" alt="](x) &lt;script&gt;alert(2)&lt;/script&gt;"> and '
        '<a href="http://example.org/y)&lt;script&gt;alert(3)&lt;/script&gt;">b</a></p>'
    ),
    "typography": (
        "<p>\"Double\" and 'single' quotes, don't, en -- dash, em --- dash, ellipsis..., "
        "&lt;&lt;guillemets&gt;&gt;, (c) (tm) 1/2 -&gt; =&gt;</p>"
    ),
    "punctuation": _fuzz_paragraphs(5, 300),
    "blocks": (
        "<blockquote><p>quoted <strong>bold</strong></p><p>&gt; not nested</p></blockquote>"
        "<hr><h1>Title</h1><h4>Small *star*</h4><p>text</p><pre>   indented\n\tcode</pre>"
        "<p>    four leading spaces</p><div>loose <span>div</span> text</div>"
    ),
}


def _post(name: str, html: str, n: int) -> Post:
    comments = []
    if name in ("emphasis", "maths"):
        comments = [
            Comment(
                "Ann",
                "2008-10-31T13:00:00+01:00",
                "<p>First *star* &amp; \\(x_1\\)</p>",
                "http://ann.example/",
                "c1",
            ),
            Comment(
                "Bob",
                "2008-10-31T14:00:00+01:00",
                "<p>Reply with <em>em</em>A</p>",
                None,
                "c2",
                "c1",
            ),
        ]
    url = f"{SITE}2008/10/{n:02d}/{name.replace('_', '-')}/"
    return Post(
        url=url,
        title=f"Case {name}",
        published=f"2008-10-{n:02d}T12:00:00+01:00",
        content_html=html,
        comments=comments,
        slug=name.replace("_", "-"),
        sources=[
            Source("warc:x", url, "20081101000000", "page", url),
            Source("warc:x", f"{SITE}?p={n}", "20081101000000", "page", f"{SITE}?p={n}"),
            Source(
                "warc:x", f"{SITE}archives/{n}", "20081101000000", "page", f"{SITE}archives/{n}"
            ),
        ],
    )


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> render.Sites:
    if render.HUGO is None or render.JEKYLL is None:
        pytest.skip("needs hugo and jekyll")
    out = tmp_path_factory.mktemp("roundtrip-out")
    posts = [_post(name, html, n) for n, (name, html) in enumerate(CASES.items(), 1)]
    numbered = f"{SITE}archives/000018.html"  # Movable Type: a slug YAML 1.2 reads as 18
    posts.append(
        Post(url=numbered, title="Numbered", published="2003-05-01T10:00:00-08:00",
             content_html="<p>A numbered post</p>", slug="000018")
    )  # fmt: skip
    write_all(posts, out, {"site": SITE}, now=NOW)
    config = json.loads((out / "report.json").read_text())["config"]
    built = render.build_sites(
        out, tmp_path_factory.mktemp("sites"), config["hugo"], config["jekyll"]
    )
    built.out = out  # type: ignore[attr-defined]
    return built


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("engine", ["hugo", "jekyll"])
def test_rendered_text_equals_content_text(sites, name, engine):
    slug = name.replace("_", "-")
    page = getattr(sites, engine)[slug]
    assert render.visible_text(page.body) == render.visible_text(CASES[name])


def page(sites, engine: str, name: str) -> render.Page:
    return getattr(sites, engine)[name.replace("_", "-")]


@pytest.mark.parametrize("engine", ["hugo", "jekyll"])
def test_constructs_keep_their_structure(sites, engine):
    maths = render.visible_text(page(sites, engine, "maths").body)
    assert r"\( \boldsymbol{x}_0 = A^{-1} b \)" in maths and r"\[ \sum_{i=1}^n" in maths
    assert "$$ \\int_0^1" in maths and r"\begin{align}" in maths  # MathJax sees them as written
    tables = page(sites, engine, "tables").body
    assert 'colspan="2"' in tables and 'rowspan="2"' in tables and tables.count("<table") == 3
    assert tables.count("<th") >= 2  # the simple tables are Markdown tables with a header row
    iframes = page(sites, engine, "iframes").body
    assert iframes.count("<iframe") == 2 and "<video" in iframes
    links = page(sites, engine, "links").body
    assert "javascript" not in links
    assert render.links(links) == [
        "mailto:jo@example.com",
        "http://example.org/a_(b)?q=1&r=2",
        "http://blog.example.com/rel path/x.html",
        "http://blog.example.com/empty/",
        "mailto:jo@example.com",
    ]
    assert re.search(r'<a href="mailto:jo@example.com"><div><p>Write to me</p>', links)
    heading = page(sites, engine, "heading_link").body
    assert re.search(r'<a href="[^"]+/2008/10/other/"><h2>A heading in a link</h2></a>', heading)
    notes = page(sites, engine, "footnotes").body
    assert notes.count('href="#fn:') == 2 and "<em>emphasis</em>" in notes
    br = page(sites, engine, "br").body
    assert br.count("<br") == 5 and "\\" not in br
    sup = page(sites, engine, "sup_dl_details").body
    assert "<sup>2</sup>" in sup and "<sub>2</sub>" in sup and "<dl>" in sup
    assert "<details>" in sup
    imgs = page(sites, engine, "images").body
    assert render.images(imgs) == [
        "http://blog.example.com/small.jpg",
        "http://blog.example.com/images/a (1).png",
        "http://blog.example.com/fig.png",
    ]
    assert render.links(imgs) == ["http://blog.example.com/big.jpg"]
    lists = page(sites, engine, "nested_lists").body
    assert lists.count("<ul") == 3 and lists.count("<ol") == 2 and 'start="3"' in lists
    code = page(sites, engine, "code").body
    assert "<code" in code and "{{&lt; shortcode &gt;}}" in code


@pytest.mark.parametrize("engine", ["hugo", "jekyll"])
def test_comments_are_in_the_static_sites(sites, engine):
    for name in ("emphasis", "maths"):
        rendered = [render.visible_text(c) for c in page(sites, engine, name).comments]
        assert rendered == [r"First *star* & \(x_1\)", "Reply with emA"]


def test_script_in_link_text_or_alt_is_never_live(sites):
    """Issue 10.13: an escaped <script> in link text holding ``)``, in alt text holding ``](``."""
    from markdown_it import MarkdownIt

    markdown = to_markdown(CASES["script_in_link"], SITE)
    renderers = [MarkdownIt("commonmark", {"html": True}), MarkdownIt("default", {"html": True})]
    for renderer in renderers:
        html = renderer.render(markdown)
        assert "<script" not in html.lower(), html
        assert render.visible_text(html) == render.visible_text(CASES["script_in_link"])
    for engine in ("hugo", "jekyll"):
        body = page(sites, engine, "script_in_link").body
        assert "<script" not in body.lower(), body


def test_front_matter_and_files(sites):
    import yaml

    out = sites.out
    hugo_file = (out / "content" / "posts" / "maths.md").read_text()
    jekyll_file = (out / "_posts" / "2008-10-01-maths.md").read_text()
    hugo_fm = yaml.safe_load(hugo_file.split("---\n")[1])
    jekyll_fm = yaml.safe_load(jekyll_file.split("---\n")[1])
    assert 'slug: "maths"' in hugo_file and 'title: "Case maths"' in jekyll_file
    assert hugo_fm["aliases"] == ["/2008/10/01/maths/", "/archives/1"]
    assert jekyll_fm["permalink"] == "/2008/10/01/maths/"
    assert jekyll_fm["redirect_from"] == ["/archives/1"]
    assert jekyll_fm["date"] == "2008-10-01T12:00:00+01:00"
    assert hugo_fm["comments_key"] == jekyll_fm["comments_key"] == "maths"
    comment = yaml.safe_load((out / "_data" / "comments" / "maths" / "0002.yml").read_text())
    assert comment["author"] == "Bob" and comment["parent"] == "c1" and comment["id"] == "c2"
    assert (out / "data" / "comments" / "maths" / "0002.yml").is_file()
    numbered = (out / "content" / "posts" / "000018.md").read_text()
    assert 'slug: "000018"' in numbered and 'aliases:\n- "/archives/000018.html"' in numbered
    assert 'content="000018"' in (sites.hugo_public / "posts" / "000018" / "index.html").read_text()
    assert sites.jekyll["000018"].body.strip() == "<p>A numbered post</p>"
    assert (sites.jekyll_public / "archives" / "000018.html").is_file()
    report = (out / "report.md").read_text()
    assert "unsafe = true" in report and "jekyll-redirect-from" in report
    ghost = json.loads((out / "ghost-comments.json").read_text())
    assert {p["slug"] for p in ghost["posts"]} == {"maths", "emphasis"}
    assert "cannot import comments" in ghost["note"]


def test_old_urls_lead_to_the_posts(sites):
    """Jekyll serves a post at its old path and redirects its other paths (jekyll-redirect-
    from); Hugo serves it at /posts/<slug>/ and its old paths are alias redirects."""
    jekyll, hugo = sites.jekyll_public, sites.hugo_public
    page = (jekyll / "2008" / "10" / "01" / "maths" / "index.html").read_text()
    assert 'content="maths"' in page and "<article>" in page
    moved = (jekyll / "archives" / "1.html").read_text()  # served for /archives/1
    assert 'http-equiv="refresh" content="0; url=/2008/10/01/maths/"' in moved
    assert 'content="maths"' in (hugo / "posts" / "maths" / "index.html").read_text()
    for old in ("2008/10/01/maths", "archives/1"):
        alias = (hugo / old / "index.html").read_text()
        assert "http://example.org/posts/maths/" in alias


def test_sanity_of_the_checks():
    assert render.visible_text("<p>a <b>b</b></p><p>c</p>") == "a b c"
    assert render.visible_text("<p>(x)</p>") != render.visible_text("<p>\\(x\\)</p>")
