"""The database facade the pipeline tasks call (docs/architecture.md §4).

``Store(url)`` works on ``sqlite:///path`` (embedded default) and ``postgresql+psycopg://…``
(production) with the same behaviour.  Every write method is one transaction; ``load_report``
writes a whole report version or nothing.  The schema comes only from the alembic migrations
(:meth:`Store.migrate`).  This module never imports Prefect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gxbg.extract.serialize import ReportDict
from gxbg.store import agencies, crossyear, failures, reparse
from gxbg.store.deadlines import FIRST_REPORT_YEAR, china_date
from gxbg.store.documents import document_values, known_pages, latest_validators, upsert_document
from gxbg.store.engine import make_engine, read_connection, write_transaction
from gxbg.store.errors import StoreError
from gxbg.store.identity import RegistryRow
from gxbg.store.load import load_version
from gxbg.store.migrate import upgrade
from gxbg.store.records import FetchRecord, LoadOutcome, OpenFailure, ReportSource, StaleVersion
from gxbg.store.rows import version_rows
from gxbg.store.schema import HARVEST_RUNS, PORTALS
from gxbg.store.status import ExpectedPortal, PortalStatus, publication_status
from gxbg.store.upsert import ensure_row

__all__ = ["LoadOutcome", "Store", "StoreError"]

RUN_STATUSES = frozenset({"running", "completed", "failed", "partial", "cancelled"})


def utc_now() -> dt.datetime:
    """The current time, aware UTC (the default clock)."""
    return dt.datetime.now(dt.UTC)


class Store:
    """One database: harvest runs, provenance, report versions, failures, exports."""

    def __init__(self, url: str, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._clock = clock

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release pooled connections."""
        self.engine.dispose()

    def migrate(self) -> None:
        """Apply every migration not yet applied (alembic ``upgrade head``); idempotent."""
        upgrade(self.engine)

    # ------------------------------------------------------------------ runs

    def start_run(self, kind: str, params: dict[str, Any]) -> int:
        """Record the start of a harvest/backfill/reparse run and return its id."""
        with write_transaction(self.engine) as conn:
            run_id = conn.execute(
                sa.insert(HARVEST_RUNS)
                .values(kind=kind, params=params, started_at=self._clock(), status="running")
                .returning(HARVEST_RUNS.c.id)
            ).scalar_one()
        return int(run_id)

    def finish_run(self, run_id: int, summary: Mapping[str, object], status: str) -> None:
        """Close a run with its summary and final status (completed, partial, failed, cancelled)."""
        if status not in RUN_STATUSES:
            raise StoreError(f"run status {status!r} is not one of {sorted(RUN_STATUSES)}")
        with write_transaction(self.engine) as conn:
            result = conn.execute(
                sa.update(HARVEST_RUNS)
                .where(HARVEST_RUNS.c.id == run_id)
                .values(summary=summary, status=status, finished_at=self._clock())
            )
            if result.rowcount != 1:
                raise StoreError(f"no harvest run with id {run_id}")

    def close_abandoned_runs(self, *, host: str, alive: Callable[[int], bool]) -> list[int]:
        """Close the ``running`` runs this ``host`` started whose process is gone (SIGKILL, power
        loss) as ``failed``, saying so; return their ids.  A run's owner is ``params["owner"]``
        (``{"host", "pid"}``, see ``tasks.runs``); runs without one, or on another host, or whose
        process is alive, are left alone."""
        with read_connection(self.engine) as conn:
            rows = conn.execute(
                sa.select(HARVEST_RUNS.c.id, HARVEST_RUNS.c.params).where(HARVEST_RUNS.c.status == "running")
            ).all()
        closed: list[int] = []
        for run_id, params in rows:
            owner = (params or {}).get("owner") if isinstance(params, dict) else None
            if (
                not isinstance(owner, dict)
                or owner.get("host") != host
                or not isinstance(owner.get("pid"), int)
            ):
                continue
            if alive(owner["pid"]):
                continue
            reason = f"abandoned: process {owner['pid']} on {host} ended without finishing this run (killed?)"
            with write_transaction(self.engine) as conn:
                conn.execute(
                    sa.update(HARVEST_RUNS)
                    .where(HARVEST_RUNS.c.id == run_id, HARVEST_RUNS.c.status == "running")
                    .values(status="failed", finished_at=self._clock(), summary={"error": reason})
                )
            closed.append(int(run_id))
        return closed

    # ------------------------------------------------------------ provenance

    def _portal_id(self, conn: sa.Connection, portal: str | None) -> int | None:
        return None if not portal else ensure_row(conn, PORTALS, {"name": portal})

    def record_document(self, run_id: int | None, *, portal: str, fetch: FetchRecord) -> None:
        """Record one fetched resource (a ``FetchResult`` without its body)."""
        values = document_values(fetch)
        with write_transaction(self.engine) as conn:
            upsert_document(conn, values, run_id=run_id, portal_id=self._portal_id(conn, portal))

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(etag, last_modified) of the newest stored fetch of ``url``, for a conditional GET."""
        with read_connection(self.engine) as conn:
            return latest_validators(conn, url)

    def known_pages(self, portal: str) -> dict[str, tuple[str | None, str | None, str]]:
        """url → (etag, last_modified, sha256 of the stored body) of ``portal``'s documents that have
        a body and a validator (the newest such fetch per URL), for a re-harvest's conditional GETs."""
        with read_connection(self.engine) as conn:
            return known_pages(conn, portal)

    # --------------------------------------------------------------- reports

    def load_report(
        self, run_id: int | None, *, portal: str, source: ReportSource, report: ReportDict
    ) -> LoadOutcome:
        """Store one parsed report in one transaction (document, report, version, sections,
        cells, checks); the same content again adds nothing (``created=False``).

        ``source``: ``url``, ``final_url``, ``fetched_at``, ``sha256`` (raw archive key of the
        fetched body), ``title``, ``published``; optionally ``text_sha256`` (sha256 of the clean
        text: when given it keys the version instead of ``sha256``), ``agency``/``year``
        (fallbacks when the report lacks them) and ``parser_version``.
        """
        if not portal:
            raise StoreError("load_report needs the portal name: agencies are scoped by portal")
        rows = version_rows(report, source)
        try:
            with write_transaction(self.engine) as conn:
                portal_id = ensure_row(conn, PORTALS, {"name": portal})
                outcome = load_version(conn, rows, run_id=run_id, portal_id=portal_id, now=self._clock())
                agencies.link_new(conn, agencies.agency_of_report(conn, outcome.report_id))
                crossyear.rerun_report(conn, outcome.report_id)
                return outcome
        except sa.exc.StatementError as exc:
            if isinstance(exc.orig, StoreError):  # raised by a column type while binding
                raise StoreError(f"{exc.orig} (report {rows.agency} {rows.year})") from None
            raise

    # --------------------------------------------------------------- reparse

    def stale_versions(self, parser_version: str, *, limit: int = 500) -> list[StaleVersion]:
        """Versions parsed by a different parser version (``version_id``, ``source_url``,
        ``parser_version``, ``document_sha256``, ``content_type``), oldest first."""
        with read_connection(self.engine) as conn:
            return reparse.stale_versions(conn, parser_version, limit)

    def reparse_version(
        self,
        version_id: int,
        *,
        report: ReportDict,
        parser_version: str,
        page_title: str | None = None,
        page_published: str | None = None,
    ) -> None:
        """Replace one version's sections, cells and checks with a new parse of the same content,
        in one transaction; human decisions on checks survive by ``(rule, scope)``.

        A title or date the report does not print comes from the archived page (``page_title``,
        ``page_published``: what the cleaner read there), else from the version's listings, else stays
        as stored: a re-parse never loses what only the harvest saw (a listing page's date)."""
        with read_connection(self.engine) as conn:
            source = reparse.version_source(conn, version_id)
        source["title"] = page_title or source.get("title")
        source["published"] = page_published or source.get("published")
        source["parser_version"] = parser_version
        rows = version_rows(report, source)
        try:
            with write_transaction(self.engine) as conn:
                reparse.replace_rows(conn, version_id, rows)
                crossyear.rerun_version(conn, version_id)
        except sa.exc.StatementError as exc:
            if isinstance(exc.orig, StoreError):  # raised by a column type while binding
                raise StoreError(f"{exc.orig} (version {version_id})") from None
            raise

    # -------------------------------------------------------------- failures

    def record_failure(
        self, run_id: int | None, *, portal: str, url: str, stage: str, error: str, reason: str
    ) -> None:
        """Record that ``url`` failed (or failed again) at ``stage`` and why."""
        with write_transaction(self.engine) as conn:
            failures.record(
                conn,
                run_id=run_id,
                portal_id=self._portal_id(conn, portal),
                url=url,
                stage=stage,
                error=str(error),
                reason=reason,
                now=self._clock(),
            )

    def open_failures(self, portal: str | None = None) -> list[OpenFailure]:
        """Unresolved failures (all portals, or one), oldest first: retry these next harvest."""
        with read_connection(self.engine) as conn:
            return failures.open_rows(conn, portal)

    def resolve_failure(self, url: str) -> None:
        """Mark the open failure of ``url`` resolved (``load_report`` does this by itself)."""
        with write_transaction(self.engine) as conn:
            failures.resolve(conn, (url,), now=self._clock())

    # ---------------------------------------------------------------- status

    def publication_status(self, year: int, portals: Sequence[ExpectedPortal]) -> list[PortalStatus]:
        """Who published the ``year`` report late or not at all: one row per expected portal (registry
        rows), with its stored reports, open failures, covering runs and a status
        (:mod:`gxbg.store.status`), judged on today's China date by the store's clock (``not_due`` before
        a deadline).  A year before 2008, or the current China year or later, raises :class:`StoreError`."""
        today = china_date(self._clock())
        latest = today.year - 1
        if not FIRST_REPORT_YEAR <= year <= latest:
            raise StoreError(
                f"no reports are due for year {year}: report years run from {FIRST_REPORT_YEAR} to {latest}"
            )
        with read_connection(self.engine) as conn:
            return publication_status(conn, year, portals, today=today)

    # ---------------------------------------------------------------- identity, cross-year

    def refresh_identity(self, rows: Sequence[RegistryRow]) -> agencies.IdentitySummary:
        """Canonical agencies from registry ``rows``; every stored printed name (re-)resolved to one
        (:mod:`gxbg.store.agencies`); then every cross-year check re-run under the new identity."""
        with write_transaction(self.engine) as conn:
            summary = agencies.refresh(conn, rows)
            crossyear.run(conn)
            return summary

    def agencies(self, *, unresolved: bool = False) -> list[dict[str, Any]]:
        """Stored printed names with their canonical agency (or why none); ``unresolved``: only those."""
        with read_connection(self.engine) as conn:
            return agencies.agency_rows(conn, unresolved=unresolved)

    def run_cross_year(self) -> int:
        """Re-run every cross-year check; return the number of results stored."""
        with write_transaction(self.engine) as conn:
            return crossyear.run(conn)

    def cross_year_checks(
        self, *, statuses: Sequence[str] | None = None, run_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored cross-year checks (all, or those with one of ``statuses``; ``run_id``: those touching a
        version that run stored) with both sides."""
        with read_connection(self.engine) as conn:
            return crossyear.check_rows(conn, statuses=statuses, run_id=run_id)

    # ---------------------------------------------------------------- export

    def export(
        self,
        fmt: Literal["jsonl", "csv", "parquet"],
        out: Path,
        what: Literal["reports", "cells", "checks", "current"],
        *,
        current_only: bool = False,
        excel: bool = False,
    ) -> int:
        """Write reports (one per version, with provenance), cells (long format), checks, or current
        (one row per report, headline figures) to ``out`` with a ``datapackage.json`` beside it
        (:mod:`gxbg.store.export`); ``excel``: CSV with a UTF-8 byte order mark.  Return the number of
        records written."""
        from gxbg.store.export import export

        with read_connection(self.engine) as conn:
            return export(conn, fmt=fmt, out=Path(out), what=what, current_only=current_only, excel=excel)
