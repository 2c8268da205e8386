"""The Markdown export built by a real Hugo: one page a post, right dates, nothing dropped."""

from __future__ import annotations

import html as html_module
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from support import hugo

from recover.export import write_all
from recover.export.hugo import hugo_safe
from recover.post import Post

FIXTURES = Path(__file__).parent / "fixtures" / "export"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
HUGO = hugo.HUGO


def load_posts() -> list[Post]:
    return [Post.from_dict(d) for d in json.loads((FIXTURES / "posts.json").read_text())]


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    write_all(load_posts(), out, {"site": "http://blog.example.com/"}, now=NOW)
    return out


def test_front_matter(exported):
    files = sorted((exported / "content" / "posts").glob("*.md"))
    assert len(files) == len(load_posts())
    by_slug = {f.stem: front_matter(f) for f in files}
    fm, body = by_slug["hello-world"]
    assert fm["title"] == "Hello, world"
    assert fm["date"] == "2008-10-31T12:00:00+01:00"
    assert fm["lastmod"] == "2008-11-02T09:30:00+01:00"
    assert fm["slug"] == "hello-world" and fm["author"] == "Jo Bloggs"
    assert fm["categories"] == ["News", "C++"] and fm["tags"] == ["python", "web"]
    assert fm["aliases"] == ["/2008/10/31/hello-world/"]
    assert fm["draft"] is False and fm["render_with_liquid"] is False
    assert fm["source"].startswith("https://web.archive.org/web/20081101000000/")
    assert "partial" not in fm and "date_estimated" not in fm
    assert "[about](http://blog.example.com/about/)" in body
    fm, _ = by_slug["p-77"]
    assert fm["partial"] is True and fm["date_estimated"] == "capture"
    assert fm["title"] == "Untitled" and fm["aliases"] == []
    assert by_slug["日本語"][0]["aliases"] == ["/2010/05/06/日本語/"]
    assert {"same", "same-2", "index-post"} <= set(by_slug)
    for fm, body in by_slug.values():
        assert not str(fm["date"]).startswith(("0001", "2999"))
        assert "<p>" not in body


def test_hugo_safe_escapes_shortcodes_only():
    assert hugo_safe("a {{< x >}} b") == "a {{</* x */>}} b"
    assert hugo_safe("{{% n %}}y{{% /n %}}") == "{{%/* n */%}}y{{%/* /n */%}}"
    assert hugo_safe("{{ .Title }} {{</* ok */>}}") == "{{ .Title }} {{</* ok */>}}"
    assert "{{<" not in hugo_safe("lonely {{< and {{% too")


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_real_hugo_build(exported, tmp_path):
    site = tmp_path / "site"
    run = hugo.build(exported / "content", site)
    assert run.returncode == 0, run.stderr
    assert "WARN" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    slugs = {p.stem for p in (exported / "content" / "posts").glob("*.md")}
    pages = {p.parent.name for p in (site / "public" / "posts").glob("*/index.html")}
    assert pages == slugs
    html = {s: (site / "public" / "posts" / s / "index.html").read_text() for s in slugs}
    for page in html.values():
        assert "raw HTML omitted" not in page
    templates = html["templates"]
    assert "{{ page.title }}" in templates and "{% raw %}" in templates
    assert "{{&lt; youtube abc &gt;}}" in templates
    code_text = html_module.unescape(re.sub(r"<[^>]+>", "", templates))
    assert "{{ .Title }} {{< gist x >}}" in code_text and "if a < b && c > d" in code_text
    assert "こんにちは世界" in html["日本語"]
    alias = site / "public" / "2008" / "10" / "31" / "hello-world" / "index.html"
    assert "http://example.org/posts/hello-world/" in alias.read_text()

    rows = hugo.list_all(site)
    assert len(rows) == len(slugs)
    dates = {Path(r["path"]).stem: r["date"] for r in rows}
    assert not any(d.startswith("0001") for d in dates.values())
    assert dates["hello-world"] == "2008-10-31T12:00:00+01:00"
    assert dates["日本語"] == "2010-05-06T21:15:00+09:00"
    assert dates["p-77"] == "2012-03-04T05:06:07Z"
    assert dates["impossible"] == "1970-01-01T00:00:00Z"
    assert dates["future"] == "2015-07-01T00:00:00Z"
    assert all(r["draft"] == "false" for r in rows)


def test_old_urls_are_the_posts_own_never_a_feed_or_listing():
    """Only the addresses a post's own pages were captured at are its old URLs: the feed or
    listing an item came from would become an alias (a redirect over /feed.xml)."""
    from recover.export.frontmatter import old_paths
    from recover.export.prepare import Preparer
    from recover.post import Source

    def source(kind: str, original: str) -> Source:
        return Source("http://a/", f"http://a/1id_/{original}", "1", kind, original)

    post = Post(
        url="http://b.example/2014/12/02/new.html",
        title="New",
        content_html="<p>x</p>",
        sources=[
            source("feed", "http://b.example/feed.xml"),
            source("index", "http://b.example/page/2/"),
            source("feed", "http://b.example/feeds/1/comments/default"),
            source("page", "http://www.b.example/2014/12/02/new.html?m=1"),
            source("page", "http://b.example/2014/12/01/new.html"),
        ],
    )
    prepared = Preparer(now=NOW).prepare(post)
    assert old_paths(prepared) == ["/2014/12/02/new.html", "/2014/12/01/new.html"]
