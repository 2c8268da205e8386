"""Is a capture's body the file its URL and type promise? Magic bytes, not headers.

An archive may serve an HTML error page as ``image/jpeg``, an empty body, or a file cut
short; :func:`verdict` says which, so an older good capture is used instead.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

# (prefix at offset 0, mime); checked in order
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"PK\x05\x06", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"\x1aE\xdf\xa3", "video/webm"),
    (b"FWS", "application/x-shockwave-flash"),
    (b"CWS", "application/x-shockwave-flash"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_TEXTUAL = re.compile(
    rb"^\s*(<!doctype|<html|<head|<body|<\?xml|<!--|<title|<div|<p\b|\{|\[)", re.I
)
_SVG = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg\b", re.I | re.S
)

# what a URL's extension promises: a family of mimes
EXTENSIONS: dict[str, str] = {
    "jpg": "image", "jpeg": "image", "jpe": "image", "png": "image", "gif": "image",
    "webp": "image", "bmp": "image", "ico": "image", "tif": "image", "tiff": "image",
    "svg": "image/svg+xml", "avif": "image", "heic": "image",
    "pdf": "application/pdf", "zip": "application/zip", "gz": "application/gzip",
    "tgz": "application/gzip", "7z": "application/x-7z-compressed", "rar": "application/vnd.rar",
    "doc": "application/msword", "xls": "application/msword", "ppt": "application/msword",
    "docx": "application/zip", "xlsx": "application/zip", "pptx": "application/zip",
    "odt": "application/zip", "ods": "application/zip", "odp": "application/zip",
    "epub": "application/zip",
    "mp3": "audio", "m4a": "audio", "aac": "audio", "ogg": "audio", "oga": "audio",
    "wav": "audio", "flac": "audio", "opus": "audio",
    "mp4": "video", "m4v": "video", "mov": "video", "webm": "video", "ogv": "video",
    "avi": "video", "swf": "application/x-shockwave-flash",
}  # fmt: skip


def extension(url: str) -> str:
    """The lower-case extension of a URL's path ("" when none)."""
    name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(body: bytes) -> str | None:
    """The mime type the bytes themselves show (None: not a media file we know)."""
    for prefix, mime in _PREFIXES:
        if body.startswith(prefix):
            return mime
    if body[:4] == b"RIFF" and body[8:12] in _RIFF:
        return _RIFF[body[8:12]]
    if body[4:8] == b"ftyp":
        brand = body[8:12]
        if brand in (b"avif", b"avis"):
            return "image/avif"
        if brand in (b"heic", b"heix", b"mif1"):
            return "image/heic"
        if brand.startswith(b"M4A") or brand.startswith(b"M4B"):
            return "audio/mp4"
        if brand.startswith(b"qt"):
            return "video/quicktime"
        return "video/mp4"
    if body[4:8] in (b"moov", b"mdat", b"wide", b"free"):
        return "video/quicktime"
    if len(body) > 2 and body[0] == 0xFF and body[1] & 0xE0 == 0xE0:
        return "audio/mpeg"  # an MPEG audio frame without an ID3 tag
    if _SVG.match(body[:2048]):
        return "image/svg+xml"
    return None


def _truncated(body: bytes, mime: str) -> bool:
    tail = body[-64:].rstrip(b"\x00\r\n \t")
    if mime == "image/jpeg":
        return not tail.endswith(b"\xff\xd9") and b"\xff\xd9" not in body[-1024:]
    if mime == "image/png":
        return b"IEND" not in body[-64:]
    if mime == "image/gif":
        return not tail.endswith(b";")
    if mime == "application/pdf":
        return b"%%EOF" not in body[-2048:]
    return False


class Verdict(NamedTuple):
    """What a body is: ``ok`` with its sniffed ``mime``, or why not (``reason``)."""

    ok: bool
    mime: str
    reason: str = ""


def verdict(
    body: bytes, url: str, content_type: str | None = None, length: int | None = None
) -> Verdict:
    """Whether ``body`` is a real copy of the file at ``url``.

    Bad: empty, an HTML/XML/text page (whatever the header says), bytes of another family
    than the extension promises (an image URL holding a zip), shorter than the declared
    ``length``, or cut short (a JPEG without its end marker, a PNG without IEND).
    """
    if not body:
        return Verdict(False, "", "empty")
    if length is not None and 0 < len(body) < length:
        return Verdict(False, "", f"truncated: {len(body)} of {length} bytes")
    mime = sniff(body)
    want = EXTENSIONS.get(extension(url), "")
    declared = (content_type or "").split(";")[0].strip().lower()
    if mime is None:
        if _TEXTUAL.match(body[:512]):
            return Verdict(False, "", "an HTML/text page, not the file")
        if want or declared.startswith(("image/", "audio/", "video/")):
            return Verdict(False, "", f"bytes are not {want or declared}")
        return Verdict(True, declared or "application/octet-stream")  # a file we cannot sniff
    if want and not mime.startswith(want):
        # documents in zip/ole containers, images of another format: same family is fine
        family = want.split("/")[0]
        if not (family in ("image", "audio", "video") and mime.startswith(family)):
            if not (want.startswith("audio") or want.startswith("video")) or not mime.startswith(
                ("audio", "video")
            ):
                return Verdict(False, mime, f"{mime} bytes where {want} was expected")
    if _truncated(body, mime):
        return Verdict(False, mime, f"truncated {mime}")
    return Verdict(True, mime)
