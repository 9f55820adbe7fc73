"""What the store takes and gives at its edge: the typed records the pipeline hands it and reads back.

``FetchRecord`` (one fetched resource, for ``Store.record_document``), ``ReportSource`` (where a report
came from, for ``Store.load_report``), ``LoadOutcome`` (what ``load_report`` did) and ``StaleVersion``
(a version a reparse re-reads).  The report itself is the extractor's ``ReportDict``
(:mod:`gxbg.extract.serialize`).  At run time the TypedDicts are plain dicts: JSON-able, picklable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Required, TypedDict

__all__ = ["FetchRecord", "LoadOutcome", "OpenFailure", "ReportSource", "StaleVersion"]


class FetchRecord(TypedDict, total=False):
    """One fetched resource (``FetchResult`` without its body): the columns of a ``documents`` row.

    ``url`` and ``fetched_at`` are required; ``headers`` fill ``content_type``, ``etag`` and
    ``last_modified`` when those are not given themselves; ``error_kind`` wins over ``error``.
    """

    url: Required[str]
    fetched_at: Required[str | dt.datetime]  # ISO 8601 (``Z`` allowed) or an aware datetime
    final_url: str | None
    status: int | None
    headers: dict[str, str]
    sha256: str | None
    encoding: str | None
    redirects: Sequence[str] | None
    error: str | None
    error_kind: str | None
    reason: str | None
    content_type: str | None
    etag: str | None
    last_modified: str | None
    kind: str  # what the crawl took the resource for (an ``ItemKind``)
    not_modified: bool
    encoding_declared: str | None
    decode_replacements: int
    attempts: int


class ReportSource(TypedDict, total=False):
    """Where one parsed report came from (``Store.load_report``).

    Required: ``url`` (the report page: its identity), ``fetched_at``, ``sha256`` (the raw archive key of
    the fetched body).  ``text_sha256`` (of the clean text) keys the version when given; ``agency`` and
    ``year`` are fallbacks when the report prints neither; ``document_url`` is the fetched resource when
    it is not the page (a report file); ``listed_*`` is what the portal's listing showed.
    """

    url: Required[str]
    fetched_at: Required[str | dt.datetime]
    sha256: Required[str]
    final_url: str | None
    title: str | None
    published: str | dt.date | None
    agency: str | None
    year: int | None
    text_sha256: str | None
    parser_version: str | None
    document_url: str | None
    listed_title: str | None
    listed_published: str | dt.date | None


class StaleVersion(TypedDict):
    """A stored version parsed by another parser version: what a reparse needs to re-read it."""

    version_id: int
    source_url: str
    parser_version: str | None
    document_sha256: str | None
    content_type: str | None


class OpenFailure(TypedDict):
    """A failure not resolved yet (retried on the next harvest); timestamps ISO 8601."""

    url: str
    portal: str | None
    stage: str
    error: str
    reason: str
    attempts: int
    first_seen: str
    last_seen: str
    run_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadOutcome:
    """What ``load_report`` did: ``created`` is False when the content was already stored."""

    created: bool
    report_id: int
    version_id: int
