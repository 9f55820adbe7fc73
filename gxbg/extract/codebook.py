"""The panel's codebook: one column per table cell the extractor reads, named from its keys.

Generated from the extractor's vocabulary (:mod:`gxbg.extract.vocab`: the 表二 blocks of both forms,
表三's rows and columns, 表四's groups and columns), so a key the extractor learns is a column here.
Labels are the form's printed wording (report-format.md §4–§6) and an English gloss; a key without a
label raises, so the codebook cannot silently lose one.  ``docs/codebook.csv`` is this module's
output (``gxbg codebook``); a test keeps the two equal.

Column names: ``t2_<row>_<col>`` (表二), ``t3_<row>_<col>`` (表三, dots in row keys become ``_``),
``t4_<group>_<col>`` (表四).  Each value column has a companion ``<column>_meaning``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Final

from gxbg.extract.vocab import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    PROACTIVE_2019,
    PROACTIVE_2021,
    REQUEST_COLUMNS,
    REQUEST_ROW_OTHER_SINGLE,
    REQUEST_ROWS_HEAD,
    REQUEST_ROWS_OTHER_SPLIT,
    REQUEST_ROWS_TAIL,
)

#: Key → (printed label, English).  Rows and columns of every table (report-format.md §4–§6).
LABELS: Final[dict[str, tuple[str, str]]] = {
    # 表二 rows
    "proactive.rules": ("规章", "rules (regulations)"),
    "proactive.normative_docs": ("（行政）规范性文件", "normative documents"),
    "proactive.licensing": ("行政许可", "administrative licensing"),
    "proactive.other_admin_services": ("其他对外管理服务事项", "other external administrative services"),
    "proactive.penalties": ("行政处罚", "administrative penalties"),
    "proactive.coercion": ("行政强制", "administrative coercion"),
    "proactive.fees": ("行政事业性收费", "administrative fees"),
    "proactive.procurement": ("政府集中采购", "centralised government procurement"),
    # 表二 columns
    "proactive:issued": ("本年制发件数", "issued this year"),
    "proactive:repealed": ("本年废止件数", "repealed this year"),
    "proactive:in_force": ("现行有效件数", "currently in force"),
    "proactive:decisions": ("（本年）处理决定数量", "decisions (this year)"),
    "proactive:amount_10k_yuan": ("本年收费金额（单位：万元）", "fees charged this year (10,000 yuan)"),
    "proactive:made": ("本年新制作数量", "newly made this year"),
    "proactive:published": ("本年新公开数量", "newly published this year"),
    "proactive:public_total": ("对外公开总数量", "total published"),
    "proactive:prior_items": ("上一年项目数量", "items in the previous year"),
    "proactive:items_change": ("本年增/减", "change this year (signed)"),
    "proactive:items": ("采购项目数量", "procurement items"),
    "proactive:amount": ("采购总金额", "procurement amount (unit as printed)"),
    # 表三 rows
    "requests.received": ("一、本年新收政府信息公开申请数量", "requests received this year"),
    "requests.carried_in": ("二、上年结转政府信息公开申请数量", "requests carried over from last year"),
    "requests.disclosed": ("（一）予以公开", "disclosed"),
    "requests.partly_disclosed": ("（二）部分公开", "partly disclosed"),
    "requests.withheld.state_secret": ("（三）不予公开 1.属于国家秘密", "withheld: state secret"),
    "requests.withheld.prohibited_by_law": (
        "（三）不予公开 2.其他法律行政法规禁止公开",
        "withheld: prohibited by other laws",
    ),
    "requests.withheld.endangers_security_stability": (
        "（三）不予公开 3.危及“三安全一稳定”",
        "withheld: endangers security or stability",
    ),
    "requests.withheld.third_party_rights": (
        "（三）不予公开 4.保护第三方合法权益",
        "withheld: third-party rights",
    ),
    "requests.withheld.internal_affairs": (
        "（三）不予公开 5.属于三类内部事务信息",
        "withheld: internal affairs",
    ),
    "requests.withheld.deliberative_process": (
        "（三）不予公开 6.属于四类过程性信息",
        "withheld: deliberative process",
    ),
    "requests.withheld.enforcement_files": (
        "（三）不予公开 7.属于行政执法案卷",
        "withheld: enforcement files",
    ),
    "requests.withheld.query_matters": ("（三）不予公开 8.属于行政查询事项", "withheld: query matters"),
    "requests.unavailable.not_held": (
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "unavailable: not held",
    ),
    "requests.unavailable.requires_creation": (
        "（四）无法提供 2.没有现成信息需要另行制作",
        "unavailable: would have to be created",
    ),
    "requests.unavailable.still_unclear": (
        "（四）无法提供 3.补正后申请内容仍不明确",
        "unavailable: still unclear after correction",
    ),
    "requests.not_processed.petition_or_complaint": (
        "（五）不予处理 1.信访举报投诉类申请",
        "not processed: petition or complaint",
    ),
    "requests.not_processed.duplicate": ("（五）不予处理 2.重复申请", "not processed: duplicate"),
    "requests.not_processed.published_material": (
        "（五）不予处理 3.要求提供公开出版物",
        "not processed: published material",
    ),
    "requests.not_processed.abusive_repetition": (
        "（五）不予处理 4.无正当理由大量反复申请",
        "not processed: abusive repetition",
    ),
    "requests.not_processed.reconfirmation": (
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        "not processed: reconfirmation",
    ),
    "requests.other_handling": ("（六）其他处理", "other handling (one row: 2019 form, some 2021 tables)"),
    "requests.other_handling.overdue_correction": (
        "（六）其他处理 1.申请人无正当理由逾期不补正",
        "other handling: correction overdue",
    ),
    "requests.other_handling.overdue_fee": (
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用",
        "other handling: fee overdue",
    ),
    "requests.other_handling.other": ("（六）其他处理 3.其他", "other handling: other"),
    "requests.total": ("（七）总计", "total handled"),
    "requests.carried_out": ("四、结转下年度继续办理", "carried over to next year"),
    # 表三 columns
    "requests:natural_person": ("自然人", "natural persons"),
    "requests:business": ("法人或其他组织 商业企业", "businesses"),
    "requests:research": ("法人或其他组织 科研机构", "research institutions"),
    "requests:nonprofit": ("法人或其他组织 社会公益组织", "non-profit organisations"),
    "requests:legal_service": ("法人或其他组织 法律服务机构", "legal service organisations"),
    "requests:other_org": ("法人或其他组织 其他", "other organisations"),
    "requests:total": ("总计", "all applicants"),
    # 表四 groups and columns
    "appeals.review": ("行政复议", "administrative review"),
    "appeals.litigation_direct": ("行政诉讼 未经复议直接起诉", "litigation without prior review"),
    "appeals.litigation_after_review": ("行政诉讼 复议后起诉", "litigation after review"),
    "appeals:upheld": ("结果维持", "upheld"),
    "appeals:corrected": ("结果纠正", "corrected"),
    "appeals:other": ("其他结果", "other outcome"),
    "appeals:pending": ("尚未审结", "pending"),
    "appeals:total": ("总计", "total"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One panel column: the cell it holds and what it means."""

    column: str
    table: str  # proactive | requests | appeals
    row: str
    col: str
    forms: str  # the report forms that have the cell: "2019", "2021" or "2019 2021"
    kind: str  # count | signed | amount
    label_zh: str
    label_en: str


CSV_COLUMNS: Final = ("column", "table", "row", "col", "forms", "kind", "label_zh", "label_en")
_PREFIX: Final = {"proactive": "t2", "requests": "t3", "appeals": "t4"}
_TABLE_ZH: Final = {"proactive": "表二", "requests": "表三", "appeals": "表四"}


def column_name(table: str, row: str, col: str) -> str:
    """``t3_withheld_state_secret_natural_person`` for (requests, withheld.state_secret, natural_person)."""
    return f"{_PREFIX[table]}_{row.replace('.', '_')}_{col}"


def _entry(table: str, row: str, col: str, forms: str, kind: str) -> Entry:
    try:
        row_zh, row_en = LABELS[f"{table}.{row}"]
        col_zh, col_en = LABELS[f"{table}:{col}"]
    except KeyError as exc:  # a key the vocabulary gained without a label
        raise KeyError(f"codebook: no label for {exc.args[0]}") from None
    return Entry(
        column=column_name(table, row, col),
        table=table,
        row=row,
        col=col,
        forms=forms,
        kind=kind,
        label_zh=f"{_TABLE_ZH[table]} {row_zh} / {col_zh}",
        label_en=f"{row_en} / {col_en}",
    )


def codebook() -> tuple[Entry, ...]:
    """Every column, in table order: 表二 (2021 form's cells, then 2019's), 表三, 表四."""
    entries: dict[str, Entry] = {}
    for form, blocks in (("2021", PROACTIVE_2021), ("2019", PROACTIVE_2019)):
        for rows, cols in blocks.values():
            for row, _ in rows:
                for col, kind in cols:
                    entry = _entry("proactive", row, col, form, kind)
                    if entry.column in entries:  # on both forms (处理决定数量 of licensing, …)
                        entry = _entry("proactive", row, col, "2019 2021", kind)
                    entries[entry.column] = entry
    both = [key for key, _ in (*REQUEST_ROWS_HEAD,)]
    request_rows = [(key, "2019 2021") for key in ("received", "carried_in")]
    request_rows += [(key, "2019 2021") for key in both if key not in ("received", "carried_in")]
    # one row on the 2019 form, and in 2021 tables printed with a single （六） row (vocab)
    request_rows.append((REQUEST_ROW_OTHER_SINGLE[0], "2019 2021"))
    request_rows += [(key, "2021") for key, _ in REQUEST_ROWS_OTHER_SPLIT]
    request_rows += [(key, "2019 2021") for key, _ in REQUEST_ROWS_TAIL]
    for row, forms in request_rows:
        for col in REQUEST_COLUMNS:
            entry = _entry("requests", row, col, forms, "count")
            entries[entry.column] = entry
    for group in APPEAL_GROUPS:
        for col in APPEAL_COLUMNS:
            entry = _entry("appeals", group, col, "2019 2021", "count")
            entries[entry.column] = entry
    return tuple(entries.values())


def codebook_csv() -> str:
    """The codebook as CSV (UTF-8, ``\\n`` line ends), header first: ``docs/codebook.csv``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in codebook():
        writer.writerow([getattr(entry, name) for name in CSV_COLUMNS])
    return buffer.getvalue()
