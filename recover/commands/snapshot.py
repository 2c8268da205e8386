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
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from recover import __version__
from recover.errors import UserError
from recover.snapshot.changes import add_changes, changes, describe
from recover.snapshot.lock import LockHeld, SnapshotLock
from recover.snapshot.retention import prune, snapshot_name, snapshot_stamp, snapshots
from recover.snapshot.salvage import captures_in, whole_records
from recover.snapshot.schedule import cron_line, systemd_units
from recover.snapshot.session import GONE, SKIPPED, Session
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
        "--full-every",
        type=int,
        default=7,
        metavar="N",
        help="every Nth run asks for every page again whatever the dates say (default: 7, "
        "weekly when run daily; 0: never)",
    )
    p.add_argument(
        "--max-per-pattern",
        type=int,
        default=500,
        metavar="N",
        help="at most N URLs per path pattern (digits folded): no calendar or pager can "
        "trap the crawl (default: 500)",
    )
    p.add_argument(
        "--ignore-robots",
        action="store_true",
        help="crawl your own site against its robots.txt (and its Crawl-delay); logged",
    )
    p.add_argument(
        "--include-deleted",
        action="store_true",
        help="also export posts deleted on the live site (always listed in the report)",
    )
    p.add_argument("--progress", choices=("auto", "rich", "log", "off"), default="auto")
    p.add_argument(
        "--no-export", action="store_true", help="write only the WARC, not the posts' exports"
    )
    p.add_argument(
        "--print-cron",
        action="store_true",
        help="print a crontab line running this snapshot daily (the folder is created), and exit",
    )
    p.add_argument(
        "--print-systemd",
        action="store_true",
        help="write a systemd user service and timer running this snapshot daily, print "
        "them and how to enable them, and exit",
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
    """The flags of this command line, to repeat it unattended (``--out`` aside)."""
    options = []
    if args.full:
        options.append("--full")
    if args.ignore_robots:
        options.append("--ignore-robots")
    if args.include_deleted:
        options.append("--include-deleted")
    if args.full_every != 7:
        options += ["--full-every", str(args.full_every)]
    if args.max_per_pattern != 500:
        options += ["--max-per-pattern", str(args.max_per_pattern)]
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
    if args.print_cron or args.print_systemd:
        writable_folder(folder)  # the scheduled run must find it
        if args.print_cron:
            print(cron_line(site, host, folder, _cron_options(args)))
        else:
            print(systemd_units(site, host, folder, _cron_options(args)))
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
    for part in sorted(folder.glob(f".{host}-*.warc.gz{PART_SUFFIX}")):
        kept = salvage(part, state)  # a killed run's WARC: its whole records are kept
        if kept:
            print(f"kept {kept} record(s) of an interrupted snapshot; resuming", file=sys.stderr)
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    while (folder / snapshot_name(host, stamp)).exists():
        time.sleep(1)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    path = folder / snapshot_name(host, stamp)
    from recover.spiders.snapshot import USER_AGENT

    if args.ignore_robots:
        log.warning("robots.txt ignored (--ignore-robots): crawling %s as its owner", site)
    warc = SnapshotWarc(
        path,
        {
            "software": f"recover-snapshot/{__version__} (Scrapy, warcio)",
            "format": "WARC File Format 1.0",
            "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
            "isPartOf": host,
            "description": f"snapshot of {site}",
            "robots": "ignore" if args.ignore_robots else "obey",
            "http-header-user-agent": USER_AGENT,
        },
    )
    refresh = bool(args.full) or (
        args.full_every > 0 and state.runs_since_refresh + 1 >= args.full_every
    )
    session = Session(
        folder,
        site,
        host,
        stamp,
        warc,
        state,
        full=args.full,
        refresh=refresh,
        pattern_cap=max(args.max_per_pattern, 1),
    )
    try:
        reason = crawl(session, args)
    except BaseException:
        keep_partial(warc, session)
        raise
    pages = [v for v in session.visits.values() if not v.url.endswith("/robots.txt")]
    if reason == "shutdown":  # SIGTERM or Ctrl-C: what was crawled is kept, the next run resumes
        kept = keep_partial(warc, session)
        print(
            f"recover: interrupted; kept {kept} record(s) in {path.name}: "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    if not pages:
        warc.abort()
        why = session.errors[0] if session.errors else f"no page of {site} could be fetched"
        raise UserError(why + ("" if session.errors else " (does robots.txt forbid it?)"))
    warc.commit()
    for entry in state.entries.values():
        entry.resume = None  # this snapshot is whole: nothing is left to resume
    state.runs_since_refresh = 0 if refresh else state.runs_since_refresh + 1
    state.save()
    gone = [v for v in pages if v.change == GONE]
    summary = [
        f"{path}: {session.fetched} records fetched in full, {session.revisits} revisits, "
        f"{sum(v.change == SKIPPED for v in pages)} skipped by date, "
        f"{len(session.changed())} new or changed, {len(gone)} gone (404/410)"
        + (", every page asked again" if refresh else "")
    ]
    failed = []
    if args.save_page_now:
        text, ok = save_page_now(session, args.spn_limit)
        summary.append(text)
        state.save()
        if not ok:
            failed.append(text)
    if not args.no_export:
        exported, changes = export(session, path, args)
        summary.append(exported)
        if changes is None:
            failed.append(exported)
        else:
            summary.append(changes)
    if args.keep:
        pruned = prune(folder, host, args.keep)
        if pruned.deleted:
            state.forget_warcs(set(pruned.deleted))
            state.save()
            summary.append(f"deleted {len(pruned.deleted)} old snapshot(s)")
        if pruned.needed:
            summary.append(f"kept {len(pruned.needed)} older snapshot(s) that revisits refer to")
    print("\n".join(summary))
    if failed:  # the snapshot itself is complete; an unattended run should still say so
        print(f"recover: error: {'; '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def keep_partial(warc: SnapshotWarc, session: Session) -> int:
    """Close an interrupted run's WARC under its name and note what it holds for the next run.

    Every URL it captured is marked ``resume``: the next run takes those captures as they are
    instead of asking again.
    """
    if warc.records <= 1:
        warc.abort()
        return 0
    warc.commit()
    for visit in session.visits.values():
        if visit.change != SKIPPED:
            session.state.entry(visit.url).resume = session.stamp
    session.state.save()
    return warc.records - 1


def salvage(part: Path, state: State) -> int:
    """A killed run's ``.part`` WARC cut after its last whole record, published, remembered.

    Returns how many records were kept (0: the file held none and is removed).
    """
    whole = whole_records(part)
    if whole <= 1:
        part.unlink(missing_ok=True)
        return 0
    final = part.with_name(part.name.removeprefix(".").removesuffix(PART_SUFFIX))
    os.replace(part, final)
    stamp = snapshot_stamp(final.name)
    for capture, validators in captures_in(final):
        entry = state.entry(capture.url)
        if capture.status == 200 and capture.record_id:
            entry.capture = capture
            entry.etag, entry.last_modified = validators
        entry.resume = stamp
    state.save()
    return whole - 1


def crawl(session: Session, args: argparse.Namespace) -> str:
    """Run the ``snapshot`` spider in this process; returns Scrapy's close reason."""
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from recover.spiders.snapshot import SnapshotSpider

    settings = Settings()
    for key, value in {
        "LOG_LEVEL": "DEBUG" if args.verbose else "WARNING",
        "DOWNLOAD_DELAY": max(args.delay, 0.0),
        "AUTOTHROTTLE_START_DELAY": max(args.delay, 0.0),
        "CLOSESPIDER_PAGECOUNT": max(args.max_pages, 0),
        "ROBOTSTXT_OBEY": not args.ignore_robots,
        "RECOVER_PROGRESS": args.progress,
        "RECOVER_PROGRESS_INTERVAL": 5.0,
        "EXTENSIONS": {"recover.progress.Progress": 500},
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


def save_page_now(
    session: Session, limit: int, save=None, pause: float | None = None
) -> tuple[str, bool]:
    """Submit the snapshot's public posts not yet saved in their current version.

    Returns one summary phrase and whether every submission went through.
    """
    from recover.snapshot import savepagenow
    from recover.spiders.snapshot import USER_AGENT

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
        public=savepagenow.PUBLIC_CHECK or savepagenow.is_public,
    )
    text = f"Save Page Now: {len(done.saved)} saved"
    if done.failed:
        text += f", {len(done.failed)} failed"
    if done.stopped:
        text += f" (stopped at a network failure: {done.stopped})"
    if done.deferred:
        text += f", {len(done.deferred)} left for the next run"
    if done.private:
        text += f", {len(done.private)} not public (not submitted)"
    return text, done.ok


def export(session: Session, path: Path, args: argparse.Namespace) -> tuple[str, str | None]:
    """The exports ``recover run`` writes, made from every snapshot of the folder so far.

    Runs ``recover run SITE --warc <each snapshot> --out <host>-<stamp>/`` (the recovery's
    own code: posts, pages, comments, media, deleted posts), then compares its posts with the
    previous snapshot's. Returns a summary phrase and the change summary (None: failed).
    """
    out_dir = path.with_name(path.name.removesuffix(".warc.gz"))
    warcs = snapshots(session.folder, session.host)
    argv = [sys.executable, "-m", "recover", "run", session.site, "--out", str(out_dir)]
    for warc in warcs:
        argv += ["--warc", str(warc)]
    argv += ["--progress", "off"]
    if args.include_deleted:
        argv.append("--include-deleted")
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return f"exports failed: {why[:300]}", None
    earlier = [p for p in warcs if p != path]
    before = earlier[-1].with_name(earlier[-1].name.removesuffix(".warc.gz")) if earlier else None
    summary = changes(before, out_dir)
    posts, pages = add_changes(out_dir, summary)
    return f"{posts} post(s) and {pages} page(s) exported to {out_dir}", describe(summary)
