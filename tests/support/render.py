"""Real Hugo and Jekyll sites around recover's static output, and the text a reader sees.

:func:`build_sites` builds one Hugo site (``content/``, ``data/``) and one Jekyll site
(``_posts/``, ``_data/``) from an output folder, each configured with the snippet the report
gives (:mod:`recover.export.siteconfig`) and with the comment templates the README shows;
it returns every post's rendered body and comments, per engine, by slug.
:func:`visible_text` is what round-trip checks compare.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import lxml.html

from recover.export.siteconfig import HUGO_COMMENTS_TEMPLATE, JEKYLL_COMMENTS_TEMPLATE

HUGO = shutil.which("hugo")
JEKYLL = shutil.which("jekyll")

_BLOCK = set(
    "p div section article aside header footer nav main figure figcaption blockquote pre ul ol "
    "li dl dt dd table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6 hr br address details "
    "summary caption iframe video audio img center".split()
)
_BACKREF = re.compile(r"back(ref|link)|reversefootnote", re.IGNORECASE)
_GUTTER = re.compile(r"(^|\s)(lineno|linenos|line-number|ln|gutter|rouge-gutter)(\s|$)")
_MARK = re.compile(r"<meta name=\"recover-slug\" content=\"(.*?)\">")


def _root(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def visible_text(html: str) -> str:
    """The text of an HTML fragment as a reader sees it, whitespace collapsed.

    Scripts and styles are not text (MathJax ``math/tex`` scripts are, as ``\\(..\\)``);
    left out too: footnote back-links (↩), which each renderer draws its own, and the line
    numbers a highlighter put beside code (the Markdown keeps the code, not its numbers).
    """
    root = _root(html)
    for el in root.xpath("//script|//style|//template"):
        kind = str(el.get("type") or "")
        if kind.startswith("math/tex"):
            tex = el.text or ""
            wrapped = f"$${tex}$$" if "display" in kind else f"\\({tex}\\)"
            el.tail = wrapped + (el.tail or "")
        el.drop_tree()
    for el in root.xpath("//*[@class]"):
        if _GUTTER.search(el.get("class") or "") and el.getparent() is not None:
            el.drop_tree()
    for a in root.xpath("//a"):
        if a.get("href", "").startswith("#fnref") or _BACKREF.search(
            (a.get("class") or "") + " " + (a.get("rev") or "") + " " + (a.get("role") or "")
        ):
            a.drop_tree()
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        block = isinstance(el.tag, str) and el.tag.lower() in _BLOCK
        if block:
            parts.append(" ")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    walk(root)
    text = unicodedata.normalize("NFC", "".join(parts)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def links(html: str, own_images: bool = True) -> list[str]:
    """Every link target (percent-decoded), in order: not footnote links, nor ``javascript:``
    (dropped on purpose: issue 10.12), nor, with ``own_images=False``, an image's link to
    its own file (Ghost's image card keeps the image, not such a link) or a link with
    nothing in it to click (Ghost drops those)."""
    out = []
    for a in _root(html).xpath("//a[@href]"):
        href = a.get("href").strip()
        if not href or href.startswith("#") or href.lower().startswith("javascript:"):
            continue
        if not own_images and href in {i.get("src") for i in a.xpath(".//img[@src]")}:
            continue
        if not own_images and not a.text_content().strip() and not a.xpath(".//img"):
            continue  # an empty link (a named anchor), nothing to click: Ghost drops it
        out.append(unquote(href))
    return out


def images(html: str) -> list[str]:
    """Every image source (percent-decoded), in order."""
    return [unquote(i.get("src")) for i in _root(html).xpath("//img[@src]")]


@dataclass
class Page:
    body: str = ""
    comments: list[str] = field(default_factory=list)  # rendered comment bodies, by date


@dataclass
class Sites:
    hugo: dict[str, Page]  # slug -> page
    jekyll: dict[str, Page]
    hugo_log: str = ""
    jekyll_log: str = ""
    hugo_public: Path | None = None  # the built sites, for checks of their files
    jekyll_public: Path | None = None


def _pages(public: Path) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for path in public.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        m = _MARK.search(text)
        if not m:
            continue
        body = text.split("<article>", 1)[1].split("</article>", 1)[0]
        comments = re.findall(
            r'<div class="comment-body">(.*?)</div><i class="end"></i>', text, re.S
        )
        pages[m.group(1)] = Page(body, comments)
    return pages


def build_hugo(out: Path, work: Path, config: str) -> tuple[dict[str, Page], str]:
    """Build ``out/content`` + ``out/data`` with real hugo; pages by slug, and the log."""
    site = work / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(
        f'baseURL = "http://example.org/"\ntitle = "t"\ncontentDir = "{out / "content"}"\n'
        f'dataDir = "{out / "data"}"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n' + config
    )
    layouts = site / "layouts" / "_default"
    (layouts / "single.html").write_text(
        '<meta name="recover-slug" content="{{ .Params.slug }}"><article>{{ .Content }}</article>\n'
        + HUGO_COMMENTS_TEMPLATE.replace(
            '<div class="comment-body">{{ .body | markdownify }}</div>',
            '<div class="comment-body">{{ .body | markdownify }}</div><i class="end"></i>',
        )
    )
    (layouts / "list.html").write_text("{{ range .Pages }}{{ .Title }}\n{{ end }}")
    run = subprocess.run(
        [HUGO or "hugo", "--quiet", "-s", str(site)], capture_output=True, text=True, timeout=600
    )
    if run.returncode:
        raise AssertionError(f"hugo failed: {run.stderr[-3000:]}")
    return _pages(site / "public"), run.stderr


def build_jekyll(out: Path, work: Path, config: str) -> tuple[dict[str, Page], str]:
    """Build ``out/_posts``, ``out/pages``, ``out/_data`` with real jekyll; pages by slug, log."""
    site = work / "jekyll"
    (site / "_layouts").mkdir(parents=True, exist_ok=True)
    for name in ("_posts", "_data", "pages"):
        if (out / name).is_dir():
            shutil.copytree(out / name, site / name, dirs_exist_ok=True)
    (site / "_config.yml").write_text(
        config + "\ndefaults:\n  - scope: {path: ''}\n    values: {layout: post}\n"
    )
    (site / "_layouts" / "post.html").write_text(
        '<meta name="recover-slug" content="{{ page.slug }}"><article>{{ content }}</article>\n'
        + JEKYLL_COMMENTS_TEMPLATE.replace(
            '<div class="comment-body">{{ c.body | markdownify }}</div>',
            '<div class="comment-body">{{ c.body | markdownify }}</div><i class="end"></i>',
        )
    )
    run = subprocess.run(
        [JEKYLL or "jekyll", "build", "-q", "-s", str(site), "-d", str(site / "_site")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if run.returncode:
        raise AssertionError(f"jekyll failed: {run.stderr[-3000:]}")
    return _pages(site / "_site"), run.stderr


def build_sites(out: Path, work: Path, hugo_config: str, jekyll_config: str) -> Sites:
    """Both sites of one output folder (see the module docstring)."""
    hugo, hlog = build_hugo(out, work, hugo_config)
    jekyll, jlog = build_jekyll(out, work, jekyll_config)
    return Sites(hugo, jekyll, hlog, jlog, work / "hugo" / "public", work / "jekyll" / "_site")
