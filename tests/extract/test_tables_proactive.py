"""表二 where it is not printed as the form prints it: markdown without its 第二十条第（X）项 lines, and a
table under a sub-heading.  Inputs written from js-hongze-2023 (2021) and ha-longting-2019 (2019)."""

from __future__ import annotations

from pathlib import Path

import gxbg
from gxbg.extract.model import FormatVersion, Meaning, ProactiveDisclosure
from gxbg.extract.tables.proactive import locate_proactive, parse_proactive, shape_format
from gxbg.extract.text import prepare_lines

CASES = Path(__file__).resolve().parents[1] / "cases"

_HEADER3 = "| 信息内容 | 数据1 | 数据2 | 数据3 |\n|---|---|---|---|\n"
#: md_rowgroups / md_mangled: one small table per row under generic headers, no block lines
HONGZE_MD = "\n\n".join(
    _HEADER3 + row
    for row in (
        "| 规章 | 0 | 0 | 0 |",
        "| 行政规范性文件 | 0 | 5 | 5 |",
        "| 行政许可 | 550 |",
        "| 行政处罚 | 4119 |",
        "| 行政强制 | 195 |",
        "| 行政事业性收费 | 7730.28 |",
    )
)
LONGTING_MD = "\n\n".join(
    _HEADER3 + row
    for row in (
        "| 规章 | 0 | 0 | 0 |",
        "| 规范性文件 | 2 | 2 | 21 |",
        "| 行政许可 | 0 | 0 | 0 |",
        "| 其他对外管理服务事项 | 0 | 0 | 0 |",
        "| 行政处罚 | 0 | 0 | 0 |",
        "| 行政强制 | 0 | 0 | 0 |",
        "| 行政事业性收费 | 0 | 0 |",
        "| 政府集中采购 | 0 | 0 |",
    )
)


def _values(pro: ProactiveDisclosure | None) -> dict[tuple[str, str], str]:
    assert pro is not None
    return {(c.row, c.col): c.raw for c in pro.cells}


def test_markdown_rows_without_block_lines_are_read_by_their_labels() -> None:
    got = _values(parse_proactive(prepare_lines(HONGZE_MD), FormatVersion.V2021))
    assert got == {
        ("rules", "issued"): "0",
        ("rules", "repealed"): "0",
        ("rules", "in_force"): "0",
        ("normative_docs", "issued"): "0",
        ("normative_docs", "repealed"): "5",
        ("normative_docs", "in_force"): "5",
        ("licensing", "decisions"): "550",
        ("penalties", "decisions"): "4119",
        ("coercion", "decisions"): "195",
        ("fees", "amount_10k_yuan"): "7730.28",
    }
    got19 = _values(parse_proactive(prepare_lines(LONGTING_MD), FormatVersion.V2019))
    assert got19[("normative_docs", "public_total")] == "21"
    assert got19[("procurement", "amount")] == "0"
    assert len(got19) == 2 * 3 + 2 * 3 + 2 * 3 + 2 + 2


def test_rows_whose_shape_contradicts_the_format_are_not_read() -> None:
    # a 2021 table under a guessed 2019 format: 行政许可 prints one cell where 2019 has three
    assert parse_proactive(prepare_lines(HONGZE_MD), FormatVersion.V2019) is None
    assert parse_proactive(prepare_lines(LONGTING_MD), FormatVersion.V2021) is None
    # one number more than the block has columns: which one is extra is a guess
    extra = HONGZE_MD.replace("| 行政许可 | 550 |", "| 行政许可 | 550 | 3 |")
    assert parse_proactive(prepare_lines(extra), FormatVersion.V2021) is None


def test_labels_of_one_block_or_in_plain_text_are_not_a_table() -> None:
    one_block = _HEADER3 + "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 0 | 5 | 5 |"
    assert parse_proactive(prepare_lines(one_block), FormatVersion.V2021) is None
    plain = "规章 0 0 0\n行政规范性文件 0 5 5\n行政许可 550\n行政处罚 4119"
    assert parse_proactive(prepare_lines(plain), FormatVersion.V2021) is None


def test_a_table_under_a_sub_heading_is_located_by_its_block_lines() -> None:
    text = (CASES / "js-hongze-2023" / "clean.txt").read_text(encoding="utf-8")
    moved = text.replace("二、主动公开政府信息情况", "（二）主动公开政府信息情况")
    assert moved != text
    report = gxbg.parse_report(moved)
    assert report.format is FormatVersion.V2021  # the block header words are the format's evidence
    assert _values(report.proactive) == _values(gxbg.parse_report(text).proactive)
    region = locate_proactive(prepare_lines(moved))
    assert "第二十条" in region[0][1]
    assert "申请" not in "".join(t for _, t in region)


def test_no_block_line_locates_nothing() -> None:
    assert locate_proactive(prepare_lines("规章 0 0 0\n行政许可 550")) == ()


def test_the_shape_of_unmarked_rows_tells_the_format() -> None:
    assert shape_format(prepare_lines(HONGZE_MD)) is FormatVersion.V2021
    assert shape_format(prepare_lines(LONGTING_MD)) is FormatVersion.V2019
    # rows of 一 alone have three cells in both formats: no evidence
    one_block = _HEADER3 + "| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 0 | 5 | 5 |"
    assert shape_format(prepare_lines(one_block)) is None
    # with its block lines the header words tell the format, not the shape
    assert shape_format(prepare_lines("第二十条第（一）项\n" + HONGZE_MD)) is None


def test_a_markdown_report_without_header_words_takes_the_format_its_rows_fit() -> None:
    # js-hongze-2023 prints （六）其他处理 as one row: without 表二's header words the format was
    # guessed 2019 and 表二 left unread; its rows' shape says 2021
    text = (CASES / "js-hongze-2023" / "clean.txt").read_text(encoding="utf-8")
    start, end = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
    report = gxbg.parse_report(text[:start] + "二、主动公开政府信息情况\n" + HONGZE_MD + "\n" + text[end:])
    assert report.format is FormatVersion.V2021
    assert report.needs_review
    assert _values(report.proactive)[("licensing", "decisions")] == "550"


#: the glued class: a text dump where each row's label and numbers run together (cq-nanbin-2024)
NANBIN_GLUED = "规章000\n行政规范性文件000\n行政许可264\n行政处罚156\n行政强制0\n行政事业性收费7730.28"


def test_glued_rows_are_read_only_when_the_digits_split_one_way() -> None:
    got = _values(parse_proactive(prepare_lines(NANBIN_GLUED), FormatVersion.V2021, glued=True))
    assert got[("rules", "issued")] == "0"
    assert got[("normative_docs", "in_force")] == "0"
    assert got[("licensing", "decisions")] == "264"
    assert got[("fees", "amount_10k_yuan")] == "7730.28"
    # 0512 in three columns: 0 5 12, 0 51 2, or a blank vanished — not read
    ambiguous = _values(
        parse_proactive(
            prepare_lines(NANBIN_GLUED.replace("行政规范性文件000", "行政规范性文件0512")),
            FormatVersion.V2021,
            glued=True,
        )
    )
    assert ("normative_docs", "issued") not in ambiguous
    # under 2019 行政许可 has three columns: 264 splits several ways, 0 fills one column of three
    got19 = _values(parse_proactive(prepare_lines(NANBIN_GLUED), FormatVersion.V2019, glued=True))
    assert not {key for key, _ in got19} & {"licensing", "penalties", "coercion", "fees"}
    # not asked (the format is not shown by a version's words): not read
    assert parse_proactive(prepare_lines(NANBIN_GLUED), FormatVersion.V2021) is None


#: ha-longting-2019's 表二 glued, 2019 rows with a signed 本年增/减 (nx-yinchuan-shizheng-2020's fees)
LONGTING_GLUED = (
    "规章000\n规范性文件2221\n行政许可000\n其他对外管理服务事项000\n行政事业性收费4-3\n政府集中采购00"
)


def test_a_glued_sign_opens_the_signed_column_only() -> None:
    got = _values(parse_proactive(prepare_lines(LONGTING_GLUED), FormatVersion.V2019, glued=True))
    assert got[("fees", "prior_items")] == "4"
    assert got[("fees", "items_change")] == "-3"
    assert got[("procurement", "items")] == "0"
    # 2221 in three columns: 2 2 21, 2 22 1, 22 2 1 or a blank vanished — no rule of the form decides
    assert ("normative_docs", "made") not in got
    # 11-411 under 上一年项目数量 · 本年增/减 · 处理决定数量: 11 -4 11, 11 -41 1, 11 -411 and a blank, or
    # 11, a dash printed for nothing and 411 — every cut agrees on 上一年项目数量 11, on nothing else
    pro = parse_proactive(prepare_lines(LONGTING_GLUED + "\n行政处罚11-411"), FormatVersion.V2019, glued=True)
    assert pro is not None
    penalties = {c.col: c for c in pro.cells if c.row == "penalties"}
    assert (penalties["prior_items"].raw, penalties["prior_items"].value) == ("11", 11)
    for col in ("items_change", "decisions"):
        assert (penalties[col].meaning, penalties[col].value) == (Meaning.TEXT, None)
    # a sign where no column is signed is no sign: 规章0-10 is 0, a dash printed for nothing, 10
    rules = _values(
        parse_proactive(
            prepare_lines(LONGTING_GLUED.replace("规章000", "规章0-10")), FormatVersion.V2019, glued=True
        )
    )
    assert [rules[("rules", c)] for c in ("made", "published", "public_total")] == ["0", "-", "10"]


def test_the_glued_rows_tell_the_format_when_one_format_fits() -> None:
    # a decimal is no 2019 count (行政事业性收费 counts items in 2019, money in 2021)
    assert shape_format(prepare_lines(NANBIN_GLUED)) is FormatVersion.V2021
    # 其他对外管理服务事项 is no 2021 row, and 000 no 2021 单 cell
    assert shape_format(prepare_lines(LONGTING_GLUED)) is FormatVersion.V2019
    # every run fits both (js-hongze-2024 glued: a blank cell vanishes, so one count cuts into three
    # columns): the label 行政规范性文件, which only 2021 prints, tells; 规范性文件 (2019's) does not
    both = "规章000\n行政规范性文件308\n行政许可9487\n行政事业性收费7545"
    assert shape_format(prepare_lines(both)) is FormatVersion.V2021
    assert shape_format(prepare_lines(both.replace("行政规范性文件", "规范性文件"))) is None


def test_a_glued_report_without_header_words_takes_the_format_its_rows_fit() -> None:
    # js-hongze-2023 flattened: its 表三 prints （六）其他处理 as one row (2019's shape), 表二 lost its
    # header words; 行政事业性收费7730.28 fits 2021 only
    text = (CASES / "js-hongze-2023" / "clean.txt").read_text(encoding="utf-8")
    start, end = text.index("二、主动公开政府信息情况"), text.index("三、收到和处理政府信息公开申请情况")
    glued = "规章000\n行政规范性文件055\n行政许可550\n行政处罚4119\n行政强制195\n行政事业性收费7730.28\n"
    report = gxbg.parse_report(text[:start] + "二、主动公开政府信息情况\n" + glued + text[end:])
    assert report.format is FormatVersion.V2021
    assert report.needs_review
    got = _values(report.proactive)
    assert got[("licensing", "decisions")] == "550"
    assert got[("fees", "amount_10k_yuan")] == "7730.28"
    assert ("normative_docs", "issued") not in got  # 055: 0 5 5, 0 55 and a blank, …
