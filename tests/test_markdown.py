"""HTML to Markdown: structure, code, math, footnotes, URLs, escaping, normalize()."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recover.normalize.markdown import clean_title, normalize, safe_slug, to_markdown
from recover.post import Post

BASE = "https://web.archive.org/web/20081031120000/http://example.com/2008/10/post/"


def md(html: str) -> str:
    return to_markdown(html, BASE)


def test_atx_headings_lists_blockquotes():
    out = md(
        "<h1>Top</h1><h3>Third</h3><ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul>"
        "<ol start='3'><li>three</li><li>four</li></ol><blockquote><p>a</p><p>b</p></blockquote>"
    )
    assert "# Top\n" in out and "### Third\n" in out
    assert "- one\n  - nested\n- two" in out
    assert '<ol start="3"><li>three</li><li>four</li></ol>' in out  # kramdown restarts at 1
    assert "> a\n>\n> b" in out


@pytest.mark.parametrize(
    ("html", "lang"),
    [
        ('<pre><code class="language-python">x = 1</code></pre>', "python"),
        ('<pre class="brush: ruby; gutter: false">x = 1</pre>', "ruby"),
        ('<pre lang="php">x = 1</pre>', "php"),
        ('<div class="highlight-go"><pre>x = 1</pre></div>', "go"),
        ('<div class="language-js highlighter-rouge"><pre><code>x = 1</code></pre></div>', "js"),
        ('<pre class="sourceCode haskell"><code>x = 1</code></pre>', "haskell"),
        ('<pre class="python">x = 1</pre>', "python"),
        ("<pre>x = 1</pre>", ""),
    ],
)
def test_fenced_code_keeps_language(html, lang):
    assert md(html) == f"```{lang}\nx = 1\n```\n"


def test_code_is_verbatim_and_fence_outgrows_backticks():
    out = md("<pre><code>a_b *c* &lt;div&gt; ```\n\n\n\nend<br>line</code></pre>")
    assert out.startswith("````\n") and out.rstrip().endswith("````")
    assert "a_b *c* <div> ```\n\n\n\nend\nline" in out  # blank lines inside code survive


def test_pygments_line_number_table_becomes_plain_code():
    html = (
        '<table class="highlighttable"><tr><td class="linenos"><pre>1\n2</pre></td>'
        '<td class="code"><div class="highlight"><pre>a = 1\nb = 2</pre></div></td></tr></table>'
    )
    assert md(html) == "```\na = 1\nb = 2\n```\n"


def test_tables_get_a_header_row_and_escaped_pipes():
    out = md("<table><tr><td>a|b</td><td>c</td></tr><tr><td>1</td><td>2</td></tr></table>")
    assert out == "| a\\|b | c |\n| --- | --- |\n| 1 | 2 |\n"


def test_links_and_images_point_at_the_site_not_the_archive():
    out = md(
        '<p><a href="/web/20081031120000/http://example.com/about/">about</a> '
        '<a href="../other/">rel</a> '
        '<img src="https://web.archive.org/web/20081031120000im_/http://example.com/a.png" alt="A">'
        '<img src="data:image/gif;base64,R0l" data-src="/lazy.jpg" alt="L"></p>'
    )
    assert "[about](http://example.com/about/)" in out
    assert "[rel](http://example.com/2008/10/other/)" in out
    assert "![A](http://example.com/a.png)" in out
    assert "![L](http://example.com/lazy.jpg)" in out
    assert "archive.org" not in out


def unescape(markdown: str) -> str:
    """Markdown text with its escapes undone (what a renderer shows)."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown))


def test_embeds_stay_raw_html():
    out = md(
        '<p>See <iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0"></iframe> it</p>'
        '<iframe src="//player.vimeo.com/video/123456"></iframe>'
        '<object data="/media/clip.swf"></object><iframe src="javascript:alert(1)"></iframe>'
    )
    assert '\n\n<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?rel=0"></iframe>\n\n' in (
        "\n\n" + out
    )
    assert '<iframe src="http://player.vimeo.com/video/123456"></iframe>' in out
    assert '<object data="http://example.com/media/clip.swf"></object>' in out
    assert "javascript" not in out


def test_math_is_escaped_to_render_verbatim():
    tex = [r"$a_1 * b_2$", r"\(x^2_{i}\)", r"$$\sum_{i=1}^n x_i * y_i$$", r"\[ \frac{a}{b} \]"]
    out = md("<p>" + " and ".join(tex) + " cost $5 and $10.</p>")
    assert "\\\\(x^2\\_\\{i\\}\\\\)" in out  # \( doubled: goldmark reads \( as "("
    assert "\\$\\$" in out  # $$ escaped: kramdown reads $$..$$ as its own maths
    assert unescape(out).strip() == " and ".join(tex) + " cost $5 and $10."
    assert unescape(md("<p>$a&lt;b$</p>")).strip() == "$a<b$"
    script = md('<p><script type="math/tex; mode=display">e^{i\\pi}+1=0</script></p>')
    assert unescape(script).strip() == "$$e^{i\\pi}+1=0$$"


def test_footnotes_become_markdown_footnotes():
    out = md(
        '<p>Claim<sup id="fnref:1"><a href="#fn:1" class="footnote-ref">1</a></sup>.</p>'
        '<div class="footnotes"><hr><ol><li id="fn:1"><p>Source <a href="/src">here</a>. '
        '<a href="#fnref:1" class="reversefootnote">↩</a></p></li></ol></div>'
    )
    assert "Claim[^1]." in out
    assert "[^1]: Source [here](http://example.com/src)." in out
    assert "↩" not in out and "---" not in out


def test_no_raw_html_and_markup_like_text_is_escaped():
    out = md(
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp;copy; 5 * 3 [x](y) `tick` __init__ "
        "snake_case</p><p>1986. A year</p><p># not a heading</p><p>- not a list</p>"
        "<div><span style='x'>styled</span><font color=red>old</font><!-- c --></div>"
        "<script>evil()</script><style>p{}</style>"
    )
    assert "\\<script>" in out and "&amp;copy;" in out
    assert "5 \\* 3" in out and "\\[x\\](y)" in out and "\\`tick\\`" in out
    assert "\\_\\_init\\_\\_" in out and "snake_case" in out
    assert "1986\\. A year" in out and "\\# not a heading" in out and "\\- not a list" in out
    assert "styled" in out and "old" in out
    assert "evil" not in out and "p{}" not in out and "<!--" not in out
    assert not re.search(r"(?<!\\)<[a-zA-Z/!]", out)


def test_no_runs_of_blank_lines_and_trailing_newline():
    out = md("<p>a</p>\n\n\n<p></p><div><br><br><br></div><p>b</p>")
    assert "\n\n\n" not in out
    assert out.endswith("b\n") and not out.endswith("\n\n")
    assert md("") == "" and md("   ") == ""


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_converts_without_raw_html_or_blank_runs(text):
    from html import escape

    out = md(f"<p>{escape(text)}</p><p>{escape(text)}</p>")
    assert "\n\n\n" not in out
    assert not re.search(r"(?<!\\)<[a-zA-Z/!?]", out)


def test_safe_slug_and_title():
    assert safe_slug("Hello, World!") == "hello-world"
    assert safe_slug("日本語 テスト") == "日本語-テスト"
    assert safe_slug("index") == "index-post" and safe_slug("_index") == "index-post"
    assert safe_slug("CON") == "con-post"
    assert safe_slug("!!!") == ""
    assert len(safe_slug("語" * 200).encode()) <= 180
    assert clean_title("  Hello,\n\t world \u0007 ") == "Hello, world"
    assert clean_title(" \n ") is None and clean_title(None) is None


def test_normalize_fills_markdown_slug_title():
    post = Post(
        url="https://web.archive.org/web/2008/http://example.com/2008/10/my-post.html",
        title="  My\n  post ",
        content_html='<p><a href="/x">x</a></p>',
    )
    out = normalize(post)
    assert out.title == "My post"
    assert out.slug == "my-post"
    assert out.content_markdown == "[x](http://example.com/x)\n"
    assert post.content_markdown == ""  # the input is not changed
    assert normalize(Post(url="http://example.com/?p=12")).slug == "p-12"
    assert normalize(Post(url="http://example.com/", title="Only a title")).slug == "only-a-title"
    assert normalize(Post(url="")).slug == "post"


def test_name_searches_answer_as_bs4_does() -> None:
    """``tags``, ``holds`` and ``within`` (bs4 searches by tag name, without bs4's matcher)
    and the Ghost cards' searches find what ``find_all``, ``find``, ``find_parent`` and
    ``select`` find, in the same order, on real pages of many engines."""
    from pathlib import Path

    from bs4 import BeautifulSoup, Tag

    from recover.export import ghost
    from recover.normalize import markdown
    from recover.normalize.markdown import BLOCKS, holds, tags, within

    pages = sorted((Path(__file__).parent / "fixtures" / "engines").glob("*.html"))
    extra = (
        '<figure class="kg-card x"><a href="/i.png"><img src="i.png"></a></figure><a>no href</a>'
        '<pre><span class="lineno">1</span>x</pre><table><tr><td class="gutter">1</td></tr></table>'
    )
    asked = 0
    for path in pages:
        html = path.read_text(encoding="utf-8", errors="replace") + extra
        soup = BeautifulSoup(html, "html.parser")
        for names in (("div",), ("li", "p"), ("td", "th"), BLOCKS, ("img",), ("nope",)):
            assert [id(t) for t in tags(soup, names)] == [id(t) for t in soup.find_all(names)]
            for el in soup.find_all(["div", "li", "a", "img"])[:40]:
                assert holds(el, names) == (el.find(list(names)) is not None)
                assert within(el, names) is el.find_parent(list(names))
                asked += 1
        fast = markdown._soup(html)  # the converter's tags: find_parent by a name is within
        for el in fast.find_all(["a", "img", "b", "span", "code"])[:40]:
            for name in ("pre", "p", "li", "div", "nope"):
                assert el.find_parent(name) is Tag.find_parent(el, name)
                asked += 1
        assert ghost._links(soup) == soup.find_all("a", href=True)
        for img in soup.find_all("img"):
            assert ghost._card(img) is img.find_parent("figure", class_="kg-card")
        lines = "pre .lineno, pre .linenos, pre .line-number, td.gutter, td.linenos"
        assert [id(n) for n in ghost._line_numbers(soup)] == [id(n) for n in soup.select(lines)]
    assert asked > 1000


def test_a_line_break_after_text_in_its_block_stays() -> None:
    """Only a ``<br>`` with nothing before it in its block is dropped (goldmark would start
    an HTML block there); one after the block's text is a line break."""
    assert to_markdown("<p>some text<br>more</p>", "http://x.org/") == "some text<br />\nmore\n"
    assert to_markdown("<p><br>more</p>", "http://x.org/") == "more\n"
