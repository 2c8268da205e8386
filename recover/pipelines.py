"""Item pipelines: every post record is stored as it comes; at the end, merged and exported.

``recover run`` and ``scrapy crawl recover`` share them.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler

from recover.export import write_all
from recover.extract.dates import date_from_url
from recover.normalize.markdown import normalize
from recover.normalize.merge import merge
from recover.post import Post
from recover.urls import canonical

log = logging.getLogger(__name__)


class StorePipeline:
    """Commit each post record to the run's store (nothing recovered is lost on a kill)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        store = getattr(self.crawler.spider, "store", None)
        if isinstance(item, Post) and store is not None:
            store.add_post(item)
        return item


def recovered_posts(store: Any) -> list[Post]:
    """Every post the store holds, merged across its records and normalized."""
    aliases = {key: canonical(target) for key, target in store.aliases().items()}
    held: dict[str, list[Post]] = {}  # records filed under an old URL, by their post's key
    groups: list[list[Post]] = []
    for key, records in store.post_records():
        if key in aliases:
            held.setdefault(aliases[key], []).extend(records)
        else:
            groups.append(records)
    posts = []
    for records in groups:
        records = records + held.pop(canonical(records[0].url), [])
        post = merge(records)
        if not post.content_html:
            continue  # a title, a link or comments alone: known to exist, reported missing
        if not post.published:
            post.published = date_from_url(post.url)
        try:
            posts.append(normalize(post))
        except Exception as exc:  # one bad post must not cost the others
            log.warning("%s: could not normalize, kept as is (%s)", post.url, exc)
            posts.append(post)
    for records in held.values():  # old URLs whose post has no record of its own
        post = merge(records)
        if post.content_html:
            posts.append(normalize(post))
    posts.sort(key=lambda p: (p.published or "", p.url))
    return posts


def build_report(spider: Any, posts: list[Post]) -> dict[str, Any]:
    """What the report says: site, archives, counts, missing posts, skipped captures."""
    store = spider.store
    have = {canonical(p.url) for p in posts}
    aliases = {key: canonical(target) for key, target in store.aliases().items()}
    missing = [
        {"url": url, "known_from": known_from, "reason": "no good capture found"}
        for key, (url, known_from) in sorted(store.known().items())
        if key not in have and aliases.get(key) not in have
    ]
    reasons = {s["key"]: s["reason"] for s in store.skipped()}
    for m in missing:
        key = canonical(m["url"])
        if key in reasons:
            m["reason"] = reasons[key]
    stats = dict(spider.crawler.stats.get_stats()) if spider.crawler.stats else {}
    return {
        "site": spider.site,
        "archives": spider.sources,
        "window": {"from": spider.since, "to": spider.until},
        "missing": missing,
        "skipped": [
            {"url": s["capture_url"], "key": s["key"], "reason": s["reason"]}
            for s in store.skipped()
        ],
        "stats": {
            k.removeprefix("recover/"): v
            for k, v in stats.items()
            if k.startswith(("recover/", "downloader/request_count", "httpcache/"))
        },
    }


class ExportPipeline:
    """At the end of the crawl, write every output atomically from the store."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExportPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        return item

    def close_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        store = getattr(spider, "store", None)
        if store is None or spider.out is None:
            return
        posts = recovered_posts(store)
        report = build_report(spider, posts)
        write_all(posts, spider.out, report)
        spider.result = {"posts": len(posts), "report": report}
