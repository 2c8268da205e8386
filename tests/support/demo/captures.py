"""What the archive caught of the demo blog, and the traps laid in it.

Traps (``Blog.traps[name]`` lists the post URLs; ``Capture.trap`` marks the capture):

- ``error_db``: the newest capture is HTTP 200 "Error establishing a database connection",
  newer than a good one.
- ``error_500``: the newest capture is an HTTP 500 page, newer than a good one.
- ``error_suspended``: the newest capture is HTTP 200 "Account Suspended".
- ``redirect_www``: a 301 capture of ``http://www.HOST/PATH`` pointing to the post's URL.
- ``redirect_old``: a 301 capture of a former URL (WordPress ``/?p=ID``, Blogger an old
  slug) pointing to the post's URL; the index pages link the former URL.
- ``cp1252``: the post's only capture is windows-1252 bytes declared ``iso-8859-1``, with
  curly quotes, dashes and € in the body.
- ``rewritten``: the post's only capture already carries an archive's rewriting
  (``/web/TS/http://...`` links and a Wayback toolbar block).
- ``https``: an extra capture of the post at ``https://``.
- ``feed_only``: never captured as a page; its full text is in a captured feed.
- ``index_only``: never captured as a page nor in a feed; shown on a captured index page.
- ``lost``: nowhere in the archive.
- ``fewer_comments`` (derived): an older good capture shows fewer comments than the truth.
- ``multi_capture`` (derived): two or more good page captures.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from support.demo.model import Blog, Capture

TRAP_SHARES: dict[str, float] = {
    "error_db": 0.02,
    "error_500": 0.02,
    "error_suspended": 0.01,
    "redirect_www": 0.02,
    "redirect_old": 0.02,
    "cp1252": 0.002,
    "rewritten": 0.005,
    "https": 0.02,
    "feed_only": 0.03,
    "index_only": 0.02,
    "lost": 0.02,
}
CP1252_LINE = (
    "<p>“Smart quotes” aren’t smart – the en dash, the em dash — and €15 for a "
    "second-hand copy… ‘typography’ matters.</p>"
)


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(microsecond=0)


def _between(rng: random.Random, a: datetime, b: datetime) -> datetime:
    if b <= a:
        return a + timedelta(minutes=rng.randint(5, 600))
    return a + (b - a) * rng.random()


def _spread(rng: random.Random, begin: datetime, end: datetime, count: int) -> list[datetime]:
    """``count`` times in the last two thirds of [begin, end), the last near the end."""
    span = end - begin
    out = [end - timedelta(hours=rng.randint(2, 48))]
    for k in range(1, count):
        out.append(begin + span / 3 + span * (2 / 3) * (k / count) * (0.9 + 0.1 * rng.random()))
    return sorted(t for t in out if t > begin)


def plan_captures(blog: Blog, rng: random.Random, shares: dict[str, float]) -> None:
    """Fill ``blog.captures``, ``blog.traps`` and ``blog.recoverable_from``."""
    n = len(blog.posts)
    caps: list[Capture] = []
    feed_cov: set[int] = set()
    index_cov: dict[int, list[int]] = {}  # post -> paging pages (0 for home) showing it
    paging_pages: dict[tuple[str, int], tuple[datetime, list[int]]] = {}

    # Home pages, feeds and paging pages, era by era.
    for engine, begin, end in blog.eras:
        era_posts = len(blog._by_engine.get(engine, []))
        home_url = f"{blog.base}/"
        feed_url = (
            f"{blog.base}/feed/"
            if engine == "wordpress"
            else f"{blog.base}/feeds/posts/default?alt=rss"
        )
        homes = _spread(rng, begin, end, max(1, min(era_posts // 10, 40 + era_posts // 100)))
        for t in homes:
            caps.append(Capture(home_url, _utc(t), "home", engine=engine))
            for i in blog.latest(engine, t, blog.per_page):
                index_cov.setdefault(i, []).append(0)
        feeds = _spread(rng, begin, end, max(1, min(era_posts // 25, 30 + era_posts // 100)))
        for t in feeds:
            t = t - timedelta(minutes=rng.randint(10, 300))
            caps.append(Capture(feed_url, _utc(t), "feed", engine=engine))
            feed_cov.update(blog.latest(engine, t, blog.feed_items))
        crawl = end - timedelta(hours=rng.randint(49, 96))
        total = blog.published_count(engine, crawl)
        for page in range(2, (total - 1) // blog.per_page + 2):
            shown = blog.latest(engine, crawl, blog.per_page, (page - 1) * blog.per_page)
            paging_pages[(engine, page)] = (crawl + timedelta(minutes=page), shown)

    # Traps: each post at most one; the first and last posts stay plain.
    pool = list(range(1, n - 1)) if n >= 8 else []
    rng.shuffle(pool)
    counts = {t: (0 if s <= 0 else max(1, round(n * s))) for t, s in shares.items()}
    trap_of: dict[int, str] = {}

    def take(trap: str, ok) -> None:
        for i in [i for i in pool if i not in trap_of and ok(i)][: counts.get(trap, 0)]:
            trap_of[i] = trap

    take("lost", lambda i: i not in feed_cov and 0 not in index_cov.get(i, []))
    lost = {i for i, t in trap_of.items() if t == "lost"}
    paged = {i for _, shown in paging_pages.values() if lost.isdisjoint(shown) for i in shown}
    take("index_only", lambda i: i not in feed_cov and (i in index_cov or i in paged))
    take("feed_only", lambda i: i in feed_cov)
    for trap in shares:
        if trap not in ("lost", "index_only", "feed_only"):
            take(trap, lambda i: True)
    for (engine, page), (t, shown) in paging_pages.items():
        if lost.isdisjoint(shown):
            url = (
                f"{blog.base}/page/{page}/"
                if engine == "wordpress"
                else _blogger_older(blog, engine, t, page)
            )
            caps.append(Capture(url, _utc(t), "paging", engine=engine, page=page))
            for i in shown:
                index_cov.setdefault(i, []).append(page)

    # Post pages.
    for i, (post, meta) in enumerate(zip(blog.posts, blog.meta, strict=True)):
        trap = trap_of.get(i, "")
        if trap in ("lost", "index_only", "feed_only"):
            continue
        pub = meta.published
        last_comment = max(meta.comment_times, default=pub)
        k = 1 if trap in ("cp1252", "rewritten") else rng.choice((1, 2, 2, 3))
        t_last = last_comment + timedelta(hours=rng.randint(24, 24 * 60))
        times = [t_last]
        for _ in range(k - 1):
            upper = last_comment if last_comment > pub else t_last
            times.append(_between(rng, pub + timedelta(hours=2), upper))
        times.sort()
        for t in times:
            cap = Capture(post.url, _utc(t), "page", post=i, engine=meta.engine)
            if trap == "cp1252":
                cap.encoding, cap.trap = "cp1252", trap
                post.content_html = CP1252_LINE + "\n" + post.content_html
            elif trap == "rewritten":
                cap.trap = trap
            caps.append(cap)
        if trap.startswith("error_"):
            kind = trap.removeprefix("error_")
            t = t_last + timedelta(days=rng.randint(30, 300), minutes=rng.randint(0, 999))
            caps.append(
                Capture(
                    post.url,
                    _utc(t),
                    "page",
                    status=500 if kind == "500" else 200,
                    post=i,
                    engine=meta.engine,
                    trap=trap,
                    error=kind,
                )
            )
        elif trap in ("redirect_www", "redirect_old"):
            src = post.url.replace("://", "://www.", 1) if trap == "redirect_www" else meta.old_url
            t = _between(rng, pub + timedelta(hours=1), t_last - timedelta(hours=1))
            caps.append(
                Capture(
                    src,
                    _utc(t),
                    "redirect",
                    status=301,
                    post=i,
                    engine=meta.engine,
                    trap=trap,
                    location=post.url,
                )
            )
        elif trap == "https":
            t = _between(rng, pub + timedelta(hours=1), t_last + timedelta(days=90))
            url = post.url.replace("http://", "https://", 1)
            caps.append(Capture(url, _utc(t), "page", post=i, engine=meta.engine, trap=trap))
        if rng.random() < 0.5:
            for src in post.images:
                t = times[0] + timedelta(seconds=rng.randint(5, 90))
                caps.append(Capture(src, _utc(t), "image", post=i, engine=meta.engine))
    for engine, begin, _end in blog.eras:
        css = (
            f"{blog.base}/wp-content/themes/default/style.css"
            if engine == "wordpress"
            else "http://www.blogger.com/static/v1/widgets/2975440469-widget_css_bundle.css"
        )
        caps.append(Capture(css, _utc(begin + timedelta(days=3)), "style", engine=engine))

    # Unique (url, timestamp), crawl order.
    seen: set[tuple[str, str]] = set()
    for c in caps:
        while (c.url, c.timestamp) in seen:
            c.at += timedelta(seconds=1)
        seen.add((c.url, c.timestamp))
    caps.sort(key=lambda c: (c.at, c.url))
    blog.captures = caps

    traps: dict[str, list[str]] = {t: [] for t in shares}
    for i in sorted(trap_of):
        traps[trap_of[i]].append(blog.posts[i].url)
    good: dict[int, list[Capture]] = {}
    for c in caps:
        if c.post is not None and c.kind == "page" and c.good:
            good.setdefault(c.post, []).append(c)
    traps["multi_capture"] = [blog.posts[i].url for i in sorted(good) if len(good[i]) > 1]
    traps["fewer_comments"] = [
        blog.posts[i].url
        for i in sorted(good)
        if len(blog.comments_at(i, good[i][0].at)) < len(blog.posts[i].comments)
    ]
    blog.traps = traps
    for i, post in enumerate(blog.posts):
        if i in good:
            where = "page"
        elif i in feed_cov:
            where = "feed"
        elif i in index_cov:
            where = "index"
        else:
            where = "none"
        blog.recoverable_from[post.url] = where


def _blogger_older(blog: Blog, engine: str, at: datetime, page: int) -> str:
    """Blogger's "Older Posts" URL for a paging page (``updated-max`` of the page before)."""
    before = blog.latest(engine, at, 1, (page - 1) * blog.per_page - 1)
    stamp = blog.meta[before[0]].published.isoformat().replace(":", "%3A").replace("+", "%2B")
    return f"{blog.base}/search?updated-max={stamp}&max-results={blog.per_page}"
