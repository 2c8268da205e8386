"""``--save-page-now``: have the Wayback Machine capture the posts a snapshot found new or changed.

Through waybackpy's ``WaybackMachineSaveAPI``, a few a minute with a pause between, each result
kept in the state (``spn``: date, digest submitted, archive URL or error). Only public URLs
are submitted (never loopback, private or unresolvable addresses: the Wayback Machine could
not fetch them and should not be told of them); the first network failure (DNS, refused,
timeout) stops the submissions, the rest wait for the next run. The function that does the
saving is a parameter, so tests pass a stand-in and nothing touches the network.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from recover.snapshot.session import Visit, iso_utc
from recover.snapshot.state import State

log = logging.getLogger(__name__)

PAUSE = 20.0  # seconds between two submissions: 3 a minute, under SPN's anonymous limit
LIMIT = 20  # submissions per run; the rest wait for the next run

SaveFunction = Callable[[str], str]  # url -> archive URL; raises on failure
SAVE_FUNCTION: SaveFunction | None = None  # set to replace waybackpy (tests: no network)
PUBLIC_CHECK: Callable[[str], bool] | None = None  # set to replace is_public (tests)


@dataclass
class Submitted:
    """What :func:`submit` did."""

    saved: dict[str, str] = field(default_factory=dict)  # url -> archive URL
    failed: dict[str, str] = field(default_factory=dict)  # url -> error
    deferred: list[str] = field(default_factory=list)  # over the limit or rate limited
    private: list[str] = field(default_factory=list)  # not public: never submitted
    stopped: str | None = None  # the network failure that stopped the submissions

    @property
    def ok(self) -> bool:
        """No submission failed."""
        return not self.failed


NETWORK_ERRORS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Timeout",
    "MaxRetryError",
    "NewConnectionError",
    "NameResolutionError",
    "gaierror",
)


def is_network_failure(exc: BaseException) -> bool:
    """A failure of the network itself (DNS, refused, unreachable, timeout), not of one URL."""
    if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror)):
        return True
    names = {t.__name__ for t in type(exc).__mro__}
    return bool(names & set(NETWORK_ERRORS))


def is_public(url: str, resolve=socket.getaddrinfo) -> bool:
    """True when every address of ``url``'s host is a public (global) one."""
    host = urlsplit(url).hostname or ""
    if not host or host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    try:
        infos = resolve(host, None)
    except (OSError, UnicodeError):
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_global for a in addresses)


def waybackpy_save(user_agent: str) -> SaveFunction:
    """The real thing: ``WaybackMachineSaveAPI(url, user_agent).save()``."""

    def save(url: str) -> str:
        from waybackpy import WaybackMachineSaveAPI

        return WaybackMachineSaveAPI(url, user_agent=user_agent, max_tries=3).save()

    return save


def due(visits: Iterable[Visit], state: State) -> list[Visit]:
    """Pages whose current capture has not been saved yet (new, changed or failed before)."""
    out = []
    for visit in visits:
        entry = state.get(visit.url)
        spn = (entry.spn if entry else None) or {}
        if spn.get("digest") == visit.capture.digest and spn.get("archive_url"):
            continue
        out.append(visit)
    return out


def submit(
    visits: Iterable[Visit],
    state: State,
    save: SaveFunction,
    *,
    pause: float = PAUSE,
    limit: int = LIMIT,
    sleep: Callable[[float], None] = time.sleep,
    public: Callable[[str], bool] = is_public,
) -> Submitted:
    """Submit each due page, pausing between, and record every outcome in ``state``."""
    result = Submitted()
    todo = []
    hosts: dict[str, bool] = {}  # one lookup a host: a blog's pages share one or two
    for visit in due(visits, state):
        host = (urlsplit(visit.url).hostname or "").lower()
        if host not in hosts:
            hosts[host] = public(visit.url)
        if hosts[host]:
            todo.append(visit)
        else:
            result.private.append(visit.url)
    if result.private:
        log.warning(
            "Save Page Now: %d URL(s) not public (loopback, private or unresolvable), "
            "not submitted, e.g. %s",
            len(result.private),
            result.private[0],
        )
    for i, visit in enumerate(todo):
        if i >= limit:
            result.deferred.extend(v.url for v in todo[i:])
            break
        if i:
            sleep(pause)
        record = {"date": iso_utc(datetime.now(UTC)) or "", "digest": visit.capture.digest}
        try:
            record["archive_url"] = str(save(visit.url))
            result.saved[visit.url] = record["archive_url"]
        except Exception as exc:  # noqa: BLE001 - waybackpy raises many kinds; all are kept
            record["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            result.failed[visit.url] = record["error"]
            log.warning("Save Page Now failed for %s: %s", visit.url, record["error"])
            if is_network_failure(exc):
                result.stopped = record["error"]
                result.deferred.extend(v.url for v in todo[i + 1 :])
                state.entry(visit.url).spn = record
                break
            if type(exc).__name__ == "TooManyRequestsError":
                result.deferred.extend(v.url for v in todo[i + 1 :])
                state.entry(visit.url).spn = record
                break
        state.entry(visit.url).spn = record
    return result
