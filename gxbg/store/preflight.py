"""Check a database URL before any work starts: parse it, refuse what we cannot use, connect, and
compare the schema version with ours — each problem as one line (:class:`DatabaseUnusableError`).

``check_database(url, create=True)`` is what ``gxbg harvest``/``demo`` run before a Prefect server
starts: a SQLite file may be missing (its directory is created; the harvest migrates it), a
PostgreSQL database must exist.  ``create=False`` (read commands, reparse) also wants our tables
and never creates a file or directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from gxbg.errors import DatabaseUnusableError
from gxbg.store.migrate import alembic_config

#: The dialects and drivers gxbg is tested with.
SUPPORTED = "sqlite:///path/to/file.sqlite or postgresql+psycopg://user:password@host:5432/dbname"
CONNECT_TIMEOUT_S = 5
OUR_TABLES = frozenset({"harvest_runs", "reports", "report_versions"})


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseCheck:
    url: str  # as given
    shown: str  # password hidden
    backend: str  # "sqlite" | "postgresql"
    revision: str | None  # the schema revision found (None: empty or new database)
    exists: bool  # a SQLite file that exists, or a reachable PostgreSQL database


def check_database(url: str, *, create: bool) -> DatabaseCheck:
    """Parse, connect and check ``url``; raise :class:`DatabaseUnusableError` with one line otherwise.

    >>> check_database("notaurl", create=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxbg.store.preflight.DatabaseUnusableError: 'notaurl' is not a database URL (use sqlite:///path/...)
    >>> check_database("mysql://u@h/db", create=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxbg.store.preflight.DatabaseUnusableError: unsupported database 'mysql://u@h/db': use sqlite:///...
    """
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise DatabaseUnusableError(f"{url!r} is not a database URL (use {SUPPORTED})") from None
    shown = parsed.render_as_string(hide_password=True)
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite":
        return _check_sqlite(url, parsed, shown, create=create)
    if backend == "postgresql" and driver == "psycopg":
        return _check_postgresql(url, parsed, shown, create=create)
    if backend == "postgresql":
        raise DatabaseUnusableError(f"use the psycopg driver: {shown!r} → postgresql+psycopg://…")
    raise DatabaseUnusableError(f"unsupported database {shown!r}: use {SUPPORTED}")


def _check_sqlite(url: str, parsed: sa.URL, shown: str, *, create: bool) -> DatabaseCheck:
    if parsed.database in (None, "", ":memory:"):
        raise DatabaseUnusableError(
            f"{url!r}: give a file (sqlite:///path); an in-memory database is not kept"
        )
    path = Path(parsed.database or "")
    if path.is_dir():
        raise DatabaseUnusableError(f"{shown}: {path} is a directory, not a database file")
    if not path.exists():
        if not create:
            raise DatabaseUnusableError(f"{shown} does not exist (run `gxbg demo` or `gxbg harvest` first)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnusableError(
                f"cannot create the directory of {shown}: {exc.strerror or exc}"
            ) from None
        return DatabaseCheck(url=url, shown=shown, backend="sqlite", revision=None, exists=False)
    return _inspect(url, shown, "sqlite", create=create)


def _check_postgresql(url: str, parsed: sa.URL, shown: str, *, create: bool) -> DatabaseCheck:
    return _inspect(url, shown, "postgresql", create=create)


def _inspect(url: str, shown: str, backend: str, *, create: bool) -> DatabaseCheck:
    """Connect once (read-only use) and read the tables and the alembic revision."""
    # (a SQLite file gets here only when it exists: connecting creates nothing new)
    connect_args: dict[str, object] = (
        {"connect_timeout": CONNECT_TIMEOUT_S} if backend == "postgresql" else {}
    )
    engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError as exc:
        raise DatabaseUnusableError(f"cannot open {shown}: {_first_line(exc)}") from None
    finally:
        engine.dispose()
    if revision is None and not create and not tables >= OUR_TABLES:
        raise DatabaseUnusableError(f"{shown} has no gxbg tables (run `gxbg harvest` first)")
    if revision is None and tables - {"alembic_version"} and not tables >= OUR_TABLES:
        raise DatabaseUnusableError(
            f"{shown} holds other tables ({', '.join(sorted(tables)[:3])}…) and no gxbg schema: "
            "give an empty database or a gxbg one"
        )
    if revision is not None:
        known = {script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if revision not in known:
            raise DatabaseUnusableError(
                f"{shown} has schema version {revision!r}, unknown to this gxbg (a newer release made it?): "
                "upgrade gxbg, or use another database"
            )
    return DatabaseCheck(url=url, shown=shown, backend=backend, revision=revision, exists=True)


def _first_line(exc: BaseException) -> str:
    """The driver's own message, first line, without SQLAlchemy's background link."""
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split("\n")[0].split())
    return text or type(orig).__name__
