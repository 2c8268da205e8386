"""Blogger pages in a 2008 layouts template (Minima), and its ``alt=rss`` feed."""

from __future__ import annotations

import html
import re
from datetime import datetime

from support.demo.model import Blog
from support.demo.text import TAGS
from support.demo.wordpress import clock, rfc822

BLOG_ID = "7212345678901234567"


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def _label_url(blog: Blog, label: str) -> str:
    return f"{blog.base}/search/label/{label.replace(' ', '%20')}"


def _head(blog: Blog, title: str, charset: str, canonical: str) -> str:
    b = blog.base
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">

<html dir='ltr' xmlns='http://www.w3.org/1999/xhtml' \
xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' \
xmlns:expr='http://www.google.com/2005/gml/expr'>
<head>
<meta content='text/html; charset={charset}' http-equiv='Content-Type'/>
<meta content='true' name='MSSmartTagsPreventParsing'/>
<meta content='blogger' name='generator'/>
<link href='http://www.blogger.com/favicon.ico' rel='icon' type='image/vnd.microsoft.icon'/>
<link href='{canonical}' rel='canonical'/>
<link rel="alternate" type="application/atom+xml" title="{esc(blog.title)} - Atom" \
href="{b}/feeds/posts/default" />
<link rel="alternate" type="application/rss+xml" title="{esc(blog.title)} - RSS" \
href="{b}/feeds/posts/default?alt=rss" />
<link rel="service.post" type="application/atom+xml" title="{esc(blog.title)} - Atom" \
href="http://www.blogger.com/feeds/{BLOG_ID}/posts/default" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" \
href="http://www.blogger.com/rsd.g?blogID={BLOG_ID}" />
<title>{title}</title>
<style id='page-skin-1' type='text/css'><!--
/* Blogger Template Style  Name: Minima  Designer: Douglas Bowman */
body {{ background:#fff; margin:0; color:#333; font:x-small Georgia Serif; }}
#outer-wrapper {{ width: 660px; margin:0 auto; padding:10px; text-align:left; }}
.post h3 {{ margin:.25em 0 0; padding:0 0 4px; font-size:140%; }}
--></style>
<link type='text/css' rel='stylesheet' \
href='http://www.blogger.com/static/v1/widgets/2975440469-widget_css_bundle.css' />
</head>
<body>
<div class='navbar section' id='navbar'><div class='widget Navbar' id='Navbar1'>\
<script type="text/javascript">
    function setAttributeOnload(object, attribute, val) {{
      if(window.addEventListener) {{
        window.addEventListener('load',
          function(){{ object[attribute] = val; }}, false);
      }} else {{
        window.attachEvent('onload', function(){{ object[attribute] = val; }});
      }}
    }}
  </script>
<div id="navbar-iframe-container"></div>
<script type="text/javascript" src="http://www.google.com/jsapi"></script>
</div></div>
<div id='outer-wrapper'><div id='wrap2'>
<!-- skip links for text browsers -->
<span id='skiplinks' style='display:none;'>
<a href='#main'>skip to main </a> |
      <a href='#sidebar'>skip to sidebar</a>
</span>
<div id='header-wrapper'>
<div class='header section' id='header'><div class='widget Header' id='Header1'>
<div id='header-inner'>
<div class='titlewrapper'>
<h1 class='title'>
<a href='{b}/'>{esc(blog.title)}</a>
</h1>
</div>
<div class='descriptionwrapper'>
<p class='description'><span>{esc(blog.tagline)}</span></p>
</div>
</div>
</div></div>
</div>
<div id='content-wrapper'>
<div id='crosscol-wrapper' style='text-align:center'>
<div class='crosscol no-items section' id='crosscol'></div>
</div>
<div id='main-wrapper'>
<div class='main section' id='main'><div class='widget Blog' id='Blog1'>
<div class='blog-posts hfeed'>
<!-- google_ad_section_start(name=default) -->
"""


def _share(blog: Blog, i: int) -> str:
    pid = blog.meta[i].post_id
    base = f"http://www.blogger.com/share-post.g?blogID={BLOG_ID}&amp;postID={pid}&amp;target="
    return "".join(
        f"<a class='goog-inline-block share-button sb-{t}' href='{base}{t}' target='_blank' "
        f"title='{label}'><span class='share-button-link-text'>{label}</span></a>"
        for t, label in (
            ("email", "Email This"),
            ("blog", "BlogThis!"),
            ("twitter", "Share to Twitter"),
            ("facebook", "Share to Facebook"),
        )
    )


def _post(blog: Blog, i: int, at: datetime, *, item: bool) -> str:
    p, m = blog.posts[i], blog.meta[i]
    local = m.published.astimezone(blog.tz)
    link = p.url if item else blog.link_of(i)
    body = p.content_html
    if not item and m.teaser_html is not None:
        body = (
            f"{m.teaser_html}\n<div class='jump-link'>\n<a href='{link}#more' "
            f"title='{esc(p.title or '')}'>Read more &#187;</a>\n</div>"
        )
    labels = ""
    if p.categories:
        labels = (
            "<span class='post-labels'>\nLabels:\n"
            + ",\n".join(
                f"<a href='{_label_url(blog, t)}' rel='tag'>{esc(t)}</a>" for t in p.categories
            )
            + "\n</span>\n"
        )
    n = len(blog.comments_at(i, at))
    comment_link = ""
    if not item:
        word = "comment" if n == 1 else "comments"
        comment_link = f"<a class='comment-link' href='{link}#comments' onclick=''>{n} {word}</a>"
    return f"""<div class='post-outer'>
<div class='post hentry uncustomized-post-template'>
<a name='{m.post_id}'></a>
<h3 class='post-title entry-title'>
<a href='{link}'>{esc(p.title or "")}</a>
</h3>
<div class='post-header'>
<div class='post-header-line-1'></div>
</div>
<div class='post-body entry-content' id='post-body-{m.post_id}'>
{body}
<div style='clear: both;'></div>
</div>
<div class='post-footer'>
<div class='post-footer-line post-footer-line-1'><span class='post-author vcard'>
Posted by
<span class='fn'>{esc(p.author or "")}</span>
</span>
<span class='post-timestamp'>
at
<a class='timestamp-link' href='{link}' rel='bookmark' title='permanent link'>\
<abbr class='published' title='{local.isoformat(timespec="milliseconds")}'>\
{clock(local).upper()}</abbr></a>
</span>
<span class='post-comment-link'>
{comment_link}
</span>
<span class='post-icons'>
<span class='item-action'>
<a href='http://www.blogger.com/email-post.g?blogID={BLOG_ID}&amp;postID={m.post_id}' \
title='Email Post'>
<img alt='' class='icon-action' height='13' src='http://img1.blogblog.com/img/icon18_email.gif' \
width='18'/>
</a>
</span>
</span>
<div class='post-share-buttons'>
{_share(blog, i)}
</div>
</div>
<div class='post-footer-line post-footer-line-2'>{labels}</div>
<div class='post-footer-line post-footer-line-3'></div>
</div>
</div>
{_comments(blog, i, at) if item else ""}</div>
"""


def _comments(blog: Blog, i: int, at: datetime) -> str:
    p, m = blog.posts[i], blog.meta[i]
    shown = blog.comments_at(i, at)
    rows = []
    for c in shown:
        t = datetime.fromisoformat(c.published or "")
        cid = c.id or "c0"
        who = esc(c.author or "Anonymous")
        if c.author_url:
            who = f"<a href='{esc(c.author_url)}' rel='nofollow'>{who}</a>"
        ms = int(t.timestamp() * 1000)
        rows.append(f"""<dt class='comment-author ' id='{cid}'>
<a name='{cid}'></a>
{who}
said...
</dt>
<dd class='comment-body' id='Blog1_cmt-{cid[1:]}'>
{c.content_html}
</dd>
<dd class='comment-footer'>
<span class='comment-timestamp'>
<a href='{p.url}?showComment={ms}#{cid}' title='comment permalink'>
{t:%B} {t.day}, {t.year} {clock(t).upper()}
</a>
<span class='item-control blog-admin pid-1436223464'>
<a class='comment-delete' href='http://www.blogger.com/delete-comment.g?blogID={BLOG_ID}\
&amp;postID={cid[1:]}' title='Delete Comment'>
<img src='http://img2.blogblog.com/img/icon_delete13.gif'/>
</a>
</span>
</span>
</dd>
""")
    n = len(shown)
    return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>
{n}
{"comment" if n == 1 else "comments"}:
</h4>
<div id='Blog1_comments-block-wrapper'>
<dl class='avatar-comment-indent' id='comments-block'>
{"".join(rows)}</dl>
</div>
<p class='comment-footer'>
<a href='https://www.blogger.com/comment.g?blogID={BLOG_ID}&amp;postID={m.post_id}' \
onclick=''>Post a Comment</a>
</p>
</div>
"""


def _date_group(blog: Blog, indices: list[int], at: datetime, *, item: bool) -> str:
    out = []
    day = None
    for i in indices:
        local = blog.meta[i].published.astimezone(blog.tz)
        if local.date() != day:
            if day is not None:
                out.append("</div></div>\n")
            day = local.date()
            out.append(
                "<div class=\"date-outer\">\n<h2 class='date-header'><span>"
                f"{local:%A, %B} {local.day}, {local.year}</span></h2>\n"
                '<div class="date-posts">\n'
            )
        out.append(_post(blog, i, at, item=item))
    if day is not None:
        out.append("</div></div>\n")
    return "".join(out)


def _sidebar(blog: Blog, at: datetime, focus: datetime | None) -> str:
    b = blog.base
    months = blog.months("blogger", at)
    focus = focus or (blog.meta[blog.latest("blogger", at, 1)[0]].published if months else at)
    fl = focus.astimezone(blog.tz)
    years: dict[int, list[tuple[int, int]]] = {}
    for y, mo, c in months:
        years.setdefault(y, []).append((mo, c))
    parts = []
    for y, ms in years.items():
        open_y = y == fl.year
        sub = []
        for mo, c in ms:
            open_m = open_y and mo == fl.month
            titles = ""
            if open_m:
                lo = datetime(y, mo, 1, tzinfo=blog.tz)
                posts = [
                    i
                    for i in blog.latest("blogger", at, c + 1)
                    if blog.meta[i].published >= lo
                    and blog.meta[i].published.astimezone(blog.tz).month == mo
                ]
                titles = (
                    "<ul class='posts'>\n"
                    + "".join(
                        f"<li><a href='{blog.posts[j].url}'>"
                        f"{esc(blog.posts[j].title or '')}</a></li>\n"
                        for j in posts
                    )
                    + "</ul>\n"
                )
            state = "expanded" if open_m else "collapsed"
            zippy = "toggle-open'>&#9660;" if open_m else "'>&#9658;"
            sub.append(
                f"<li class='archivedate {state}'>\n<a class='toggle' href='javascript:void(0)'>"
                f"<span class='zippy {zippy}&#160;</span></a>\n"
                f"<a class='post-count-link' href='{b}/{y}_{mo:02d}_01_archive.html'>"
                f"{datetime(y, mo, 1):%B}</a>\n<span class='post-count' dir='ltr'>({c})</span>\n"
                f"{titles}</li>\n"
            )
        total = sum(c for _, c in ms)
        state = "expanded" if open_y else "collapsed"
        parts.append(
            f"<li class='archivedate {state}'>\n<a class='toggle' href='javascript:void(0)'>"
            f"<span class='zippy'>&#9658;&#160;</span></a>\n"
            f"<a class='post-count-link' href='{b}/{y}/'>{y}</a>\n"
            f"<span class='post-count' dir='ltr'>({total})</span>\n"
            f"<ul class='hierarchy'>\n{''.join(sub)}</ul>\n</li>\n"
        )

    labels = "".join(
        f"<li>\n<a dir='ltr' href='{_label_url(blog, t)}'>{esc(t)}</a>\n</li>\n"
        for t in sorted(TAGS)
    )
    return f"""<div id='sidebar-wrapper'>
<div class='sidebar section' id='sidebar'><div class='widget BlogArchive' id='BlogArchive1'>
<h2>Blog Archive</h2>
<div class='widget-content'>
<div id='ArchiveList'>
<div id='BlogArchive1_ArchiveList'>
<ul class='hierarchy'>
{"".join(parts)}</ul>
</div>
</div>
<div class='clear'></div>
</div>
</div><div class='widget Label' id='Label1'>
<h2>Labels</h2>
<div class='widget-content list-label-widget-content'>
<ul>
{labels}</ul>
<div class='clear'></div>
</div>
</div><div class='widget Profile' id='Profile1'>
<h2>About Me</h2>
<div class='widget-content'>
<dl class='profile-datablock'>
<dt class='profile-data'>
<a class='profile-name-link g-profile' href='http://www.blogger.com/profile/04412345678901234567' \
rel='author'>{esc(blog.posts[0].author or "")}</a>
</dt>
</dl>
<a class='profile-link' href='http://www.blogger.com/profile/04412345678901234567' \
rel='author'>View my complete profile</a>
<div class='clear'></div>
</div>
</div></div>
</div>
<!-- spacer for skins that want sidebar and main to be the same height-->
<div class='clear'>&#160;</div>
</div>
<!-- end content-wrapper -->
<div id='footer-wrapper'>
<div class='footer section' id='footer'><div class='widget Attribution' id='Attribution1'>
<div class='widget-content' style='text-align: center;'>
Powered by <a href='http://www.blogger.com' target='_blank'>Blogger</a>.
</div>
<div class='clear'></div>
</div></div>
</div>
</div></div>
<!-- end outer-wrapper -->
<script type="text/javascript">
window.setTimeout(function() {{
    document.body.className = document.body.className.replace('loading', '');
  }}, 10);
</script>
</body>
</html>
"""


def _older_url(blog: Blog, at: datetime, before: int) -> str:
    stamp = blog.meta[before].published.isoformat().replace(":", "%3A").replace("+", "%2B")
    return f"{blog.base}/search?updated-max={stamp}&amp;max-results={blog.per_page}"


def post_page(blog: Blog, i: int, at: datetime, *, charset: str = "UTF-8") -> str:
    """A post's item page as Blogger served it at ``at``."""
    p = blog.posts[i]
    prev, nxt = blog.neighbours(i, at)
    pager = []
    if nxt is not None:
        pager.append(
            f"<span id='blog-pager-newer-link'>\n<a class='blog-pager-newer-link' "
            f"href='{blog.posts[nxt].url}' id='Blog1_blog-pager-newer-link' "
            "title='Newer Post'>Newer Post</a>\n</span>\n"
        )
    if prev is not None:
        pager.append(
            f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' "
            f"href='{blog.posts[prev].url}' id='Blog1_blog-pager-older-link' "
            "title='Older Post'>Older Post</a>\n</span>\n"
        )
    title = f"{esc(blog.title)}: {esc(p.title or '')}"
    return f"""{_head(blog, title, charset, p.url)}{_date_group(blog, [i], at, item=True)}\
<!-- google_ad_section_end -->
</div>
<div class='blog-pager' id='blog-pager'>
{"".join(pager)}<a class='home-link' href='{blog.base}/'>Home</a>
</div>
<div class='clear'></div>
<div class='post-feeds'>
<div class='feed-links'>
Subscribe to:
<a class='feed-link' href='{blog.base}/feeds/{blog.meta[i].post_id}/comments/default' \
target='_blank' type='application/atom+xml'>Post Comments (Atom)</a>
</div>
</div>
</div></div>
</div>
{_sidebar(blog, at, blog.meta[i].published)}"""


def index_page(blog: Blog, at: datetime, page: int = 1, *, charset: str = "UTF-8") -> str:
    """The home page (``page=1``) or an "Older Posts" page as served at ``at``."""
    shown = blog.latest("blogger", at, blog.per_page, (page - 1) * blog.per_page)
    older = ""
    if shown and blog.published_count("blogger", at) > page * blog.per_page:
        older = (
            f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' "
            f"href='{_older_url(blog, at, shown[-1])}' id='Blog1_blog-pager-older-link' "
            "title='Older Posts'>Older Posts</a>\n</span>\n"
        )
    return f"""{_head(blog, esc(blog.title), charset, blog.base + "/")}\
{_date_group(blog, shown, at, item=False)}<!-- google_ad_section_end -->
</div>
<div class='blog-pager' id='blog-pager'>
{older}<a class='home-link' href='{blog.base}/'>Home</a>
</div>
<div class='clear'></div>
<div class='blog-feeds'>
<div class='feed-links'>
Subscribe to:
<a class='feed-link' href='{blog.base}/feeds/posts/default' target='_blank' \
type='application/atom+xml'>Posts (Atom)</a>
</div>
</div>
</div></div>
</div>
{_sidebar(blog, at, None)}"""


def feed(blog: Blog, at: datetime) -> str:
    """``/feeds/posts/default?alt=rss``: RSS 2.0, full post HTML in ``description``."""
    shown = blog.latest("blogger", at, blog.feed_items)
    items = []
    for i in shown:
        p, m = blog.posts[i], blog.meta[i]
        cats = "".join(
            f"<category domain='http://www.blogger.com/atom/ns#'>{html.escape(t)}</category>"
            for t in p.categories
        )
        n = len(blog.comments_at(i, at))
        items.append(
            f"<item><guid isPermaLink='false'>tag:blogger.com,1999:blog-{BLOG_ID}.post-"
            f"{m.post_id}</guid><pubDate>{rfc822(m.published)}</pubDate>"
            f"<atom:updated>{m.published.isoformat(timespec='milliseconds')}</atom:updated>"
            f"{cats}<title>{html.escape(p.title or '', quote=False)}</title>"
            f"<description>{html.escape(p.content_html, quote=False)}</description>"
            f"<link>{p.url}</link><author>noreply@blogger.com ({html.escape(p.author or '')})"
            f"</author><thr:total>{n}</thr:total></item>"
        )
    updated = blog.meta[shown[0]].published if shown else at
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss xmlns:atom='http://www.w3.org/2005/Atom' "
        "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
        "xmlns:georss='http://www.georss.org/georss' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0' version='2.0'><channel>"
        f"<atom:id>tag:blogger.com,1999:blog-{BLOG_ID}</atom:id>"
        f"<lastBuildDate>{rfc822(updated)}</lastBuildDate>"
        + "".join(f"<category>{html.escape(t)}</category>" for t in sorted(_labels(blog)))
        + f"<title>{html.escape(blog.title, quote=False)}</title>"
        f"<description>{html.escape(blog.tagline, quote=False)}</description>"
        f"<link>{blog.base}/</link><managingEditor>noreply@blogger.com "
        f"({html.escape(blog.posts[0].author or '')})</managingEditor>"
        "<generator>Blogger</generator>"
        f"<openSearch:totalResults>{blog.published_count('blogger', at)}"
        "</openSearch:totalResults><openSearch:startIndex>1</openSearch:startIndex>"
        f"<openSearch:itemsPerPage>{blog.feed_items}</openSearch:itemsPerPage>"
        + "".join(items)
        + "</channel></rss>"
    )


def _labels(blog: Blog) -> set[str]:
    return {re.sub(r"\s+", " ", t) for t in TAGS}
