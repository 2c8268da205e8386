"""Whether a capture of a post's address is that post, or another page served there.

A domain that changed hands serves the new owner's pages at the old addresses: a page that
extracts as a post, but not the one the blog published there. What the blog's own feeds,
listings and REST answers said of the post (its title, its text) tells them apart. A post
renamed keeps its text, a post rewritten keeps its title; a page that shares neither is
another page, and the next older capture is tried as after an error page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from recover.post import Post

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+")
_WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")  # CJK and Hangul
LEAST_WORDS = 12  # a known text shorter than this is no evidence
SHARED = 0.3  # the share of the known text's words the page must hold


def words(html: str) -> set[str]:
    """The words of ``html``'s text, casefolded; CJK text counted a character a word."""
    out: set[str] = set()
    for word in _WORD.findall(_TAG.sub(" ", html or "").casefold()):
        if _WIDE.search(word):
            out.update(ch for ch in word if ch.isalnum())
        else:
            out.add(word)
    return out


def _alike(a: str, b: str) -> bool:
    """Two titles of one post: equal once normalised, one inside the other, or half their
    words in common."""
    na, nb = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    wa, wb = words(na), words(nb)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5


def stranger(post: Post, known: Iterable[Post]) -> str | None:
    """Why ``post``, read from a capture of its address, is not the post the site's own
    records (``known``: feed items, listing excerpts) describe; None when it may be.

    Only a page whose title matches none of the known titles and whose text holds little of
    the known text is another page; with no known text, nothing can be said.
    """
    known = [r for r in known if r.title or r.content_html]
    if not known:
        return None
    if post.title and any(r.title and _alike(post.title, r.title) for r in known):
        return None
    told = set().union(*(words(r.content_html) for r in known if r.content_html))
    if len(told) < LEAST_WORDS:
        return None
    held = len(told & words(post.content_html)) / len(told)
    if held >= SHARED:
        return None
    return "another page at the post's address (neither its title nor its text)"


__all__ = ["stranger", "words"]
