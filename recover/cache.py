"""Scrapy HTTP cache storage: one file an entry, which appears whole or not at all.

Scrapy's filesystem storage writes seven files an entry, one by one, so a run killed
mid-write can leave a cached response with a cut body, and the file-system work costs
more than extracting the post.  Here an entry is one pickle (gzipped at level 1 when
``HTTPCACHE_GZIP``), written to a temporary name and renamed into place.
"""

from __future__ import annotations

import gzip
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

from scrapy.http import Response
from scrapy.utils.project import data_path
from scrapy.utils.response import response_from_dict


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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
