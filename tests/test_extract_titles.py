"""Titles (issue 14.7) and bodies on unknown themes (issue 14.8), from pages alone."""

from __future__ import annotations

from recover.extract import Template, extract, parse

SITE = "https://memo.example.jp"


DAYS = {"first": "2014年1月13日", "second": "2014年2月2日", "third": "2014年3月30日"}


def hugo_page(slug: str, title: str, body: str, *, head_title: str | None = None) -> str:
    """A Hugo theme no extractor knows: no post-content class, title in a plain header."""
    head = title + " ✦ 技術メモ" if head_title is None else head_title
    return f"""<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<meta name="generator" content="Hugo 0.92.0"><title>{head}</title></head><body>
<div class="wrap"><div class="top"><a href="/">技術メモ</a>
<p>日々の作業で覚えたことを書き留めておくメモ帳です。ときどき更新します。</p>
<ul class="menu"><li><a href="/about/">このサイトについて</a></li>
<li><a href="/tags/">タグ一覧</a></li><li><a href="/archives/">アーカイブ</a></li></ul></div>
<div class="main"><div class="head"><span class="t">{title}</span>
<span class="d">{DAYS.get(slug, "2014年4月1日")}</span></div>
<div class="txt">{body}</div></div>
<div class="side"><p>最近の投稿</p><ul><li>Goのテスト入門</li><li>Rustの所有権について</li>
<li>Hugoでブログを作る</li></ul><p>© 2014 技術メモ. Powered by Hugo, theme by someone.</p>
</div></div></body></html>"""


BODIES = {
    "first": "<h1>はじめに</h1><p>Hugoで作ったブログのテーマを自作してみました。</p>"
    "<pre><code>hugo new site memo</code></pre><p>思ったより簡単でした。</p>",
    "second": "<p>Goのテーブル駆動テストについて、よく使う書き方をまとめます。</p>"
    "<pre><code>for _, tt := range tests {}</code></pre>",
    "third": "<p>短い記事。</p>",
}


def test_body_heading_is_never_the_title_and_template_gives_the_body():
    template = Template()
    for slug, title in (("second", "Goのテスト入門"), ("third", "短いメモ")):
        html = hugo_page(slug, title, BODIES[slug])
        template.add(parse(html, f"{SITE}/post/{slug}/"))
    html = hugo_page("first", "Hugoのテーマを自作する", BODIES["first"])
    post = extract(html, f"{SITE}/post/first/", template=template)
    assert post.title == "Hugoのテーマを自作する"
    assert post.published == "2014-01-13"
    assert "<h1>はじめに</h1>" in post.content_html
    assert "hugo new site memo" in post.content_html and "思ったより簡単でした" in post.content_html
    for chrome in ("最近の投稿", "Powered by Hugo", "このサイトについて", "日々の作業"):
        assert chrome not in post.content_html
    # a two-word post, which a single-page heuristic would lose to the sidebar
    short = extract(
        hugo_page("third", "短いメモ", BODIES["third"]), f"{SITE}/post/third/", template=template
    )
    assert short.content_html == "<p>短い記事。</p>"


def test_site_name_learned_from_other_titles_and_untitled_post():
    template = Template()
    for slug, title in (("second", "Goのテスト入門"), ("third", "短いメモ")):
        template.add(parse(hugo_page(slug, title, BODIES[slug]), f"{SITE}/post/{slug}/"))
    untitled = hugo_page("fourth", "", "<p>タイトルのない投稿です。</p>", head_title="技術メモ")
    post = extract(untitled, f"{SITE}/post/fourth/", template=template)
    assert post.title == ""  # never the blog's name
    assert "タイトルのない投稿です。" in post.content_html


def test_untitled_blogger_post_gets_an_empty_title_not_the_blogs():
    html = """<html lang="de"><head><meta name="generator" content="Blogger"/>
    <meta property="og:site_name" content="Reisetagebuch"/><title>Reisetagebuch</title></head>
    <body><div class="blog-posts"><h2 class="date-header"><span>Donnerstag, 6. Mai 2004</span>
    </h2><div class="post hentry"><h3 class="post-title entry-title"></h3>
    <div class="post-body entry-content">Heute nur ein Foto vom Hafen.</div></div></div>
    </body></html>"""
    post = extract(html, "http://reise.blogspot.com/2004/05/blog-post.html")
    assert post.title == ""
    assert post.published == "2004-05-06"


def test_inline_markup_keeps_its_spaces():
    html = """<html><head><meta name="generator" content="WordPress 6.1.1">
    <title>Markup and more in HTML | Notes</title></head><body><article
    class="post"><h1 class="entry-title">Mark<sup>up</sup> and <em>more</em> in <code>HTML</code>
    </h1><time datetime="2012-02-03">3 Feb</time><div class="entry-content"><p>Text of the
    post, long enough to be a post body.</p></div></article></body></html>"""
    post = extract(html, "http://notes.example.org/2012/02/markup/")
    assert post.title == "Markup and more in HTML"
