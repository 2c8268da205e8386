"""Item pipelines: records are stored as they come; merged posts are written at the end.

``recover run`` and ``scrapy crawl recover`` share them.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from recover.export import write_all
from recover.items import Record
from recover.normalize.merge import merged_posts
from recover.post import Post
from recover.urls import canonical

log = logging.getLogger(__name__)


class StorePipeline:
    """Commit each record to the run's store (nothing recovered is lost on a kill).

    Records stop here; merged posts go on to the exporters.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, Record):
            store = getattr(self.crawler.spider, "store", None)
            if store is not None:
                store.add_post(item.post)
            raise DropItem("stored; merged at the end", log_level="DEBUG")
        return item


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
    skipped = store.skipped()
    reasons = {s["key"]: s["reason"] for s in skipped}
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
            {"url": s["capture_url"], "key": s["key"], "reason": s["reason"]} for s in skipped
        ],
        "stats": {
            k.removeprefix("recover/"): v
            for k, v in stats.items()
            if k.startswith(("recover/", "downloader/request_count", "httpcache/"))
        },
    }


class ExportPipeline:
    """Collect the merged posts; at the end of the crawl write every output atomically.

    A crawl stopped before its merge phase (an archive blocked us) still writes what the
    store holds.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.posts: list[Post] = []
        self.merged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExportPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, Post):
            self.posts.append(item)
            self.merged = True
        return item

    def close_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        store = getattr(spider, "store", None)
        if store is None or spider.out is None:
            return
        posts = self.posts if getattr(spider, "merged", False) else merged_posts(store)
        report = build_report(spider, posts)
        write_all(posts, spider.out, report)
        spider.result = {
            "posts": len(posts),
            "partial": sum(1 for p in posts if p.partial),
            "report": report,
            "from": Counter(
                f"{p.source.kind} {p.source.archive}" if p.source else "unknown" for p in posts
            ),
        }
