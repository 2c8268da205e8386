"""Bytes to text for archived pages whose declared charset may be wrong.

Order of evidence: byte order mark, HTTP ``Content-Type``, ``<meta charset>`` /
``http-equiv``, XML declaration, then detection. Pages that lie are corrected: Latin-1
always means windows-1252 (as browsers do), and a Latin-1/ASCII declaration over bytes
that are valid UTF-8 yields UTF-8.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)

# WHATWG Encoding Standard labels that Python spells differently or treats strictly.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "euc-jp": "euc_jis_2004",
    "x-euc-jp": "euc_jis_2004",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "utf8": "utf-8",
    "unicode": "utf-16-le",
    "x-user-defined": "cp1252",
}
_UNSAFE = {"unicode-escape", "raw-unicode-escape", "utf-7", "idna", "punycode", "undefined"}
_SINGLE_BYTE_WESTERN = {"cp1252", "cp1254"}


def _c1(err: UnicodeError) -> tuple[str, int]:
    """cp1252's five undefined bytes map to the C1 controls, as browsers do."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("recover-c1", _c1)


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    name = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _UNSAFE:
        return None  # rot13, zlib, base64, unicode_escape...: not a page's charset
    return info.name


def _declared(body: bytes, content_type: str | None) -> str | None:
    """The first usable charset the response or the document declares."""
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (name := _codec(m.group(1))):
            return name
    head = body[:4096]
    m = _META_CHARSET.search(head)
    if m and (name := _codec(m.group(1).decode("ascii", "ignore"))):
        return name
    m = _XML_DECL.search(head)
    if m and (name := _codec(m.group(1).decode("ascii", "ignore"))):
        return name
    return None


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
    return _codec(best.encoding) if best else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(body: bytes, content_type: str | None = None) -> str:
    """Decode an archived page to text; never raises."""
    try:
        return _decode(body or b"", content_type)
    except Exception:
        return (body or b"").decode("utf-8", "replace")


def _decode(body: bytes, content_type: str | None) -> str:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace")
    declared = _declared(body, content_type)
    if declared and declared.startswith("utf-16") and b"\x00" not in body[:200]:
        declared = None  # "utf-16" in a meta tag of an 8-bit page is always a lie
    ascii_only = body.isascii()
    if ascii_only:
        return body.decode("ascii")
    if declared in _SINGLE_BYTE_WESTERN or declared is None or declared == "utf-8":
        if _is_utf8(body):
            return body.decode("utf-8")
    if declared == "utf-8":
        # Declared UTF-8 but invalid: mostly-UTF-8 pages keep UTF-8, Latin pages don't.
        text = body.decode("utf-8", "replace")
        multibyte = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", body))
        if multibyte >= text.count("\ufffd"):
            return text
        return body.decode("cp1252", "recover-c1")
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
    return body.decode("cp1252", "recover-c1")
