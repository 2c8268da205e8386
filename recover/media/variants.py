"""Resized copies and their originals: WordPress, Blogger, Photon/``i0.wp.com``, ``?w=``.

:func:`originals` lists, best first, the URLs a resized copy was made from, so the full-size
file is used when the archive holds it and the resized one only when it is all there is.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# WordPress: name-300x200.jpg (also -300x200@2x, -scaled, -e1234567890 edited copies)
_WP_SIZE = re.compile(r"-(\d{2,5}x\d{2,5}(@\dx)?|scaled|e\d{10,13})(?=\.\w{2,5}$)", re.I)
# Blogger/Google: /s320/, /w400-h300/, /s1600-h/, /w640-h480-c/ path segments; =s320 suffixes
_BLOGGER_SEG = re.compile(
    r"/(s\d{2,4}(-[a-z0-9-]*)?|w\d{2,4}-h\d{2,4}(-[a-z0-9-]*)?|h\d{2,4})/", re.I
)
_GOOGLE_SUFFIX = re.compile(r"=(s|w|h)\d{2,4}(-[a-z0-9-]+)*$", re.I)
_RESIZE_PARAMS = {
    "w",
    "h",
    "width",
    "height",
    "resize",
    "fit",
    "crop",
    "quality",
    "zoom",
    "ssl",
    "strip",
}
_PHOTON = re.compile(r"^i\d\.wp\.com$", re.I)
_BLOGGER_HOSTS = re.compile(r"(^|\.)(bp\.blogspot\.com|googleusercontent\.com|blogger\.com)$", re.I)


def _with(parts: object, **changes: str) -> str:
    return urlunsplit(parts._replace(**changes))  # type: ignore[attr-defined]


def originals(url: str) -> list[str]:
    """URLs of the full-size file ``url`` is a resized copy of, best first (none: it is one)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    out: list[str] = []
    host = (parts.hostname or "").lower()
    if _PHOTON.match(host):  # i0.wp.com/example.com/wp-content/x.jpg?resize=300,200
        rest = parts.path.lstrip("/")
        if "/" in rest and "." in rest.split("/", 1)[0]:
            origin = f"{parts.scheme or 'http'}://{rest}"
            out += [*originals(origin), origin]
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in query if k.lower() not in _RESIZE_PARAMS]
    if len(kept) != len(query):
        bare = _with(parts, query=urlencode(kept))
        out += [*originals(bare), bare]
    path = parts.path
    if _WP_SIZE.search(path):
        out.append(_with(parts, path=_WP_SIZE.sub("", path), query=parts.query))
    if _BLOGGER_HOSTS.search(host) or _BLOGGER_SEG.search(path) and "blogspot" in host:
        m = _BLOGGER_SEG.search(path)
        if m and m.group(1).lower() not in ("s1600", "s0"):  # s1600-h: an HTML viewer
            out.append(_with(parts, path=path[: m.start()] + "/s1600/" + path[m.end() :]))
        if _GOOGLE_SUFFIX.search(path):
            out.append(_with(parts, path=_GOOGLE_SUFFIX.sub("=s0", path)))
    seen: list[str] = []
    for u in out:
        if u != url and u not in seen:
            seen.append(u)
    return seen
