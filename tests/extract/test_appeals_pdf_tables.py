"""表四 as pdfplumber ``extract_tables`` prints it (each row ``a | b | c |``, a row opening with "|" only
when its first cell is empty): the header's column words stand on two lines, 行政复议's 结果维持 … 总计
spanning both header rows (printed in the upper one, beside 未经复议直接起诉) and the two 行政诉讼 groups'
in the lower one.  Written from sd-sunjiatuan-2020 v2 (the seed-7 draw's ``pdf_tables`` class), whose
行政复议 结果维持 is blank: 13 cells were left unread.  A row whose 15 fields are printed under a header
is read by position, an empty field a blank cell — never one column off."""

from __future__ import annotations

import gxbg
from gxbg.evaluate.corpus import CASES
from gxbg.evaluate.grid import Grid, blocks
from gxbg.evaluate.truth import load_cases
from gxbg.extract import vocab
from gxbg.extract.model import Meaning
from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.text import prepare_lines
from tests.report_json import report_json

_WORDS = list(vocab.APPEAL_HEADER_WORDS)


def _pdf_table(*, phantom: bool = False) -> list[str]:
    """The sunjiatuan 表四 as pdfplumber prints it; ``phantom``: with an empty grid column (Word's, no
    header) after 行政复议's 总计."""
    gap = [""] if phantom else []
    rows = [
        ["行政复议", "", "", "", "", *gap, "行政诉讼", *[""] * 9],
        [*_WORDS, *gap, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *gap, *_WORDS, *_WORDS],
        ["", "0", "30", "5", "35", *gap, "3", "30", "7", "64", "104", "", "0", "0", "0", "0"],
    ]
    return [" | ".join(row) + " |" for row in rows]


_TRUTH = [
    ["", "0", "30", "5", "35"],
    ["3", "30", "7", "64", "104"],
    ["", "0", "0", "0", "0"],
]


def _read(lines: list[str]) -> list[list[tuple[str, Meaning, int | None]]]:
    table = parse_appeals(prepare_lines("\n".join(lines) + "\n"))
    assert table is not None
    return [[(c.raw, c.meaning, c.value) for c in group] for group in table.grid]


def test_header_words_on_two_lines_place_a_row_opening_with_a_blank_cell() -> None:
    got = _read(_pdf_table())
    assert [[raw for raw, _, _ in group] for group in got] == _TRUTH
    assert got[0][0] == ("", Meaning.BLANK, None)  # 行政复议 结果维持: blank, not 0
    assert got[0][1] == ("0", Meaning.ZERO, 0)
    assert got[2][0] == ("", Meaning.BLANK, None)


def test_a_phantom_column_and_a_blank_first_cell_are_not_one_column_off() -> None:
    # the row has 16 fields: dropping its opening blank leaves 15 values, the phantom's blank among
    # them, which a run read by position would take one column over (行政复议 0 30 5 35 and a blank)
    got = _read(_pdf_table(phantom=True))
    assert [[raw for raw, _, _ in group] for group in got] == _TRUTH


def test_a_row_wider_than_its_header_is_not_read_by_position() -> None:
    # markdown: the header names the 15 columns, the row prints 16 fields (an empty first one and a
    # phantom's after 行政复议's 总计): a blank label column or a blank first cell?  Not read.
    header = "| " + " | ".join(_WORDS * 3) + " |"
    row = "|  | 0 | 30 | 5 | 35 |  | 3 | 30 | 7 | 64 | 104 |  | 0 | 0 | 0 | 0 |"
    got = _read([header, row])
    truth = [v for group in _TRUTH for v in group]
    for (raw, meaning, value), printed in zip([c for g in got for c in g], truth, strict=True):
        if value is not None or meaning is Meaning.BLANK:
            assert raw == printed, (raw, printed)


def _report(appeals: list[str]) -> str:
    """js-huaian-2024 as pdfplumber rows (each grid row ``a | b |``), its 表四 printed as ``appeals``."""
    spec = next(s for s in load_cases(CASES) if s.case_id == "js-huaian-2024")
    lines: list[str] = []
    for block in blocks(spec):
        if not isinstance(block, Grid):
            lines.append(block)
        elif block.kind == "appeals":
            lines += appeals
        else:
            lines += [" | ".join(row) + " |" for row in block.expanded()]
    return "\n".join(lines) + "\n"


def test_the_report_reads_the_pdf_table() -> None:
    cells = report_json(gxbg.parse_report(_report(_pdf_table())))["cells"]
    got = {(c["row"], c["col"]): c for c in cells if c["table"] == "appeals"}
    for group, printed in zip(vocab.APPEAL_GROUPS, _TRUTH, strict=True):
        for col, text in zip(vocab.APPEAL_COLUMNS, printed, strict=True):
            cell = got[(group, col)]
            assert cell["value"] == (int(text) if text else None), (group, col, cell)
            assert cell["meaning"] == ("blank" if not text else "zero" if text == "0" else "number")
