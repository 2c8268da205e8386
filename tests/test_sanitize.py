"""Nothing injected: scripts in a hostile capture never reach the restored blog (issue 10.12).

:func:`recover.normalize.sanitize.clean_html` on its own, then a recovery from a hostile
archive of our own whose post carries every vector in its body and its comments: posts.jsonl,
wordpress.xml (bodies and comments, parsed as XML), ghost.json and the Markdown files are
all clean, and what the author legitimately wrote is kept.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support import runner
from support.hostile import HostileArchive, Reply, cdx_json

from recover.normalize.sanitize import clean_html
from recover.post import Post

SITE = "http://blog.example.com"
POST = f"{SITE}/2008/10/31/evil/"
EVIL = [
    '<img src="http://blog.example.com/a.png" alt="pic" onerror="alert(1)">',
    '<a href="javascript:alert(2)">click me</a>',
    '<a href="http://blog.example.com/ok/" onclick="alert(3)">ok link</a>',
    '<base href="javascript:alert(4)//">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==">data link</a>',
    '<span style="color: red; background-image: url(javascript:alert(6))">styled</span>',
    "<script>alert(7)</script>",
    '<iframe src="http://evil.example/x.html"></iframe>',
    '<svg onload="alert(8)"><circle r="1"/></svg>',
    '<a href=" JaVaScRiPt:alert(9)">spaced</a>',
    '<form action="http://evil.example/"><input name="q" autofocus onfocus="alert(10)"></form>',
    '<object data="http://evil.example/x.swf"></object><embed src="javascript:alert(11)">',
]
KEPT = [
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" width="560" height="315" '
    'allowfullscreen=""></iframe>',
    '<iframe src="https://player.vimeo.com/video/76979871"></iframe>',
    "<table><tbody><tr><th>h</th></tr><tr><td>cell</td></tr></tbody></table>",
    '<pre><code class="language-python">print("hi")</code></pre>',
    "<p>x<sup>2</sup> H<sub>2</sub>O</p>",
    "<math><msup><mi>x</mi><mn>2</mn></msup></math>",
    '<figure><img src="http://blog.example.com/b.png" alt="b">'
    "<figcaption>cap</figcaption></figure>",
    "<details><summary>more</summary><p>hidden</p></details>",
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">',
    "<!--more-->",
]
# what must not survive anywhere, as text in any output
BAD = re.compile(
    r"alert\(|javascript:|onerror|onclick|onload|onfocus|data:text/html|<base|evil\.example", re.I
)


def test_vectors_removed_author_markup_kept() -> None:
    for html in EVIL:
        assert not BAD.search(clean_html(html)), html
    for html in KEPT:
        assert clean_html(html) == html
    assert (
        clean_html('<p style="color: red; position: fixed">x</p>') == '<p style="color:red">x</p>'
    )


def test_an_item_that_looks_normalized_is_sanitised_by_the_exporters() -> None:
    """An item with a slug and no body (a page with comments), handed to the exporters by
    anything but a recovery's merge, still loses its script vectors."""
    from recover.export.prepare import Preparer
    from recover.post import Comment, Post

    comment = Comment(
        author="x",
        published="2008-01-01T00:00:00",
        content_html='<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">y</a>',
        author_url="javascript:alert(1)",
    )
    page = Post(url=f"{SITE}/about/", title="About", slug="about", comments=[comment])
    (out,) = Preparer().prepare(page).post.comments
    assert "onerror" not in out.content_html and "javascript:" not in out.content_html
    assert not (out.author_url or "").startswith("javascript:")


def test_mathjax_cdata_wrapper_is_not_text() -> None:
    """kramdown's ``% <![CDATA[ ... %]]>`` around a math script's TeX: the TeX alone is kept."""
    from markdown_it import MarkdownIt

    from recover.normalize.markdown import to_markdown

    html = (
        '<p>Sum <script type="math/tex; mode=display">% <![CDATA[\n\\sum_i x_i < 1\n%]]>'
        '</script> and <script type="math/tex"><![CDATA[a_1]]></script> and '
        '<script type="math/tex">x^2</script>.</p>'
    )
    clean = clean_html(html)
    assert clean == "<p>Sum $$\\sum_i x_i &lt; 1$$ and \\(a_1\\) and \\(x^2\\).</p>"
    shown = MarkdownIt("commonmark", {"html": True}).render(to_markdown(clean, SITE))
    assert "CDATA" not in shown and "%" not in shown and "$$\\sum_i x_i &lt; 1$$" in shown


BODY = "<p>Intro.</p>" + "".join(f"<p>{h}</p>" for h in EVIL) + "".join(KEPT[:5])
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Evil post</title></head>
<body class="single single-post"><div id="content"><div class="post hentry" id="post-1">
<h2 class="entry-title">Evil post</h2>
<abbr class="published" title="2008-10-31T10:00:00+00:00">October 31, 2008</abbr>
<div class="entry-content">{BODY}<p>{"The real text of the post. " * 20}</p></div></div>
<ol class="commentlist"><li class="comment" id="comment-1">
<div class="comment-author vcard"><cite class="fn"><a href="javascript:alert(12)" class="url"
>Mallory</a></cite></div><div class="comment-meta commentmetadata">November 1, 2008</div>
<p>Nice <img src="x.png" onerror="alert(13)"> <a href="javascript:alert(14)">post</a>
<script>alert(15)</script></p></li></ol></div></body></html>"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def answer(path: str) -> Reply | None:
        if path.startswith("/web/cdx"):
            return Reply(200, cdx_json([("20081031100000", POST)]))
        if "id_/" in path and path.endswith(POST):
            return Reply(200, PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"})
        return None

    folder = tmp_path_factory.mktemp("sanitize") / "out"
    with HostileArchive(answer) as archive:
        done = runner.run(runner.command(SITE, archive.prefix, folder, settings=runner.FAST))
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def test_posts_jsonl_clean(out: Path) -> None:
    [post] = [json.loads(x) for x in (out / "posts.jsonl").read_text("utf-8").splitlines()]
    assert "Mallory" in json.dumps(post["comments"])
    assert not BAD.search(json.dumps(post))
    assert "youtube.com/embed/dQw4w9WgXcQ" in post["content_html"]
    assert "<td>cell</td>" in post["content_html"]


def test_wxr_bodies_and_comments_clean(out: Path) -> None:
    ns = {
        "content": "http://purl.org/rss/1.0/modules/content/",
        "wp": "http://wordpress.org/export/1.2/",
    }
    root = ElementTree.parse(out / "wordpress.xml").getroot()
    bodies = [e.text or "" for e in root.iterfind(".//item/content:encoded", ns)]
    comments = [e.text or "" for e in root.iterfind(".//wp:comment/wp:comment_content", ns)]
    urls = [e.text or "" for e in root.iterfind(".//wp:comment/wp:comment_author_url", ns)]
    assert any("youtube.com/embed" in b for b in bodies)
    assert comments and any("Nice" in c for c in comments)
    for text in bodies + comments + urls:
        assert not BAD.search(text), text


def test_ghost_and_markdown_clean(out: Path) -> None:
    ghost = (out / "ghost.json").read_text("utf-8")
    assert "Evil post" in ghost and not BAD.search(ghost)
    markdown = [p.read_text("utf-8") for p in out.rglob("*.md") if ".recover" not in p.parts]
    assert markdown
    for text in markdown:
        assert not BAD.search(text), text


def test_a_clean_body_is_not_copied_when_sanitised_again() -> None:
    """Every export sanitises its posts again (issue 9.10): a body already clean comes back
    as the same string, so the exports hold no second copy of every body (memory at 10,000
    posts); a dirty one is still cleaned."""
    from recover.export.prepare import Preparer
    from recover.normalize.markdown import normalize

    body = "<p>" + "A paragraph the author wrote. " * 200 + '<a href="http://x.example/">x</a></p>'
    merged = normalize(Post(url="http://blog.example.com/2010/01/a/", title="A", content_html=body))
    assert clean_html(merged.content_html) is merged.content_html
    prepared = Preparer().prepare(merged)
    assert prepared.post.content_html is merged.content_html
    assert prepared.html is merged.content_html
    assert "<script" not in clean_html(body + "<script>alert(1)</script>")
