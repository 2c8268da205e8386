"""One post out of every record of it: page captures, feed entries, index excerpts.

Per field the most trusted value wins and the capture it came from is kept in
``provenance``; comments are the union of all captures; ``sources`` lists them all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from recover.normalize.markdown import normalize
from recover.post import Comment, Post
from recover.urls import canonical, date_from_url, page_number, plain

log = logging.getLogger(__name__)

# how far a record's body is trusted: a whole page beats a feed's full text beats a summary
_KIND_RANK = {"page": 3, "html": 3, "feed": 2, "json": 2, "sitemap": 0, "index": 1}
FIELDS = ("title", "published", "updated", "author", "categories", "tags", "content_html")


def _rank(post: Post) -> tuple[int, int, str]:
    kind = post.source.kind if post.source else "page"
    whole = 0 if post.partial else 1
    stamp = post.source.timestamp if post.source else ""
    return (whole, _KIND_RANK.get(kind, 1), stamp)


def _date_trust(post: Post) -> int:
    """The page's own date, then a feed's, then one read from the URL, then the capture's."""
    derived = post.provenance.get("published")
    if derived == "capture":
        return 0
    if derived == "url":
        return 1
    kind = post.source.kind if post.source else "page"
    return 3 if _KIND_RANK.get(kind, 1) >= 3 else 2


def _has_time(iso: str | None) -> bool:
    return bool(iso and re.search(r"T\d{2}:\d{2}", iso) and not iso.endswith("T00:00:00"))


def _comment_key(c: Comment) -> tuple[str, str]:
    text = re.sub(r"\W+", " ", re.sub(r"<[^>]+>", " ", c.content_html or "")).strip().lower()
    return ((c.author or "").strip().lower(), text[:200])


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat((iso or "")[:10])
    except ValueError:
        return None


def _same_comment(a: Comment, b: Comment) -> bool:
    """Same author and text (the key), and the same time.

    Times that differ by whole hours (a page shows local time, a feed UTC) are the same;
    a side without a time matches within a day.
    """
    ta, tb = _instant(a.published), _instant(b.published)
    if ta is None or tb is None:
        da, db = _day(a.published), _day(b.published)
        return da is None or db is None or abs((da - db).days) <= 1
    if ta.tzinfo is not None and tb.tzinfo is not None:
        return ta == tb
    gap = abs((ta.replace(tzinfo=None) - tb.replace(tzinfo=None)).total_seconds())
    return gap % 3600 == 0 and gap <= 14 * 3600


def _instant(iso: str | None) -> datetime | None:
    if not iso or "T" not in iso:
        return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def merge_comments(groups: Sequence[Sequence[Comment]]) -> list[Comment]:
    """The union of several captures' comments, oldest first.

    A comment's identity is author + time + text: within one capture every comment listed is
    its own (two identical comments posted twice both stay); across captures each copy
    matches at most one comment already kept.
    """
    kept: dict[tuple[str, str], list[Comment]] = {}
    ids: set[str] = set()  # a comment's own id: a feed's copy may word it differently
    out: list[Comment] = []
    for comments in groups:
        matched: set[int] = set()  # kept comments this capture has already accounted for
        for c in comments:
            if c.id and c.id in ids:
                continue
            twins = kept.setdefault(_comment_key(c), [])
            twin = next((t for t in twins if id(t) not in matched and _same_comment(c, t)), None)
            if twin is None:
                twins.append(c)
                out.append(c)
                twin = c
                if c.id:
                    ids.add(c.id)
            matched.add(id(twin))
    return sorted(out, key=lambda c: c.published or "")


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html or "").split())


def join_pages(ordered: Sequence[Post]) -> list[Post]:
    """A post split in pages (``/slug/2/``, ``?page=2``) as one record, its pages in order.

    Of the whole-page records (best-ranked first), the best of each page number leads its
    page; the first page's record takes every page's body (a page repeating an earlier
    one's body, as a comment page does, adds nothing) and images, and is ``partial`` when
    a page before the last one is missing.  Other records are kept as they are.
    """
    pages: dict[int, Post] = {}
    for r in ordered:
        kind = r.source.kind if r.source else "page"
        if _KIND_RANK.get(kind, 1) >= 3 and not r.partial:
            pages.setdefault(page_number(r.url), r)
    if len(pages) < 2:
        return list(ordered)
    numbers = sorted(pages)
    lead = Post.from_dict(pages[numbers[0]].to_dict())
    bodies: list[str] = []
    seen: set[str] = set()
    rest: list[Post] = []  # the later pages' comments and captures, as records of their own
    for n in numbers:
        part = pages[n]
        if n != numbers[0]:
            rest.append(
                Post(url=part.url, comments=part.comments, partial=True, source=part.source)
            )
        if _text(part.content_html) in seen or not part.content_html:
            continue
        seen.add(_text(part.content_html))
        bodies.append(part.content_html)
        lead.images += [i for i in part.images if i not in lead.images]
    lead.content_html = "\n".join(bodies)
    lead.partial = numbers != list(range(1, numbers[-1] + 1))
    joined = {id(p) for p in pages.values()}
    return [lead] + [r for r in ordered if id(r) not in joined] + rest


def post_url(ordered: Sequence[Post], current: str | None = None) -> str:
    """The post's URL as the site itself named it.

    Feed, index and JSON entries are the site's own links, so their form wins over the
    URL an archive happened to capture (``https://www.``, no trailing slash, ``?utm_``);
    among equals the form most records share, then the best-ranked record's.  Records
    filed under an old URL (a redirect, a move) have no say when the post's ``current``
    key has records of its own.
    """
    keys = [canonical(r.url) for r in ordered]
    key = current if current in keys else keys[0]
    same = [r for r, k in zip(ordered, keys, strict=True) if k == key]
    listed = [r for r in same if r.source and r.source.kind not in ("page", "html")]
    pool = [plain(r.url) for r in (listed or same)]
    return max(pool, key=lambda u: (pool.count(u), -pool.index(u)))


def _listed_terms(out: Post, ordered: Sequence[Post]) -> None:
    """Add the terms listing pages give the post (a term's own listing names it; many
    themes show terms nowhere else), once each whatever their case."""
    out.categories = list(out.categories)
    have = {t.casefold() for t in out.categories}
    out.tags = [t for t in out.tags if t.casefold() not in have]
    have |= {t.casefold() for t in out.tags}
    for r in ordered:
        if not r.source or r.source.kind != "index":
            continue
        for name in ("categories", "tags"):
            for term in getattr(r, name):
                if term.casefold() not in have:
                    have.add(term.casefold())
                    getattr(out, name).append(term)
                    out.provenance.setdefault(name, r.source.capture_url)


def _stamp(r: Post) -> str:
    return r.source.timestamp if r.source else ""


def _renamed(out: Post, ordered: Sequence[Post], current: str) -> None:
    """A post renamed or moved: what its records at the ``current`` address newer than
    every record at a former one show wins over the former ones: its title (unless only
    shortened, "A long title…"), and the date its address carries where the former
    address carried the former date."""
    here: list[Post] = []
    former: list[Post] = []
    for r in ordered:
        (here if canonical(r.url) == current else former).append(r)
    if not here or not former:
        return
    last = max(_stamp(r) for r in former)
    newer = [r for r in here if _stamp(r) > last]
    titled = next((r for r in newer if r.title), None)  # the best-ranked of them
    if titled and out.title != titled.title and any(r.title == out.title for r in former):
        shortened = re.sub(r"\s*(…|\.\.\.)$", "", titled.title)
        if shortened == titled.title or not (out.title or "").startswith(shortened):
            out.title = titled.title
            out.provenance["title"] = titled.source.capture_url if titled.source else titled.url
    day, was = date_from_url(current), {date_from_url(r.url) for r in former}
    if newer and day and out.published and out.published[:10] in was - {day}:
        out.published = day
        out.provenance["published"] = "url"


def merge(records: Sequence[Post], current: str | None = None) -> Post:
    """Merge every record of one post; the best-ranked record leads.  ``current``: the
    post's key, where some records were filed under a former address (:func:`_renamed`)."""
    ordered = sorted(join_pages(sorted(records, key=_rank, reverse=True)), key=_rank, reverse=True)
    best = ordered[0]
    out = Post.from_dict(best.to_dict())
    where = best.source.capture_url if best.source else best.url
    out.provenance = {f: where for f in FIELDS if getattr(best, f)}
    for other in ordered[1:]:
        there = other.source.capture_url if other.source else other.url
        for name in FIELDS:
            if not getattr(out, name) and getattr(other, name):
                setattr(out, name, getattr(other, name))
                out.provenance[name] = there
        if not out.images and other.images:
            out.images = list(other.images)
        out.attachments += [a for a in other.attachments if a not in out.attachments]
    _listed_terms(out, ordered)
    dated = [r for r in ordered if r.published]
    if dated:
        first = max(dated, key=_date_trust)  # max keeps the best-ranked record among equals
        if first.published != out.published:
            out.published = first.published
            out.provenance["published"] = first.source.capture_url if first.source else first.url
        for other in dated:  # a feed often has the exact time where the page shows the day
            if (
                not _has_time(out.published)
                and _has_time(other.published)
                and other.published[:10] == (out.published or "")[:10]
            ):
                out.published = other.published
                out.provenance["published"] = (
                    other.source.capture_url if other.source else other.url
                )
                break
    out.comments = merge_comments([r.comments for r in ordered])
    if out.comments:
        out.provenance["comments"] = ",".join(
            sorted({r.source.capture_url for r in ordered if r.comments and r.source})
        )
    sources = []
    seen: set[str] = set()
    for r in ordered:
        for s in [r.source, *r.sources]:
            if s and s.capture_url not in seen:
                seen.add(s.capture_url)
                sources.append(s)
    out.sources = sources
    if current:
        _renamed(out, ordered, current)
    out.partial = all(r.partial for r in ordered)
    out.url = post_url(ordered, current)
    return out


def merged_posts(store: Any) -> list[Post]:
    """Every post a run's store holds, merged across its records and normalized.

    Records filed under an old URL (a redirect to the post) join their post.  A post known
    only by a title, a link or comments is left out: the report lists it as missing.  The
    store is read twice with one post's records in memory at a time (the first pass learns
    which feeds carry whole bodies), so the merged posts are held, not every record too.
    """
    aliases = {key: canonical(target) for key, target in store.aliases().items()}
    held: dict[str, list[Post]] = {}  # records filed under an old URL, by their post's key
    for key, records in store.post_records(keys=aliases):
        held.setdefault(aliases[key], []).extend(records)

    def groups() -> Iterator[tuple[str, list[Post]]]:
        waiting = dict(held)
        for key, records in store.post_records(skip=aliases):
            yield key, records + waiting.pop(key, [])
        yield from waiting.items()  # old URLs whose post has no record of its own

    verdicts = feed_verdicts(records for _key, records in groups())
    posts = []
    for key, records in groups():
        for r in records:  # a feed's items are summaries or whole bodies, as its pages show
            if _is_feed(r) and feed_of(r) in verdicts and r.content_html:
                r.partial = not verdicts[feed_of(r)]
        posts.extend(_finish(records, key if held else None))
    posts.sort(key=lambda p: (p.published or "", p.url))
    return posts


def _is_feed(r: Post) -> bool:
    return bool(r.source and r.source.kind in ("feed", "json"))


def feed_of(r: Post) -> str:
    """The feed a record came from (its URL, scheme and ``www.`` aside)."""
    original = r.source.original if r.source else ""
    host_path = original.split("://", 1)[-1]
    return host_path[4:] if host_path.startswith("www.") else host_path


def _size(html: str) -> int:
    return len("".join(_text(html).split()))


def feed_verdicts(groups: Iterable[Sequence[Post]], least: int = 200) -> dict[str, bool]:
    """Per feed: True when its items carry whole bodies, False when only summaries.

    Measured on the posts that also have a whole page (whose body is over ``least``
    characters): the median share of the page's text the feed item holds, 0.9 or more is
    whole, 0.75 or less a summary (Hugo's first 70 words, an excerpt with "[…]"); a feed
    with no such post gets no verdict (each item's own signs decide).
    """
    shares: dict[str, list[float]] = {}
    for records in groups:
        pages = [
            r
            for r in records
            if not _is_feed(r)
            and _KIND_RANK.get(r.source.kind if r.source else "page", 1) >= 3
            and not r.partial
        ]
        page = max(pages, key=lambda r: _size(r.content_html), default=None)
        if page is None or _size(page.content_html) < least:
            continue
        whole = _size(page.content_html)
        for r in records:
            if _is_feed(r) and r.content_html:
                shares.setdefault(feed_of(r), []).append(min(_size(r.content_html) / whole, 2.0))
    out: dict[str, bool] = {}
    for feed, values in shares.items():
        values.sort()
        median = values[len(values) // 2]
        if median >= 0.9:
            out[feed] = True
        elif median <= 0.75:
            out[feed] = False
    return out


def _finish(records: list[Post], current: str | None = None) -> list[Post]:
    post = merge(records, current)
    if not post.content_html and (post.partial or not post.title):
        return []  # known only by a title, a link or comments: reported missing
    # (a whole page with a title and no body is a post its author left empty)
    if not post.published:
        post.published = date_from_url(post.url)
    try:
        return [normalize(post)]
    except Exception as exc:  # one bad post must not cost the others
        log.warning("%s: could not normalize, kept as is (%s)", post.url, exc)
        return [post]
