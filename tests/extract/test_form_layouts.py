"""表三/表四 in the layouts issue 10 saw on real reports, rendered from our cases (tests/extract/variants.py).

Every case × every failure class: the extractor reads the case's own numbers, never a different one
(0 wrong), keeps a printed blank blank, does not flip the format, and says how each cell was read.
Where the arithmetic cannot decide a glued row, the cells stay without a value and the check's note
lists the candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxbg
from gxbg.extract.model import AnnualReport
from gxbg.extract.tables import decode
from gxbg.extract.text import compact, prepare_lines
from tests.extract import variants
from tests.report_json import report_json

NUMBER_RUNS = re.compile(r"[+-]?[\d,]+")
CASES = Path(__file__).resolve().parents[1] / "cases"
CASE_DIRS = sorted(p for p in CASES.iterdir() if (p / "clean.txt").is_file())
CLASSES: dict[str, Callable[[AnnualReport], str]] = {
    "markdown_groups": variants.markdown_groups,
    "mangled": variants.mangled,
    "glued": variants.glued,
    "heading_typo": variants.heading_typo,
    "no_headings": variants.no_headings,
    "word_phantom": variants.word_phantom,
    "phantom_text": variants.phantom_text,
}
#: the method every 表三 row is read by, per class (the strictest reading the layout allows)
METHODS = {
    "markdown_groups": {"row"},
    "mangled": {"row", "order"},
    "glued": {"decoded"},
    "heading_typo": {"row"},
    "no_headings": {"row"},
    "word_phantom": {"grid"},
    "phantom_text": {"decoded"},
}
APPEAL_METHODS = {"glued": {"decoded"}, "word_phantom": {"grid"}, "phantom_text": {"decoded"}}
#: the classes read by the arithmetic, where a row it cannot decide stays unread
DECODED = {"glued", "phantom_text"}


def _original(case: Path) -> AnnualReport:
    return gxbg.parse_report((case / "clean.txt").read_text(encoding="utf-8"))


def _parse(name: str, text: str) -> dict[str, Any]:
    report = gxbg.parse_html(text) if name == "word_phantom" else gxbg.parse_report(text)
    return report_json(report)


def _table_cells(data: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(c["table"], c["row"], c["col"]): c for c in data["cells"] if c["table"] != "proactive"}


@pytest.mark.parametrize("name", sorted(CLASSES))
@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_each_class_reads_the_case_numbers_and_no_other(case: Path, name: str) -> None:
    original = _original(case)
    expected = _table_cells(report_json(original))
    got_data = _parse(name, CLASSES[name](original))
    got = _table_cells(got_data)
    assert got_data["format"] == str(original.format)  # a markdown layout never flips to pre2019
    assert set(got) == set(expected)
    unread = []
    for key, want in expected.items():
        cell = got[key]
        if name == "mangled" and key == ("requests", "received", "total"):  # printed blank: stays blank
            assert (cell["meaning"], cell["value"], cell["raw"]) == ("blank", None, "")
            continue
        if cell["value"] is None and want["value"] is not None:
            unread.append(key)
            continue
        assert (cell["meaning"], cell["value"]) == (want["meaning"], want["value"]), key
    if name not in DECODED:
        assert unread == []
    # a row the arithmetic cannot decide says why on its check, with the candidates
    notes = _notes(got_data)
    for table, row, _ in unread:
        assert notes[("T3-ROW" if table == "requests" else "T4-SUM"), row]
    rows = {c["row"]: c["method"] for c in got.values() if c["table"] == "requests"}
    # a decoded class may read nothing of a table whose print does not add up (nx-yinchuan's 表三)
    read_by = set(rows.values()) - {""}
    assert read_by <= METHODS[name] if name in DECODED else read_by == METHODS[name]
    appeals = {c["method"] for c in got.values() if c["table"] == "appeals"}
    assert appeals == APPEAL_METHODS.get(name, {"position"})
    # a row not read ("") has every cell unread; a decoded row may leave the cells its readings
    # disagree on unread
    unread_rows = {row for table, row, _ in unread if table == "requests"}
    assert {row for row, method in rows.items() if method == ""} <= unread_rows
    assert all(rows[row] in ("", "decoded") for row in unread_rows)


def _notes(data: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (c["rule"], c["scope"]): c["note"]
        for c in data["checks"]
        if "glued digits" in c["note"] or " belong" in c["note"]
    }


def test_glued_rows_decode_by_the_arithmetic_and_an_ambiguous_group_stays_unread() -> None:
    """js-huaian-2024 glued: 表三 decodes whole; 表四's third group (12 1 1 6 20 → "1211620") has three
    readings that add up (1+2+1+16, 1+2+11+6, 12+1+1+6), so its four results stay without a value (its
    总计 20 is the same in every reading: read) and T4-SUM says UNCERTAIN with the three candidates."""
    data = _parse("glued", variants.glued(_original(CASES / "js-huaian-2024")))
    cells = _table_cells(data)
    assert all(
        c["method"] == "decoded" and c["value"] is not None for k, c in cells.items() if k[0] == "requests"
    )
    assert cells["requests", "received", "natural_person"]["raw"] == "3001"
    third = [c for k, c in cells.items() if k[:2] == ("appeals", "litigation_after_review")]
    assert [(c["meaning"], c["value"]) for c in third] == [("text", None)] * 4 + [("number", 20)]
    assert [c["value"] for k, c in cells.items() if k[:2] == ("appeals", "review")] == [72, 64, 178, 37, 351]
    check = next(
        c for c in data["checks"] if c["rule"] == "T4-SUM" and c["scope"] == "litigation_after_review"
    )
    assert check["status"] == "UNCERTAIN"
    assert "12 1 1 6 20" in check["note"]
    assert "1 2 11 6 20" in check["note"]
    assert "1 2 1 16 20" in check["note"]


def test_a_glued_table_that_does_not_add_up_is_not_decoded() -> None:
    """js-hongze-2023's printed 表四 totals are 0 (a real error): no split adds up, nothing is guessed."""
    data = _parse("glued", variants.glued(_original(CASES / "js-hongze-2023")))
    cells = _table_cells(data)
    assert all(c["value"] is None for k, c in cells.items() if k[0] == "appeals")
    assert "no reading adds up" in _notes(data)["T4-SUM", "review"]


def test_a_glued_row_that_cuts_one_way_is_read_as_printed() -> None:
    """nx-yinchuan-2020's (七)总计 prints 0 0 0 0 0 0 1 (a real error).  Glued, "0000001" cuts into the
    row's seven cells one way only — zeros cannot merge (``00`` is no number) and a vanished blank would
    need a piece like ``01`` — so it is read as printed, and its check says it does not add up."""
    data = _parse("glued", variants.glued(_original(CASES / "nx-yinchuan-shizheng-2020")))
    assert data["tables"]["requests"]["rows"]["total"] == [0, 0, 0, 0, 0, 0, 1]
    row = next(c for c in data["checks"] if c["rule"] == "T3-ROW" and c["scope"] == "total")
    assert row["status"] == "FAIL"


def test_cross_row_rules_decide_a_row_its_own_sum_cannot() -> None:
    """ "110000011" adds up two ways (11 0 0 0 0 0 11 and 1 10 0 0 0 0 11); T3-BAL with T3-SUM picks one."""
    assert decode.split_row("1010002") == [("1", "0", "1", "0", "0", "0", "2")]
    two = decode.split_row("110000011")
    assert two is not None
    assert set(two) == {
        ("1", "10", "0", "0", "0", "0", "11"),
        ("11", "0", "0", "0", "0", "0", "11"),
    }
    rows = ("received", "carried_in", "disclosed", "total", "carried_out")
    zero = (0,) * 7
    known = {"carried_in": zero, "carried_out": zero, "disclosed": (11, 0, 0, 0, 0, 0, 11)}
    accepted, notes = decode.decode_requests(rows, known, {"received": "110000011", "total": "110000011"})
    assert accepted == {
        "received": ("11", "0", "0", "0", "0", "0", "11"),
        "total": ("11", "0", "0", "0", "0", "0", "11"),
    }
    assert notes == {}
    # without the outcome rows the balance alone cannot tell 1+10 from 11+0: those two cells stay
    # unread, the cells both readings agree on are read
    accepted, notes = decode.decode_requests(
        rows[:2] + rows[3:],
        {"carried_in": zero, "carried_out": zero},
        {"received": "110000011", "total": "110000011"},
    )
    assert accepted == {
        "received": (None, None, "0", "0", "0", "0", "11"),
        "total": (None, None, "0", "0", "0", "0", "11"),
    }
    assert "several readings pass every rule" in notes["received"]


def test_the_decoder_is_bounded_on_long_digit_runs() -> None:
    assert decode.split_row("1" * (decode.MAX_DIGITS + 1)) is None  # too long: not tried
    found = decode.split_row("1" * decode.MAX_DIGITS)  # a worst case within the cap: answers, bounded
    assert found is None or len(found) <= decode.MAX_CANDIDATES + 1
    groups, note = decode.decode_appeals("1" * 60)
    assert groups == (None, None, None)
    assert note


def test_the_order_method_places_label_less_rows_only_between_labelled_rows() -> None:
    original = _original(CASES / "js-huaian-2024")
    data = _parse("mangled", variants.mangled(original))
    methods = {c["row"]: c["method"] for c in data["cells"] if c["table"] == "requests"}
    assert methods["carried_in"] == "order"
    assert methods["carried_out"] == "order"  # after the last labelled row: its label printed, it adds up
    assert methods["received"] == "row"


# ---------------------------------------------------------------- every accepted number is printed


def _printed_everywhere(text: str, data: dict[str, Any]) -> None:
    """Every 表三/表四 cell with a value prints that value, digit for digit, on its own input line."""
    lines = dict(prepare_lines(text))
    for cell in data["cells"]:
        if cell["table"] == "proactive" or cell["value"] is None:
            continue
        raw = compact(cell["raw"])
        assert int(raw.replace(",", "")) == cell["value"], cell
        # digit for digit inside one run of digits as printed on its line (spaces are never removed)
        assert any(raw in run for run in NUMBER_RUNS.findall(lines[cell["line"]])), cell


TEXTS = [
    (name, render(_original(case)))
    for case in CASE_DIRS
    for name, render in sorted(CLASSES.items())
    if name != "word_phantom"
]
DIGITS_AND_MARKS = st.sampled_from(list("0123456789012345678901234567890 | \n-/"))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(TEXTS),
    st.lists(
        st.tuples(st.integers(0, 20_000), st.integers(0, 6), st.text(alphabet=DIGITS_AND_MARKS, max_size=4)),
        min_size=1,
        max_size=10,
    ),
)
def test_mutated_layouts_never_yield_a_number_not_printed(
    item: tuple[str, str], edits: list[tuple[int, int, str]]
) -> None:
    _, text = item
    # mutate inside the tables (after section 三's heading): digits dropped, doubled, glued, split
    start = text.find("收到和处理政府信息公开申请")
    start = max(start, 0)
    for pos, cut, insert in edits:
        pos = start + pos % (len(text) - start + 1)
        text = text[:pos] + insert + text[pos + cut :]
    try:
        data = report_json(gxbg.parse_report(text))
    except gxbg.ParseError:
        return
    _printed_everywhere(text, data)


@pytest.mark.parametrize("item", TEXTS, ids=[f"{i}-{n}" for i, (n, _) in enumerate(TEXTS)])
def test_every_rendered_layout_prints_what_it_reads(item: tuple[str, str]) -> None:
    _printed_everywhere(item[1], report_json(gxbg.parse_report(item[1])))


def test_a_table_of_long_glued_runs_reads_nothing_and_says_why() -> None:
    """Hostile glued rows (40 digits each, any split adds up many ways): the search gives up per row,
    no number is read, and every row's T3-ROW note says why."""
    original = _original(CASES / "js-huaian-2024")
    text = variants.splice(original, [variants.ROW_LABELS[k] + "10" * 20 for k in original.requests.rows])  # type: ignore[union-attr]
    data = report_json(gxbg.parse_report(text))
    assert data["tables"]["requests"] is not None  # the table is there, its rows unread
    assert all(c["value"] is None for c in data["cells"] if c["table"] == "requests")
    notes = _notes(data)
    assert len([k for k in notes if k[0] == "T3-ROW"]) == len(original.requests.rows)  # type: ignore[union-attr]


# ---------------------------------------------------------------- structural mangling never reads wrong

MANGLES = ["none", "none", "none", "phantom", "page", "lost", "glue", "pair", "before", "after", "nolabel"]
REPORTS = [_original(case) for case in CASE_DIRS]


def _mangled(report: AnnualReport, pipe: bool, plan: list[tuple[str, int, str]], t4: tuple[int, str]) -> str:
    """表三 as rows (PDF text or markdown pipes), each mangled per ``plan`` (mangle, position, stray
    value); 表四 as one row, maybe with a stray value (``t4``: position, value; "" for none)."""
    sep = " | " if pipe else " "
    out = ["申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for (key, printed), (mangle, at, stray) in zip(variants.t3_rows(report), plan, strict=False):
        values, label = list(printed), variants.ROW_LABELS[key]
        if mangle == "lost":
            continue
        if mangle == "phantom":
            values.insert(at % (len(values) + 1), stray)
        if mangle == "page":
            values.append(stray)
        if mangle == "pair":
            k = at % (len(values) - 1)
            values[k : k + 2] = [values[k] + values[k + 1]]
        body = "".join(values) if mangle == "glue" else sep.join(values)
        body = f"| {body} |" if pipe else body
        row = f"| {label} {body}" if pipe else f"{label} {body}"
        out += {"before": [label, body], "after": [body, label], "nolabel": [body]}.get(mangle, [row])
    v4 = variants.t4_values(report)
    if t4[1]:
        v4.insert(t4[0] % 16, t4[1])
    out += [variants.HEAD4, "行政复议 行政诉讼", " ".join(variants.T4_COLS), " ".join(v4)]
    return variants.splice(report, out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(REPORTS))),
    st.booleans(),
    st.lists(
        st.tuples(st.sampled_from(MANGLES), st.integers(0, 20), st.sampled_from(["0", "1", "7", "12"])),
        min_size=25,
        max_size=25,
    ),
    st.tuples(st.integers(0, 15), st.sampled_from(["", "", "0", "3"])),
)
def test_structurally_mangled_tables_never_yield_a_wrong_number(
    index: int, pipe: bool, plan: list[tuple[str, int, str]], t4: tuple[int, str]
) -> None:
    """Labels floating or lost, rows lost, digits glued, stray values and page numbers: whatever is read
    is the case's own number in its own cell (a row the layout cannot place stays unread)."""
    report = REPORTS[index]
    truth = _table_cells(report_json(report))
    data = report_json(gxbg.parse_report(_mangled(report, pipe, plan, t4)))
    for key, cell in _table_cells(data).items():
        if cell["value"] is not None:
            assert key in truth, cell
            assert cell["value"] == truth[key]["value"], cell


def _word_page(report: AnnualReport, phantom: int, stray: str, blanks: set[tuple[int, int]]) -> str:
    """A Word-made page: 表三 with a header-less phantom grid column at value position ``phantom``
    holding ``stray`` in every row, and the cells in ``blanks`` (row, position) left blank."""

    def td(text: str, attrs: str = "") -> str:
        return f"<td{attrs}><p><span>{escape(text)}</span></p></td>"

    header = list(variants.T3_COLS)
    header.insert(phantom, "")
    rows = "<tr>" + td("说明", ' colspan="3"') + "".join(td(h) for h in header) + "</tr>"
    for r, (key, printed) in enumerate(variants.t3_rows(report)):
        values = ["" if (r, j) in blanks else v for j, v in enumerate(printed)]
        values.insert(phantom, stray)
        rows += (
            "<tr>" + td(variants.ROW_LABELS[key], ' colspan="3"') + "".join(td(v) for v in values) + "</tr>"
        )
    lines = report.source.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith(variants.HEAD3))
    end = next(i for i, ln in enumerate(lines) if ln.startswith(variants.HEAD5))
    paragraphs = "".join(f"<p>{escape(ln)}</p>" for ln in lines[:start])
    tail = "".join(f"<p>{escape(ln)}</p>" for ln in lines[end:])
    return (
        f"<html><body><div>{paragraphs}<p>{variants.HEAD3}</p><table>{rows}</table>{tail}</div></body></html>"
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(range(len(REPORTS))),
    st.integers(0, 7),
    st.sampled_from(["", "0", "1"]),
    st.sets(st.tuples(st.integers(0, 24), st.integers(0, 6)), max_size=6),
)
def test_word_tables_with_a_phantom_column_and_blanks_never_yield_a_wrong_number(
    index: int, phantom: int, stray: str, blanks: set[tuple[int, int]]
) -> None:
    """Read under the headers, the phantom column is skipped wherever it stands, a blank stays blank
    (never shifted into a neighbour's place), and every number is the case's own."""
    report = REPORTS[index]
    truth = _table_cells(report_json(report))
    data = report_json(gxbg.parse_html(_word_page(report, phantom, stray, blanks)))
    requests = [c for k, c in _table_cells(data).items() if k[0] == "requests"]
    assert requests
    for cell in requests:
        want = truth["requests", cell["row"], cell["col"]]
        assert cell["value"] is None or cell["value"] == want["value"], cell
        assert cell["method"] in ("grid", "row"), cell  # "row": the run agreed with the grid


def test_a_row_whose_last_two_values_ran_together_is_decoded_with_its_separators_kept() -> None:
    """js-huaian-2024 as PDF text, 本年新收 printed ``3001 53 0 0 61 43119`` (4 and 3119 glued)."""
    original = _original(CASES / "js-huaian-2024")
    out = [f"{variants.ROW_LABELS[k]} {' '.join(v)}" for k, v in variants.t3_rows(original)]
    out[0] = out[0].replace(" 4 3119", " 43119")
    text = variants.splice(original, [*out, variants.HEAD4, " ".join(variants.t4_values(original))])
    data = report_json(gxbg.parse_report(text))
    assert data["tables"]["requests"]["rows"]["received"] == [3001, 53, 0, 0, 61, 4, 3119]
    assert {c["method"] for c in data["cells"] if c["row"] == "received"} == {"decoded"}
