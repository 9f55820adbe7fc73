"""Re-run clean → parse → validate on archived bodies and replace each stored version's rows; no network.

What ``tasks.reparse`` wraps (after an extractor upgrade, ``gxbg.PARSER_VERSION``): each version is
re-read from the raw archive; one that no longer parses keeps its previous rows and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypedDict

from gxbg import PARSER_VERSION, parse_report, report_to_dict, validate
from gxbg.archive import RawArchive
from gxbg.errors import GxbgError
from gxbg.extract.serialize import ReportDict
from gxbg.pipeline.body import read_report_text
from gxbg.pipeline.process import describe_unexpected
from gxbg.store.records import StaleVersion

__all__ = [
    "ReparseError",
    "ReparseOutcome",
    "ReparseSink",
    "ReparseSummary",
    "merge_reparse",
    "reparse_versions",
]


class ReparseSink(Protocol):
    """The part of :class:`gxbg.store.db.Store` a reparse writes to."""

    def reparse_version(
        self,
        version_id: int,
        *,
        report: ReportDict,
        parser_version: str,
        page_title: str | None = None,
        page_published: str | None = None,
    ) -> None: ...


class ReparseError(TypedDict):
    """A version that could not be re-parsed, and why (its old rows are kept)."""

    version_id: int
    url: str
    reason: str


class ReparseSummary(TypedDict):
    """The reparse run's summary."""

    reparsed: int
    failed_checks: int
    errors: list[ReparseError]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReparseOutcome:
    """Counts of one reparse batch, plus the versions that could not be re-parsed and why."""

    reparsed: int = 0
    failed_checks: int = 0  # re-parsed versions with at least one FAIL check
    errors: tuple[ReparseError, ...] = ()


def reparse_versions(items: list[StaleVersion], *, archive: RawArchive, sink: ReparseSink) -> ReparseOutcome:
    """Re-run clean → parse → validate on archived bodies and replace each version's rows; no network.

    ``items`` come from :meth:`gxbg.store.db.Store.stale_versions`.  A version that no longer parses
    keeps its previous rows and is reported in ``errors``.
    """
    reparsed = failing = 0
    errors: list[ReparseError] = []
    for item in items:
        sha256 = item["document_sha256"]
        if not sha256:
            errors.append(
                {"version_id": item["version_id"], "url": item["source_url"], "reason": "no archived body"}
            )
            continue
        try:
            body = archive.get(sha256)
            page = read_report_text(body, content_type=item["content_type"], url=item["source_url"])
            if page.problem is not None:
                errors.append(
                    {"version_id": item["version_id"], "url": item["source_url"], "reason": page.problem}
                )
                continue
            parsed = parse_report(page.text)
            checks = validate(parsed)
            report = report_to_dict(parsed, checks)
            sink.reparse_version(
                item["version_id"],
                report=report,
                parser_version=PARSER_VERSION,
                page_title=page.title,
                page_published=page.published,
            )
        except GxbgError as exc:  # ArchiveError among them
            errors.append({"version_id": item["version_id"], "url": item["source_url"], "reason": f"{exc}"})
            continue
        except Exception as exc:  # one version's unexpected error never stops the others
            errors.append(
                {
                    "version_id": item["version_id"],
                    "url": item["source_url"],
                    "reason": describe_unexpected(exc),
                }
            )
            continue
        reparsed += 1
        failing += any(c["status"] == "FAIL" for c in report["checks"])
    return ReparseOutcome(reparsed=reparsed, failed_checks=failing, errors=tuple(errors))


def merge_reparse(outcomes: list[ReparseOutcome]) -> ReparseSummary:
    """The reparse run's summary: versions re-parsed, those with failing checks, and every error."""
    return {
        "reparsed": sum(o.reparsed for o in outcomes),
        "failed_checks": sum(o.failed_checks for o in outcomes),
        "errors": [e for o in outcomes for e in o.errors],
    }
