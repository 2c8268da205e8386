"""The planner: captures in, the next fetch out, outcomes fed back.

Every rule of which capture to fetch lives here, away from the crawl, so it can be tested
on a list of :class:`Capture` alone:

- grouping: one group per post identity, one per feed or sitemap URL (:func:`group_key`);
- feeds: up to :data:`FEED_CAPTURES` distinct captures of each feed URL; one post's comment
  feed after the posts, and only its captures newer than a page of the post that showed
  comments (comments only accumulate: an older feed holds none that page lacks);
- index pages: the newest capture of every listing, shallow before deep, then older ones
  while known posts lack a good capture of their own (:meth:`Planner.indexes`);
- posts: ranked newest first (:mod:`recover.choice.ranking`), captures whose bytes are
  served under many posts' URLs (a dying host's error page) last, a post's own URL before
  its other views (AMP, print, comment pages), each page of a post split in pages on its
  own; each capture tried once a run; an error page, a failed fetch or a page that is not
  the post passes to the next older capture (:meth:`Planner.passed`);
- redirects: followed inside the archive that holds them, to the site's own hosts only,
  never onto the live web; a redirect to another post with captures of its own makes this
  URL that post's alias.  An address every capture of which is a redirect is held back
  until the posts are read (``posts(redirects=False)``): one a page names as a post's short
  link (WordPress's ``?p=N``) is that post's alias without a fetch (:meth:`Planner.shortlink`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from recover.choice.capture import Capture
from recover.choice.ranking import in_window, ranked
from recover.urls import (
    absolute,
    canonical,
    capture_timestamp,
    date_from_url,
    host_of,
    is_post_comment_feed,
    is_posts_url,
    is_variant,
    kind_of,
    page_number,
)

FEED_CAPTURES = 40  # distinct captures read per feed URL at most
SHARED_DIGEST_POSTS = 3  # the same bytes under this many posts' URLs: a host's error page
MAX_HOPS = 5  # redirects followed from one capture
REDIRECTS = (301, 302, 303, 307, 308)


def group_kind(url: str) -> str:
    """What a URL's group holds: feeds and sitemaps by their own shape, else the identity's."""
    if is_posts_url(url):
        return "feed"
    kind = kind_of(url)
    if kind in ("feed", "sitemap", "asset", "skip"):
        return kind
    return kind_of(canonical(url))


def group_key(url: str) -> str:
    """Captures of one post share a key; each feed URL (page, paging) is a group of its own."""
    if group_kind(url) in ("feed", "sitemap"):
        return "feed:" + url.split("://", 1)[-1]
    return canonical(url)


def split_pages(queue: list[Capture]) -> list[list[Capture]]:
    """A post's captures, one queue per page of a post split in pages (order kept)."""
    pages: dict[int, list[Capture]] = defaultdict(list)
    for cap in queue:
        pages[page_number(cap.original)].append(cap)
    return [pages[n] for n in sorted(pages)]


@dataclass(frozen=True)
class Fetch:
    """One capture to fetch, for one group, for one purpose (``post``, ``feed``, ``index``)."""

    capture: Capture
    key: str
    purpose: str = "post"
    hops: int = 0  # redirects followed to get here
    part: int = 1  # which page of a post split in pages


@dataclass(frozen=True)
class Redirect:
    """What to do with a redirect capture: ``hop`` (fetch ``fetch``), ``alias`` (this URL
    is ``target``'s old address), or ``pass`` (try the next older capture)."""

    action: str
    fetch: Fetch | None = None
    target: str = ""
    reason: str = ""


@dataclass
class PostPlan:
    """The posts phase: first fetches, and what the run learns on the way."""

    fetches: list[Fetch] = field(default_factory=list)
    known: list[str] = field(default_factory=list)  # post URLs the captures prove exist
    resumed: int = 0  # posts an earlier run already settled
    exhausted: list[str] = field(default_factory=list)  # posts with no capture left to try


class Planner:
    """Which capture to fetch next, for a site in a capture window."""

    def __init__(
        self,
        site: str,
        since: str | None = None,
        until: str | None = None,
        index_captures: int = 200,
    ) -> None:
        self.site = site
        self.host = host_of(site)
        self.since, self.until = since, until
        self.index_captures = index_captures
        self.groups: dict[str, list[Capture]] = defaultdict(list)
        self.queues: dict[tuple[str, int], list[Capture]] = {}  # (post, page) -> older ones
        self.attempted: set[str] = set()  # replay URLs handed out this run
        self.redirected: set[str] = set()  # groups with a redirect capture
        self.comment_feeds: set[str] = set()  # groups of one post's comment feed
        self.shown: dict[str, str] = {}  # comment feed group -> newest page showing comments

    # captures in ------------------------------------------------------------------------
    def add(self, captures: Iterable[Capture]) -> int:
        """Keep the site's captures inside the window (at real times); how many were kept."""
        n = 0
        for cap in captures:  # the cheap tests first: the time is parsed only for the site's
            if (
                host_of(cap.original) == self.host
                and in_window(cap, self.since, self.until)
                and cap.plausible
            ):
                key = group_key(cap.original)
                self.groups[key].append(cap)
                if cap.status in REDIRECTS:
                    self.redirected.add(key)
                if key.startswith("feed:") and is_post_comment_feed(cap.original):
                    self.comment_feeds.add(key)
                n += 1
        return n

    def _fresh(self, caps: Iterable[Capture], tried: Iterable[str] | set[str]) -> list[Capture]:
        return [c for c in caps if c.replay_url not in tried and c.replay_url not in self.attempted]

    def _hand_out(self, fetch: Fetch) -> Fetch:
        self.attempted.add(fetch.capture.replay_url)
        return fetch

    # next fetches out ---------------------------------------------------------------------
    def feeds(
        self, tried: set[str] | dict[str, str], *, comments: bool | None = None
    ) -> list[Fetch]:
        """Captures of feeds, comment feeds, sitemaps and REST JSON, newest first.

        ``comments``: only one post's comment feeds (True), or all but those (False); a
        comment feed's captures no newer than a page of its post that showed the comments
        (:meth:`showed_comments`) are not needed.
        """
        out = []
        for key, caps in sorted(self.groups.items()):
            if not key.startswith("feed:"):
                continue
            if comments is not None and (key in self.comment_feeds) != comments:
                continue
            seen = self.shown.get(key, "")
            fresh = [
                c
                for c in self._fresh(ranked(caps, pages=False), tried)
                if c.status in (200, None) and c.timestamp > seen
            ]
            out += [self._hand_out(Fetch(c, key, "feed")) for c in fresh[:FEED_CAPTURES]]
        return out

    def indexes(
        self,
        tried: set[str] | dict[str, str],
        known: Iterable[str] = (),
        recorded: Iterable[str] = (),
        *,
        older: bool = True,
    ) -> list[Fetch]:
        """Listing pages: the newest capture of every home, paging, term and date listing,
        then older captures (they list older posts) while known posts have no good capture
        of their own nor any record yet: two more for each such post, ``index_captures`` at
        most.

        ``known``: keys of posts known from elsewhere (feeds, sitemaps, other listings);
        ``recorded``: keys of posts a record is kept of already (a feed's entry, an excerpt
        of a listing read before): an older listing's excerpt would add nothing to those.
        ``older=False``: the newest captures alone.  Asked again once they are read, the
        older ones come budgeted by the posts those left without a record (what was handed
        out is not handed out again).  A missing post dated by its URL gets the first two
        captures of the home page taken after that date (it was on top of the page then);
        the others the second newest capture of each listing, then the third, and so on.
        """
        home = canonical(self.site)
        newest: list[tuple[int, str, Capture]] = []
        rest: list[tuple[int, str, Capture]] = []
        homes: list[Capture] = []  # the home page's older good captures, oldest first
        for key, caps in self.groups.items():
            if key.startswith("feed:") or group_kind(caps[0].original) != "index":
                continue
            good = [c for c in ranked(caps) if c.status in (200, None)]
            depth = 0 if key == home else len(urlsplit(key).path.strip("/").split("/"))
            if good:
                newest.append((depth, key, good[0]))
            rest += [(n, key, c) for n, c in enumerate(good[1:], 1) if key == home or depth < 3]
            if key == home:
                homes = sorted(good[1:], key=lambda c: c.timestamp)
        newest.sort(key=lambda t: (t[0], t[1]))
        rest.sort(key=lambda t: (t[0], t[1] != home, t[1]))
        missing = self.missing_posts(known) - set(recorded) if older else set()
        targeted: dict[str, tuple[int, str, Capture]] = {}
        for post in sorted(missing):
            day = (date_from_url(post) or "").replace("-", "")
            after = [c for c in homes if day and c.timestamp[:8] >= day][:2]
            targeted.update((c.replay_url, (0, home, c)) for c in after)
        rest = list(targeted.values()) + [t for t in rest if t[2].replay_url not in targeted]
        budget = min(self.index_captures, len(newest) + 2 * len(missing))
        return [
            self._hand_out(Fetch(cap, key, "index"))
            for _rank, key, cap in (newest + rest)[:budget]
            if cap.replay_url not in tried and cap.replay_url not in self.attempted
        ]

    def missing_posts(self, known: Iterable[str] = ()) -> set[str]:
        """Keys of posts known (from the archive's index, feeds, sitemaps) with no good capture."""
        good = {
            key
            for key, caps in self.groups.items()
            if not key.startswith("feed:") and any(c.status in (200, None) for c in caps)
        }
        posts = {k for k, caps in self.groups.items() if group_kind(caps[0].original) == "post"}
        return (set(known) | posts) - good

    def shared_digests(self) -> set[str]:
        """Digests of pages served under many post URLs: a host's error or parking page.

        A post's own content is its own; the same bytes under three or more posts'
        addresses are what a dying host shows for every URL.  Such captures are tried only
        after the post's other captures, so they rarely cost a fetch.
        """
        urls: dict[str, set[str]] = defaultdict(set)
        for key, caps in self.groups.items():
            if key.startswith("feed:"):
                continue
            for cap in caps:
                if cap.digest and cap.status in (200, None):
                    urls[cap.digest].add(key)
        return {digest for digest, keys in urls.items() if len(keys) >= SHARED_DIGEST_POSTS}

    def posts(
        self,
        settled: set[str],
        tried: set[str] | dict[str, str],
        skip: set[str] | frozenset[str] = frozenset(),
        *,
        redirects: bool = True,
    ) -> PostPlan:
        """Each unsettled post's best capture; the rest wait in its queue.

        ``skip``: groups not to fetch nor count as known (posts deleted on the live site);
        ``redirects=False``: addresses every capture of which is a redirect wait too (the
        posts' pages may name them, see :meth:`shortlink`); they are known all the same.
        """
        plan = PostPlan()
        suspect = self.shared_digests()
        for key, caps in sorted(self.groups.items()):
            kind = group_kind(caps[0].original)
            if kind not in ("post", "page") or key.startswith("feed:") or key in skip:
                continue
            if kind == "post":
                plan.known.append(caps[0].original)
            if key in settled:
                plan.resumed += 1
                continue
            queue = self._fresh(ranked(caps), tried)
            # stable: newest first in each part; a post's own URL before its other views
            queue.sort(key=lambda c: (c.digest in suspect, is_variant(c.original)))
            if not queue:
                if kind == "post":
                    plan.exhausted.append(key)
                continue
            if not redirects and self.moved(key):
                continue
            for part in split_pages(queue):  # a post split in pages: each page's best
                n = page_number(part[0].original)
                self.queues[(key, n)] = part[1:]
                plan.fetches.append(self._hand_out(Fetch(part[0], key, part=n)))
        return plan

    def moved(self, key: str) -> bool:
        """Every capture of the group is a redirect: an old or short address of a post."""
        caps = self.groups.get(key) if key in self.redirected else None
        return bool(caps) and all(c.status in REDIRECTS for c in caps)

    def shortlink(self, address: str, target: str) -> str | None:
        """The key of ``address`` when a page names it ``target``'s short link and the
        archive holds it as redirects only, ``target`` having captures of its own: then
        it is ``target``'s alias with no fetch (what following its redirect would find)."""
        key = group_key(address)
        if host_of(address) != self.host or key == group_key(target) or not self.moved(key):
            return None
        if any(c.status == 200 for c in self.groups.get(group_key(target), [])):
            return key
        return None

    def memento_urls(self, settled: set[str], known: dict[str, tuple[str, list[str]]]) -> list[str]:
        """Post URLs to ask Memento TimeMaps about: every known post not settled yet."""
        wanted = {
            caps[0].original
            for key, caps in self.groups.items()
            if key not in settled and group_kind(caps[0].original) == "post"
        }
        wanted |= {url for key, (url, _) in known.items() if key not in settled}
        return sorted(wanted)

    # outcomes fed back ----------------------------------------------------------------------
    def passed(self, fetch: Fetch) -> Fetch | None:
        """``fetch`` did not give the post: the next older capture to try, if any."""
        queue = self.queues.get((fetch.key, fetch.part)) or []
        while queue:
            cap = queue.pop(0)
            if cap.replay_url not in self.attempted:
                return self._hand_out(Fetch(cap, fetch.key, part=fetch.part))
        self.queues.pop((fetch.key, fetch.part), None)
        return None

    def showed_comments(self, feed_url: str, captured: str) -> None:
        """A page captured at ``captured`` showed its post's comments and names this comment
        feed (``rel="alternate"``): the feed's captures up to then hold no comment it lacks."""
        key = group_key(feed_url)
        if key in self.comment_feeds and captured > self.shown.get(key, ""):
            self.shown[key] = captured

    def settled(self, fetch: Fetch) -> None:
        """``fetch`` gave the post (or its page): older captures of it are not needed."""
        self.queues.pop((fetch.key, fetch.part), None)

    def redirect(self, fetch: Fetch, location: str) -> Redirect:
        """Where a redirect capture leads: inside its archive, never onto the live site."""
        cap = fetch.capture
        location = location.strip()
        target = absolute(location, cap.original) if location else ""
        if not target or fetch.hops + 1 > MAX_HOPS:
            return Redirect("pass", reason=f"redirect to {location or '?'}")
        if host_of(target) != self.host:  # another site's page is never this post
            return Redirect("pass", reason=f"redirect off the site, to {target}")
        own = canonical(target) == canonical(cap.original)
        if not own and any(c.status == 200 for c in self.groups.get(group_key(target), [])):
            # the target has captures of its own and is fetched under its own identity
            return Redirect("alias", target=target)
        if cap.archive.startswith(("warc:", "html:", "cc:")):
            return Redirect("pass", reason=f"redirect to {target}")  # no archive to ask
        # the archive's own hop to its nearest capture of the same URL, or the target as
        # the archive holds it nearest to this capture's time
        when = (capture_timestamp(location) if own else None) or cap.timestamp
        hop = Capture(archive=cap.archive, timestamp=when.ljust(14, "0"), original=target)
        return Redirect("hop", fetch=replace(fetch, capture=hop, hops=fetch.hops + 1))
