"""One post out of every record of it: page captures, feed entries, index excerpts.

Per field the most trusted value wins and the capture it came from is kept in
``provenance``; comments are the union of all captures; ``sources`` lists them all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from recover.extract.dates import date_from_url
from recover.normalize.markdown import normalize
from recover.post import Comment, Post
from recover.urls import TRACKING_PARAMS, canonical

log = logging.getLogger(__name__)

# how far a record's body is trusted: a whole page beats a feed's full text beats a summary
_KIND_RANK = {"page": 3, "html": 3, "warc": 3, "feed": 2, "json": 2, "sitemap": 0, "index": 1}
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
    """Same author and text, dated within a day: a page shows local time, a feed often UTC."""
    da, db = _day(a.published), _day(b.published)
    return da is None or db is None or abs((da - db).days) <= 1


def merge_comments(groups: Sequence[Sequence[Comment]]) -> list[Comment]:
    """The union of several captures' comments, each once (the first copy), oldest first."""
    kept: dict[tuple[str, str], list[Comment]] = {}
    out: list[Comment] = []
    for comments in groups:
        for c in comments:
            twins = kept.setdefault(_comment_key(c), [])
            if not any(_same_comment(c, t) for t in twins):
                twins.append(c)
                out.append(c)
    return sorted(out, key=lambda c: c.published or "")


def _untracked(url: str) -> str:
    """``url`` without tracking parameters (``utm_*``, ``fbclid``...) and fragment."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def post_url(ordered: Sequence[Post]) -> str:
    """The post's URL as the site itself named it.

    Feed, index and JSON entries are the site's own links, so their form wins over the
    URL an archive happened to capture (``https://www.``, no trailing slash, ``?utm_``);
    among equals the form most records share, then the best-ranked record's.  Records
    filed under an old URL (a redirect) have no say.
    """
    same = [r for r in ordered if canonical(r.url) == canonical(ordered[0].url)]
    listed = [r for r in same if r.source and r.source.kind not in ("page", "html", "warc")]
    pool = [_untracked(r.url) for r in (listed or same)]
    return max(pool, key=lambda u: (pool.count(u), -pool.index(u)))


def merge(records: Sequence[Post]) -> Post:
    """Merge every record of one post; the best-ranked record leads."""
    ordered = sorted(records, key=_rank, reverse=True)
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
    out.partial = all(r.partial for r in ordered)
    out.url = post_url(ordered)
    return out


def merged_posts(store: Any) -> list[Post]:
    """Every post a run's store holds, merged across its records and normalized.

    Records filed under an old URL (a redirect to the post) join their post.  A post known
    only by a title, a link or comments is left out: the report lists it as missing.
    """
    aliases = {key: canonical(target) for key, target in store.aliases().items()}
    held: dict[str, list[Post]] = {}  # records filed under an old URL, by their post's key
    groups: list[list[Post]] = []
    for key, records in store.post_records():
        if key in aliases:
            held.setdefault(aliases[key], []).extend(records)
        else:
            groups.append(records)
    posts = []
    for records in groups:
        records = records + held.pop(canonical(records[0].url), [])
        posts.extend(_finish(records))
    for records in held.values():  # old URLs whose post has no record of its own
        posts.extend(_finish(records))
    posts.sort(key=lambda p: (p.published or "", p.url))
    return posts


def _finish(records: list[Post]) -> list[Post]:
    post = merge(records)
    if not post.content_html:
        return []
    if not post.published:
        post.published = date_from_url(post.url)
    try:
        return [normalize(post)]
    except Exception as exc:  # one bad post must not cost the others
        log.warning("%s: could not normalize, kept as is (%s)", post.url, exc)
        return [post]
