"""Asking archives about files no listing of the site holds (other hosts: CDNs, Flickr,
``*.bp.blogspot.com``, an older domain).

One lookup per file at most, fewer where the archive allows: files sharing a host and
folder are asked together with one CDX prefix query; a file alone in its folder with an
exact-URL query. Without a CDX archive, a Memento TimeMap per file.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

from recover.discovery import cdx, memento
from recover.media.variants import originals

_SIZE_FOLDER = re.compile(r"/(s\d{2,4}(-[a-z0-9-]*)?|w\d{2,4}-h\d{2,4}(-[a-z0-9-]*)?)/$", re.I)


def _bare(url: str) -> str:
    """``host/path`` without scheme and ``www.``."""
    rest = url.split("://", 1)[-1]
    return rest[4:] if rest.lower().startswith("www.") else rest


def _family(url: str) -> tuple[str, str]:
    """(host, folder) shared by a file and its resized copies (Blogger keeps each size in a
    sibling folder: ``.../s320/x.jpg`` and ``.../s1600/x.jpg`` share ``...``)."""
    root = (originals(url) or [url])[0]
    parts = urlsplit(root)
    host = (parts.hostname or "").lower().removeprefix("www.")
    folder = parts.path.rsplit("/", 1)[0]
    if _SIZE_FOLDER.search(folder + "/"):
        folder = _SIZE_FOLDER.sub("/", folder + "/").rstrip("/")
    return host, folder + "/"


def cdx_lookups(archive: str, urls: list[str], limit: int = 5000) -> list[str]:
    """CDX query URLs covering ``urls``: one prefix query per host folder that several of them
    (or a file and its resized copies) share, else one exact query per URL."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for url in urls:
        groups[_family(url)].append(url)
    out = []
    queries: list[list[tuple[str, str]]] = []
    for _key, family in sorted(groups.items()):
        by_host: dict[str, list[str]] = defaultdict(list)  # a proxy's copies apart
        for url in family:
            by_host[_bare(url).split("/", 1)[0].lower()].append(url)
        for host, members in sorted(by_host.items()):
            common = os.path.commonprefix([_bare(u) for u in members]).rsplit("/", 1)[0]
            if len(members) > 1 and len(common) > len(host):
                queries.append([("url", common + "/"), ("matchType", "prefix")])
            else:
                queries += [[("url", _bare(u))] for u in members]
    for params in queries:
        params += [("output", "json"), ("limit", str(limit))]
        if cdx.is_internet_archive(archive):
            params.append(("fl", ",".join(cdx.FIELDS)))
        out.append(cdx.endpoint(archive) + "?" + urlencode(params))
    return out


def memento_lookups(prefix: str, urls: list[str]) -> list[str]:
    """One TimeMap URL per file."""
    return [memento.timemap_url(prefix, u) for u in urls]
