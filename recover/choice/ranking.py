"""Which capture of a post to try first: the newest good one in the window."""

from __future__ import annotations

from collections.abc import Iterable

from recover.choice.capture import Capture

HTML_TYPES = ("text/html", "application/xhtml", "unk", "warc/revisit", "text/plain", "")


def in_window(cap: Capture, since: str | None, until: str | None) -> bool:
    """True when the capture falls in ``[since, until]`` (14-digit prefixes, inclusive)."""
    if since and cap.timestamp < since.ljust(14, "0"):
        return False
    if until and cap.timestamp > until.ljust(14, "9"):
        return False
    return True


def is_page(cap: Capture) -> bool:
    """An HTML-ish capture (or a revisit of one)."""
    mime = cap.mimetype.split(";")[0].strip().lower()
    return any(mime.startswith(t) for t in HTML_TYPES if t) or mime == ""


def ranked(
    captures: Iterable[Capture],
    since: str | None = None,
    until: str | None = None,
    *,
    pages: bool = True,
) -> list[Capture]:
    """Captures worth fetching, best first.

    Status 200 (and revisits) newest first, then redirects newest first; HTTP errors are
    never fetched.  Of captures sharing a content digest only the newest is kept: the
    same bytes are good or bad together.  ``pages=False`` keeps any media type (feeds,
    sitemaps, JSON).
    """
    pool = [c for c in captures if in_window(c, since, until) and (not pages or is_page(c))]
    good = [c for c in pool if c.status in (200, None)]
    moved = [c for c in pool if c.status in (301, 302, 303, 307, 308)]
    out: list[Capture] = []
    seen: set[str] = set()
    for group in (good, moved):
        for cap in sorted(group, key=lambda c: c.timestamp, reverse=True):
            key = cap.digest or cap.timestamp + cap.original
            if cap.status in (200, None) and key in seen:
                continue
            seen.add(key)
            out.append(cap)
    return out
