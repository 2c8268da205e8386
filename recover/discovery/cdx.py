"""CDX: asking a Wayback-compatible archive for every capture under a site.

Both response shapes are read: a JSON list of rows with a header row (the Internet
Archive's ``output=json``, with an optional resume key after an empty row) and one JSON
object a line (pywb).  The classic space-separated text form is read too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from recover.choice.capture import Capture

log = logging.getLogger(__name__)

IA_HOSTS = ("web.archive.org", "wayback.archive.org")
FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
# pywb names some fields differently
_ALIASES = {"url": "original", "mime": "mimetype", "status": "statuscode"}
_TS = re.compile(r"^\d{4,14}$")
# A resume key is a SURT key and a timestamp, URL-quoted: ``com%2Cexample%29%2F+20081031...``
_RESUME_KEY = re.compile(r"^[^\s<>\[\]{}\"']*\d{14}[^\s<>\[\]{}\"']*$")
MAX_PAGES = 1000  # CDX pages read per host at most (10 million captures at 10,000 a page)


@dataclass(frozen=True)
class CdxPage:
    """What one CDX response held."""

    captures: list[Capture]
    resume_key: str | None
    bad_lines: int


def replay_prefix(archive: str) -> str:
    """Normalise a replay prefix given by the user: scheme added, one trailing slash."""
    archive = archive.strip()
    if not re.match(r"^https?://", archive, re.IGNORECASE):
        archive = "https://" + archive
    parts = urlsplit(archive)
    if not parts.hostname:
        raise ValueError(f"not an archive address: {archive!r}")
    path = parts.path or "/"
    if parts.hostname in IA_HOSTS and path.rstrip("/") in ("", "/web"):
        path = "/web/"
    return urlunsplit((parts.scheme, parts.netloc, path.rstrip("/") + "/", "", ""))


def endpoint(archive: str) -> str:
    """The CDX endpoint of a replay prefix.

    The Internet Archive answers at ``/cdx/search/cdx``; pywb and other collections at
    ``<collection>/cdx``.
    """
    prefix = replay_prefix(archive)
    parts = urlsplit(prefix)
    if parts.hostname in IA_HOSTS:
        return urlunsplit((parts.scheme, parts.netloc, "/cdx/search/cdx", "", ""))
    return prefix + "cdx"


def is_internet_archive(archive: str) -> bool:
    """True for the Internet Archive's Wayback Machine (resume keys, rate limits)."""
    return urlsplit(replay_prefix(archive)).hostname in IA_HOSTS


def query_url(
    archive: str,
    host: str,
    *,
    since: str | None = None,
    until: str | None = None,
    resume_key: str | None = None,
    limit: int = 10000,
) -> str:
    """The CDX query for every capture under ``host`` (all schemes, prefix match)."""
    params: list[tuple[str, str]] = [
        ("url", f"{host}/"),
        ("matchType", "prefix"),
        ("output", "json"),
    ]
    if since:
        params.append(("from", since))
    if until:
        params.append(("to", until))
    if is_internet_archive(archive):
        params += [("fl", ",".join(FIELDS)), ("showResumeKey", "true"), ("limit", str(limit))]
        if resume_key:
            params.append(("resumeKey", resume_key))
    return endpoint(archive) + "?" + urlencode(params)


def _capture(record: dict[str, str], archive: str) -> Capture | None:
    ts = str(record.get("timestamp") or "")
    original = str(record.get("original") or "")
    if not _TS.match(ts) or not original:
        return None
    status = str(record.get("statuscode") or "-")
    try:
        length = int(record.get("length") or 0)
    except (TypeError, ValueError):
        length = 0
    return Capture(
        archive=archive,
        timestamp=ts.ljust(14, "0"),
        original=original,
        mimetype=str(record.get("mimetype") or ""),
        status=int(status) if status.isdigit() else None,
        digest=str(record.get("digest") or ""),
        length=length,
    )


def _records(text: str) -> Iterator[dict[str, str] | str | None]:
    """Yield dict records, a ``str`` resume key, or None for a line that is garbage."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            rows = json.loads(stripped)
        except (ValueError, RecursionError):
            rows = None
        if isinstance(rows, list):
            header: list[str] | None = None
            after_blank = False
            for row in rows:
                if not isinstance(row, list):
                    yield None
                elif not row:
                    after_blank = True
                elif after_blank and len(row) == 1 and _RESUME_KEY.match(str(row[0])):
                    yield str(row[0])
                elif header is None:
                    header = [_ALIASES.get(str(h), str(h)) for h in row]
                elif len(row) == len(header):
                    yield dict(zip(header, (str(v) for v in row), strict=True))
                else:
                    yield None
            return
    after_blank = False
    for line in text.splitlines():
        line = line.strip()
        if not line:
            after_blank = True
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                yield None
                continue
            if isinstance(obj, dict):
                yield {_ALIASES.get(k, k): v for k, v in obj.items()}
            else:
                yield None
            continue
        cols = line.split(" ")
        if len(cols) >= 7:  # classic CDX: urlkey timestamp original mime status digest length
            yield dict(zip(FIELDS, cols[:7], strict=True))
        elif after_blank and len(cols) == 1 and _RESUME_KEY.match(cols[0]):
            yield cols[0]  # a resume key: where the protocol puts it, after a blank line
        else:
            yield None
        after_blank = False


def parse(text: str, archive: str) -> CdxPage:
    """Read one CDX response; garbage lines are counted, never raised."""
    captures: list[Capture] = []
    resume: str | None = None
    bad = 0
    for rec in _records(text):
        if isinstance(rec, str):
            resume = rec
        elif rec is None:
            bad += 1
        else:
            cap = _capture(rec, archive)
            if cap is None:
                bad += 1
            else:
                captures.append(cap)
    if bad:
        log.info("CDX from %s: %d unreadable line(s) skipped", archive, bad)
    return CdxPage(captures=captures, resume_key=resume, bad_lines=bad)
