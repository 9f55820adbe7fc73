"""Glued 表二 (issue 10): whatever the figures and whichever blank cells vanish, a glued cell is read
as printed or not at all, and the rows never tell the other format (the printed cut is always one of
the cuts, so a cell every cut agrees on is the printed one)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gxbg.extract import vocab
from gxbg.extract.model import FormatVersion, Meaning
from gxbg.extract.tables.proactive import parse_proactive, shape_format
from gxbg.extract.text import prepare_lines
from tests.extract.render import PRO_ROWS

SCHEMAS = {FormatVersion.V2019: vocab.PROACTIVE_2019, FormatVersion.V2021: vocab.PROACTIVE_2021}


def _cell(kind: str) -> st.SearchStrategy[str | None]:
    count = st.integers(0, 3000).map(str)
    printed = {
        "count": count,
        "signed": st.one_of(count, st.integers(1, 60).map(lambda n: f"-{n}"), count.map(lambda s: f"+{s}")),
        "amount": st.one_of(count, st.tuples(count, st.integers(1, 99)).map(lambda t: f"{t[0]}.{t[1]}")),
    }[kind]
    return st.one_of(st.none(), printed, printed, printed)  # None: a blank cell, vanished when glued


@st.composite
def glued_tables(draw: st.DrawFn) -> tuple[FormatVersion, dict[tuple[str, str], str | None], str]:
    fmt = draw(st.sampled_from(sorted(SCHEMAS)))
    truth: dict[tuple[str, str], str | None] = {}
    lines = []
    for rows, columns in SCHEMAS[fmt].values():
        for key, _ in rows:
            cells = [draw(_cell(kind)) for _, kind in columns]
            truth.update({(key, col): text for (col, _), text in zip(columns, cells, strict=True)})
            if any(cells):
                label = PRO_ROWS[key]  # each row's label as the form prints it
                if key == "normative_docs" and fmt is FormatVersion.V2021:
                    label = "行政" + label  # 2021's own label
                lines.append(label + "".join(c for c in cells if c))
    return fmt, truth, "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(glued_tables())
def test_a_glued_row_is_read_as_printed_or_not_at_all(table: tuple[FormatVersion, dict, str]) -> None:  # type: ignore[type-arg]
    fmt, truth, text = table
    pro = parse_proactive(prepare_lines(text), fmt, glued=True)
    for cell in pro.cells if pro else ():
        if cell.meaning is Meaning.TEXT:  # cut otherwise by another reading: left unread, as it must be
            assert cell.value is None, (text, cell)
        else:  # a number, or a blank (vanished in every cut), exactly as printed
            assert (truth[(cell.row, cell.col)] or "") == cell.raw, (text, cell)
    assert shape_format(prepare_lines(text)) in (fmt, None), text
