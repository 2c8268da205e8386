"""Scrapy HTTP cache storage whose entries appear whole or not at all.

Scrapy's filesystem storage writes an entry's files one by one, so a run killed mid-write
can leave a cached response with a cut body.  This one writes the entry into a temporary
folder and renames it into place.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from scrapy.extensions.httpcache import FilesystemCacheStorage


class AtomicFilesystemCacheStorage(FilesystemCacheStorage):
    """:class:`FilesystemCacheStorage` with atomic entries."""

    _writing: str | None = None

    def _get_request_path(self, spider: Any, request: Any) -> str:
        return self._writing or super()._get_request_path(spider, request)

    def store_response(self, spider: Any, request: Any, response: Any) -> None:
        final = Path(self._get_request_path(spider, request))
        final.parent.mkdir(parents=True, exist_ok=True)
        self._writing = tempfile.mkdtemp(prefix=".tmp-", dir=final.parent)
        try:
            super().store_response(spider, request, response)
            if final.exists():
                shutil.rmtree(final, ignore_errors=True)
            os.replace(self._writing, final)
        finally:
            self._writing = None
