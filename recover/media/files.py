"""Where a recovered file goes under ``<out>/media/``, and writing it once per content.

The path is made from the original URL: the site's own files at ``media/<path>``, another
host's at ``media/<host>/<path>``. Every segment is sanitized (no ``..``, no separators, no
control characters, bounded length), so nothing is written outside ``--out``. Identical
bytes are stored once: a second URL with the same content gets the first file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from recover.media.magic import EXTENSIONS, extension
from recover.urls import host_of

MEDIA_DIR = "media"
_UNSAFE = re.compile(r"[^\w.\-+@]+", re.UNICODE)
_MIME_EXT = {
    "image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
    "image/svg+xml": "svg", "image/bmp": "bmp", "image/x-icon": "ico", "image/tiff": "tif",
    "image/avif": "avif", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/ogg": "ogg",
    "video/mp4": "mp4", "video/webm": "webm", "application/pdf": "pdf", "application/zip": "zip",
}  # fmt: skip


def _segment(text: str, limit: int = 120) -> str:
    clean = _UNSAFE.sub("-", text).strip("-.") or "_"
    if len(clean) > limit:
        stem, dot, ext = clean.rpartition(".")
        digest = hashlib.sha1(clean.encode()).hexdigest()[:8]
        clean = (
            (stem[: limit - 20] + "-" + digest + dot + ext[:10])
            if dot
            else clean[: limit - 9] + "-" + digest
        )
    return clean


def media_path(url: str, site_host: str, mime: str = "") -> str:
    """The file's path relative to ``--out``: ``media/[<host>/]<path>``, always inside it."""
    parts = urlsplit(url)
    host = host_of(url)
    segments = [s for s in unquote(parts.path).split("/") if s not in ("", ".", "..")]
    segments = [_segment(s) for s in segments] or ["index"]
    name = segments[-1]
    if parts.query:
        stem, dot, ext = name.rpartition(".")
        tag = hashlib.sha1(parts.query.encode()).hexdigest()[:8]
        name = f"{stem}-{tag}.{ext}" if dot else f"{name}-{tag}"
    if extension("/" + name) not in EXTENSIONS and mime in _MIME_EXT:
        name = f"{name}.{_MIME_EXT[mime]}"
    segments[-1] = name
    if host != site_host:
        segments.insert(0, _segment(host or "unknown-host"))
    return "/".join([MEDIA_DIR, *segments])


def drop_partial_files(out: Path) -> None:
    """Remove what a killed run left half-written under ``out/media/`` (its temp files)."""
    media = out / MEDIA_DIR
    if media.is_dir():
        for tmp in media.rglob(".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


def sha1_of(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


def write_file(out: Path, relative: str, body: bytes) -> str:
    """Write ``body`` at ``out/relative`` atomically; another file already there with other
    bytes moves this one to ``<stem>-<sha1>.<ext>``. Returns the path used (relative)."""
    target = (out / relative).resolve()
    root = out.resolve()
    if root not in target.parents:
        raise ValueError(f"media path escapes the output folder: {relative}")
    digest = sha1_of(body)
    if target.exists() and sha1_of(target.read_bytes()) != digest:
        stem, dot, ext = relative.rpartition(".")
        relative = (
            f"{stem}-{digest[:8]}.{ext}" if dot and "/" not in ext else f"{relative}-{digest[:8]}"
        )
        target = (out / relative).resolve()
    if not (target.exists() and target.stat().st_size == len(body)):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    return relative
