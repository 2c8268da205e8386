"""Charset decoding: declarations, BOMs, and pages whose declaration lies."""

from __future__ import annotations

import pytest

from recover.extract.charset import decode


def page(meta: str, text: str) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


def test_http_header_wins():
    body = page("", "Café").encode("utf-8")
    assert "Café" in decode(body, "text/html; charset=UTF-8")


def test_meta_charset():
    body = page('<meta charset="koi8-r">', "Привет").encode("koi8-r")
    assert "Привет" in decode(body, None)


def test_http_equiv_meta():
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    assert "Привет" in decode(page(meta, "Привет").encode("cp1251"), "text/html")


def test_windows_1252_declared_as_latin1():
    # \x93 \x94 are curly quotes and \x80 the euro sign in windows-1252, controls in Latin-1
    body = (
        page('<meta charset="iso-8859-1">', "")
        .encode("ascii")
        .replace(b"<p></p>", b"<p>\x93quoted\x94 costs \x80 5 \x97 caf\xe9</p>")
    )
    text = decode(body, "text/html; charset=ISO-8859-1")
    assert "“quoted” costs € 5 — café" in text


def test_utf8_declared_as_latin1():
    body = page('<meta charset="iso-8859-1">', "Gröbner’s café").encode("utf-8")
    text = decode(body, "text/html; charset=iso-8859-1")
    assert "Gröbner’s café" in text
    assert "Ã" not in text


def test_latin1_declared_as_utf8():
    body = page('<meta charset="utf-8">', "Ad\u00e8le na\u00efve").encode("latin-1")
    assert "Adèle naïve" in decode(body, "text/html; charset=utf-8")


@pytest.mark.parametrize(
    "codec,label", [("shift_jis", "Shift_JIS"), ("euc_jp", "EUC-JP"), ("cp932", "x-sjis")]
)
def test_japanese(codec, label):
    text = "日本語のブログ。今日は晴れ～"
    body = page(
        f'<meta http-equiv="Content-Type" content="text/html; charset={label}">', text
    ).encode(codec if "～" not in text or codec == "cp932" else codec, errors="ignore")
    decoded = decode(body, None)
    assert "日本語のブログ。今日は晴れ" in decoded


def test_shift_jis_undeclared_is_detected():
    text = "これは日本語で書かれた長い文章です。文字コードの宣言がありません。" * 3
    decoded = decode(page("", text).encode("shift_jis"), "text/html")
    assert "日本語で書かれた" in decoded


@pytest.mark.parametrize(
    "bom,codec",
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_bom(bom, codec):
    body = bom + page('<meta charset="iso-8859-1">', "Zoë").encode(codec)
    assert "Zoë" in decode(body, "text/html; charset=iso-8859-1")


def test_xml_declaration():
    body = '<?xml version="1.0" encoding="iso-8859-15"?><rss><title>€uro</title></rss>'.encode(
        "iso-8859-15"
    )
    assert "€uro" in decode(body, "application/xml")


@pytest.mark.parametrize(
    "content_type",
    [None, "text/html; charset=bogus", "text/html; charset=rot13", "text/html; charset=utf-16"],
)
def test_never_raises(content_type):
    for body in (b"", b"\xff" * 1000, bytes(range(256)) * 10, b"<html>\x00\x00</html>"):
        assert isinstance(decode(body, content_type), str)


@pytest.mark.parametrize("ctype", ["text/html; charset=utf-8", None])
def test_utf8_with_more_broken_bytes_than_accents(ctype):
    """10.15: one valid "é" and three stray Latin-1 bytes: each read as itself, no "CafÃ©"."""
    body = (
        "<html><head><meta charset='utf-8'></head><body><p>Café</p>".encode()
        + b"<p>r\xe9sum\xe9 na\xefve</p></body></html>"
    )
    text = decode(body, ctype)
    assert "Café" in text and "résumé naïve" in text
    assert "Ã" not in text and "\ufffd" not in text


def test_dangerous_labels_are_ignored():
    """utf-7 would turn "+ADw-script+AD4-" into a live <script>: never used."""
    body = b"<html><head><meta charset='utf-7'></head><body>+ADw-script+AD4-</body></html>"
    assert "<script>" not in decode(body, "text/html; charset=utf-7")
