"""Realistic ``report_to_dict`` documents (2019 and 2021 formats) for the storage tests.

Shapes follow /work/shared/reference/report-format.md §5, §6 and §12 and the JSON contract in
docs/architecture.md §1.  Numbers come from a seeded RNG; the checks are computed from them
(T3-BAL per column, T4-SUM per group), so a FAIL is a real FAIL of the generated figures.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

COLUMNS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
OUTCOME_ROWS_COMMON = [
    "disclosed",
    "partly_disclosed",
    *(
        f"withheld.{k}"
        for k in (
            "state_secret",
            "prohibited_by_law",
            "endangers_security_stability",
            "third_party_rights",
            "internal_affairs",
            "deliberative_process",
            "enforcement_files",
            "query_matters",
        )
    ),
    *(f"unavailable.{k}" for k in ("not_held", "requires_creation", "still_unclear")),
    *(
        f"not_processed.{k}"
        for k in (
            "petition_or_complaint",
            "duplicate",
            "published_material",
            "abusive_repetition",
            "reconfirmation",
        )
    ),
]
OTHER_HANDLING = {
    "2019": ["other_handling"],
    "2021": ["other_handling.overdue_correction", "other_handling.overdue_fee", "other_handling.other"],
}
APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
SECTION_KEYS = ["overview", "proactive", "requests", "appeals", "problems", "other"]


def _cell(
    table: str, row: str, col: str, value: int | str | None, *, blank: bool = False, unit: str | None = None
) -> dict[str, Any]:
    if blank:
        return {
            "table": table,
            "row": row,
            "col": col,
            "value": None,
            "raw": "",
            "meaning": "blank",
            "unit": unit,
        }
    raw = f"{value}{unit or ''}"
    meaning = "zero" if value == 0 else "number"
    return {
        "table": table,
        "row": row,
        "col": col,
        "value": value,
        "raw": raw,
        "meaning": meaning,
        "unit": unit,
    }


def _requests(rng: random.Random, fmt: str) -> tuple[dict[str, list[int]], list[str]]:
    """Leaf rows × 7 columns that balance per column (total = Σ six applicant columns)."""
    outcomes = [*OUTCOME_ROWS_COMMON, *OTHER_HANDLING[fmt]]
    rows: dict[str, list[int]] = {
        key: [0] * 7 for key in ["received", "carried_in", *outcomes, "total", "carried_out"]
    }
    for col in range(6):
        per_outcome = [rng.choice((0, 0, 0, 1, 2, 5)) for _ in outcomes]
        handled = sum(per_outcome)
        carried_out = rng.choice((0, 0, 1, 3))
        carried_in = rng.choice((0, 1, 2))
        received = max(handled + carried_out - carried_in, 0)
        carried_in = handled + carried_out - received
        for key, value in zip(outcomes, per_outcome, strict=True):
            rows[key][col] = value
        rows["received"][col], rows["carried_in"][col] = received, carried_in
        rows["total"][col], rows["carried_out"][col] = handled, carried_out
    for values in rows.values():
        values[6] = sum(values[:6])
    return rows, outcomes


def _proactive(rng: random.Random, fmt: str) -> dict[str, dict[str, int | str]]:
    if fmt == "2021":
        return {
            "rules": {"issued": rng.randint(0, 3), "repealed": 0, "in_force": rng.randint(3, 9)},
            "normative_docs": {
                "issued": rng.randint(0, 9),
                "repealed": rng.randint(0, 2),
                "in_force": rng.randint(9, 40),
            },
            "licensing": {"decisions": rng.randint(0, 900)},
            "penalties": {"decisions": rng.randint(0, 90)},
            "coercion": {"decisions": rng.randint(0, 9)},
            "fees": {"amount_10k_yuan": f"{rng.randint(0, 99)}.{rng.randint(0, 99):02d}"},
        }
    return {
        "rules": {"made": 0, "published": 0, "public_total": rng.randint(0, 5)},
        "normative_docs": {
            "made": rng.randint(0, 5),
            "published": rng.randint(0, 5),
            "public_total": rng.randint(5, 30),
        },
        "licensing": {
            "prior_items": rng.randint(0, 50),
            "items_change": rng.randint(-4, 14),
            "decisions": rng.randint(0, 500),
        },
        "other_admin_services": {"prior_items": 3, "items_change": 0, "decisions": rng.randint(0, 20)},
        "penalties": {"prior_items": 12, "items_change": rng.randint(-2, 2), "decisions": rng.randint(0, 80)},
        "coercion": {"prior_items": 4, "items_change": 0, "decisions": rng.randint(0, 5)},
        "fees": {"prior_items": 2, "items_change": 0},
        "procurement": {
            "items": rng.randint(0, 30),
            "amount": f"{rng.randint(0, 999)}.{rng.randint(0, 99999):05d}",
        },
    }


def build_report(
    agency: str = "天津市河北区宁园街道办事处",
    year: int = 2021,
    *,
    fmt: str = "2021",
    seed: int = 0,
    blank_cells: int = 0,
    unbalanced: bool = False,
    tables: tuple[str, ...] = ("proactive", "requests", "appeals"),
) -> dict[str, Any]:
    """A complete report dict in the ``report_to_dict`` shape.

    ``blank_cells`` blanks that many 表三 cells (their checks become UNCERTAIN); ``unbalanced``
    adds 1 to the natural-person ``total`` so T3-BAL fails for that column.  ``tables`` keeps
    only the cells and checks of those tables (small reports for the crash loop).
    """
    rng = random.Random(f"{agency}/{year}/{fmt}/{seed}")
    rows, outcomes = _requests(rng, fmt)
    if unbalanced:
        rows["total"][0] += 1
    proactive = _proactive(rng, fmt)
    appeals: dict[str, dict[str, int]] = {}
    for group in APPEAL_GROUPS:
        parts = [rng.choice((0, 0, 1, 2)) for _ in range(4)]
        appeals[group] = dict(zip(APPEAL_COLUMNS, [*parts, sum(parts)], strict=True))
    blanks = {(row, col) for row, col in list(_leaf_positions(rows))[:blank_cells]}
    cells: list[dict[str, Any]] = []
    for row_key, block in proactive.items():
        for col_key, value in block.items():
            unit = "万元" if col_key in ("amount_10k_yuan", "amount") else None
            cells.append(_cell("proactive", row_key, col_key, value, unit=unit))
    for row_key, values in rows.items():
        for col_key, value in zip(COLUMNS, values, strict=True):
            cells.append(_cell("requests", row_key, col_key, value, blank=(row_key, col_key) in blanks))
    for group, counts in appeals.items():
        for col_key, count in counts.items():
            cells.append(_cell("appeals", group, col_key, count))
    checks = _checks(rows, outcomes, appeals, blanks)
    cells = [cell for cell in cells if cell["table"] in tables]
    checks = [check for check in checks if check["cells"][0].split("/")[0] in tables]
    name = "2019" if fmt == "2019" else "2021"
    return {
        "format": fmt,
        "agency": agency,
        "year": year,
        "title": f"{agency}{year}年政府信息公开工作年度报告",
        "published": f"{year + 1}-01-{rng.randint(10, 31)}",
        "sections": {key: f"（{name}）{agency}{key}第{seed}稿。" for key in SECTION_KEYS[:5]}
        | {"other": None},
        "tables": {
            # money cells are {"value", "unit"} in tables.proactive (docs/report-json.md)
            "proactive": {
                row: {
                    col: {"value": v, "unit": "万元"} if isinstance(v, str) else v for col, v in block.items()
                }
                for row, block in proactive.items()
            },
            "requests": {
                "columns": COLUMNS,
                "rows": {
                    k: [None if (k, c) in blanks else v for c, v in zip(COLUMNS, vs, strict=True)]
                    for k, vs in rows.items()
                },
            },
            "appeals": appeals,
        },
        "checks": checks,
        "cells": cells,
    }


def _leaf_positions(rows: dict[str, list[int]]) -> list[tuple[str, str]]:
    return [
        (row, col)
        for row in rows
        for col in COLUMNS[:6]
        if row not in ("received", "carried_in", "total", "carried_out")
    ]


def _checks(
    rows: dict[str, list[int]],
    outcomes: list[str],
    appeals: dict[str, dict[str, int]],
    blanks: set[tuple[str, str]],
) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    for i, col in enumerate(COLUMNS):
        left = rows["received"][i] + rows["carried_in"][i]
        right = rows["total"][i] + rows["carried_out"][i]
        refs = [f"requests/{row}/{col}" for row in ("received", "carried_in", "total", "carried_out")]
        checks.append(
            _check(
                "T3-BAL", col, "received + carried_in = total + carried_out", left, right, refs, blanked=False
            )
        )
        total_sum = sum(rows[row][i] for row in outcomes)
        blanked = any((row, col) in blanks for row in outcomes)
        refs = [f"requests/{row}/{col}" for row in (*outcomes, "total")]
        checks.append(
            _check("T3-SUM", col, "total = Σ outcomes", rows["total"][i], total_sum, refs, blanked=blanked)
        )
    for group, block in appeals.items():
        left = block["upheld"] + block["corrected"] + block["other"] + block["pending"]
        refs = [f"appeals/{group}/{col}" for col in APPEAL_COLUMNS]
        checks.append(
            _check(
                "T4-SUM",
                group,
                "upheld + corrected + other + pending = total",
                left,
                block["total"],
                refs,
                blanked=False,
            )
        )
    return checks


def _check(
    rule: str, scope: str, expr: str, left: int, right: int, refs: list[str], *, blanked: bool
) -> dict[str, Any]:
    if blanked:
        status, left_value, right_value, delta = "UNCERTAIN", None, right, None
    else:
        status = "PASS" if left == right else "FAIL"
        left_value, right_value, delta = left, right, left - right
    return {
        "rule": rule,
        "scope": scope,
        "status": status,
        "severity": "hard",
        "expr": expr,
        "left": left_value,
        "right": right_value,
        "delta": delta,
        "cells": refs,
    }


def source_for(
    report: dict[str, Any], *, url: str | None = None, fetched_at: str = "2026-11-20T08:00:00Z"
) -> dict[str, Any]:
    """A ``source`` dict whose sha256 is that of the report's content (as if of its page)."""
    body = json.dumps(report, ensure_ascii=False, sort_keys=True).encode()
    slug = hashlib.sha1(f"{report['agency']}/{report['year']}".encode()).hexdigest()[:12]
    return {
        "url": url or f"http://127.0.0.1:8000/xxgk/ndbg/{slug}.html",
        "final_url": url or f"http://127.0.0.1:8000/xxgk/ndbg/{slug}.html",
        "fetched_at": fetched_at,
        "sha256": hashlib.sha256(body).hexdigest(),
        "title": report["title"],
        "published": report["published"],
    }
