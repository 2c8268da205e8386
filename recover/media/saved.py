"""Files in a browser-saved page's ``_files/`` folder, as captures of the URLs the page uses.

"Save Page As" (complete) stores a page's images beside it in ``<name>_files/`` and points
the page at them (``./<name>_files/cat.jpg``); the extractor reads those references as
URLs under the post's address, and these captures answer for them (and, by file name, for
the original URL another capture of the post shows, when one saved file has that name).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from recover.choice.capture import Capture
from recover.discovery.htmldir import read
from recover.extract.charset import decode
from recover.urls import absolute


def saved_files(page: Capture) -> list[Capture]:
    """Captures of the files a saved page's ``_files/`` folders hold and the page uses."""
    path = Path(page.location)
    body = read(page)
    if not body or not any(p.is_dir() and p.name.endswith("_files") for p in path.parent.iterdir()):
        return []
    try:
        root = lxml.html.document_fromstring(decode(body))
    except (etree.ParserError, ValueError):
        return []
    out = []
    seen: set[str] = set()
    for el in root.iter("img", "a", "source", "video", "audio"):
        for attr in ("src", "href", "poster"):
            raw = (el.get(attr) or "").strip()
            if "_files/" not in raw or "://" in raw:
                continue
            file = (path.parent / unquote(urlsplit(raw).path)).resolve()
            if not file.is_file() or path.parent.resolve() not in file.parents:
                continue
            url = absolute(raw, page.original)
            if url in seen:
                continue
            seen.add(url)
            out.append(
                Capture(
                    archive=page.archive,
                    timestamp=page.timestamp,
                    original=url,
                    status=200,
                    length=file.stat().st_size,
                    location=str(file),
                    uri=file.as_uri(),
                )
            )
    return out
