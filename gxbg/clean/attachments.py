"""Report attachments (PDF, DOCX) → the clean text the extractor reads.

Owns reading an archived attachment body into text; it never fetches, never parses the report and
never raises for a bad file: every problem ends as an :class:`AttachmentText` with an empty ``text``
and a ``reason``.  May use pdfplumber (pdfminer.six) and python-docx; never imports Prefect.

* PDF: pdfplumber's ``page.extract_text()`` of each page, joined with ``"\\n"`` — exactly the layout of
  the golden PDF cases (``tests/cases/js-*``, see their ``truth.json`` ``source``).  A PDF without a text
  layer (a scan) or whose glyphs carry no Unicode mapping (``(cid:N)`` text) gives no text; OCR is not
  attempted.  A PDF that needs a password gives no text either.
* DOCX: the body's paragraphs in document order, and each table as grid lines ``a | b | c |`` the way
  :mod:`gxbg.extract.htmlgrid` emits them: python-docx repeats a merged cell's text in every grid position it
  covers, which is htmlgrid's span expansion.  A table holding tables is layout: its cells' content
  is emitted as ordinary lines and the inner tables keep their grid lines.
* DOC, WPS and anything else: no text ("unsupported attachment format").

``corrupt`` marks the files that could not be read as the format they claim (a truncated or damaged
download): worth fetching again.  Scans, password-protected and unsupported files are facts about the
document: a harvest skips them.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from gxbg.extract.htmlgrid import SUB_DIGITS, SUP_DIGITS, join_cell_lines

__all__ = [
    "MAX_DOCX_BYTES",
    "MAX_DOCX_XML_BYTES",
    "MAX_PAGES",
    "REASON_ENCRYPTED",
    "REASON_SCANNED",
    "REASON_UNSUPPORTED",
    "TIME_LIMIT",
    "AttachmentText",
    "attachment_text",
]

#: Longer PDFs are not annual reports (compilations, yearbooks); reading them costs minutes.
MAX_PAGES = 200
#: Seconds of PDF text extraction before giving up (checked between pages).
TIME_LIMIT = 60.0
#: A ``word/document.xml`` larger than this once inflated is refused (zip bombs; real reports < 2 MB).
MAX_DOCX_XML_BYTES = 50_000_000
#: All parts together (embedded images included), once inflated.
MAX_DOCX_BYTES = 500_000_000

REASON_SCANNED = "no text layer (scanned PDF; OCR not supported)"
REASON_UNSUPPORTED = "unsupported attachment format"
REASON_ENCRYPTED = "encrypted PDF: a password is needed to open it"

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, WPS, .xls
_DOCX_PART = "word/document.xml"
_CID_GLYPH = re.compile(r"\(cid:\d+\)")
_SPACE = re.compile(r"[\s\u200b\ufeff]+")  # as gxbg.extract.htmlgrid: U+3000 and &nbsp; collapse too
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachmentText:
    """An attachment's text, or why there is none (``text == ""`` and ``reason`` set)."""

    text: str
    kind: str | None  # "pdf" | "docx"; None for a format we do not read
    pages: int | None = None  # PDF page count; None for DOCX (Word paginates at display time)
    reason: str | None = None
    corrupt: bool = False  # unreadable as its claimed format: a failure worth retrying


def _suffix(url: str) -> str:
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return path[dot:] if dot > path.rfind("/") else ""


def _claimed_kind(content_type: str | None, url: str) -> str | None:
    """What the server or the URL says the body is, for bodies whose bytes say nothing.

    >>> _claimed_kind("application/pdf; charset=binary", "http://x/a")
    'pdf'
    >>> _claimed_kind(None, "http://x/files/Report.DOCX?v=1")
    'docx'
    >>> _claimed_kind("application/msword", "http://x/a.doc") is None
    True
    """
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/pdf" or (media in ("", "application/octet-stream") and _suffix(url) == ".pdf"):
        return "pdf"
    if media.endswith("wordprocessingml.document") or (
        media in ("", "application/octet-stream") and _suffix(url) == ".docx"
    ):
        return "docx"
    return None


def attachment_text(
    body: bytes,
    *,
    content_type: str | None,
    url: str,
    max_pages: int = MAX_PAGES,
    time_limit: float = TIME_LIMIT,
) -> AttachmentText:
    """The text of a PDF or DOCX report attachment; never raises for a bad or hostile file."""
    head = body[:1024]
    try:
        if _PDF_MAGIC in head:  # the spec allows junk before the header within the first 1 KiB
            return _pdf_text(body, max_pages=max_pages, time_limit=time_limit)
        if body.startswith(_ZIP_MAGIC):
            return _zip_text(body)
    except Exception as exc:  # a hostile file can break the libraries in any way; name it, never raise
        return _corrupt(_kind_of(body), f"unreadable file: {type(exc).__name__}: {exc}")
    if body.startswith(_OLE2_MAGIC):
        return AttachmentText(text="", kind=None, reason=f"{REASON_UNSUPPORTED}: Word 97-2003 .doc or WPS")
    claimed = _claimed_kind(content_type, url)
    if claimed is not None:
        return _corrupt(claimed, f"not a {claimed.upper()} file (the body does not start like one)")
    detail = (content_type or "").split(";", 1)[0].strip() or _suffix(url) or "unknown type"
    return AttachmentText(text="", kind=None, reason=f"{REASON_UNSUPPORTED}: {detail}")


def _kind_of(body: bytes) -> str | None:
    return "pdf" if _PDF_MAGIC in body[:1024] else "docx" if body.startswith(_ZIP_MAGIC) else None


def _corrupt(kind: str | None, reason: str) -> AttachmentText:
    return AttachmentText(text="", kind=kind, reason=reason, corrupt=True)


# ---------------------------------------------------------------------------------------------- PDF


def _pdf_text(body: bytes, *, max_pages: int, time_limit: float) -> AttachmentText:
    import pdfplumber  # imported on first use: pdfminer costs ~0.3 s to import
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(body))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            return AttachmentText(text="", kind="pdf", reason=REASON_ENCRYPTED)
        return _corrupt("pdf", f"damaged or truncated PDF: {type(cause).__name__}: {cause}")
    with pdf:
        count = len(pdf.pages)
        if count > max_pages:
            reason = f"too many pages for an annual report ({count} > {max_pages})"
            return AttachmentText(text="", kind="pdf", pages=count, reason=reason)
        deadline = time.monotonic() + time_limit
        texts: list[str] = []
        for page in pdf.pages:
            if time.monotonic() > deadline:
                reason = f"text extraction took over {time_limit:g} s ({len(texts)} of {count} pages read)"
                return AttachmentText(text="", kind="pdf", pages=count, reason=reason)
            texts.append(page.extract_text() or "")
            page.close()  # drop the page's parsed objects as we go
    text = "\n".join(texts)
    return _judged(text, pages=count)


def _judged(text: str, *, pages: int) -> AttachmentText:
    """The PDF's text, unless it has none worth parsing (a scan, or glyphs without Unicode).

    >>> _judged(" \\n", pages=3).reason
    'no text layer (scanned PDF; OCR not supported)'
    >>> _judged("(cid:12)(cid:40) 2024", pages=1).reason
    'text layer without Unicode mapping ((cid:N) glyphs; OCR not supported)'
    >>> _judged("报告", pages=1).text
    '报告'
    """
    visible = _SPACE.sub("", text)
    if not visible:
        return AttachmentText(text="", kind="pdf", pages=pages, reason=REASON_SCANNED)
    glyphs = sum(len(m) for m in _CID_GLYPH.findall(visible))
    if glyphs * 2 > len(visible):  # mostly unmapped glyphs: the "text" is glyph ids, not words
        reason = "text layer without Unicode mapping ((cid:N) glyphs; OCR not supported)"
        return AttachmentText(text="", kind="pdf", pages=pages, reason=reason)
    return AttachmentText(text=text, kind="pdf", pages=pages)


# --------------------------------------------------------------------------------------------- DOCX


def _zip_text(body: bytes) -> AttachmentText:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = set(archive.namelist())
            if _DOCX_PART not in names:
                what = "OFD" if "OFD.xml" in names else "a ZIP archive that is not a Word document"
                return AttachmentText(text="", kind=None, reason=f"{REASON_UNSUPPORTED}: {what}")
            size = archive.getinfo(_DOCX_PART).file_size
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        return _corrupt("docx", f"damaged or truncated DOCX: {exc}")
    if size > MAX_DOCX_XML_BYTES or total > MAX_DOCX_BYTES:  # python-docx inflates every part
        reason = f"document too large ({size} bytes of text XML, {total} bytes inflated)"
        return AttachmentText(text="", kind="docx", reason=reason)
    import docx  # imported on first use

    try:
        document = docx.Document(io.BytesIO(body))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors… on damaged parts
        return _corrupt("docx", f"damaged DOCX: {type(exc).__name__}: {exc}")
    _mark_scripts(document.element.body)
    lines = list(_block_lines(document.element.body, document))
    text = "\n".join(lines)
    if not text:
        return AttachmentText(text="", kind="docx", reason="no text in the document (images only?)")
    return AttachmentText(text=text, kind="docx")


def _block_lines(element: Any, parent: Any) -> Iterator[str]:
    """Lines of a body or cell: paragraphs and tables in order (content controls opened up)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == _W + "p":
            for line in Paragraph(child, parent).text.split("\n"):  # w:br breaks a line, as <br>
                collapsed = _SPACE.sub(" ", line).strip()
                if collapsed:
                    yield collapsed
        elif child.tag == _W + "tbl":
            yield from _table_lines(Table(child, parent))
        elif child.tag == _W + "sdt":
            for content in child.iterchildren(_W + "sdtContent"):
                yield from _block_lines(content, parent)


def _mark_scripts(body: Any) -> None:
    """Digits in superscript/subscript runs become superscript/subscript characters (footnote marks, as
    htmlgrid writes ``<sup>``): a run ``3001`` and a superscript run ``1`` read ``3001¹``, not 30011."""
    tables = {"superscript": SUP_DIGITS, "subscript": SUB_DIGITS}
    for align in body.iter(_W + "vertAlign"):
        table = tables.get(align.get(_W + "val"))
        run = align.getparent().getparent()  # w:vertAlign in w:rPr in w:r
        if table is None or run is None or run.tag != _W + "r":
            continue
        for node in run.iter(_W + "t"):
            if node.text:
                node.text = node.text.translate(table)


def _cell_text(cell: Any) -> str:
    """A cell's text on one line: paragraphs join with nothing (``本年新`` + ``制作数量``), as htmlgrid,
    but two numbers in two paragraphs stay apart (``1`` + ``2`` is ``1 2``, never 12)."""
    joined = join_cell_lines([text for p in cell.paragraphs if (text := p.text)])
    return _SPACE.sub(" ", joined).strip().replace("|", "｜")


def _table_lines(table: Any) -> Iterator[str]:
    rows = [row.cells for row in table.rows]  # merged cells repeat per grid position
    if any(cell.tables for cells in rows for cell in cells):  # a layout table: cells are blocks
        seen: set[Any] = set()  # a merged cell appears once per grid position: emit it once
        for cells in rows:
            for cell in cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    yield from _block_lines(cell._tc, cell)
        return
    texts: dict[Any, str] = {}  # a merged cell's text is read once, repeated per grid position
    for cells in rows:  # blank rows stay, as htmlgrid keeps them
        values = [texts.get(c._tc) or texts.setdefault(c._tc, _cell_text(c)) for c in cells]
        yield " | ".join(values) + " |"
