"""Scrapy HTTP cache storage: one file an entry, which appears whole or not at all.

Scrapy's filesystem storage writes seven files an entry, one by one, so a run killed
mid-write can leave a cached response with a cut body, and the file-system work costs
more than extracting the post.  Here an entry is one pickle (gzipped at level 1 when
``HTTPCACHE_GZIP``), written to a temporary name and renamed into place.

:class:`ParsedAnswersPolicy` keeps index answers out of the cache unless they parse: an
archive's maintenance page or an empty 200 answered to a CDX query must not stand for
"no captures" on every later run.
"""

from __future__ import annotations

import gzip
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

from scrapy.extensions.httpcache import DummyPolicy
from scrapy.http import Response
from scrapy.utils.project import data_path
from scrapy.utils.response import response_from_dict

from recover.errors import stop_on_write_error


class AtomicFilesystemCacheStorage:
    """An HTTP cache under ``HTTPCACHE_DIR``: ``<spider>/<ab>/<fingerprint>.pickle``."""

    def __init__(self, settings: Any) -> None:
        self.cachedir = Path(data_path(settings["HTTPCACHE_DIR"]))
        self.expiration_secs = settings.getint("HTTPCACHE_EXPIRATION_SECS")
        self.use_gzip = settings.getbool("HTTPCACHE_GZIP")
        self._fingerprinter: Any = None

    def open_spider(self, spider: Any) -> None:
        self._fingerprinter = spider.crawler.request_fingerprinter

    def close_spider(self, spider: Any) -> None:
        pass

    def _path(self, spider: Any, request: Any) -> Path:
        key = self._fingerprinter.fingerprint(request).hex()
        return self.cachedir / spider.name / key[:2] / f"{key}.pickle"

    def retrieve_response(self, spider: Any, request: Any) -> Response | None:
        path = self._path(spider, request)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        if self.expiration_secs > 0 and time.time() - path.stat().st_mtime > self.expiration_secs:
            return None
        try:
            entry = pickle.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)  # noqa: S301
        except Exception:  # a damaged entry is a miss, never a crash
            return None
        request.meta["cache_timestamp"] = entry.pop("timestamp", 0)
        return response_from_dict(entry)

    def store_response(self, spider: Any, request: Any, response: Response) -> None:
        entry = {
            "url": response.url,
            "status": response.status,
            "headers": dict(response.headers),
            "body": response.body,
            "timestamp": time.time(),
        }
        data = pickle.dumps(entry, protocol=4)
        if self.use_gzip:
            data = gzip.compress(data, compresslevel=1)
        path = self._path(spider, request)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError as exc:
            if stop_on_write_error(spider.crawler, exc):
                return  # the disk is full or read-only: the run stops, saying so
            raise
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException as exc:
            Path(tmp).unlink(missing_ok=True)
            if stop_on_write_error(spider.crawler, exc):
                return
            raise


class ParsedAnswersPolicy(DummyPolicy):
    """Scrapy's cache-everything policy, except index answers that do not parse.

    A request names its check in ``meta["recover_cache_check"]`` (``"cdx"``: a CDX answer
    with at least one capture, read by :func:`recover.discovery.cdx.parse`); the page read
    is handed on in ``meta["recover_cdx_page"]``, so the callback does not read it again.
    """

    def should_cache_response(self, response: Response, request: Any) -> bool:
        if not super().should_cache_response(response, request):
            return False
        if request.meta.get("recover_cache_check") == "cdx":
            from recover.discovery import cdx

            if response.status != 200:
                return False
            try:
                text = response.text
            except AttributeError:  # not text at all
                return False
            page = cdx.parse(text, str(request.meta.get("archive") or ""))
            request.meta["recover_cdx_page"] = page
            return bool(page.captures)
        return True
