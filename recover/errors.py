"""The errors a user sees as a single line."""

from __future__ import annotations

import errno
import logging
import sqlite3
from typing import Any

log = logging.getLogger(__name__)

# our own files could not be written: the disk, not the archive, is at fault
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG}


class UserError(Exception):
    """A problem the user can fix: printed as one line, exit status 2."""


def write_error(exc: BaseException) -> str | None:
    """Why writing our own files failed (``No space left on device``), or None if it did not."""
    if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        if "full" in text:
            return "the run's state: No space left on device"
        if any(w in text for w in ("readonly", "read-only", "disk I/O", "unable to open")):
            return f"the run's state: {text}"
    return None


def stop_on_write_error(crawler: Any, exc: BaseException) -> bool:
    """When ``exc`` is a failure to write our files: note it once, stop the crawl; else False.

    The command then ends with one line naming the file and the cause, and a non-zero
    status, instead of a traceback per request blamed on the archive.
    """
    why = write_error(exc)
    if why is None:
        return False
    stats = getattr(crawler, "stats", None)
    if stats is not None and not stats.get_value("recover/write_error"):
        stats.set_value("recover/write_error", why)
        log.info("cannot write: %s; stopping", why)
    from recover.middlewares.endpoints import Endpoints

    endpoints = crawler.get_extension(Endpoints) if crawler is not None else None
    if endpoints is not None:
        endpoints.stop("write_failed")
    return True
