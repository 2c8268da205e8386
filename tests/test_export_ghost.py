"""Ghost import JSON: shape, relations, dates."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

from recover.export.exporters import GhostJsonExporter
from recover.export.prepare import Preparer
from recover.post import Post

FIXTURES = Path(__file__).parent / "fixtures" / "export"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
GHOST_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$")


def ghost_doc() -> tuple[dict, list[Post]]:
    posts = [Post.from_dict(d) for d in json.loads((FIXTURES / "posts.json").read_text())]
    buf = io.BytesIO()
    exporter = GhostJsonExporter(buf, now=NOW)
    exporter.start_exporting()
    for p in posts:
        exporter.export_item(p.to_dict())  # dict items work too
    exporter.finish_exporting()
    return json.loads(buf.getvalue().decode("utf-8")), posts


def test_shape():
    doc, posts = ghost_doc()
    assert set(doc) == {"db"} and len(doc["db"]) == 1
    db = doc["db"][0]
    assert db["meta"] == {"exported_on": int(NOW.timestamp() * 1000), "version": "5.0.0"}
    data = db["data"]
    assert {"posts", "tags", "posts_tags", "users", "posts_authors"} <= set(data)
    assert len(data["posts"]) == len(posts)
    for p in data["posts"]:
        assert p["type"] == "post" and p["status"] == "published"
        assert isinstance(p["html"], str) and p["html"]
        assert "mobiledoc" not in p and "lexical" not in p
        for key in ("created_at", "updated_at", "published_at"):
            assert GHOST_TIME.match(p[key]), p[key]
            assert not p[key].startswith(("0001", "2999"))
        assert "archive.org" not in p["html"]
    slugs = [p["slug"] for p in data["posts"]]
    assert len(set(slugs)) == len(slugs)


def test_relations_point_at_existing_rows():
    doc, _ = ghost_doc()
    data = doc["db"][0]["data"]
    post_ids = {p["id"] for p in data["posts"]}
    tag_ids = {t["id"] for t in data["tags"]}
    user_ids = {u["id"] for u in data["users"]}
    assert all(r["post_id"] in post_ids and r["tag_id"] in tag_ids for r in data["posts_tags"])
    assert all(
        r["post_id"] in post_ids and r["author_id"] in user_ids for r in data["posts_authors"]
    )
    assert {r["post_id"] for r in data["posts_authors"]} == post_ids
    pairs = [(r["post_id"], r["tag_id"]) for r in data["posts_tags"]]
    assert len(set(pairs)) == len(pairs)
    assert all("@" in u["email"] and u["slug"] for u in data["users"])
    names = {t["name"] for t in data["tags"]}
    assert {"News", "C++", "python", "日記", "#recovered-partial"} <= names
    assert len({t["slug"] for t in data["tags"]}) == len(data["tags"])


def test_post_content():
    doc, _ = ghost_doc()
    posts = {p["title"]: p for p in doc["db"][0]["data"]["posts"]}
    hello = posts["Hello, world"]
    assert hello["published_at"] == "2008-10-31T11:00:00.000Z"
    assert hello["updated_at"] == "2008-11-02T08:30:00.000Z"
    assert 'href="http://blog.example.com/about/"' in hello["html"]
    assert posts["Untitled"]["custom_excerpt"] == "A post with no title and no date."
    assert "日本語のタイトル — Ελληνικά" in posts


def test_bodies_take_the_shapes_ghost_keeps():
    """Ghost's html→lexical drops a linked image, runs sibling divs and a quote's blocks
    together, and loses what a list item holds beyond text (bench/render.py runs the real
    converter over the corpus); ghost_html writes each in a form it keeps."""
    from recover.export.ghost import ghost_html

    html = ghost_html(
        '<p>See <a href="http://x/big.jpg"><img src="http://x/small.jpg"></a></p>'
        '<div class="gallery"><img src="http://x/1.jpg"><img src="http://x/2.jpg"></div>'
        "<div>Andrew Dove</div>\n<div>Office <font>hours</font></div>"
        "<dl><dt>T</dt><dd>D</dd></dl>"
        "<blockquote><p>quoted:</p><ol><li>one</li></ol></blockquote>"
        "<ul><li>item<table><tr><td>t</td></tr></table>after</li><li>two<hr></li></ul>"
        '<a href="http://x/y"><h4>Heading link</h4></a><p>a <strike>b</strike> c</p>'
        '<script type="math/tex; mode=display">x^2</script>'
    )
    assert re.search(
        r'<figure class="kg-card kg-image-card"><a href="http://x/big.jpg"><img[^>]*'
        r'src="http://x/small.jpg"',
        html,
    )
    assert html.count('class="kg-gallery-image"') == 2 and "kg-gallery-card" in html
    assert "<p>Andrew Dove</p> <p>Office hours</p>" in html and "<font" not in html
    assert "<!--kg-card-begin: html--><dl>" in html
    assert "<blockquote><p>quoted:</p></blockquote><ol><li>one</li></ol>" in html
    assert re.search(r"<ul><li>item</li></ul><table>.*</table><ul><li>after</li>", html)
    assert "<li>two</li></ul><hr/>" in html
    assert '<h4><a href="http://x/y">Heading link</a></h4>' in html
    assert "<s>b</s>" in html and "$$x^2$$" in html


def test_bodies_are_rendered_as_the_document_is_written(monkeypatch):
    """The exporter's document holds each body as a GhostBody until the encoder reaches it
    (so a large blog's bodies are never all in memory at once): each is rendered once, and
    the file is the same as with every body rendered first."""
    from recover.export import ghost

    posts = [Post.from_dict(d) for d in json.loads((FIXTURES / "posts.json").read_text())]
    preparer = Preparer(NOW)
    prepared = [preparer.prepare(p) for p in posts]
    deferred = ghost.render_ghost(prepared, now=NOW, deferred=True)
    assert all(isinstance(p["html"], ghost.GhostBody) for p in deferred["db"][0]["data"]["posts"])
    rendered: list[ghost.GhostBody] = []
    render = ghost.GhostBody.render

    def noted(self):
        rendered.append(self)
        return render(self)

    def document(*args, **kwargs):
        doc = ghost.render_ghost(*args, **kwargs)
        at_document.append(len(rendered))
        return doc

    at_document: list[int] = []
    monkeypatch.setattr(ghost.GhostBody, "render", noted)
    monkeypatch.setattr("recover.export.exporters.render_ghost", document)
    buf = io.BytesIO()
    exporter = GhostJsonExporter(buf, now=NOW)
    for p in prepared:
        exporter.export_prepared(p)
    exporter.finish_exporting()
    assert at_document == [0]  # the document the exporter builds holds no body yet
    assert len(rendered) == len(posts)
    assert json.loads(buf.getvalue()) == ghost.render_ghost(prepared, now=NOW)
