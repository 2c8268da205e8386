"""Snapshots of a real WordPress, and the restore from them: requests, records, sizes, counts.

Runs the life of tests/test_snapshot_wordpress.py (Debian's wordpress over a private
MariaDB, ``php -S`` on loopback): snapshot; edits, additions, a deletion and comments;
snapshot; no change; snapshot; the blog stopped; ``recover run --warc`` over the WARCs.
Prints one row per snapshot and the restore's counts beside the database's.

    python bench/snapshot.py
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.wordpress import WordPress, missing  # noqa: E402
from test_snapshot_wordpress import CDN_PNG, FIXTURES, PNG, Quiet  # noqa: E402

from recover.snapshot.retention import snapshots  # noqa: E402


def recover(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "recover", *args], capture_output=True, text=True, timeout=900
    )
    return done, time.monotonic() - t0


def records(path: Path) -> Counter[str]:
    with open(path, "rb") as fh:
        return Counter(r.rec_type for r in ArchiveIterator(fh))


def main() -> int:
    why = missing()
    if why:
        print(f"bench/snapshot.py: no WordPress here: {why}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    cdn_dir = tmp / "cdn"
    cdn_dir.mkdir()
    (cdn_dir / "photo.png").write_bytes(CDN_PNG)
    cdn = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(cdn_dir)))
    threading.Thread(target=cdn.serve_forever, daemon=True).start()
    out = tmp / "snapshots"
    wp = WordPress(tmp / "site")
    rows = []
    try:
        wp.start()
        os.environ["PNG_B64"] = base64.b64encode(PNG).decode()
        os.environ["CDN"] = f"http://localhost:{cdn.server_address[1]}/"
        ids = wp.php((FIXTURES / "load.php").read_text())
        for step in ("first", "after changes", "no change"):
            if step == "after changes":
                os.environ["IDS"] = json.dumps(ids)
                wp.php((FIXTURES / "change.php").read_text())
            done, secs = recover("snapshot", wp.url, "--out", str(out), "--delay", "0")
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            warc = snapshots(out, "127.0.0.1")[-1]
            kinds = records(warc)
            skipped = re.search(r"(\d+) skipped by date", done.stdout)
            change = re.search(r"since the previous snapshot: (.*)", done.stdout)
            rows.append(
                (
                    step,
                    kinds["request"],
                    kinds["response"],
                    kinds["revisit"],
                    int(skipped.group(1)) if skipped else 0,
                    warc.stat().st_size,
                    secs,
                    change.group(1) if change else "first snapshot",
                )
            )
        truth = wp.dump()
        wp.stop_web()
        warcs = [str(p) for p in snapshots(out, "127.0.0.1")]
        restore = tmp / "restored"
        done, restore_secs = recover(
            "run", wp.url, *sum((["--warc", w] for w in warcs), []), "--out", str(restore)
        )
    finally:
        wp.stop()
        cdn.shutdown()
    print(
        "| snapshot | requests | full records | revisits | not asked (dated) | WARC bytes "
        "| seconds | change summary |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print("| {} | {} | {} | {} | {} | {:,} | {:.1f} | {} |".format(*row))
    report = json.loads((restore / "report.json").read_text())
    posts = [json.loads(line) for line in (restore / "posts.jsonl").read_text().splitlines()]
    media = (
        [p for p in (restore / "media").rglob("*") if p.is_file()]
        if (restore / "media").is_dir()
        else []
    )
    print()
    print("| restore (recover run --warc) | database before the stop | restored |")
    print("| --- | --- | --- |")
    print(f"| posts + pages | {len(truth['posts'])} + {len(truth['pages'])} | {len(posts)} |")
    print(f"| comments | {len(truth['comments'])} | {sum(len(p['comments']) for p in posts)} |")
    print(f"| media files | {len(truth['attachments'])} on the site + 1 elsewhere | {len(media)} |")
    print(f"| deleted posts reported | 1 | {len(report.get('deleted') or [])} |")
    print(f"| seconds | | {restore_secs:.1f} |")
    return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
