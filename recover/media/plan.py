"""Which capture of each file to fetch, and in which order.

A wanted URL's *chain* is its originals (:func:`recover.media.variants.originals`) then
itself, keeping those some source holds. Each chain link is a *job*: that URL's good
captures (HTTP 200 or revisit), newest first, one per content digest, tried until one holds
real bytes. A wanted URL takes the first link that succeeds; a link shared by several
wanted URLs (two posts using one image, a thumbnail and the full-size file it links to) is
fetched once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from recover.choice.capture import Capture
from recover.choice.ranking import ranked
from recover.media.variants import originals


def good_captures(captures: Iterable[Capture]) -> list[Capture]:
    """Captures worth fetching for a file: 200s and revisits, newest first, one a digest."""
    return [c for c in ranked(captures, pages=False) if c.status in (200, None)]


class Planner:
    """Chains of wanted URLs, resolved job by job (pure: no I/O)."""

    def __init__(self, wanted: Iterable[str], held: Callable[[str], list[Capture]]) -> None:
        self.chains: dict[str, list[str]] = {}
        self.captures: dict[str, list[Capture]] = {}
        for url in wanted:
            chain = []
            for link in [*originals(url), url]:
                caps = self.captures.get(link)
                if caps is None:
                    caps = self.captures[link] = good_captures(held(link))
                if caps and link not in chain:
                    chain.append(link)
            self.chains[url] = chain
        self.waiting: dict[str, list[str]] = defaultdict(list)  # job -> wanted URLs on it
        self.position: dict[str, int] = {}
        self.outcomes: dict[str, Any] = {}  # job -> entry (None: no good capture)
        self.resolved: dict[str, tuple[str | None, Any]] = {}  # wanted -> (job, entry)

    def unheld(self) -> list[str]:
        """Wanted URLs no source holds (neither they nor an original)."""
        return [u for u, chain in self.chains.items() if not chain]

    def start(self) -> list[str]:
        """The first jobs to run."""
        jobs: list[str] = []
        for url in self.chains:
            jobs += self._advance(url, 0)
        return jobs

    def _advance(self, url: str, at: int) -> list[str]:
        chain = self.chains[url]
        while at < len(chain):
            job = chain[at]
            self.position[url] = at
            if job in self.outcomes:
                if self.outcomes[job] is not None:
                    self.resolved[url] = (job, self.outcomes[job])
                    return []
                at += 1
                continue
            first = job not in self.waiting
            self.waiting[job].append(url)
            return [job] if first else []
        self.resolved[url] = (None, None)
        return []

    def done(self, job: str, entry: Any) -> list[str]:
        """Record a job's outcome; the further jobs it makes necessary."""
        self.outcomes[job] = entry
        more: list[str] = []
        for url in self.waiting.pop(job, []):
            if entry is not None:
                self.resolved[url] = (job, entry)
            else:
                more += self._advance(url, self.position[url] + 1)
        return more
