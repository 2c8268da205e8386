"""``--keep N``: which snapshots of a site to delete, and which a revisit still needs.

The rule: the newest N snapshots are kept; an older one is deleted only when no kept snapshot
has a revisit record referring to a capture inside it (it is kept, and said so, otherwise).
The state file then forgets captures that lived in deleted files, so the next snapshot fetches
those pages in full instead of pointing at a file that is gone.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

_NAME = re.compile(r"^(?P<host>.+)-(?P<stamp>\d{14})\.warc\.gz$")


@dataclass
class Pruned:
    """What :func:`prune` did."""

    deleted: list[str] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)  # past N but still referred to


def snapshot_name(host: str, stamp: str) -> str:
    """``<host>-<YYYYmmddHHMMSS>.warc.gz``."""
    return f"{host}-{stamp}.warc.gz"


def snapshot_stamp(name: str) -> str:
    """The 14-digit stamp in a snapshot's file name ("" when it has none)."""
    m = _NAME.match(name)
    return m.group("stamp") if m else ""


def snapshots(folder: Path, host: str) -> list[Path]:
    """The finished snapshots of ``host`` in ``folder``, oldest first."""
    found = []
    for path in folder.glob(f"{host}-*.warc.gz"):
        m = _NAME.match(path.name)
        if m and m.group("host") == host:
            found.append((m.group("stamp"), path))
    return [p for _, p in sorted(found)]


def _references(path: Path) -> set[str]:
    """Record ids (and ``uri date`` pairs) the revisit records of ``path`` refer to."""
    refs: set[str] = set()
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "revisit":
                continue
            h = record.rec_headers
            if h.get_header("WARC-Refers-To"):
                refs.add(h.get_header("WARC-Refers-To"))
            target = h.get_header("WARC-Refers-To-Target-URI")
            refs.add(f"{target} {h.get_header('WARC-Refers-To-Date')}")
    return refs


def _targets(path: Path) -> set[str]:
    """Record ids (and ``uri date`` pairs) of the response records of ``path``."""
    found: set[str] = set()
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                continue
            h = record.rec_headers
            found.add(h.get_header("WARC-Record-ID"))
            found.add(f"{h.get_header('WARC-Target-URI')} {h.get_header('WARC-Date')}")
    return found


def prune(folder: Path, host: str, keep: int) -> Pruned:
    """Delete all but the newest ``keep`` snapshots of ``host`` that nothing kept refers to.

    A snapshot's export folder (same name without ``.warc.gz``) goes with it.
    """
    result = Pruned()
    every = snapshots(folder, host)
    if keep < 1 or len(every) <= keep:
        return result
    kept, old = every[-keep:], every[:-keep]
    refs: set[str] = set()
    for path in kept:
        refs |= _references(path)
    for path in reversed(old):  # newest first: one that is kept may itself refer further back
        if _targets(path) & refs:
            result.needed.append(path.name)
            refs |= _references(path)
            continue
        path.unlink()
        exports = folder / path.name.removesuffix(".warc.gz")
        if exports.is_dir():
            shutil.rmtree(exports)
        result.deleted.append(path.name)
    return result
