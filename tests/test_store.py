"""The run's store in-process: what a killed run committed is there for the re-run, once."""

from __future__ import annotations

from pathlib import Path

from recover.post import Post, Source
from recover.store import NO_CAPTURE, NOT_THE_POST, Store
from recover.urls import canonical

A = "http://blog.example.com/2008/10/31/hello/"
K = canonical(A)  # the identity records are kept under
PREFIX = "http://127.0.0.1:8080/web/"


def _post(url: str, ts: str, kind: str = "page", title: str = "Hello") -> Post:
    src = Source(PREFIX, f"{PREFIX}{ts}id_/{url}", ts, kind, url)
    return Post(url=url, title=title, content_html="<p>body</p>", source=src)


def test_what_was_committed_survives_a_kill(tmp_path: Path) -> None:
    """No close(): a second connection (the re-run) sees every record as it was written."""
    first = Store(tmp_path / "state.db")
    first.add_known(A, "cdx")
    first.record_outcome(f"{PREFIX}20090101000000id_/{A}", K, "bad", "HTTP 500")
    first.record_outcome(f"{PREFIX}20081031100000id_/{A}", K, "post")
    first.add_post(_post(A, "20081031100000"))
    rerun = Store(tmp_path / "state.db")
    assert rerun.settled_keys() == {K}
    assert rerun.tried() == {f"{PREFIX}20090101000000id_/{A}", f"{PREFIX}20081031100000id_/{A}"}
    assert [(k, [p.title for p in ps]) for k, ps in rerun.post_records()] == [(K, ["Hello"])]
    assert rerun.known() == {K: (A, ["cdx"])}
    first.close()
    rerun.close()


def test_a_record_written_again_is_kept_once_and_variants_fold(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    store.add_post(_post(A, "20081031100000", title="Old"))
    store.add_post(_post(A, "20081031100000", title="Hello"))  # the re-run's copy
    store.add_post(_post(A.replace("http://", "https://www."), "20081101000000"))
    store.add_post(_post(A + "feed/", "20081102000000", kind="feed"))
    ((key, records),) = list(store.post_records())
    assert key == K
    assert sorted((p.source.kind, p.title) for p in records) == [
        ("feed", "Hello"),
        ("page", "Hello"),
        ("page", "Hello"),
    ]


def test_errors_and_other_pages_are_retried_and_say_why(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    b, c = K.replace("hello", "b"), K.replace("hello", "c")
    store.record_outcome("cap1", K, "notpost")
    store.record_outcome("cap2", K, "error", "ValueError: boom")
    store.record_outcome("cap3", b, "notpost")
    store.record_outcome("cap4", c, "failed", "timeout")
    store.record_outcome("cap5", c, "bad", NO_CAPTURE)
    assert store.tried() == {"cap4", "cap5"}  # a fixed extractor may read the others
    assert store.settled_keys() == set()
    assert store.missing_reasons() == {
        K: "extraction error: ValueError: boom",
        b: NOT_THE_POST,
        c: NO_CAPTURE,
    }


def test_known_posts_keep_every_source_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "state.db")
    for where in ("cdx", "feed", "cdx", "sitemap"):
        store.add_known(A, where)
    store.add_known(A.replace("http://", "https://"), "index")
    assert store.known() == {
        K: (A.replace("http://", "https://"), ["cdx", "feed", "index", "sitemap"])
    }
