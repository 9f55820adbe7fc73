"""Binary and HTML documents of the accuracy corpus: Word pages, DOCX, PDF — and pdfplumber's table view.

* :func:`plain_page` — the report as a portal page (the simulator's table geometry), read through the
  cleaner as the harvest reads it.
* :func:`word_page` — a Word-made HTML page: ``MsoNormal`` paragraphs, spans, ``<o:p>``, and a phantom
  column in 表三 (an empty grid column under a widened header, issue 10 "What we saw" 4).
* :func:`report_docx` — the report as a Word document with real merged cells (python-docx).
* :func:`report_pdf` — the report typeset by reportlab (a dev dependency, imported on use): wrapped
  paragraphs, ruled tables with spanned cells, a ``- N -`` footer per page.
* :func:`pdf_table_text` — the text a user gets from pdfplumber's own ``extract_tables``: each table
  row as ``a | b | c |``, the text outside tables as lines, in page order.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import zipfile
from typing import Any

from lxml import html as lxml_html

from gxbg.evaluate.grid import Block, Grid, blocks
from gxbg.sim.cases import ReportSpec
from gxbg.sim.pages import simple_detail
from gxbg.sim.render import report_body

FONT = "STSong-Light"
_FIXED_TIME = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)


def plain_page(spec: ReportSpec) -> str:
    """The report inside a portal detail page (``<div id="zoom">``), official spans, Word noise."""
    return simple_detail(spec.title, 'id="zoom"', report_body(spec, noise=True))


_WORD_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
    '<meta http-equiv=Content-Type content="text/html; charset=utf-8">\n'
    '<meta name=ProgId content=Word.Document>\n<meta name=Generator content="Microsoft Word 15">\n'
    "<title>{title}</title>\n<style><!-- p.MsoNormal {{margin:0cm;font-size:10.5pt;}} --></style>\n"
    "</head>\n<body lang=ZH-CN style='tab-interval:21.0pt'>\n<div class=WordSection1>\n"
)


def _phantom(table: Any, rng: random.Random, where: str | None = None) -> None:
    """Add an empty grid column to 表三's seven value columns, seeded: under a widened 总计, after 其他
    under an unnamed header cell, or under a widened 自然人."""
    rows = table.findall(".//tr")
    where = where or rng.choice(("total", "after_other", "person"))
    rows[0][1].set("colspan", "8")  # 申请人情况
    if where == "total":
        rows[1][-1].set("colspan", "2")  # 总计 (rowspan 2)
    elif where == "person":
        rows[1][0].set("colspan", "2")  # 自然人 (rowspan 2)
    else:
        rows[1][1].set("colspan", "6")  # 法人或其他组织
        rows[2].append(lxml_html.fromstring("<td><p class=MsoNormal><o:p>&nbsp;</o:p></p></td>"))
    for tr in rows[3:]:
        phantom = lxml_html.fromstring('<td style="width:2.1pt;padding:0"><p class=MsoNormal>&nbsp;</p></td>')
        tr.insert(len(tr) - (6 if where == "person" else 1), phantom)


def word_page(spec: ReportSpec, rng: random.Random, *, phantom: str | None = None) -> str:
    """A page saved from Word: MsoNormal paragraphs, spans and ``<o:p>``, a phantom column in 表三
    (``phantom``: ``total`` | ``after_other`` | ``person``; default drawn from ``rng``)."""
    body = lxml_html.fragment_fromstring(report_body(spec, noise=True), create_parent="div")
    tables = body.findall(".//table")
    _phantom(tables[1], rng, phantom)
    for p in body.iter("p"):
        p.set("class", "MsoNormal")
    for td in body.iter("td"):
        td.set("valign", "top")
        td.set("style", (td.get("style") or "") + ";border:solid windowtext 1.0pt;mso-border-alt:solid .5pt")
    inner = "".join(lxml_html.tostring(child, encoding="unicode") for child in body)
    return _WORD_HEAD.format(title=spec.title) + inner + "\n</div>\n</body>\n</html>\n"


def report_docx(spec: ReportSpec) -> bytes:
    """The report as Word: paragraphs, and the official tables with merged cells."""
    return blocks_docx(blocks(spec))


def blocks_docx(parts: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author, props.revision = "gxbg", 1
    props.created = props.modified = props.last_printed = _FIXED_TIME
    for block in parts:
        if not isinstance(block, Grid):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=block.height, cols=block.width)
        grid = table._cells  # once: python-docx's table.cell(r, c) walks the whole table each call
        for cell in block.cells:
            target = grid[cell.row * block.width + cell.col]
            target.text = cell.lines[0] if cell.lines else ""
            for extra in cell.lines[1:]:
                target.add_paragraph(extra)
        for cell in block.cells:  # merge after filling: each merge touches only its own span
            if cell.rowspan > 1 or cell.colspan > 1:
                last = (cell.row + cell.rowspan - 1) * block.width + cell.col + cell.colspan - 1
                grid[cell.row * block.width + cell.col].merge(grid[last])
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated ``_FIXED_TIME``: a seed gives the same DOCX bytes every time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


def _widths(grid: Grid, total: float) -> list[float]:
    if grid.kind == "requests":
        label = [0.12, 0.12, 0.26]
        return [total * w for w in label] + [total * 0.5 / 7] * 7
    return [total / grid.width] * grid.width


def report_pdf(spec: ReportSpec) -> bytes:
    """The report typeset as a PDF (reportlab, CID font STSong-Light), tables ruled, a footer per page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK", firstLineIndent=21
    )
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9, wordWrap="CJK")
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1, leftMargin=50, rightMargin=50, title=spec.title)
    story: list[Any] = []
    for block in blocks(spec):
        if not isinstance(block, Grid):
            story.append(Paragraph(_escape(block), body))
            continue
        data = [[""] * block.width for _ in range(block.height)]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for c in block.cells:
            data[c.row][c.col] = Paragraph("<br/>".join(_escape(x) for x in c.lines), cell)
            if c.rowspan > 1 or c.colspan > 1:
                style.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
        story += [Spacer(1, 6), Table(data, colWidths=_widths(block, A4[0] - 100), style=TableStyle(style))]
        story.append(Spacer(1, 6))

    def footer(canvas: Any, document: Any) -> None:
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_SPACES = re.compile(r"\s+")


def pdf_table_text(body: bytes) -> str:
    """Text outside tables as lines and each pdfplumber table row as ``a | b | c |``, in page order."""
    import pdfplumber

    lines: list[str] = []
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        for page in pdf.pages:
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                x, top = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= x <= b[2] and b[1] <= top <= b[3] for b in boxes)

            items: list[tuple[float, list[str]]] = [
                (line["top"], [line["text"]]) for line in page.filter(outside).extract_text_lines()
            ]
            for table in tables:
                rows = [
                    " | ".join(_SPACES.sub("", cell or "") for cell in row) + " |" for row in table.extract()
                ]
                items.append((table.bbox[1], rows))
            for _, chunk in sorted(items, key=lambda item: item[0]):
                lines.extend(chunk)
    return "\n".join(lines) + "\n"
