"""The Scrapy downloader middleware that turns every exchange of a snapshot into WARC records.

It sits at 650, just outside the redirect (600) and decompression (590) middlewares, so it sees
redirects and the bytes as they came. Bodies are recorded decoded, with ``Content-Encoding`` and
``Transfer-Encoding`` dropped and ``Content-Length`` fixed, so replay serves them as recorded.

On the way out it makes requests conditional (``If-None-Match`` / ``If-Modified-Since``) from
the state file. A 304 becomes a ``server-not-modified`` revisit record, a 200 with the same
payload as before an ``identical-payload-digest`` one; either way the spider gets the earlier
body back, read from the earlier WARC, so links are still followed. With ``session.full`` none
of this happens: every response is recorded whole and the WARC stands on its own.
"""

from __future__ import annotations

import gzip
import logging
import re
import zlib
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from recover.snapshot.capture import SavedRecord, payload_digest, read_capture
from recover.snapshot.session import CHANGED, GONE, NEW, SKIPPED, UNCHANGED, Session
from recover.snapshot.warcwriter import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, warc_date
from recover.urls import canonical

log = logging.getLogger(__name__)

FLAG = "snapshot:replayed"  # a response rebuilt from an earlier capture, not from the network
ASSET = "snapshot_asset"  # request meta: an image or attachment, its body is not parsed
DROP_HEADERS = {b"content-encoding", b"transfer-encoding"}
_SITEMAP_LINE = re.compile(rb"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]


def decoded(response: Response) -> tuple[bytes, Headers]:
    """The body without its content encoding, and headers that say so."""
    body = response.body
    encoding = response.headers.get(b"Content-Encoding", b"").strip().lower()
    try:
        if encoding in (b"gzip", b"x-gzip"):
            body = gzip.decompress(body)
        elif encoding == b"deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
        elif encoding not in (b"", b"identity"):
            return body, response.headers  # unknown coding: keep as served
    except (OSError, zlib.error, EOFError):
        return response.body, response.headers
    headers = Headers()
    for key, values in response.headers.items():
        if key.lower() not in DROP_HEADERS:
            headers.setlist(key, values)
    if encoding or b"Transfer-Encoding" in response.headers or b"Content-Length" in headers:
        headers[b"Content-Length"] = str(len(body)).encode("ascii")
    return body, headers


class SnapshotRecorder:
    """Downloader middleware: conditional requests out, WARC records in."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SnapshotRecorder:
        return cls(crawler)

    def _session(self) -> Session | None:
        return getattr(self.crawler.spider, "session", None)

    # -- requests -------------------------------------------------------------------------

    def process_request(self, request: Request, spider: object = None) -> Response | None:
        session = self._session()
        if session is None:
            return None
        request.headers[b"Accept-Encoding"] = b"gzip, deflate"
        if session.full or urlsplit(request.url).path == "/robots.txt":
            return None
        entry = session.state.get(request.url)
        if not entry or not entry.capture:
            return None
        if entry.resume and not session.full:
            # captured by the interrupted run this one resumes: not asked again
            log.info("resume: %s captured by the interrupted run", request.url)
            session.visit(request.url, entry.capture, SKIPPED)
            return self._replay(session, request, entry.capture)
        if session.refresh:
            return None
        changed = session.changed_since(canonical(request.url), entry.capture.date)
        if changed:
            return None  # a sitemap, feed or comment dates it after our capture: fetch it
        if entry.etag:
            request.headers[b"If-None-Match"] = entry.etag.encode("latin-1")
        if entry.last_modified:
            request.headers[b"If-Modified-Since"] = entry.last_modified.encode("latin-1")
        if changed is False and not (entry.etag or entry.last_modified):
            # no validators, but the site dates every change before our capture
            log.info("unchanged by its dates, not asked: %s", request.url)
            session.visit(request.url, entry.capture, SKIPPED)
            return self._replay(session, request, entry.capture)
        return None

    # -- responses ------------------------------------------------------------------------

    def process_response(
        self, request: Request, response: Response, spider: object = None
    ) -> Request | Response:
        session = self._session()
        if session is None or FLAG in response.flags:
            return response
        status = response.status
        log.info("%s %s -> %d", request.method, request.url, status)
        if status >= 500 or status == 429:
            return response  # transient: retried, not archived
        body, headers = decoded(response)
        url = request.url
        entry = session.state.get(url)
        parts = urlsplit(url)
        exchange = {
            "status_line": f"{status} {_reason(status)}".strip(),
            "headers": _pairs(headers),
            "request_line": f"{request.method} {_target(url)} {response.protocol or 'HTTP/1.1'}",
            "request_headers": [("Host", parts.netloc)]
            + [(k, v) for k, v in _pairs(request.headers) if k.lower() != "host"],
            "protocol": response.protocol or "HTTP/1.1",
            "date": warc_date(),
        }
        earlier = entry.capture if entry else None
        if status == 304 and earlier:
            session.warc.write_revisit(url, earlier, profile=PROFILE_NOT_MODIFIED, **exchange)
            session.revisits += 1
            _keep_validators(entry, headers)
            entry.gone = entry.resume = None
            session.visit(url, earlier, UNCHANGED)
            return self._replay(session, request, earlier)
        if (
            status == 200
            and earlier
            and not session.full
            and payload_digest(body) == earlier.digest
        ):
            session.warc.write_revisit(url, earlier, profile=PROFILE_IDENTICAL, **exchange)
            session.revisits += 1
            _keep_validators(entry, headers)
            entry.gone = entry.resume = None
            session.visit(url, earlier, UNCHANGED)
            return _decoded_response(response, body, headers)
        ip = str(response.ip_address) if response.ip_address else None
        exchange.pop("protocol")
        capture = session.warc.write_exchange(
            url, body=body, ip=ip, protocol=response.protocol or "HTTP/1.1", **exchange
        )
        session.fetched += 1
        if status in (404, 410) and earlier and earlier.status == 200:
            entry = session.state.entry(url)
            entry.gone = entry.gone or capture.date
            entry.resume = None
            session.visit(url, capture, GONE)
        if b"api.w.org" in headers.get(b"Link", b""):
            session.state.wordpress = True  # next runs read its REST API's modified dates
        if status == 200:
            entry = session.state.entry(url)
            entry.capture = capture
            entry.etag = entry.last_modified = entry.gone = entry.resume = None
            _keep_validators(entry, headers)
            session.visit(url, capture, CHANGED if earlier else NEW)
            if parts.path == "/robots.txt":
                for m in _SITEMAP_LINE.finditer(body):
                    found = urljoin(url, m.group(1).decode("latin-1"))
                    if found not in session.robots_sitemaps:
                        session.robots_sitemaps.append(found)
                session.crawl_delay = _crawl_delay(body, request)
        return _decoded_response(response, body, headers)

    def _replay(self, session: Session, request: Request, capture: SavedRecord) -> Response:
        """A response rebuilt from an earlier capture (empty body for assets)."""
        if request.meta.get(ASSET):
            headers, body = [("Content-Type", capture.content_type)], b""
        else:
            headers, body = read_capture(session.folder, capture)
        scrapy_headers = Headers()
        for key, value in headers:
            if key.lower() not in ("content-encoding", "transfer-encoding"):
                scrapy_headers.appendlist(key, value)
        cls = responsetypes.from_args(headers=scrapy_headers, url=request.url, body=body)
        return cls(
            url=request.url,
            status=capture.status,
            headers=scrapy_headers,
            body=body,
            request=request,
            flags=[FLAG],
        )


def _decoded_response(response: Response, body: bytes, headers: Headers) -> Response:
    """``response`` with the decoded body, of the class that body calls for (Html, Xml...)."""
    if body is response.body and headers is response.headers:
        return response
    cls = responsetypes.from_args(headers=headers, url=response.url, body=body)
    return response.replace(cls=cls, body=body, headers=headers)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _keep_validators(entry, headers: Headers) -> None:
    etag = headers.get(b"ETag")
    modified = headers.get(b"Last-Modified")
    if etag:
        entry.etag = etag.decode("latin-1")
    if modified:
        entry.last_modified = modified.decode("latin-1")


def _crawl_delay(body: bytes, request: Request) -> float:
    """robots.txt's ``Crawl-delay`` for our user agent (0 when none)."""
    from protego import Protego

    agent = request.headers.get(b"User-Agent", b"").decode("latin-1") or "*"
    try:
        delay = Protego.parse(body.decode("utf-8", "replace")).crawl_delay(agent)
    except Exception:  # noqa: BLE001 - a bad robots.txt gives no delay, not a failure
        return 0.0
    return float(delay or 0.0)
