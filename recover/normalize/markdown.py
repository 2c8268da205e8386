"""HTML to Markdown (CommonMark + GFM tables and footnotes) and the post's final clean-up.

The Markdown renders to the text of the HTML it came from in Hugo (goldmark) and in Jekyll
(kramdown, GFM input) alike; each construct is written in the one form both read the same:

- text that either would read as syntax is backslash-escaped (``\\ * _ ` [ ] | { } # ~ <
  " '`` and, where they would turn typographic, ``--``, ``...``, ``>>``, ``$$``; a ``<``
  ending a text is ``&lt;``: kramdown reads no tag right after ``\\<``, and a ``!`` ending a
  text is ``\\!``: a link may follow), entity-like ``&name;`` becomes
  ``&amp;name;``, and line starts that open blocks (``#``, ``>``, ``-``, ``+``, ``1.``,
  ``:``, ``=``) are escaped. A code span holding ``|``, or beside another, is ``<code>``
  with its text as entities (kramdown reads a ``|`` as a table cell even in a code span).
  TeX math (``\\(..\\)``, ``\\[..\\]``, ``$$..$$``, ``\\begin{..}``) is plain text escaped
  this way, so both render it character for character and MathJax/KaTeX see it unchanged
  (``\\(`` is written ``\\\\(``);
- ``<br>`` is a raw ``<br />`` (goldmark's ``\\`` line end and kramdown's ``\\\\`` differ);
- emphasis is ``*x*``/``**x**`` when its text starts and ends with a letter or digit, else raw
  ``<em>``/``<strong>`` (goldmark will not close ``**"x"**A``); ``<sup>``, ``<sub>`` stay raw;
- what Markdown cannot say stays raw HTML on lines without blank ones: tables with spans,
  block content or ``|`` in code (simple tables are GFM tables), definition lists,
  ``<details>``, lists numbered from other than 1 (kramdown restarts them at 1), iframes
  and other embeds, and links wrapping blocks (in a ``<div>``).
  Hugo needs ``markup.goldmark.renderer.unsafe = true`` for them
  (:mod:`recover.export.siteconfig` writes it into the report).

Links and images point at the site itself (never at an archive); link and image URLs are
percent-encoded where Markdown would end them (space, ``(``, ``)``, ``<``, ``>``, ``|``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import secrets
import unicodedata
from collections.abc import Callable, Collection
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment as HtmlComment
from markdownify import ATX, BACKSLASH, MarkdownConverter

from recover.extract.archive import INJECTED_IDS, LAZY_SRC
from recover.normalize.sanitize import sanitized
from recover.post import Post
from recover.urls import absolute, original_url, slug_of

# Archive chrome that may survive extraction (Wayback toolbar, pywb banner).
# what archives add (the extractor's lists: one place says what is archive chrome)
ARCHIVE_CHROME = ", ".join("#" + ident for ident in sorted(INJECTED_IDS))
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
# Elements kept as raw HTML: embeds (iframe and video on lines of their own: kramdown
# escapes them inside a paragraph), and blocks.
RAW_INLINE = frozenset({"iframe", "embed", "object", "video", "audio"})
RAW_OWN_LINE = frozenset({"iframe", "video"})
RAW_BLOCK = frozenset({"dl", "details", "math"})
# Raw blocks both goldmark and kramdown start an HTML block with; others go in a <div>.
HTML_BLOCK_START = frozenset({"table", "dl", "details", "div", "ol"})
BLOCK_TAGS = (
    "p div section article aside header footer nav main figure figcaption blockquote pre "
    "ul ol li dl dt dd table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6 hr address details "
    "summary fieldset center"
).split()
BLOCKS = frozenset(BLOCK_TAGS)
_NOT_IN_CELLS = BLOCKS | RAW_INLINE | RAW_BLOCK
RAW_MARK = "data-recover-raw"  # a <div> _prepare made around a block link and its line
INLINE_WRAPPERS = "span font em i strong b u small big del s strike ins mark abbr cite".split()
_BACKREF = re.compile(r"(footnote-)?back(ref|link)?|reversefootnote")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|[=:]|(\d{1,9})[.)](?=\s|$))", re.MULTILINE
)
_EOB = re.compile(r"^(\s*)\^(\s*)$", re.MULTILINE)  # kramdown's end-of-block marker
_ENTITY = re.compile(r"&(?=#?\w+;)")
_ALWAYS = re.compile(r"([`*\[\]|{}#~\"'])")  # "<" and "!" have their own rules below
_RUNS = re.compile(r"-{2,}|\.{3,}|>{2,}|\${2,}")
_URL_UNSAFE = {" ": "%20", "<": "%3C", ">": "%3E", "(": "%28", ")": "%29", "|": "%7C"}
_URL_UNSAFE_RE = re.compile(r"[ <>()|\\\n\r\t]")

_LAST_LT = re.compile(r"\\<(\s*)$")  # kramdown reads no tag right after a "\<"
_LAST_BANG = re.compile(r"!(\s*)$")
_CODE_ENTITIES = re.compile(r"[!-/:-@\[-`{-~]")
ImageUrl = Callable[[str], str]


def escape_text(text: str) -> str:
    """``text`` written so goldmark and kramdown both render it as it is (see module doc)."""
    if not text:
        return ""
    text = text.replace("\\", "\\\\")
    text = _ALWAYS.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _RUNS.sub(lambda m: "".join("\\" + c for c in m.group(0)), text)
    text = _ENTITY.sub("&amp;", text)
    text = _LAST_LT.sub(r"&lt;\1", text.replace("<", "\\<"))  # a tag of ours may follow
    text = _LAST_BANG.sub(r"\\!\1", text)  # a link may follow: "![" would be an image
    text = _EOB.sub(r"\1&#94;\2", text)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m), text)


def _escape_marker(m: re.Match[str]) -> str:
    marker = m.group(2)
    if m.group(3):
        return m.group(3) + "\\" + marker[len(m.group(3)) :]
    return "\\" + marker


def markdown_url(url: str) -> str:
    """``url`` percent-encoded where a Markdown link destination would end or break."""
    return _URL_UNSAFE_RE.sub(
        lambda m: _URL_UNSAFE.get(m.group(0), "%5C" if m.group(0) == "\\" else ""), url
    )


def _chomp(text: str) -> tuple[str, str, str]:
    """``(leading whitespace, trailing whitespace, text)``: no-break spaces kept too."""
    inner = text.strip()
    if not inner:
        return text, "", ""
    start = text.index(inner[0])
    return text[:start], text[start + len(inner) :], inner


def _starts_block(el: Tag) -> bool:
    """Whether nothing is written before ``el`` in its block (a ``<br>`` there is dropped).

    Goldmark reads a line holding only ``<br />`` at a block's start as the start of an
    HTML block, and then takes the following lines as raw HTML.
    """
    block = within(el, BLOCK_TAGS)
    for node in el.previous_elements:
        if node is block:
            return True
        if isinstance(node, Tag):
            if node.name in RAW_OWN_LINE:
                return True
            if node.name not in ("img", "embed", "object", "audio"):
                continue
        elif isinstance(node, HtmlComment) or not str(node).strip():
            continue
        return within(node, BLOCK_TAGS) is not block
    return True


def _title_part(title: Any) -> str:
    title = re.sub(r"\s+", " ", str(title or "")).strip()
    if not title:
        return ""
    return ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def tags(el: Tag, names: Collection[str], recursive: bool = True) -> list[Tag]:
    """``el.find_all(names)`` by name alone, without bs4's matcher built at every call."""
    nodes = el.descendants if recursive else el.children
    return [n for n in nodes if isinstance(n, Tag) and n.name in names]


def holds(el: Tag, names: Collection[str]) -> bool:
    """Whether ``el`` holds a tag named one of ``names`` (``el.find(names)``, by name)."""
    return any(isinstance(n, Tag) and n.name in names for n in el.descendants)


def within(node: Any, names: Collection[str]) -> Tag | None:
    """The nearest tag around ``node`` named one of ``names`` (``find_parent``, by name)."""
    return next((p for p in node.parents if p.name in names), None)


class _Tag(Tag):
    """A tag whose ``find_parent`` by a name alone is :func:`within` (markdownify asks it of
    every tag it converts, and bs4 builds its matcher at every call)."""

    def find_parent(self, name: Any = None, attrs: Any = None, **kwargs: Any) -> Any:
        if isinstance(name, str) and not attrs and not kwargs:
            return within(self, (name,))
        return super().find_parent(name, attrs or {}, **kwargs)


def _soup(html: str) -> BeautifulSoup:
    """``html`` parsed for the converter (``html.parser``; tags of :class:`_Tag`)."""
    return BeautifulSoup(html, "html.parser", element_classes={Tag: _Tag})


def _is_raw_block(el: Tag) -> bool:
    """Whether ``el`` must stay raw HTML as a block (see the module docstring)."""
    name = el.name
    if name in RAW_BLOCK:
        return True
    if name == "a":
        return holds(el, BLOCKS)
    if name == "div" and el.has_attr(RAW_MARK):
        return True
    if name == "table":
        return not _simple_table(el)
    if name == "ol":  # kramdown numbers every list from 1
        return str(el.get("start") or "1").strip() != "1" or el.has_attr("reversed")
    return False


def _inline(node: Any) -> bool:
    if isinstance(node, Tag):
        return node.name not in BLOCKS and node.name != "br" and not holds(node, BLOCKS)
    return not isinstance(node, HtmlComment)


def _raw_line(soup: BeautifulSoup, a: Tag) -> None:
    """Put a link wrapping blocks, with the inline text beside it, in a raw ``<div>``.

    The text around stays next to the link (``</a>.`` does not become a paragraph ".").
    """
    line = [a]
    while a.parent is not None and line[0].previous_sibling is not None:
        if not _inline(line[0].previous_sibling):
            break
        line.insert(0, line[0].previous_sibling)
    while line[-1].next_sibling is not None and _inline(line[-1].next_sibling):
        line.append(line[-1].next_sibling)
    box = soup.new_tag("div", attrs={RAW_MARK: ""})
    line[0].insert_before(box)
    for node in line:
        box.append(node.extract())


def _simple_table(table: Tag) -> bool:
    """A table a GFM table says: equal rows of inline cells, no spans, caption or ``|`` code."""
    if holds(table, ("caption", "table")):
        return False
    rows = tags(table, ("tr",))
    widths = {len(tags(r, ("td", "th"), recursive=False)) for r in rows}
    if len(rows) < 2 or len(widths) != 1 or 0 in widths:  # kramdown wants a body row
        return False
    for cell in tags(table, ("td", "th")):
        if str(cell.get("colspan", "1")).strip() != "1":
            return False
        if str(cell.get("rowspan", "1")).strip() != "1":
            return False
        if holds(cell, _NOT_IN_CELLS):
            return False
        if any("|" in c.get_text() or "`" in c.get_text() for c in tags(cell, ("code",))):
            return False
    return True


def raw_html(el: Tag) -> str:
    """``el`` serialised on lines with no blank one (newlines in ``<pre>`` as ``&#10;``)."""
    mark = "\u0000NL\u0000"
    for node in list(el.find_all(string=True)):
        if isinstance(node, HtmlComment):
            node.extract()
            continue
        text = str(node)
        if "\n" not in text and "\r" not in text:
            continue
        if within(node, ("pre", "textarea")) is not None or el.name == "pre":
            node.replace_with(NavigableString(text.replace("\r\n", "\n").replace("\n", mark)))
        else:
            node.replace_with(NavigableString(re.sub(r"\s*[\r\n]\s*", " ", text)))
    html = el.decode()
    return re.sub(r"\s*[\r\n]\s*", " ", html).replace(mark, "&#10;")


class _Converter(MarkdownConverter):
    """markdownify writing what goldmark and kramdown render alike (see the module doc)."""

    def process_tag(self, node: Any, parent_tags: set[str] | None = None) -> str:
        if isinstance(node, Tag) and node.name and _is_raw_block(node):
            if node.has_attr(RAW_MARK):
                del node[RAW_MARK]
            html = raw_html(node)
            if node.name not in HTML_BLOCK_START:
                html = f"<div>{html}</div>"
            return f"\n\n{html}\n\n"
        if isinstance(node, Tag) and node.name in RAW_INLINE:
            html = raw_html(node)
            return f"\n\n{html}\n\n" if node.name in RAW_OWN_LINE else html
        return super().process_tag(node, parent_tags)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text)

    def _mark(self, el: Tag, text: str, parent_tags: set[str], mark: str, tag: str) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, inner = _chomp(text)
        if not inner:
            return text
        if inner[0].isalnum() and inner[-1].isalnum() and "\n" not in inner:
            return f"{prefix}{mark}{inner}{mark}{suffix}"
        return f"{prefix}<{tag}>{inner}</{tag}>{suffix}"

    def convert_em(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._mark(el, text, parent_tags, "*", "em")

    def convert_strong(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._mark(el, text, parent_tags, "**", "strong")

    def convert_del(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._mark(el, text, parent_tags, "~~", "del")

    convert_i = convert_em
    convert_b = convert_strong
    convert_s = convert_del
    convert_strike = convert_del

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags or not text.strip():
            return text
        return f"<{el.name}>{text}</{el.name}>"

    convert_sub = convert_sup

    def convert_center(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self.convert_p(el, text, parent_tags)  # a block, as browsers show it

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return "\n"
        return "<br />" if "_inline" in parent_tags else "<br />\n"

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = _chomp(text)
        href = str(el.get("href") or "").strip()
        if not href:
            return prefix + text + suffix
        if text.startswith("^"):  # kramdown reads "[^" as a footnote
            text = "&#94;" + text[1:]
        return f"{prefix}[{text}]({markdown_url(href)}{_title_part(el.get('title'))}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "").strip()
        if not src:
            return ""
        alt = escape_text(re.sub(r"\s+", " ", str(el.get("alt") or "")).strip())
        if alt.startswith("^"):
            alt = "&#94;" + alt[1:]
        return f"![{alt}]({markdown_url(src)}{_title_part(el.get('title'))})"

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags and within(el, ("pre",)) is not None:
            return text
        near = [el.previous_sibling, el.next_sibling]
        if "|" in text or any(getattr(n, "name", None) == "code" for n in near):
            # kramdown splits a line at a "|" even in a code span, and reads two code spans
            # side by side as one: HTML then, its text as entities (goldmark decodes them,
            # kramdown passes them on, and neither reads them as syntax)
            return (
                "<code>" + _CODE_ENTITIES.sub(lambda m: f"&#{ord(m.group(0))};", text) + "</code>"
            )
        return super().convert_code(el, text, parent_tags)

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if not text.strip("\n"):
            return ""
        code = text.strip("\n")
        longest = max((len(r) for r in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"\n\n{fence}{code_language(el)}\n{code}\n{fence}\n\n"

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        cell = re.sub(r"(?<!\\)\|", r"\|", text.strip().replace("\n", " "))
        return " " + cell + " |"

    convert_th = convert_td


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


# kramdown wraps a math script's TeX as ``% <![CDATA[ ... %]]>`` (``%`` starts a TeX comment)
_CDATA_WRAPPED = re.compile(r"^\s*(?:%[ \t]*)?<!\[CDATA\[(.*?)(?:%[ \t]*)?\]\]>\s*$", re.S)


def math_as_text(soup: BeautifulSoup) -> None:
    """MathJax ``<script type="math/tex">`` and KaTeX markup become their TeX, delimited.

    A CDATA wrapper around a script's TeX (with the ``%`` comment markers around it) goes.
    """
    for script in soup.find_all("script", type=re.compile(r"^math/tex", re.IGNORECASE)):
        display = "mode=display" in str(script.get("type", ""))
        tex = script.get_text()
        if wrapped := _CDATA_WRAPPED.match(tex):
            tex = wrapped.group(1).strip()
        script.replace_with(NavigableString(f"$${tex}$$" if display else f"\\({tex}\\)"))
    for ann in soup.find_all("annotation", encoding="application/x-tex"):
        holder = ann.find_parent(class_=re.compile(r"^katex$")) or ann.find_parent("math")
        if holder is not None:
            display = bool(holder.find_parent(class_="katex-display"))
            tex = ann.get_text()
            holder.replace_with(NavigableString(f"$${tex}$$" if display else f"\\({tex}\\)"))


def _protect_footnotes(soup: BeautifulSoup, keep: dict[str, str], nonce: str) -> list[Tag]:
    """Turn footnote references into ``[^n]`` and return the footnote bodies, in order."""
    notes: list[Tag] = []
    numbers: dict[str, int] = {}
    for a in soup.find_all("a", href=re.compile(r"^#.")):
        target_id = a["href"][1:]
        target = soup.find(id=target_id) or soup.find("a", attrs={"name": target_id})
        if target is None:
            continue
        item = target if target.name == "li" else within(target, ("li",))
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
    lst = within(li, ("ol", "ul"))
    if lst is None:
        return False
    marks = " ".join(
        str(v)
        for el in (li, lst, lst.parent)
        if isinstance(el, Tag)
        for v in (el.get("id", ""), " ".join(el.get("class") or []))
    ).lower()
    return bool(re.search(r"foot|fn|note|endnote", marks))


def _tag_names(soup: BeautifulSoup) -> set[str]:
    """The tag names in the tree, plus ``#id`` when an archive's chrome id is there and
    ``@srcset`` when an element has a srcset: what :func:`_prepare` may skip without."""
    names: set[str] = set()
    for tag in (n for n in soup.descendants if isinstance(n, Tag)):
        names.add(tag.name)
        if tag.get("id") in INJECTED_IDS:
            names.add("#id")
        if "srcset" in tag.attrs:
            names.add("@srcset")
    return names


def _all(soup: BeautifulSoup, names: set[str], wanted: str | Any, **attrs: Any) -> list[Tag]:
    """``soup.find_all(wanted, **attrs)``, or nothing without a search when none of
    ``wanted`` is in ``names``."""
    wanted = (wanted,) if isinstance(wanted, str) else wanted
    if not any(t in names for t in wanted):
        return []
    return soup.find_all(wanted, **attrs) if attrs else tags(soup, wanted)


def _prepare(
    soup: BeautifulSoup,
    base_url: str,
    image_url: ImageUrl | None = None,
    names: set[str] | None = None,
) -> None:
    """Clean the tree in place: chrome, scripts, lazy images, code tables, URLs.

    ``names``: the tag names the tree holds (see :func:`_tag_names`); a pass whose tags are
    absent is skipped (each bs4 search walks the whole tree).
    """
    if names is None:
        names = _tag_names(soup)
    if "#id" in names:
        for el in soup.select(ARCHIVE_CHROME):
            el.decompose()
    for script in _all(soup, names, "script", src=re.compile(r"gist\.github\.com/.+\.js")):
        url = absolute(re.sub(r"\.js(\?.*)?$", "", script["src"]), base_url)
        p = soup.new_tag("p")
        a = soup.new_tag("a", href=url)
        a.string = "Gist: " + url.rsplit("/", 1)[-1]
        p.append(a)
        script.replace_with(p)
        names.update(("p", "a"))
    for noscript in _all(soup, names, "noscript"):
        img = noscript.find("img", src=True)
        prev = noscript.find_previous_sibling()
        if img is not None and prev is not None and prev.name == "img":
            prev.decompose()
            noscript.unwrap()
    for el in _all(soup, names, DROP_TAGS):
        el.decompose()
    for comment in [n for n in soup.descendants if isinstance(n, HtmlComment)]:
        comment.extract()
    for table in _all(soup, names, "table"):
        code = table.find("td", class_=re.compile(r"^(code|highlight)$"))
        if code is not None and code.find("pre") is not None:
            table.replace_with(code.find("pre"))
    for pre in _all(soup, names, "pre"):
        for br in pre.find_all("br"):
            br.replace_with("\n")
        for num in pre.find_all(class_=re.compile(r"^(lineno|linenos|line-number|ln)$")):
            num.decompose()
    for el in _all(soup, names, INLINE_WRAPPERS):
        if holds(el, BLOCKS):  # a block inside an inline element: unwrap it
            el.unwrap()
    for a in _all(soup, names, "a"):
        if holds(a, BLOCKS) and within(a, ("a",)) is None:
            _raw_line(soup, a)
    for br in _all(soup, names, "br"):
        if _starts_block(br):  # nothing to break: goldmark would start an HTML block
            for near in (br.previous_sibling, br.next_sibling):
                if isinstance(near, NavigableString) and not near.strip():
                    near.extract()
            br.decompose()
    for li in _all(soup, names, "li"):
        if li.parent is not None and li.parent.name not in ("ul", "ol"):  # a stray item
            if li.previous_sibling is not None and getattr(li.previous_sibling, "name", "") == "ul":
                li.previous_sibling.append(li.extract())
            else:
                li.wrap(soup.new_tag("ul"))
    for img in _all(soup, names, "img"):
        src = str(img.get("src") or "")
        lazy = next((img[a] for a in LAZY_SRC if img.get(a)), None)
        if lazy and (not src or src.startswith("data:") or "blank" in src or "lazy" in src):
            img["src"] = lazy
        if not img.get("src"):
            img.decompose()
    for name, attr in URL_ATTRS.items():
        for el in _all(soup, names, name):
            value = str(el.get(attr) or "").strip()
            if not value or value.startswith(("#", "data:", "mailto:", "tel:")):
                continue
            if value.lower().startswith(("javascript:", "vbscript:")):
                if name in RAW_INLINE:
                    el.decompose()
                else:
                    del el[attr]
                continue
            el[attr] = absolute(value, base_url)
    if "@srcset" in names:
        for el in soup.find_all(srcset=True):
            del el["srcset"]
    if image_url is not None:
        for img in _all(soup, names, "img", src=True):
            img["src"] = image_url(str(img["src"]))


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


def to_markdown(html: str, base_url: str, *, image_url: ImageUrl | None = None) -> str:
    """Markdown for a post body; URLs resolved against ``base_url`` (the post's site URL).

    ``image_url`` maps each (absolute) image URL to the address the Markdown should use
    (a local copy, say). Returns "" for an empty body, else the Markdown ending with one
    newline. Without ``image_url`` the answer is remembered: every static format converts
    the same comments.
    """
    if not html or not html.strip():
        return ""
    if image_url is None:
        return _remembered(html, base_url)
    return _to_markdown(html, base_url, image_url)


@functools.lru_cache(maxsize=512)
def _remembered(html: str, base_url: str) -> str:
    return _to_markdown(html, base_url, None)


def _to_markdown(html: str, base_url: str, image_url: ImageUrl | None) -> str:
    base_url = original_url(base_url or "")
    soup = _soup(html)
    keep: dict[str, str] = {}
    nonce = secrets.token_hex(3).upper()
    names = _tag_names(soup)
    if "script" in names or "annotation" in names:
        math_as_text(soup)
    _prepare(soup, base_url, image_url, names)
    notes = _protect_footnotes(soup, keep, nonce) if "a" in names else []
    bodies: list[str] = []
    for note in notes:
        note.extract()
        for back in note.find_all("a", href=re.compile(r"^#")):
            back.decompose()
        for back in note.find_all(class_=_BACKREF):
            back.decompose()
        bodies.append(_convert(note.decode_contents()))
    for holder in tags(soup, ("ol", "ul", "div", "section", "hr")):
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


# one converter for every body: it keeps no state but its options and method lookups
_CONVERTER = _Converter(
    heading_style=ATX,
    bullets="-",
    newline_style=BACKSLASH,
    wrap=True,
    wrap_width=None,
    table_infer_header=True,
    escape_asterisks=False,
    escape_underscores=False,
)


def _convert(html: BeautifulSoup | str) -> str:
    soup = html if isinstance(html, BeautifulSoup) else _soup(html)
    return _CONVERTER.convert_soup(soup).strip()


# -- slugs and titles ------------------------------------------------------------------------

_RESERVED_SLUGS = re.compile(
    r"^(index|_index|con|prn|aux|nul|com[\d¹²³]|lpt[\d¹²³]|feed|page|tags|categories|posts)$"
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
    safe = sanitized(post)  # every output reads the sanitised body and comments
    markdown = post.content_markdown
    if not markdown and safe.content_html:
        markdown = to_markdown(safe.content_html, base)
    slug = safe_slug(post.slug) or safe_slug(slug_of(base)) if base else safe_slug(post.slug)
    if not slug or slug == "post":
        slug = safe_slug(post.title or "") or slug or "post"
    return dataclasses.replace(
        safe,
        title=clean_title(post.title),
        content_markdown=markdown,
        slug=slug,
    )
