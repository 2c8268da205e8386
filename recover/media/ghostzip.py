"""``ghost-import.zip``: ``ghost.json`` with the recovered media as Ghost's importer wants them.

Ghost's importer takes a zip holding the JSON and ``content/images/<path>``; it stores each
file under its own ``content/images/`` and rewrites the JSON's ``/content/images/<path>``
references (what :mod:`recover.export.ghost` writes) to the stored copies.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path

from recover.media.files import MEDIA_DIR
from recover.media.links import GHOST_PREFIX

ZIP_NAME = "ghost-import.zip"


def write_ghost_zip(out: Path) -> Path | None:
    """Write ``out/ghost-import.zip`` atomically when ``out/media/`` holds files."""
    media = out / MEDIA_DIR
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    target = out / ZIP_NAME
    if not files or not (out / "ghost.json").is_file():
        with contextlib.suppress(OSError):
            target.unlink()
        return None
    tmp = target.with_name(f".{ZIP_NAME}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as zf:
            zf.write(out / "ghost.json", "ghost.json", zipfile.ZIP_DEFLATED)
            for path in files:
                zf.write(path, GHOST_PREFIX.strip("/") + "/" + path.relative_to(media).as_posix())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return target
