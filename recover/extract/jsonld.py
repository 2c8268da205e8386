"""schema.org JSON-LD (BlogPosting, Article...): the most trusted metadata a page has."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from recover.extract.dates import parse_date
from recover.extract.page import Fields, Page

POST_TYPES = {
    "blogposting",
    "article",
    "newsarticle",
    "techarticle",
    "socialmediaposting",
    "liveblogposting",
    "scholarlyarticle",
    "report",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "posting",
}


def _items(page: Page) -> list[dict[str, Any]]:
    """Every JSON-LD object in the page, @graph and lists flattened."""
    raw: list[Any] = []
    for script in page.root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        text = re.sub(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$", "", text)
        try:
            raw.append(json.loads(text, strict=False))
        except (ValueError, RecursionError):
            try:  # trailing commas, the usual hand-written mistake
                raw.append(json.loads(re.sub(r",\s*([}\]])", r"\1", text), strict=False))
            except (ValueError, RecursionError):
                continue
    out: list[dict[str, Any]] = []
    stack = raw[::-1]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item[::-1])
        elif isinstance(item, dict):
            out.append(item)
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"][::-1])
            main = item.get("mainEntity") or item.get("mainEntityOfPage")
            if isinstance(main, dict) and _types(main) & POST_TYPES:
                stack.append(main)
    return out


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower().rsplit("/", 1)[-1] for k in kinds}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if value is None:
        return None
    text = " ".join(html.unescape(str(value)).split())
    return text or None


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.split(",")
    elif isinstance(value, list):
        parts = [_text(v) or "" for v in value]
    else:
        parts = [_text(value) or ""]
    out = []
    for part in parts:
        part = " ".join(html.unescape(part).split())
        if part and part not in out:
            out.append(part)
    return out


def read(page: Page) -> Fields:
    """Fields from the page's schema.org post object, if it has exactly one."""
    posts = [i for i in _items(page) if _types(i) & POST_TYPES]
    fields = Fields(entries=len(posts))
    if len(posts) != 1:
        return fields
    item = posts[0]
    fields.is_post = True
    fields.title = _text(item.get("headline")) or _text(item.get("name"))
    fields.published = parse_date(
        _text(item.get("datePublished")) or _text(item.get("dateCreated"))
    )
    fields.updated = parse_date(_text(item.get("dateModified")))
    fields.author = _text(item.get("author")) or _text(item.get("creator"))
    section = _names(item.get("articleSection"))
    fields.categories = section or None
    fields.tags = _names(item.get("keywords")) or None
    body = _text_block(item.get("articleBody"))
    if body:
        fields.body_html = body
    return fields


def _text_block(value: Any) -> str | None:
    """articleBody is plain text: paragraphs become <p>."""
    if not isinstance(value, str) or not value.strip():
        return None
    paras = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", value) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paras)
