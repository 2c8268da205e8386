"""Pages that are not the blog's own: error pages, redirects, and a Wayback-rewritten copy."""

from __future__ import annotations

import re
from datetime import UTC, datetime

DB_ERROR = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir='ltr'>
<head>
\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
\t<title>WordPress &rsaquo; Error</title>
\t<link rel="stylesheet" href="/wp-admin/css/install.css" type="text/css" />
</head>
<body id="error-page">
\t<h1>Error establishing a database connection</h1>
</body>
</html>
"""

HTTP_500 = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>500 Internal Server Error</title>
</head><body>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error or
misconfiguration and was unable to complete
your request.</p>
<p>Please contact the server administrator,
 webmaster@{host} and inform them of the time the error occurred,
and anything you might have done that may have
caused the error.</p>
<p>More information about this error may be available
in the server error log.</p>
<hr>
<address>Apache/2.2.22 (Unix) Server at {host} Port 80</address>
</body></html>
"""

SUSPENDED = """<html>
<head>
<title>Account Suspended</title>
<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
</head>
<body>
<div style="text-align:center; margin-top:100px; font-family:Arial, Helvetica, sans-serif">
<h1>Account Suspended</h1>
<p>This Account has been suspended.</p>
<p>Contact your hosting provider for more information.</p>
</div>
</body>
</html>
"""

MOVED = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>301 Moved Permanently</title>
</head><body>
<h1>Moved Permanently</h1>
<p>The document has moved <a href="{location}">here</a>.</p>
<hr>
<address>Apache/2.2.11 (Unix) Server at {host} Port 80</address>
</body></html>
"""


def error_page(kind: str, host: str) -> str:
    """The body of an error capture: ``db``, ``500`` or ``suspended``."""
    if kind == "db":
        return DB_ERROR
    if kind == "500":
        return HTTP_500.format(host=host)
    if kind == "suspended":
        return SUSPENDED
    raise ValueError(f"unknown error page {kind!r}")


def redirect_page(location: str, host: str) -> str:
    return MOVED.format(location=location, host=host)


_ATTR = re.compile(r"""(?P<attr>\b(?:href|src|action)=)(?P<q>["'])(?P<url>[^"']*)(?P=q)""", re.I)
_IMG = re.compile(r"\.(?:jpe?g|png|gif)$", re.I)


def _mod(url: str, tag_hint: str) -> str:
    if tag_hint == "src" and _IMG.search(url):
        return "im_"
    if url.endswith(".css"):
        return "cs_"
    if ".js" in url:
        return "js_"
    return ""


def rewrite_as_archived(page: str, ts: str, host: str, captures: int = 7) -> str:
    """``page`` as a Wayback Machine replay serves it: every link through ``/web/TS/``, the
    rewrite JS in the head, the toolbar after ``<body>`` and the archive note at the end."""

    def fix(m: re.Match[str]) -> str:
        url = m.group("url")
        if url.startswith("/") and not url.startswith("//"):
            url = f"http://{host}{url}"
        elif url.startswith("//"):
            url = "http:" + url
        if not re.match(r"https?://", url, re.I):
            return m.group(0)
        mod = _mod(url, m.group("attr")[:-1].lower())
        return f"{m.group('attr')}{m.group('q')}/web/{ts}{mod}/{url}{m.group('q')}"

    body = _ATTR.sub(fix, page)
    at = datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    head_insert = (
        '<script src="//archive.org/includes/analytics.js?v=cf34f82" type="text/javascript">'
        "</script>\n"
        "<script type=\"text/javascript\">window.addEventListener('DOMContentLoaded',"
        "function(){var v=archive_analytics.values;v.service='wb';v.server_name='wwwb-app220';"
        "v.server_ms=152;archive_analytics.send_pageview({});});</script>\n"
        '<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1WaXNDFE" '
        'charset="utf-8"></script>\n'
        '<script type="text/javascript" src="/_static/js/wombat.js?v=txqj7nKC" charset="utf-8">'
        "</script>\n"
        '<script type="text/javascript">\n  __wm.init("https://web.archive.org/web");\n'
        f'  __wm.wombat("http://{host}/","{ts}","https://web.archive.org/","web","/_static/",\n'
        f'\t      "{int(at.timestamp())}");\n</script>\n'
        '<link rel="stylesheet" type="text/css" '
        'href="/_static/css/banner-styles.css?v=S1zqJCYt" />\n'
        '<link rel="stylesheet" type="text/css" href="/_static/css/iconochive.css?v=qtvMKcIJ" />\n'
        "<!-- End Wayback Rewrite JS Include -->\n"
    )
    toolbar = f"""<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<script>__wm.rw(0);</script>
<div id="wm-ipp-base" lang="en" style="display:none;direction:ltr;">
<div id="wm-ipp" style="position:fixed;left:0;top:0;right:0;">
<div id="donato" style="position:relative;width:100%;">
  <div id="donato-base">
    <iframe id="donato-if" src="https://archive.org/includes/donate.php?as_page=1&amp;platform=wb\
&amp;referer=https%3A//web.archive.org/web/{ts}/http%3A//{host}/"
\t    scrolling="no" frameborder="0" style="width:100%; height:100%"></iframe>
  </div>
</div><div id="wm-ipp-inside">
  <div id="wm-toolbar" style="position:relative;display:flex;flex-flow:row nowrap;\
justify-content:space-between;">
    <div id="wm-logo" style="/*width:110px;*/padding-top:12px;">
      <a href="/web/" title="Wayback Machine home page"><img \
src="/_static/images/toolbar/wayback-toolbar-logo-200.png" srcset="/_static/images/toolbar/\
wayback-toolbar-logo-100.png, /_static/images/toolbar/wayback-toolbar-logo-150.png 1.5x, \
/_static/images/toolbar/wayback-toolbar-logo-200.png 2x" alt="Wayback Machine" \
style="width:100px" border="0" /></a>
    </div>
    <div class="c" style="display:flex;flex-flow:column nowrap;justify-content:space-between;\
flex:1;">
      <form class="u" style="display:flex;flex-direction:row;flex-wrap:nowrap;" \
target="_top" method="get" action="/web/submit" name="wmtb" id="wmtb"><input type="text" \
name="url" id="wmtbURL" value="http://{host}/" onfocus="this.focus();this.select();" \
style="flex:1;"/><input type="hidden" name="type" value="replay" /><input type="hidden" \
name="date" value="{ts}" /><input type="submit" value="Go" /></form>
      <div style="display:flex;flex-flow:row nowrap;align-items:flex-end;">
        <div class="s" id="wm-nav-captures" style="flex:1;">
\t  <a class="t" href="/web/{ts}*/http://{host}/" title="See a list of every capture for this \
URL">{captures} captures</a>
\t  <div class="r" title="Timespan for captures of this URL">{at:%d %b %Y}</div>
\t</div>
      </div>
    </div>
    <div class="r" style="display:flex;flex-flow:column nowrap;align-items:flex-end;\
justify-content:space-between;">
      <div id="wm-btns" style="white-space:nowrap;">
        <a href="#close" onclick="__wm.h(event);return false;" style="display:block;\
padding-right:18px;" id="wm-tb-close" title="Close the toolbar"><span class="iconochive-remove-\
circle" style="color:#888888;font-size:240%;"></span></a>
      </div>
    </div>
  </div>
</div>
<div id="wm-capinfo" style="border-top:1px solid #777;display:none; overflow:hidden">
  <div id="wm-capinfo-notice" source="api"></div>
</div></div>
<script type="text/javascript">
 __wm.bt(725,27,25,2,"web","http://{host}/","{ts}",1996,"/_static/",\
["/_static/css/banner-styles.css?v=S1zqJCYt","/_static/css/iconochive.css?v=qtvMKcIJ"], false);
  __wm.rw(1);
</script>
<!-- END WAYBACK TOOLBAR INSERT -->
"""
    body = re.sub(r"(<head\b[^>]*>)", lambda m: m.group(1) + "\n" + head_insert, body, count=1)
    body = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + "\n" + toolbar, body, count=1)
    retrieved = datetime(at.year + 4, 3, 2, 10, 0, tzinfo=UTC)
    note = f"""
<!--
     FILE ARCHIVED ON {at:%H:%M:%S %b %d, %Y} AND RETRIEVED FROM THE
     INTERNET ARCHIVE ON {retrieved:%H:%M:%S %b %d, %Y}.
     JAVASCRIPT APPENDED BY WAYBACK MACHINE, COPYRIGHT INTERNET ARCHIVE.

     ALL OTHER CONTENT MAY ALSO BE PROTECTED BY COPYRIGHT (17 U.S.C.
     SECTION 108(a)(3)).
-->
<!--
playback timings (ms):
  captures_list: 0.612
  exclusion.robots: 0.021
  load_resource: 88.456
-->"""
    return body + note
