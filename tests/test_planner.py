"""The planner on lists of captures alone: no crawl, no archive."""

from __future__ import annotations

from recover.choice.capture import Capture
from recover.choice.planner import FEED_CAPTURES, Fetch, Planner
from recover.urls import canonical

WEB = "http://archive.test/web/"
SITE = "http://blog.example.com"


def cap(url: str, ts: str, status: int | None = 200, digest: str = "", archive: str = WEB):
    return Capture(
        archive=archive,
        timestamp=ts.ljust(14, "0"),
        original=url,
        mimetype="text/html",
        status=status,
        digest=digest or f"{url}@{ts}",
    )


POST = f"{SITE}/2008/10/31/a-post/"


def planner(*caps: Capture) -> Planner:
    p = Planner(SITE)
    p.add(caps)
    return p


def test_add_keeps_the_site_and_the_window() -> None:
    p = Planner(SITE, since="2008", until="2009")
    kept = p.add(
        [
            cap(POST, "2008"),
            cap(POST.replace("blog.example.com", "other.example"), "2008"),
            cap(POST, "2010"),
            cap(POST.replace("http://", "https://www."), "2009"),
        ]
    )
    assert kept == 2
    assert list(p.groups) == ["http://blog.example.com/2008/10/31/a-post"]


def test_newest_first_then_older_captures_as_each_is_passed_over() -> None:
    p = planner(cap(POST, "2008"), cap(POST, "2010"), cap(POST, "2009"), cap(POST, "2011", 404))
    plan = p.posts(settled=set(), tried=set())
    assert [f.capture.timestamp[:4] for f in plan.fetches] == ["2010"]
    assert plan.known == [POST]
    second = p.passed(plan.fetches[0])
    assert second is not None and second.capture.timestamp[:4] == "2009"
    third = p.passed(second)
    assert third is not None and third.capture.timestamp[:4] == "2008"
    assert p.passed(third) is None  # the 404 capture is never fetched


def test_settled_and_tried_are_not_fetched_again() -> None:
    a, b = cap(POST, "2010"), cap(POST, "2009")
    other = f"{SITE}/2008/11/01/other/"
    p = planner(a, b, cap(other, "2009"))
    plan = p.posts(settled={"http://blog.example.com/2008/11/01/other"}, tried={a.replay_url})
    assert [f.capture for f in plan.fetches] == [b]
    assert plan.resumed == 1
    # a second pass (Memento) in the same run never hands out a capture twice
    again = p.posts(settled={"http://blog.example.com/2008/11/01/other"}, tried={a.replay_url})
    assert again.fetches == []


def test_a_post_without_captures_left_is_exhausted() -> None:
    p = planner(cap(POST, "2010", 500))
    plan = p.posts(settled=set(), tried=set())
    assert plan.fetches == [] and plan.exhausted == ["http://blog.example.com/2008/10/31/a-post"]


def test_bytes_served_under_many_posts_are_tried_last() -> None:
    parked = "sha1:PARKED"
    caps = [cap(f"{SITE}/2008/10/0{i}/p{i}/", "2012", digest=parked) for i in range(1, 4)]
    good = cap(f"{SITE}/2008/10/01/p1/", "2009")
    p = planner(*caps, good)
    assert p.shared_digests() == {parked}
    first = {f.key: f.capture for f in p.posts(set(), set()).fetches}
    assert first["http://blog.example.com/2008/10/01/p1"] == good
    # two posts sharing bytes is not a host's error page
    assert planner(*caps[:2]).shared_digests() == set()


def test_feeds_are_capped_per_feed_url() -> None:
    feed = f"{SITE}/feed/"
    p = planner(*[cap(feed, f"2008{m:02d}{d:02d}") for m in range(1, 13) for d in range(1, 5)])
    fetches = p.feeds(tried=set())
    assert len(fetches) == FEED_CAPTURES
    assert {f.purpose for f in fetches} == {"feed"} and fetches[0].key == "feed:" + feed[7:]


def test_index_budget_newest_listings_then_older_while_posts_are_missing() -> None:
    home = [cap(f"{SITE}/", f"20{y:02d}") for y in range(1, 13)]
    listings = [cap(f"{SITE}/category/c{i}/page/2/", "2008") for i in range(5)]
    listings += [cap(f"{SITE}/tag/t{i}/", y) for i in range(5) for y in ("2008", "2009")]
    posts = [cap(f"{SITE}/2008/10/{d:02d}/p/", "2009") for d in range(1, 11)]
    p = planner(*home, *listings, *posts)
    fetches = p.indexes(tried=set())
    # every listing's newest capture, home first, shallow before deep; no post is missing
    assert len(fetches) == 11
    assert fetches[0].key == canonical(SITE) and fetches[0].capture.timestamp.startswith("2012")
    assert all("/tag/" in f.key for f in fetches[1:6])
    assert all("/category/" in f.key for f in fetches[6:])
    # two known posts without a good capture (November 2008): four older captures, the
    # first home pages after that month, then the second newest of each listing
    lost = ["http://blog.example.com/2008/11/01/lost", "http://blog.example.com/2008/11/02/gone"]
    q = planner(*home, *listings, *posts)
    more = q.indexes(tried=set(), known=lost)
    assert len(more) == 15
    assert [f.capture.timestamp[:4] for f in more[11:14]] == ["2009", "2010", "2011"]
    assert all(f.key == canonical(SITE) for f in more[11:14])
    assert "/tag/" in more[14].key and more[14].capture.timestamp.startswith("2008")
    limited = Planner(SITE, index_captures=3)
    limited.add([*home, *listings, *posts])
    assert len(limited.indexes(tried=set(), known=lost)) == 3


def test_redirects_hop_inside_the_archive_alias_or_pass() -> None:
    moved = f"{SITE}/2008/10/31/new-name/"
    p = planner(cap(POST, "2010", 301), cap(moved, "2010"))
    fetch = Fetch(cap(POST, "2010", 301), "k")
    alias = p.redirect(fetch, moved)
    assert alias.action == "alias" and alias.target == moved
    nowhere = f"{SITE}/2008/10/31/not-captured/"
    hop = p.redirect(fetch, nowhere)
    assert hop.action == "hop" and hop.fetch is not None
    assert hop.fetch.capture.replay_url == f"{WEB}20100000000000id_/{nowhere}"
    assert hop.fetch.hops == 1 and hop.fetch.key == "k"
    # the archive's own hop to its nearest capture keeps the URL, takes the timestamp
    own = p.redirect(fetch, f"{WEB}20091231000000id_/{POST}")
    assert own.action == "hop" and own.fetch is not None
    assert own.fetch.capture.timestamp == "20091231000000"
    assert p.redirect(Fetch(fetch.capture, "k", hops=5), nowhere).action == "pass"
    assert p.redirect(fetch, "").action == "pass"
    local = Fetch(cap(POST, "2010", 301, archive="warc:/x.warc.gz"), "k")
    assert p.redirect(local, nowhere).action == "pass"  # no archive to ask
