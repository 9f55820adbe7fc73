"""Values the database cannot store exactly are refused, never rounded (docs/storage.md, "Values").

SQLite keeps integers as 64-bit INTEGER and reads them back as ints (never through a float), so a
printed ``12345678901234567`` comes back digit for digit; an integer beyond 64 bits (a 4,000-digit
count) is a ``StoreError`` naming the report, not a driver error.  PostgreSQL's NUMERIC keeps both.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from gxbg.store.db import Store
from gxbg.store.errors import StoreError
from gxbg.store.schema import CELLS
from tests.store.factory import build_report, source_for


def _with_value(value: int) -> tuple[dict[str, object], tuple[str, str, str]]:
    report = build_report(seed=11)
    cell = next(c for c in report["cells"] if c["meaning"] == "number" and c["table"] == "requests")
    cell["value"], cell["raw"] = value, str(value)
    return report, (cell["table"], cell["row"], cell["col"])


def _stored(store: Store, key: tuple[str, str, str]) -> Decimal:
    table, row, col = key
    query = sa.select(CELLS.c.value).where(
        CELLS.c.table_key == table, CELLS.c.row_key == row, CELLS.c.col_key == col
    )
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


@pytest.mark.parametrize("value", [12345678901234567, 2**63 - 1, 9007199254740993])
def test_big_integers_come_back_digit_for_digit(store: Store, value: int) -> None:
    report, key = _with_value(value)
    store.load_report(None, portal="p", source=source_for(report), report=report)
    assert _stored(store, key) == Decimal(value)


def test_a_4000_digit_count_is_refused_on_sqlite_and_kept_on_postgres(store: Store) -> None:
    value = int("9" * 4000)
    report, key = _with_value(value)
    if store.engine.dialect.name == "sqlite":
        with pytest.raises(StoreError, match="beyond SQLite's 64-bit integers"):
            store.load_report(None, portal="p", source=source_for(report), report=report)
        with store.engine.connect() as conn:  # nothing half-written
            assert conn.execute(sa.select(sa.func.count()).select_from(CELLS)).scalar_one() == 0
    else:
        store.load_report(None, portal="p", source=source_for(report), report=report)
        assert _stored(store, key) == Decimal(value)
