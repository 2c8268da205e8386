"""Bytes to text for archived pages whose declared charset may be wrong.

w3lib sniffs as Scrapy does (byte order mark, HTTP ``Content-Type``, ``<meta charset>`` /
``http-equiv``, XML declaration, with the WHATWG label mapping: Latin-1 and ASCII mean
windows-1252).  This module adds what archived pages need on top:

- a Latin-1/ASCII declaration over bytes that are valid UTF-8 yields UTF-8;
- a UTF-8 declaration (or none) over bytes that are not all UTF-8 keeps every valid UTF-8
  sequence and reads each stray byte as windows-1252: a Latin-1 page mislabelled UTF-8
  reads right, and so does a UTF-8 page with a few broken bytes (never "CafÃ©");
- labels naming no text codec (``rot13``, ``zlib``) or a dangerous one (``utf-7``) are
  ignored, and a page without a usable label is detected (charset_normalizer).
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

_UNSAFE = {"unicode-escape", "raw-unicode-escape", "utf-7", "idna", "punycode", "undefined"}
_SINGLE_BYTE_WESTERN = {"cp1252", "cp1254"}
_SUPERSETS = {"euc_jp": "euc_jis_2004"}  # the same pages, more of their characters


def _c1(err: UnicodeError) -> tuple[str, int]:
    """cp1252's five undefined bytes map to the C1 controls, as browsers do."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


def _stray_as_cp1252(err: UnicodeError) -> tuple[str, int]:
    """A byte that is not part of valid UTF-8, read as windows-1252 (C1 where undefined)."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("cp1252", "recover-c1"), err.end


codecs.register_error("recover-c1", _c1)
codecs.register_error("recover-utf8-cp1252", _stray_as_cp1252)


def _text_codec(name: str | None) -> str | None:
    """``name`` when it is a codec a page may be written in, else None."""
    if not name:
        return None
    try:
        info = codecs.lookup(_SUPERSETS.get(name, name))
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNSAFE:
        return None  # rot13, zlib, base64, unicode_escape...: not a page's charset
    return info.name


def _declared(body: bytes, content_type: str | None) -> str | None:
    """The first usable charset the response or the document declares (w3lib reads them)."""
    try:
        header = http_content_type_encoding(content_type) if content_type else None
    except (LookupError, ValueError):
        header = None
    try:
        inside = html_body_declared_encoding(body[:4096])
    except (LookupError, ValueError):
        inside = None
    return _text_codec(header) or _text_codec(inside)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect(body: bytes) -> str | None:
    """A best guess from the bytes alone (charset_normalizer), or None."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
    except Exception:  # detection is a hint only
        return None
    return _text_codec(best.encoding) if best else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode an archived page to text; never raises."""
    try:
        return _decode(body or b"", content_type)
    except (LookupError, UnicodeError):  # a codec Python names but cannot run
        return (body or b"").decode("utf-8", "replace")


def _decode(body: bytes, content_type: str | None) -> str:
    bom, mark = read_bom(body)
    if bom and (codec := _text_codec(bom)):
        return body[len(mark) :].decode(codec, "replace")
    declared = _declared(body, content_type)
    if declared and declared.startswith("utf-16") and b"\x00" not in body[:200]:
        declared = None  # "utf-16" in a meta tag of an 8-bit page is always a lie
    if body.isascii():
        return body.decode("ascii")
    if declared in (None, "utf-8", *_SINGLE_BYTE_WESTERN) and _is_utf8(body):
        return body.decode("utf-8")  # valid UTF-8 whatever the label says
    if declared == "utf-8":
        return body.decode("utf-8", "recover-utf8-cp1252")
    if declared:
        text = _strict(body, declared)
        if text is not None:
            return text
        if declared in _SINGLE_BYTE_WESTERN:
            return body.decode(declared, "recover-c1")
        guess = _detect(body)
        if guess and guess != declared and (text := _strict(body, guess)) is not None:
            return text
        return body.decode(declared, "replace")
    guess = _detect(body)
    if guess and (text := _strict(body, guess)) is not None:
        return text
    return body.decode("utf-8", "recover-utf8-cp1252")
