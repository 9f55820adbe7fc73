"""One portal's crawl session: every request of :func:`gxbg.crawl.site.crawl_site` goes through it.

:class:`Session` keeps a crawl's state — the seed and its scope, the page budget, the pages seen, the
URLs left out of scope, the failures (past :data:`MAX_FAILURES_PER_CAUSE` of one cause folded into one
row) — and does the work of one request: scope check, fetch, soft-404 and error judgement, archiving
(off the event loop).  On top of that: finding the report column from the seed by anchor text
(:meth:`Session.find_column`), downloading a report file a detail page links to
(:meth:`Session.download`), and resolving an SPA shell through its JSON detail API
(:meth:`Session.resolve_shell`).  :func:`conditional` and :func:`from_archive` are the conditional-GET
side: which validators to send for a URL, and a 304 completed from the archived body it stands for.
Never raises for a bad page: every problem becomes a :class:`~gxbg.kinds.Failure`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import replace
from typing import Protocol
from urllib.parse import urlsplit

from gxbg.archive import ArchiveError, RawArchive, sha256_hex
from gxbg.crawl import attachments, charset, discover, shells
from gxbg.kinds import ErrorKind, Failure, FetchResult

__all__ = ["MAX_FAILURES_PER_CAUSE", "FetcherLike", "Session", "Validators", "conditional", "from_archive"]

_NAV_DEPTH = 3

#: Failure rows kept per URL for one (stage, error) in one crawl; past it, one row for the rest.
MAX_FAILURES_PER_CAUSE = 20

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


class Session:
    """One portal's crawl: its state, and every request it makes (see the module docstring)."""

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
        self.per_cause: dict[tuple[str, ErrorKind], int] = {}
        self.folded: dict[tuple[str, ErrorKind], list[str]] = {}
        self.out_of_scope: list[str] = []
        self.pages = 0
        self.seen: set[str] = set()
        self.first_listing = discover.Listing()
        self.first: tuple[str, str] = (seed, "")  # the column page found: (final URL, text)

    def fail(self, url: str, stage: str, error: ErrorKind, reason: str, status: int | None = None) -> None:
        """Record a failure under ``url``; past MAX_FAILURES_PER_CAUSE of one (stage, error), the rest
        are folded into one row per cause under the seed (:meth:`failures_out`)."""
        cause = (stage, error)
        self.per_cause[cause] = self.per_cause.get(cause, 0) + 1
        if self.per_cause[cause] > MAX_FAILURES_PER_CAUSE:
            self.folded.setdefault(cause, []).append(url)
            return
        self.failures.append(Failure(url=url, stage=stage, error=error, reason=reason, status=status))

    def failures_out(self) -> tuple[Failure, ...]:
        """The failures, with one row per cause for those folded past the per-cause limit."""
        rows = list(self.failures)
        for (stage, error), urls in self.folded.items():
            reason = (
                f"{len(urls)} more URLs failed at {stage} with {error} (past the first "
                f"{MAX_FAILURES_PER_CAUSE}, each recorded on its own), e.g. {', '.join(urls[:3])}"
            )
            rows.append(
                Failure(url=f"{self.seed}#gxbg-more-{stage}-{error}", stage=stage, error=error, reason=reason)
            )
        return tuple(rows)

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
            try:
                await asyncio.to_thread(self.archive.put, result.body)
            except OSError as exc:  # a full disk costs this page, not the crawl
                reason = f"body not archived: {type(exc).__name__}: {exc}"
                return Failure(
                    url=url, stage=stage, error=ErrorKind.STORAGE, reason=reason, status=result.status
                )
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
            sent, archived = conditional(validators.get(link.url), self.archive)
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
                outcome = from_archive(outcome, archived)
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
        try:
            sha = self.archive.put(body)
        except OSError as exc:  # a full disk costs this page, not the crawl
            self.fail(
                url, "fetch", ErrorKind.STORAGE, f"rebuilt page not archived: {type(exc).__name__}: {exc}"
            )
            return None
        return _rebuilt(result, answer, body, sha, document.html)

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
                self.first = (final, text)
                self.first_listing = listing  # parsed once: a hostile listing may hold 100,000 links
                return final
            if depth >= _NAV_DEPTH:
                continue
            for link in discover.column_links(text, final):
                frontier.appendleft((link, depth + 1))
            for link in discover.nav_links(text, final):
                frontier.append((link, depth + 1))
        return None


def conditional(
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


def from_archive(result: FetchResult, body: bytes) -> FetchResult:
    """A 304 result completed from the archived body it stands for (sha256, decoded text)."""
    content_type = result.headers.get("content-type")
    done = replace(result, sha256=sha256_hex(body))
    if charset.is_binary(content_type, result.final_url or result.url, body):
        return done
    decoded = charset.decode_text(content_type, body)
    return replace(done, text=decoded.text, encoding=decoded.encoding, encoding_declared=decoded.declared,
                   decode_replacements=decoded.replacements)  # fmt: skip
