"""A real pywb over the generated WARC: CDX answers, byte-exact replay, the traps are there."""

from __future__ import annotations

import json
from urllib.parse import quote

from support.demo import make_blog, render_capture, write_warc
from support.http import get

from recover.demo.pywb import PywbArchive

HOST = "blog.example.com"


def _cdx(wb, url: str, coll: str = "web", **params: str) -> list[dict]:
    query = "&".join(f"{k}={quote(v, safe='*')}" for k, v in {"url": url, **params}.items())
    resp = get(f"{wb.cdx_url_for(coll)}?{query}&output=json")
    assert resp.status == 200, resp.body[:300]
    return [json.loads(line) for line in resp.body.splitlines() if line.strip()]


def _site_captures(blog):
    return {(c.url, c.timestamp, str(c.status)) for c in blog.captures if HOST in c.url}


def test_cdx_prefix_lists_every_capture_of_the_host(pywb_archive, sample_blog):
    want = _site_captures(sample_blog.blog)
    for url in (f"{HOST}/", f"www.{HOST}/", f"http://{HOST}/", f"{HOST}/*"):
        params = {} if url.endswith("*") else {"matchType": "prefix"}
        rows = _cdx(pywb_archive, url, **params)
        assert {(r["url"], r["timestamp"], r["status"]) for r in rows} == want, url
        assert all(r["mime"] for r in rows)
    www = [r for r in _cdx(pywb_archive, f"{HOST}/", matchType="prefix") if "://www." in r["url"]]
    assert www and {r["status"] for r in www} == {"301"}


def test_id_replay_is_byte_exact(pywb_archive, sample_blog):
    blog = sample_blog.blog
    www = {c.url for c in blog.captures if c.trap == "redirect_www"}
    checked = 0
    for cap in blog.captures:
        if cap.url in www:
            continue  # pywb skips a www -> bare self-redirect (see the test below)
        status, headers, body = render_capture(blog, cap)
        resp = get(f"{pywb_archive.replay_prefix}{cap.timestamp}id_/{cap.url}")
        assert (resp.status, resp.body) == (status, body), cap
        assert resp.headers["content-type"] == dict(headers)["Content-Type"]
        checked += 1
    assert checked > 40


def test_redirect_captures_replay(pywb_archive, sample_blog):
    blog = sample_blog.blog
    old = blog.traps["redirect_old"][0]
    cap = next(c for c in blog.captures_of(old) if c.kind == "redirect")
    resp = get(f"{pywb_archive.replay_prefix}{cap.timestamp}id_/{cap.url}")
    assert resp.status == 301 and resp.headers["location"] == old
    resp = get(f"{pywb_archive.replay_prefix}{cap.timestamp}/{cap.url}")
    assert resp.status == 301
    assert resp.headers["location"].endswith(f"/web/{cap.timestamp}/{old}")
    # www -> bare is a self-redirect to pywb: listed in CDX, replayed as the bare page
    www = blog.traps["redirect_www"][0]
    cap = next(c for c in blog.captures_of(www) if c.kind == "redirect")
    rows = _cdx(pywb_archive, cap.url)
    assert any(r["url"] == cap.url and r["status"] == "301" for r in rows)
    resp = get(f"{pywb_archive.replay_prefix}{cap.timestamp}id_/{cap.url}")
    assert resp.status == 200 and blog.post(www).title.encode() in resp.body


def test_windows_1252_and_error_captures(pywb_archive, sample_blog):
    blog = sample_blog.blog
    (url,) = blog.traps["cp1252"]
    (cap,) = blog.captures_of(url)
    resp = get(f"{pywb_archive.replay_prefix}{cap.timestamp}id_/{url}")
    assert resp.headers["content-type"] == "text/html; charset=iso-8859-1"
    assert "€15".encode("cp1252") in resp.body
    for trap, status in (("error_500", 500), ("error_db", 200)):
        url = blog.traps[trap][0]
        rows = _cdx(pywb_archive, url)
        assert rows[-1]["status"] == str(status)
        assert any(r["status"] == "200" and r["timestamp"] < rows[-1]["timestamp"] for r in rows)
        resp = get(f"{pywb_archive.replay_prefix}{rows[-1]['timestamp']}id_/{url}")
        assert resp.status == status


def test_unframed_replay_rewrites_links(pywb_archive, sample_blog):
    blog = sample_blog.blog
    cap = next(c for c in blog.captures if c.kind == "home")
    resp = get(f"{pywb_archive.replay_prefix}{cap.timestamp}/{cap.url}")
    assert resp.status == 200 and b"wbinfo" in resp.body
    assert f"/web/{cap.timestamp}/http://{HOST}/".encode() in resp.body
    assert resp.headers["memento-datetime"]


def test_several_collections_in_one_server(tmp_path, sample_blog):
    other = make_blog(8, host="other.example.org", engines=("blogger",), seed=5)
    warc = write_warc(other, tmp_path / "other.warc.gz")
    with PywbArchive(collections={"web": [sample_blog.warc], "other": [warc]}) as wb:
        assert wb.replay_prefix == f"http://127.0.0.1:{wb.port}/web/"
        assert wb.cdx_url == f"http://127.0.0.1:{wb.port}/web/cdx"
        assert _cdx(wb, f"{HOST}/", matchType="prefix")
        assert not _cdx(wb, "other.example.org/", matchType="prefix")
        rows = _cdx(wb, "other.example.org/", coll="other", matchType="prefix")
        assert {r["url"] for r in rows} == {c.url for c in other.captures if "other." in c.url}
        root = wb.root
        proc = wb.proc
    assert proc.poll() is not None and not root.exists()
