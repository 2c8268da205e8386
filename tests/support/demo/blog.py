"""A synthetic but realistic blog: the truth (``Post`` objects) plus what an archive caught.

``make_blog(n)`` builds the posts (WordPress and/or Blogger eras, one engine after the
other in the order given), their comments over time, and a capture plan
(:mod:`support.demo.captures`) with traps recorded in ``Blog.traps``. Pages are rendered
only when written (:func:`support.demo.warc.write_warc`), so ``make_blog(10000)`` is cheap.
"""

from __future__ import annotations

import html
import random
from datetime import datetime, timedelta, timezone

from recover.post import Comment, Post
from support.demo import text
from support.demo.captures import TRAP_SHARES, plan_captures
from support.demo.model import Blog, Capture, PostMeta

ENGINES = ("wordpress", "blogger")
ISO = "%Y-%m-%dT%H:%M:%S%z"


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


__all__ = ["Blog", "PostMeta", "Capture", "make_blog", "ENGINES", "TRAP_SHARES"]
