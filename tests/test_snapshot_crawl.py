"""`recover snapshot` against a real (loopback) live blog, twice: the second run is incremental.

The blog is ``tests/fixtures/livesite`` served by a stdlib HTTP server that honours
``If-None-Match`` / ``If-Modified-Since``. Between the two snapshots one post is edited and one
added. Snapshots run as subprocesses (Scrapy's reactor starts once per process) through a small
driver that swaps Save Page Now for a stand-in writing the URLs to a file: no internet.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from recover.snapshot.lock import SnapshotLock
from recover.snapshot.retention import snapshots

FIXTURE = Path(__file__).parent / "fixtures" / "livesite"
_spec = importlib.util.spec_from_file_location("livesite_server", FIXTURE / "server.py")
livesite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(livesite)

DRIVER = r"""
import sys
from recover.snapshot import savepagenow

def fake_save(url):
    with open(sys.argv[1], "a") as fh:
        fh.write(url + "\n")
    return "https://web.archive.org/web/20240601000000/" + url

savepagenow.SAVE_FUNCTION = fake_save
savepagenow.PUBLIC_CHECK = lambda url: True  # the loopback blog stands in for a public one
savepagenow.PAUSE = 0
from recover.cli import main
sys.exit(main(sys.argv[2:]))
"""

POSTS = {  # path -> title, from fixtures/livesite/make.py
    "2024/01/first-post/": "Hello, world of snapshots",
    "2024/01/second-post/": "Why archives forget",
    "2024/02/third-post/": "Notes on WARC files",
    "2024/02/fourth-post/": "A garden in February",
    "2024/03/fifth-post/": "Small tools, long lives",
    "2024/03/sixth-post/": "On keeping things",
}
NEW = "2024/05/seventh-post/"
EDITED = "2024/02/fourth-post/"


def snapshot(tmp: Path, *args: str, spn_log: Path | None = None, timeout: float = 120):
    """Run ``recover snapshot ARGS`` in a subprocess; returns the CompletedProcess."""
    driver = tmp / "driver.py"
    driver.write_text(DRIVER)
    spn_log = spn_log or tmp / "spn-unused.txt"
    return subprocess.run(
        [sys.executable, str(driver), str(spn_log), "snapshot", *args, "--delay", "0"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def records(path: Path) -> list[tuple[str, str, dict[str, str], str | None]]:
    """(type, target URI, WARC headers, HTTP status) of every record."""
    out = []
    with open(path, "rb") as fh:
        for r in ArchiveIterator(fh):
            status = r.http_headers.get_statuscode() if r.http_headers else None
            uri = r.rec_headers.get_header("WARC-Target-URI") or ""
            out.append((r.rec_type, uri, dict(r.rec_headers.headers), status))
    return out


def passes_checker(path: Path) -> bool:
    return Checker(SimpleNamespace(inputs=[str(path)], verbose=False)).process_all() == 0


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two snapshots of the live site, before and after the change."""
    tmp = tmp_path_factory.mktemp("snapshot")
    out = tmp / "snapshots"
    out.mkdir()
    (out / ".127.0.0.1-20000101000000.warc.gz.part").write_bytes(b"half a WARC")  # killed run
    with livesite.LiveSite() as site:
        first = snapshot(
            tmp, site.url, "--out", str(out), "--save-page-now", spn_log=tmp / "spn1.txt"
        )
        assert first.returncode == 0, first.stderr
        log1 = list(site.requests())
        site.version = 2
        site.log.clear()
        second = snapshot(
            tmp, site.url, "--out", str(out), "--save-page-now", spn_log=tmp / "spn2.txt"
        )
        assert second.returncode == 0, second.stderr
        log2 = list(site.requests())
        yield SimpleNamespace(
            tmp=tmp,
            out=out,
            site=site,
            url=site.url,
            first=first,
            second=second,
            log1=log1,
            log2=log2,
            warcs=snapshots(out, "127.0.0.1"),
        )


def test_first_snapshot_crawls_the_whole_blog_politely(runs):
    paths = {path for path, _, _ in runs.log1}
    for post in POSTS:
        assert "/" + post in paths
    for page in (
        "/",
        "/page/2/",
        "/page/3/",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/category/notes/",
        "/2024/03/",
        "/about/",
    ):
        assert page in paths
    assert "/wp-content/uploads/2024/01/first-post.png" in paths
    assert "/wp-content/uploads/2024/01/first-post-300x200.png" in paths  # srcset
    assert "/wp-content/uploads/2024/02/warc-notes.pdf" in paths  # attachment
    assert not any(p.startswith("/private/") for p in paths)  # robots.txt says no
    assert not any(p.startswith("/wp-login") for p in paths)
    assert len(paths) == len(runs.log1), "nothing fetched twice"
    agents = {headers.get("User-Agent") for _, _, headers in runs.log1}
    assert len(agents) == 1 and agents.pop().startswith("recover-snapshot/")


def test_snapshot_names_and_no_partial_files(runs):
    assert len(runs.warcs) == 2
    for path in runs.warcs:
        assert path.name.startswith("127.0.0.1-") and path.name.endswith(".warc.gz")
    assert not list(runs.out.glob(".*.part"))
    assert (runs.out / "recover-snapshot-state.json").exists()
    assert " 0 revisits" in runs.first.stdout.splitlines()[0]
    assert "7 post(s) and 1 page(s) exported" in runs.second.stdout, runs.second.stdout
    for warc, posts in zip(runs.warcs, (7, 8), strict=True):  # posts and the About page
        exports = runs.out / warc.name.removesuffix(".warc.gz")
        assert len((exports / "posts.jsonl").read_text().splitlines()) == posts
        assert (exports / "wordpress.xml").exists()


def test_both_warcs_pass_warcio_check(runs):
    for path in runs.warcs:
        assert passes_checker(path)
        # warcio's own command, run by this interpreter (no venv on PATH needed)
        cli = "import sys; from warcio.cli import main; sys.exit(main())"
        result = subprocess.run(
            [sys.executable, "-c", cli, "check", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_first_warc_has_warcinfo_requests_and_responses(runs):
    recs = records(runs.warcs[0])
    assert recs[0][0] == "warcinfo"
    responses = {uri for t, uri, _, _ in recs if t == "response"}
    requests = {uri for t, uri, _, _ in recs if t == "request"}
    assert responses == requests
    assert {runs.url + p for p in POSTS} <= responses
    for t, _, headers, _ in recs[1:]:
        assert headers["WARC-Date"] and (t == "request" or headers["WARC-Payload-Digest"])
    assert not any(t == "revisit" for t, *_ in recs)


def test_second_snapshot_fetches_only_what_changed(runs):
    full = {path for path, status, _ in runs.log2 if status == 200}
    not_modified = {path for path, status, _ in runs.log2 if status == 304}
    assert "/" + EDITED in full and "/" + NEW in full
    assert "/wp-content/uploads/2024/05/seventh-post.png" in full
    for post in POSTS:
        if post != EDITED:
            assert "/" + post in not_modified
    assert "/wp-content/uploads/2024/01/first-post.png" in not_modified
    conditional = [h for p, _, h in runs.log2 if p == "/2024/01/first-post/"][0]
    assert conditional.get("If-None-Match") and conditional.get("If-Modified-Since")
    # no validators, and the sitemap dates it before the first capture: not asked again
    assert "/about/" not in {path for path, _, _ in runs.log2}


def test_unchanged_pages_are_revisit_records(runs):
    first = {uri: h for t, uri, h, _ in records(runs.warcs[0]) if t == "response"}
    recs = records(runs.warcs[1])
    revisits = {uri: h for t, uri, h, _ in recs if t == "revisit"}
    responses = {uri for t, uri, _, _ in recs if t == "response"}
    for post in POSTS:
        url = runs.url + post
        if post == EDITED:
            assert url in responses and url not in revisits
            continue
        h = revisits[url]
        assert h["WARC-Profile"].endswith("/revisit/server-not-modified")
        assert h["WARC-Refers-To-Target-URI"] == url
        assert h["WARC-Refers-To-Date"] == first[url]["WARC-Date"]
        assert h["WARC-Refers-To"] == first[url]["WARC-Record-ID"]
        assert h["WARC-Payload-Digest"] == first[url]["WARC-Payload-Digest"]
    assert runs.url + NEW in responses
    notes = revisits[runs.url + "category/notes/"]  # no validators, same bytes
    assert notes["WARC-Profile"].endswith("/revisit/identical-payload-digest")


def test_save_page_now_submits_new_and_changed_posts(runs):
    first = (runs.tmp / "spn1.txt").read_text().split()
    second = (runs.tmp / "spn2.txt").read_text().split()
    assert sorted(first) == sorted([runs.url + p for p in POSTS] + [runs.url + "about/"])
    assert sorted(second) == sorted([runs.url + EDITED, runs.url + NEW])
    state = json.loads((runs.out / "recover-snapshot-state.json").read_text())["urls"]
    spn = state[runs.url + NEW]["spn"]
    assert spn["archive_url"].endswith(runs.url + NEW) and spn["digest"].startswith("sha1:")
    assert "Save Page Now: 2 saved" in runs.second.stdout


def _replay(prefix: str, ts: str, url: str) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{prefix}{ts}id_/{url}", timeout=30) as resp:
        return resp.status, resp.read()


def test_both_snapshots_replay_in_pywb(runs):
    pywb = pytest.importorskip("recover.demo.pywb")
    # the runs are seconds apart: ask for the first run's start and the second run's end
    t1 = runs.warcs[0].name.split("-")[-1][:14]
    t2 = max(
        "".join(c for c in h["WARC-Date"] if c.isdigit()) for _, _, h, _ in records(runs.warcs[1])
    )
    v1 = {p: (livesite.HERE / "v1" / p / "index.html").read_bytes() for p in POSTS}
    with pywb.PywbArchive(runs.warcs) as wb:
        for post in POSTS:
            url = runs.url + post
            status, body = _replay(wb.replay_prefix, t1, url)
            assert status == 200 and b"Second paragraph of post" in body
            status, body = _replay(wb.replay_prefix, t2, url)  # revisit -> the first capture
            assert status == 200
            if post == EDITED:
                assert b"Update, June 2024" in body
            else:
                assert body == v1[post].replace(b"https://blog.example.com/", runs.url.encode())
        status, body = _replay(wb.replay_prefix, t2, runs.url + NEW)
        assert status == 200 and b"Back from the mountains" in body
        status, body = _replay(
            wb.replay_prefix, t2, runs.url + "wp-content/uploads/2024/01/first-post.png"
        )
        assert status == 200 and body.startswith(b"\x89PNG")


def test_lock_refuses_an_overlapping_snapshot(runs):
    with SnapshotLock(runs.out):
        result = snapshot(runs.tmp, runs.url, "--out", str(runs.out))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "another snapshot is running" in result.stderr
    assert len(snapshots(runs.out, "127.0.0.1")) == 2


def test_killed_snapshot_leaves_no_warc_under_the_final_name(tmp_path):
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out = tmp_path / "s"
    with livesite.LiveSite() as site:
        site.delay = 0.2
        proc = subprocess.Popen(
            [
                sys.executable,
                str(driver),
                str(tmp_path / "spn.txt"),
                "snapshot",
                site.url,
                "--out",
                str(out),
                "--delay",
                "0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while len(site.requests()) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(site.requests()) >= 4
        finally:
            proc.kill()
            proc.wait()
    assert list(out.glob("*.warc.gz")) == []
    assert len(list(out.glob(".*.warc.gz.part"))) == 1
    assert not (out / "recover-snapshot-state.json").exists()


def test_unreachable_site_fails_with_one_line(tmp_path):
    result = snapshot(tmp_path, "http://127.0.0.1:9/", "--out", str(tmp_path / "s"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "cannot reach" in result.stderr
    assert list((tmp_path / "s").glob("*.warc.gz")) == []
    assert list((tmp_path / "s").glob(".*.part")) == []


def test_full_snapshot_then_retention_keeps_n(runs):
    """A --full snapshot stands alone, so --keep 1 may delete the older two; the next one
    refers only to it."""
    site = runs.site  # still serving version 2
    out = runs.tmp / "retention"
    for extra in ([], [], ["--full", "--keep", "1"]):
        result = snapshot(runs.tmp, site.url, "--out", str(out), "--no-export", *extra)
        assert result.returncode == 0, result.stderr
    kept = snapshots(out, "127.0.0.1")
    assert len(kept) == 1 and "deleted 2 old snapshot(s)" in result.stdout
    assert not any(t == "revisit" for t, *_ in records(kept[0]))
    result = snapshot(runs.tmp, site.url, "--out", str(out), "--keep", "1", "--no-export")
    assert result.returncode == 0, result.stderr
    newest = snapshots(out, "127.0.0.1")
    assert len(newest) == 2 and "kept 1 older snapshot(s)" in result.stdout
    refs = {h["WARC-Refers-To"] for t, _, h, _ in records(newest[-1]) if t == "revisit"}
    ids = {h["WARC-Record-ID"] for t, _, h, _ in records(kept[0]) if t == "response"}
    assert refs and refs <= ids


def test_recover_run_from_the_snapshots_restores_every_post(runs):
    restored = runs.tmp / "restored"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "recover.cli",
            "run",
            runs.url,
            "--out",
            str(restored),
            *[arg for warc in runs.warcs for arg in ("--warc", str(warc))],
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    posts = {}
    for line in (restored / "posts.jsonl").read_text().splitlines():
        post = json.loads(line)
        posts[post["url"].split("/", 3)[-1]] = post
    live = {**POSTS, NEW: "Back from the mountains"}
    assert set(live) <= set(posts)
    for path, title in live.items():
        post = posts[path]
        assert post["title"] == title
        n = 7 if path == NEW else list(POSTS).index(path) + 1
        assert f"Second paragraph of post {n}" in post["content_html"]
        assert ("Update, June 2024" in post["content_html"]) == (path == EDITED)
