"""HTML to Markdown (CommonMark + GFM tables and footnotes) and the post's final clean-up.

The Markdown holds no raw HTML: every tag becomes Markdown or plain text, text that would
read as markup is escaped, embeds become links, URLs point at the site itself (never at an
archive), and TeX math (``$...$``, ``\\(...\\)``, ``\\[...\\]``, ``$$...$$``) is kept
character for character.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import unicodedata
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag
from bs4.element import Comment as HtmlComment
from markdownify import ATX, BACKSLASH, MarkdownConverter

from recover.post import Post
from recover.urls import absolute, original_url, slug_of

# Archive chrome that may survive extraction (Wayback toolbar, pywb banner).
ARCHIVE_CHROME = "#wm-ipp-base, #wm-ipp, #wm-ipp-print, #donato, #_wb_plain_banner, #_wb_frame_top"
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "svg",
    "canvas",
    "link",
    "meta",
    "head",
    "title",
)
LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-orig-file", "data-full-url")
URL_ATTRS = {
    "a": "href",
    "img": "src",
    "iframe": "src",
    "embed": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "object": "data",
}
LANGUAGE = re.compile(
    r"(?:^|\s)(?:language|lang|highlight|brush|source)[-:]\s*([\w+#.-]+)|"
    r"(?:^|\s)sourceCode\s+([\w+#.-]+)",
    re.IGNORECASE,
)
KNOWN_LANGUAGES = frozenset(
    "bash c cpp csharp css clojure coffeescript d dart diff elixir erlang fortran go groovy "
    "haskell html ini java javascript js json julia kotlin latex lisp lua makefile matlab nginx "
    "objectivec ocaml perl php plaintext powershell python r ruby rust scala scheme shell sql "
    "swift tex text toml typescript ts vb vbnet xml yaml".split()
)
# TeX math spans MathJax/KaTeX would read; one text node at a time.
MATH = re.compile(
    r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|\\begin\{(\w+\*?)\}.+?\\end\{\1\}|"
    r"(?<![\\$\w])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\d$])",
    re.DOTALL,
)
_HTML_TAG = re.compile(r"<[A-Za-z][\w-]*(\s[^>]*)?/?>|</[A-Za-z]|<[!?]")  # Markdown would drop it
_BACKREF = re.compile(r"(footnote-)?back(ref|link)?|reversefootnote")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|=+\s*$|(\d{1,9})[.)](?=\s|$))")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_PUNCT_AFTER_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")


class _Converter(MarkdownConverter):
    """markdownify with escaping that leaves no raw HTML and fences that fit their code."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        text = _PUNCT_AFTER_BACKSLASH.sub(r"\\\\", text)
        text = text.replace("*", r"\*").replace("`", r"\`").replace("~", r"\~")
        text = text.replace("[", r"\[").replace("]", r"\]")
        text = _UNDERSCORE.sub(r"\\_", text)
        text = _TAG_LIKE.sub(r"\\<", text)
        text = _ENTITY.sub(r"\\&", text)
        return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m), text)

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip("\n"):
            return ""
        code = text.strip("\n")
        longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{code_language(el)}\n{code}\n{fence}\n\n"

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        cell = re.sub(r"(?<!\\)\|", r"\|", text.strip().replace("\n", " "))
        span = el.get("colspan", "1")
        colspan = max(1, min(1000, int(span))) if str(span).isdigit() else 1
        return " " + cell + " |" * colspan

    convert_th = convert_td


def _escape_marker(m: re.Match[str]) -> str:
    marker = m.group(2)
    if m.group(3):
        return m.group(3) + "\\" + marker[len(m.group(3)) :]
    return "\\" + marker


def code_language(pre: Tag) -> str:
    """The language a ``<pre>`` (or its ``<code>``, or a wrapper) declares, or ""."""
    candidates: list[Tag] = [pre, *pre.find_all("code", limit=1)]
    candidates += [p for p in list(pre.parents)[:3] if isinstance(p, Tag)]
    for el in candidates:
        for attr in ("data-lang", "lang", "data-language"):
            if el.get(attr):
                return _clean_language(str(el[attr]))
        classes = " ".join(el.get("class") or [])
        m = LANGUAGE.search(classes)
        if m:
            return _clean_language(m.group(1) or m.group(2))
        for cls in el.get("class") or []:
            if cls.lower() in KNOWN_LANGUAGES:
                return _clean_language(cls)
    return ""


def _clean_language(value: str) -> str:
    lang = re.sub(r"[^\w+#.-]", "", value.strip().lower().rstrip(";"))
    return "" if lang in ("none", "nohighlight", "plain", "") else lang


def _protect_math(soup: BeautifulSoup, keep: dict[str, str], nonce: str) -> None:
    """Swap TeX math for placeholders markdownify will not touch."""

    def hold(text: str) -> str:
        key = f"RECOVERMATH{nonce}X{len(keep)}X"
        keep[key] = text
        return key

    for script in soup.find_all("script", type=re.compile(r"^math/tex", re.IGNORECASE)):
        display = "mode=display" in str(script.get("type", ""))
        tex = script.get_text()
        script.replace_with(hold(f"$${tex}$$" if display else f"\\({tex}\\)"))
    for ann in soup.find_all("annotation", encoding="application/x-tex"):
        holder = ann.find_parent(class_=re.compile(r"^katex$")) or ann.find_parent("math")
        if holder is not None:
            display = bool(holder.find_parent(class_="katex-display"))
            tex = ann.get_text()
            holder.replace_with(hold(f"$${tex}$$" if display else f"\\({tex}\\)"))
    for node in list(soup.find_all(string=MATH)):
        if isinstance(node, HtmlComment) or node.find_parent(["pre", "code", "script"]):
            continue
        node.replace_with(
            MATH.sub(
                lambda m: m.group(0) if _HTML_TAG.search(m.group(0)) else hold(m.group(0)),
                str(node),
            )
        )


def _protect_footnotes(soup: BeautifulSoup, keep: dict[str, str], nonce: str) -> list[Tag]:
    """Turn footnote references into ``[^n]`` and return the footnote bodies, in order."""
    notes: list[Tag] = []
    numbers: dict[str, int] = {}
    for a in soup.find_all("a", href=re.compile(r"^#.")):
        target_id = a["href"][1:]
        target = soup.find(id=target_id) or soup.find("a", attrs={"name": target_id})
        if target is None:
            continue
        item = target if target.name == "li" else target.find_parent("li")
        if item is None or item in a.parents or not _is_footnote_list(item):
            continue
        if target_id not in numbers:
            numbers[target_id] = len(numbers) + 1
            notes.append(item)
        key = f"RECOVERNOTE{nonce}X{len(keep)}X"
        keep[key] = f"[^{numbers[target_id]}]"
        holder = a.parent if a.parent is not None and a.parent.name == "sup" else a
        if holder.name == "sup" and len(holder.find_all(True)) > 1:
            holder = a
        holder.replace_with(key)
    return notes


def _is_footnote_list(li: Tag) -> bool:
    lst = li.find_parent(["ol", "ul"])
    if lst is None:
        return False
    marks = " ".join(
        str(v)
        for el in (li, lst, lst.parent)
        if isinstance(el, Tag)
        for v in (el.get("id", ""), " ".join(el.get("class") or []))
    ).lower()
    return bool(re.search(r"foot|fn|note|endnote", marks))


def _embed_link(el: Tag, base_url: str) -> Tag | None:
    """A paragraph holding a link for an iframe, embed, object or audio element."""
    src = el.get("src") or el.get("data") or el.get("data-src")
    if not src and el.name in ("audio", "video", "object"):
        inner = el.find(["source", "embed", "param"], src=True) or el.find("param", value=True)
        src = inner.get("src") or inner.get("value") if inner else None
    if not src or str(src).startswith(("about:", "javascript:")):
        return None
    url = absolute(str(src), base_url)
    parts = urlsplit(url)
    label = str(el.get("title") or "").strip()
    m = re.match(r"/embed/([\w-]{6,})", parts.path)
    if "youtube" in parts.netloc and m:
        url, label = f"https://www.youtube.com/watch?v={m.group(1)}", label or "YouTube video"
    elif "player.vimeo.com" in parts.netloc:
        vid = re.search(r"/video/(\d+)", parts.path)
        if vid:
            url, label = f"https://vimeo.com/{vid.group(1)}", label or "Vimeo video"
    elif "youtube" in parts.netloc and "v" in parse_qs(parts.query):
        label = label or "YouTube video"
    label = label or f"Embedded content ({parts.netloc or url})"
    soup = BeautifulSoup("", "html.parser")
    a = soup.new_tag("a", href=url)
    a.string = label
    p = soup.new_tag("p")
    p.append(a)
    return p


def _prepare(soup: BeautifulSoup, base_url: str) -> None:
    """Clean the tree in place: chrome, scripts, lazy images, embeds, code tables, URLs."""
    for el in soup.select(ARCHIVE_CHROME):
        el.decompose()
    for script in soup.find_all("script", src=re.compile(r"gist\.github\.com/.+\.js")):
        url = absolute(re.sub(r"\.js(\?.*)?$", "", script["src"]), base_url)
        p = soup.new_tag("p")
        a = soup.new_tag("a", href=url)
        a.string = "Gist: " + url.rsplit("/", 1)[-1]
        p.append(a)
        script.replace_with(p)
    for noscript in soup.find_all("noscript"):
        img = noscript.find("img", src=True)
        prev = noscript.find_previous_sibling()
        if img is not None and prev is not None and prev.name == "img":
            prev.decompose()
            noscript.unwrap()
    for el in soup.find_all(DROP_TAGS):
        el.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, HtmlComment)):
        comment.extract()
    for el in soup.find_all(["iframe", "embed", "object", "audio"]):
        if el.name == "embed" and el.find_parent("object"):
            continue
        link = _embed_link(el, base_url)
        if link is None:
            el.decompose()
        else:
            if el.find_parent("p") is not None:
                link = link.a
            el.replace_with(link)
    for table in soup.find_all("table"):
        code = table.find("td", class_=re.compile(r"^(code|highlight)$"))
        if code is not None and code.find("pre") is not None:
            table.replace_with(code.find("pre"))
    for pre in soup.find_all("pre"):
        for br in pre.find_all("br"):
            br.replace_with("\n")
        for num in pre.find_all(class_=re.compile(r"^(lineno|linenos|line-number|ln)$")):
            num.decompose()
    for img in soup.find_all("img"):
        src = str(img.get("src") or "")
        lazy = next((img[a] for a in LAZY_SRC if img.get(a)), None)
        if lazy and (not src or src.startswith("data:") or "blank" in src or "lazy" in src):
            img["src"] = lazy
        if not img.get("src"):
            img.decompose()
    for name, attr in URL_ATTRS.items():
        for el in soup.find_all(name):
            value = str(el.get(attr) or "").strip()
            if not value or value.startswith(("#", "data:", "mailto:", "tel:")):
                continue
            if value.lower().startswith(("javascript:", "vbscript:")):
                del el[attr]
                continue
            el[attr] = absolute(value, base_url)


_ABSOLUTE = r"https?://|#|data:|mailto:|tel:|javascript:"
_NEEDS_WORK = re.compile(
    r"<(script|noscript|style|link|meta)\b|\bsrcset\s*=|wm-ipp|_wb_|donato|/web/\d|"
    rf"\b(href|src|data)\s*=\s*(?:[\"'](?!{_ABSOLUTE})|(?![\"']|{_ABSOLUTE}))",
    re.IGNORECASE,
)


def absolutize_html(html: str, base_url: str) -> str:
    """Cleaned HTML whose links, images and embeds point at the site, not at an archive."""
    if not html or not html.strip():
        return ""
    if not _NEEDS_WORK.search(html):
        return html.strip()  # already clean and absolute (what extraction hands over)
    soup = BeautifulSoup(html, "html.parser")
    for el in soup.select(ARCHIVE_CHROME):
        el.decompose()
    for el in soup.find_all(["script", "noscript", "style", "link", "meta"]):
        el.decompose()
    for name, attr in URL_ATTRS.items():
        for el in soup.find_all(name):
            value = str(el.get(attr) or "").strip()
            if value and not value.startswith(("#", "data:", "mailto:", "tel:", "javascript:")):
                el[attr] = absolute(value, base_url)
        for el in soup.find_all(name, srcset=True):
            del el["srcset"]
    return str(soup).strip()


def _tidy(text: str) -> str:
    """Drop trailing spaces and runs of blank lines, leaving fenced code alone."""
    out: list[str] = []
    fence: str | None = None
    blank = 0
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                fence = m.group(1)
            line = line.rstrip()
            blank = blank + 1 if not line else 0
            if blank > 1:
                continue
        elif (
            m
            and m.group(1)[0] == fence[0]
            and len(m.group(1)) >= len(fence)
            and not line.strip()[len(m.group(1)) :]
        ):
            fence = None
        out.append(line)
    return "\n".join(out).strip("\n")


def to_markdown(html: str, base_url: str) -> str:
    """Markdown for a post body; URLs resolved against ``base_url`` (the post's site URL).

    Returns "" for an empty body, else the Markdown ending with one newline.
    """
    if not html or not html.strip():
        return ""
    base_url = original_url(base_url or "")
    soup = BeautifulSoup(html, "html.parser")
    keep: dict[str, str] = {}
    nonce = secrets.token_hex(3).upper()
    _protect_math(soup, keep, nonce)
    _prepare(soup, base_url)
    notes = _protect_footnotes(soup, keep, nonce)
    bodies: list[str] = []
    for note in notes:
        note.extract()
        for back in note.find_all("a", href=re.compile(r"^#")):
            back.decompose()
        for back in note.find_all(class_=_BACKREF):
            back.decompose()
        bodies.append(_convert(note.decode_contents()))
    for holder in soup.find_all(["ol", "ul", "div", "section", "hr"]):
        if holder.name != "hr" and holder.parent is not None and not holder.get_text(strip=True):
            cls = " ".join(holder.get("class") or []) + " " + str(holder.get("id") or "")
            if re.search(r"foot|note", cls, re.IGNORECASE):
                holder.decompose()
    text = _convert(soup)
    if bodies:
        text += "\n\n" + "\n".join(
            f"[^{i}]: " + body.replace("\n", "\n    ") for i, body in enumerate(bodies, 1)
        )
    for key, value in keep.items():
        text = text.replace(key, value)
    text = _tidy(text)
    return text + "\n" if text else ""


def _convert(html: BeautifulSoup | str) -> str:
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "html.parser")
    return (
        _Converter(
            heading_style=ATX,
            bullets="-",
            newline_style=BACKSLASH,
            wrap=True,
            wrap_width=None,
            table_infer_header=True,
            keep_inline_images_in=["td", "th", "a"],
            escape_asterisks=False,
            escape_underscores=False,
        )
        .convert_soup(soup)
        .strip()
    )


# -- slugs and titles ------------------------------------------------------------------------

_RESERVED_SLUGS = re.compile(
    r"^(index|_index|con|prn|aux|nul|com\d|lpt\d|feed|page|tags|categories|posts)$"
)
MAX_SLUG_BYTES = 180


def safe_slug(text: str) -> str:
    """A lower-case, file- and URL-safe slug ("" when nothing usable is left).

    Letters of any script survive; reserved names (``index``, ``_index``, Windows device
    names, Hugo's list pages) get a ``-post`` suffix; length stays under 180 UTF-8 bytes.
    """
    slug = unicodedata.normalize("NFC", text or "").lower()
    slug = re.sub(r"[^\w-]+", "-", slug).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug[:-1].rstrip("-")
    if _RESERVED_SLUGS.match(slug):
        slug += "-post"
    return slug


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def clean_title(title: str | None) -> str | None:
    """The title stripped, control characters dropped, whitespace collapsed (None if empty)."""
    if title is None:
        return None
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", title))
    text = re.sub(r"\s+", " ", text).strip()
    return text or None


def normalize(post: Post) -> Post:
    """A copy of ``post`` with Markdown filled in, a safe non-empty slug and a clean title.

    Markdown already there is kept (normalizing twice converts once).
    """
    base = original_url(post.url or "")
    markdown = post.content_markdown
    if not markdown and post.content_html:
        markdown = to_markdown(post.content_html, base)
    slug = safe_slug(post.slug) or safe_slug(slug_of(base)) if base else safe_slug(post.slug)
    if not slug or slug == "post":
        slug = safe_slug(post.title or "") or slug or "post"
    return dataclasses.replace(
        post,
        title=clean_title(post.title),
        content_markdown=markdown,
        slug=slug,
    )
