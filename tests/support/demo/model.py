"""The demo blog's data: ``Blog`` (truth, per-post metadata, capture plan, traps),
``PostMeta`` and ``Capture``. A leaf module: the generator's other modules import it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timezone

from recover.post import Comment, Post


@dataclass
class Capture:
    """One planned WARC response record."""

    url: str  # the URL as captured
    at: datetime  # capture time (UTC)
    kind: str  # page | home | paging | feed | redirect | image | style
    status: int = 200
    post: int | None = None  # index into Blog.posts
    engine: str = ""
    trap: str = ""
    location: str = ""  # redirects
    page: int = 1  # paging
    encoding: str = "utf-8"
    error: str = ""  # db | 500 | suspended

    @property
    def timestamp(self) -> str:
        """14-digit capture time, as in CDX and replay URLs."""
        return self.at.strftime("%Y%m%d%H%M%S")

    @property
    def good(self) -> bool:
        """A 200 capture of the real page (not an error page or a redirect)."""
        return self.status == 200 and not self.error


@dataclass
class PostMeta:
    """What the renderers need beyond the truth: ids, datetimes, teaser, old URL."""

    index: int
    engine: str
    post_id: int
    published: datetime
    comment_times: list[datetime]
    teaser_html: str | None = None  # the part before the "more" break, if any
    old_url: str = ""  # a former URL (``?p=ID`` or an old Blogger slug)


@dataclass
class Blog:
    """The generated blog: truth, per-post metadata, capture plan and traps."""

    host: str
    title: str
    tagline: str
    tz: timezone
    seed: int
    engines: tuple[str, ...]
    posts: list[Post] = field(default_factory=list)
    meta: list[PostMeta] = field(default_factory=list)
    eras: list[tuple[str, datetime, datetime]] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    traps: dict[str, list[str]] = field(default_factory=dict)  # trap -> post URLs
    recoverable_from: dict[str, str] = field(default_factory=dict)  # post URL -> where
    per_page: int = 10
    feed_items: int = 10
    _by_engine: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _times: dict[str, list[datetime]] = field(default_factory=dict, repr=False)
    _by_url: dict[str, int] = field(default_factory=dict, repr=False)
    _months: dict[str, tuple[list[tuple[int, int]], list[int]]] = field(
        default_factory=dict, repr=False
    )

    # -- lookups ---------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://{self.host}"

    def post(self, url: str) -> Post:
        """The truth for a post URL (its own URL as published)."""
        return self.posts[self._by_url[url]]

    def index_of(self, url: str) -> int:
        return self._by_url[url]

    def trap_posts(self, trap: str) -> list[Post]:
        """The posts carrying one trap (see ``TRAP_SHARES`` and ``Capture.trap``)."""
        return [self.post(u) for u in self.traps.get(trap, [])]

    def traps_of(self, url: str) -> list[str]:
        return [t for t, urls in self.traps.items() if url in urls]

    def captures_of(self, url: str) -> list[Capture]:
        """Every capture planned for one post (pages, redirects, errors), oldest first."""
        i = self._by_url[url]
        return [c for c in self.captures if c.post == i]

    def engine_at(self, at: datetime) -> str:
        """The engine the site ran at a moment."""
        for engine, start, end in self.eras:
            if start <= at < end:
                return engine
        return self.eras[-1][0] if at >= self.eras[-1][1] else self.eras[0][0]

    def latest(self, engine: str, at: datetime, count: int, offset: int = 0) -> list[int]:
        """Indices of the newest ``count`` posts of ``engine`` published by ``at``, skipping
        ``offset`` newer ones."""
        idx = self._by_engine.get(engine, [])
        n = bisect.bisect_right(self._times.get(engine, []), at)
        hi = max(0, n - offset)
        return idx[max(0, hi - count) : hi][::-1]

    def published_count(self, engine: str, at: datetime) -> int:
        return bisect.bisect_right(self._times.get(engine, []), at)

    def neighbours(self, i: int, at: datetime) -> tuple[int | None, int | None]:
        """Previous and next post (same engine) as the page showed them at ``at``."""
        m = self.meta[i]
        idx = self._by_engine[m.engine]
        k = bisect.bisect_left(self._times[m.engine], m.published)
        while idx[k] != i:
            k += 1
        prev = idx[k - 1] if k > 0 else None
        nxt = idx[k + 1] if k + 1 < len(idx) and self.meta[idx[k + 1]].published <= at else None
        return prev, nxt

    def months(self, engine: str, at: datetime) -> list[tuple[int, int, int]]:
        """(year, month, count) of posts of ``engine`` published by ``at``, newest first."""
        n = self.published_count(engine, at)
        keys, starts = self._months.get(engine, ([], []))
        j = bisect.bisect_right(starts, n - 1) if n else 0
        out = [(*keys[k], (starts[k + 1] if k + 1 < j else n) - starts[k]) for k in range(j)]
        return out[::-1]

    def comments_at(self, i: int, at: datetime) -> list[Comment]:
        """The comments a capture at ``at`` shows (older captures show fewer)."""
        times = self.meta[i].comment_times
        return [c for c, t in zip(self.posts[i].comments, times, strict=True) if t <= at]

    def link_of(self, i: int) -> str:
        """The URL index pages link a post with (the old URL for ``redirect_old``)."""
        m = self.meta[i]
        return (
            m.old_url
            if m.old_url and self.posts[i].url in self.traps.get("redirect_old", [])
            else self.posts[i].url
        )
