"""The exports a recovery writes, made from a snapshot's own pages (posts as of that date).

Uses the project's extraction, normalization and export through guarded imports: when one of
them is missing the snapshot still succeeds and says exports were skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from recover.post import Source
from recover.snapshot.capture import read_capture
from recover.snapshot.session import Visit
from recover.urls import kind_of

log = logging.getLogger(__name__)


def _pipeline() -> tuple[Any, Any, Any] | None:
    """``(extract_bytes, normalize, write_all)``, or None while one is not there yet."""
    try:
        from recover.export import write_all  # type: ignore[attr-defined]
        from recover.extract import extract_bytes
        from recover.normalize.markdown import normalize
    except ImportError as exc:
        log.info("exports skipped: %s", exc)
        return None
    return extract_bytes, normalize, write_all


def export_snapshot(
    folder: Path, visits: Iterable[Visit], out_dir: Path, report: dict[str, Any]
) -> int | None:
    """Extract every post among ``visits`` and write all exports into ``out_dir``.

    Returns how many posts were written, or None when the project's extraction or export is
    not available. ``folder`` holds the WARCs the visits' captures point into.
    """
    # --- export_snapshot: the one place the snapshot calls recover.extract / normalize /
    # --- export (extract_bytes, normalize, write_all); keep in step with their signatures.
    pipeline = _pipeline()
    if pipeline is None:
        return None
    extract_bytes, normalize, write_all = pipeline
    posts = []
    for visit in visits:
        capture = visit.capture
        if "html" not in capture.content_type.lower() or kind_of(visit.url) in ("asset", "feed"):
            continue
        _, body = read_capture(folder, capture)
        try:
            post = extract_bytes(body, visit.url, capture.content_type, captured=capture.timestamp)
        except Exception as exc:  # a bug on one page must not cost the others' exports
            log.error("extraction error on %s (%s): %r", visit.url, capture.warc, exc)
            continue
        if post is None:
            continue
        source = Source(
            archive=f"warc:{folder / capture.warc}",
            capture_url=visit.url,
            timestamp=capture.timestamp,
            kind="page",
            original=visit.url,
        )
        post.source = post.source or source
        if source not in post.sources:
            post.sources.append(source)
        posts.append(normalize(post))
    out_dir.mkdir(parents=True, exist_ok=True)
    write_all(posts, out_dir, report)
    return len(posts)
