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
        "spacing); defaults are safe for the Internet Archive",
    )
    p.add_argument("--progress", choices=("auto", "rich", "log", "off"), default="auto")
    p.add_argument(
        "-s",
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="override a setting of recover/settings.py, e.g. -s RECOVER_429_PAUSE=120",
    )


def _setting(item: str) -> tuple[str, Any]:
    name, sep, raw = item.partition("=")
    if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name.strip()):
        raise UserError(f"--set {item!r}: use NAME=VALUE, e.g. -s RECOVER_429_PAUSE=120")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return name.strip(), value


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
    parts = urlsplit(site)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
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
    for item in getattr(args, "set", None) or []:
        name, value = _setting(item)
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
    warcs = [Path(w) for w in args.warc or []]
    for w in warcs:
        if not w.is_file():
            raise UserError(f"--warc {w}: no such file")
    html_dirs = [Path(h) for h in getattr(args, "html", None) or []]
    for h in html_dirs:
        if not h.is_dir():
            raise UserError(f"--html {h}: no such folder")
    mementos = getattr(args, "memento", None) or []
    crawls = getattr(args, "commoncrawl", None) or []
    for crawl in crawls:
        if not re.fullmatch(r"CC-MAIN-\d{4}-\d{2}(-index)?", crawl.strip()):
            raise UserError(f"--commoncrawl {crawl!r}: a crawl is named like CC-MAIN-2015-11")
    others = warcs or html_dirs or mementos or crawls
    archives = args.archive or ([] if others else [DEFAULT_ARCHIVE])
    try:
        archives = [cdx.replay_prefix(a) for a in archives]
    except ValueError as exc:
        raise UserError(f"--archive: {exc}") from None
    host = host_of(site)
    out = Path(args.out) if args.out else Path("output") / host
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: {exc.strerror}") from None

    from scrapy.crawler import CrawlerProcess

    from spiders.recover import RecoverSpider

    settings = crawl_settings(args, out)
    for key, value in (extra_settings or {}).items():
        settings.set(key, value, "cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, "cmdline")  # the CLI's handler shows them
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(RecoverSpider)
    process.crawl(
        crawler,
        site=site,
        archive=archives,
        warc=[str(w) for w in warcs],
        html=[str(h) for h in html_dirs],
        memento=mementos,
        commoncrawl=crawls,
        cc_index=getattr(args, "cc_index", commoncrawl.INDEX_BASE),
        cc_data=getattr(args, "cc_data", commoncrawl.DATA_BASE),
        since=since,
        until=until,
        out=str(out),
    )
    process.start()
    return summarize(crawler, out)


def summarize(crawler: Any, out: Path) -> int:
    """Print what came back and decide the exit status."""
    spider = crawler.spider
    stats = crawler.stats.get_stats() if crawler.stats else {}
    result = getattr(spider, "result", None) or {"posts": 0, "report": {"missing": []}}
    reason = stats.get("recover/stop_reason")
    found_any = bool(spider.groups) if spider is not None else False
    if spider is not None and spider.cdx_failures and not found_any:
        first = spider.cdx_failures[0]
        raise UserError(f"could not query the archive ({first})")
    if not found_any:
        where = ", ".join(spider.sources)
        raise UserError(f"no captures of {spider.host} in {where}")
    posts = result["posts"]
    missing = len(result["report"].get("missing", []))
    partial = result.get("partial", 0)
    print(
        f"recovered {posts} post(s)"
        + (f" ({partial} partial: excerpts only)" if partial else "")
        + f", {missing} known post(s) still missing -> {out}/",
        file=sys.stdout,
    )
    for where, n in sorted(result.get("from", {}).items(), key=lambda kv: -kv[1]):
        kind, _, archive = where.partition(" ")
        print(f"  {n:>6} from {kind} captures of {archive}", file=sys.stdout)
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
