"""A synthetic but realistic blog: the truth (``Post`` objects) plus what an archive caught.

``make_blog(n)`` builds the posts (WordPress and/or Blogger eras, one engine after the
other in the order given), their comments over time, and a capture plan
(:mod:`recover.demo.captures`) with traps recorded in ``Blog.traps``. Pages are rendered
only when written (:func:`recover.demo.warc.write_warc`), so ``make_blog(10000)`` is cheap.
"""

from __future__ import annotations

import bisect
import html
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from recover.demo import text
from recover.demo.captures import TRAP_SHARES, Capture, plan_captures
from recover.post import Comment, Post

ENGINES = ("wordpress", "blogger")
ISO = "%Y-%m-%dT%H:%M:%S%z"


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


def _published_times(rng: random.Random, n: int, start: datetime) -> list[datetime]:
    span = timedelta(days=min(2200, max(150, n * 8)))
    gaps = [rng.expovariate(1.0) + 0.05 for _ in range(n)]
    total = sum(gaps)
    times, t = [], start
    for g in gaps:
        t = t + span * (g / total)
        times.append(t.replace(second=0, microsecond=0))
    for k in range(1, n):  # distinct minutes keep ordering total
        if times[k] <= times[k - 1]:
            times[k] = times[k - 1] + timedelta(minutes=1)
    return times


def _image(rng: random.Random, engine: str, host: str, at: datetime, n: int) -> tuple[str, str]:
    """(markup, src) of one body image in the engine's own style."""
    name = f"{rng.choice(text.WORDS)}-{n}"
    alt = html.escape(f"{rng.choice(text.ADJECTIVES)} {rng.choice(text.WORDS)}")
    if engine == "wordpress":
        full = f"http://{host}/wp-content/uploads/{at:%Y/%m}/{name}.png"
        src = full[:-4] + "-300x225.png"
        tag = (
            f'<p><a href="{full}"><img class="aligncenter size-medium wp-image-{n}" '
            f'title="{name}" src="{src}" alt="{alt}" width="300" height="225" /></a></p>'
        )
        return tag, src
    k = rng.randint(1, 4)
    key = "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        for _ in range(11)
    )
    base = f"http://{k}.bp.blogspot.com/_{key}/SQ{n:08d}AI/AAAAAAAAAB{k}/{key[::-1]}"
    src = f"{base}/s400/{name}.png"
    tag = (
        f'<a href="{base}/s1600-h/{name}.png" '
        'onblur="try {parent.deselectBloggerImageGracefully();} catch(e) {}">'
        f'<img style="display:block; margin:0px auto 10px; text-align:center;'
        f'cursor:pointer; cursor:hand;width: 400px; height: 300px;" src="{src}" border="0" '
        f'alt="{alt}" id="BLOGGER_PHOTO_ID_{5000000000000000000 + n}" /></a>'
    )
    return tag, src


def _body(
    rng: random.Random,
    engine: str,
    host: str,
    at: datetime,
    links: list[str],
    post_id: int,
    *,
    curly: float = 0.1,
) -> tuple[str, str | None, list[str]]:
    """(content_html, teaser_html or None, image srcs) of one post."""
    blocks: list[str] = []
    images: list[str] = []
    kinds = ["p"] * 6 + ["ul", "ol", "quote", "code", "table", "img", "img", "h3"]
    for _ in range(rng.randint(3, 9)):
        kind = rng.choice(kinds)
        if kind == "p":
            blocks.append(f"<p>{text.inline_html(rng, links, curly=curly)}</p>")
        elif kind in ("ul", "ol"):
            items = "".join(
                f"<li>{html.escape(text.sentence(rng, curly=curly), quote=False)}</li>"
                for _ in range(rng.randint(2, 5))
            )
            blocks.append(f"<{kind}>{items}</{kind}>")
        elif kind == "quote":
            inner = text.inline_html(rng, [], curly=curly)
            blocks.append(f"<blockquote><p>{inner}</p></blockquote>")
        elif kind == "code":
            code = html.escape(rng.choice(text.CODE_SNIPPETS), quote=False)
            blocks.append(f"<pre><code>{code}</code></pre>")
        elif kind == "table":
            head = "".join(f"<th>{w.capitalize()}</th>" for w in rng.sample(text.WORDS, 3))
            rows = "".join(
                "<tr>" + "".join(f"<td>{rng.randint(0, 999)}</td>" for _ in range(3)) + "</tr>"
                for _ in range(rng.randint(2, 4))
            )
            blocks.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif kind == "img":
            tag, src = _image(rng, engine, host, at, post_id * 10 + len(images))
            blocks.append(tag)
            images.append(src)
        else:
            blocks.append(f"<h3>{html.escape(text.title(rng), quote=False)}</h3>")
    if not blocks[0].startswith("<p>"):
        blocks.insert(0, f"<p>{text.inline_html(rng, links, curly=curly)}</p>")
    teaser = None
    if len(blocks) >= 3 and rng.random() < 0.5:
        cut = rng.randint(1, len(blocks) - 1)
        teaser = "\n".join(blocks[:cut])
        marker = (
            f'<p><span id="more-{post_id}"></span></p>'
            if engine == "wordpress"
            else ("<a name='more'></a>")
        )
        blocks.insert(cut, marker)
    return "\n".join(blocks), teaser, images


def _comments(
    rng: random.Random, engine: str, url: str, published: datetime, tz: timezone, counter: list[int]
) -> tuple[list[Comment], list[datetime]]:
    comments: list[Comment] = []
    times: list[datetime] = []
    n = rng.choice((0, 0, 1, 2, 3, 4, 5, 7))
    t = published
    for _ in range(n):
        t = t + timedelta(minutes=rng.randint(20, 60 * 24 * 6))
        t = t.replace(second=0, microsecond=0)
        counter[0] += 1
        if engine == "wordpress":
            cid = f"comment-{counter[0]}"
            parent = None
            if comments and rng.random() < 0.3:
                parent = rng.choice(comments).id
        else:
            cid = f"c{7000000000000000000 + counter[0] * 7919}"
            parent = None
        author = text.person(rng)
        author_url = None
        if rng.random() < 0.4:
            author_url = (
                f"http://{text.slugify(author)}.example.net/"
                if engine == "wordpress"
                else f"http://www.blogger.com/profile/{10000000000000000000 + counter[0]}"
            )
        comments.append(
            Comment(
                author=author,
                published=t.astimezone(tz).isoformat(),
                content_html=text.comment_html(rng),
                author_url=author_url,
                id=cid,
                parent=parent,
            )
        )
        times.append(t)
    return comments, times


def make_blog(
    n_posts: int = 24,
    *,
    host: str = "blog.example.com",
    engines: tuple[str, ...] = ENGINES,
    seed: int = 0,
    start: datetime | None = None,
    tz_hours: int = -5,
    authors: int = 2,
    per_page: int = 10,
    feed_items: int = 10,
    trap_shares: dict[str, float] | None = None,
) -> Blog:
    """Generate a blog of ``n_posts`` posts, deterministic for a ``seed``.

    ``engines`` run one after the other (the blog moved from the first to the next),
    each for an equal share of the posts. ``trap_shares`` overrides the share of posts
    given each trap (``TRAP_SHARES``; at least one post each when the blog is big enough;
    ``{"cp1252": 0}`` turns one off).
    """
    if n_posts < 1:
        raise ValueError("n_posts must be at least 1")
    for e in engines:
        if e not in ENGINES:
            raise ValueError(f"unknown engine {e!r} (known: {', '.join(ENGINES)})")
    rng = random.Random(seed)
    tz = timezone(timedelta(hours=tz_hours))
    start = start or datetime(2006, 3, 1, 9, 0, tzinfo=tz)
    blog = Blog(
        host=host,
        title=f"{text.person(rng).split()[0]}’s {rng.choice(text.WORDS)} notebook",
        tagline=f"Notes on {rng.choice(text.WORDS)}, {rng.choice(text.WORDS)} and café life",
        tz=tz,
        seed=seed,
        engines=tuple(engines),
        per_page=per_page,
        feed_items=feed_items,
    )
    names = [text.person(rng) for _ in range(max(1, authors))]
    times = _published_times(rng, n_posts, start)
    k = len(engines)
    era_of = [min(k - 1, i * k // n_posts) for i in range(n_posts)]
    seen_urls: set[str] = set()
    counter = [0]
    wp_id = 2
    for i, at in enumerate(times):
        engine = engines[era_of[i]]
        wp_id += rng.randint(1, 4)
        post_id = wp_id if engine == "wordpress" else 4000000000000000000 + i * 104729 + seed
        title = text.title(rng)
        if engine == "wordpress":
            slug = text.slugify(title)
            url = f"http://{host}/{at:%Y/%m/%d}/{slug}/"
            n = 2
            while url in seen_urls:
                slug = f"{text.slugify(title)}-{n}"
                url = f"http://{host}/{at:%Y/%m/%d}/{slug}/"
                n += 1
            old_url = f"http://{host}/?p={post_id}"
            categories = rng.sample(text.CATEGORIES[1:], rng.choice((1, 1, 2)))
            tags = rng.sample(text.TAGS, rng.choice((0, 1, 2, 3, 4)))
        else:
            slug = text.blogger_slug(title)
            url = f"http://{host}/{at:%Y/%m}/{slug}.html"
            n = 1
            while url in seen_urls:
                url = f"http://{host}/{at:%Y/%m}/{slug}_{n:02d}.html"
                n += 1
            slug = url.rsplit("/", 1)[1][:-5]
            old_url = f"http://{host}/{at:%Y/%m}/{text.blogger_slug(text.title(rng))}-old.html"
            # Blogger has one taxonomy, labels; WordPress's Blogger importer makes them
            # categories, and so does recover
            categories = sorted(rng.sample(text.TAGS, rng.choice((1, 1, 2, 3))))
            tags = []
        seen_urls.add(url)
        earlier = [p.url for p in blog.posts[-20:]]
        links = [*rng.sample(earlier, min(2, len(earlier))), *rng.sample(text.EXTERNAL, 2)]
        content, teaser, images = _body(rng, engine, host, at, links, post_id)
        comments, ctimes = _comments(rng, engine, url, at, tz, counter)
        blog.posts.append(
            Post(
                url=url,
                title=title,
                published=at.isoformat(),
                author=rng.choice(names),
                categories=categories,
                tags=tags,
                content_html=content,
                comments=comments,
                images=images,
                slug=slug,
                engine=engine,
            )
        )
        blog.meta.append(PostMeta(i, engine, post_id, at, ctimes, teaser, old_url))
        blog._by_url[url] = i
        blog._by_engine.setdefault(engine, []).append(i)
        blog._times.setdefault(engine, []).append(at)
        keys, starts = blog._months.setdefault(engine, ([], []))
        if not keys or keys[-1] != (at.year, at.month):
            keys.append((at.year, at.month))
            starts.append(len(blog._times[engine]) - 1)
    last = times[-1] + timedelta(days=120)
    for e_i, engine in enumerate(engines):
        firsts = [j for j in range(n_posts) if era_of[j] == e_i]
        if not firsts:
            continue
        begin = start if e_i == 0 else times[firsts[0]]
        nxt = [j for j in range(n_posts) if era_of[j] > e_i]
        end = times[nxt[0]] if nxt else last
        blog.eras.append((engine, begin, end))
    shares = {**TRAP_SHARES, **(trap_shares or {})}
    plan_captures(blog, rng, shares)
    return blog


from recover.demo.warc import write_warc  # noqa: E402  (re-exported: blog.write_warc)

__all__ = ["Blog", "PostMeta", "Capture", "make_blog", "write_warc", "ENGINES", "TRAP_SHARES"]
