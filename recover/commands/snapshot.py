"""`recover snapshot`: archive the live blog now, so the next loss costs nothing.

Each run crawls the site politely into ``<out>/<host>-<YYYYmmddHHMMSS>.warc.gz``; a later run
asks only for what changed (conditional requests, sitemap and feed dates) and records the rest
as revisit records. ``--save-page-now`` also asks the Wayback Machine to capture new and
changed posts; ``--keep N`` prunes old snapshots; ``--print-cron`` prints the crontab line.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from recover import __version__
from recover.errors import UserError
from recover.snapshot.lock import LockHeld, SnapshotLock
from recover.snapshot.retention import prune, snapshot_name
from recover.snapshot.schedule import cron_line
from recover.snapshot.session import SKIPPED, Session
from recover.snapshot.state import State
from recover.snapshot.warcwriter import PART_SUFFIX, SnapshotWarc
from recover.urls import host_of, kind_of

log = logging.getLogger(__name__)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "snapshot",
        help="archive the live blog into a WARC (incremental; cron-safe)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("url", help="the live blog's address, e.g. https://blog.example.com")
    p.add_argument(
        "--out",
        default="snapshots",
        metavar="DIR",
        help="folder for the WARCs, the state file and exports (default: snapshots)",
    )
    p.add_argument(
        "--save-page-now",
        action="store_true",
        help="also submit new and changed posts to the Wayback Machine's Save Page Now",
    )
    p.add_argument(
        "--spn-limit",
        type=int,
        default=20,
        metavar="N",
        help="at most N Save Page Now submissions a run; the rest wait (default: 20)",
    )
    p.add_argument(
        "--keep",
        type=int,
        default=0,
        metavar="N",
        help="keep the newest N snapshots (and any a kept one refers to); 0 keeps all",
    )
    p.add_argument(
        "--full",
        action="store_true",
        help="fetch and record every page whole: a self-contained WARC (no revisits)",
    )
    p.add_argument(
        "--delay",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="least pause between two requests to the site (default: 1)",
    )
    p.add_argument(
        "--max-pages",
        type=int,
        default=20000,
        metavar="N",
        help="stop after N responses (default: 20000)",
    )
    p.add_argument(
        "--no-export", action="store_true", help="write only the WARC, not the posts' exports"
    )
    p.add_argument(
        "--print-cron",
        action="store_true",
        help="print a crontab line running this snapshot daily, and exit",
    )
    p.set_defaults(func=run)


def site_url(text: str) -> str:
    """The start URL, ``https://`` added when no scheme is given; UserError when unusable."""
    text = text.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in text:
        raise UserError(f"bad URL {text!r}: give the blog's http(s) address")
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", parts.query, ""))


def writable_folder(folder: Path) -> None:
    """Create ``folder`` if needed; UserError unless we can write there."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".recover-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UserError(f"cannot write to {folder}: {exc.strerror or exc}") from exc


def _cron_options(args: argparse.Namespace) -> list[str]:
    options = []
    if args.save_page_now:
        options += ["--save-page-now", "--spn-limit", str(args.spn_limit)]
    if args.keep:
        options += ["--keep", str(args.keep)]
    if args.delay != 1.0:
        options += ["--delay", f"{args.delay:g}"]
    if args.max_pages != 20000:
        options += ["--max-pages", str(args.max_pages)]
    if args.no_export:
        options.append("--no-export")
    return options


def run(args: argparse.Namespace) -> int:
    site = site_url(args.url)
    host = host_of(site)
    folder = Path(args.out)
    if args.print_cron:
        print(cron_line(site, host, folder, _cron_options(args)))
        return 0
    writable_folder(folder)
    lock = SnapshotLock(folder)
    try:
        lock.acquire()
    except LockHeld as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"cannot lock {lock.path}: {exc.strerror or exc}") from exc
    try:
        return _snapshot(args, site, host, folder)
    finally:
        lock.release()


def _snapshot(args: argparse.Namespace, site: str, host: str, folder: Path) -> int:
    try:
        state = State.load(folder)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    state.forget_missing(folder)
    for stale in folder.glob(f".{host}-*.warc.gz{PART_SUFFIX}"):
        stale.unlink()  # a killed run's leftovers: we hold the lock, nobody writes them
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    while (folder / snapshot_name(host, stamp)).exists():
        time.sleep(1)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    path = folder / snapshot_name(host, stamp)
    from spiders.snapshot import USER_AGENT

    warc = SnapshotWarc(
        path,
        {
            "software": f"recover-snapshot/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.0",
            "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
            "isPartOf": host,
            "description": f"snapshot of {site}",
            "robots": "obey",
            "http-header-user-agent": USER_AGENT,
        },
    )
    session = Session(folder, site, host, stamp, warc, state, full=args.full)
    try:
        reason = crawl(session, args)
    except BaseException:
        warc.abort()
        raise
    pages = [v for v in session.visits.values() if not v.url.endswith("/robots.txt")]
    if reason == "shutdown":
        warc.abort()
        print("recover: interrupted; nothing saved from this run", file=sys.stderr)
        return 130
    if not pages:
        warc.abort()
        why = session.errors[0] if session.errors else f"no page of {site} could be fetched"
        raise UserError(why + ("" if session.errors else " (does robots.txt forbid it?)"))
    warc.commit()
    state.save()
    summary = [
        f"{path}: {session.fetched} records fetched in full, {session.revisits} revisits, "
        f"{sum(v.change == SKIPPED for v in pages)} skipped by date, "
        f"{len(session.changed())} new or changed"
    ]
    if args.save_page_now:
        summary.append(save_page_now(session, args.spn_limit))
        state.save()
    failed = None
    if not args.no_export:
        try:
            summary.append(export(session, path))
        except Exception as exc:  # noqa: BLE001 - the WARC is safe; say why exports are not
            log.debug("export failed", exc_info=True)
            failed = f"exports failed: {type(exc).__name__}: {exc}".splitlines()[0][:300]
    if args.keep:
        pruned = prune(folder, host, args.keep)
        if pruned.deleted:
            state.forget_warcs(set(pruned.deleted))
            state.save()
            summary.append(f"deleted {len(pruned.deleted)} old snapshot(s)")
        if pruned.needed:
            summary.append(f"kept {len(pruned.needed)} older snapshot(s) that revisits refer to")
    print("; ".join(summary))
    if failed:  # the snapshot itself is complete; an unattended run should still say so
        print(f"recover: error: {failed}", file=sys.stderr)
        return 1
    return 0


def crawl(session: Session, args: argparse.Namespace) -> str:
    """Run the ``snapshot`` spider in this process; returns Scrapy's close reason."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from spiders.snapshot import SnapshotSpider

    settings = Settings()
    for key, value in {
        "LOG_LEVEL": "DEBUG" if args.verbose else "WARNING",
        "DOWNLOAD_DELAY": max(args.delay, 0.0),
        "AUTOTHROTTLE_START_DELAY": max(args.delay, 0.0),
        "CLOSESPIDER_PAGECOUNT": max(args.max_pages, 0),
    }.items():
        settings.set(key, value, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    quiet = [] if args.verbose else logging.getLogger().handlers
    for handler in quiet:  # unattended runs: one line on failure, not Scrapy's logs
        handler.addFilter(_quiet)
    try:
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(SnapshotSpider)
        process.crawl(crawler, session=session)
        process.start()
    finally:
        for handler in quiet:
            handler.removeFilter(_quiet)
    return str(crawler.stats.get_value("finish_reason") or "finished")


def _quiet(record: logging.LogRecord) -> bool:
    """Drop Scrapy's and Twisted's log lines below CRITICAL (``-v`` shows them)."""
    return record.levelno >= logging.CRITICAL or not record.name.startswith(
        ("scrapy", "twisted", "py.warnings", "protego", "filelock", "hpack")
    )


def save_page_now(session: Session, limit: int, save=None, pause: float | None = None) -> str:
    """Submit the snapshot's posts not yet saved in their current version; one summary phrase."""
    from recover.snapshot import savepagenow
    from spiders.snapshot import USER_AGENT

    posts = [
        v
        for v in session.visits.values()
        if "html" in v.capture.content_type.lower() and kind_of(v.url) in ("post", "page")
    ]
    done = savepagenow.submit(
        posts,
        session.state,
        save or savepagenow.SAVE_FUNCTION or savepagenow.waybackpy_save(USER_AGENT),
        limit=limit,
        pause=savepagenow.PAUSE if pause is None else pause,
    )
    text = f"Save Page Now: {len(done.saved)} saved"
    if done.failed:
        text += f", {len(done.failed)} failed"
    if done.deferred:
        text += f", {len(done.deferred)} left for the next run"
    return text


def export(session: Session, path: Path) -> str:
    """Write the posts of this snapshot as a recovery would; one summary phrase."""
    from recover.snapshot.export import export_snapshot

    out_dir = path.with_name(path.name.removesuffix(".warc.gz"))
    warcs = sorted({str(session.folder / v.capture.warc) for v in session.visits.values()})
    report = {
        "site": session.site,
        "archives": [f"warc:{w}" for w in warcs],
        "stats": {
            "snapshot": path.name,
            "captured": session.stamp,
            "pages": len(session.visits),
            "fetched": session.fetched,
            "revisits": session.revisits,
            "new_or_changed": len(session.changed()),
        },
    }
    written = export_snapshot(session.folder, session.visits.values(), out_dir, report)
    if written is None:
        return "exports skipped (recover.export.write_all not available yet)"
    return f"{written} posts exported to {out_dir}"
