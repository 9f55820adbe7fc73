"""One site's worth of pipeline work after the crawl: archive → clean → parse → validate → load.

The harvest's shard task (``tasks.harvest_shard``, through :mod:`gxbg.pipeline.concurrent`) calls it once
per crawled portal, so every decision that depends on report content lives here, in plain Python,
testable without Prefect.
It never raises for a bad page: each report ends as loaded, unchanged, skipped or failed, with its
reason recorded in the database (failed pages are retried on the next harvest).  Any exception while
processing one page — an extractor bug, a corrupt archive, a database write refused, a full disk —
becomes that page's failure (stage, reason) and the portal's other pages go on; a failure that
cannot even be recorded (the database itself is gone) is still a failed outcome in the summary.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass, field
from typing import Any, NotRequired, Protocol, TypedDict

from gxbg import PARSER_VERSION, ParseError, parse_report, report_to_dict, validate
from gxbg.archive import ArchiveError, RawArchive, sha256_hex
from gxbg.errors import GxbgError
from gxbg.extract.serialize import CheckDict, JsonValue, ReportDict
from gxbg.kinds import FetchedReport, SiteCrawl
from gxbg.pipeline.body import read_report_text
from gxbg.store.records import FetchRecord, LoadOutcome, ReportSource


class ReportSink(Protocol):
    """The part of :class:`gxbg.store.db.Store` the pipeline writes to."""

    def record_document(self, run_id: int, *, portal: str, fetch: FetchRecord) -> None: ...
    def load_report(
        self, run_id: int, *, portal: str, source: ReportSource, report: ReportDict
    ) -> LoadOutcome: ...
    def record_failure(
        self, run_id: int, *, portal: str, url: str, stage: str, error: str, reason: str
    ) -> None: ...
    def resolve_failure(self, url: str) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Portal:
    """A portal to harvest: a name, a seed URL and what the registry knows about its agency."""

    name: str
    seed_url: str
    agency: str | None = None
    region_code: str | None = None
    level: str | None = None
    province: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Portal:
        known = {
            k: data[k]
            for k in ("name", "seed_url", "agency", "region_code", "level", "province")
            if k in data
        }
        return cls(**known)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FailedCheck(TypedDict):
    """A FAIL check as the run summary shows it: the rule, its scope and both sides."""

    rule: str
    scope: str
    expr: str
    left: JsonValue
    right: JsonValue


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOutcome:
    """What became of one report page."""

    url: str
    title: str
    year: int | None
    status: str  # "loaded" | "unchanged" | "skipped" | "failed"
    format: str | None = None
    failed_rules: tuple[str, ...] = ()  # rule ids of FAIL checks, e.g. ("T3-BAL:natural_person",)
    failed: tuple[FailedCheck, ...] = ()  # those checks
    uncertain: int = 0
    reason: str | None = None  # for skipped / failed


class _Page(TypedDict):
    """The report page an outcome is about: what its listing showed."""

    url: str
    title: str
    year: int | None


class PageFailure(TypedDict):
    """A page of the crawl that failed (``gxbg.kinds.Failure``), or a portal whose crawl raised."""

    url: str
    stage: str
    error: str
    reason: str
    status: NotRequired[int | None]


class PortalRow(TypedDict):
    """One portal's counts in the run summary (:class:`SiteOutcome` without its reports)."""

    portal: str
    pages: int
    found: int
    fetched: int
    parsed: int
    loaded: int
    unchanged: int
    skipped: int
    failed_checks: int
    errors: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteOutcome:
    """Per-portal counts for the run summary, plus each report's outcome."""

    portal: str
    pages: int = 0  # HTTP exchanges of the crawl (listings, details, robots.txt)
    found: int = 0
    fetched: int = 0
    parsed: int = 0
    loaded: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed_checks: int = 0  # reports with at least one FAIL check
    errors: int = 0  # pages that failed to fetch, clean or parse
    reports: tuple[ReportOutcome, ...] = ()
    failures: tuple[PageFailure, ...] = field(default=())

    def row(self) -> PortalRow:
        """The counts only, for summary tables."""
        return {
            "portal": self.portal,
            "pages": self.pages,
            "found": self.found,
            "fetched": self.fetched,
            "parsed": self.parsed,
            "loaded": self.loaded,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed_checks": self.failed_checks,
            "errors": self.errors,
        }


def _fail_label(check: CheckDict) -> str:
    scope = check["scope"]
    return f"{check['rule']}:{scope}" if scope else check["rule"]


def _fetch_record(fetched: FetchedReport) -> FetchRecord:
    """The fetch of one report page (or file) for its ``documents`` row: the exchange without its body."""
    fetch = fetched.fetch
    return {
        "url": fetch.url,
        "final_url": fetch.final_url,
        "status": fetch.status,
        "fetched_at": fetch.fetched_at,
        "headers": dict(fetch.headers),
        "sha256": fetched.sha256,
        "encoding": fetch.encoding,
        "redirects": list(fetch.redirects),
        "error": str(fetch.error) if fetch.error else None,
        "reason": fetch.reason,
        "not_modified": fetch.not_modified,
        "encoding_declared": fetch.encoding_declared,
        "decode_replacements": fetch.decode_replacements,
        "attempts": fetch.attempts,
        "kind": str(fetched.kind),
    }


def process_report(
    fetched: FetchedReport, *, portal: str, archive: RawArchive, sink: ReportSink, run_id: int
) -> ReportOutcome:
    """Clean, parse, validate and load one archived report page; never raises for a bad page."""
    item = fetched.item
    base: _Page = {"url": item.url, "title": item.title, "year": item.year}

    def fail(stage: str, error: str, reason: str) -> ReportOutcome:
        return _failed(sink, run_id, portal=portal, base=base, stage=stage, error=error, reason=reason)

    if fetched.sha256 is None:
        return fail("fetch", "missing_body", "no archived body for a fetched page")
    try:
        body = archive.get(fetched.sha256)
    except ArchiveError as exc:
        return fail("archive", "archive", str(exc))
    except Exception as exc:  # e.g. an I/O error reading the archive
        return fail("archive", type(exc).__name__, describe_unexpected(exc))
    url = fetched.fetch.final_url or item.url
    try:
        page = read_report_text(body, content_type=fetched.fetch.headers.get("content-type"), url=url)
    except Exception as exc:  # the cleaner must never cost the portal's other pages
        return fail("clean", type(exc).__name__, describe_unexpected(exc))
    if page.failure is not None:
        return fail(*page.failure)
    if page.skip is not None:
        return ReportOutcome(**base, status="skipped", reason=page.skip)
    try:
        parsed = parse_report(page.text)
        checks = validate(parsed)
        report = report_to_dict(parsed, checks)
    except ParseError as exc:
        return fail("parse", type(exc).__name__, str(exc))
    except Exception as exc:  # an undocumented extractor error (e.g. ValueError): this page fails, alone
        return fail("parse", type(exc).__name__, describe_unexpected(exc))
    source: ReportSource = {
        "url": item.url,
        "final_url": fetched.fetch.final_url,
        "fetched_at": fetched.fetch.fetched_at,
        "sha256": fetched.sha256,
        "title": report["title"] or page.title or item.title,
        "published": report["published"] or page.published or item.published,
        "agency": item.agency,
        "year": item.year,
        "text_sha256": sha256_hex(page.text.encode("utf-8")),
        "parser_version": PARSER_VERSION,
        "document_url": fetched.fetch.url,  # the documents row record_document wrote
        "listed_title": item.title,  # what the listing showed: kept by a reparse
        "listed_published": item.published,
    }
    try:
        outcome = sink.load_report(run_id, portal=portal, source=source, report=report)
    except GxbgError as exc:  # the store refused the report whole (e.g. no year anywhere): nothing written
        return fail("load", type(exc).__name__, str(exc))
    except Exception as exc:  # a failed database write (disk full, connection lost) is a failure
        return fail("load", type(exc).__name__, describe_unexpected(exc))
    with contextlib.suppress(Exception):  # loaded; an old failure row left open is closed next success
        sink.resolve_failure(item.url)
    failing = [c for c in report["checks"] if c["status"] == "FAIL"]
    return ReportOutcome(
        **base,
        status="loaded" if outcome.created else "unchanged",
        format=report["format"],
        failed_rules=tuple(_fail_label(c) for c in failing),
        failed=tuple(
            {
                "rule": c["rule"],
                "scope": c["scope"],
                "expr": c["expr"],
                "left": c["left"],
                "right": c["right"],
            }
            for c in failing
        ),
        uncertain=sum(1 for c in report["checks"] if c["status"] == "UNCERTAIN"),
    )


def describe_unexpected(exc: BaseException) -> str:
    """An unexpected exception in one line: its type and the first line of its message."""
    detail = (str(exc).splitlines() or [""])[0][:500]
    return f"unexpected {type(exc).__name__}: {detail}" if detail else f"unexpected {type(exc).__name__}"


def _failed(
    sink: ReportSink, run_id: int, *, portal: str, base: _Page, stage: str, error: str, reason: str
) -> ReportOutcome:
    """Record one page's failure; when even that write fails, the outcome says so (still failed)."""
    try:
        sink.record_failure(run_id, portal=portal, url=base["url"], stage=stage, error=error, reason=reason)
    except Exception as exc:
        reason = f"{reason}; the failure could not be recorded: {describe_unexpected(exc)}"
    return ReportOutcome(**base, status="failed", reason=f"{stage}: {reason}")


def process_site(
    crawl: SiteCrawl, *, portal: str, archive: RawArchive, sink: ReportSink, run_id: int
) -> SiteOutcome:
    """Record the crawl's documents and failures, then process every report page it found.

    Never raises for one page: whatever goes wrong with a page (recording its document included)
    is that page's failed outcome, and the next page is processed.
    """
    for failure in crawl.failures:  # one that cannot be recorded still counts in the summary's errors
        with contextlib.suppress(Exception):
            sink.record_failure(
                run_id,
                portal=portal,
                url=failure.url,
                stage=failure.stage,
                error=str(failure.error),
                reason=failure.reason,
            )
    outcomes = []
    for fetched in crawl.reports:
        base: _Page = {
            "url": fetched.item.url,
            "title": fetched.item.title,
            "year": fetched.item.year,
        }
        try:
            sink.record_document(run_id, portal=portal, fetch=_fetch_record(fetched))
            outcome = process_report(fetched, portal=portal, archive=archive, sink=sink, run_id=run_id)
        except Exception as exc:
            outcome = _failed(sink, run_id, portal=portal, base=base, stage="load",
                              error=type(exc).__name__, reason=describe_unexpected(exc))  # fmt: skip
        outcomes.append(outcome)
    statuses = [o.status for o in outcomes]
    return SiteOutcome(
        portal=portal,
        pages=crawl.pages_fetched,
        found=len(crawl.reports) + sum(1 for f in crawl.failures if f.stage != "discover"),
        fetched=len(crawl.reports),
        parsed=sum(1 for s in statuses if s in ("loaded", "unchanged")),
        loaded=statuses.count("loaded"),
        unchanged=statuses.count("unchanged"),
        skipped=statuses.count("skipped"),
        failed_checks=sum(1 for o in outcomes if o.failed_rules),
        errors=statuses.count("failed") + len(crawl.failures),
        reports=tuple(outcomes),
        failures=tuple(
            {"url": f.url, "stage": f.stage, "error": f.error, "reason": f.reason, "status": f.status}
            for f in crawl.failures
        ),
    )
