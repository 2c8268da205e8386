"""``recover run``: recover a site's posts from one or more archives and local WARCs."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from recover.discovery import cdx, commoncrawl
from recover.errors import UserError
from recover.snapshot.lock import LockHeld, SnapshotLock
from recover.urls import host_of

DEFAULT_ARCHIVE = "https://web.archive.org/web/"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="recover a blog from web archives",
        description="Recover a lost blog's posts from Wayback-compatible archives and WARCs.",
    )
    add_arguments(p)
    p.set_defaults(func=run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The flags of a recovery (``recover demo`` shares them)."""
    p.add_argument("site", help="the blog's address, e.g. http://blog.example.com")
    p.add_argument(
        "--archive",
        action="append",
        metavar="PREFIX",
        help="replay prefix of a Wayback-compatible archive (repeatable; default: the "
        "Internet Archive, https://web.archive.org/web/, unless only --warc is given)",
    )
    p.add_argument(
        "--warc",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="local WARC/ARC files (e.g. --warc snapshots/*.warc.gz; repeatable)",
    )
    p.add_argument(
        "--html",
        action="append",
        metavar="DIR",
        help="a folder of saved pages (browser 'Save Page As', search-engine caches, wget)",
    )
    p.add_argument(
        "--memento",
        action="append",
        metavar="PREFIX",
        help="a Memento archive or aggregator read through TimeMaps (archive.today: "
        "https://archive.ph/; an aggregator's .../timemap/link/ prefix)",
    )
    p.add_argument(
        "--commoncrawl",
        action="append",
        metavar="CRAWL",
        help="a Common Crawl crawl to search, e.g. CC-MAIN-2015-11 (repeatable)",
    )
    p.add_argument(
        "--media-base-url",
        metavar="URL",
        default="",
        help="where you serve the output's media/ folder: WXR attachments are downloaded "
        "from URL/<path> (default: the archive's raw capture of each file)",
    )
    p.add_argument("--cc-index", default=commoncrawl.INDEX_BASE, help=argparse.SUPPRESS)
    p.add_argument("--cc-data", default=commoncrawl.DATA_BASE, help=argparse.SUPPRESS)
    p.add_argument("--from", dest="since", metavar="DATE", help="oldest capture, YYYY-MM-DD")
    p.add_argument("--to", dest="until", metavar="DATE", help="newest capture, YYYY-MM-DD")
    p.add_argument("--out", metavar="DIR", help="output folder (default: output/<host>/)")
    p.add_argument(
        "--rate",
        metavar="KIND=N",
        action="append",
        help="requests a minute per archive endpoint, e.g. cdx=24 or replay=120 (0: no "
        "budget, for an archive you run: no spacing, up to 8 at once); defaults are safe "
        "for the Internet Archive",
    )
    p.add_argument(
        "--include-deleted",
        action="store_true",
        help="also export posts deleted on the live site (a 404/410 after their last "
        "capture, as snapshots record); they are always listed in the report",
    )
    p.add_argument("--progress", choices=("auto", "rich", "log", "off"), default="auto")
    p.add_argument(  # also before the command: recover -v run ...
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log every request"
    )
    p.add_argument(
        "--format",
        action="append",
        choices=("hugo", "jekyll"),
        help="static-site Markdown to write (repeatable; default: both)",
    )
    p.add_argument(
        "-s",
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="override a setting of recover/settings.py, e.g. -s RECOVER_429_PAUSE=120",
    )


def _setting(item: str, settings: Any = None) -> tuple[str, Any]:
    """``NAME=VALUE`` read (VALUE as JSON, else a string) and checked against the default.

    A setting whose default is a number, a flag (true/false, any case, or 1/0), a list or a
    dict takes one of those.
    """
    name, sep, raw = item.partition("=")
    name = name.strip()
    if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
        raise UserError(f"--set {item!r}: use NAME=VALUE, e.g. -s RECOVER_429_PAUSE=120")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    from scrapy.settings import BaseSettings

    default = settings.get(name) if settings is not None else None
    kinds: list[tuple[type | tuple[type, ...], type | tuple[type, ...], str]] = [
        (bool, bool, "true or false"),
        ((int, float), (int, float), "a number"),
        ((dict, BaseSettings), dict, "a JSON object"),
        ((list, tuple), list, "a JSON list"),
    ]
    if isinstance(default, bool):  # a flag: true/false in any case, or 1/0
        value = {"true": True, "false": False, "1": True, "0": False}.get(
            raw.strip().lower(), value
        )
    for default_type, wanted, what in kinds:
        if isinstance(default, default_type):
            if not isinstance(value, wanted) or (wanted is not bool and isinstance(value, bool)):
                raise UserError(f"-s {name}={raw}: {name} takes {what}")
            break
    return name, value


def _date(value: str | None, flag: str) -> str | None:
    if not value:
        return None
    digits = re.sub(r"[-/:T ]", "", value.strip())
    for fmt in ("%Y%m%d%H%M%S", "%Y%m%d", "%Y%m", "%Y"):
        try:
            datetime.strptime(digits, fmt)
            return digits
        except ValueError:
            continue
    raise UserError(f"{flag} {value!r} is not a date (use YYYY-MM-DD)")


def _site(value: str) -> str:
    site = value.strip()
    if "//" not in site:
        site = "http://" + site
    try:
        parts = urlsplit(site)
        scheme, hostname = parts.scheme, parts.hostname
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:  # http://[::1 and the like
        scheme, hostname = "", None
    if scheme not in ("http", "https") or not hostname or "." not in hostname:
        raise UserError(f"{value!r} is not a site address (e.g. http://blog.example.com)")
    return site


def _budgets(rates: list[str] | None, base: dict[str, Any]) -> dict[str, Any]:
    budgets = {k: dict(v) for k, v in base.items()}
    for item in rates or []:
        for part in item.split(","):
            kind, _, number = part.partition("=")
            kind = kind.strip()
            if kind not in budgets or not re.fullmatch(r"\d+(\.\d+)?", number.strip()):
                raise UserError(f"--rate {part!r}: use cdx=N or replay=N (requests a minute)")
            budgets[kind]["per_minute"] = float(number)
    return budgets


def crawl_settings(args: argparse.Namespace, out: Path) -> Any:
    """Scrapy settings for this run: ``recover.settings`` plus the flags."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("recover.settings", priority="project")
    settings.set("HTTPCACHE_DIR", str((out / ".recover" / "httpcache").resolve()), "cmdline")
    settings.set(
        "RECOVER_BUDGETS", _budgets(args.rate, settings.getdict("RECOVER_BUDGETS")), "cmdline"
    )
    settings.set("RECOVER_PROGRESS", args.progress, "cmdline")
    if getattr(args, "format", None):
        settings.set("RECOVER_FORMATS", list(dict.fromkeys(args.format)), "cmdline")
    for item in getattr(args, "set", None) or []:
        name, value = _setting(item, settings)
        settings.set(name, value, "cmdline")
    if getattr(args, "verbose", False):
        settings.set("LOG_LEVEL", "INFO", "cmdline")
    else:
        settings.set("LOG_LEVEL", "ERROR", "cmdline")
    return settings


def recover(args: argparse.Namespace, extra_settings: dict[str, Any] | None = None) -> int:
    """Run one recovery as the flags say; print a summary; return the exit status."""
    site = _site(args.site)
    since, until = _date(args.since, "--from"), _date(args.until, "--to")
    if since and until and since.ljust(14, "0") > until.ljust(14, "9"):
        raise UserError(f"--from {args.since} is after --to {args.until}")
    warcs = [Path(w) for w in args.warc or []]
    for w in warcs:
        if w.is_dir():
            raise UserError(f"--warc {w}: a folder; name its files (--warc {w}/*.warc.gz)")
        if not w.is_file():
            raise UserError(f"--warc {w}: no such file")
    html_dirs = [Path(h) for h in getattr(args, "html", None) or []]
    for h in html_dirs:
        if not h.is_dir():
            raise UserError(
                f"--html {h}: "
                + ("a file, not the folder of saved pages" if h.exists() else "no such folder")
            )
    mementos = getattr(args, "memento", None) or []
    crawls = getattr(args, "commoncrawl", None) or []
    for crawl in crawls:
        if not re.fullmatch(r"CC-MAIN-\d{4}-\d{2}(-index)?", crawl.strip()):
            raise UserError(f"--commoncrawl {crawl!r}: a crawl is named like CC-MAIN-2015-11")
    media_base = getattr(args, "media_base_url", "") or ""
    if media_base and not re.match(r"https?://[^/\s]+", media_base):
        raise UserError(f"--media-base-url {media_base!r}: an http(s) URL, e.g. https://x.org/m/")
    others = warcs or html_dirs or mementos or crawls
    archives = args.archive or ([] if others else [DEFAULT_ARCHIVE])
    try:
        archives = [cdx.replay_prefix(a) for a in archives]
    except ValueError as exc:
        raise UserError(f"--archive: {exc}") from None
    host = host_of(site)
    out = Path(args.out) if args.out else Path("output") / host
    settings = crawl_settings(args, out)  # a bad -s fails before anything is written
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: a file; --out names the output folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: {exc.strerror}") from None

    from recover.spiders.recover import RecoverSpider

    for key, value in (extra_settings or {}).items():
        settings.set(key, value, "cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, "cmdline")  # the CLI's handler shows them
    spider_args = {
        "site": site,
        "archive": archives,
        "warc": [str(w) for w in warcs],
        "html": [str(h) for h in html_dirs],
        "memento": mementos,
        "commoncrawl": crawls,
        "cc_index": getattr(args, "cc_index", commoncrawl.INDEX_BASE),
        "cc_data": getattr(args, "cc_data", commoncrawl.DATA_BASE),
        "since": since,
        "until": until,
        "out": str(out),
        "media_base_url": media_base,
        "include_deleted": bool(getattr(args, "include_deleted", False)),
    }
    lock = SnapshotLock(out / ".recover", name="run.lock", what="recovery")
    try:
        lock.path.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except LockHeld as exc:
        raise UserError(f"{exc}; wait for it or stop it first") from None
    except OSError as exc:
        raise UserError(f"--out {out}: {exc.strerror or exc}") from None
    try:
        return _crawl(settings, RecoverSpider, spider_args, out)
    finally:
        lock.release()


def _crawl(settings: Any, spider_cls: Any, spider_args: dict[str, Any], out: Path) -> int:
    from recover.commands.process import RecoveryProcess

    process = RecoveryProcess(settings)
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, **spider_args)
    process.start()
    return summarize(crawler, out, process.interrupted)


def summarize(crawler: Any, out: Path, interrupted: int | None = None) -> int:
    """Print what came back (the crawl's stats say it) and decide the exit status.

    ``interrupted``: the signal that stopped the run (exit status 128 + its number).
    """
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("recover/stop_reason")
    if stats.get("recover/write_error"):
        raise UserError(
            f"cannot write the output ({stats['recover/write_error']}); free some space or "
            "choose another --out, then run the same command again to resume"
        )
    if interrupted is not None:
        print(
            f"recover: interrupted after {stats.get('recover/posts', 0)} post(s); progress is "
            f"saved in {out}/: run the same command again to resume",
            file=sys.stderr,
        )
        return 128 + interrupted
    if not stats.get("recover/captures"):
        if stats.get("recover/cdx_failure"):
            raise UserError(f"could not query the archive ({stats['recover/cdx_failure']})")
        from recover.store import RunState

        run = RunState.of(crawler).run
        where = ", ".join(run.get("archives", []))
        raise UserError(f"no captures of {host_of(run.get('site', ''))} in {where}")
    posts = stats.get("recover/posts", 0)
    missing = stats.get("recover/missing_posts", 0)
    partial = stats.get("recover/partial", 0)
    print(
        f"recovered {posts} post(s)"
        + (f" ({partial} partial: excerpts only)" if partial else "")
        + f", {missing} known post(s) still missing -> {out}/",
        file=sys.stdout,
    )
    sources = {
        k.removeprefix("recover/from/"): v
        for k, v in stats.items()
        if k.startswith("recover/from/")
    }
    for where, n in sorted(sources.items(), key=lambda kv: -kv[1]):
        kind, _, archive = where.partition(" ")
        print(f"  {n:>6} from {kind} captures of {archive}", file=sys.stdout)
    if stats.get("recover/media_out") or stats.get("recover/media_missing_out"):
        print(
            f"  {stats.get('recover/media_out', 0):>6} image(s) and file(s) in {out}/media/, "
            f"{stats.get('recover/media_missing_out', 0)} still missing (report.md lists them)",
            file=sys.stdout,
        )
    from recover.store import RunState

    state = RunState.of(crawler)
    deleted = list(state.deleted.values())
    if deleted:
        hidden = 0 if state.include_deleted else len(deleted)
        print(
            f"  {len(deleted)} post(s) deleted on the live site"
            + (f" ({hidden} not exported: --include-deleted keeps them)" if hidden else ""),
            file=sys.stdout,
        )
        for d in deleted[:10]:
            print(f"    {d.url}: {d.reason}", file=sys.stdout)
    if missing:
        print(f"  see {out}/report.md for what is missing and why", file=sys.stdout)
    if reason in ("archive_refused", "archive_rate_limited"):
        why = (
            f"{stats.get('recover/refused', 'the archive')} refuses connections"
            if reason == "archive_refused"
            else "the archive keeps answering 429 Too Many Requests"
        )
        after = time.strftime("%H:%M", time.localtime(time.time() + 3600))
        print(
            f"recover: {why}; progress is saved: run the same command again after {after} "
            "to resume",
            file=sys.stderr,
        )
        return 3
    return 0


def run(args: argparse.Namespace) -> int:
    return recover(args)
