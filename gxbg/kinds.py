"""Value types shared by discovery, fetching, the archive and the pipeline tasks.

These are the contract between :mod:`gxbg.crawl.fetch` (who fills a :class:`FetchResult`),
:mod:`gxbg.crawl.site` (who walks a portal and yields :class:`FoundItem` / :class:`SiteCrawl`)
and the Prefect tasks (who only pass them on).  Plain frozen dataclasses, JSON-friendly via
``dataclasses.asdict``; no behaviour beyond tiny helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorKind(StrEnum):
    """Why a fetch did not give us a usable page.  Stored verbatim in the database."""

    TIMEOUT = "timeout"
    CONNECTION = "connection"  # reset, refused, DNS
    HTTP_4XX = "http_4xx"
    HTTP_5XX = "http_5xx"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    TOO_LARGE = "too_large"
    TRUNCATED = "truncated"
    ROBOTS = "robots"  # disallowed by robots.txt
    BLOCKED = "blocked"  # WAF / JS challenge / anti-bot page: never parsed, retried on a later run
    STUB = "stub"  # a tiny placeholder body where a page was expected
    OUT_OF_SCOPE = "out_of_scope"  # SSRF guard or domain scope refused the URL
    DECODE = "decode"


#: Transport errors worth another attempt within a fetch (the fetcher's retries with backoff).
TRANSIENT_KINDS = frozenset({ErrorKind.TIMEOUT, ErrorKind.CONNECTION, ErrorKind.TRUNCATED})

#: File extensions of report attachments (portals.md §6.2): what crawl and clean both call an attachment.
ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ofd")


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """One HTTP exchange, after redirects, decoding and challenge detection."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # None when no response arrived
    fetched_at: str  # ISO 8601 UTC, e.g. "2026-11-22T02:30:00Z"
    headers: dict[str, str] = field(default_factory=dict)  # the ones that matter, lower-case names
    body: bytes = b""  # decoded from transfer/content encoding, i.e. the entity bytes
    sha256: str | None = None  # of body; None when there is no body
    text: str | None = None  # body decoded to str (HTML/XML/JSON), None for binaries
    encoding: str | None = None  # codec used for `text`
    redirects: tuple[str, ...] = ()  # the chain, first hop first
    error: ErrorKind | None = None
    reason: str | None = None  # human-readable detail for `error`
    not_modified: bool = False  # 304 to a conditional GET; body empty, sha256 = previous
    encoding_declared: str | None = None  # charset named by the header / <meta>, if any
    decode_replacements: int = 0  # U+FFFD characters produced while decoding `text`
    attempts: int = 0  # HTTP requests sent for the final hop (1 + retries); 0 when none was sent

    @property
    def ok(self) -> bool:
        if self.error is not None or self.status is None:
            return False
        return 200 <= self.status < 300 or self.not_modified


class ItemKind(StrEnum):
    """What a discovered link turned out to be."""

    REPORT_HTML = "report_html"  # the report is inline HTML on the detail page
    ATTACHMENT = "attachment"  # the report is a PDF/DOC/DOCX/WPS file
    IMAGE_ONLY = "image_only"  # the detail page has only images (图片版)
    SHELL = "shell"  # an SPA shell whose body arrives by XHR and we could not resolve


@dataclass(frozen=True, slots=True, kw_only=True)
class FoundItem:
    """An annual report found on a portal (classified by its title, never by its path)."""

    url: str  # canonical detail URL (or the attachment URL for attachment-only items)
    title: str
    year: int | None  # report year from the title (NOT the publication year)
    agency: str | None  # publishing unit from the title, when it names one
    published: str | None = None  # listing date, ISO yyyy-mm-dd, when shown
    listing_url: str | None = None  # where it was found
    attachments: tuple[str, ...] = ()  # absolute URLs of pdf/doc/docx/wps attachments


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchedReport:
    """A report page that was fetched and archived; the pipeline parses it from the archive."""

    item: FoundItem
    kind: ItemKind
    # body is dropped (empty) before this crosses a task boundary; see `sha256`.  For a report
    # file downloaded from its detail page: the file's fetch (url = the file link, final_url after
    # redirects) while `item.url` stays the detail page.
    fetch: FetchResult
    sha256: str | None  # key into the raw archive


@dataclass(frozen=True, slots=True, kw_only=True)
class Failure:
    """A URL that did not yield a usable page, with its reason.  Retried on the next harvest."""

    url: str
    stage: str  # "discover" | "fetch" | "classify"
    error: ErrorKind
    reason: str
    status: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteCrawl:
    """Everything one portal crawl produced.  Small: bodies live in the archive."""

    seed_url: str
    reports: tuple[FetchedReport, ...] = ()
    failures: tuple[Failure, ...] = ()
    pages_fetched: int = 0
    non_reports_skipped: int = 0  # listing items classified as not-a-report
    out_of_scope: tuple[str, ...] = ()  # links discovery saw but never requested (scope rule)
