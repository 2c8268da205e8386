"""YAML for front matter and data files, written by PyYAML with every string double-quoted.

Hugo (YAML 1.2) and Jekyll (YAML 1.1) disagree on bare scalars (``000018``, ``08``, ``no``,
``1e3``); a quoted string is a string to both, so ``slug: "000018"`` stays a string.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import unquote

import yaml

from recover.export.prepare import Prepared, strip_illegal
from recover.urls import path_of

_BASE = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when there


class QuotingDumper(_BASE):  # type: ignore[misc,valid-type]
    """A safe dumper that writes every string in double quotes."""


def _mapping(dumper: QuotingDumper, data: dict[Any, Any]) -> yaml.MappingNode:
    """A block mapping whose keys (our own field names) stay plain."""
    pairs = [
        (
            dumper.represent_scalar("tag:yaml.org,2002:str", k)
            if isinstance(k, str)
            else dumper.represent_data(k),
            dumper.represent_data(v),
        )
        for k, v in data.items()
    ]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


QuotingDumper.add_representer(
    str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"')
)
QuotingDumper.add_representer(dict, _mapping)


def dump_yaml(data: dict[str, Any]) -> str:
    """``data`` as block YAML, keys in order, strings double-quoted, Unicode kept."""
    return yaml.dump(
        data,
        Dumper=QuotingDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )


def _usable_path(url: str) -> str:
    """``url``'s path when a site generator can serve it: no query, fragment, root or
    ``..``, and no segment longer than a file name may be (255 bytes: Hugo writes each
    alias as a folder, and one too long fails the whole build)."""
    path = unquote(path_of(url)) if url else ""
    if not path or "?" in path or "#" in path or path.strip("/") == "" or ".." in path:
        return ""
    if any(len(seg.encode("utf-8")) > 255 for seg in path.split("/")):
        return ""
    return path if path.startswith("/") else "/" + path


def old_paths(p: Prepared) -> list[str]:
    """The post's paths on the old site: its own first, then the other addresses its pages
    were captured at (no queries). A feed's, a listing's or a sitemap's address is not the
    post's: as an alias it would put a redirect over the feed (``/feed.xml``)."""
    paths: list[str] = []
    pages = [s.original for s in p.post.sources if s.original and s.kind in ("page", "html")]
    for url in [p.site_url, *pages]:
        path = _usable_path(url)
        if path and path not in paths:
            paths.append(path)
    return paths


_PLAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,150}$")


def data_key(slug: str) -> str:
    """The folder name of a post's comments, safe for Hugo and Jekyll data trees (Jekyll
    drops other characters than ASCII letters, digits and ``-`` from data file names)."""
    if _PLAIN.match(slug):
        return slug
    return "post-" + hashlib.sha1(slug.encode("utf-8")).hexdigest()[:12]


def terms(p: Prepared) -> dict[str, Any]:
    """``author`` (when known), ``categories`` and ``tags``: the same in every format."""
    fm: dict[str, Any] = {}
    if p.post.author:
        fm["author"] = strip_illegal(p.post.author)
    fm["categories"] = [strip_illegal(c) for c in p.post.categories if c.strip()]
    fm["tags"] = [strip_illegal(t) for t in p.post.tags if t.strip()]
    return fm


def recovery_fields(p: Prepared) -> dict[str, Any]:
    """``render_with_liquid: false`` and what the recovery knows: the comments' data key,
    an estimated date's basis, the capture the body came from, ``partial``."""
    fm: dict[str, Any] = {"render_with_liquid": False}
    if p.post.comments:
        fm["comments_key"] = data_key(p.slug)
    if p.date.estimated:
        fm["date_estimated"] = p.date.basis
    if p.post.source is not None and p.post.source.capture_url:
        fm["source"] = p.post.source.capture_url
    if p.post.partial:
        fm["partial"] = True
    return fm
