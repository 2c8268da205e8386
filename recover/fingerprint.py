"""Request fingerprints that tell byte ranges of one file apart.

Common Crawl records are fetched from one WARC file URL with different ``Range``
headers; Scrapy's default fingerprint ignores headers, so the HTTP cache would hand one
record back for another.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.utils.request import fingerprint


class RangeAwareFingerprinter:
    """Scrapy's fingerprint, plus the ``Range`` header."""

    @classmethod
    def from_crawler(cls, crawler: object) -> RangeAwareFingerprinter:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        if b"Range" in request.headers:
            return fingerprint(request, include_headers=["Range"])
        return fingerprint(request)
