"""The codebook covers every cell the extractor reads from the golden cases (but the local 8th column)."""

from __future__ import annotations

from gxbg import parse_report
from gxbg.extract.codebook import LABELS, codebook, column_name
from gxbg.extract.vocab import SUBTOTAL_COLUMN
from tests.conftest import CASES
from tests.report_json import report_json


def test_every_golden_cell_has_a_codebook_column() -> None:
    columns = {entry.column: entry for entry in codebook()}
    seen = 0
    for case in sorted(CASES.glob("*/clean.txt")):
        report = report_json(parse_report(case.read_text(encoding="utf-8")))
        for cell in report["cells"]:
            if cell["col"] == SUBTOTAL_COLUMN:
                continue
            name = column_name(cell["table"], cell["row"], cell["col"])
            assert name in columns, (case.parent.name, cell["table"], cell["row"], cell["col"])
            assert report["format"] in columns[name].forms.split(), (case.parent.name, name)
            seen += 1
    assert seen > 8 * 150


def test_columns_are_unique_and_every_label_is_used() -> None:
    entries = codebook()
    assert len({e.column for e in entries}) == len(entries) == 226
    used = {f"{e.table}.{e.row}" for e in entries} | {f"{e.table}:{e.col}" for e in entries}
    assert used == set(LABELS)
