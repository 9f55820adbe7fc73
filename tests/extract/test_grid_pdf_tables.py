"""表三 as pdfplumber ``extract_tables`` prints it: each row ``a | b | c |`` (cells joined by " | "), so
a row opens with "|" only when its first cell is empty — not the markdown "| a | b |" — and the header's
column words stand on two lines (自然人 … 总计 above, 商业企业 … 其他 below).  Written from cq-nanbin-2024
(the corpus's ``pdf_tables`` class)."""

from __future__ import annotations

from gxbg.extract.checks.requests import check_request_table
from gxbg.extract.model import Status
from gxbg.extract.tables.requests import parse_requests
from gxbg.extract.text import prepare_lines

_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_OTHER1 = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
_OTHER2 = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
NANBIN_TABLES = "\n".join(
    [
        _NOTE + " |  |  | 申请人情况 |  |  |  |  |  |  |",
        " |  |  | 自然人 | 法人或其他组织 |  |  |  |  | 总计 |",
        " |  |  |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |",
        "一、本年新收政府信息公开申请数量 |  |  | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
        "二、上年结转政府信息公开申请数量 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "三、本年度办理结果 | （一）予以公开 |  | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        " | （二）部分公开（区分处理的，只计这一情形，不计其他情形） |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 4.保护第三方合法权益 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 7.属于行政执法案卷 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 8.属于行政查询事项 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " | （四）无法提供 | 1.本机关不掌握相关政府信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        " |  | 2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 3.补正后申请内容仍不明确 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " | （五）不予处理 | 1.信访举报投诉类申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 3.要求提供公开出版物 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 4.无正当理由大量反复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 5.要求行政机关确认或重新出具已获取信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " | （六）其他处理 | " + _OTHER1 + " | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        " |  | " + _OTHER2 + " | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 3.其他 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " | （七）总计 |  | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
        "四、结转下年度继续办理 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "",
    ]
)


def test_rows_whose_label_spans_empty_label_columns_are_read_under_the_header() -> None:
    table = parse_requests(prepare_lines(NANBIN_TABLES))
    assert table is not None
    for row, natural, total in (
        ("received", "4", "4"),
        ("carried_in", "0", "0"),
        ("disclosed", "2", "2"),
        ("partly_disclosed", "0", "0"),
        ("unavailable.not_held", "1", "1"),
        ("other_handling.overdue_correction", "1", "1"),
        ("total", "4", "4"),
        ("carried_out", "0", "0"),
    ):
        got = (table.get(row, "natural_person"), table.get(row, "total"))
        assert got[0] is not None, row
        assert got[1] is not None, row
        assert (got[0].raw, got[1].raw) == (natural, total), row
    business = table.get("received", "business")
    assert business is not None
    assert business.raw == "0"


def test_markdown_rows_still_drop_the_opening_pipe() -> None:
    # the same table as markdown: every row opens with "|", which opens the row (an empty first cell
    # is "|  | …"); the same cells are read
    markdown = "\n".join("| " + line for line in NANBIN_TABLES.splitlines())
    table, pdf = parse_requests(prepare_lines(markdown)), parse_requests(prepare_lines(NANBIN_TABLES))
    assert table is not None
    assert pdf is not None
    assert [c and (c.row, c.col, c.raw) for r in table.grid for c in r] == [
        c and (c.row, c.col, c.raw) for r in pdf.grid for c in r
    ]


#: ha-longting-2019 as pdfplumber prints it when 表三 breaks across a page: the first part's rows are
#: one label column and 7 values, the second part's rows three label columns and 7 values
LONGTING_SPLIT = "\n".join(
    [
        _NOTE + " | 申请人情况 |  |  |  |  |  |  |",
        " | 自然人 | 法人或其他组织 |  |  |  |  | 总计 |",
        " |  | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |  |",
        "一、本年新收政府信息公开申请数量 | 31 | 0 | 0 | 0 | 0 | 0 | 31 |",
        "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "- 3 -",
        "三、本年度办理结果 | （一）予以公开 |  | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        " | （二）部分公开（区分处理的，只计这一情形，不计其他情形） |  | 18 | 0 | 0 | 0 | 0 | 0 | 18 |",
        " | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " |  | 4.保护第三方合法权益 | 10 | 0 | 0 | 0 | 0 | 0 | 10 |",
        " | （六）其他处理 |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        " | （七）总计 |  | 31 | 0 | 0 | 0 | 0 | 0 | 31 |",
        "四、结转下年度继续办理 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ]
)


def _raw(text: str, row: str, col: str) -> str | None:
    table = parse_requests(prepare_lines(text))
    assert table is not None
    cell = table.get(row, col)
    return None if cell is None or cell.value is None else cell.raw  # no number read: None


def test_rows_wider_than_the_header_after_a_page_break_are_read_as_their_last_seven() -> None:
    assert _raw(LONGTING_SPLIT, "disclosed", "natural_person") == "2"
    assert _raw(LONGTING_SPLIT, "partly_disclosed", "total") == "18"
    assert _raw(LONGTING_SPLIT, "total", "natural_person") == "31"
    assert _raw(LONGTING_SPLIT, "carried_out", "total") == "0"
    assert _raw(LONGTING_SPLIT, "received", "natural_person") == "31"


def test_a_wider_row_that_does_not_add_up_is_read_as_printed_where_its_table_shows_the_label_column() -> None:
    # the rows of the same width print a row label in the field before their last 7 (``| （三）不予公开
    # | 1.属于国家秘密 | 0 | …``): that field is a label column, so an empty one there is no value cell,
    # and every position of the row is printed — read as printed, added up or not
    bad_sum = LONGTING_SPLIT.replace("（一）予以公开 |  | 2 | 0 |", "（一）予以公开 |  | 2 | 1 |")
    assert [_raw(bad_sum, "disclosed", col) for col in ("natural_person", "business", "total")] == [
        "2",
        "1",
        "2",
    ]
    # nx-yinchuan-shizheng-2020's real 总计 row: 0 0 0 0 0 0 1 (the table's own fault); the checks FAIL
    faulty = LONGTING_SPLIT.replace(
        " | （七）总计 |  | 31 | 0 | 0 | 0 | 0 | 0 | 31 |", " | （七）总计 |  | 0 | 0 | 0 | 0 | 0 | 0 | 1 |"
    )
    table = parse_requests(prepare_lines(faulty))
    assert table is not None
    row = [table.get("total", col) for col in table.columns]
    assert [(c.raw, c.value) for c in row if c is not None] == [("0", 0)] * 6 + [("1", 1)]
    status = {(c[0], c[1]): c[5] for c in check_request_table(table)}
    assert status[("T3-ROW", "total")] is Status.FAIL


def test_a_wider_row_that_does_not_add_up_or_holds_a_value_among_its_labels_is_not_read() -> None:
    # no row of that width prints a label of its own before its last 7 (only spanned labels and empty
    # fields): which field is extra is not known, and 总计 is not the sum of the six
    unshown = "\n".join(
        line for line in LONGTING_SPLIT.splitlines() if "1.属于国家秘密" not in line and "4.保护" not in line
    )
    assert _raw(unshown, "disclosed", "natural_person") == "2"  # adds up: read
    bad_sum = unshown.replace("（一）予以公开 |  | 2 | 0 |", "（一）予以公开 |  | 2 | 1 |")
    assert _raw(bad_sum, "disclosed", "natural_person") is None
    # a row on another page (a page number between): the rows that show the label column are another
    # table, whose columns say nothing of this one
    paged = LONGTING_SPLIT.replace("（一）予以公开 |  | 2 | 0 |", "（一）予以公开 |  | 2 | 1 |").replace(
        "| 2 |\n", "| 2 |\n- 4 -\n", 1
    )
    assert "| 2 |\n- 4 -\n | （二）" in paged
    assert _raw(paged, "disclosed", "natural_person") is None
    assert _raw(paged, "partly_disclosed", "total") == "18"
    # a value where a label column stands: the row may be shifted
    shifted = LONGTING_SPLIT.replace(
        " | （二）部分公开（区分处理的，只计这一情形，不计其他情形） |  | 18", " | 5 |  | 18"
    )
    assert _raw(shifted, "partly_disclosed", "total") is None
