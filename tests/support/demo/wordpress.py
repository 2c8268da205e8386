"""WordPress 2.7 pages in the Kubrick ("default") theme, and its RSS 2.0 feed."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

from recover.post import Comment
from support.demo.model import Blog
from support.demo.text import CATEGORIES, slugify

GENERATOR = "WordPress 2.7.1"


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def long_date(t: datetime) -> str:
    """``October 31st, 2008``."""
    return f"{t:%B} {ordinal(t.day)}, {t.year}"


def clock(t: datetime) -> str:
    """``2:22 pm``."""
    return f"{t.hour % 12 or 12}:{t:%M} {'am' if t.hour < 12 else 'pm'}"


def rfc822(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _term(base: str, kind: str, name: str) -> str:
    return f"{base}/{kind}/{slugify(name)}/"


def _head(blog: Blog, title: str, charset: str, extra: str = "") -> str:
    b = blog.base
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="en-US">

<head profile="http://gmpg.org/xfn/11">
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />

<title>{title}</title>

<link rel="stylesheet" href="{b}/wp-content/themes/default/style.css" type="text/css" \
media="screen" />
<link rel="alternate" type="application/rss+xml" title="{esc(blog.title)} RSS Feed" \
href="{b}/feed/" />
<link rel="alternate" type="application/atom+xml" title="{esc(blog.title)} Atom Feed" \
href="{b}/feed/atom/" />
<link rel="pingback" href="{b}/xmlrpc.php" />

<style type="text/css" media="screen">
\t#page {{ background: url("{b}/wp-content/themes/default/images/kubrickbgwide.jpg") \
repeat-y top; border: none; }}
</style>

<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{b}/xmlrpc.php?rsd" />
<link rel="wlwmanifest" type="application/wlwmanifest+xml" \
href="{b}/wp-includes/wlwmanifest.xml" />
<link rel='index' title='{esc(blog.title)}' href='{b}' />
{extra}<meta name="generator" content="{GENERATOR}" />
<script type='text/javascript' src='{b}/wp-includes/js/jquery/jquery.js?ver=1.2.6'></script>
</head>
<body>
<div id="page">


<div id="header" role="banner">
\t<div id="headerimg">
\t\t<h1><a href="{b}/">{esc(blog.title)}</a></h1>
\t\t<div class="description">{esc(blog.tagline)}</div>
\t</div>
</div>
<hr />
"""


def _sidebar(blog: Blog, at: datetime) -> str:
    b = blog.base
    recent = "".join(
        f'<li><a href="{blog.posts[i].url}" title="{esc(blog.posts[i].title or "")}">'
        f"{esc(blog.posts[i].title or '')}</a></li>\n"
        for i in blog.latest("wordpress", at, 5)
    )
    months = "".join(
        f"\t<li><a href='{b}/{y}/{m:02d}/' title='{datetime(y, m, 1):%B} {y}'>"
        f"{datetime(y, m, 1):%B} {y}</a></li>\n"
        for y, m, _c in blog.months("wordpress", at)
    )
    cats = "".join(
        f'\t<li class="cat-item"><a href="{_term(b, "category", c)}" '
        f'title="View all posts filed under {esc(c)}">{esc(c)}</a></li>\n'
        for c in CATEGORIES
    )
    return f"""\t<div id="sidebar" role="complementary">
\t\t<ul>
\t\t\t<li>
\t\t\t\t<form method="get" id="searchform" action="{b}/">
<label class="hidden" for="s">Search for:</label>
<div><input type="text" value="" name="s" id="s" />
<input type="submit" id="searchsubmit" value="Search" />
</div>
</form>
\t\t\t</li>
\t\t<li><h2>Recent Posts</h2>
\t\t<ul>
{recent}\t\t</ul>
\t\t</li>
\t\t\t<li><h2>Archives</h2>
\t\t\t\t<ul>
{months}\t\t\t\t</ul>
\t\t\t</li>
\t\t\t<li class="categories"><h2>Categories</h2><ul>
{cats}</ul></li>
\t\t\t<li id="linkcat-2" class="linkcat"><h2>Blogroll</h2>
\t<ul class='xoxo blogroll'>
<li><a href="http://wordpress.org/development/">Development Blog</a></li>
<li><a href="http://codex.wordpress.org/">Documentation</a></li>
<li><a href="http://planet.wordpress.org/">WordPress Planet</a></li>
\t</ul>
</li>
\t\t\t\t<li><h2>Meta</h2>
\t\t\t\t<ul>
\t\t\t\t\t\t\t\t\t<li><a href="{b}/wp-login.php">Log in</a></li>
\t\t\t\t\t<li><a href="http://validator.w3.org/check/referer" title="This page validates \
as XHTML 1.0 Transitional">Valid <abbr title="eXtensible HyperText Markup Language">XHTML\
</abbr></a></li>
\t\t\t\t\t<li><a href="http://gmpg.org/xfn/"><abbr title="XHTML Friends Network">XFN</abbr>\
</a></li>
\t\t\t\t\t<li><a href="http://wordpress.org/" title="Powered by WordPress, \
state-of-the-art semantic personal publishing platform.">WordPress</a></li>
\t\t\t\t\t\t\t\t\t</ul>
\t\t\t\t</li>
\t\t</ul>
\t</div>
"""


def _footer(blog: Blog) -> str:
    b = blog.base
    return f"""
<hr />
<div id="footer" role="contentinfo">
\t<p>
\t\t{esc(blog.title)} is proudly powered by
\t\t<a href="http://wordpress.org/">WordPress</a>
\t\t<br /><a href="{b}/feed/">Entries (RSS)</a>
\t\tand <a href="{b}/comments/feed/">Comments (RSS)</a>.
\t\t<!-- 24 queries. 0.412 seconds. -->
\t</p>
</div>
</div>

<script type='text/javascript' src='{b}/wp-includes/js/comment-reply.js?ver=20090102'></script>
</body>
</html>
"""


def _terms_line(blog: Blog, i: int) -> tuple[str, str]:
    """(categories links, tags paragraph) of a post."""
    p = blog.posts[i]
    cats = ", ".join(
        f'<a href="{_term(blog.base, "category", c)}" title="View all posts in {esc(c)}" '
        f'rel="category tag">{esc(c)}</a>'
        for c in p.categories
    )
    tags = ""
    if p.tags:
        tags = "Tags: " + ", ".join(
            f'<a href="{_term(blog.base, "tag", t)}" rel="tag">{esc(t)}</a>' for t in p.tags
        )
    return cats, tags


def _share(url: str, title: str) -> str:
    u, t = html.escape(url), html.escape(title)
    sites = (
        ("Digg", f"http://digg.com/submit?phase=2&amp;url={u}&amp;title={t}"),
        ("del.icio.us", f"http://del.icio.us/post?url={u}&amp;title={t}"),
        ("Facebook", f"http://www.facebook.com/share.php?u={u}"),
        ("StumbleUpon", f"http://www.stumbleupon.com/submit?url={u}&amp;title={t}"),
        ("Technorati", f"http://technorati.com/faves?add={u}"),
    )
    links = "".join(
        f'\t<li><a rel="nofollow" target="_blank" href="{href}" title="{name}">'
        f'<img src="/wp-content/plugins/sociable/images/{name.lower().replace(".", "")}.png" '
        f'title="{name}" alt="{name}" class="sociable-hovers" /></a></li>\n'
        for name, href in sites
    )
    return (
        '<div class="sociable">\n<div class="sociable_tagline">\n<strong>Share and Enjoy:</strong>'
        f"\n</div>\n<ul>\n{links}</ul>\n</div>\n"
    )


def _related(blog: Blog, i: int, at: datetime) -> str:
    shown = [j for j in blog.latest("wordpress", blog.meta[i].published, 4) if j != i][:3]
    if not shown:
        return ""
    items = "".join(
        f'<li><a href="{blog.posts[j].url}" title="{esc(blog.posts[j].title or "")}">'
        f"{esc(blog.posts[j].title or '')}</a></li>"
        for j in shown
    )
    return (
        f"<h3 class='related_post_title'>Related posts:</h3><ul class='related_post'>{items}</ul>\n"
    )


def _avatar(name: str) -> str:
    h = hashlib.md5(name.encode()).hexdigest()
    return (
        f"<img alt='' src='http://www.gravatar.com/avatar/{h}?s=32&amp;d=identicon&amp;r=G' "
        "class='avatar avatar-32 photo' height='32' width='32' />"
    )


def _comment(blog: Blog, i: int, c: Comment, depth: int, kids: dict, parity: list[int]) -> str:
    p = blog.posts[i]
    num = (c.id or "comment-0").removeprefix("comment-")
    t = datetime.fromisoformat(c.published or p.published or "")
    who = esc(c.author or "Anonymous")
    if c.author_url:
        who = f"<a href='{esc(c.author_url)}' rel='external nofollow' class='url'>{who}</a>"
    parity[0] += 1
    cls = "even" if parity[0] % 2 else "odd"
    children = kids.get(c.id, [])
    inner = ""
    if children:
        inner = (
            "\n<ul class='children'>\n"
            + "".join(_comment(blog, i, k, depth + 1, kids, parity) for k in children)
            + "</ul>\n"
        )
    return f"""\t<li class="comment {cls} thread-{cls} depth-{depth}" id="comment-{num}">
\t\t<div id="div-comment-{num}" class="comment-body">
\t\t<div class="comment-author vcard">
\t\t\t{_avatar(c.author or "")}\t\t\t<cite class="fn">{who}</cite> <span class="says">says:</span>
\t\t</div>
\t\t<div class="comment-meta commentmetadata"><a href="{p.url}#comment-{num}">\
{t:%B} {t.day}, {t.year} at {clock(t)}</a></div>

\t\t{c.content_html}

\t\t<div class="reply">
\t\t<a rel='nofollow' class='comment-reply-link' href='{p.url}?replytocom={num}#respond' \
onclick='return addComment.moveForm("div-comment-{num}", "{num}", "respond", \
"{blog.meta[i].post_id}")'>Reply</a>\t\t</div>
\t\t</div>{inner}
</li>
"""


def _comments_block(blog: Blog, i: int, at: datetime) -> str:
    p = blog.posts[i]
    shown = blog.comments_at(i, at)
    b = blog.base
    form = f"""
<div id="respond">

<h3>Leave a Reply</h3>

<div class="cancel-comment-reply">
\t<small><a rel="nofollow" id="cancel-comment-reply-link" href="{p.url}#respond" \
style="display:none;">Click here to cancel reply.</a></small>
</div>

<form action="{b}/wp-comments-post.php" method="post" id="commentform">
<p><input type="text" name="author" id="author" value="" size="22" tabindex="1" />
<label for="author"><small>Name (required)</small></label></p>
<p><input type="text" name="email" id="email" value="" size="22" tabindex="2" />
<label for="email"><small>Mail (will not be published) (required)</small></label></p>
<p><input type="text" name="url" id="url" value="" size="22" tabindex="3" />
<label for="url"><small>Website</small></label></p>
<p><textarea name="comment" id="comment" cols="100%" rows="10" tabindex="4"></textarea></p>
<p><input name="submit" type="submit" id="submit" tabindex="5" value="Submit Comment" />
<input type='hidden' name='comment_post_ID' value='{blog.meta[i].post_id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' />
</p>
</form>
</div>
"""
    if not shown:
        return (
            "\n<!-- You can start editing here. -->\n\n"
            "\t<!-- If comments are open, but there are no comments. -->\n" + form
        )
    ids = {c.id for c in shown}
    kids: dict = {}
    for c in shown:
        kids.setdefault(c.parent if c.parent in ids else None, []).append(c)
    n = len(shown)
    title = esc(p.title or "")
    items = "".join(_comment(blog, i, c, 1, kids, [0]) for c in kids.get(None, []))
    return f"""
<!-- You can start editing here. -->

\t<h3 id="comments">{n} Response{"" if n == 1 else "s"} to &#8220;{title}&#8221;</h3>

\t<div class="navigation">
\t\t<div class="alignleft"></div>
\t\t<div class="alignright"></div>
\t</div>

\t<ol class="commentlist">
{items}\t</ol>

\t<div class="navigation">
\t\t<div class="alignleft"></div>
\t\t<div class="alignright"></div>
\t</div>
{form}"""


def post_page(blog: Blog, i: int, at: datetime, *, charset: str = "UTF-8") -> str:
    """A post's single page as WordPress served it at ``at``."""
    p, m = blog.posts[i], blog.meta[i]
    local = m.published.astimezone(blog.tz)
    prev, nxt = blog.neighbours(i, at)
    title = esc(p.title or "")
    extra = ""
    nav_l = nav_r = ""
    if prev is not None:
        pt = esc(blog.posts[prev].title or "")
        extra += f"<link rel='prev' title='{pt}' href='{blog.posts[prev].url}' />\n"
        nav_l = f'&laquo; <a href="{blog.posts[prev].url}">{pt}</a>'
    if nxt is not None:
        nt = esc(blog.posts[nxt].title or "")
        extra += f"<link rel='next' title='{nt}' href='{blog.posts[nxt].url}' />\n"
        nav_r = f'<a href="{blog.posts[nxt].url}">{nt}</a> &raquo;'
    extra = (
        f'<link rel="alternate" type="application/rss+xml" title="{esc(blog.title)} &raquo; '
        f'{title} Comments Feed" href="{p.url}feed/" />\n' + extra
    )
    cats, tags = _terms_line(blog, i)
    tags_p = f"<p>{tags}</p>" if tags else ""
    author = esc(p.author or "")
    head = _head(blog, f"{esc(blog.title)}  &raquo; Blog Archive   &raquo; {title}", charset, extra)
    return f"""{head}
\t<div id="content" class="widecolumn" role="main">

\t\t<div class="navigation">
\t\t\t<div class="alignleft">{nav_l}</div>
\t\t\t<div class="alignright">{nav_r}</div>
\t\t</div>

\t\t<div class="post" id="post-{m.post_id}">
\t\t\t<h2>{title}</h2>

\t\t\t<div class="entry">
\t\t\t\t{p.content_html}
{_share(p.url, p.title or "")}{_related(blog, i, at)}
\t\t\t\t\t\t\t\t{tags_p}
\t\t\t\t<p class="postmetadata alt">
\t\t\t\t\t<small>
\t\t\t\t\t\tThis entry was posted by <a href="{blog.base}/author/\
{re.sub(r"[^a-z]+", "", author.lower()) or "admin"}/" title="Posts by {author}">{author}</a>
\t\t\t\t\t\ton {local:%A}, {long_date(local)} at {clock(local)}\t\t\t\t\t\tand is filed \
under {cats}.
\t\t\t\t\t\tYou can follow any responses to this entry through the \
<a href='{p.url}feed/'>RSS 2.0</a> feed.
\t\t\t\t\t\tYou can <a href="#respond">leave a response</a>, or \
<a href="{p.url}trackback/" rel="trackback">trackback</a> from your own site.
\t\t\t\t\t</small>
\t\t\t\t</p>

\t\t\t</div>
\t\t</div>

{_comments_block(blog, i, at)}
\t</div>

{_sidebar(blog, at)}{_footer(blog)}"""


def index_page(blog: Blog, at: datetime, page: int = 1, *, charset: str = "UTF-8") -> str:
    """The home page (``page=1``) or ``/page/N/`` as served at ``at``."""
    shown = blog.latest("wordpress", at, blog.per_page, (page - 1) * blog.per_page)
    posts = []
    for i in shown:
        p, m = blog.posts[i], blog.meta[i]
        link = blog.link_of(i)
        title = esc(p.title or "")
        body = p.content_html
        if m.teaser_html is not None:
            body = (
                f'{m.teaser_html}\n<p><a href="{link}#more-{m.post_id}" class="more-link">'
                "Read the rest of this entry &raquo;</a></p>"
            )
        cats, tags = _terms_line(blog, i)
        n = len(blog.comments_at(i, at))
        count = "No Comments &#187;" if not n else f"{n} Comment{'s' if n > 1 else ''} &#187;"
        local = m.published.astimezone(blog.tz)
        posts.append(f"""
\t\t\t<div class="post" id="post-{m.post_id}">
\t\t\t\t<h2><a href="{link}" rel="bookmark" title="Permanent Link to {title}">{title}</a></h2>
\t\t\t\t<small>{long_date(local)} <!-- by {esc(p.author or "")} --></small>

\t\t\t\t<div class="entry">
\t\t\t\t\t{body}
\t\t\t\t</div>

\t\t\t\t<p class="postmetadata">{tags + "<br />" if tags else ""} Posted in {cats} | \
<a href="{link}#comments" title="Comment on {title}">{count}</a></p>
\t\t\t</div>
""")
    older = ""
    if blog.published_count("wordpress", at) > page * blog.per_page:
        older = f'<a href="{blog.base}/page/{page + 1}/">&laquo; Older Entries</a>'
    newer = ""
    if page > 1:
        newer_url = f"{blog.base}/" if page == 2 else f"{blog.base}/page/{page - 1}/"
        newer = f'<a href="{newer_url}">Newer Entries &raquo;</a>'
    return f"""{_head(blog, esc(blog.title), charset)}
\t<div id="content" class="narrowcolumn" role="main">
{"".join(posts)}
\t\t<div class="navigation">
\t\t\t<div class="alignleft">{older}</div>
\t\t\t<div class="alignright">{newer}</div>
\t\t</div>

\t</div>

{_sidebar(blog, at)}{_footer(blog)}"""


def _excerpt(content: str, words: int = 55) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", " ", content))
    ws = plain.split()
    return " ".join(ws[:words]) + (" [...]" if len(ws) > words else "")


def _cdata(s: str) -> str:
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def feed(blog: Blog, at: datetime) -> str:
    """``/feed/``: RSS 2.0 with ``content:encoded``, the newest posts at ``at``."""
    shown = blog.latest("wordpress", at, blog.feed_items)
    items = []
    for i in shown:
        p, m = blog.posts[i], blog.meta[i]
        cats = "".join(f"\n\t\t<category>{_cdata(c)}</category>" for c in p.categories + p.tags)
        items.append(f"""\t<item>
\t\t<title>{html.escape(p.title or "", quote=False)}</title>
\t\t<link>{p.url}</link>
\t\t<comments>{p.url}#comments</comments>
\t\t<pubDate>{rfc822(m.published)}</pubDate>
\t\t<dc:creator>{html.escape(p.author or "", quote=False)}</dc:creator>{cats}

\t\t<guid isPermaLink="false">{blog.base}/?p={m.post_id}</guid>
\t\t<description>{_cdata(_excerpt(p.content_html))}</description>
\t\t\t<content:encoded>{_cdata(p.content_html)}</content:encoded>
\t\t\t<wfw:commentRss>{p.url}feed/</wfw:commentRss>
\t\t</item>
""")
    built = rfc822(blog.meta[shown[0]].published) if shown else rfc822(at)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
\t>

<channel>
\t<title>{html.escape(blog.title, quote=False)}</title>
\t<atom:link href="{blog.base}/feed/" rel="self" type="application/rss+xml" />
\t<link>{blog.base}</link>
\t<description>{html.escape(blog.tagline, quote=False)}</description>
\t<lastBuildDate>{built}</lastBuildDate>
\t<generator>http://wordpress.org/?v=2.7.1</generator>
\t<language>en</language>
\t<sy:updatePeriod>hourly</sy:updatePeriod>
\t<sy:updateFrequency>1</sy:updateFrequency>
{"".join(items)}\t</channel>
</rss>
"""
