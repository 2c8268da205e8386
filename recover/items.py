"""Scrapy items of a recovery.

Callbacks yield :class:`Record` items: a post as one capture, feed entry or index excerpt
shows it.  The store keeps them; when the crawl is done the spider merges each post's
records and yields the merged :class:`recover.post.Post` items, which are what feed
exporters (``-O posts.xml:wxr``) and the export pipeline write.
"""

from __future__ import annotations

from dataclasses import dataclass

from recover.post import Post


@dataclass
class Record:
    """One source's view of a post, to be merged with the others."""

    post: Post
