"""A generated blog's captures spread over every kind of source ``recover run`` reads.

:func:`spread_blog` splits :attr:`Blog.captures` (plus a few records of its own) into:

- ``web``: a pywb collection read through its CDX API (``--archive``): the home, paging
  and feed captures, most post pages, and, for the posts only ``other`` holds well, the
  error and redirect captures that name them; a sitemap naming one of them;
- ``other``: a pywb collection read only through Memento TimeMaps (``--memento``): good
  pages of posts ``web`` lacks or holds only error or redirect captures of, each known
  some other way (error/redirect capture, feed, index page, sitemap);
- ``cc``: a Common Crawl-style WARC (``--commoncrawl``): posts no other source holds, the
  newest capture of one post at a URL variant (``https://www.``, no trailing slash,
  ``?utm_source=``), and a comment feed with comments the ``web`` page lacks;
- ``html``: browser-saved pages (``--html``): a post no archive holds, and an old copy of
  the URL-variant post.

``Spread.roles`` says which posts play which part; :meth:`Spread.write` puts the files on
disk.
"""

from __future__ import annotations

import html as htmlmod
import io
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from support.demo import blogger, wordpress
from support.demo.model import Blog, Capture
from support.demo.warc import REASONS, render_capture

PLAIN_TRAPS = ("multi_capture", "fewer_comments")  # derived, not traps of their own


@dataclass
class Record:
    """One HTTP response to store in a WARC."""

    url: str
    at: datetime  # capture time, UTC
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class SavedPage:
    """One page saved by a browser: where it came from, its bytes and its file time."""

    name: str
    url: str
    at: datetime
    body: bytes


@dataclass
class Files:
    """Where :meth:`Spread.write` put each source."""

    web: Path
    other: Path
    cc: Path
    html: Path


@dataclass
class Spread:
    """Records per source, and the posts (URLs) playing each part."""

    web: list[Record] = field(default_factory=list)
    other: list[Record] = field(default_factory=list)
    cc: list[Record] = field(default_factory=list)
    html: list[SavedPage] = field(default_factory=list)
    roles: dict[str, list[str]] = field(default_factory=dict)

    def write(self, folder: Path) -> Files:
        """Write ``web.warc.gz``, ``other.warc.gz``, ``cc.warc.gz`` and ``saved/``."""
        folder.mkdir(parents=True, exist_ok=True)
        saved = folder / "saved"
        saved.mkdir(exist_ok=True)
        for page in self.html:
            path = saved / page.name
            path.write_bytes(page.body)
            stamp = page.at.timestamp()
            os.utime(path, (stamp, stamp))
        return Files(
            web=write_records(folder / "web.warc.gz", self.web),
            other=write_records(folder / "other.warc.gz", self.other),
            cc=write_records(folder / "cc.warc.gz", self.cc),
            html=saved,
        )


def write_records(path: Path, records: list[Record]) -> Path:
    """A WARC of response records, one gzip member each (as Common Crawl's files are)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    with path.open("wb") as fh:

        def put(record: object) -> None:
            buf.seek(0)
            buf.truncate()
            writer.write_record(record)
            z = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
            fh.write(z.compress(buf.getvalue()) + z.flush())

        put(writer.create_warcinfo_record(path.name, {"software": "recover tests (spread)"}))
        for r in sorted(records, key=lambda r: (r.at, r.url)):
            http = StatusAndHeaders(
                f"{r.status} {REASONS.get(r.status, 'OK')}", r.headers, protocol="HTTP/1.1"
            )
            put(
                writer.create_warc_record(
                    r.url,
                    "response",
                    payload=io.BytesIO(r.body),
                    length=len(r.body),
                    http_headers=http,
                    warc_headers_dict={"WARC-Date": r.at.strftime("%Y-%m-%dT%H:%M:%SZ")},
                )
            )
    return path


def saved_from(body: bytes, url: str) -> bytes:
    """``body`` as a browser's "Save Page As" leaves it: ``<!-- saved from url=(NNNN)URL -->``."""
    mark = f"<!-- saved from url=({len(url):04d}){url} -->\n".encode()
    head = body.lstrip()
    if head[:9].lower() == b"<!doctype":
        end = head.index(b">") + 1
        return head[:end] + b"\n" + mark + head[end:].lstrip()
    return mark + head


def record_of(blog: Blog, cap: Capture) -> Record:
    """The exact response :func:`support.demo.warc.write_warc` would store for ``cap``."""
    status, headers, body = render_capture(blog, cap)
    return Record(cap.url, cap.at, status, headers, body)


def variant(url: str, query: str) -> str:
    """``url`` at ``https://www.``, without its trailing slash, with a tracking query."""
    url = url.replace("http://", "https://www.", 1)
    return url.rstrip("/") + "?" + query


def comment_feed(blog: Blog, i: int, at: datetime) -> Record:
    """A WordPress per-post comment feed (``<post>/feed/``) as it stood at ``at``."""
    post, meta = blog.posts[i], blog.meta[i]
    items = []
    for c, t in zip(post.comments, meta.comment_times, strict=True):
        if t > at:
            continue
        num = (c.id or "comment-0").removeprefix("comment-")
        items.append(
            f"<item><title>Comment on {htmlmod.escape(post.title or '')} by "
            f"{htmlmod.escape(c.author or '')}</title>"
            f"<link>{post.url}#comment-{num}</link>"
            f"<dc:creator>{htmlmod.escape(c.author or '')}</dc:creator>"
            f"<pubDate>{wordpress.rfc822(t)}</pubDate>"
            f'<guid isPermaLink="false">{blog.base}/?p={meta.post_id}#comment-{num}</guid>'
            f"<description>{wordpress._cdata(c.content_html)}</description>"
            f"<content:encoded>{wordpress._cdata(c.content_html)}</content:encoded></item>"
        )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Comments on: {htmlmod.escape(post.title or '')}</title>"
        f"<link>{post.url}</link><description>{htmlmod.escape(blog.tagline)}</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()
    headers = [("Content-Type", "text/xml; charset=UTF-8"), ("Content-Length", str(len(body)))]
    return Record(post.url + "feed/", at, 200, headers, body)


def sitemap(blog: Blog, urls: list[str], at: datetime) -> Record:
    """``/sitemap.xml`` naming ``urls``."""
    locs = "".join(f"<url><loc>{htmlmod.escape(u)}</loc></url>" for u in urls)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    ).encode()
    headers = [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
    return Record(f"{blog.base}/sitemap.xml", at, 200, headers, body)


def _after(blog: Blog, i: int, days: int) -> datetime:
    """``days`` after the post's last comment (or its publication), UTC."""
    meta = blog.meta[i]
    last = max(meta.comment_times, default=meta.published)
    return (last + timedelta(days=days)).astimezone(UTC).replace(microsecond=0)


def _feed_covered(blog: Blog) -> set[int]:
    covered: set[int] = set()
    for cap in blog.captures:
        if cap.kind == "feed":
            covered.update(blog.latest(cap.engine, cap.at, blog.feed_items))
    return covered


def spread_blog(blog: Blog) -> Spread:
    """Split the blog's captures across the four sources (deterministic for a blog).

    Roles (post URLs): ``memento_error`` (``web`` holds only an HTTP 500 or an HTTP 200
    error page), ``memento_redirect`` (only a ``www.`` 301), ``memento_index`` (an
    index-only post; ``other`` gets a page of it), ``memento_feed`` (known from the feed),
    ``memento_sitemap`` (known from a sitemap), ``cc`` (only in the Common Crawl WARC),
    ``variants`` (``web`` old capture, ``cc`` newest at a URL variant, ``html`` an old save),
    ``comments`` (``web`` a page without the last comment, some dated a day apart in UTC;
    ``cc`` the comment feed, in UTC, holding every comment),
    ``html`` (a lost post, only saved), ``feed_only`` (only in ``web``'s feed).
    """
    if len(blog.posts) < 20:
        raise ValueError("spread_blog needs a blog of 20 posts or more")
    trap_of = {
        url: trap for trap, urls in blog.traps.items() if trap not in PLAIN_TRAPS for url in urls
    }
    fed = _feed_covered(blog)
    good: dict[int, list[Capture]] = {}
    for cap in blog.captures:
        if cap.post is not None and cap.kind == "page" and cap.good:
            good.setdefault(cap.post, []).append(cap)
    plain = [i for i, p in enumerate(blog.posts) if p.url not in trap_of and i in good]
    taken: set[int] = set()

    def pick(ok: Callable[[int], bool], count: int = 1) -> list[int]:
        chosen = [i for i in plain if i not in taken and ok(i)][:count]
        if len(chosen) < count:
            raise ValueError("the blog has too few plain posts to spread")
        taken.update(chosen)
        return chosen

    def crosses_midnight(i: int) -> bool:  # a comment on the page dated a day apart in UTC
        times = blog.meta[i].comment_times[:-1]
        return any(t.date() != t.astimezone(UTC).date() for t in times)

    wp = [i for i in plain if blog.meta[i].engine == "wordpress"]
    midnight = [i for i in wp if crosses_midnight(i)]
    talked = [i for i in wp if len(blog.posts[i].comments) > 1]
    comments = pick(lambda i: i in (midnight or talked))
    variants = pick(lambda i: len(good[i]) > 1 and blog.meta[i].engine == "wordpress")
    memento_feed = pick(lambda i: i in fed)
    memento_sitemap = pick(lambda i: i not in fed)
    cc = pick(lambda i: True, 2)

    def of(trap: str) -> list[int]:
        return [blog.index_of(u) for u in blog.traps.get(trap, [])]

    memento_error = of("error_500") + of("error_db")
    memento_redirect = of("redirect_www")
    memento_index = of("index_only")
    only_other = set(memento_error + memento_redirect + memento_feed + memento_sitemap)
    spread = Spread()
    for cap in blog.captures:
        i = cap.post
        rec = record_of(blog, cap)
        if i is None or cap.kind == "image":
            spread.web.append(rec)
        elif i in only_other:
            (spread.other if cap.good else spread.web).append(rec)
        elif i in cc:
            spread.cc.append(rec)
        elif i in variants:
            newest = good[i][-1]
            if cap is newest:
                rec.url = variant(cap.url, "utm_source=rss&utm_medium=feed")
                spread.cc.append(rec)
            else:
                spread.web.append(rec)
        elif i in comments:
            if cap is good[i][-1]:  # its page shows every comment but the last
                shown = blog.meta[i].comment_times[-1] - timedelta(minutes=1)
                page = Capture(cap.url, shown.astimezone(UTC), "page", post=i, engine=cap.engine)
                spread.web.append(record_of(blog, page))
        else:
            spread.web.append(rec)
    for i in memento_index:
        meta = blog.meta[i]
        page = Capture(blog.posts[i].url, _after(blog, i, 20), "page", post=i, engine=meta.engine)
        spread.other.append(record_of(blog, page))
    for i in comments:
        spread.cc.append(comment_feed(blog, i, _after(blog, i, 30)))
    first = min(c.at for c in blog.captures)
    spread.web.append(sitemap(blog, [blog.posts[i].url for i in memento_sitemap], first))
    lost = [blog.index_of(u) for u in blog.traps.get("lost", [])]
    for n, i in enumerate([*lost, *variants]):
        post, meta = blog.posts[i], blog.meta[i]
        if i in variants:
            at = good[i][0].at + timedelta(hours=1)  # older than the newest capture
            url = post.url + "?utm_medium=twitter"
        else:
            at = _after(blog, i, 10)
            url = post.url
        engine = blogger if meta.engine == "blogger" else wordpress
        body = engine.post_page(blog, i, at).encode("utf-8")
        name = f"{n:02d} {post.title or 'page'}.html".replace("/", "-")
        spread.html.append(SavedPage(name, url, at, saved_from(body, url)))
    roles = {
        "memento_error": memento_error,
        "memento_redirect": memento_redirect,
        "memento_index": memento_index,
        "memento_feed": memento_feed,
        "memento_sitemap": memento_sitemap,
        "cc": cc,
        "variants": variants,
        "comments": comments,
        "html": lost,
        "feed_only": of("feed_only"),
    }
    spread.roles = {k: [blog.posts[i].url for i in v] for k, v in roles.items()}
    return spread


__all__ = ["Files", "Record", "SavedPage", "Spread", "record_of", "spread_blog"]
