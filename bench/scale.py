"""Scale benchmark: a whole ``recover run`` over a generated blog served by pywb on loopback.

For each size (``--posts 1000,10000``): generate the blog, write its WARC, serve it with
pywb, run ``recover run --rate cdx=0,replay=0`` in a child process and measure posts a
second, archive requests per recovered post beyond the CDX pages and the media requests
(lookups and fetches of the images posts use, shown apart; Scrapy's stats in report.json),
peak RSS (``/proc/PID/status`` VmHWM, polled) and the recovery's own CPU
time per post (user+sys of the child, from ``getrusage(RUSAGE_CHILDREN)``).  Side by
side, a per-URL downloader baseline against the same pywb: for each post URL one CDX
query for that URL, then a fetch of its newest capture, sequentially with urllib.  And
Scrapy's own floor: a bare spider (stock settings but the HTTP cache, on and stored as a
recovery stores it, and no remote control; callbacks that do nothing) sending the very
requests the recovery sent, read back from its HTTP cache: what those requests cost in
Scrapy before any page is read.

``--no-pacing`` turns AutoThrottle off as well (rate budgets are always off), so only the
archive's speed sets the pace: the fair setting for comparing wall time with the baseline.
Prints a table, then one JSON line.  ``python bench/scale.py --posts 1000`` is quick.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(1, str(REPO / "tests"))  # support.demo: the generated blog

from support.demo.blog import make_blog  # noqa: E402
from support.demo.warc import write_warc  # noqa: E402

from recover.demo.pywb import PywbArchive  # noqa: E402

TARGETS = {
    "requests_per_post": 1.05,
    "peak_mb_10k": 400.0,
    "cpu_ms_per_post": 10.0,
    "time_ratio": 1.0,  # wall time against the per-URL downloader, pacing off
}
MAIN = "import sys; from recover.cli import main; sys.exit(main())"


def _hwm_kb(pid: int) -> int | None:
    """Peak resident set size of a live process (kB), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def run_recover(
    site: str, prefix: str, out: Path, profile: Path | None, pacing: bool = True
) -> dict[str, Any]:
    """One ``recover run``: wall time, CPU time, peak RSS, its report's stats.

    Rate budgets are always off (``--rate cdx=0,replay=0``); ``pacing=False`` turns
    AutoThrottle off too, so nothing but the archive's own speed sets the pace."""
    if profile is not None:
        argv = [sys.executable, "-c", _PROFILED, str(profile)]
    else:
        argv = [sys.executable, "-c", MAIN]
    argv += ["run", site, "--archive", prefix, "--out", str(out)]
    argv += ["--rate", "cdx=0,replay=0", "--progress", "off"]
    if not pacing:
        argv += ["-s", "AUTOTHROTTLE_ENABLED=false"]
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = str(REPO)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    while proc.poll() is None:
        hwm = _hwm_kb(proc.pid)
        if hwm:
            peak = max(peak, hwm)
        time.sleep(0.05)
    wall = time.perf_counter() - started
    stdout, stderr = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"recover run failed ({proc.returncode}):\n{stderr[-3000:]}")
    report = json.loads((out / "report.json").read_text())
    posts = sum(1 for line in (out / "posts.jsonl").open(encoding="utf-8") if line.strip())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_kb": peak,
        "posts": posts,
        "stats": report.get("stats", {}),
        "stdout": stdout.strip(),
    }


_PROFILED = (
    "import cProfile, sys; from recover.cli import main; out = sys.argv.pop(1); "
    "p = cProfile.Profile(); p.enable()\n"
    "try:\n    code = main()\nfinally:\n    p.disable(); p.dump_stats(out)\n"
    "sys.exit(code)"
)


_BARE = r"""
import json, resource, sys
import scrapy
from scrapy.crawler import CrawlerProcess
urls, cache = json.loads(open(sys.argv[1]).read()), sys.argv[2]

class Bare(scrapy.Spider):
    name = "bare"
    custom_settings = {"REDIRECT_ENABLED": False, "HTTPERROR_ENABLED": False}

    async def start(self):
        for url in urls:
            yield scrapy.Request(url, self.parse, errback=self.parse, dont_filter=True)

    def parse(self, response):
        return None

from recover import settings as recovery  # its cache and its ports, as a recovery has them
same = ("TWISTED_REACTOR", "TELNETCONSOLE_ENABLED", "REMOTE_CONTROL_ENABLED",
        "HTTPCACHE_ENABLED", "HTTPCACHE_GZIP", "HTTPCACHE_STORAGE", "HTTPCACHE_POLICY")
process = CrawlerProcess({
    **{name: getattr(recovery, name) for name in same},
    "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "HTTPCACHE_DIR": cache,
    "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
})
process.crawl(Bare)
process.start()
"""


def sent_urls(out: Path) -> list[str]:
    """The URLs of the requests a recovery sent, from its HTTP cache (one entry a request)."""
    urls = []
    for entry in sorted((out / ".recover" / "httpcache").glob("*/*/*.pickle")):
        raw = entry.read_bytes()
        urls.append(pickle.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)["url"])  # noqa: S301
    return urls


def scrapy_floor(urls: list[str], work: Path) -> dict[str, Any]:
    """A bare Scrapy spider sending ``urls``: wall and CPU time of its child process."""
    listing = work / "floor-urls.json"
    listing.write_text(json.dumps(urls))
    cache = work / "floor-cache"
    shutil.rmtree(cache, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _BARE, str(listing), str(cache)],
        cwd=work, env=env, check=True, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(cache, ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "requests": len(urls)}


def per_url_baseline(urls: list[str], cdx_url: str, prefix: str) -> dict[str, Any]:
    """For each URL: one CDX query, then its newest capture; sequential urllib."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    requests = got = 0
    started = time.perf_counter()
    for url in urls:
        query = cdx_url + "?" + urllib.parse.urlencode({"url": url, "output": "json"})
        requests += 1
        try:
            with opener.open(query, timeout=60) as resp:
                lines = [json.loads(x) for x in resp.read().decode().splitlines() if x.strip()]
        except (urllib.error.URLError, OSError, ValueError):
            continue
        stamps = sorted(str(r.get("timestamp", "")) for r in lines if str(r.get("status")) == "200")
        if not stamps:
            continue
        requests += 1
        try:
            with opener.open(f"{prefix}{stamps[-1]}id_/{url}", timeout=60) as resp:
                resp.read()
                got += 1
        except (urllib.error.URLError, OSError):
            pass
    return {"wall": time.perf_counter() - started, "requests": requests, "fetched": got}


def bench_size(
    n: int, work: Path, sample: int, profile: bool, pacing: bool = True
) -> dict[str, Any]:
    folder = work / f"blog-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    blog = make_blog(n)
    warc = write_warc(blog, folder / "blog.warc.gz")
    made = time.perf_counter() - t0
    print(f"[{n}] blog and WARC in {made:.1f}s ({warc.stat().st_size / 1e6:.0f} MB)", flush=True)
    with PywbArchive([warc], threads=16) as wb:
        out = folder / "out"
        shutil.rmtree(out, ignore_errors=True)
        prof = folder / "recover.prof" if profile else None
        rec = run_recover(blog.base, wb.replay_prefix, out, prof, pacing)
        print(f"[{n}] recover: {rec['stdout']} in {rec['wall']:.1f}s", flush=True)
        floor = scrapy_floor(sent_urls(out), folder)
        print(f"[{n}] bare Scrapy, the same {floor['requests']} requests: "
              f"{floor['wall']:.1f}s, {floor['cpu']:.1f}s CPU", flush=True)  # fmt: skip
        urls = [p.url for p in blog.posts]
        picked = (
            urls if sample <= 0 or sample >= len(urls) else urls[:: max(1, len(urls) // sample)]
        )
        base = per_url_baseline(picked, wb.cdx_url, wb.replay_prefix)
        scale = len(urls) / len(picked)
    stats = rec["stats"]
    total = int(stats.get("downloader/request_count", 0))
    cdx_pages = int(stats.get("cdx_pages", 0))
    # images and files the posts use: fetched on top of the posts, counted apart
    media = int(stats.get("media_lookups", 0)) + int(stats.get("media_fetches", 0))
    posts = max(1, rec["posts"])
    row = {
        "posts_in_blog": n,
        "posts_recovered": rec["posts"],
        "seconds": round(rec["wall"], 2),
        "posts_per_s": round(rec["posts"] / rec["wall"], 1),
        "archive_requests": total,
        "cdx_pages": cdx_pages,
        "media_requests": media,
        "requests_per_post": round((total - cdx_pages - media) / posts, 3),
        "peak_rss_mb": round(rec["peak_kb"] / 1024, 1),
        "cpu_s": round(rec["cpu"], 2),
        "cpu_ms_per_post": round(1000 * rec["cpu"] / posts, 2),
        "floor_cpu_ms_per_post": round(1000 * floor["cpu"] / posts, 2),
        "floor_seconds": round(floor["wall"], 2),
        "baseline_requests": round(base["requests"] * scale),
        "baseline_seconds": round(base["wall"] * scale, 2),
        "baseline_sampled": len(picked),
        "pacing": pacing,
    }
    row["request_ratio"] = round((total - media) / max(1, row["baseline_requests"]), 3)
    row["time_ratio"] = round(rec["wall"] / max(1e-9, row["baseline_seconds"]), 3)
    if prof:
        row["profile"] = str(prof)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    cols = [
        ("posts", "posts_in_blog"),
        ("recovered", "posts_recovered"),
        ("s", "seconds"),
        ("posts/s", "posts_per_s"),
        ("req", "archive_requests"),
        ("cdx", "cdx_pages"),
        ("media req", "media_requests"),
        ("req/post", "requests_per_post"),
        ("peak MB", "peak_rss_mb"),
        ("CPU ms/post", "cpu_ms_per_post"),
        ("floor ms/post", "floor_cpu_ms_per_post"),
        ("floor s", "floor_seconds"),
        ("base req", "baseline_requests"),
        ("base s", "baseline_seconds"),
        ("req ratio", "request_ratio"),
        ("time ratio", "time_ratio"),
    ]
    head = " | ".join(f"{c:>11}" for c, _ in cols)
    lines = [head, "-" * len(head)]
    for row in rows:
        lines.append(" | ".join(f"{row[k]!s:>11}" for _, k in cols))
    return "\n".join(lines)


def verdict(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each target met or not (memory: at the largest size, and its growth)."""
    big = max(rows, key=lambda r: r["posts_in_blog"])
    small = min(rows, key=lambda r: r["posts_in_blog"])
    out = {
        "requests_per_post_ok": all(
            r["requests_per_post"] <= TARGETS["requests_per_post"] for r in rows
        ),
        "cpu_ok": all(r["cpu_ms_per_post"] <= TARGETS["cpu_ms_per_post"] for r in rows),
        "peak_mb_ok": big["peak_rss_mb"] < TARGETS["peak_mb_10k"],
    }
    unpaced = [r for r in rows if not r["pacing"]]
    if unpaced:
        out["time_ok"] = all(r["time_ratio"] <= TARGETS["time_ratio"] for r in unpaced)
    if big is not small:
        size_ratio = big["posts_in_blog"] / small["posts_in_blog"]
        mem_ratio = big["peak_rss_mb"] / max(1e-9, small["peak_rss_mb"])
        out["memory_growth"] = round(mem_ratio, 2)
        out["memory_sublinear"] = mem_ratio < size_ratio
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--posts", default="1000,10000", help="sizes, comma-separated")
    p.add_argument("--work", default=None, help="work folder (default: a temp dir)")
    p.add_argument(
        "--baseline-sample",
        type=int,
        default=2000,
        help="posts the per-URL baseline fetches (0: all); its totals are scaled up",
    )
    p.add_argument("--profile", action="store_true", help="cProfile the recovery")
    p.add_argument(
        "--no-pacing",
        dest="pacing",
        action="store_false",
        help="AutoThrottle off too (rate budgets are always off): the archive sets the pace",
    )
    args = p.parse_args(argv)
    sizes = [int(x) for x in args.posts.split(",") if x.strip()]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="recover-scale-"))
    rows = [bench_size(n, work, args.baseline_sample, args.profile, args.pacing) for n in sizes]
    print()
    print(table(rows))
    print(json.dumps({"bench": "scale", "rows": rows, "targets": TARGETS, **verdict(rows)}))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
