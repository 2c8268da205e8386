"""Jekyll's ``_posts/YYYY-MM-DD-<slug>.md``: YAML front matter, then the post's Markdown.

Old URLs keep working: ``permalink`` is the post's own old path, ``redirect_from`` its other
known paths (the jekyll-redirect-from plugin). Dates keep their UTC offset, and the file
name's date is the post's own calendar day. ``render_with_liquid: false`` keeps ``{{ }}``
and ``{% %}`` in bodies literal; the Markdown is the same as Hugo's, without Hugo's
shortcode escaping.
"""

from __future__ import annotations

from typing import Any

from recover.export.frontmatter import dump_yaml, old_paths, recovery_fields, terms
from recover.export.prepare import Prepared


def jekyll_filename(p: Prepared) -> str:
    """``YYYY-MM-DD-<slug>.md``, the day as the post's own offset reads it."""
    return f"{p.date.when.strftime('%Y-%m-%d')}-{p.slug}.md"


def jekyll_front_matter(p: Prepared) -> dict[str, Any]:
    """The YAML front matter fields of one Jekyll post."""
    fm: dict[str, Any] = {
        "title": p.title,
        "date": p.date.when.isoformat(),
        "last_modified_at": p.updated.isoformat(),
        "slug": p.slug,
    }
    fm.update(terms(p))
    paths = old_paths(p)
    if paths:
        fm["permalink"] = paths[0]
    if paths[1:]:
        fm["redirect_from"] = paths[1:]
    fm.update(recovery_fields(p))
    return fm


def render_jekyll_file(p: Prepared) -> str:
    """One Jekyll post file: front matter, then the Markdown body."""
    return f"---\n{dump_yaml(jekyll_front_matter(p))}---\n\n{p.markdown.strip()}\n"
