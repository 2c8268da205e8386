"""Scoring helpers for the fidelity benchmark: recovered posts against the truth."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

import lxml.html

from recover.urls import canonical

_TOKEN = re.compile(r"\w+", re.UNICODE)
_LOOKS_HTML = re.compile(r"<(p|div|br|span|a|img|li|ul|ol|h\d|pre|table|blockquote)\b", re.I)


def _plain(html_or_text: str) -> str:
    if not html_or_text:
        return ""
    if not _LOOKS_HTML.search(html_or_text):
        return html_or_text
    try:
        root = lxml.html.fromstring(html_or_text)
    except Exception:
        return re.sub(r"<[^>]+>", " ", html_or_text)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return " ".join(root.itertext())


def body_tokens(html_or_text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens of the plain text of an HTML fragment or a text."""
    return [t.lower() for t in _TOKEN.findall(_plain(html_or_text or ""))]


def token_f1(a: str | Iterable[str], b: str | Iterable[str]) -> float:
    """Bag-of-tokens F1 between two bodies (HTML, text or token lists). Both empty: 1."""
    ta = Counter(body_tokens(a) if isinstance(a, str) else a)
    tb = Counter(body_tokens(b) if isinstance(b, str) else b)
    if not ta and not tb:
        return 1.0
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    precision = common / sum(ta.values())
    recall = common / sum(tb.values())
    return 2 * precision * recall / (precision + recall)


def _norm_title(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def title_equal(a: str | None, b: str | None) -> bool:
    """Titles equal after NFKC and collapsing all whitespace (``\\xa0`` included)."""
    return _norm_title(a) == _norm_title(b)


def same_day(a_iso: str | None, b_iso: str | None) -> bool:
    """Same calendar date, as each date is written (no time-zone conversion)."""
    if not a_iso or not b_iso:
        return False
    return a_iso.strip()[:10] == b_iso.strip()[:10]


def _terms(post: dict[str, Any]) -> set[str]:
    return {
        " ".join(unicodedata.normalize("NFKC", str(t)).split()).casefold()
        for t in (post.get("categories") or []) + (post.get("tags") or [])
        if t
    }


def terms_f1(post: dict[str, Any], truth: dict[str, Any]) -> float:
    """F1 of categories+tags (case-folded) as one set; both empty counts as 1."""
    got, want = _terms(post), _terms(truth)
    if not got and not want:
        return 1.0
    common = len(got & want)
    if not common:
        return 0.0
    p, r = common / len(got), common / len(want)
    return 2 * p * r / (p + r)


def _comment_count(truth: dict[str, Any]) -> int:
    comments = truth.get("comments")
    if isinstance(comments, dict):
        return int(comments.get("count") or 0)
    return len(comments or [])


def _bad_times(truth: dict[str, Any]) -> set[str]:
    bad = truth.get("bad_capture")
    values = bad if isinstance(bad, list) else [bad]
    return {str(v) for v in values if v and re.fullmatch(r"\d{8,14}", str(v))}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[k]


def score(
    posts: list[dict[str, Any]], truth: list[dict[str, Any]], *, bad_sources: set[str] | None = None
) -> dict[str, Any]:
    """Benchmark numbers for recovered ``posts`` (``Post.to_dict()``) against ``truth``.

    Recall is over truth posts recoverable from a page or a feed.  Title, date, terms, body
    and comment figures are over whole posts; posts flagged ``partial`` (excerpts) are
    counted apart. ``bad_sources`` (or
    14-digit ``bad_capture`` values in the truth) name capture timestamps or capture URLs
    that are error pages; posts whose ``source`` is one of them count as bad.
    """
    by_url = {canonical(t["url"]): t for t in truth}
    wanted = {canonical(t["url"]) for t in truth if t.get("recoverable_from") in ("page", "feed")}
    matched: dict[str, dict[str, Any]] = {}
    for post in posts:
        key = canonical(post.get("url") or "")
        if key in by_url and key not in matched:
            matched[key] = post
    whole = {k: p for k, p in matched.items() if not p.get("partial")}
    n = len(whole)
    titles = days = 0
    terms, bodies = [], []
    comments_got = comments_want = 0
    bad = 0
    for key, post in whole.items():
        t = by_url[key]
        titles += title_equal(post.get("title"), t.get("title"))
        days += same_day(post.get("published"), t.get("published"))
        terms.append(terms_f1(post, t))
        bodies.append(token_f1(post.get("content_html") or "", t.get("text") or ""))
        want = _comment_count(t)
        comments_want += want
        comments_got += min(want, len(post.get("comments") or []))
    for key, post in matched.items():
        source = post.get("source") or {}
        stamps = _bad_times(by_url[key]) | (bad_sources or set())
        if source and (source.get("timestamp") in stamps or source.get("capture_url") in stamps):
            bad += 1
    found = len(wanted & set(matched))
    return {
        "posts": len(posts),
        "truth_recoverable": len(wanted),
        "recall": found / len(wanted) if wanted else 1.0,
        "precision": len(matched) / len(posts) if posts else 1.0,
        "partial": len(matched) - n,
        "title_exact": titles / n if n else 0.0,
        "published_same_day": days / n if n else 0.0,
        "terms_f1": sum(terms) / n if n else 0.0,
        "body_f1_mean": sum(bodies) / n if n else 0.0,
        "body_f1_p10": _percentile(bodies, 0.10),
        "comment_recall": comments_got / comments_want if comments_want else 1.0,
        "bad_capture_posts": bad,
    }
