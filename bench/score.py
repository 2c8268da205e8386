"""Scoring for the fidelity benchmark: recovered posts against a corpus case's truth.

Implements the scoring of ``../shared/corpus/README.md``; it depends on nothing of
``recover`` (the URL identity used to match posts is the README's, not the tool's).
A record of ``posts.jsonl`` is matched to a truth post by URL (scheme, ``www.``, trailing
slash, ``index.html`` and percent-encoding ignored; a truth post's ``former_urls`` count
as its URL), else by an exact title that is unique in the truth. Each truth post is graded
on one record (the one whose URL is exactly the truth URL when there are several); every
further record matching the same post is a duplicate. Records of ``type`` ``page`` (static
pages) are counted apart and never matched to posts.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(
    r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+)"
)
_LOOKS_HTML = re.compile(r"<(p|div|br|span|a|img|li|ul|ol|h\d|pre|table|blockquote)\b", re.I)
ERROR_TEXT = re.compile(
    r"error establishing a database connection|account (has been )?suspended|"
    r"internal server error|service (temporarily )?unavailable|bad gateway|"
    r"\b(page|file) not found\b|^\s*(404|not found)\b|this domain (is|may be) for sale|"
    r"domain (has )?expired|site (is )?(temporarily )?(offline|unavailable)",
    re.IGNORECASE,
)
FEW_WORDS = 40  # a body this short is read whole for error wording


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


def _tokens(text: str) -> list[str]:
    """Lowercase NFKC words; runs of CJK characters as overlapping character pairs."""
    out: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFKC", text).lower()):
        for n, part in enumerate(_CJK.split(word)):
            if not part:
                continue
            if n % 2 == 0:  # not CJK
                out.append(part)
            elif len(part) == 1:
                out.append(part)
            else:
                out.extend(part[i : i + 2] for i in range(len(part) - 1))
    return out


def body_tokens(html_or_text: str) -> list[str]:
    """The scoring tokens of the plain text of an HTML fragment or a text."""
    return _tokens(_plain(html_or_text or ""))


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


def _norm(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def title_equal(a: str | None, b: str | None) -> bool:
    """Titles equal after NFKC and collapsing all whitespace (``\\xa0`` included)."""
    return _norm(a) == _norm(b)


def url_key(url: str) -> str:
    """The README's URL identity: scheme, ``www.``, trailing slash, ``index.html`` and
    percent-encoding ignored (the query is kept, the fragment dropped)."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return (url or "").strip().lower()
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    path = unquote(parts.path or "/")
    path = re.sub(r"/index\.html?$", "/", path).rstrip("/")
    query = unquote(parts.query)
    return host + path + ("?" + query if query else "")


def _when(iso: str) -> datetime | None:
    try:
        return datetime.fromisoformat(iso.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def same_day(got: str | None, want: str | None) -> bool:
    """``got`` falls on ``want``'s calendar day, read in ``want``'s zone.

    A truth with an offset converts an offset-aware ``got`` into that offset first; a
    date-only truth (or a ``got`` without offset) compares the dates as written.
    """
    if not got or not want:
        return False
    g, w = _when(got), _when(want)
    if g is not None and w is not None and g.tzinfo is not None and w.tzinfo is not None:
        return g.astimezone(w.tzinfo).date() == w.date()
    return got.strip()[:10] == want.strip()[:10]


def _term_set(terms: Iterable[Any]) -> set[str]:
    return {_norm(str(t)).casefold() for t in terms if t}


def _terms(post: dict[str, Any]) -> set[str]:
    return _term_set((post.get("categories") or []) + (post.get("tags") or []))


def _f1(got: set[str], want: set[str], right: set[str] | None = None) -> float:
    """F1 of ``got`` against ``want`` (precision against ``right``, default ``want``)."""
    right = want if right is None else right
    if not got and not want:
        return 1.0
    if not got or not want:
        return 0.0
    p, r = len(got & right) / len(got), len(got & want) / len(want)
    return 2 * p * r / (p + r) if p + r else 0.0


def terms_f1(post: dict[str, Any], truth: dict[str, Any]) -> float:
    """F1 of categories+tags (case-folded) as one set; both empty counts as 1."""
    return _f1(_terms(post), _terms(truth))


def terms_f1_visible(post: dict[str, Any], truth: dict[str, Any]) -> float:
    """Terms F1 where recall counts only the terms the archive shows (``terms_visible``);
    a term the truth has is never a false positive. A post whose terms the archive shows
    nowhere scores 1 with no term the truth lacks, else 0 (an invented term)."""
    got, shown, right = _terms(post), _term_set(truth.get("terms_visible") or []), _terms(truth)
    if not shown:
        return 1.0 if got <= right else 0.0
    return _f1(got, shown, right)


def _truth_comments(truth: dict[str, Any]) -> list[dict[str, Any]]:
    comments = truth.get("comments")
    if isinstance(comments, dict):
        return list(comments.get("items") or [])
    return list(comments or [])


def comments_found(post: dict[str, Any] | None, truth: dict[str, Any]) -> tuple[int, int]:
    """(truth comments found in ``post``, truth comments): same author and similar text
    (token F1 ≥ 0.5), or very similar text (≥ 0.9); each recovered comment used once."""
    want = _truth_comments(truth)
    if not want or post is None:
        return 0, len(want)
    have = [
        (_norm(c.get("author")).casefold(), Counter(body_tokens(c.get("content_html") or "")))
        for c in post.get("comments") or []
    ]
    used: set[int] = set()
    found = 0
    for item in want:
        author = _norm(item.get("author")).casefold()
        tokens = Counter(body_tokens(item.get("text") or ""))
        best, best_i = 0.0, None
        for i, (their_author, their_tokens) in enumerate(have):
            if i in used:
                continue
            f1 = token_f1(list(their_tokens.elements()), list(tokens.elements()))
            if f1 >= 0.9 or (author and author == their_author and f1 >= 0.5):
                if f1 > best:
                    best, best_i = f1, i
        if best_i is not None:
            used.add(best_i)
            found += 1
    return found, len(want)


def _first_heading(html: str) -> str:
    m = re.search(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html or "", re.I | re.S)
    return _plain(m.group(1)) if m else ""


def looks_like_error(post: dict[str, Any]) -> bool:
    """A record that is an error page by its title, first heading or a body of a few words."""
    body = post.get("content_html") or post.get("content_markdown") or ""
    text = _plain(body)
    if ERROR_TEXT.search(_norm(post.get("title"))) or ERROR_TEXT.search(_first_heading(body)):
        return True
    return len(text.split()) <= FEW_WORDS and bool(ERROR_TEXT.search(_norm(text)))


def _bad_times(truth: dict[str, Any]) -> set[str]:
    values = list(truth.get("bad_timestamps") or [])
    bad = truth.get("bad_capture")
    values += bad if isinstance(bad, list) else [bad]
    return {str(v) for v in values if v and re.fullmatch(r"\d{8,14}", str(v))}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = max(0, math.ceil(q * len(ordered)) - 1)
    return ordered[k]


_IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|bmp|ico|tiff?|avif)$", re.I)
_NOT_MEDIA = re.compile(rb"^\s*(<!doctype|<html|<head|<body|<\?xml|<!--|<title|\{|\[)", re.I)


def _file_name(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        path = url
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


def media_scores(
    posts: list[dict[str, Any]],
    truth: list[dict[str, Any]],
    graded: dict[int, dict[str, Any]],
    out: Path | None,
) -> dict[str, Any]:
    """``media_recall`` and ``media_bad`` of the files under ``out`` (corpus README).

    Recall: truth images with ``captured`` true in graded posts whose whole text is
    available, whose record's ``images`` holds an entry for the image URL (or one naming the
    same file) with a ``file`` whose bytes have the truth's sha1; None when the case has
    none. Bad: files named in ``images``/``attachments`` and image-named files outside
    ``.recover/`` that are empty or an HTML/XML/text page. None without ``out``.
    """
    if out is None:
        return {"media_recall": None, "media_bad": None}
    out = Path(out)
    want = got = 0
    for i, t in enumerate(truth):
        if t.get("text_available") != "full":
            continue
        post = graded.get(i) or {}
        entries = [e for e in post.get("images") or [] if isinstance(e, dict) and e.get("file")]
        for image in t.get("images") or []:
            if not image.get("captured"):
                continue
            want += 1
            for e in entries:
                url = str(e.get("url") or "")
                if url != image["url"] and _file_name(url) != _file_name(image["url"]):
                    continue
                path = out / str(e["file"])
                if path.is_file() and hashlib.sha1(path.read_bytes()).hexdigest() == image.get(
                    "sha1"
                ):
                    got += 1
                    break
    named = {
        out / str(e["file"])
        for post in posts
        for e in (post.get("images") or []) + (post.get("attachments") or [])
        if isinstance(e, dict) and e.get("file")
    }
    named |= {
        p
        for p in out.rglob("*")
        if p.is_file() and ".recover" not in p.relative_to(out).parts and _IMAGE_FILE.search(p.name)
    }
    bad = 0
    for path in named:
        head = path.read_bytes()[:512] if path.is_file() else b""
        bad += not head or (bool(_NOT_MEDIA.match(head)) and b"<svg" not in head.lower())
    return {"media_recall": got / want if want else None, "media_bad": bad}


def match(
    posts: list[dict[str, Any]], truth: list[dict[str, Any]]
) -> tuple[dict[int, dict[str, Any]], int, int]:
    """(truth index → the record graded for it, duplicate records, unmatched records)."""
    by_url: dict[str, int] = {}
    for i, t in enumerate(truth):
        for url in [t["url"], *(t.get("former_urls") or [])]:
            by_url.setdefault(url_key(url), i)
    titles = Counter(_norm(t.get("title")) for t in truth)
    by_title = {
        _norm(t.get("title")): i for i, t in enumerate(truth) if titles[_norm(t.get("title"))] == 1
    }
    groups: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    unmatched = 0
    for post in posts:
        url = post.get("url") or ""
        i = by_url.get(url_key(url))
        how = 1
        if i is None:
            i, how = by_title.get(_norm(post.get("title"))) if post.get("title") else None, 2
        if i is None:
            unmatched += 1
            continue
        exact = 0 if url == truth[i]["url"] else how
        groups.setdefault(i, []).append((exact, post))
    graded = {i: min(recs, key=lambda r: r[0])[1] for i, recs in groups.items()}
    duplicates = sum(len(recs) - 1 for recs in groups.values())
    return graded, duplicates, unmatched


def score(
    posts: list[dict[str, Any]],
    truth: list[dict[str, Any]],
    *,
    bad_sources: set[str] | None = None,
    out: Path | None = None,
    requests: int | None = None,
) -> dict[str, Any]:
    """Every figure of the corpus README for ``posts`` (``posts.jsonl`` rows) against ``truth``.

    ``bad_sources`` names capture URLs (or timestamps) of error pages besides the truth's
    ``bad_timestamps``; ``out`` is the run's output folder (media files); ``requests`` the
    requests the run made to the archive.
    """
    pages = [p for p in posts if p.get("type") == "page"]
    posts = [p for p in posts if p.get("type") != "page"]
    graded, duplicates, unmatched = match(posts, truth)
    wanted = {
        i for i, t in enumerate(truth) if t.get("recoverable_from") in ("page", "feed", "index")
    }
    titles = days = 0
    terms, visible, bodies = [], [], []
    refs_got = refs_want = 0
    for i, post in graded.items():
        t = truth[i]
        titles += title_equal(post.get("title"), t.get("title"))
        days += same_day(post.get("published"), t.get("published"))
        terms.append(terms_f1(post, t))
        if "terms_visible" in t:  # every post the truth says what the archive shows of
            visible.append(terms_f1_visible(post, t))
        if t.get("text_available") == "full":
            text = post.get("content_html") or post.get("content_markdown") or ""
            bodies.append(token_f1(text, t.get("text") or ""))
            body = (post.get("content_html") or "") + (post.get("content_markdown") or "")
            for image in t.get("images") or []:
                name = _file_name(image.get("url") or "")
                refs_want += 1
                refs_got += bool(name) and (name in body or name in unquote(body))
    comments_got = comments_want = 0
    for i, t in enumerate(truth):
        if t.get("recoverable_from") == "page":
            got, want = comments_found(graded.get(i), t)
            comments_got += got
            comments_want += want
    bad = 0
    for i, post in graded.items():
        source = post.get("source") or {}
        stamps = _bad_times(truth[i]) | (bad_sources or set())
        from_bad = source.get("timestamp") in stamps or source.get("capture_url") in stamps
        bad += bool(from_bad or looks_like_error(post))
    n = len(graded)
    result = {
        "posts": len(posts),
        "pages": len(pages),
        "truth_recoverable": len(wanted),
        "recall": len(wanted & set(graded)) / len(wanted) if wanted else 1.0,
        "precision": n / len(posts) if posts else 1.0,
        "duplicates": duplicates,
        "not_posts": unmatched,
        "partial": sum(1 for p in graded.values() if p.get("partial")),
        "title_exact": titles / n if n else 0.0,
        "published_same_day": days / n if n else 0.0,
        "terms_f1": sum(terms) / n if n else 0.0,
        "terms_f1_visible": sum(visible) / len(visible) if visible else None,
        "body_f1_mean": sum(bodies) / len(bodies) if bodies else 0.0,
        "body_f1_p10": _percentile(bodies, 0.10),
        "comment_recall": comments_got / comments_want if comments_want else 1.0,
        "bad_capture_posts": bad,
        "image_refs_recall": refs_got / refs_want if refs_want else None,
        "archive_requests": requests,
        "requests_per_post": round(requests / len(posts), 3) if requests and posts else None,
    }
    result.update(media_scores(posts, truth, graded, out))
    return result
