"""Charset decoding: BOM → header → meta/XML declaration → detection, gb2312/gbk as gb18030."""

from __future__ import annotations

import codecs

import pytest

from gxbg.crawl.charset import decode_text, is_binary
from gxbg.sim.faults import CHARSET_TITLE, CHARSET_VARIANTS, page_html

TEXT = CHARSET_TITLE + "，主动公开政府信息情况。"


@pytest.mark.parametrize("variant", sorted(CHARSET_VARIANTS))
def test_portal_variants(variant: str) -> None:
    ctype, meta, codec = CHARSET_VARIANTS[variant]
    decoded = decode_text(ctype, page_html(CHARSET_TITLE, meta=meta).encode(codec))
    assert CHARSET_TITLE in decoded.text
    assert decoded.replacements == 0
    assert decoded.encoding == ("utf-8" if codec == "utf-8" else "gb18030")


def test_gb2312_declaration_with_gbk_only_character_decodes_as_gb18030() -> None:
    body = f'<html><head><meta charset="gb2312"></head><body>{TEXT}</body></html>'.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")  # why the mapping exists: 镕 is not in GB2312
    decoded = decode_text("text/html", body)
    assert decoded.encoding == "gb18030"
    assert decoded.declared == "gb18030"
    assert TEXT in decoded.text


def test_header_wins_over_meta_when_both_decode() -> None:
    body = f'<meta charset="big5"><p>{TEXT}</p>'.encode("gbk")
    assert decode_text("text/html; charset=GBK", body).encoding == "gb18030"


def test_wrong_header_falls_through_to_meta() -> None:
    body = f'<meta http-equiv="Content-Type" content="text/html; charset=gbk"><p>{TEXT}</p>'.encode("gbk")
    decoded = decode_text("text/html; charset=utf-8", body)
    assert decoded.encoding == "gb18030"
    assert TEXT in decoded.text
    assert decoded.declared == "utf-8"


def test_xml_declaration() -> None:
    body = f'<?xml version="1.0" encoding="GB2312"?><datastore><record>{TEXT}</record></datastore>'.encode(
        "gbk"
    )
    assert TEXT in decode_text("text/xml", body).text


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_beats_everything(bom: bytes, codec: str) -> None:
    body = bom + f"<p>{TEXT}</p>".encode(codec)
    decoded = decode_text("text/html; charset=gbk", body)
    assert decoded.text == f"<p>{TEXT}</p>"
    assert decoded.encoding.replace("_", "-").startswith(codec[:5])


def test_undeclared_gbk_is_detected() -> None:
    body = ("<html><body>" + TEXT * 5 + "</body></html>").encode("gbk")
    decoded = decode_text(None, body)
    assert decoded.encoding == "gb18030"
    assert TEXT in decoded.text


def test_broken_bytes_are_counted_as_replacements() -> None:
    body = '<meta charset="utf-8"><p>年报</p>'.encode() + b"\xff\xfe\xfd"
    decoded = decode_text("text/html; charset=utf-8", body)
    assert decoded.replacements > 0
    assert "年报" in decoded.text


def test_ascii_body_uses_declared_or_utf8() -> None:
    assert decode_text("text/html", b"<p>hi</p>").encoding == "utf-8"
    assert decode_text("text/html; charset=gbk", b"<p>hi</p>").encoding == "gb18030"


@pytest.mark.parametrize(
    ("ctype", "url", "body", "binary"),
    [
        ("application/pdf", "http://x/a", b"%PDF-1.4", True),
        ("application/msword", "http://x/a.doc", b"\xd0\xcf\x11\xe0", True),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "http://x/a",
            b"PK",
            True,
        ),
        ("application/octet-stream", "http://x/download.jsp?id=1", b"PK\x03\x04", True),
        ("image/jpeg", "http://x/a.jpg", b"\xff\xd8\xff", True),
        (None, "http://x/files/nb2023.wps", b"\xd0\xcf\x11\xe0", True),
        ("text/html", "http://x/a.pdf.html", b"<html>", False),
        ("application/json", "http://x/api", b"{}", False),
        ("text/html", "http://x/downfile.jsp", b"%PDF-1.7", True),  # mislabelled attachment
    ],
)
def test_is_binary(ctype: str | None, url: str, body: bytes, binary: bool) -> None:
    assert is_binary(ctype, url, body) is binary


def test_latin1_header_on_gbk_body_is_overridden_by_detection() -> None:
    body = ("<html><body>" + TEXT * 3 + "</body></html>").encode("gbk")
    decoded = decode_text("text/html; charset=iso-8859-1", body)
    assert decoded.encoding == "gb18030"
    assert TEXT in decoded.text


def test_genuine_latin1_page_keeps_its_declaration() -> None:
    decoded = decode_text("text/html; charset=iso-8859-1", "<p>café déjà vu</p>".encode("latin-1"))
    assert decoded.text == "<p>café déjà vu</p>"
