"""Posts renamed or moved after the archive's fuller records of them were taken.

The site's own links name a post as it is now: a page's menu or sidebar linking to a post
whose page was never captured gives its current address and title (:class:`LinkNames`).

A post whose date was changed after it went out (a static site's front matter corrected,
a WordPress date edited) moves: ``/2014/12/01/slug.html`` becomes ``/2014/12/02/slug.html``
and nothing redirects.  The archive then holds the post under both addresses, each in its
own time: the old one in what was captured before the change (a feed), the new one after
(pages linking to it, a sitemap).  Two addresses that differ only in their date, a few
days apart, whose records were never seen at the same time, are one post; the newer
address is its own and the older one its alias.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import replace
from datetime import date

from recover.post import Post, Source
from recover.urls import date_from_url, last_segment, undated_path

MOVE_DAYS = 3  # the most a post's address date moves by


def date_moves(
    seen: Mapping[str, Iterable[str]], paged: Container[str] = frozenset()
) -> dict[str, str]:
    """old key -> new key, for posts that moved to another date's address.

    ``seen``: each post key with the capture timestamps of its records; ``paged``: the keys
    with a page of their own.  Only a pair of keys alone under their undated address
    qualifies: dates at most :data:`MOVE_DAYS` apart, every record of one older than every
    record of the other, and not both with a page (two pages are two posts: a slug a
    static blog used twice in a week).
    """
    pairs: dict[str, list[tuple[str, date, str, str]]] = defaultdict(list)
    for key, stamps in seen.items():
        undated, day = undated_path(key), date_from_url(key)
        stamps = sorted(s for s in stamps if s)
        if undated is None or day is None or not stamps:
            continue
        pairs[undated].append((key, date.fromisoformat(day), stamps[0], stamps[-1]))
    moves = {}
    for found in pairs.values():
        if len(found) != 2:
            continue
        (a, day_a, first_a, last_a), (b, day_b, first_b, last_b) = sorted(found, key=lambda f: f[2])
        if a in paged and b in paged:
            continue
        if day_a != day_b and abs((day_a - day_b).days) <= MOVE_DAYS and last_a < first_b:
            moves[a] = b
    return moves


class LinkNames:
    """What the site's pages call the posts no capture of their own holds.

    ``wanted`` are those posts' keys; :meth:`note` takes one page's links to them
    (:func:`recover.extract.index.named_links`); :meth:`records` gives a title-only record
    (``partial``) for each post that two or more pages name, under the text most of them
    show (the newest page's among equals), from the newest page naming it.
    """

    def __init__(self, wanted: Iterable[str] = ()) -> None:
        self.wanted = set(wanted)
        self.tails = {last_segment(key) for key in self.wanted}
        self.seen: dict[str, dict[str, list[str]]] = {}  # key -> text -> page capture times
        self.where: dict[str, tuple[str, Source]] = {}  # key -> (URL, the newest page naming it)

    def note(self, links: Mapping[str, tuple[str, str]], source: Source) -> None:
        """One page's links (key -> (URL, text)) to wanted posts; ``source``: the page."""
        for key, (url, text) in links.items():
            self.seen.setdefault(key, {}).setdefault(text, []).append(source.timestamp)
            if key not in self.where or source.timestamp >= self.where[key][1].timestamp:
                self.where[key] = (url, source)

    def records(self) -> list[Post]:
        out = []
        for key, texts in self.seen.items():
            if sum(len(stamps) for stamps in texts.values()) < 2:
                continue  # one page's link: a body's cross-reference as likely as a menu
            text = max(texts, key=lambda t: (len(texts[t]), max(texts[t])))
            url, page = self.where[key]
            source = replace(page, kind="index")
            out.append(Post(url=url, title=text, partial=True, source=source, sources=[source]))
        return out


__all__ = ["MOVE_DAYS", "LinkNames", "date_moves"]
