"""Crawl one portal: seed → report column → every listing page → report detail pages.

Composition only: :mod:`gxbg.crawl.discover` reads bodies, the :class:`~gxbg.crawl.fetch.Fetcher`
fetches them, :class:`~gxbg.archive.RawArchive` keeps them.  Never raises for a bad page:
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

import asyncio
from collections import deque
from dataclasses import replace
from typing import Protocol
from urllib.parse import urlsplit

from gxbg.archive import ArchiveError, RawArchive, sha256_hex
from gxbg.crawl import attachments, charset, discover, shells
from gxbg.crawl.attachments import detail_kind
from gxbg.kinds import ErrorKind, Failure, FetchedReport, FetchResult, FoundItem, ItemKind, SiteCrawl

_NAV_DEPTH = 3

#: A detail URL's validators from an earlier fetch: (etag, last_modified[, sha256 of the stored body]).
Validators = tuple[str | None, str | None] | tuple[str | None, str | None, str]


class FetcherLike(Protocol):
    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        data: dict[str, str] | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> FetchResult: ...


class _Crawl:
    def __init__(
        self, seed: str, fetcher: FetcherLike, archive: RawArchive, max_pages: int, allow: frozenset[str]
    ) -> None:
        self.seed, self.fetcher, self.archive, self.max_pages, self.allow = (
            seed,
            fetcher,
            archive,
            max_pages,
            allow,
        )
        self.failures: list[Failure] = []
        self.out_of_scope: list[str] = []
        self.pages = 0
        self.seen: set[str] = set()

    def fail(self, url: str, stage: str, error: ErrorKind, reason: str, status: int | None = None) -> None:
        self.failures.append(Failure(url=url, stage=stage, error=error, reason=reason, status=status))

    async def get(self, url: str, stage: str, *, method: str = "GET", data: dict[str, str] | None = None,
                  validators: tuple[str | None, str | None] | None = None,
                  on_behalf_of: str | None = None) -> FetchResult | None:  # fmt: skip
        """Fetch and archive ``url``; None after recording why not (under ``on_behalf_of`` when given)."""
        outcome = await self.attempt(url, stage, method=method, data=data, validators=validators)
        if isinstance(outcome, Failure):
            reason = f"{method} {url}: {outcome.reason}" if on_behalf_of else outcome.reason
            self.fail(on_behalf_of or url, stage, outcome.error, reason, outcome.status)
            return None
        return outcome

    async def attempt(self, url: str, stage: str, *, method: str = "GET", data: dict[str, str] | None = None,
                      validators: tuple[str | None, str | None] | None = None
                      ) -> FetchResult | Failure | None:  # fmt: skip
        """Fetch and archive ``url``: the result, or why it is unusable (not recorded), or None when
        ``url`` is out of scope (listed in ``out_of_scope``, never requested)."""
        if not discover.in_scope(url, self.seed, self.allow):
            self.out_of_scope.append(url)
            return None
        if self.pages >= self.max_pages:
            return Failure(
                url=url, stage=stage, error=ErrorKind.TOO_LARGE, reason=f"max_pages={self.max_pages} reached"
            )
        self.pages += 1
        result = await self.fetcher.fetch(url, method=method, data=data, validators=validators)
        final = result.final_url or url
        if result.redirects and urlsplit(final).path in ("", "/") and urlsplit(url).path not in ("", "/"):
            reason = f"soft 404: redirected to the site root {final}"
            return Failure(url=url, stage=stage, error=ErrorKind.HTTP_4XX, reason=reason)
        if result.error is not None or not result.ok:
            reason = result.reason or f"status {result.status}"
            error = result.error or ErrorKind.HTTP_4XX
            return Failure(url=url, stage=stage, error=error, reason=reason, status=result.status)
        if result.body and not result.not_modified:  # gzip off the event loop: other portals go on
            await asyncio.to_thread(self.archive.put, result.body)
        return result

    async def download(
        self, url: str, files: tuple[attachments.FileLink, ...], validators: dict[str, Validators]
    ) -> FetchResult | None:
        """The first of ``files`` that downloads as a file (conditional GET keyed by the file's URL;
        a 304 stands for the archived body), or None after recording one failure under the item's
        ``url`` that gives every file's reason (the error kind and status of the last one)."""
        reasons: list[str] = []
        error, status = ErrorKind.OUT_OF_SCOPE, None
        for link in files:
            sent, archived = _conditional(validators.get(link.url), self.archive)
            outcome = await self.attempt(link.url, "fetch", validators=sent)
            if outcome is None:
                reasons.append(f"{link.url}: out of scope")
                error, status = ErrorKind.OUT_OF_SCOPE, None
                continue
            if isinstance(outcome, Failure):
                reasons.append(f"{link.url}: {outcome.reason}")
                error, status = outcome.error, outcome.status
                continue
            if outcome.not_modified and archived is None:
                reasons.append(f"{link.url}: 304 Not Modified but no archived body stands for it")
                error, status = ErrorKind.HTTP_4XX, outcome.status
                continue
            if outcome.not_modified and archived is not None:
                outcome = _from_archive(outcome, archived)
            if not attachments.is_file_answer(outcome):
                media = outcome.headers.get("content-type") or "no content type"
                reasons.append(f"{link.url}: answered a page ({media}), not a file")
                error, status = ErrorKind.STUB, outcome.status
                continue
            return outcome
        self.fail(url, "fetch", error, "report attachment not downloaded: " + "; ".join(reasons), status)
        return None

    async def resolve_shell(self, url: str, result: FetchResult) -> FetchResult | None:
        """``result`` itself, or for an SPA shell its report page rebuilt from the JSON detail API
        (archived; see :func:`_rebuilt`); None when the shell cannot be resolved (failure recorded)."""
        shell_url = result.final_url or url
        shell = shells.shell_request(result.text, shell_url) if result.text else None
        if shell is None:
            return result
        api = shell.request
        if not discover.in_scope(api.url, self.seed, self.allow):
            self.out_of_scope.append(api.url)
            self.fail(
                url, "fetch", ErrorKind.OUT_OF_SCOPE, f"SPA shell's detail API {api.url} is out of scope"
            )
            return None
        answer = await self.get(api.url, "fetch", method=api.method, data=dict(api.data), on_behalf_of=url)
        if answer is None:
            return None
        try:
            document = shells.shell_document(answer.text or "", shell=shell, shell_url=shell_url)
        except shells.ShellError as exc:
            self.fail(url, "fetch", ErrorKind.STUB, f"SPA shell not resolved: {exc}", answer.status)
            return None
        body = document.html.encode("utf-8")
        return _rebuilt(result, answer, body, self.archive.put(body), document.html)

    async def find_column(self) -> str | None:
        """The listing URL to start from: the seed itself when it is a column, else by anchor text."""
        frontier: deque[tuple[str, int]] = deque([(self.seed, 0)])
        visited: set[str] = set()
        while frontier:
            url, depth = frontier.popleft()
            if discover.canonical(url) in visited:
                continue
            visited.add(discover.canonical(url))
            result = await self.get(url, "discover")
            if result is None or result.text is None:
                continue
            final = result.final_url or url
            text = result.text
            listing = discover.parse_listing(text, final)
            if (
                discover.is_column_page(text)
                or (listing.subcolumns and depth == 0)
                or any(discover.classify_title(i.title).is_report for i in listing.items)
                or (listing.pages and depth == 0)
            ):
                self.seen.add(discover.canonical(final))
                self._first = (final, text)
                return final
            if depth >= _NAV_DEPTH:
                continue
            for link in discover.column_links(text, final):
                frontier.appendleft((link, depth + 1))
            for link in discover.nav_links(text, final):
                frontier.append((link, depth + 1))
        return None


def _conditional(
    entry: Validators | None, archive: RawArchive
) -> tuple[tuple[str | None, str | None] | None, bytes | None]:
    """The (etag, last_modified) to send for one detail page and the archived body a 304 stands for.

    No validators when there are none, or when the stored body named by the entry is not readable
    from the archive: that page must be fetched whole again.
    """
    if entry is None:
        return None, None
    etag, last_modified, *rest = entry
    if not etag and not last_modified:
        return None, None
    if not rest or not rest[0]:
        return (etag, last_modified), None
    try:
        return (etag, last_modified), archive.get(rest[0])
    except ArchiveError:
        return None, None


def _rebuilt(shell: FetchResult, answer: FetchResult, body: bytes, sha256: str, text: str) -> FetchResult:
    """The FetchResult of a shell's rebuilt report page.

    Provenance: ``url`` is the shell's (the item's) URL, ``redirects`` the shell's chain ending with
    the shell's final URL, ``final_url`` the detail API's URL, status and time the API answer's.
    Headers hold only the synthetic document's content type: no validators, so a re-harvest never
    sends a conditional GET for a shell (its content changes behind an unchanged shell).
    """
    return FetchResult(
        url=shell.url, final_url=answer.final_url or answer.url, status=answer.status,
        fetched_at=answer.fetched_at, headers={"content-type": "text/html; charset=utf-8"}, body=body,
        sha256=sha256, text=text, encoding="utf-8", encoding_declared="utf-8",
        redirects=(*shell.redirects, shell.final_url or shell.url), attempts=answer.attempts,
    )  # fmt: skip


def _from_archive(result: FetchResult, body: bytes) -> FetchResult:
    """A 304 result completed from the archived body it stands for (sha256, decoded text)."""
    content_type = result.headers.get("content-type")
    done = replace(result, sha256=sha256_hex(body))
    if charset.is_binary(content_type, result.final_url or result.url, body):
        return done
    decoded = charset.decode_text(content_type, body)
    return replace(done, text=decoded.text, encoding=decoded.encoding, encoding_declared=decoded.declared,
                   decode_replacements=decoded.replacements)  # fmt: skip


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
    crawl = _Crawl(seed_url, fetcher, archive, max_pages, allow_hosts)
    column = await crawl.find_column()
    if column is None:
        if not crawl.failures:
            crawl.fail(seed_url, "discover", ErrorKind.STUB, "no annual-report column found from the seed")
        return SiteCrawl(seed_url=seed_url, failures=tuple(crawl.failures), pages_fetched=crawl.pages,
                         out_of_scope=tuple(crawl.out_of_scope))  # fmt: skip
    found: dict[str, FoundItem] = {}
    unconfirmed: set[str] = set()  # truncated titles to confirm from the detail page
    skipped = 0
    queue: deque[tuple[discover.PageRequest, str | None]] = deque(
        [(discover.PageRequest(url=column), crawl._first[1])]
    )
    while queue:
        request, body = queue.popleft()
        if body is None:
            result = await crawl.get(
                request.url, "discover", method=request.method, data=dict(request.data) or None
            )
            if result is None or result.text is None:
                continue
            body, base = result.text, result.final_url or request.url
        else:
            base = request.url
        listing = discover.parse_listing(body, base)
        for page in listing.pages:
            key = discover.canonical(page.url) + (f" {page.method} {page.data!r}" if page.data else "")
            if key not in crawl.seen:
                crawl.seen.add(key)
                queue.append((page, None))
        for sub in listing.subcolumns:
            key = discover.canonical(sub)
            if key not in crawl.seen:
                crawl.seen.add(key)
                if discover.in_scope(sub, seed_url, allow_hosts):
                    queue.append((discover.PageRequest(url=sub), None))
                else:
                    crawl.out_of_scope.append(sub)
        for item in listing.items:
            info = discover.classify_title(item.title)
            url = discover.canonical(item.url)
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
    reports: list[FetchedReport] = []
    for url, found_item in found.items():
        sent, archived = _conditional((validators or {}).get(url), archive)
        result = await crawl.get(url, "fetch", validators=sent)
        if result is None:
            continue
        if result.not_modified:
            if archived is None:  # validators without a sha256, or a 304 nobody asked for
                why = "validators without a sha256" if sent else "no validators were sent"
                reason = f"304 Not Modified but no archived body stands for it ({why})"
                crawl.fail(url, "fetch", ErrorKind.HTTP_4XX, reason, result.status)
                continue
            result = _from_archive(result, archived)
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
        failures=tuple(crawl.failures),
        pages_fetched=crawl.pages,
        non_reports_skipped=skipped,
        out_of_scope=tuple(crawl.out_of_scope),
    )
