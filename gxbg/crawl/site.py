"""Crawl one portal: seed → report column → every listing page → report detail pages.

Composition only: :mod:`gxbg.crawl.discover` reads bodies, the :class:`~gxbg.crawl.fetch.Fetcher`
fetches them, :class:`~gxbg.archive.RawArchive` keeps them, and every request goes through the crawl's
:class:`~gxbg.crawl.session.Session` (scope, budget, archiving, failure rows, files, shells); this
module walks the listings and the detail pages.  Never raises for a bad page:
every problem becomes a :class:`~gxbg.kinds.Failure`.  A fetch marked ``BLOCKED`` (or any
other error) is a failure, never a report.  Links outside the seed's scope
(:func:`gxbg.crawl.discover.in_scope`) are never requested; they are listed in
``SiteCrawl.out_of_scope``.

SPA shells (:mod:`gxbg.crawl.shells`, e.g. Epoint WebBuilder ``showinfo.html?infoGuid=``) are
resolved through their JSON detail API: the shell and the API's JSON are archived as fetched, and
the report page rebuilt from the JSON is archived too and becomes the report's body (``sha256``).
Its ``FetchResult`` keeps the shell's URL as ``url``, ends ``redirects`` with the shell's URL and
names the API as ``final_url`` (provenance); it carries no validators, so shells are always
fetched whole.  A shell whose API fails or finds nothing is a failure under the item's URL.

A detail page that only links to the report file (:func:`gxbg.crawl.attachments.detail_kind` says
``ATTACHMENT``) is followed by a download of that file: the page's file links that may be the report
(:func:`gxbg.crawl.attachments.report_files`: ``.pdf``/``.docx``/``.doc``/``.wps``, ``downfile.jsp``,
download URLs whose shown name is a file's; those named as the report first, at most three) are
tried in order until one answers a file.  The file is archived and the report's ``FetchedReport``
carries the file's fetch (``url`` = the file link, ``final_url`` after redirects, its headers and
sha256) under the detail page's ``FoundItem`` (URL, title, year, agency, listing date): the page URL
stays the report's identity.  When no file downloads, one failure under the page URL gives each
file's reason.  A page with no such link (only ``.xls``/``.ofd`` files) stays the report's body.

Re-harvests send conditional GETs for detail pages (never for listing pages: new items appear
there).  ``validators`` maps a detail URL to ``(etag, last_modified)`` or ``(etag, last_modified,
sha256)``; with a sha256 the archived body is read first, and a URL whose body is missing or
corrupt is fetched unconditionally.  A ``304`` then stands for that archived body: its kind is
judged from it and the report carries its sha256, so the pipeline loads it as unchanged.  A ``304``
with no archived body to stand for it is a failure.  A downloaded report file is fetched
conditionally under its own URL (the key ``Store.known_pages`` gives it, since the pipeline records
the file's fetch); its detail page is then fetched whole.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import replace

from gxbg.archive import RawArchive, sha256_hex
from gxbg.crawl import attachments, discover
from gxbg.crawl.attachments import detail_kind
from gxbg.crawl.listings import MAX_CHARS, MAX_ITEMS
from gxbg.crawl.session import (
    MAX_FAILURES_PER_CAUSE,
    FetcherLike,
    Session,
    Validators,
    conditional,
    from_archive,
)
from gxbg.crawl.urls import seed_problem
from gxbg.kinds import ErrorKind, Failure, FetchedReport, FoundItem, ItemKind, SiteCrawl

__all__ = [
    "BARREN_LIMIT", "BUDGET_DETAIL", "BUDGET_LISTING", "DEAD_LIMIT", "LISTING_SHARE",
    "MAX_FAILURES_PER_CAUSE", "FetcherLike", "Validators", "crawl_site",
]  # fmt: skip

#: Pager pages in a row (one family) with no item not seen before, or repeating an earlier body.
DEAD_LIMIT = 2
#: Pager pages in a row (one family) with no new report-titled item.
BARREN_LIMIT = 10
#: Share of ``max_pages`` the seed, column and listing pages may spend; the rest is for detail pages.
LISTING_SHARE = 0.5
#: Failure-row keys (under the seed URL) of the two budgets: one open row per cause per portal.
BUDGET_LISTING = "#gxbg-budget-listing"
BUDGET_DETAIL = "#gxbg-budget-detail"


class _Family:
    """Pager pages reached from one column or subcolumn page, with the evidence against going on."""

    __slots__ = ("barren", "dead", "stopped")

    def __init__(self) -> None:
        self.dead = self.barren = 0
        self.stopped = False

    def observe(self, *, new_items: bool, new_reports: bool) -> None:
        self.dead = 0 if new_items else self.dead + 1
        self.barren = 0 if new_reports else self.barren + 1
        self.stopped = self.dead >= DEAD_LIMIT or self.barren >= BARREN_LIMIT


class _Source:
    """A queue entry: listing requests to pull one at a time (a column page, or a lazy pager series)."""

    __slots__ = ("family", "pager", "requests")

    def __init__(
        self,
        family: _Family,
        requests: Iterator[tuple[discover.PageRequest, str | None]],
        *,
        pager: bool = False,
    ) -> None:
        self.family, self.requests, self.pager = family, requests, pager


def _pull(source: _Source, seen: set[str]) -> tuple[discover.PageRequest, str | None] | None:
    """The source's next request not seen before (marked seen), or None when it has no more."""
    for request, body in source.requests:
        if not source.pager:
            return request, body
        key = discover.canonical(request.url) + (
            f" {request.method} {request.data!r}" if request.data else ""
        )
        if key not in seen:
            seen.add(key)
            return request, body
    return None


def _confirm(item: FoundItem, text: str | None) -> FoundItem | None:
    """The item with the detail page's full title when that title is a report's, else None."""
    title = discover.detail_title(text) if text else None
    info = discover.classify_title(title) if title else None
    if title is None or info is None or not info.is_report:
        return None
    return replace(item, title=title, year=info.year, agency=info.agency)


async def crawl_site(
    seed_url: str,
    *,
    fetcher: FetcherLike,
    archive: RawArchive,
    years: set[int] | None = None,
    validators: dict[str, Validators] | None = None,
    max_pages: int = 500,
    allow_hosts: frozenset[str] = frozenset(),
) -> SiteCrawl:
    """Walk one portal and fetch every annual report on it; see the module docstring."""
    # not-a-url, ftp://…, credentials (never sent), 0177.0.0.1: say so, never "no column found"
    if (problem := seed_problem(seed_url)) is not None:
        failure = Failure(url=seed_url, stage="discover", error=ErrorKind.OUT_OF_SCOPE, reason=problem)
        return SiteCrawl(seed_url=seed_url, failures=(failure,))
    crawl = Session(seed_url, fetcher, archive, max_pages, allow_hosts)
    column = await crawl.find_column()
    if column is None:
        if not crawl.failures:
            crawl.fail(seed_url, "discover", ErrorKind.STUB, "no annual-report column found from the seed")
        return SiteCrawl(seed_url=seed_url, failures=crawl.failures_out(), pages_fetched=crawl.pages,
                         out_of_scope=tuple(crawl.out_of_scope))  # fmt: skip
    found: dict[str, FoundItem] = {}
    unconfirmed: set[str] = set()  # truncated titles to confirm from the detail page
    skipped = 0
    # The walk is breadth-first over listing requests; a listing's pager pages are a lazy series
    # (a pager may claim 999,999 pages) pulled one at a time, and each family of pager pages (those
    # reached from one column or subcolumn page) stops on evidence: DEAD_LIMIT pages in a row with no
    # item not seen before (or a repeated body), or BARREN_LIMIT pages in a row with no new
    # report-titled item.  Listing pages may spend LISTING_SHARE of max_pages; the rest is kept for the
    # detail pages of report-titled items, so the genuine reports on page 1 of a trap are loaded.
    queue: deque[_Source] = deque(
        [_Source(_Family(), iter([(discover.PageRequest(url=column), crawl.first[1])]))]
    )
    listing_budget = max(1, int(max_pages * LISTING_SHARE))
    items_seen: set[str] = set()
    bodies: set[str] = set()
    while queue:
        source = queue[0]
        if source.family.stopped:
            queue.popleft()
            continue
        pulled = _pull(source, crawl.seen)
        if pulled is None:
            queue.popleft()
            continue
        request, body = pulled
        if body is None:
            if crawl.pages >= listing_budget:
                reason = (
                    f"listing budget reached: {crawl.pages} of max_pages={max_pages} pages spent on the seed "
                    f"and listing pages; further listing pages not fetched (next: {request.url})"
                )
                crawl.fail(seed_url + BUDGET_LISTING, "discover", ErrorKind.TOO_LARGE, reason)
                break
            result = await crawl.get(
                request.url, "discover", method=request.method, data=dict(request.data) or None
            )
            if result is None or result.text is None:
                continue
            body, base = result.text, result.final_url or request.url
        else:
            base = request.url
        digest = sha256_hex(body.encode("utf-8", "surrogatepass"))
        repeated = digest in bodies
        bodies.add(digest)
        first = body is crawl.first[1] and base == column
        listing = crawl.first_listing if first else discover.parse_listing(body, base)
        family = source.family
        if listing.truncated:  # a hostile listing: read as far as the cap, and said so
            reason = (
                f"listing page too large (over {MAX_ITEMS} items or {MAX_CHARS:,} characters): "
                f"only the first {MAX_ITEMS} items of its first {MAX_CHARS:,} characters were read"
            )
            crawl.fail(base, "discover", ErrorKind.TOO_LARGE, reason)
        if listing.pages:
            queue.append(_Source(family, ((page, None) for page in listing.pages), pager=True))
        for sub in listing.subcolumns:
            key = discover.canonical(sub)
            if key not in crawl.seen:
                crawl.seen.add(key)
                if discover.in_scope(sub, seed_url, allow_hosts):
                    queue.append(_Source(_Family(), iter([(discover.PageRequest(url=sub), None)])))
                else:
                    crawl.out_of_scope.append(sub)
        new_items = new_reports = 0
        for item in listing.items:
            info = discover.classify_title(item.title)
            url = discover.canonical(item.url)
            if url not in items_seen:
                items_seen.add(url)
                new_items += 1
                new_reports += info.is_report  # evidence for the pager, whatever years are asked for
            if not info.is_report and not info.uncertain:
                skipped += 1
                continue
            if url in found and (info.uncertain or url not in unconfirmed):
                continue  # seen before (a full title replaces a truncated one)
            if not discover.in_scope(url, seed_url, allow_hosts):
                crawl.out_of_scope.append(url)
                continue
            if years is not None and info.year not in years:
                continue
            if info.uncertain:
                unconfirmed.add(url)
            else:
                unconfirmed.discard(url)
            found[url] = FoundItem(url=url, title=item.title, year=info.year, agency=info.agency,
                                   published=item.published, listing_url=base)  # fmt: skip
        if source.pager:
            family.observe(new_items=bool(new_items) and not repeated, new_reports=bool(new_reports))
    # Detail pages: report-titled items first (page order), truncated titles to confirm after them.
    order = sorted(found, key=lambda u: u in unconfirmed)
    found = {u: found[u] for u in order}
    reports: list[FetchedReport] = []
    for index, (url, found_item) in enumerate(found.items()):
        if crawl.pages >= max_pages:  # one failure row for the whole rest, not one per item
            rest = list(found)[index:]
            reason = (f"page budget reached (max_pages={max_pages}): {len(rest)} report-titled items not "
                      f"fetched, e.g. {', '.join(rest[:3])}")  # fmt: skip
            crawl.fail(seed_url + BUDGET_DETAIL, "fetch", ErrorKind.TOO_LARGE, reason)
            break
        sent, archived = conditional((validators or {}).get(url), archive)
        result = await crawl.get(url, "fetch", validators=sent)
        if result is None:
            continue
        if result.not_modified:
            if archived is None:  # validators without a sha256, or a 304 nobody asked for
                why = "validators without a sha256" if sent else "no validators were sent"
                reason = f"304 Not Modified but no archived body stands for it ({why})"
                crawl.fail(url, "fetch", ErrorKind.HTTP_4XX, reason, result.status)
                continue
            result = from_archive(result, archived)
        resolved = await crawl.resolve_shell(url, result)
        if resolved is None:
            continue
        result = resolved
        if url in unconfirmed:
            confirmed = _confirm(found_item, result.text)
            if confirmed is None:
                skipped += 1
                continue
            found_item = confirmed
        files = attachments.report_files(result.text, result.final_url or url) if result.text else ()
        kind, linked = detail_kind(result.text, result.final_url or url, files=files)
        if linked:
            found_item = replace(found_item, attachments=linked)
        if kind is ItemKind.ATTACHMENT and files:  # the report is a file the page links to: fetch it
            downloaded = await crawl.download(url, files, validators or {})
            if downloaded is None:
                continue
            result = downloaded
        reports.append(
            FetchedReport(item=found_item, kind=kind, fetch=replace(result, body=b""), sha256=result.sha256)
        )
    return SiteCrawl(
        seed_url=seed_url,
        reports=tuple(reports),
        failures=crawl.failures_out(),
        pages_fetched=crawl.pages,
        non_reports_skipped=skipped,
        out_of_scope=tuple(crawl.out_of_scope),
    )
