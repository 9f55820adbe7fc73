"""Short 表三 rows (blank cells vanished from plain text, or marks glued among the digits) decoded by
each of the form's column rules whose rows are all read, rule by rule: a short 结转下年度 row leaves
T3-BAL out, not T3-SUM (plain js-hongze-2024's ``0 1 0 0 0 1``, found in the seed-7 draw), and a glued
row of zeros and marks that cuts one way only is read as printed (glued nx-yinchuan-shizheng-2020's
``00／／／00``)."""

from __future__ import annotations

from gxbg import parse_report
from gxbg.extract.tables.decode import decode_requests, only_reading
from gxbg.extract.tables.requests import row_keys

ROWS = row_keys(split_other=True)
#: A 2021 表三 that adds up, every row but the two decoded ones read (plain js-hongze-2024-v8).
TABLE = {
    "received": (7, 96, 30, 3001, 0, 1, 3135),
    "carried_in": (0,) * 7,
    "disclosed": (0, 50, 0, 0, 0, 0, 50),
    "partly_disclosed": (0, 9, 0, 0, 0, 0, 9),
    "withheld.endangers_security_stability": (0, 1, 0, 0, 0, 0, 1),
    "withheld.deliberative_process": (7, 2, 30, 3001, 0, 1, 3041),
    "withheld.enforcement_files": (0, 1, 0, 0, 0, 0, 1),
    "unavailable.not_held": (0, 31, 0, 0, 0, 0, 31),
    "not_processed.petition_or_complaint": (0, 1, 0, 0, 0, 0, 1),
    "total": (7, 96, 30, 3001, 0, 1, 3135),
}
KNOWN: dict[str, tuple[int | None, ...]] = {k: TABLE.get(k, (0,) * 7) for k in ROWS}
SHORT = {"unavailable.requires_creation": ("0", "1", "0", "0", "0", "1"), "carried_out": ("0",) * 5}


def _known_without(*keys: str) -> dict[str, tuple[int | None, ...]]:
    return {k: v for k, v in KNOWN.items() if k not in keys}


def test_t3_sum_reads_an_outcome_row_while_the_balance_row_is_short() -> None:
    accepted, notes = decode_requests(ROWS, _known_without(*SHORT), {}, SHORT)
    # natural_person 0 (the 1 cannot move left: 商业企业 and 科研机构 would not sum), 商业企业 1, 总计 1;
    # the blank's place among the other zeros stays open (a blank and a 0 differ)
    assert accepted["unavailable.requires_creation"] == ("0", "1", None, None, None, None, "1")
    assert "carried_out" not in accepted  # five zeros, two blanks anywhere
    assert "several readings" in notes["unavailable.requires_creation"]


def test_an_outcome_row_is_not_decoded_when_another_outcome_row_is_missing() -> None:
    accepted, notes = decode_requests(ROWS, _known_without(*SHORT, "withheld.state_secret"), {}, SHORT)
    assert "unavailable.requires_creation" not in accepted
    assert "T3-SUM cannot be checked" in notes["unavailable.requires_creation"]
    assert "several readings" in notes["carried_out"]  # T3-BAL is still checked


def test_a_balance_row_is_not_decoded_when_its_rule_has_a_row_missing() -> None:
    wide = {"received": ("7", "96", "30", "3001", "1", "3135")}
    accepted, notes = decode_requests(ROWS, _known_without("received", "carried_out"), {}, wide)
    assert accepted == {}
    assert "T3-BAL cannot be checked" in notes["received"]


def test_a_glued_row_of_zeros_and_marks_that_cuts_one_way_is_read() -> None:
    assert only_reading("00／／／00") == ("0", "0", "／", "／", "／", "0", "0")
    assert only_reading("0—00000") == ("0", "—", "0", "0", "0", "0", "0")
    assert only_reading("0——0000") is None  # —— one cell (a blank vanished) or two
    assert only_reading("00／／00") is None  # six cells: a blank vanished
    assert only_reading("／／／／／／／") is None  # no number printed


_HEAD = """某区人民政府2024年政府信息公开工作年度报告
一、总体情况
本机关依法公开政府信息。
三、收到和处理政府信息公开申请情况
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况
自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
"""
_PLAIN = """一、本年新收政府信息公开申请数量 7 96 30 3001 0 1 3135
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
三、本年度办理结果 （一）予以公开 0 50 0 0 0 0 50
（二）部分公开（区分处理的，只计这一情形，不计其他情形） 0 9 0 0 0 0 9
（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0
2.其他法律行政法规禁止公开 0 0
3.危及“三安全一稳定” 0 1 0 0 0 0 1
4.保护第三方合法权益 0 0 0 0 0 0 0
5.属于三类内部事务信息 0 0 0 0 0 0 0
6.属于四类过程性信息 7 2 30 3001 0 1 3041
7.属于行政执法案卷 0 1 0 0 0 0 1
8.属于行政查询事项 0 0 0 0 0 0 0
（四）无法提供 1.本机关不掌握相关政府信息 0 31 0 0 0 0 31
2.没有现成信息需要另行制作 0 1 0 0 0 1
3.补正后申请内容仍不明确 0 0 0 0 0 0 0
（五）不予处理 1.信访举报投诉类申请 0 1 0 0 0 0 1
2.重复申请 0 0 0 0 0 0 0
3.要求提供公开出版物 0 0 0 0 0 0 0
4.无正当理由大量反复申请 0 0 0 0 0 0 0
5.要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0
（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0
3.其他 0 0 0 0 0 0 0
（七）总计 7 96 30 3001 0 1 3135
四、结转下年度继续办理 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
"""


def _cells(text: str, key: str) -> tuple[str | None, ...]:
    table = parse_report(text).requests
    assert table is not None
    row = table.grid_rows[table.rows.index(key)]
    return tuple(None if c is None or c[5] is None else c[3] for c in row)  # the cells read with a value


def test_plain_short_outcome_row_read_beside_a_short_balance_row() -> None:
    # js-hongze-2024-v8 (plain): the 2-value row ``0 0`` counts 0 in every reading, so T3-SUM is checked
    cells = _cells(_HEAD + _PLAIN, "unavailable.requires_creation")
    assert cells == ("0", "1", None, None, None, None, "1")
    assert _cells(_HEAD + _PLAIN, "carried_out") == (None,) * 7


def test_plain_short_outcome_row_unread_when_t3_sum_has_a_row_missing() -> None:
    text = _HEAD + _PLAIN.replace("1.属于国家秘密 0 0 0 0 0 0 0", "1.属于国家秘密 无")
    assert _cells(text, "unavailable.requires_creation") == (None,) * 7


#: glued nx-yinchuan-shizheng-2020-v29: 总计 does not add up (74 + … = 4996, printed 4997: a faulty
#: table), so neither T3-BAL nor T3-SUM can be checked; the row ``00／／／00`` still cuts one way only
_GLUED = (
    _HEAD.split("（本列")[0]
    + "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计"
    + "商业企业科研机构社会公益组织法律服务机构其他\n"
    + """一、本年新收政府信息公开申请数量81283034497513074997
二、上年结转政府信息公开申请数量12641／0279
三、本年度办理结果（一）予以公开0000101
三、本年度办理结果（二）部分公开（区分处理的，只计这一情形，不计其他情形）0000000
三、本年度办理结果（三）不予公开1.属于国家秘密0000000
三、本年度办理结果（三）不予公开2.其他法律行政法规禁止公开064304486412618
三、本年度办理结果（三）不予公开3.危及“三安全一稳定”0000000
三、本年度办理结果（三）不予公开4.保护第三方合法权益0000000
三、本年度办理结果（三）不予公开5.属于三类内部事务信息0000000
三、本年度办理结果（三）不予公开6.属于四类过程性信息0000000
三、本年度办理结果（三）不予公开7.属于行政执法案卷0000000
三、本年度办理结果（三）不予公开8.属于行政查询事项0000000
三、本年度办理结果（四）无法提供1.本机关不掌握相关政府信息70／3001773022
三、本年度办理结果（四）无法提供2.没有现成信息需要另行制作0000000
三、本年度办理结果（四）无法提供3.补正后申请内容仍不明确0000000
三、本年度办理结果（五）不予处理1.信访举报投诉类申请0000000
三、本年度办理结果（五）不予处理2.重复申请00／／／00
三、本年度办理结果（五）不予处理3.要求提供公开出版物0000000
三、本年度办理结果（五）不予处理4.无正当理由大量反复申请16400312881356
三、本年度办理结果（五）不予处理5.要求行政机关确认或重新出具已获取信息0000000
三、本年度办理结果（六）其他处理0000000
三、本年度办理结果（七）总计81283034497413074997
四、结转下年度继续办理1264100279
四、政府信息公开行政复议、行政诉讼情况
"""
)


def test_glued_row_of_zeros_and_marks_read_in_a_table_that_does_not_add_up() -> None:
    assert _cells(_GLUED, "not_processed.duplicate") == ("0", "0", None, None, None, "0", "0")
    assert _cells(_GLUED, "total") == (None,) * 7  # no reading adds up: left unread
    assert _cells(_GLUED, "received") == (None,) * 7  # T3-BAL needs 总计: not decoded
