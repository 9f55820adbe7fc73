"""Glued cells the text determines, read (extractor 1.7.0).

In the ``glued`` corpus class (a text dump whose cells run together and whose blank cells print
nothing) some cells were left empty although only one reading of the text keeps the form's rules
(gxbg.evaluate.determined finds no witness for them).  Each input below is written from such a case of
the accuracy corpus (its own figures); each test also shows what must stay empty: a cell is read only
when every reading that keeps the rules gives it the same text, a blank and a ``0`` apart.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import gxbg
from gxbg.extract.model import FormatVersion, Meaning
from gxbg.extract.tables._digits import only_reading
from gxbg.extract.tables._readings import group_readings
from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.decode import decode_appeals

#: 表四's header as a glued dump prints it: its cells run together on one line, ending in 总计
_HEADER = (
    (1, "四、政府信息公开行政复议、行政诉讼情况"),
    (2, "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
     "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"),
)  # fmt: skip


def _grid(digits: str, header: tuple[tuple[int, str], ...] = _HEADER) -> list[list[str | None]]:
    """表四's cells read from ``digits`` under ``header`` (``None``: no value read)."""
    table = parse_appeals((*header, (len(header) + 1, digits)))
    assert table is not None
    return [[c.raw if c.meaning is not Meaning.TEXT else None for c in group] for group in table.grid]


def test_glued_appeals_read_the_groups_one_reading_decides() -> None:
    # tj-ningyuan-2020 (v9): 1001 288 _ _ 1289 and 1 0 0 1288 1289 both add up, so 复议's results stay
    # empty; its 总计 and both 诉讼 groups are the same in every reading of the whole run
    grid = _grid("10012881289301510514130013044853484")
    assert grid == [
        [None, None, None, None, "1289"],
        ["30", "1", "5", "105", "141"],
        ["3001", "30", "448", "5", "3484"],
    ]


def test_a_glued_appeals_line_shorter_than_15_digits_under_its_header() -> None:
    # ha-longting-2019 (v11): 14 digits for 15 cells, a blank vanished: 7 1 448 _ 456 with the blank
    # anywhere among the four results, then 2 0 2 … (several ways) — the 456 is the only 总计 that adds up
    grid = _grid("71448456202000")
    assert grid[0] == [None, None, None, None, "456"]
    assert grid[1:] == [[None] * 5] * 2
    # a short digit line that is not under 表四's header is no 表四 (a page number, a year, a note's)
    assert _grid("71448456202000", ((1, _HEADER[0][1]), (2, "（见附表）"))) == [[None] * 5] * 3


def test_zeros_around_a_glued_group_do_not_fix_it() -> None:
    # ha-longting-2019: 0 0 0 0 0 | 2 0 0 0 2 | 0 0 0 0 0 prints 000002000200000, and so does
    # 0 0 0 0 0 | 2000 _ _ _ 2000 | _ _ _ 0 0 (blanks print nothing): no cell of the 诉讼 groups is
    # decided, and 复议's zeros may be blanks
    witness = ["0", "0", "0", "0", "0", "2000", "", "", "", "2000", "", "", "", "0", "0"]
    assert "".join(witness) == "000002000200000"
    assert all(sum(map(int, filter(None, witness[g : g + 4]))) == int(witness[g + 4]) for g in (0, 5, 10))
    groups, note = decode_appeals("000002000200000")
    assert groups == (None, None, None)
    assert "several readings add up" in note
    direct = group_readings(("000002000200000",), 5, 3)[1]  # type: ignore[index]
    assert {("2", "0", "0", "0", "2"), ("2000", "", "", "", "2000")} <= set(direct)
    assert _grid("000002000200000") == [[None] * 5] * 3


def test_group_readings_are_bounded() -> None:
    assert group_readings(("1" * 60,), 5, 3) is None  # out of bounds: no reading, never a guess
    groups, note = decode_appeals("1" * 45)
    assert groups == (None, None, None)
    assert note


#: nx-yinchuan-shizheng-2020's 表三 glued (its own figures): its （七）总计 row prints 0000001, which
#: does not add up (six zeros, a total of 1), and cuts into seven cells one way only
_YINCHUAN = "\n".join(
    [
        "银川市2020年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人"
        "法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他",
        "一、本年新收政府信息公开申请数量1000001",
        "二、上年结转政府信息公开申请数量0000000",
        "三、本年度办理结果（一）予以公开1000001",
        "三、本年度办理结果（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000",
        *(
            f"三、本年度办理结果（三）不予公开{label}0000000"
            for label in (
                "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                "7.属于行政执法案卷", "8.属于行政查询事项",
            )
        ),
        *(
            f"三、本年度办理结果（四）无法提供{label}0000000"
            for label in (
                "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
            )
        ),
        *(
            f"三、本年度办理结果（五）不予处理{label}0000000"
            for label in (
                "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                "5.要求行政机关确认或重新出具已获取信息",
            )
        ),
        "三、本年度办理结果（六）其他处理0000000",
        "三、本年度办理结果（七）总计0000001",
        "四、结转下年度继续办理0000000",
    ]
)  # fmt: skip


def test_a_glued_row_cut_one_way_is_read_as_printed_even_when_it_does_not_add_up() -> None:
    # zeros cannot merge (00 is no number) and a vanished blank would need a piece like 01
    assert only_reading("0000001") == ("0", "0", "0", "0", "0", "0", "1")
    report = gxbg.parse_report(_YINCHUAN)
    data = gxbg.report_to_dict(report, gxbg.validate(report))
    values = {(c["row"], c["col"]): c["value"] for c in data["cells"] if c["table"] == "requests"}
    assert [values[("total", col)] for col in _COLS] == [0, 0, 0, 0, 0, 0, 1]
    row = next(k for k in data["checks"] if k["rule"] == "T3-ROW" and k["scope"] == "total")
    assert row["status"] == "FAIL"  # the printed table does not add up, and the check says so
    # the faulty row decides nothing else: 1000001 (1 0 0 0 0 0 1, or 10 0 0 0 0 1 and a blank) would
    # rest on T3-BAL/T3-SUM with a 总计 row that breaks T3-ROW — not read
    assert all(values[("received", col)] is None for col in _COLS)
    # a row that cuts several ways is still read by the arithmetic only
    assert only_reading("1000001") is None


def test_a_glued_proactive_table_labelled_as_2021_prints_is_read_under_2021() -> None:
    # js-hongze-2024 flattened: no header word of either form, 表三 with one （六）其他处理 row (2019's
    # shape), and every 表二 run cuts into 2019's columns too (blank cells vanish); 行政规范性文件 is
    # the 2021 form's label (2019's reads 规范性文件), so the table is read under 2021
    text = (Path(__file__).resolve().parents[1] / "cases" / "js-hongze-2024" / "clean.txt").read_text(
        encoding="utf-8"
    )
    start, end = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
    glued = "规章000\n行政规范性文件308\n行政许可9487\n行政处罚2776\n行政强制84\n行政事业性收费7545\n"
    report = gxbg.parse_report(text[:start] + "二、主动公开政府信息情况\n" + glued + text[end:])
    assert report.format is FormatVersion.V2021
    assert report.needs_review
    assert report.proactive is not None
    got = {(c.row, c.col): c.raw for c in report.proactive.cells}
    assert [got[("rules", col)] for col in ("issued", "repealed", "in_force")] == ["0", "0", "0"]
    assert got[("licensing", "decisions")] == "9487"
    assert got[("fees", "amount_10k_yuan")] == "7545"
    # 308 in three columns: 3 0 8, 30 _ 8, 3 08 _ is none (08 is no count), 308 _ _ … — not read
    assert not any(key == "normative_docs" for key, _ in got)
    # labelled as 2019 prints it, the same rows tell no form: not read under a guess
    report = gxbg.parse_report(
        text[:start] + "二、主动公开政府信息情况\n" + glued.replace("行政规范", "规范") + text[end:]
    )
    assert report.proactive is None


_COLS = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")


@st.composite
def _appeals(draw: st.DrawFn) -> list[str]:
    """15 printed cells of 表四 adding up in each group, some blank (a blank counts 0)."""
    cells: list[str] = []
    for _ in range(3):
        results = draw(st.lists(st.one_of(st.just(""), st.integers(0, 40).map(str)), min_size=4, max_size=4))
        total = sum(int(c) for c in results if c)
        cells += [*results, draw(st.sampled_from([str(total)] + ([""] if total == 0 else [])))]
    return cells


@settings(max_examples=300, deadline=None)
@given(_appeals())
def test_a_glued_appeals_cell_is_read_as_printed_or_not_at_all(cells: list[str]) -> None:
    digits = "".join(cells)
    if not digits:
        return
    groups, _ = decode_appeals(digits)
    for g, group in enumerate(groups):
        for c, text in enumerate(group or ()):
            if text is not None:
                assert text == cells[g * 5 + c], (digits, groups)
