"""The dataset commands: ``gxbg agencies``, ``gxbg check --cross-year``, ``gxbg codebook``, ``gxbg browse``
(and the panel of ``gxbg export --what panel``, :func:`export_panel`).  Registered on the app by
:func:`register`; kept apart from ``cli/main.py`` so that file stays small."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.preflight import existing_store, fail, registry_portals

DEFAULT_REGISTRY = [Path("registry/portals.csv")]
RegistryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--registry",
        help="Registry CSV(s) naming the canonical agencies (repeatable; default registry/portals.csv).",
    ),
]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL; default sqlite under ./data.")]


def _registry_rows(paths: list[Path] | None) -> list[Any]:
    rows: list[Any] = []
    for path in paths or DEFAULT_REGISTRY:
        rows += registry_portals(path, None, None, base="http://base.invalid")
    return rows


def _store(db: str | None) -> Any:
    from tasks.settings import Settings

    return existing_store(db or Settings.from_env().db_url)


def _write_rows(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps({c: _plain(row.get(c)) for c in columns}, ensure_ascii=False) + "\n")
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _plain(row.get(c)) for c in columns])
    sys.stdout.write(buffer.getvalue())


def _plain(value: Any) -> Any:
    from gxbg.store.types import decimal_to_json

    if hasattr(value, "as_tuple"):
        return decimal_to_json(value)
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return value


AGENCY_COLUMNS = [
    "portal", "printed_name", "reports", "canonical_id", "canonical_name", "region_code", "province", "level",
    "resolution",
]  # fmt: skip


def agencies(
    db: DbOption = None,
    registry: RegistryOption = None,
    unresolved: Annotated[
        bool, typer.Option("--unresolved", help="Only the printed names no rule resolved (or ambiguous).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
) -> None:
    """Link every stored printed agency name to a canonical agency (registry + rules) and list them."""
    from rich.table import Table

    from cli.main import out

    if fmt not in ("table", "csv", "jsonl"):
        raise typer.BadParameter("choose table, csv or jsonl", param_hint="--format")
    rows = _registry_rows(registry)
    store = _store(db)
    try:
        summary = store.refresh_identity(rows)
        listed = store.agencies(unresolved=unresolved)
    finally:
        store.close()
    if fmt != "table":
        _write_rows(listed, AGENCY_COLUMNS, fmt)
        return
    table = Table(title=f"{'unresolved ' if unresolved else ''}printed agency names", title_justify="left")
    for column in ("portal", "printed name", "reports", "canonical agency", "region", "level", "resolution"):
        table.add_column(column)
    for row in listed:
        table.add_row(
            row["portal"], row["printed_name"], str(row["reports"]), row["canonical_name"] or "—",
            row["region_code"] or "", row["level"] or "", row["resolution"] or "",
        )  # fmt: skip
    out.print(table)
    out.print(
        f"{summary.canonical} canonical agencies; {summary.linked} printed name(s) linked, "
        f"{summary.unlinked} unresolved (kept apart, never guessed)"
    )


CHECK_COLUMNS = [
    "canonical_name", "agency", "portal", "year", "rule", "scope", "status", "expr", "left", "right",
    "delta", "prev_agency", "prev_version_id", "version_id", "prev_cells", "cells", "prev_source_url",
    "source_url", "note",
]  # fmt: skip


def check(
    cross_year: Annotated[
        bool, typer.Option("--cross-year", help="Run the cross-year checks (XY-CARRY, XY-VALID, XY-ITEMS).")
    ] = False,
    db: DbOption = None,
    registry: RegistryOption = None,
    show: Annotated[
        str, typer.Option("--show", help="failing (FAIL), problems (FAIL and UNCERTAIN) or all.")
    ] = "problems",
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
) -> None:
    """Re-run checks over the stored reports.  ``--cross-year``: one agency's consecutive years, after
    linking printed names to canonical agencies (soft checks: a break is reported, exit 0)."""
    from cli.main import out

    if not cross_year:
        raise typer.BadParameter("say which checks: --cross-year", param_hint="--cross-year")
    if fmt not in ("table", "csv", "jsonl"):
        raise typer.BadParameter("choose table, csv or jsonl", param_hint="--format")
    statuses = {"failing": ["FAIL"], "problems": ["FAIL", "UNCERTAIN"], "all": None}
    if show not in statuses:
        raise typer.BadParameter("choose failing, problems or all", param_hint="--show")
    rows = _registry_rows(registry)
    store = _store(db)
    try:
        store.refresh_identity(rows)  # re-runs every cross-year check under the refreshed identity
        every = store.cross_year_checks()
    finally:
        store.close()
    wanted = statuses[show]
    listed = [r for r in every if wanted is None or r["status"] in wanted]
    if fmt != "table":
        _write_rows(listed, CHECK_COLUMNS, fmt)
        return
    counts: dict[str, int] = {}
    for row in every:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    for row in listed:
        mark = "✗" if row["status"] == "FAIL" else "?" if row["status"] == "UNCERTAIN" else "·"
        name = row["canonical_name"] or f"{row['agency']} ({row['portal']})"
        out.print(
            f"{mark} {name} {row['year'] - 1}→{row['year']}  {row['rule']}[{row['scope']}]  {row['expr']}: "
            f"{_plain(row['left'])} vs {_plain(row['right'])}",
            markup=False,
            highlight=False,
        )
        out.print(
            f"    {row['year'] - 1}: version {row['prev_version_id']} {' '.join(row['prev_cells'] or [])} "
            f"{row['prev_source_url']}\n    {row['year']}: version {row['version_id']} "
            f"{' '.join(row['cells'] or [])} {row['source_url']}",
            markup=False,
            highlight=False,
        )
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("PASS", "FAIL", "UNCERTAIN", "NOT_ASSESSABLE"))
    out.print(f"cross-year checks: {summary}")


def cross_year_breaks(store: Any, year: int, portals: set[str]) -> list[dict[str, Any]]:
    """The FAILing cross-year checks of year-``year`` reports on ``portals`` (for ``gxbg status``)."""
    rows = store.cross_year_checks(statuses=["FAIL"])
    return [r for r in rows if r["year"] == year and r["portal"] in portals]


def print_cross_year_breaks(rows: list[dict[str, Any]], year: int) -> None:
    """One line per agency whose year-``year`` report does not follow from its year-before report."""
    from cli.main import out

    if not rows:
        return
    agencies = sorted({r["canonical_name"] or r["agency"] for r in rows})
    out.print(
        f"cross-year: {len(rows)} break(s) between {year - 1} and {year} in {len(agencies)} agency(ies): "
        f"{', '.join(agencies)} — `gxbg check --cross-year` shows both sides",
        markup=False,
        highlight=False,
    )


def export_cross_year(db: str, fmt: str, output: Path | None) -> int:
    """``gxbg export --what cross-year``: every stored cross-year check with both sides (csv or jsonl)."""
    if fmt not in ("csv", "jsonl"):
        raise typer.BadParameter("cross-year checks are exported as csv or jsonl", param_hint="--format")
    store = _store(db)
    try:
        rows = store.cross_year_checks()
    finally:
        store.close()
    if output is None:
        _write_rows(rows, CHECK_COLUMNS, fmt)
    else:
        import contextlib

        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            _write_rows(rows, CHECK_COLUMNS, fmt)
        output.write_text(buffer.getvalue(), encoding="utf-8")
    return len(rows)


def codebook(
    output: Annotated[Path | None, typer.Option("--out", "-o", help="Write here; default stdout.")] = None,
) -> None:
    """Print the panel's codebook (column → table, row, column, forms, Chinese label, English) as CSV."""
    from gxbg.extract.codebook import codebook_csv

    text = codebook_csv()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def export_panel(db: str, fmt: str, output: Path | None, registry: list[Path] | None) -> int:
    """``gxbg export --what panel``: refresh identity from the registry, then write the panel."""
    from gxbg.store.engine import read_connection
    from gxbg.store.panel import PANEL_FORMATS, export_panel

    if fmt not in PANEL_FORMATS:
        raise typer.BadParameter(f"the panel is written as {', '.join(PANEL_FORMATS)}", param_hint="--format")
    if output is None:
        raise typer.BadParameter("the panel needs --out FILE", param_hint="--out")
    rows = _registry_rows(registry)
    store = _store(db)
    try:
        store.refresh_identity(rows)
        with read_connection(store.engine) as conn:
            return int(export_panel(conn, fmt=fmt, out=output))
    except OSError as exc:
        raise fail("export failed", str(exc)) from None
    finally:
        store.close()


def browse(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8001,
    registry: RegistryOption = None,
) -> None:
    """Browse the SQLite database in Datasette (tables, facets, canned queries; docs/browse.md)."""
    from gxbg.store.browse import serve

    url = db
    if url is None:
        from tasks.settings import Settings

        url = Settings.from_env().db_url
    store = _store(url)
    try:
        store.refresh_identity(_registry_rows(registry))
        path = store.engine.url.database
        if store.engine.dialect.name != "sqlite" or not path:
            raise fail("browse", "Datasette reads SQLite only; PostgreSQL users: docs/browse.md has the SQL")
    finally:
        store.close()
    serve(Path(path), host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add the dataset commands to the ``gxbg`` app."""
    app.command()(agencies)
    app.command()(check)
    app.command()(codebook)
    app.command()(browse)
