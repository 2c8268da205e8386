"""`recover snapshot`'s parts, without a crawl: WARC writing, state, lock, retention, SPN, cron."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.checker import Checker

from recover.cli import UserError, main
from recover.commands.snapshot import site_url
from recover.snapshot import savepagenow
from recover.snapshot.capture import SavedRecord, payload_digest, read_capture
from recover.snapshot.lock import LockHeld, SnapshotLock
from recover.snapshot.recorder import decoded
from recover.snapshot.retention import prune, snapshot_name, snapshots
from recover.snapshot.schedule import cron_line
from recover.snapshot.session import Session, Visit, iso_utc
from recover.snapshot.state import State
from recover.snapshot.warcwriter import (
    PROFILE_IDENTICAL,
    PROFILE_NOT_MODIFIED,
    SnapshotWarc,
    part_path,
)

URL = "https://blog.example.com/2024/01/first-post/"
HTML = b"<html><body><p>First post</p></body></html>"


def check(path: Path) -> int:
    """warcio's own checker (what ``warcio check`` runs): 0 when every digest passes."""
    return Checker(SimpleNamespace(inputs=[str(path)], verbose=False)).process_all()


def exchange(**extra):
    return {
        "status_line": "200 OK",
        "headers": [("Content-Type", "text/html; charset=UTF-8"), ("ETag", '"a1"')],
        "request_line": "GET /2024/01/first-post/ HTTP/1.1",
        "request_headers": [("Host", "blog.example.com"), ("User-Agent", "recover-snapshot/t")],
        **extra,
    }


def write_warc(folder: Path, stamp: str, pages: dict[str, bytes], revisit: dict | None = None):
    """A snapshot WARC with full captures of ``pages`` and revisits to ``revisit`` captures."""
    warc = SnapshotWarc(folder / snapshot_name("blog.example.com", stamp), {"software": "t"})
    captures = {
        url: warc.write_exchange(url, body=body, **exchange()) for url, body in pages.items()
    }
    for url, capture in (revisit or {}).items():
        warc.write_revisit(url, capture, profile=PROFILE_NOT_MODIFIED, **exchange())
    warc.commit()
    return captures


# -- WARC ------------------------------------------------------------------------------------


def test_warc_is_published_only_on_commit_and_passes_the_checker(tmp_path):
    path = tmp_path / snapshot_name("blog.example.com", "20240101000000")
    warc = SnapshotWarc(path, {"software": "recover-snapshot/test"})
    first = warc.write_exchange(URL, body=HTML, **exchange())
    warc.write_revisit(URL, first, profile=PROFILE_NOT_MODIFIED, **exchange(status_line="304"))
    warc.write_revisit(URL, first, profile=PROFILE_IDENTICAL, **exchange())
    assert not path.exists() and part_path(path).exists()
    warc.commit()
    assert path.exists() and not part_path(path).exists()
    assert check(path) == 0

    with open(path, "rb") as fh:
        records = [
            (r.rec_type, dict(r.rec_headers.headers), r.http_headers) for r in ArchiveIterator(fh)
        ]
    types = [t for t, _, _ in records]
    assert types == ["warcinfo", "response", "request", "revisit", "request", "revisit", "request"]
    response = records[1][1]
    assert response["WARC-Payload-Digest"] == payload_digest(HTML) == first.digest
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", response["WARC-Date"])
    assert records[2][1]["WARC-Concurrent-To"] == response["WARC-Record-ID"]
    not_modified, identical = records[3][1], records[5][1]
    assert not_modified["WARC-Profile"] == PROFILE_NOT_MODIFIED
    assert identical["WARC-Profile"] == PROFILE_IDENTICAL
    for revisit in (not_modified, identical):
        assert revisit["WARC-Refers-To-Target-URI"] == URL
        assert revisit["WARC-Refers-To-Date"] == first.date
        assert revisit["WARC-Refers-To"] == first.record_id
        assert revisit["WARC-Payload-Digest"] == first.digest
    assert not records[3][2] or not records[3][2].headers  # replays with the original's headers
    assert records[5][2].get_statuscode() == "200"
    headers, body = read_capture(tmp_path, first)
    assert body == HTML and ("ETag", '"a1"') in headers


def test_aborted_warc_leaves_nothing(tmp_path):
    path = tmp_path / snapshot_name("blog.example.com", "20240101000000")
    warc = SnapshotWarc(path, {"software": "t"})
    warc.write_exchange(URL, body=HTML, **exchange())
    warc.abort()
    assert list(tmp_path.iterdir()) == []


def test_decoded_drops_content_encoding_and_fixes_length():
    body = b"<html><body>" + b"x" * 500 + b"</body></html>"
    packed = gzip.compress(body)
    response = Response(
        URL,
        body=packed,
        headers={
            "Content-Encoding": "gzip",
            "Content-Length": str(len(packed)),
            "Transfer-Encoding": "chunked",
            "Content-Type": "text/html",
        },
    )
    plain, headers = decoded(response)
    assert plain == body
    assert b"Content-Encoding" not in headers and b"Transfer-Encoding" not in headers
    assert headers[b"Content-Length"] == str(len(body)).encode()
    same = HtmlResponse(URL, body=body, headers={"Content-Type": "text/html"})
    assert decoded(same)[0] == body


# -- state, dates ----------------------------------------------------------------------------


def test_state_round_trip_and_forgets_captures_of_missing_files(tmp_path):
    captures = write_warc(tmp_path, "20240101000000", {URL: HTML})
    state = State.load(tmp_path)
    entry = state.entry(URL)
    entry.capture, entry.etag, entry.last_modified = captures[URL], '"a1"', "Mon, 01 Jan 2024"
    entry.spn = {"archive_url": "https://web.archive.org/web/2024/" + URL}
    state.entry("https://blog.example.com/gone/").capture = SavedRecord(
        "https://blog.example.com/gone/", "deleted.warc.gz", 0, "2023-01-01T00:00:00Z", "<x>", "d"
    )
    state.save()
    again = State.load(tmp_path)
    assert again.get(URL) == state.get(URL)
    assert again.forget_missing(tmp_path) == 1
    assert again.get("https://blog.example.com/gone/").capture is None
    assert again.get(URL).capture == captures[URL]


def test_unreadable_state_is_one_clear_error(tmp_path):
    (tmp_path / "recover-snapshot-state.json").write_text("{not json")
    with pytest.raises(ValueError, match="unreadable"):
        State.load(tmp_path)


def test_iso_utc_reads_sitemap_and_feed_dates():
    assert iso_utc("2024-03-01") == "2024-03-01T00:00:00Z"
    assert iso_utc("2024-03-01T10:00:00+02:00") == "2024-03-01T08:00:00Z"
    assert iso_utc("2024-03-01T10:00:00Z") == "2024-03-01T10:00:00Z"
    assert iso_utc("yesterday") is None and iso_utc(None) is None


# -- lock ------------------------------------------------------------------------------------


def test_lock_refuses_a_second_holder_until_released(tmp_path):
    with SnapshotLock(tmp_path):
        with pytest.raises(LockHeld, match=r"another snapshot is running .*\(pid \d+\)"):
            SnapshotLock(tmp_path).acquire()
    with SnapshotLock(tmp_path):
        pass


def test_cli_refuses_an_overlapping_run_with_one_line(tmp_path, capsys):
    with SnapshotLock(tmp_path):
        assert main(["snapshot", "http://127.0.0.1:9/", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "another snapshot is running" in err


# -- retention -------------------------------------------------------------------------------


def test_retention_keeps_newest_and_what_their_revisits_need(tmp_path):
    other = "https://blog.example.com/other/"
    a = write_warc(tmp_path, "20240101000000", {URL: HTML, other: b"<p>other</p>"})
    write_warc(tmp_path, "20240102000000", {other: b"<p>other v2</p>"}, revisit={URL: a[URL]})
    write_warc(tmp_path, "20240103000000", {URL: b"<p>new</p>", other: b"<p>other v3</p>"})
    (tmp_path / "blog.example.com-20240101000000").mkdir()  # its exports
    (tmp_path / "elsewhere.org-20200101000000.warc.gz").write_bytes(b"")  # another site's

    kept = prune(tmp_path, "blog.example.com", 2)  # Jan 2 refers into Jan 1: both stay
    assert kept.deleted == [] and kept.needed == ["blog.example.com-20240101000000.warc.gz"]

    done = prune(tmp_path, "blog.example.com", 1)  # Jan 3 is whole: the rest may go
    assert sorted(done.deleted) == [
        "blog.example.com-20240101000000.warc.gz",
        "blog.example.com-20240102000000.warc.gz",
    ]
    assert [p.name for p in snapshots(tmp_path, "blog.example.com")] == [
        "blog.example.com-20240103000000.warc.gz"
    ]
    assert not (tmp_path / "blog.example.com-20240101000000").exists()
    assert (tmp_path / "elsewhere.org-20200101000000.warc.gz").exists()


# -- Save Page Now ---------------------------------------------------------------------------


def visit(url: str, digest: str = "sha1:AAA") -> Visit:
    return Visit(
        url, SavedRecord(url, "w.warc.gz", 0, "2024-01-01T00:00:00Z", "<r>", digest), "new"
    )


def test_save_page_now_submits_due_pages_with_pauses_and_records_results(tmp_path):
    state = State(tmp_path / "state.json")
    urls = [f"https://blog.example.com/2024/01/p{i}/" for i in range(4)]
    state.entry(urls[0]).spn = {"digest": "sha1:AAA", "archive_url": "https://web.archive.org/x"}
    state.entry(urls[1]).spn = {"digest": "sha1:OLD", "archive_url": "https://web.archive.org/y"}
    submitted, pauses = [], []

    def fake_save(url: str) -> str:
        submitted.append(url)
        if url == urls[2]:
            raise RuntimeError("save failed\nlong trace")
        return f"https://web.archive.org/web/20240101000000/{url}"

    done = savepagenow.submit(
        [visit(u) for u in urls], state, fake_save, pause=7.0, sleep=pauses.append, public=ANY
    )
    assert submitted == urls[1:]  # urls[0] already saved in this version
    assert pauses == [7.0, 7.0]
    assert set(done.saved) == {urls[1], urls[3]} and list(done.failed) == [urls[2]]
    assert state.get(urls[2]).spn["error"] == "RuntimeError: save failed"
    assert state.get(urls[3]).spn["archive_url"].endswith(urls[3])
    assert state.get(urls[3]).spn["digest"] == "sha1:AAA"


def test_save_page_now_respects_the_limit_and_stops_on_rate_limiting(tmp_path):
    from waybackpy.exceptions import TooManyRequestsError

    state = State(tmp_path / "state.json")
    urls = [f"https://blog.example.com/p{i}/" for i in range(5)]
    done = savepagenow.submit(
        [visit(u) for u in urls], state, lambda u: "ok", limit=2, sleep=lambda s: None, public=ANY
    )
    assert list(done.saved) == urls[:2] and done.deferred == urls[2:]

    def limited(url: str) -> str:
        raise TooManyRequestsError("429")

    state = State(tmp_path / "state.json")
    done = savepagenow.submit(
        [visit(u) for u in urls], state, limited, sleep=lambda s: None, public=ANY
    )
    assert list(done.failed) == urls[:1] and done.deferred == urls[1:]


def ANY(url: str) -> bool:  # noqa: N802 - a stand-in for is_public: every URL public
    return True


def test_save_page_now_submits_only_public_urls():
    def resolve(host, port):
        return {"blog.example.com": [(2, 1, 6, "", ("93.184.215.14", 0))]}.get(host) or [
            (2, 1, 6, "", ("10.0.0.7", 0))
        ]

    assert savepagenow.is_public("https://blog.example.com/a/", resolve)
    for url in (
        "http://127.0.0.1:18510/a/",
        "http://localhost/a/",
        "http://[::1]/a/",
        "http://192.168.1.4/a/",
        "http://intranet.example/a/",  # resolves to 10.0.0.7
    ):
        assert not savepagenow.is_public(url, resolve), url
    state = State(Path("/nonexistent/state.json"))
    sent = []
    done = savepagenow.submit(
        [visit("http://127.0.0.1:8080/a/"), visit("http://10.1.2.3/b/")],
        state,
        sent.append,
        sleep=lambda s: None,
    )
    assert sent == [] and len(done.private) == 2 and done.ok
    asked = []  # one address lookup a host, however many of its pages are due
    urls = [f"https://blog.example.com/2024/01/p{i}/" for i in range(5)]
    done = savepagenow.submit(
        [visit(u) for u in urls],
        state,
        lambda u: "ok",
        sleep=lambda s: None,
        public=lambda u: asked.append(u) or True,
    )
    assert asked == urls[:1] and list(done.saved) == urls


def test_save_page_now_stops_at_the_first_network_failure(tmp_path):
    import socket

    urls = [f"https://blog.example.com/p{i}/" for i in range(4)]
    calls = []

    def offline(url: str) -> str:
        calls.append(url)
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    done = savepagenow.submit(
        [visit(u) for u in urls],
        State(tmp_path / "s.json"),
        offline,
        sleep=lambda s: None,
        public=ANY,
    )
    assert calls == urls[:1] and list(done.failed) == urls[:1] and done.deferred == urls[1:]
    assert not done.ok and "name resolution" in (done.stopped or "")


def test_save_page_now_default_is_waybackpy():
    save = savepagenow.waybackpy_save("recover-snapshot/test")
    assert callable(save) and savepagenow.SAVE_FUNCTION is None


# -- command line ----------------------------------------------------------------------------


def test_print_cron(tmp_path, capsys):
    argv = ["snapshot", "https://blog.example.com", "--out", str(tmp_path / "snaps")]
    assert main([*argv, "--keep", "5", "--save-page-now", "--print-cron"]) == 0
    line = capsys.readouterr().out.strip()
    fields = line.split()
    assert len(line.splitlines()) == 1
    assert re.fullmatch(r"\d{1,2}", fields[0]) and fields[1:5] == ["3", "*", "*", "*"]
    assert " snapshot https://blog.example.com/ --out " + str(tmp_path / "snaps") in line
    assert "--save-page-now" in line and "--keep 5" in line and "--print-cron" not in line
    assert line.endswith(f">> {tmp_path / 'snaps' / 'snapshot.log'} 2>&1")
    assert (tmp_path / "snaps").is_dir()  # created: the scheduled run must find it
    assert line == cron_line(
        "https://blog.example.com/",
        "blog.example.com",
        tmp_path / "snaps",
        ["--save-page-now", "--spn-limit", "20", "--keep", "5"],
    )


@pytest.mark.parametrize("bad", ["ftp://blog.example.com", "http://", "https://a b.com"])
def test_bad_url_is_one_line(bad, tmp_path, capsys):
    with pytest.raises(UserError):
        site_url(bad)
    assert main(["snapshot", bad, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad URL" in err


def test_site_url_adds_https():
    assert site_url("blog.example.com") == "https://blog.example.com/"
    assert site_url("http://Blog.Example.com/blog/") == "http://blog.example.com/blog/"


def test_unwritable_folder_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["snapshot", "https://blog.example.com", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write to" in err


# -- what the spider follows -----------------------------------------------------------------


def test_spider_stays_on_the_sites_hosts_and_skips_noise(tmp_path):
    from recover.spiders.snapshot import SnapshotSpider

    state = State.load(tmp_path)
    session = Session(tmp_path, "https://blog.example.com/", "blog.example.com", "1", None, state)
    spider = SnapshotSpider(session=session)
    spider.phase = "pages"  # past the signals (feeds, sitemaps) phase: pages are requested
    ok = [
        "https://blog.example.com/2024/01/post/",
        "http://www.blog.example.com/page/2/",
        "https://blog.example.com/feed/",
        "https://blog.example.com/sitemap.xml",
        "https://blog.example.com/wp-content/uploads/2024/01/a.png",
        "https://blog.example.com/2024/01/post/feed/",  # its comments feed
    ]
    not_ok = [
        "https://cdn.blog.example.com/a.png",
        "https://elsewhere.org/2024/01/post/",
        "mailto:ada@blog.example.com",
        "https://blog.example.com/wp-login.php",
        "https://blog.example.com/wp-admin/",
        "https://blog.example.com/2024/01/post/?replytocom=12",
        "https://blog.example.com/?s=query",
        "https://blog.example.com/category/notes/feed/",
    ]
    assert all(spider.follow(u) is not None for u in ok)
    assert [u for u in not_ok if spider.follow(u) is not None] == []
    assert spider.follow("https://blog.example.com/x.png").meta.get("snapshot_asset")
    assert spider.follow("https://blog.example.com/a/#comments").url.endswith("/a/")


def test_state_file_is_json(tmp_path):
    state = State.load(tmp_path)
    state.entry(URL).etag = '"x"'
    state.save()
    data = json.loads((tmp_path / "recover-snapshot-state.json").read_text())
    assert data["version"] == 1 and data["urls"][URL]["etag"] == '"x"'


def test_print_cron_keeps_every_flag_and_creates_the_folder(tmp_path, capsys):
    folder = tmp_path / "not" / "yet"
    argv = ["snapshot", "https://blog.example.com", "--out", str(folder), "--full"]
    assert main([*argv, "--ignore-robots", "--full-every", "3", "--print-cron"]) == 0
    line = capsys.readouterr().out.strip()
    assert folder.is_dir()
    for flag in ("--full", "--ignore-robots", "--full-every 3"):
        assert f" {flag}" in line, flag
    assert "--print-cron" not in line


def test_print_systemd_writes_units_that_run_as_printed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    folder = tmp_path / "snaps"
    argv = ["snapshot", "https://blog.example.com", "--out", str(folder), "--keep", "3"]
    assert main([*argv, "--full", "--print-systemd"]) == 0
    printed = capsys.readouterr().out
    units = tmp_path / "home" / ".config" / "systemd" / "user"
    service = (units / "recover-snapshot-blog-example-com.service").read_text()
    timer = (units / "recover-snapshot-blog-example-com.timer").read_text()
    assert folder.is_dir() and service in printed and timer in printed
    (exec_start,) = [ln for ln in service.splitlines() if ln.startswith("ExecStart=")]
    command = exec_start.removeprefix("ExecStart=")
    assert command.split()[0].startswith("/")  # absolute: systemd has no PATH to search
    assert f"snapshot https://blog.example.com/ --out {folder} --full --keep 3" in command
    assert "OnCalendar=*-*-* 03:" in timer and "Persistent=true" in timer
    assert "systemctl --user enable --now recover-snapshot-blog-example-com.timer" in printed


def test_save_page_now_failure_is_not_ok(tmp_path):
    from recover.commands.snapshot import save_page_now

    state = State(tmp_path / "state.json")
    page = visit("https://blog.example.com/2024/01/p/")
    page.capture.content_type = "text/html; charset=UTF-8"
    session = SimpleNamespace(visits={"u": page})
    session.state = state
    savepagenow.PUBLIC_CHECK = ANY
    try:

        def broken(url: str) -> str:
            raise RuntimeError("Wayback said no")

        text, ok = save_page_now(session, 5, save=broken, pause=0)
        assert not ok and "1 failed" in text
        text, ok = save_page_now(session, 5, save=lambda u: "https://web.archive.org/x", pause=0)
        assert ok and "1 saved" in text
    finally:
        savepagenow.PUBLIC_CHECK = None


def test_every_nth_run_asks_for_every_page_again(tmp_path):
    from scrapy import Request

    from recover.snapshot.recorder import SnapshotRecorder

    state = State(tmp_path / "s.json")
    url = "https://blog.example.com/2024/01/post/"
    state.entry(url).capture = SavedRecord(
        url, "x.warc.gz", 0, "2024-06-01T00:00:00Z", "<urn:uuid:1>", "sha1:A", 200, "text/html"
    )
    session = Session(tmp_path, url, "blog.example.com", "1", None, state)
    session.note_date("http://blog.example.com/2024/01/post", "2024-05-01T00:00:00Z")
    recorder = SnapshotRecorder(SimpleNamespace(spider=SimpleNamespace(session=session)))
    recorder._replay = lambda session, request, capture: "replayed"
    assert recorder.process_request(Request(url)) == "replayed"  # dated before our capture
    session.refresh = True
    assert recorder.process_request(Request(url)) is None  # the weekly full pass asks anyway
    session.refresh = False
    session.note_comments("http://blog.example.com/2024/01/post", 3)
    session.note_comments("http://blog.example.com/2024/01/post", 4)
    assert recorder.process_request(Request(url)) is None  # its comment count moved


def test_frontier_canonical_urls_paging_and_caps():
    from recover.snapshot.frontier import Frontier, canonical_url

    assert canonical_url("HTTP://Blog.Example.com:80/a/?replytocom=5&utm_source=x#c") == (
        "http://blog.example.com/a/"
    )
    f = Frontier(cap=5, soft=3)
    assert f.admit("http://b.com/a/?query-1-page=2", paged=True, leads=False) is None
    assert f.admit("http://b.com/a/?query-1-page=2&query-2-page=3") is None  # combination
    assert f.admit("http://b.com/a/?query-1-page=2", paged=True, leads=True)
    assert f.admit("http://b.com/?s=x") is None
    months = [f"http://b.com/calendar/2030/{m:02d}/" for m in range(1, 13)]
    assert len([m for m in months if f.admit(m, leads=False)]) == 3  # soft cap: no new posts
    assert len([m for m in months if f.admit(m, leads=True)]) == 2  # hard cap
    assert f.admit(months[-1], force=True)  # a sitemap's URL is taken whatever its shape


def test_deleted_only_while_the_site_answered():
    from recover.choice.capture import Capture
    from recover.choice.deletion import deletions

    def cap(url, ts, status, archive="warc:/s/a.warc.gz"):
        return Capture(archive, ts, url, "text/html", status, f"d{url}{ts}")

    post, other = "http://b.com/2024/01/post/", "http://b.com/2024/01/other/"
    groups = {
        "post": [cap(post, "20240101000000", 200), cap(post, "20240201000000", 404)],
        "other": [cap(other, "20240101000000", 200), cap(other, "20240201000100", 200)],
    }
    kinds = {"post": "post", "other": "post"}
    (key,) = deletions(groups, kinds)
    gone = deletions(groups, kinds)[key]
    assert key == "post" and gone.deleted == "20240201000000"
    assert gone.reason == "deleted on 2024-02-01, last seen 2024-01-01 00:00:00 in /s/a.warc.gz"
    # a dying host: every page answers 404, nothing else alive: no post is "deleted"
    groups["other"][1] = cap(other, "20240201000100", 404)
    assert deletions(groups, kinds) == {}
    # the 404 is older than the last good capture: the post came back
    groups["post"].append(cap(post, "20240301000000", 200))
    assert "post" not in deletions(groups, kinds)
