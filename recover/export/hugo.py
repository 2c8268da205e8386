"""Markdown files with YAML front matter, for Hugo (and Jekyll, Eleventy, Astro...).

The body is Markdown only (no raw HTML for Hugo to drop). Text that Hugo would take for a
shortcode (``{{< x >}}``, ``{{% x %}}``) is written in Hugo's own escaped form
(``{{</* x */>}}``) so it shows as typed; ``render_with_liquid: false`` keeps Jekyll off
``{{ }}``. Dates come from :mod:`recover.export.dates`, so none is impossible.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import yaml

from recover.export.prepare import Prepared, strip_illegal
from recover.urls import path_of

SECTION = "posts"
_SHORTCODE = re.compile(r"\{\{([<%])(?!/\*)((?:(?!\{\{|\*/).){0,500}?)([>%])\}\}", re.DOTALL)
_OPENER = re.compile(r"\{\{(?=[<%])(?![<%]/\*)")


def hugo_safe(markdown: str) -> str:
    """``markdown`` with every Hugo shortcode delimiter escaped so it renders literally."""

    def esc(m: re.Match[str]) -> str:
        opener, inner, closer = m.group(1), m.group(2), m.group(3)
        if (opener == "<") != (closer == ">"):
            return m.group(0)
        return "{{" + opener + "/*" + inner + "*/" + closer + "}}"

    text = _SHORTCODE.sub(esc, markdown)
    return _OPENER.sub("{{\u200b", text)


def aliases_for(p: Prepared) -> list[str]:
    """The old site path as a Hugo alias (skipped for "/", queries, and the new path)."""
    path = unquote(path_of(p.site_url)) if p.site_url else ""
    if not path or "?" in path or path.strip("/") == "" or ".." in path:
        return []
    if path.strip("/") == f"{SECTION}/{p.slug}":
        return []
    return [path]


def front_matter(p: Prepared) -> dict[str, Any]:
    """The YAML front matter fields of one post."""
    fm: dict[str, Any] = {
        "title": p.title,
        "date": p.date.when.isoformat(),
        "lastmod": p.updated.isoformat(),
        "slug": p.slug,
    }
    if p.post.author:
        fm["author"] = strip_illegal(p.post.author)
    fm["categories"] = [strip_illegal(c) for c in p.post.categories if c.strip()]
    fm["tags"] = [strip_illegal(t) for t in p.post.tags if t.strip()]
    fm["aliases"] = aliases_for(p)
    fm["draft"] = False
    fm["render_with_liquid"] = False
    if p.date.estimated:
        fm["date_estimated"] = p.date.basis
    if p.post.source is not None and p.post.source.capture_url:
        fm["source"] = p.post.source.capture_url
    if p.post.partial:
        fm["partial"] = True
    return fm


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when there


def render_markdown_file(p: Prepared) -> str:
    """One ``<slug>.md`` file: front matter, then the Markdown body."""
    head = yaml.dump(
        front_matter(p),
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )
    return f"---\n{head}---\n\n{hugo_safe(p.markdown).strip()}\n"
