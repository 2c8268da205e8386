"""Comments for static sites, Staticman-style: one YAML data file a comment.

Hugo reads ``data/comments/<key>/<n>.yml``, Jekyll ``_data/comments/<key>/<n>.yml``, ``<n>``
numbering the post's comments oldest first (``0001``...: both read a folder in name order);
each holds ``id`` (the comment's own id, or ``c<n>``), ``parent`` (the id it replies to, or
""), ``author``, ``author_url``, ``date``, ``type`` (comment, pingback, trackback), ``body``
(Markdown, rendered by the template's ``markdownify``) and ``body_html``. ``<key>`` is the
post's ``comments_key`` front matter field: the slug when it is plain ASCII (Jekyll drops
other characters from data file names), else ``post-`` and a hash of it.
"""

from __future__ import annotations

from recover.export.dates import EPOCH_FALLBACK, parse_iso
from recover.export.frontmatter import data_key, dump_yaml
from recover.export.prepare import Prepared, strip_illegal
from recover.normalize.markdown import to_markdown


def comment_files(p: Prepared) -> dict[str, str]:
    """``{"<key>/<n>.yml": yaml}`` for the post's comments (empty without comments); made
    once a post, however many static outputs read it."""
    if p.comment_files is not None:
        return p.comment_files
    files: dict[str, str] = {}
    key = data_key(p.slug)
    order = sorted(
        p.post.comments,
        key=lambda c: (parse_iso(c.published) is None, parse_iso(c.published) or EPOCH_FALLBACK),
    )
    for n, c in enumerate(order, 1):
        data = {
            "id": strip_illegal(str(c.id)) if c.id else f"c{n}",
            "parent": strip_illegal(str(c.parent)) if c.parent else "",
            "author": strip_illegal(c.author or ""),
            "author_url": strip_illegal(c.author_url or ""),
            "date": strip_illegal(c.published or ""),
            "type": str(getattr(c, "type", None) or "comment"),
            "body": strip_illegal(to_markdown(c.content_html, p.site_url)),
            "body_html": strip_illegal(c.content_html),
        }
        files[f"{key}/{n:04d}.yml"] = dump_yaml(data)
    p.comment_files = files
    return files
