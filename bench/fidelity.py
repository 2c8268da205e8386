"""Fidelity benchmark: real blogs, recovered through the whole pipeline, scored on truth.

For each case in ``../shared/corpus/<case>/`` (``captures.warc.gz``, ``truth.jsonl``,
``site.json``): serve the WARC with a real pywb on loopback, run ``recover run`` against
it, and score ``posts.jsonl`` against the truth; beside it, a generic extractor
(trafilatura on the newest HTTP 200 capture of each post page) scored the same way.
Prints a table, then one JSON line.

    python bench/fidelity.py [--corpus ../shared/corpus] [--case NAME] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.score import score  # noqa: E402
from recover.demo.pywb import PywbArchive  # noqa: E402
from recover.discovery import warcfile  # noqa: E402
from recover.urls import canonical, kind_of  # noqa: E402

ERROR_MARKERS = (
    b"error establishing a database connection",
    b"account has been suspended",
    b"account suspended",
)
METRICS = (
    ("recall", "recall (page+feed)"),
    ("precision", "precision"),
    ("title_exact", "title exact"),
    ("published_same_day", "published same day"),
    ("terms_f1", "categories+tags F1"),
    ("body_f1_mean", "body token F1 mean"),
    ("body_f1_p10", "body token F1 p10"),
    ("comment_recall", "comment recall"),
    ("bad_capture_posts", "posts from bad captures"),
    ("partial", "partial posts (excerpts)"),
)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def bad_capture_urls(warc: Path, prefix: str) -> set[str]:
    """Replay URLs of every capture that is an error page (HTTP error or error text)."""
    bad = set()
    for cap in warcfile.index(warc):
        record = warcfile.read(cap)
        if record is None:
            continue
        head = record.body[:4000].lower()
        if record.status >= 400 or any(m in head for m in ERROR_MARKERS):
            bad.add(f"{prefix}{cap.timestamp}id_/{cap.original}")
    return bad


def generic_baseline(warc: Path, prefix: str) -> list[dict[str, Any]]:
    """trafilatura on the newest HTTP 200 capture of every post-shaped page."""
    import trafilatura

    newest: dict[str, Any] = {}
    for cap in warcfile.index(warc):
        if cap.status != 200 or kind_of(canonical(cap.original)) not in ("post", "page"):
            continue
        key = canonical(cap.original)
        if key not in newest or cap.timestamp > newest[key].timestamp:
            newest[key] = cap
    posts = []
    for cap in newest.values():
        record = warcfile.read(cap)
        if record is None:
            continue
        html = record.body.decode("utf-8", "replace")
        doc = trafilatura.bare_extraction(html, url=cap.original, with_metadata=True)
        if not doc:
            continue
        doc = doc if isinstance(doc, dict) else doc.as_dict()
        posts.append(
            {
                "url": cap.original,
                "title": doc.get("title"),
                "published": doc.get("date"),
                "categories": [c for c in (doc.get("categories") or []) if c],
                "tags": [t for t in (doc.get("tags") or []) if t],
                "content_html": doc.get("text") or "",
                "comments": [],
                "source": {
                    "timestamp": cap.timestamp,
                    "capture_url": f"{prefix}{cap.timestamp}id_/{cap.original}",
                },
            }
        )
    return posts


def run_case(case: Path, keep: Path | None) -> dict[str, Any]:
    site = json.loads((case / "site.json").read_text())
    truth = read_jsonl(case / "truth.jsonl")
    warc = case / "captures.warc.gz"
    out = (keep or Path(tempfile.mkdtemp(prefix="fidelity-"))) / case.name
    with PywbArchive([warc]) as wb:
        cmd = [
            sys.executable, "-m", "recover", "run", site["site"],
            "--archive", wb.replay_prefix,
            "--from", site["window"]["from"], "--to", site["window"]["to"],
            "--out", str(out), "--rate", "cdx=0,replay=0", "--progress", "off",
        ]  # fmt: skip
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit(f"{case.name}: recover run failed: {proc.stderr.strip()[-500:]}")
        bad = bad_capture_urls(warc, wb.replay_prefix)
        ours = score(read_jsonl(out / "posts.jsonl"), truth, bad_sources=bad)
        generic = score(generic_baseline(warc, wb.replay_prefix), truth, bad_sources=bad)
    ours["seconds"] = round(seconds, 1)
    return {"case": case.name, "posts": len(truth), "recover": ours, "generic": generic}


def fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--case", action="append", help="only these cases")
    parser.add_argument("--keep", type=Path, help="keep each case's output under this folder")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 0
    cases = sorted(p for p in args.corpus.iterdir() if (p / "truth.jsonl").is_file())
    if args.case:
        cases = [c for c in cases if c.name in args.case]
    results = [run_case(c, args.keep) for c in cases]
    width = max(len(label) for _, label in METRICS) + 2
    header = "".join(f"{r['case'][:14]:>16}{'generic':>10}" for r in results)
    print(f"{'metric':<{width}}{header}")
    for key, label in METRICS:
        row = "".join(f"{fmt(r['recover'][key]):>16}{fmt(r['generic'][key]):>10}" for r in results)
        print(f"{label:<{width}}{row}")
    print(
        f"{'seconds (recover run)':<{width}}"
        + "".join(f"{fmt(r['recover']['seconds']):>16}{'':>10}" for r in results)
    )
    by_case: dict[str, Any] = defaultdict(dict)
    for r in results:
        by_case[r["case"]] = {"recover": r["recover"], "generic": r["generic"]}
    print(json.dumps({"bench": "fidelity", "cases": by_case}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
