"""Hugo's ``content/posts/<slug>.md``: YAML front matter, then the post's Markdown.

The body is :func:`recover.normalize.markdown.to_markdown`'s (raw HTML where Markdown cannot
say it: Hugo needs ``markup.goldmark.renderer.unsafe``). Text that Hugo would take for a
shortcode (``{{< x >}}``, ``{{% x %}}``) is written in Hugo's own escaped form
(``{{</* x */>}}``) so it shows as typed. Old paths become ``aliases``; dates come from
:mod:`recover.export.dates`, so none is impossible.
"""

from __future__ import annotations

import re
from typing import Any

from recover.export.frontmatter import dump_yaml, old_paths, recovery_fields, terms
from recover.export.prepare import Prepared

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
    """The old site paths as Hugo aliases (not "/", queries, nor the new path; none too
    long for a file name: see ``frontmatter._usable_path``)."""
    return [path for path in old_paths(p) if path.strip("/") != f"{SECTION}/{p.slug}"]


def front_matter(p: Prepared) -> dict[str, Any]:
    """The YAML front matter fields of one post."""
    fm: dict[str, Any] = {
        "title": p.title,
        "date": p.date.when.isoformat(),
        "lastmod": p.updated.isoformat(),
        "slug": p.slug,
    }
    fm.update(terms(p))
    fm["aliases"] = aliases_for(p)
    fm["draft"] = False
    fm.update(recovery_fields(p))
    return fm


def render_markdown_file(p: Prepared) -> str:
    """One ``<slug>.md`` file: front matter, then the Markdown body."""
    return f"---\n{dump_yaml(front_matter(p))}---\n\n{hugo_safe(p.markdown).strip()}\n"
