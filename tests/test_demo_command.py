"""`recover demo`, the README's first command: the bundled archive, offline, into its folder."""

from __future__ import annotations

import functools
import importlib.util
import json
import socket
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from support.demo.sample import sample_blog
from support.wordpress import wp_import

from recover import cli

REPO = Path(__file__).resolve().parent.parent


def test_recover_demo_recovers_the_sample_blog(tmp_path: Path) -> None:
    """The sample blog comes back whole; the WXR's attachments are fetched from where the
    user serves ``media/`` (``--media-base-url``: the demo's archive is gone once it ends),
    each naming a file the demo wrote, and the official importer, with ``media/`` served
    there, puts every one in the media library."""
    out = tmp_path / "demo"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.run(
        [sys.executable, "-m", "recover", "demo", "--out", str(out), "--progress", "off"]
        + ["--media-base-url", base],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert "recovered 23 post(s)" in proc.stdout
    posts = [json.loads(line) for line in (out / "posts.jsonl").read_text().splitlines()]
    truth = {p.url: p.title for p in sample_blog().posts}
    assert len(posts) == 23
    assert all(truth[p["url"]] == p["title"] for p in posts), "the bundled WARC is stale"
    for name in ("wordpress.xml", "ghost.json", "report.json", "report.md"):
        assert (out / name).stat().st_size > 0
    assert len(list((out / "content" / "posts").glob("*.md"))) == 23
    wp = "{http://wordpress.org/export/1.2/}"
    items = ElementTree.parse(out / "wordpress.xml").getroot().iter("item")
    attachments = [i for i in items if i.findtext(f"{wp}post_type") == "attachment"]
    urls = [i.findtext(f"{wp}attachment_url") or "" for i in attachments]
    assert urls, "no attachment for the recovered images"
    for url in urls:
        assert url.startswith(base)
        assert (out / "media" / unquote(url.removeprefix(base))).is_file()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out / "media"))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        held = wp_import(out / "wordpress.xml", tmp_path)
    finally:
        server.shutdown()
    assert held["summary"]["posts"] == 23
    assert held["summary"]["attachments"] == len(urls) and not held["errors"], held["errors"]


def test_the_demo_serves_its_media_where_the_readme_says() -> None:
    assert cli.build_parser().parse_args(["demo"]).media_base_url == "http://127.0.0.1:8000/"


def test_recover_demo_without_pywb_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pywb" else real(name, *a)
    )
    assert cli.main(["demo", "--out", str(tmp_path / "demo")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "pip install '.[demo]'" in err
