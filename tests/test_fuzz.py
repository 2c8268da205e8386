"""Property-based tests: garbage in, no exception out.

Every function here reads what an archive or a dead site sends, so it must survive any
input: extraction, charset decoding, CDX parsing, WARC reading, error-page detection,
feed and sitemap parsing, dates and URL helpers.  Hostile HTML (deep nesting, a 20 MB
page, binary served as text/html, impossible charsets, invalid dates) is checked too.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recover import urls
from recover.choice.capture import Capture
from recover.choice.errorpage import error_reason
from recover.discovery import cdx, warcfile
from recover.discovery.sitemap import sitemap_urls
from recover.extract import charset, extract, extract_bytes
from recover.extract import dates as extract_dates
from recover.post import Post

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
POST_URL = "http://blog.example.com/2008/10/31/a-post/"

# Any code point, lone surrogates included: JSON (CDX, feeds) can carry "\udcff".
any_char = st.characters(blacklist_categories=())
any_text = st.text(any_char, max_size=300)

_TAGS = [
    "html",
    "head",
    "body",
    "title",
    "div",
    "p",
    "a",
    "article",
    "h1",
    "h2",
    "span",
    "meta",
    "script",
    "style",
    "table",
    "tr",
    "td",
    "ul",
    "li",
    "time",
    "abbr",
    "br",
    "img",
    "pre",
    "code",
    "font",
    "b",
    "i",
    "iframe",
    "noscript",
    "template",
    "svg",
]
_ATTRS = [
    "class",
    "id",
    "href",
    "src",
    "content",
    "name",
    "property",
    "rel",
    "datetime",
    "title",
    "itemprop",
    "itemtype",
    "charset",
    "http-equiv",
    "type",
]
_VALUES = [
    "post",
    "entry-content",
    "hentry",
    "entry-title",
    "published",
    "datePublished",
    "headline",
    "article:published_time",
    "generator",
    "WordPress 2.8",
    "Blogger",
    "post-body",
    "date-header",
    "og:title",
    "application/ld+json",
    "2008-13-45",
    "0000-00-00T00:00:00",
    "99999-01-01",
    "-1",
    "1e400",
    "javascript:x",
    "http://[",
    "/web/2008id_/http://x",
    "text/html; charset=bogus",
    "utf-7",
    "\x00",
    "\ufffd",
]


def _tag(draw_tag: str, attrs: list[tuple[str, str]], inner: str, close: bool) -> str:
    attr = "".join(f' {k}="{v}"' for k, v in attrs)
    return f"<{draw_tag}{attr}>{inner}" + (f"</{draw_tag}>" if close else "")


html_fragment = st.recursive(
    st.one_of(
        any_text,
        st.sampled_from(
            [
                "&amp;",
                "&#0;",
                "&#x110000;",
                "&bogus;",
                "<!--",
                "-->",
                "<![CDATA[",
                "]]>",
                "<?xml version='1.0' encoding='bogus'?>",
                "<!DOCTYPE html>",
                '{"@type": "BlogPosting", "datePublished": "2008-02-30"}',
                '{"@context": [], "@graph": {"@type": null}}',
                "</",
                "<",
                ">",
            ]
        ),
    ),
    lambda inner: st.builds(
        _tag,
        st.sampled_from(_TAGS),
        st.lists(st.tuples(st.sampled_from(_ATTRS), st.sampled_from(_VALUES)), max_size=3),
        st.lists(inner, max_size=4).map("".join),
        st.booleans(),
    ),
    max_leaves=30,
)
page_url = st.one_of(
    st.sampled_from(
        [
            POST_URL,
            "http://blog.example.com/",
            "http://blog.example.com/?p=12",
            "http://blog.example.com/2008/10/slug.html",
            "http://[",
            "",
            "not a url",
            "http://blog.example.com/web/2008id_/http://x/2008/01/01/y/",
        ]
    ),
    any_text,
)
timestamps = st.one_of(st.none(), st.text("0123456789", max_size=16), any_text)


# -- extraction -------------------------------------------------------------------------


@FUZZ
@given(html=st.one_of(html_fragment, any_text), url=page_url, captured=timestamps)
def test_extract_never_raises(html: str, url: str, captured: str | None) -> None:
    post = extract(html, url, captured=captured)
    assert post is None or isinstance(post, Post)


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=2000), html_fragment.map(lambda s: s.encode("utf-8", "replace"))
    ),
    url=page_url,
    ctype=st.one_of(
        st.none(),
        any_text,
        st.sampled_from(
            [
                "text/html",
                "text/html; charset=",
                "text/html; charset=utf-16",
                "text/html; charset=x-bogus",
                "text/html; charset=rot13",
                "text/html; charset=zlib",
                "text/html; charset=base64",
                "text/html; charset=idna",
                "text/html; charset=utf-7",
                "text/html; charset=unicode_escape",
                "application/xhtml+xml",
                "text/plain; charset=utf_32",
                "image/png",
            ]
        ),
    ),
    captured=timestamps,
)
@example(  # a document whose first node is a comment: lxml gives the comment as its root
    body=b"<body><!", url="http://blog.example.com/2008/10/31/a-post/", ctype=None, captured=None
)
def test_extract_bytes_never_raises(
    body: bytes, url: str, ctype: str | None, captured: str | None
) -> None:
    post = extract_bytes(body, url, ctype, captured=captured)
    assert post is None or isinstance(post, Post)


IMPOSSIBLE_CHARSETS = [
    "x-bogus",
    "rot13",
    "zlib",
    "base64",
    "hex",
    "uu",
    "bz2",
    "idna",
    "punycode",
    "unicode_escape",
    "raw_unicode_escape",
    "undefined",
    "mbcs",
    "utf-7",
    "utf-16",
    "utf-32",
    "cp65001",
    "",
    "\x00",
    "utf-8\x00",
    "a" * 300,
]


@pytest.mark.parametrize("label", IMPOSSIBLE_CHARSETS)
def test_impossible_charsets(label: str) -> None:
    """A charset label naming no text codec (or a dangerous one) still decodes to text."""
    body = (
        f'<html><head><meta charset="{label}"><title>Caf\u00e9</title></head>'
        f"<body><p>Caf\u00e9 \u201cquotes\u201d</p></body></html>"
    ).encode()
    for ctype in (f"text/html; charset={label}", None):
        assert isinstance(charset.decode(body, ctype), str)
        extract_bytes(body, POST_URL, ctype)
    xml = f'<?xml version="1.0" encoding="{label}"?><html><p>x</p></html>'.encode()
    assert isinstance(charset.decode(xml, None), str)


@FUZZ
@given(body=st.binary(max_size=3000), ctype=st.one_of(st.none(), any_text))
def test_charset_decode_never_raises(body: bytes, ctype: str | None) -> None:
    assert isinstance(charset.decode(body, ctype), str)


# -- hostile HTML ------------------------------------------------------------------------

_POST = (
    "<html><head><title>A real post</title>"
    '<meta name="generator" content="WordPress 2.8.4"></head>'
    '<body class="single"><div id="content"><div class="post hentry" id="post-12">'
    '<h2 class="entry-title">A real post</h2><small>October 31st, 2008</small>'
    '<div class="entry-content"><p>' + "Words a reader came for. " * 60 + "</p></div>"
    "</div></div>{tail}</body></html>"
)


@pytest.mark.parametrize(
    "tail",
    [
        "<div>" * 10_000,
        "<div>" * 10_000 + "x" + "</div>" * 10_000,
        "<font><b><i>" * 10_000,
        "<table><tr><td>" * 3_000,
        "<!--" + "<div>" * 10_000,
    ],
    ids=["unclosed-div", "nested-div", "unclosed-inline", "nested-table", "open-comment"],
)
def test_deep_nesting(tail: str) -> None:
    """10,000-deep markup after a post: no crash, no stack overflow, quickly."""
    page = _POST.format(tail=tail)
    started = time.monotonic()
    post = extract(page, POST_URL)
    error_reason(200, page)
    assert time.monotonic() - started < 20
    assert post is not None and post.title == "A real post"  # the post before the tail
    assert "Words a reader came for." in post.content_html
    deep_only = "<html><body>" + "<div>" * 10_000 + "x" + "</div>" * 10_000 + "</body></html>"
    extract(deep_only, POST_URL)
    error_reason(200, deep_only)


def test_deep_nesting_keeps_the_post() -> None:
    """Unclosed tags (old blogs are full of them) after the body don't lose the post."""
    post = extract(_POST.format(tail="<div><font>" * 5_000), POST_URL)
    assert post is not None and post.title == "A real post"


def test_twenty_megabyte_page() -> None:
    """A 20 MB page is read in bounded time and memory."""
    filler = "<p>" + "word " * 40_000 + "</p>\n"
    page = _POST.format(tail=filler * 100)
    assert len(page) > 20_000_000
    started = time.monotonic()
    post = extract_bytes(page.encode(), POST_URL, "text/html; charset=utf-8")
    reason = error_reason(200, page)
    assert time.monotonic() - started < 60
    assert post is not None and post.title == "A real post"
    assert reason is None or isinstance(reason, str)


def test_one_huge_text_node() -> None:
    """20 MB in one text node with no markup at all."""
    body = b"<html><body>" + b"a" * 20_000_000
    post = extract_bytes(body, POST_URL, "text/html")
    assert post is None or isinstance(post, Post)
    reason = error_reason(200, body.decode())
    assert reason is None or isinstance(reason, str)


@pytest.mark.parametrize("seed", range(4))
def test_binary_served_as_html(seed: int) -> None:
    """Random bytes, a PNG and a gzip stream labelled text/html are no post."""
    rng = random.Random(seed)
    blobs = [
        rng.randbytes(200_000),
        b"\x89PNG\r\n\x1a\n" + rng.randbytes(50_000),
        gzip.compress(_POST.format(tail="").encode()),
        b"\x00" * 100_000,
    ]
    for blob in blobs:
        for ctype in ("text/html", "text/html; charset=utf-8", "text/html; charset=utf-16", None):
            assert extract_bytes(blob, POST_URL, ctype) is None
        text = charset.decode(blob, "text/html")
        reason = error_reason(200, text)
        assert reason is None or isinstance(reason, str)
    # the control: the same call reads the page itself (an extractor that fails fails here)
    page = _POST.format(tail="").encode()
    assert extract_bytes(page, POST_URL, "text/html").title == "A real post"


INVALID_DATES = [
    "2008-02-30",
    "2008-13-01",
    "0000-00-00 00:00:00",
    "99999-12-31T25:61:61Z",
    "-0001-01-01",
    "2008-10-31T10:00:00+99:99",
    "1e400",
    "NaN",
    "yesterday",
    "31/31/2008",
    "2008-10-31T10:00:00.9999999999999999999Z",
    "\x00",
    "",
    "October 32nd, 2008",
    "9" * 400,
    "1970-01-01T00:00:00-24:00",
    "2038-01-19T03:14:08Z",
    "0001-01-01T00:00:00+14:00",
]


@pytest.mark.parametrize("date", INVALID_DATES)
def test_invalid_dates(date: str) -> None:
    """Impossible dates in every place a page may put them."""
    page = (
        "<html><head><title>Dated</title>"
        f'<meta property="article:published_time" content="{date}">'
        '<script type="application/ld+json">'
        + json.dumps(
            {
                "@type": "BlogPosting",
                "headline": "Dated",
                "datePublished": date,
                "dateModified": date,
            }
        )
        + "</script></head><body>"
        f'<article class="h-entry"><h1 class="p-name">Dated</h1>'
        f'<time class="dt-published" datetime="{date}">{date}</time>'
        f'<abbr class="published" title="{date}">{date}</abbr>'
        '<div class="e-content"><p>' + "Body text. " * 40 + "</p></div></article></body></html>"
    )
    for url in (POST_URL, "http://blog.example.com/9999/99/99/x/", "http://blog.example.com/p"):
        post = extract(page, url, captured=date)
        assert post is not None and post.title == "Dated"  # a bad date loses the date only
        assert post.published is None or post.published[:4].isdigit()
    assert extract_dates.parse_date(date) is None or isinstance(extract_dates.parse_date(date), str)
    extract_dates.from_capture(date)


@FUZZ
@given(value=st.one_of(any_text, st.sampled_from(INVALID_DATES)))
def test_date_helpers_never_raise(value: str) -> None:
    from recover.export import dates as export_dates

    extract_dates.parse_date(value)
    urls.date_from_url(value)
    extract_dates.from_capture(value)
    export_dates.parse_iso(value)
    export_dates.capture_time(value)


# -- error pages -------------------------------------------------------------------------


@FUZZ
@given(
    status=st.one_of(st.none(), st.integers(-1000, 1000)),
    html=st.one_of(st.none(), html_fragment, any_text),
)
@example(status=None, html="<BODY><!")  # the first node a comment (found in CI)
def test_error_reason_never_raises(status: int | None, html: str | None) -> None:
    reason = error_reason(status, html)
    assert reason is None or isinstance(reason, str)


# -- CDX -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), any_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)
    ),
    max_leaves=12,
)
cdx_field = st.one_of(
    st.sampled_from(
        [
            "urlkey",
            "timestamp",
            "original",
            "mimetype",
            "statuscode",
            "digest",
            "length",
            "url",
            "mime",
            "status",
        ]
    ),
    any_text,
)
cdx_row_value = st.one_of(
    st.sampled_from(
        [
            "20081031120000",
            "2008",
            "1",
            "http://blog.example.com/x",
            "http://[",
            "-",
            "200",
            "\u0661\u0662",
            "1e5",
            "text/html",
            "",
        ]
    ),
    any_text,
    json_values,
)
cdx_json_object = st.dictionaries(cdx_field, cdx_row_value, max_size=8).map(lambda d: json.dumps(d))
cdx_json_rows = st.lists(st.lists(cdx_row_value, max_size=8), max_size=8).map(json.dumps)
cdx_classic_line = st.lists(
    st.one_of(cdx_row_value.map(str), st.text(max_size=20)), min_size=1, max_size=9
).map(" ".join)
cdx_text = st.one_of(
    any_text,
    cdx_json_rows,
    st.lists(st.one_of(cdx_json_object, cdx_classic_line, any_text), max_size=10).map("\n".join),
)


@FUZZ
@given(text=cdx_text, archive=st.one_of(st.just("http://127.0.0.1:1/web/"), any_text))
@example(text='[["timestamp","original"],["2008","http://["]]', archive="http://a/web/")
@example(text='{"timestamp": 2008, "url": 5, "length": [1]}', archive="http://a/web/")
@example(text="[" * 100_000, archive="http://a/web/")
def test_cdx_parse_never_raises(text: str, archive: str) -> None:
    page = cdx.parse(text, archive)
    assert page.bad_lines >= 0
    for cap in page.captures:
        assert len(cap.timestamp) == 14 and cap.timestamp.isdigit()
        assert isinstance(cap.original, str) and cap.original
        assert cap.status is None or isinstance(cap.status, int)
        cap.replay_url  # noqa: B018


@FUZZ
@given(archive=any_text, host=any_text, key=st.one_of(st.none(), any_text))
def test_cdx_query_url_raises_only_value_error(archive: str, host: str, key: str | None) -> None:
    """A bad archive address is a ValueError (a usage error), nothing else."""
    try:
        cdx.query_url(archive, host, resume_key=key)
    except ValueError:
        pass


# -- WARC ----------------------------------------------------------------------------------


def _warc_bytes(gz: bool, n: int = 4) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for i in range(n):
        body = f"<html><title>post {i}</title><p>{'x' * (50 * i)}</p></html>".encode()
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        rec = writer.create_warc_record(
            f"http://blog.example.com/2008/10/{i:02d}/post/",
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": f"2008-10-{i + 1:02d}T12:00:00Z"},
        )
        writer.write_record(rec)
    return out.getvalue()


GOOD_WARC = _warc_bytes(False)
GOOD_WARC_GZ = _warc_bytes(True)


def _read_all(data: bytes) -> int:
    """index() then read() every capture of ``data`` written to a file; captures read."""
    fd, name = tempfile.mkstemp(suffix=".warc.gz")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        path = Path(name)
        caps = list(warcfile.index(path))
        for cap in caps:
            record = warcfile.read(cap)
            assert record is None or isinstance(record.body, bytes)
        bogus = Capture(
            archive=warcfile.archive_name(path),
            timestamp="2" * 14,
            original="http://x/",
            location="-5",
        )
        assert warcfile.read(bogus) is None
        return len(caps)
    finally:
        os.unlink(name)


def test_good_warc_reads() -> None:
    assert _read_all(GOOD_WARC) == 4
    assert _read_all(GOOD_WARC_GZ) == 4


@FUZZ
@given(data=st.data(), gz=st.booleans())
def test_truncated_warc(data: st.DataObject, gz: bool) -> None:
    whole = GOOD_WARC_GZ if gz else GOOD_WARC
    cut = data.draw(st.integers(0, len(whole)))
    _read_all(whole[:cut])


@FUZZ
@given(data=st.data(), gz=st.booleans())
def test_corrupt_warc(data: st.DataObject, gz: bool) -> None:
    """Bytes overwritten anywhere (headers, gzip members, bodies)."""
    buf = bytearray(GOOD_WARC_GZ if gz else GOOD_WARC)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(buf) - 1))
        buf[at] = data.draw(st.integers(0, 255))
    _read_all(bytes(buf))


@FUZZ
@given(data=st.binary(max_size=4000))
@example(data=b"WARC/1.0\r\nContent-Length: abc\r\n\r\n")
@example(data=b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\nHTTP/1.1")
@example(data=gzip.compress(b"WARC/1.0\r\n") + b"\x1f\x8b\x08garbage")
def test_random_bytes_warc(data: bytes) -> None:
    _read_all(data)


@pytest.mark.parametrize("gz", [False, True])
def test_every_truncation_point_of_a_warc(gz: bool) -> None:
    """Cut the file at each byte (every 7th for speed): what came before is still read."""
    whole = GOOD_WARC_GZ if gz else GOOD_WARC
    counts = [_read_all(whole[:cut]) for cut in range(0, len(whole) + 1, 7)]
    assert counts[-1] <= 4 and max(counts) <= 4


# -- feeds and sitemaps --------------------------------------------------------------------

feed_xml = st.recursive(
    st.one_of(
        any_text.map(lambda s: s.replace("<", "&lt;")),
        st.sampled_from(
            [
                "2008-02-30T00:00:00Z",
                "Mon, 32 Oct 2008 99:00:00 +9999",
                "http://blog.example.com/2008/10/31/x/",
                "http://[",
                "<![CDATA[",
                "&bogus;",
                "&#0;",
            ]
        ),
    ),
    lambda inner: st.builds(
        lambda tag, kids: f"<{tag}>{''.join(kids)}</{tag}>",
        st.sampled_from(
            [
                "rss",
                "channel",
                "item",
                "title",
                "link",
                "description",
                "pubDate",
                "guid",
                "feed",
                "entry",
                "content",
                "published",
                "updated",
                "summary",
                "author",
                "name",
                "category",
                "content:encoded",
                "url",
                "loc",
                "urlset",
                "sitemapindex",
                "lastmod",
                "dc:creator",
            ]
        ),
        st.lists(inner, max_size=4),
    ),
    max_leaves=25,
)
feed_bytes = st.one_of(
    st.binary(max_size=2000),
    feed_xml.map(lambda s: s.encode("utf-8", "replace")),
    feed_xml.map(
        lambda s: ('<?xml version="1.0" encoding="utf-8"?>' + s).encode("utf-8", "replace")
    ),
)


@FUZZ
@given(body=feed_bytes, url=page_url)
@example(
    body=b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
    b'&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel>'
    b"<item><title>&c;</title></item></channel></rss>",
    url=POST_URL,
)
def test_parse_feed_never_raises(body: bytes, url: str) -> None:
    feed = pytest.importorskip("recover.extract.feed")
    posts = list(feed.parse_feed(body, url))
    assert all(isinstance(p, Post) for p in posts)


@FUZZ
@given(body=feed_bytes)
@example(body=gzip.compress(b"<urlset><url><loc>http://[</loc></url></urlset>"))
@example(body=b"\x1f\x8b\x08\x00garbage")
def test_sitemap_urls_never_raises(body: bytes) -> None:
    assert all(isinstance(u, str) for u in sitemap_urls(body))


# -- URLs ----------------------------------------------------------------------------------

url_like = st.one_of(
    any_text,
    st.builds(
        lambda scheme, host, path: f"{scheme}{host}{path}",
        st.sampled_from(["http://", "https://", "HTTP:/", "//", "", "ftp://", "http:///"]),
        st.one_of(
            st.sampled_from(
                [
                    "blog.example.com",
                    "www.blog.example.com",
                    "[",
                    "[::1",
                    "[::1]",
                    "a:99999999",
                    "a:port",
                    "xn--",
                    "..",
                    "\u0130.com",
                    "example.com:-1",
                ]
            ),
            any_text,
        ),
        st.one_of(
            st.sampled_from(
                [
                    "/",
                    "/2008/10/31/slug/",
                    "/?p=12&utm_source=x",
                    "/\udcff",
                    "/web/20081031id_/http://blog.example.com/x",
                    "/%zz",
                    "/a//b/index.html/feed/amp/",
                    "#frag",
                ]
            ),
            any_text,
        ),
    ),
)
URL_EXAMPLES = ["http://[", "http://[::1", "//[x", "http://blog.example.com/\udcff/", ""]


def _all_url_helpers(url: str, base: str) -> None:
    urls.original_url(url)
    urls.capture_timestamp(url)
    urls.host_of(url)
    assert urls.kind_of(url) in ("post", "page", "feed", "sitemap", "index", "asset", "skip")
    urls.slug_of(url)
    urls.path_of(url)
    urls.absolute(url, base)
    key = urls.canonical(url)
    web = url.lower().startswith(("http://", "https://")) and ":" not in urls.host_of(url)
    if web:  # (IPv6 literals lose their brackets and other schemes: no blog lives there)
        assert urls.canonical(key) == key, "canonical is idempotent"


@FUZZ
@given(url=url_like, base=url_like)
@example(url="http://[", base="http://blog.example.com/")
@example(url="x", base="http://[::1")
@example(url="http://blog.example.com/\udcff/", base="http://blog.example.com/")
@example(url="HTTP:/\ud800/", base="")  # a surrogate no escape made (a JSON "\ud800")
@example(url="http://?/\udcff", base="")  # an undecodable byte in the query (found in CI)
@example(url="http://?/\ud800", base="")
def test_url_helpers_never_raise(url: str, base: str) -> None:
    _all_url_helpers(url, base)


@pytest.mark.parametrize("url", URL_EXAMPLES)
def test_url_helpers_on_known_bad_urls(url: str) -> None:
    """Seen in real CDX answers: a bracket without an IPv6 address, a lone surrogate."""
    _all_url_helpers(url, "http://blog.example.com/")
