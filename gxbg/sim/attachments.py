"""Attachment bodies for the simulated portals: the report files, PDF, DOCX, DOC and JPEG bytes.

Generator-only.  The full profile's report files that must parse are the attachment fixtures
(:func:`fixture`, :func:`case_file`: a CJK PDF typeset from js-huaian-2024, a DOCX of js-hongze-2024
with merged-cell tables, a scanned PDF), shipped in the package under :data:`FIXTURES` — byte-for-byte
those ``tests/fixtures/attachments/make_fixtures.py`` builds (``tests/sim/test_data.py`` pins the
copy) — and copied into the site files when the generator runs.
:data:`DOC_OLE2` is a Word 97 file nobody parses.  :func:`pdf_bytes` makes a valid one-page PDF whose
page text is ASCII (no CJK font is embedded; the iList page's linked file, never downloaded because
the report is inline) and whose document title carries the report title; :func:`docx_bytes` a
minimal DOCX of a rendered report; the JPEG stands in for the scan on 图片版 pages.  Same input,
same bytes: zip entries carry a fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from gxbg.extract.htmlgrid import html_to_text

_FIXED_TIME = (2020, 1, 1, 0, 0, 0)
#: The attachment fixtures the simulator serves (package data); read at generation time only.
FIXTURES = Path(__file__).resolve().parent / "data" / "attachments"

#: Report files the full profile serves, by case: the pipeline parses them to the case's numbers.
CASE_FILES = {"js-huaian-2024": "huaian-2024.pdf", "js-hongze-2024": "hongze-2024.docx"}


def fixture(name: str) -> bytes:
    """The bytes of one attachment fixture (``huaian-2024.pdf``, ``hongze-2024.docx``, ``scanned.pdf``)."""
    return (FIXTURES / name).read_bytes()


def case_file(case_id: str) -> bytes:
    """The report file of a case that has one (see :data:`CASE_FILES`)."""
    return fixture(CASE_FILES[case_id])


#: A Word 97-2003 ``.doc`` stand-in: the OLE2 compound-file header and an empty sector (no parser
#: reads .doc: the pipeline skips it as an unsupported format).
DOC_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)


def pdf_bytes(title: str, case_id: str) -> bytes:
    """A one-page PDF 1.4: page text ``Annual report <case_id>``, ``/Title`` the (Chinese) title."""
    stream = f"BT /F1 12 Tf 72 720 Td (Annual report {case_id}) Tj ET".encode("ascii")
    title_hex = (b"\xfe\xff" + title.encode("utf-16-be")).hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title <" + title_hex.encode() + b"> /Producer (gxbg.sim) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _para(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _row(line: str) -> str:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return "<w:tr>" + "".join(f"<w:tc>{_para(c)}</w:tc>" for c in cells) + "</w:tr>"


def docx_bytes(report_html: str) -> bytes:
    """A minimal valid DOCX whose body is the report: one paragraph per line, tables as Word tables."""
    parts: list[str] = []
    rows: list[str] = []
    for line in html_to_text(report_html).splitlines():
        if " | " in line or line.rstrip().endswith("|"):
            rows.append(_row(line))
            continue
        if rows:
            parts.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
            rows = []
        if line.strip():
            parts.append(_para(line.strip()))
    if rows:
        parts.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}">'
        f"<w:body>{''.join(parts)}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/document.xml", document),
        ):
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


#: A tiny baseline JPEG (SOI … EOI), the scanned page of the image-only (图片版) report.
JPEG_1X1 = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c19"
    "12130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b08"
    "0001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b51000"
    "02010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f0"
    "2433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768"
    "696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3"
    "c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fb"
    "d3ffd9"
)
