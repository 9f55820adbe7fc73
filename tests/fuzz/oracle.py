"""The "every accepted number is printed in the input" oracle (issue 11, part 1).

For a report parsed from ``source`` (text, or HTML read through ``gxbg.extract.htmlgrid``):

* every table cell holding a value: the digits of its ``raw`` are one whole printed number (a maximal run
  of digits, with ``,``/``.`` between digits) on the input line the cell names, and ``value`` equals what
  ``raw`` says; a cell of a row the form's arithmetic decoded (method ``decoded``: digits printed with
  their separators lost, ``56 6 0 0 0 062``) is a run of digits inside one printed number on its line;
* every narrative quote and headline figure: its value is one whole printed number on the line it names,
  and that number's digits appear in its ``raw``;
* the report year is a whole printed number somewhere in the input.

"Printed" means in the text before normalisation, where only ASCII and fullwidth digits (U+FF10-FF19)
are digits: a superscript, a circled digit, an Arabic-Indic digit is not.  For HTML the line is a line of
the cleaner's text (``clean_page``, what ``parse_html`` reads), and the number must also be whole in the
page's markup with tags removed (block and cell tags, ``<br>``, ``<sup>``/``<sub>`` separate; inline and
unknown tags join, as in a browser).
"""

from __future__ import annotations

import html as html_lib
import re
from decimal import Decimal, InvalidOperation

from gxbg.clean import clean_page
from gxbg.extract.model import AnnualReport, TableKey

__all__ = ["printed_numbers", "violations"]

_WIDE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "\uff0c": ",",
        "\uff0e": ".",
        # zero-width characters show nothing: 754\u200b5 is printed 7545
        **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff")),
    }
)
# a printed number: digits, with single , or . between digits; maximal (the lookarounds)
_NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:[.,][0-9]+)*(?![0-9])")
# tags that separate text, as a browser shows it (blocks, cells, line breaks; <sup>/<sub> set their
# text apart); any other tag, known or not (``<span>``, ``</spa'x'>``), joins the text around it
_SEPARATING_TAGS = re.compile(
    r"</?(?:address|article|aside|blockquote|body|br|caption|center|dd|details|dialog|dir|div|dl|dt|"
    r"fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|html|legend|li|main|menu|nav|ol|p|pre|"
    r"section|summary|title|ul|table|tr|td|th|thead|tbody|tfoot|sup|sub|head|img|input|script)(?![^\s/>])[^>]*>",
    re.I,
)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def printed_numbers(text: str) -> set[str]:
    """The whole numbers printed in ``text``, separators removed (``1,204`` → ``1204``; ``3.5`` kept).

    >>> sorted(printed_numbers("申请95¹件, １２ 件, 1,204, 3168.06\\t56, ٣"))
    ['12', '1204', '3168.06', '56', '95']
    """
    return {m.group().replace(",", "") for m in _NUMBER.finditer(text.translate(_WIDE))}


def _strip_markup(page: str) -> str:
    """The page's text with tags removed: separating tags become a space, others go; closed comments and
    styles go (scanned with ``str.find``: linear on hostile markup)."""
    out: list[str] = []
    i = 0
    lower = page.translate(_ASCII_LOWER)  # same length as the page (str.lower is not always)
    unclosed: set[str] = set()
    while True:
        j = page.find("<", i)
        if j < 0:
            out.append(page[i:])
            break
        out.append(page[i:j])
        # (scripts stay: a gkmlpt page carries its report as JSON in one, which the cleaner reads)
        for opener, closer in (("<!--", "-->"), ("<style", "</style")):
            if (
                lower.startswith(opener, j)
                and closer not in unclosed  # none after an earlier one: none after this one (linear)
                and ((k := lower.find(closer, j + len(opener))) >= 0 or unclosed.add(closer))
            ):
                # one left open hides the rest of the page from a browser but not from every parser
                # (lxml ends a script at any "</x"): its text is kept, so the oracle never blames a
                # parser for reading it
                i = k + len(closer)
                out.append(" ")
                break
        else:
            k = page.find(">", j)
            if k < 0:
                out.append(page[j:])
                break
            tag = page[j : k + 1]
            out.append(" " if _SEPARATING_TAGS.fullmatch(tag) else "")
            i = k + 1
    return html_lib.unescape("".join(out))


def _digits_of(raw: str) -> str | None:
    """The number in a cell's raw text, separators removed, or ``None`` when it holds not exactly one."""
    found = [m.group().replace(",", "") for m in _NUMBER.finditer(raw.translate(_WIDE))]
    return found[0] if len(found) == 1 else None


def _decoded_rows(report: AnnualReport) -> set[tuple[TableKey, str]]:
    """``(table, row)`` of the rows read by decoding glued digits with the form's arithmetic."""
    out: set[tuple[TableKey, str]] = set()
    if report.requests is not None:
        methods = zip(report.requests.rows, report.requests.row_methods, strict=False)
        out.update((TableKey.REQUESTS, row) for row, method in methods if method == "decoded")
    if report.appeals is not None and report.appeals.method == "decoded":
        out.update((TableKey.APPEALS, g) for g in report.appeals.groups)
    return out


def violations(
    source: str, report: AnnualReport, *, is_html: bool = False, text: str | None = None
) -> list[str]:
    """Every broken promise of ``report`` parsed from ``source``, as readable lines (``[]``: none).

    ``text``: the text the report was parsed from, whose lines the cells name, when not ``source``
    itself (nor, for HTML, the cleaner's text of ``source``)."""
    if text is None:  # parse_html reads a page through the cleaner, as the harvest does
        text = clean_page(source, url="http://localhost/").text if is_html else source
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    whole = printed_numbers(_strip_markup(source)) if is_html else None
    per_line: dict[int, set[str]] = {}

    def on_line(line: int | None) -> set[str]:
        if line is None or not 1 <= line <= len(lines):
            return set()
        if line not in per_line:
            per_line[line] = printed_numbers(lines[line - 1])
        return per_line[line]

    def printed(number: str, line: int | None) -> bool:
        return number in on_line(line) and (whole is None or number in whole)

    out: list[str] = []
    decoded = _decoded_rows(report)
    cells = []
    if report.proactive is not None:
        cells.extend(report.proactive.cells)
    if report.requests is not None:
        cells.extend(c for row in report.requests.grid for c in row if c is not None)
        cells.extend(report.requests.extra)
    if report.appeals is not None:
        cells.extend(c for row in report.appeals.grid for c in row)
    for cell in cells:
        if cell.value is None:
            continue
        where = f"{cell.table}:{cell.row}:{cell.col} line {cell.line} raw {cell.raw!r} value {cell.value}"
        digits = _digits_of(cell.raw)
        if digits is None:
            out.append(f"cell {where}: raw holds no single number")
            continue
        if (cell.table, cell.row) in decoded:
            if not any(digits in n for n in on_line(cell.line) if n.isdigit()) or (
                whole is not None and not any(digits in n for n in whole if n.isdigit())
            ):
                out.append(f"cell {where}: {digits} is not printed inside one number on that line")
        elif not printed(digits, cell.line):
            out.append(f"cell {where}: {digits} is not a whole number printed on that line")
        try:
            said = Decimal(digits)
        except InvalidOperation:
            out.append(f"cell {where}: raw is no number")
            continue
        if abs(Decimal(cell.value)) != said:
            out.append(f"cell {where}: value differs from raw")
    figures = [*report.narrative, *report.headline]
    for fig in figures:
        where = f"{type(fig).__name__} {fig.key} line {fig.line} raw {fig.raw!r} value {fig.value}"
        said = str(fig.value)  # compared as text: ``int`` refuses a 5,000-digit printed number
        candidates = [
            n for n in on_line(fig.line) if n.isdigit() and (n.lstrip("0") or "0") == said and n in fig.raw
        ]
        if fig.value != 0 and not candidates and not printed(str(fig.value), fig.line):
            out.append(f"figure {where}: not a whole number printed on that line")
        elif whole is not None and fig.value != 0 and not any(c in whole for c in candidates):
            out.append(f"figure {where}: not a whole number in the page")
    if report.year is not None and str(report.year) not in printed_numbers(text):
        out.append(f"year {report.year}: not a whole number printed in the input")
    return out
