"""gxbg.extract.htmlgrid: HTML → lines, tables as span-expanded grids (portals.md §7, §10.T)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gxbg.extract.htmlgrid import html_to_text

# ---------------------------------------------------------------- the 2021 table 三 (portals.md §10.T)

WITHHELD = [
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
]
UNAVAILABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
NOT_PROCESSED = [
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
]
OTHER_HANDLING = [
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RESULTS = "三、本年度办理结果"


def numbers(row: int) -> list[str]:
    """Seven distinct values per row, so a shifted column cannot pass."""
    return [str(row * 10 + k) for k in range(7)]


def tds(values: list[str]) -> str:
    return "".join(f'<td nowrap="nowrap"><p align="center">{v}</p></td>' for v in values)


def table_three_2021() -> tuple[str, list[list[str]]]:
    """The official 2021 geometry as HTML, and the expected expanded grid (28 rows x 10 columns)."""
    header = (
        f'<tr><td colspan="3" rowspan="3"><p align="center">{NOTE}</p></td>'
        '<td colspan="7"><p align="center">申请人情况</p></td></tr>'
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>'
        "<tr><td>商业<br />企业</td><td>科研<br />机构</td><td>社会公益<br />组织</td>"
        "<td>法律服务<br />机构</td><td>其他</td></tr>"
    )
    org = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    grid = [
        [NOTE] * 3 + ["申请人情况"] * 7,
        [NOTE] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [NOTE] * 3 + ["自然人", *org, "总计"],
    ]
    body: list[str] = []
    n = 0

    def leaf(html_labels: str, labels: list[str]) -> None:
        nonlocal n
        n += 1
        body.append(f"<tr>{html_labels}{tds(numbers(n))}</tr>")
        grid.append(labels + numbers(n))

    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"):
        leaf(f'<td colspan="3">{label}</td>', [label] * 3)
    first = f'<td rowspan="22">{RESULTS}</td>'
    leaf(f'{first}<td colspan="2">（一）予以公开</td>', [RESULTS, "（一）予以公开", "（一）予以公开"])
    partly = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    leaf(f'<td colspan="2">{partly}</td>', [RESULTS, partly, partly])
    for group, items in (
        ("（三）不予公开", WITHHELD),
        ("（四）无法提供", UNAVAILABLE),
        ("（五）不予处理", NOT_PROCESSED),
        ("（六）其他处理", OTHER_HANDLING),
    ):
        for i, item in enumerate(items):
            group_cell = f'<td rowspan="{len(items)}">{group}</td>' if i == 0 else ""
            leaf(f"{group_cell}<td>{item}</td>", [RESULTS, group, item])
    leaf('<td colspan="2">（七）总计</td>', [RESULTS, "（七）总计", "（七）总计"])
    leaf('<td colspan="3">四、结转下年度继续办理</td>', ["四、结转下年度继续办理"] * 3)
    html = f'<table border="1" cellspacing="0">{header}{"".join(body)}</table>'
    return html, grid


def line(fields: list[str]) -> str:
    return " | ".join(fields) + " |"


def test_table_three_2021_expands_every_span() -> None:
    html, grid = table_three_2021()
    lines = html_to_text(html).splitlines()
    assert len(grid) == 28
    assert lines == [line(row) for row in grid]
    assert all(row.count(" | ") == 9 for row in lines)


def test_table_three_first_data_row_matches_the_reference_rendering() -> None:
    html = (
        "<table><tr><td colspan='3'>一、本年新收政府信息公开申请数量</td>"
        + tds(["21", "2", "0", "0", "1", "0", "24"])
        + "</tr></table>"
    )
    assert html_to_text(html) == (
        "一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | "
        "一、本年新收政府信息公开申请数量 | 21 | 2 | 0 | 0 | 1 | 0 | 24 |"
    )


def test_table_three_leaf_rows_under_rowspans_keep_their_group_labels() -> None:
    html, _ = table_three_2021()
    lines = html_to_text(html).splitlines()
    assert lines[-2].startswith(f"{RESULTS} | （七）总计 | （七）总计 | ")
    state_secret = next(x for x in lines if "1.属于国家秘密" in x)
    assert state_secret.startswith(f"{RESULTS} | （三）不予公开 | 1.属于国家秘密 | ")
    overdue_fee = next(x for x in lines if x.split(" | ")[2].startswith("2.申请人逾期未按收费"))
    assert overdue_fee.split(" | ")[1] == "（六）其他处理"


def test_table_four_has_fifteen_positions_in_every_row() -> None:
    labels = "".join(f"<td>{x}</td>" for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    html = (
        '<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>'
        '<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td>'
        '<td rowspan="2">尚未审结</td><td rowspan="2">总计</td>'
        '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
        f"<tr>{labels}{labels}</tr>"
        "<tr>" + "".join(f"<td>{k}</td>" for k in range(1, 16)) + "</tr></table>"
    )
    lines = html_to_text(html).splitlines()
    assert [x.count(" | ") + 1 for x in lines] == [15, 15, 15, 15]
    assert lines[1].split(" | ")[5] == "未经复议直接起诉"
    assert lines[2].split(" | ")[:6] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持"]
    assert lines[3] == line([str(k) for k in range(1, 16)])


def test_table_two_single_value_blocks_repeat_the_value() -> None:
    html = (
        '<table><tr><td colspan="4"><p align="center">第二十条第（五）项</p></td></tr>'
        '<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>'
        '<tr><td><p>行政许可</p></td><td colspan="3"><p align="center">1,204</p></td></tr></table>'
    )
    assert html_to_text(html).splitlines() == [
        line(["第二十条第（五）项"] * 4),
        line(["信息内容"] + ["本年处理决定数量"] * 3),
        line(["行政许可"] + ["1,204"] * 3),
    ]


def test_shanghai_2019_misaligned_colspans_are_expanded_as_marked_up() -> None:
    # report-format.md §4: colspan=2 on 本年增/减 in the header, on the first value in the data row.
    html = (
        "<table>"
        '<tr><td nowrap="nowrap">信息内容</td><td nowrap="nowrap">上一年项目数量</td>'
        '<td colspan="2" nowrap="nowrap">本年增/减</td><td nowrap="nowrap">处理决定数量</td></tr>'
        '<tr><td nowrap="nowrap">行政许可</td><td colspan="2" nowrap="nowrap">12</td>'
        '<td nowrap="nowrap">&nbsp;</td><td nowrap="nowrap">845</td></tr>'
        "</table>"
    )
    assert html_to_text(html).splitlines() == [
        "信息内容 | 上一年项目数量 | 本年增/减 | 本年增/减 | 处理决定数量 |",
        "行政许可 | 12 | 12 |  | 845 |",
    ]


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        pytest.param("0", "0", id="zero"),
        pytest.param("", "", id="empty"),
        pytest.param("&nbsp;", "", id="nbsp"),
        pytest.param("<p>&nbsp;</p>", "", id="nbsp-in-p"),
        pytest.param("/", "/", id="slash"),
        pytest.param("／", "／", id="fullwidth-slash"),
        pytest.param("—", "—", id="dash"),
        pytest.param("无", "无", id="text"),
    ],
)
def test_blank_zero_and_na_cells_are_kept_distinct(cell: str, field: str) -> None:
    assert (
        html_to_text(f"<table><tr><td>a</td><td>{cell}</td><td>b</td></tr></table>") == f"a | {field} | b |"
    )


# ---------------------------------------------------------------- Word and TRS noise (portals.md §7)


def test_word_noise_rejoins_split_digits_and_drops_office_residue() -> None:
    html = (
        '<p class="MsoNormal">主动公开政府信息<span lang="EN-US" style="font-size:10.5pt;'
        'font-family:\'Times New Roman\'">1</span><span lang="EN-US">2</span><span times="" new="" '
        'roman"\'="">86</span>条。<o:p></o:p></p>'
        "<!--[if gte mso 9]><xml><w:WordDocument>Normal 0 7.8 磅 0 2 false false false "
        "MicrosoftInternetExplorer4</w:WordDocument></xml><![endif]-->"
        '<p><![if !supportLists]><span lang="EN-US">1.</span><![endif]>属于国家秘密</p>'
        "<table><tr><td><span>3</span><span>5</span><o:p></o:p></td></tr></table>"
    )
    assert html_to_text(html).splitlines() == ["主动公开政府信息1286条。", "1.属于国家秘密", "35 |"]


def test_scripts_styles_templates_and_comments_never_leak() -> None:
    html = (
        "<style type='text/css'>.TRS_Editor P{margin-top:0;font-family:宋体;}</style>"
        "<p>正文<script>document.write('<span class=\"cm-con\">来源</span>');</script>一</p>"
        "<noscript>请启用脚本</noscript><template><p>模板</p></template><!-- 注释 --><p>正文二</p>"
    )
    assert html_to_text(html).splitlines() == ["正文一", "正文二"]


def test_blocks_make_lines_and_inline_text_joins() -> None:
    html = (
        "<h1>标题</h1><div>一、总体情况<br>（一）<b>主动</b>公开</div>"
        "<ul><li>甲</li><li>乙\n  丙</li></ul><p>\u3000\u3000第一段&nbsp;&nbsp;文字</p>"
    )
    assert html_to_text(html).splitlines() == [
        "标题",
        "一、总体情况",
        "（一）主动公开",
        "甲",
        "乙 丙",
        "第一段 文字",
    ]


def test_br_inside_a_cell_joins_without_space() -> None:
    html = "<table><tr><td>本年新<br />制作数量</td><td><p>本年新</p>\n<p>公开数量</p></td></tr></table>"
    assert html_to_text(html) == "本年新制作数量 | 本年新公开数量 |"


def test_pipe_inside_a_cell_is_replaced() -> None:
    assert html_to_text("<table><tr><td>a|b</td><td>c</td></tr></table>") == "a｜b | c |"


# ---------------------------------------------------------------- nesting and malformed markup


def test_layout_table_around_a_report_table_is_flattened() -> None:
    html = (
        "<table width='100%'><tr><td><p>一、总体情况</p><p>正文。</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table><p>三、收到和处理</p></td></tr></table>"
    )
    assert html_to_text(html).splitlines() == ["一、总体情况", "正文。", "规章 | 0 |", "三、收到和处理"]


def test_unclosed_cells_rows_and_tables_are_closed() -> None:
    html = "<p>前<table><tr><td>a<td>b<tr><td>c<td>d</table><p>后"
    assert html_to_text(html).splitlines() == ["前", "a | b |", "c | d |", "后"]
    assert html_to_text("<table><td>x<td>y") == "x | y |"


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        pytest.param('rowspan="0"', ["a | b |", "a | c |"], id="rowspan-0-to-end"),
        pytest.param('colspan="abc"', ["a | b |", "c |"], id="junk-is-1"),
        pytest.param('rowspan="999999"', ["a | b |", "a | c |"], id="rowspan-cut-at-last-row"),
        pytest.param('colspan="-2"', ["a | b |", "c |"], id="negative-is-1"),
    ],
)
def test_bad_spans_are_clamped(attrs: str, expected: list[str]) -> None:
    html = f"<table><tr><td {attrs}>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
    assert html_to_text(html).splitlines() == expected


def test_huge_colspan_is_capped() -> None:
    text = html_to_text('<table><tr><td colspan="50000">x</td><td colspan="50000">y</td></tr></table>')
    assert text == " | ".join(["x"] * 1000) + " |"


def test_hole_inside_a_row_is_an_empty_field_and_trailing_positions_are_omitted() -> None:
    html = "<table><tr><td>a</td><td>b</td><td rowspan='2'>c</td></tr><tr><td>d</td></tr></table>"
    assert html_to_text(html).splitlines() == ["a | b | c |", "d |  | c |"]


def test_unknown_marked_section_does_not_raise() -> None:
    assert html_to_text("<p>a<![foo]>b</p><![CDATA[x]]>c") == "ab\nc"


def test_text_between_cells_goes_before_the_table() -> None:
    assert html_to_text("<table>注<tr><td>1</td></tr></table>") == "注\n1 |"


HTMLISH = st.lists(
    st.sampled_from(
        [
            "<table>",
            "</table>",
            "<tr>",
            "</tr>",
            "<td rowspan='2'>",
            "<td colspan='0'>",
            "<th colspan='x'>",
            "</td>",
            "<p>",
            "</p>",
            "<br/>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<![if x]>",
            "<![",
            "]>",
            "&nbsp;",
            "&#",
            "|",
            "<",
            ">",
            "'",
            '"',
            "=",
            "a",
            "1",
            "表",
            " ",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), HTMLISH))
def test_arbitrary_input_never_raises(html: str) -> None:
    text = html_to_text(html)
    assert isinstance(text, str)
    assert all(x == x.strip() or x.endswith(" |") or x.startswith(" |") for x in text.splitlines())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(st.text(alphabet="ab|1 ", max_size=5), min_size=1, max_size=5), min_size=1, max_size=5)
)
def test_every_cell_is_one_field(rows: list[list[str]]) -> None:
    html = (
        "<table>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
        + "</table>"
    )
    lines = html_to_text(html).splitlines()
    assert [x.count(" | ") + 1 for x in lines] == [len(row) for row in rows]
