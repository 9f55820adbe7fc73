"""One site's worth of pipeline work after the crawl: archive → clean → parse → validate → load.

This is the logic the Prefect task ``tasks.process.process_site_task`` wraps in one call, so that
every decision that depends on report content lives here, in plain Python, testable without Prefect.
It never raises for a bad page: each report ends as loaded, unchanged, skipped or failed, with its
reason recorded in the database (failed pages are retried on the next harvest).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from gxbg import PARSER_VERSION, ParseError, parse_report, report_to_dict
from gxbg.archive import ArchiveError, RawArchive, sha256_hex
from gxbg.clean import clean_page
from gxbg.clean.attachments import attachment_text
from gxbg.crawl.charset import decode_text, is_binary
from gxbg.errors import GxbgError
from gxbg.kinds import FetchedReport, ItemKind, SiteCrawl


class ReportSink(Protocol):
    """The part of :class:`gxbg.store.db.Store` the pipeline writes to."""

    def record_document(self, run_id: int, *, portal: str, fetch: dict[str, Any]) -> None: ...
    def load_report(
        self, run_id: int, *, portal: str, source: dict[str, Any], report: dict[str, Any]
    ) -> Any: ...
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


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOutcome:
    """What became of one report page."""

    url: str
    title: str
    year: int | None
    status: str  # "loaded" | "unchanged" | "skipped" | "failed"
    format: str | None = None
    failed_rules: tuple[str, ...] = ()  # rule ids of FAIL checks, e.g. ("T3-BAL:natural_person",)
    failed: tuple[dict[str, Any], ...] = ()  # those checks: rule, scope, expr, left, right
    uncertain: int = 0
    reason: str | None = None  # for skipped / failed


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
    failures: tuple[dict[str, Any], ...] = field(default=())

    def row(self) -> dict[str, Any]:
        """The counts only, for summary tables."""
        return {k: v for k, v in asdict(self).items() if k not in ("reports", "failures")}


def _fail_label(check: dict[str, Any]) -> str:
    scope = check.get("scope")
    return f"{check['rule']}:{scope}" if scope else str(check["rule"])


def _fetch_record(fetched: FetchedReport) -> dict[str, Any]:
    record = asdict(fetched.fetch)
    record.pop("body", None)
    record.pop("text", None)
    record["error"] = str(fetched.fetch.error) if fetched.fetch.error else None
    record["kind"] = str(fetched.kind)
    record["sha256"] = fetched.sha256
    return record


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportText:
    """What an archived body holds: report text to parse, or why there is none."""

    text: str = ""
    title: str | None = None
    published: str | None = None
    skip: str | None = None  # a fact about the page (attachment-only, image-only, a scan): not retried
    failure: tuple[str, str, str] | None = None  # (stage, error, reason): recorded, retried next harvest

    @property
    def problem(self) -> str | None:
        """Why there is no text to parse, if there is none."""
        return self.failure[2] if self.failure is not None else self.skip


def read_report_text(body: bytes, *, content_type: str | None, url: str) -> ReportText:
    """The report text of an archived body: an HTML page through the cleaner, a PDF/DOCX attachment
    through :func:`gxbg.clean.attachments.attachment_text`.  The crawl's kind is only a hint."""
    if is_binary(content_type, url, body):
        attachment = attachment_text(body, content_type=content_type, url=url)
        if attachment.corrupt:  # a truncated or damaged download: fetch it again next harvest
            return ReportText(failure=("clean", "attachment", attachment.reason or "unreadable attachment"))
        if not attachment.text:  # a scan, a password, a .doc: facts about the file, not failures
            return ReportText(skip=f"attachment: {attachment.reason}")
        return ReportText(text=attachment.text)
    page = clean_page(decode_text(content_type, body).text, url=url)
    if page.kind is ItemKind.SHELL:  # the body arrives by script: may be a template glitch, retry
        return ReportText(
            failure=("clean", "shell", "no report body in the page (a script shell or an empty page)")
        )
    if page.kind is not ItemKind.REPORT_HTML:
        links = ", ".join(page.attachments[:3])
        return ReportText(
            skip=f"attachment-only page ({links})" if page.attachments else "image-only page (图片版)"
        )
    return ReportText(text=page.text, title=page.title, published=page.published)


def process_report(
    fetched: FetchedReport, *, portal: str, archive: RawArchive, sink: ReportSink, run_id: int
) -> ReportOutcome:
    """Clean, parse, validate and load one archived report page; never raises for a bad page."""
    item = fetched.item
    base: dict[str, Any] = {"url": item.url, "title": item.title, "year": item.year}

    def fail(stage: str, error: str, reason: str) -> ReportOutcome:
        sink.record_failure(run_id, portal=portal, url=item.url, stage=stage, error=error, reason=reason)
        return ReportOutcome(**base, status="failed", reason=f"{stage}: {reason}")

    if fetched.sha256 is None:
        return fail("fetch", "missing_body", "no archived body for a fetched page")
    try:
        body = archive.get(fetched.sha256)
    except ArchiveError as exc:
        return fail("archive", "archive", str(exc))
    url = fetched.fetch.final_url or item.url
    page = read_report_text(body, content_type=fetched.fetch.headers.get("content-type"), url=url)
    if page.failure is not None:
        return fail(*page.failure)
    if page.skip is not None:
        return ReportOutcome(**base, status="skipped", reason=page.skip)
    try:
        report = report_to_dict(parse_report(page.text))
    except ParseError as exc:
        return fail("parse", type(exc).__name__, str(exc))
    source = {
        "url": item.url,
        "final_url": fetched.fetch.final_url,
        "fetched_at": fetched.fetch.fetched_at,
        "sha256": fetched.sha256,
        "title": report.get("title") or page.title or item.title,
        "published": report.get("published") or page.published or item.published,
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
    sink.resolve_failure(item.url)
    checks = report.get("checks", [])
    return ReportOutcome(
        **base,
        status="loaded" if getattr(outcome, "created", True) else "unchanged",
        format=report.get("format"),
        failed_rules=tuple(_fail_label(c) for c in checks if c.get("status") == "FAIL"),
        failed=tuple(
            {k: c.get(k) for k in ("rule", "scope", "expr", "left", "right")}
            for c in checks
            if c.get("status") == "FAIL"
        ),
        uncertain=sum(1 for c in checks if c.get("status") == "UNCERTAIN"),
    )


def process_site(
    crawl: SiteCrawl, *, portal: str, archive: RawArchive, sink: ReportSink, run_id: int
) -> SiteOutcome:
    """Record the crawl's documents and failures, then process every report page it found."""
    for failure in crawl.failures:
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
        sink.record_document(run_id, portal=portal, fetch=_fetch_record(fetched))
        outcomes.append(process_report(fetched, portal=portal, archive=archive, sink=sink, run_id=run_id))
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
        failures=tuple(asdict(f) for f in crawl.failures),
    )


COUNT_FIELDS = (
    "pages",
    "found",
    "fetched",
    "parsed",
    "loaded",
    "unchanged",
    "skipped",
    "failed_checks",
    "errors",
)


def summarize(outcomes: list[SiteOutcome], *, run_id: int | None = None) -> dict[str, Any]:
    """The run summary: per-portal counts, totals, reports with failing checks, and every error."""
    outcomes = sorted(outcomes, key=lambda o: o.portal)
    rows = [o.row() for o in outcomes]
    totals = {k: sum(int(r[k]) for r in rows) for k in COUNT_FIELDS}
    failing = [
        {
            "portal": o.portal,
            "title": r.title,
            "year": r.year,
            "url": r.url,
            "failed_rules": list(r.failed_rules),
            "failed": [dict(c) for c in r.failed],
        }
        for o in outcomes
        for r in o.reports
        if r.failed_rules
    ]
    errors = [
        {"portal": o.portal, "url": r.url, "reason": r.reason or ""}
        for o in outcomes
        for r in o.reports
        if r.status == "failed"
    ] + [
        {"portal": o.portal, "url": f["url"], "reason": f"{f['stage']}: {f['error']}: {f['reason']}"}
        for o in outcomes
        for f in o.failures
    ]
    reports = [
        {
            "portal": o.portal,
            "title": r.title,
            "year": r.year,
            "format": r.format,
            "status": r.status,
            "failed_rules": list(r.failed_rules),
            "uncertain": r.uncertain,
            "url": r.url,
        }
        for o in outcomes
        for r in sorted(o.reports, key=lambda r: (r.year or 0, r.title))
    ]
    return {
        "run_id": run_id,
        "portals": rows,
        "totals": totals,
        "reports": reports,
        "failing_reports": failing,
        "errors": errors,
    }


class ReparseSink(Protocol):
    """The part of :class:`gxbg.store.db.Store` a reparse writes to."""

    def reparse_version(
        self,
        version_id: int,
        *,
        report: dict[str, Any],
        parser_version: str,
        page_title: str | None = None,
        page_published: str | None = None,
    ) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ReparseOutcome:
    """Counts of one reparse batch, plus the versions that could not be re-parsed and why."""

    reparsed: int = 0
    failed_checks: int = 0  # re-parsed versions with at least one FAIL check
    errors: tuple[dict[str, Any], ...] = ()  # {"version_id", "url", "reason"}; their old rows are kept


def reparse_versions(
    items: list[dict[str, Any]], *, archive: RawArchive, sink: ReparseSink
) -> ReparseOutcome:
    """Re-run clean → parse → validate on archived bodies and replace each version's rows; no network.

    ``items`` come from :meth:`gxbg.store.db.Store.stale_versions`.  A version that no longer parses
    keeps its previous rows and is reported in ``errors``.
    """
    reparsed = failing = 0
    errors: list[dict[str, Any]] = []
    for item in items:
        if not item.get("document_sha256"):
            errors.append(
                {"version_id": item["version_id"], "url": item["source_url"], "reason": "no archived body"}
            )
            continue
        try:
            body = archive.get(item["document_sha256"])
            page = read_report_text(body, content_type=item.get("content_type"), url=item["source_url"])
            if page.problem is not None:
                errors.append(
                    {"version_id": item["version_id"], "url": item["source_url"], "reason": page.problem}
                )
                continue
            report = report_to_dict(parse_report(page.text))
            sink.reparse_version(
                item["version_id"],
                report=report,
                parser_version=PARSER_VERSION,
                page_title=page.title,
                page_published=page.published,
            )
        except (ArchiveError, GxbgError) as exc:
            errors.append({"version_id": item["version_id"], "url": item["source_url"], "reason": f"{exc}"})
            continue
        reparsed += 1
        failing += any(c.get("status") == "FAIL" for c in report.get("checks", []))
    return ReparseOutcome(reparsed=reparsed, failed_checks=failing, errors=tuple(errors))


def merge_reparse(outcomes: list[ReparseOutcome]) -> dict[str, Any]:
    """The reparse run's summary: versions re-parsed, those with failing checks, and every error."""
    return {
        "reparsed": sum(o.reparsed for o in outcomes),
        "failed_checks": sum(o.failed_checks for o in outcomes),
        "errors": [e for o in outcomes for e in o.errors],
    }
