"""The post model: what every stage passes along (a Scrapy dataclass item)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Source:
    """One capture or file a post (or part of it) came from."""

    archive: str  # replay prefix, ``warc:<path>``, ``html:<path>``
    capture_url: str  # where the bytes were read from
    timestamp: str  # 14-digit capture time (YYYYMMDDhhmmss), "" when unknown
    kind: str = "page"  # page | feed | index | sitemap | json
    original: str = ""  # the site URL that was captured


@dataclass
class Comment:
    """A reader's comment, as shown under the post."""

    author: str | None
    published: str | None  # ISO 8601
    content_html: str
    author_url: str | None = None
    id: str | None = None
    parent: str | None = None
    type: str = "comment"  # comment | pingback | trackback


@dataclass
class Post:
    """One blog post, as recovered."""

    url: str
    title: str | None = None
    published: str | None = None  # ISO 8601, with the offset when the page gives one
    updated: str | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    content_html: str = ""
    content_markdown: str = ""
    comments: list[Comment] = field(default_factory=list)
    images: list[Any] = field(default_factory=list)  # URLs; after the media phase, entries
    attachments: list[Any] = field(default_factory=list)  # audio, video, documents: the same
    slug: str = ""
    engine: str | None = None  # the extractor that read it: wordpress, blogger, ...
    partial: bool = False  # True when only a feed summary or index excerpt survives
    type: str = "post"  # post | page (a static page: About, Contact, Links)
    source: Source | None = None  # the capture the body came from
    sources: list[Source] = field(default_factory=list)  # every capture or file used
    provenance: dict[str, str] = field(default_factory=dict)  # field -> capture_url

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON-ready dict (what ``dataclasses.asdict`` gives, several times faster)."""
        data = dict(vars(self))
        data["categories"] = list(self.categories)
        data["tags"] = list(self.tags)
        data["images"] = list(self.images)
        data["attachments"] = list(self.attachments)
        data["comments"] = [dict(vars(c)) for c in self.comments]
        data["source"] = dict(vars(self.source)) if self.source else None
        data["sources"] = [dict(vars(s)) for s in self.sources]
        data["provenance"] = dict(self.provenance)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Post:
        """Rebuild a post from :meth:`to_dict` output (unknown keys are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["comments"] = [Comment(**c) for c in known.get("comments") or []]
        if known.get("source"):
            known["source"] = Source(**known["source"])
        known["sources"] = [Source(**s) for s in known.get("sources") or []]
        return cls(**known)
