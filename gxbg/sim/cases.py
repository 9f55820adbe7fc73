# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""Generator-only reader of the golden case texts into report specs.

The simulator's copy of the case texts it renders ships inside the package, under :data:`CASES`
(``gxbg/sim/data/cases/<case>/clean.txt`` and, for the PDF-text cases, ``truth.json``: byte-for-byte
the golden cases of ``tests/cases``, which the golden tests keep reading; ``tests/sim/test_data.py``
pins the copy), so an installed gxbg never reads ``tests/``.

The simulator renders each case as a realistic report page; to do that it needs the title, the
narrative sections and every table value *as printed*.  This module reads the simple case layouts
(cell per line, row per line, tab-indented) by walking the table region token by token and
matching the official row labels in order; the PDF-text cases use their hand-checked
``truth.json``.  It must not depend on the extractor (``gxbg.parse_report``): the simulator is the
extractor's test bed, not its client.  Values stay strings exactly as printed; a cell the case
leaves blank is ``None``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

#: The case texts the simulator renders, one directory per case (package data).
CASES = Path(__file__).resolve().parent / "data" / "cases"

#: Hand-transcribed facts the case texts do not state on one line (titles, publishing unit).
CASE_META: dict[str, dict[str, str]] = {
    "tj-ningyuan-2020": {"agency": "天津市河北区宁园街道办事处", "published": "2021-01-28"},
    "ha-longting-2019": {"agency": "开封市龙亭区人民政府办公室", "published": "2020-01-20"},
    "cq-nanbin-2024": {"agency": "石柱土家族自治县人民政府南宾街道办事处", "published": "2025-01-16"},
    "sd-sunjiatuan-2020": {"agency": "威海市环翠区孙家疃街道办事处", "published": "2021-01-25"},
    "nx-yinchuan-shizheng-2020": {"agency": "银川市市政管理局", "published": "2021-01-29"},
    "js-huaian-2024": {"agency": "淮安市人民政府", "published": "2025-01-21"},
    "js-hongze-2023": {"agency": "淮安市洪泽区人民政府", "published": "2024-01-26"},
    "js-hongze-2024": {"agency": "淮安市洪泽区人民政府", "published": "2025-01-24"},
}

SECTION_HEADINGS = ("一、", "二、主动公开", "三、收到和处理", "四、政府信息公开行政复议", "五、", "六、")

#: 表二 rows in order: (row key, label as printed after NFKC, number of value cells), per format.
PROACTIVE_ROWS: dict[str, tuple[tuple[str, tuple[str, ...], int], ...]] = {
    "2021": (
        ("rules", ("规章",), 3),
        ("normative_docs", ("行政规范性文件", "规范性文件"), 3),
        ("licensing", ("行政许可",), 1),
        ("penalties", ("行政处罚",), 1),
        ("coercion", ("行政强制",), 1),
        ("fees", ("行政事业性收费",), 1),
    ),
    "2019": (
        ("rules", ("规章",), 3),
        ("normative_docs", ("规范性文件", "行政规范性文件"), 3),
        ("licensing", ("行政许可",), 3),
        ("other_admin_services", ("其他对外管理服务事项",), 3),
        ("penalties", ("行政处罚",), 3),
        ("coercion", ("行政强制",), 3),
        ("fees", ("行政事业性收费",), 2),
        ("procurement", ("政府集中采购",), 2),
    ),
}

#: 表三 leaf rows in order: (row key, a fragment of the printed label).
_REQUEST_HEAD = (
    ("received", "本年新收"),
    ("carried_in", "上年结转"),
    ("disclosed", "予以公开"),
    ("partly_disclosed", "部分公开"),
    ("withheld.state_secret", "国家秘密"),
    ("withheld.prohibited_by_law", "禁止公开"),
    ("withheld.endangers_security_stability", "三安全"),
    ("withheld.third_party_rights", "第三方"),
    ("withheld.internal_affairs", "内部事务"),
    ("withheld.deliberative_process", "过程"),
    ("withheld.enforcement_files", "执法案卷"),
    ("withheld.query_matters", "查询事项"),
    ("unavailable.not_held", "不掌握"),
    ("unavailable.requires_creation", "另行制作"),
    ("unavailable.still_unclear", "仍不明确"),
    ("not_processed.petition_or_complaint", "信访"),
    ("not_processed.duplicate", "重复申请"),
    ("not_processed.published_material", "公开出版物"),
    ("not_processed.abusive_repetition", "反复申请"),
    ("not_processed.reconfirmation", "重新出具"),
)
_REQUEST_TAIL = (("total", "(七)总计"), ("carried_out", "结转下年度"))
REQUEST_ROWS: dict[str, tuple[tuple[str, str], ...]] = {
    "2021": (
        *_REQUEST_HEAD,
        ("other_handling.overdue_correction", "逾期不补正"),
        ("other_handling.overdue_fee", "缴纳费用"),
        ("other_handling.other", "3.其他"),
        *_REQUEST_TAIL,
    ),
    "2019": (*_REQUEST_HEAD, ("other_handling", "其他处理"), *_REQUEST_TAIL),
}

_VALUE = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?\s*(\(?(万元|元)\)?)?$|^[/—-]$")
_FOOTER = re.compile(r"^-\s*\d+\s*-$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportSpec:
    """One case, ready to render: every value is the printed text, ``None`` when blank."""

    case_id: str
    title: str
    agency: str
    year: int
    published: str  # ISO date the simulated portal shows
    table_format: str  # "2019" | "2021" (表二 geometry)
    requests_format: str  # "2019" (single 其他处理 row) | "2021"
    intro: tuple[str, ...]
    sections: dict[str, tuple[str, ...]]  # overview | problems | other -> paragraphs
    proactive: dict[str, tuple[str | None, ...]]
    requests: dict[str, tuple[str | None, ...]]  # row key -> 7 values
    appeals: tuple[str | None, ...]  # 15 values, 表四 by position


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _tokens(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        for cell in re.split(r"[|\t]", line):
            cell = _norm(cell.replace("[bookmark:", "").strip())
            if cell and not _FOOTER.match(cell):
                out.append(cell)
    return out


def _is_value(token: str) -> bool:
    return bool(_VALUE.match(token))


def _take(tokens: list[str], start: int, count: int) -> tuple[tuple[str | None, ...], int]:
    """The ``count`` value tokens after ``start``; a label token ends the row early (blank cells)."""
    values: list[str | None] = []
    pos = start
    while pos < len(tokens) and len(values) < count and _is_value(tokens[pos]):
        values.append(tokens[pos])
        pos += 1
    values.extend([None] * (count - len(values)))
    return tuple(values), pos


def _find(tokens: list[str], start: int, match: tuple[str, ...] | str, *, exact: bool) -> int:
    for pos in range(start, len(tokens)):
        tok = tokens[pos]
        if (exact and tok in match) or (not exact and isinstance(match, str) and match in tok):
            return pos
    raise ValueError(f"row label {match!r} not found after token {start}")


def _split(lines: list[str]) -> dict[str, list[str]]:
    """Lines of each numbered section, keyed by its heading prefix."""
    parts: dict[str, list[str]] = {"intro": []}
    current = "intro"
    expected = list(SECTION_HEADINGS)
    for raw in lines:
        line = raw.replace("[bookmark: bookmark21]", "").replace("[bookmark: bookmark23]", "").strip()
        norm = _norm(line)
        if expected and norm.startswith(_norm(expected[0])):
            current = expected.pop(0)
            parts[current] = []
            continue
        parts[current].append(line)
    return parts


def _paragraphs(lines: list[str], *, pdf: bool) -> tuple[str, ...]:
    """Narrative paragraphs; PDF text is re-joined where a line was wrapped mid-sentence."""
    out: list[str] = []
    buffer = ""
    for line in lines:
        line = line.strip()
        if not line or _FOOTER.match(line) or "|" in line or line.startswith("\t"):
            continue
        if not pdf:
            out.append(line)
            continue
        buffer += line
        if line.endswith(("。", "：", "；", "）")) or re.match(r"^[(（][一二三四五六七八九十]+[)）]", line):
            out.append(buffer)
            buffer = ""
    if buffer:
        out.append(buffer)
    return tuple(out)


def _from_truth(truth: dict[str, object]) -> tuple[dict[str, tuple[str | None, ...]], ...]:
    table2 = truth["table2"]
    assert isinstance(table2, dict)
    flat: dict[str, dict[str, object]] = {}
    for block in table2.values():
        flat.update(block)
    keys = {"规章": "rules", "行政规范性文件": "normative_docs", "行政许可": "licensing",
            "行政处罚": "penalties", "行政强制": "coercion", "行政事业性收费": "fees"}  # fmt: skip
    proactive = {keys[label]: tuple(_fmt(v) for v in cols.values()) for label, cols in flat.items()}
    names = {"new_received": "received", "carried_over": "carried_in", "granted": "disclosed",
             "partial": "partly_disclosed", "total": "total", "carried_forward": "carried_out",
             "other": "other_handling", "other_1_no_correction": "other_handling.overdue_correction",
             "other_2_no_fee": "other_handling.overdue_fee", "other_3_other": "other_handling.other"}  # fmt: skip
    table3 = truth["table3"]
    assert isinstance(table3, dict)
    leaf_keys = [key for key, _ in REQUEST_ROWS["2021"]]
    leaf_truth = [k for k in table3 if re.match(r"(denied|unable|notproc)_\d", k)]
    names.update(dict(zip(leaf_truth, leaf_keys[4:20], strict=True)))
    requests = {names[k]: tuple(_fmt(v) for v in vals) for k, vals in table3.items() if vals is not None}
    appeals_raw = truth["table4_values"]
    assert isinstance(appeals_raw, list)
    return proactive, requests, {"appeals": tuple(_fmt(v) for v in appeals_raw)}


def _fmt(value: object) -> str | None:
    if value is None:
        return None
    return str(value)


def read_case(case_dir: Path) -> ReportSpec:
    """Read one case directory into a :class:`ReportSpec` (raises ``ValueError`` on a surprise)."""
    case_id = case_dir.name
    meta = CASE_META[case_id]
    year = int(case_id.rsplit("-", 1)[1])
    lines = (case_dir / "clean.txt").read_text(encoding="utf-8").splitlines()
    parts = _split(lines)
    truth_path = case_dir / "truth.json"
    pdf = truth_path.exists()
    title = f"{meta['agency']}{year}年政府信息公开工作年度报告"
    intro_lines = [
        ln
        for ln in parts["intro"]
        if not (len(ln) < 40 and _norm(ln).endswith(("年度报告", "办事处", "人民政府", "街道")))
    ]
    intro = _paragraphs(intro_lines, pdf=pdf)
    sections = {
        "overview": _paragraphs(parts["一、"], pdf=pdf),
        "problems": _paragraphs(parts["五、"], pdf=pdf),
        "other": _paragraphs(parts["六、"], pdf=pdf),
    }
    if pdf:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        proactive, requests, appeals_box = _from_truth(truth)
        table_format = "2021"
        requests_format = "2019" if "other_handling" in requests else "2021"
        appeals = appeals_box["appeals"]
    else:
        t2 = _tokens(parts["二、主动公开"])
        table_format = "2021" if any("本年制发" in t for t in t2) else "2019"
        proactive = {}
        pos = 0
        for key, labels, count in PROACTIVE_ROWS[table_format]:
            pos = _find(t2, pos, labels, exact=True)
            proactive[key], pos = _take(t2, pos + 1, count)
        t3 = _tokens(parts["三、收到和处理"])
        requests_format = "2021" if any("逾期不补正" in t for t in t3) else "2019"
        requests = {}
        pos = 0
        for key, fragment in REQUEST_ROWS[requests_format]:
            pos = _find(t3, pos, fragment, exact=False)
            requests[key], pos = _take(t3, pos + 1, 7)
        t4 = [t for t in _tokens(parts["四、政府信息公开行政复议"]) if _is_value(t)]
        if len(t4) < 15:
            raise ValueError(f"{case_id}: 表四 has {len(t4)} values, expected 15")
        appeals = tuple(t4[-15:])
    return ReportSpec(
        case_id=case_id,
        title=title,
        agency=meta["agency"],
        year=year,
        published=meta["published"],
        table_format=table_format,
        requests_format=requests_format,
        intro=intro,
        sections=sections,
        proactive=proactive,
        requests=requests,
        appeals=appeals,
    )


def read_cases(root: Path = CASES) -> dict[str, ReportSpec]:
    """Every case under ``root`` (by default the package's own copy), by case id."""
    return {d.name: read_case(d) for d in sorted(root.iterdir()) if d.is_dir()}
