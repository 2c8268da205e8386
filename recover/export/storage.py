"""A Scrapy feed storage for local files that replaces the file atomically when the feed closes.

Register with ``FEED_STORAGES = {"": "recover.export.storage.AtomicFileFeedStorage",
"file": "recover.export.storage.AtomicFileFeedStorage"}``. A crawl killed mid-way leaves the
previous feed file whole. Without ``overwrite: True`` the old content is copied first, so
Scrapy's append behaviour is kept.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage


class AtomicFileFeedStorage(FileFeedStorage):
    """:class:`FileFeedStorage` writing to a temp sibling, fsynced and renamed on ``store``."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self._tmp: Path | None = None

    def open(self, spider: Any) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        fh = self._tmp.open("wb")
        if self.write_mode == "ab" and target.exists():
            with target.open("rb") as old:
                shutil.copyfileobj(old, fh)
        return fh

    def store(self, file: IO[bytes]) -> None:
        assert self._tmp is not None
        try:
            file.close()  # may be a post-processing wrapper: sync through the path
            fd = os.open(self._tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(self._tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                self._tmp.unlink()
            raise
