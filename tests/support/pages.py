"""Small HTML pages the in-process spider tests answer with."""

from __future__ import annotations


def listing(site: str, days: range = range(10, 20)) -> str:
    """A WordPress-like home page listing ``/2008/10/<day>/p/`` with an excerpt each."""
    entries = "".join(
        f'<article class="post hentry"><h2 class="entry-title"><a href="{site}/2008/10/{d}/p/">'
        f'Post {d}</a></h2><div class="entry-summary"><p>{"Words. " * 60}</p></div></article>'
        for d in days
    )
    return f"<html><head><title>Blog</title></head><body>{entries}</body></html>"
