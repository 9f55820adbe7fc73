"""Every golden case, parsed by the real extractor (``gxbg.report_to_dict``), loads on both
engines and round-trips: cells, checks and sections as the extractor produced them."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import gxbg
from gxbg.store.db import Store
from gxbg.store.schema import CELLS, CHECK_RESULTS, SECTIONS
from tests.conftest import CASES
from tests.report_json import report_json
from tests.store.dump import consistency_problems

CASE_DIRS = sorted(path for path in CASES.iterdir() if (path / "clean.txt").is_file())


def _parse(case: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    text = (case / "clean.txt").read_text(encoding="utf-8")
    report = report_json(gxbg.parse_report(text))
    body = text.encode("utf-8")
    source = {
        "url": f"http://127.0.0.1:8000/cases/{case.name}.html",
        "final_url": f"http://127.0.0.1:8000/cases/{case.name}.html",
        "fetched_at": "2026-11-22T00:00:00Z",
        "sha256": hashlib.sha256(body).hexdigest(),
        "title": report.get("title"),
        "published": report.get("published"),
        "agency": case.name,  # fallback only: a case whose agency the extractor could not read
        "year": int(case.name.rsplit("-", 1)[1]),
        "parser_version": gxbg.PARSER_VERSION,
    }
    return report, source


def _as_decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_every_golden_case_loads_and_round_trips(store: Store) -> None:
    assert CASE_DIRS, f"no cases under {CASES}"
    for case in CASE_DIRS:
        report, source = _parse(case)
        outcome = store.load_report(None, portal="cases", source=source, report=report)
        assert outcome.created, case.name
        with store.engine.connect() as conn:
            cells = {
                (row.table_key, row.row_key, row.col_key): (row.value, row.meaning, row.raw)
                for row in conn.execute(sa.select(CELLS).where(CELLS.c.version_id == outcome.version_id))
            }
            checks = conn.execute(
                sa.select(CHECK_RESULTS.c.rule, CHECK_RESULTS.c.status)
                .where(CHECK_RESULTS.c.version_id == outcome.version_id)
                .order_by(CHECK_RESULTS.c.seq)
            ).all()
            sections = conn.execute(
                sa.select(sa.func.count()).where(SECTIONS.c.version_id == outcome.version_id)
            ).scalar_one()
        expected_cells = {(c["table"], c["row"], c["col"]): c for c in report["cells"]}
        assert set(cells) == set(expected_cells), case.name
        for key, cell in expected_cells.items():
            assert cells[key] == (_as_decimal(cell["value"]), cell["meaning"], cell["raw"]), (case.name, key)
        assert [tuple(row) for row in checks] == [(c["rule"], c["status"]) for c in report["checks"]], (
            case.name
        )
        assert sections == sum(1 for text in report["sections"].values() if text is not None)
        # Loading the same page again adds nothing.
        assert not store.load_report(None, portal="cases", source=source, report=report).created
    assert consistency_problems(store) == []
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM current_reports")).scalar_one() == len(CASE_DIRS)


def test_the_faulty_yinchuan_table_shows_its_fails_in_the_view(store: Store) -> None:
    case = CASES / "nx-yinchuan-shizheng-2020"
    if not case.is_dir():
        pytest.skip("case nx-yinchuan-shizheng-2020 not present")
    report, source = _parse(case)
    store.load_report(None, portal="cases", source=source, report=report)
    fails = sum(1 for check in report["checks"] if check["status"] == "FAIL")
    with store.engine.connect() as conn:
        row = conn.execute(sa.text("SELECT fail_count, handled_total FROM current_reports")).one()
    assert fails > 0  # report-format §10.4: T3-BAL/T3-SUM fail for natural_person
    assert row.fail_count == fails
    assert _as_decimal(row.handled_total) == _as_decimal(report["tables"]["requests"]["rows"]["total"][6])
