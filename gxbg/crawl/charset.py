"""Decode fetched bodies to text: BOM, then header, then ``<meta>``/XML declaration, then detection.

Government portals mix UTF-8 and GBK and often declare the charset only in a ``<meta>`` tag, or
declare it wrongly (portals reference §8).  The order is the one w3lib's ``html_to_unicode``
implements, with its alias table (``gb2312``/``gbk`` decode as ``gb18030``, because pages
declared ``gb2312`` contain GBK-only characters such as 镕).  Two guards sit on top:

* a body that is valid, non-ASCII UTF-8 is decoded as UTF-8 whatever the declaration says
  (clones ship UTF-8 pages with a stale ``gb2312`` meta; valid UTF-8 by accident is
  vanishingly rare for real GBK text);
* a declared codec that fails on the body is passed over for the next candidate, then for
  charset-normalizer restricted to gb18030/utf_8/big5, then UTF-8 with replacement.

Binary bodies (PDF, Word, WPS, images, archives) are not decoded at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from charset_normalizer import from_bytes
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

#: Content types that are never text for us.
BINARY_TYPE_PREFIXES = (
    "application/pdf",
    "application/msword",
    "application/vnd.",  # docx, xlsx, wps (vnd.ms-works), ...
    "application/zip",
    "application/x-zip",
    "application/octet-stream",
    "application/kswps",
    "application/wps",
    "image/",
    "audio/",
    "video/",
    "font/",
)
#: File extensions of attachments and images (used when the content type is missing or generic).
BINARY_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".zip", ".rar", ".7z",
     ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".ofd"}
)  # fmt: skip
#: Leading bytes of binary formats we meet: PDF, ZIP/OOXML, OLE2 (doc/wps/xls), images.
BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")

#: Declarations that decode any byte string without error, so a failed decode cannot expose them.
WESTERN_SINGLE_BYTE = frozenset({"cp1252", "iso8859-1", "latin-1", "iso8859-15"})

#: Codecs charset-normalizer may choose between (it misreads GB text as other code pages otherwise).
DETECTION_CODECS = ["gb18030", "utf_8", "big5"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded body: the text, the codec used, what was declared, and U+FFFD count."""

    text: str
    encoding: str
    declared: str | None
    replacements: int


def is_binary(content_type: str | None, url: str, body: bytes) -> bool:
    """True for attachments and images, judged by content type, magic bytes or URL extension.

    >>> is_binary("application/pdf", "http://x/a", b"")
    True
    >>> is_binary("text/html", "http://x/a.html", b"<html>")
    False
    >>> is_binary(None, "http://x/files/report.DOCX", b"")
    True
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media.startswith(BINARY_TYPE_PREFIXES):
        return True
    if body.startswith(BINARY_MAGIC):
        return True
    if media.startswith("text/") or "json" in media or "xml" in media or "javascript" in media:
        return False
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return dot > path.rfind("/") and path[dot:] in BINARY_EXTENSIONS


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def detect_codec(body: bytes) -> str | None:
    """charset-normalizer's best guess among gb18030/utf_8/big5, as a Python codec name."""
    best = from_bytes(body[:200_000], cp_isolation=DETECTION_CODECS).best()
    return resolve_encoding(best.encoding) if best is not None else None


def decode_text(content_type: str | None, body: bytes) -> Decoded:
    """Decode ``body`` (the entity bytes) to text following the module's order.

    >>> decode_text("text/html", '<meta charset="gb2312"><p>朱镕基</p>'.encode("gbk")).text[-10:]
    '<p>朱镕基</p>'
    >>> d = decode_text("text/html", '<meta charset="gb2312"><p>年报</p>'.encode("utf-8"))
    >>> (d.encoding, d.declared)
    ('utf-8', 'gb18030')
    """
    bom_codec, bom = read_bom(body)
    if bom_codec is not None and bom is not None:
        text = body[len(bom) :].decode(bom_codec, errors="replace")
        return Decoded(text, bom_codec, bom_codec, text.count("\ufffd"))
    candidates = [
        c for c in (http_content_type_encoding(content_type), html_body_declared_encoding(body)) if c
    ]
    declared = candidates[0] if candidates else None
    if body.isascii():
        codec = declared or "utf-8"
        text = body.decode(codec, errors="replace")
        return Decoded(text, codec, declared, text.count("\ufffd"))
    as_utf8 = _strict(body, "utf-8")
    if as_utf8 is not None:
        return Decoded(as_utf8, "utf-8", declared, 0)
    strong = [c for c in candidates if c not in WESTERN_SINGLE_BYTE]
    for codec in strong:
        strict = _strict(body, codec)
        if strict is not None:
            return Decoded(strict, codec, declared, 0)
    detected = detect_codec(body)
    western = [c for c in candidates if c in WESTERN_SINGLE_BYTE]
    if western:
        # "charset=iso-8859-1" on a Chinese page (error pages, misconfigured servers) decodes
        # without error into mojibake; trust the detector over it when it decodes cleanly.
        strict = _strict(body, detected) if detected else None
        if detected and strict is not None:
            return Decoded(strict, detected, declared, 0)
        text = body.decode(western[0], errors="replace")
        return Decoded(text, western[0], declared, text.count("\ufffd"))
    codec = detected or next(iter(candidates), "utf-8")
    # gb18030 replaces undecodable bytes one by one; that is the most informative count.
    text = body.decode(codec, errors="replace")
    return Decoded(text, codec, declared, text.count("\ufffd"))
