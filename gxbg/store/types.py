"""Column types that behave the same on SQLite and PostgreSQL.

* :class:`ExactDecimal` — cell values and check sides.  PostgreSQL stores an unconstrained
  ``NUMERIC`` (exact).  SQLite has no decimal type: integers are stored as INTEGER (64-bit, read
  back as int, never through a float), other values as REAL and read back through ``repr``
  (shortest round-trip), which is exact for up to 15 significant digits; a value that would not
  survive (a 4,000-digit count, an integer beyond 64 bits) is refused with ``StoreError`` rather
  than rounded.
* :class:`UtcDateTime` — timezone-aware UTC on the way in and out on both engines.
* :data:`JSON_TYPE` — JSON on SQLite, JSONB on PostgreSQL.

No IO; nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from gxbg.store.errors import StoreError

JSON_TYPE = sa.JSON().with_variant(JSONB(), "postgresql")

_SQLITE_DIGITS = 15
_SQLITE_INT = 2**63  # SQLite INTEGER is a signed 64-bit integer


class _SqliteNumber(sa.Numeric):  # type: ignore[type-arg]
    """NUMERIC on SQLite whose values go in and come back as they are (int or float), never through
    float(): 12345678901234567 stays 12345678901234567."""

    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


def to_decimal(value: object, *, what: str) -> Decimal | None:
    """Read an int, a Decimal or an exact decimal string; ``None`` stays ``None``.

    >>> to_decimal("230.64565", what="x"), to_decimal(-4, what="x"), to_decimal(None, what="x")
    (Decimal('230.64565'), Decimal('-4'), None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise StoreError(f"{what}: expected a number or a decimal string, got a boolean {value!r}")
    if isinstance(value, int | Decimal):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise StoreError(f"{what}: {value!r} is not a decimal number") from None
    else:
        raise StoreError(f"{what}: expected a number or a decimal string, got {type(value).__name__}")
    if not result.is_finite():
        raise StoreError(f"{what}: {value!r} is not a finite number")
    return result


def decimal_to_json(value: Decimal | None) -> int | str | None:
    """The JSON contract's spelling: integral values as int, others as exact decimal strings.

    >>> decimal_to_json(Decimal("12")), decimal_to_json(Decimal("230.64565")), decimal_to_json(None)
    (12, '230.64565', None)
    """
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


class ExactDecimal(TypeDecorator[Decimal]):
    """An exact number on PostgreSQL; INTEGER or a round-trip-checked REAL on SQLite."""

    impl = sa.Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_SqliteNumber(asdecimal=False))
        return dialect.type_descriptor(sa.Numeric(asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        number = to_decimal(value, what="numeric column")
        if number is None or dialect.name != "sqlite":
            return number
        if number == number.to_integral_value():
            if not -_SQLITE_INT <= number < _SQLITE_INT:
                shown = f"{str(number)[:20]}… ({len(number.as_tuple().digits)} digits)"
                raise StoreError(f"{shown} is beyond SQLite's 64-bit integers; use PostgreSQL")
            return int(number)
        as_float = float(number)
        if Decimal(repr(as_float)) != number or len(number.as_tuple().digits) > _SQLITE_DIGITS:
            raise StoreError(f"{number} has more digits than SQLite can store exactly; use PostgreSQL")
        return as_float

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return to_decimal(value, what="stored number")


def to_utc(value: object, *, what: str) -> dt.datetime | None:
    """Parse an ISO 8601 timestamp (``Z`` allowed) or a datetime into aware UTC; naive means UTC.

    >>> to_utc("2026-11-22T02:30:00Z", what="t").isoformat()
    '2026-11-22T02:30:00+00:00'
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        stamp = value
    elif isinstance(value, str):
        try:
            stamp = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise StoreError(f"{what}: {value!r} is not an ISO 8601 timestamp") from None
    else:
        raise StoreError(f"{what}: expected an ISO 8601 string, got {type(value).__name__}")
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def to_date(value: object, *, what: str) -> dt.date | None:
    """Parse an ISO date (``yyyy-mm-dd``; a timestamp keeps its date part).

    >>> to_date("2021-01-30", what="d")
    datetime.date(2021, 1, 30)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise StoreError(f"{what}: {value!r} is not an ISO date (yyyy-mm-dd)") from None
    raise StoreError(f"{what}: expected an ISO date string, got {type(value).__name__}")


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always returned timezone-aware."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        stamp = to_utc(value, what="timestamp column")
        if stamp is not None and dialect.name == "sqlite":
            return stamp.replace(tzinfo=None)
        return stamp

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        return to_utc(value, what="stored timestamp")
