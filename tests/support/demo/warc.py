"""Writing the demo blog's captures as a gzipped WARC of response records.

Pages are rendered one capture at a time and streamed to the file, so a 10,000-post
blog never sits in memory as HTML.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from support.demo import blogger, wordpress
from support.demo.archived import error_page, redirect_page, rewrite_as_archived
from support.demo.model import Blog, Capture

REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 500: "Internal Server Error"}
STYLE = (
    "/* theme stylesheet */\nbody { font-family: Georgia, serif; }\n.post { margin: 0 0 40px; }\n"
)
_ENGINES = {"wordpress": wordpress, "blogger": blogger}


def png(seed: str, size: int = 8) -> bytes:
    """A small valid PNG whose colour comes from ``seed``."""
    r, g, b = hashlib.md5(seed.encode()).digest()[:3]
    raw = b"".join(b"\x00" + bytes((r, g, b)) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _server_headers(engine: str, at: datetime, blog: Blog) -> list[tuple[str, str]]:
    date = format_datetime(at.astimezone(UTC), usegmt=True)
    if engine == "blogger":
        return [
            ("Date", date),
            ("Expires", date),
            ("Cache-Control", "private, max-age=0"),
            ("Server", "GFE/2.0"),
        ]
    return [
        ("Date", date),
        ("Server", "Apache/2.2.11 (Unix) mod_ssl/2.2.11 OpenSSL/0.9.8e-fips-rhel5"),
        ("X-Powered-By", "PHP/5.2.8"),
        ("X-Pingback", f"{blog.base}/xmlrpc.php"),
        ("Vary", "Accept-Encoding,Cookie"),
    ]


def render_capture(blog: Blog, cap: Capture) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, HTTP headers, body bytes) of one planned capture, exactly as stored."""
    engine = cap.engine or blog.engines[0]
    mod = _ENGINES[engine]
    headers = _server_headers(engine, cap.at, blog)
    ctype = "text/html; charset=UTF-8"
    at = cap.at
    if cap.kind == "redirect":
        headers.append(("Location", cap.location))
        body = redirect_page(cap.location, blog.host).encode()
        ctype = "text/html; charset=iso-8859-1"
    elif cap.error:
        text = error_page(cap.error, blog.host)
        body = text.encode("utf-8")
        if cap.error == "suspended":
            ctype = "text/html; charset=iso-8859-1"
        elif cap.error == "500":
            ctype = "text/html; charset=iso-8859-1"
            headers = _server_headers("wordpress", cap.at, blog)[:2]
    elif cap.kind == "page":
        assert cap.post is not None
        charset = "ISO-8859-1" if cap.encoding == "cp1252" else "UTF-8"
        html = mod.post_page(blog, cap.post, at, charset=charset)
        if cap.trap == "rewritten":
            html = rewrite_as_archived(html, cap.timestamp, blog.host)
        if cap.encoding == "cp1252":
            body = html.encode("cp1252", "xmlcharrefreplace")
            ctype = "text/html; charset=iso-8859-1"
        else:
            body = html.encode("utf-8")
    elif cap.kind in ("home", "paging"):
        body = mod.index_page(blog, at, cap.page).encode("utf-8")
    elif cap.kind == "feed":
        body = mod.feed(blog, at).encode("utf-8")
        ctype = (
            "text/xml; charset=UTF-8"
            if engine == "wordpress"
            else "application/rss+xml; charset=UTF-8"
        )
        if engine == "wordpress":
            stamp = format_datetime(at.astimezone(UTC), usegmt=True)
            headers += [("Last-Modified", stamp), ("ETag", f'"{hashlib.md5(body).hexdigest()}"')]
    elif cap.kind == "image":
        body = png(cap.url)
        ctype = "image/png"
        headers = headers[:2] + [("Accept-Ranges", "bytes")]
    elif cap.kind == "style":
        body = STYLE.encode()
        ctype = "text/css"
    else:
        raise ValueError(f"unknown capture kind {cap.kind!r}")
    headers += [("Content-Type", ctype), ("Content-Length", str(len(body)))]
    return cap.status, headers, body


def write_warc(
    blog: Blog,
    path: str | os.PathLike[str],
    *,
    captures: Iterable[Capture] | None = None,
    gzip: bool = True,
) -> Path:
    """Write ``captures`` (default: all of ``blog.captures``) to a WARC file at ``path``.

    Every record is a ``response`` with WARC-Date = capture time and the full HTTP
    header block (status line, Content-Type with charset, Content-Length).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    caps = blog.captures if captures is None else captures
    tmp = path.with_name(path.name + ".part")
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)  # one gzip member per record, at level 3 (fast)

    def put(record: object) -> None:
        buf.seek(0)
        buf.truncate()
        writer.write_record(record)
        data = buf.getvalue()
        if gzip:
            z = zlib.compressobj(3, zlib.DEFLATED, zlib.MAX_WBITS + 16)
            data = z.compress(data) + z.flush()
        fh.write(data)

    with open(tmp, "wb") as fh:
        put(
            writer.create_warcinfo_record(
                path.name,
                {
                    "software": "recover demo (synthetic blog)",
                    "format": "WARC File Format 1.0",
                    "description": f"{blog.host}, {len(blog.posts)} posts, seed {blog.seed}",
                },
            )
        )
        for cap in caps:
            status, headers, body = render_capture(blog, cap)
            http = StatusAndHeaders(
                f"{status} {REASONS.get(status, 'OK')}", headers, protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                cap.url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": cap.at.strftime("%Y-%m-%dT%H:%M:%SZ")},
            )
            put(record)
    os.replace(tmp, path)
    return path
