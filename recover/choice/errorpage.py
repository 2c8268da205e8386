"""Error and placeholder pages that must never be taken for a post.

Contract: ``error_reason(status: int, html: str) -> str | None``: a short reason
("http 500", "database error", "account suspended", "parked domain", "soft 404",
"login wall", "empty body", ...) or None for a good page.
"""
