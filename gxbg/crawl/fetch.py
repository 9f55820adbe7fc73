"""The polite, guarded fetcher: one ``httpx.AsyncClient``, every hop checked, never raising.

:class:`Fetcher` is the only code in gxbg that sends HTTP requests.  For each URL it

1. checks scope and the SSRF guard (:mod:`gxbg.crawl.scope`) — before the first request and
   after every redirect, so a redirect to 169.254.169.254 is refused with nothing sent — and
   pins the host to the addresses it checked: the connection goes to one of those, never to a
   second resolution of the name (:mod:`gxbg.crawl.pinning`);
2. consults robots.txt (:mod:`gxbg.crawl.robots`, cached per origin for the run);
3. waits its turn on the host and on each address it resolves to, in a gate shared by every
   fetcher of the process (:mod:`gxbg.crawl.politeness`: a slot per host and per address, a
   delay with jitter after the previous request's start and after its response, Crawl-delay as
   a floor — capped at ``max_retry_after`` like Retry-After, the asked value kept in
   ``crawl_delay_capped`` — Retry-After pushing the whole host back);
4. sends the request (:mod:`gxbg.crawl.exchange`), retrying timeouts, resets, truncated
   bodies and 408/425/429/5xx with exponential backoff and Retry-After;
5. follows redirects itself (cap, loop detection, chain recorded);
6. decodes text (:mod:`gxbg.crawl.charset`) and recognises challenges and stubs
   (:mod:`gxbg.crawl.challenge`).

HTTP and network problems come back as ``FetchResult.error`` + ``reason``; nothing here tries
to solve a challenge.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from gxbg.crawl import challenge, charset
from gxbg.crawl.exchange import TRANSIENT, Exchange, send_once
from gxbg.crawl.pinning import AddressPins, PinnedTransport
from gxbg.crawl.policy import FetchPolicy, is_retry_status
from gxbg.crawl.politeness import PolitenessGate, politeness_keys, process_gate
from gxbg.crawl.retry import jittered, retry_wait
from gxbg.crawl.robots import RobotsRules, rules_from_response
from gxbg.crawl.scope import Resolver, check_scope, system_resolver
from gxbg.kinds import ErrorKind, FetchResult

__all__ = ["FetchPolicy", "Fetcher"]

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 500_000  # Google's limit; a bigger robots.txt is treated as allow-all


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Fetcher:
    """Async context manager owning one ``httpx.AsyncClient``; see the module docstring."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,  # test seam (httpx.MockTransport)
        resolver: Resolver = system_resolver,  # test seam for the SSRF guard
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,  # test seams: observe waits
        clock: Callable[[], float] = time.monotonic,
        network_backend: httpcore.AsyncNetworkBackend | None = None,  # test seam: opens the sockets
        gate: PolitenessGate | None = None,  # default: the process's gate (a private one under a fake clock)
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._transport = transport
        self._network_backend = network_backend
        self._pins = AddressPins(strict=not self.policy.allow_private)
        self._resolver = resolver
        self._rng = rng or random.Random()
        self._sleep = sleep
        self._clock = clock
        self._client: httpx.AsyncClient | None = None
        if gate is None:
            gate = process_gate() if clock is time.monotonic else PolitenessGate(clock=clock)
        self.gate = gate
        self._unresolved: set[str] = set()  # names our own resolution failed for (keyed by name only)
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.requests_sent = 0
        self.crawl_delay_capped: dict[str, float] = {}  # origin → the Crawl-delay robots.txt asked for

    async def __aenter__(self) -> Fetcher:
        t = self.policy.timeout
        # one fetcher serves many hosts at once (gxbg.crawl.many): keep a connection per busy host alive
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=512)
        # Our own transport unless a test passes one: connections go to the guard's checked addresses.
        transport = self._transport or PinnedTransport(self._pins, limits=limits, inner=self._network_backend)
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,  # every hop goes through the scope guard
            trust_env=False,  # no environment proxies: they would bypass the guard
            timeout=httpx.Timeout(t, connect=min(t, 10.0) or t, pool=None),
            headers={"User-Agent": self.policy.user_agent},
            limits=limits,
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # ------------------------------------------------------------------ public

    async def fetch(
        self,
        url: str,
        *,
        method: str = "GET",
        data: dict[str, str] | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> FetchResult:
        """Fetch ``url`` (following redirects) and return the outcome; never raises for HTTP/network."""
        extra: dict[str, str] = {}
        if validators is not None:
            etag, last_modified = validators
            if etag:
                extra["If-None-Match"] = etag
            if last_modified:
                extra["If-Modified-Since"] = last_modified
        return await self._fetch(url, method.upper(), data, extra, robots=self.policy.obey_robots)

    # ------------------------------------------------------------------ redirects, scope, robots

    async def _fetch(
        self, url: str, method: str, data: dict[str, str] | None, extra: dict[str, str], *, robots: bool
    ) -> FetchResult:
        fetched_at = _now_iso()
        chain: list[str] = []
        visits: Counter[str] = Counter()
        current = url

        def fail(kind: ErrorKind, reason: str, ex: Exchange | None = None, attempts: int = 0) -> FetchResult:
            return FetchResult(
                url=url, final_url=current, status=ex.status if ex else None, fetched_at=fetched_at,
                headers=ex.headers if ex else {}, redirects=tuple(chain), error=kind, reason=reason,
                attempts=attempts,
            )  # fmt: skip

        while True:
            decision = await check_scope(
                current,
                allow_private=self.policy.allow_private,
                allowed_hosts=self.policy.allowed_hosts,
                resolver=self._resolver,
            )
            if not decision.allowed:
                kind = ErrorKind.CONNECTION if decision.dns_failed else ErrorKind.OUT_OF_SCOPE
                return fail(kind, decision.reason or "refused by scope")
            try:
                self._pins.pin(urlsplit(current.strip()).hostname or "", decision.addresses)
                self.gate.remember(urlsplit(current.strip()).hostname or "", decision.addresses)
            except (httpx.InvalidURL, UnicodeError) as exc:  # e.g. a host that fails IDNA encoding
                return fail(ErrorKind.OUT_OF_SCOPE, f"invalid URL: {exc}")
            if robots:
                refusal = await self._robots_refusal(current)
                if refusal is not None:
                    return fail(*refusal)
            try:
                ex, attempts = await self._exchange(current, method, data, extra)
            except (httpx.InvalidURL, UnicodeError) as exc:  # e.g. a host that fails IDNA encoding
                return fail(ErrorKind.OUT_OF_SCOPE, f"invalid URL: {exc}")
            if ex.error is not None:
                return fail(ex.error, ex.reason or ex.error.value, ex, attempts)
            assert ex.status is not None
            location = ex.headers.get("location")
            if ex.status not in REDIRECT_STATUSES or not location:
                return self._finish(url, current, fetched_at, ex, tuple(chain), attempts)
            try:
                target = str(httpx.URL(current).join(location.strip()))
            except (httpx.InvalidURL, ValueError) as exc:
                return fail(
                    ErrorKind.OUT_OF_SCOPE, f"unusable redirect Location {location[:200]!r}: {exc}", ex
                )
            chain.append(current)
            visits[current] += 1
            # A cookie redirect to the same URL (moj.gov.cn style) may come back once.
            if visits[target] >= (1 if "set-cookie" not in ex.headers else 2):
                return fail(
                    ErrorKind.TOO_MANY_REDIRECTS, f"redirect loop: {current} -> {target}", ex, attempts
                )
            if len(chain) > self.policy.max_redirects:
                return fail(ErrorKind.TOO_MANY_REDIRECTS,
                            f"more than {self.policy.max_redirects} redirects", ex, attempts)  # fmt: skip
            if ex.status == 303 or (ex.status in (301, 302) and method == "POST"):
                method, data = "GET", None
            current = target

    async def _robots_refusal(self, url: str) -> tuple[ErrorKind, str] | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._robots.get(origin)
            if rules is None:
                rules = await self._load_robots(origin)
                self._robots[origin] = rules
                delay = rules.crawl_delay(self.policy.user_agent)
                if delay and delay > self.policy.max_retry_after:  # capped like Retry-After, and recorded
                    self.crawl_delay_capped[origin] = delay
                    log.warning("%s: robots.txt Crawl-delay %gs capped to %gs", origin, delay,
                                self.policy.max_retry_after)  # fmt: skip
                    delay = self.policy.max_retry_after
                if delay:  # a floor from now on; the robots.txt request itself counts
                    self.gate.set_floor(politeness_keys(parts.hostname or "")[0], delay)
        if rules.can_fetch(url, self.policy.user_agent):
            return None
        if rules.unreachable is not None:  # no answer at all: the transport error is the cause
            kind, reason = rules.unreachable
            return kind, f"{reason} (robots.txt unreachable: nothing fetched from {origin})"
        return ErrorKind.ROBOTS, f"disallowed by {rules.note} for this user agent"

    async def _load_robots(self, origin: str) -> RobotsRules:
        result = await self._fetch(f"{origin}/robots.txt", "GET", None, {}, robots=False)
        if result.error is ErrorKind.TOO_LARGE and result.status is not None:
            return RobotsRules(None, allow_all=True, note="oversized robots.txt: allow all")
        if result.error is not None and result.status is None:
            unreachable = (result.error, result.reason or result.error.value)
            return replace(rules_from_response(None, None), unreachable=unreachable)
        text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        return rules_from_response(result.status, text)

    # ------------------------------------------------------------------ politeness and retries

    async def _keys(self, url: str) -> tuple[str, ...]:
        """The politeness keys of ``url``'s host: its name and the addresses it resolves to (the guard's
        checked addresses; with ``allow_private``, one resolution of our own per name and process)."""
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
        addresses = self.gate.addresses(host)
        if addresses is None and host not in self._unresolved and not politeness_keys(host)[1:]:
            with contextlib.suppress(OSError, UnicodeError):
                self.gate.remember(host, await self._resolver(host))
            addresses = self.gate.addresses(host)
            if addresses is None:
                self._unresolved.add(host)
        return politeness_keys(host, addresses or ())

    async def _exchange(
        self, url: str, method: str, data: dict[str, str] | None, extra: dict[str, str]
    ) -> tuple[Exchange, int]:
        assert self._client is not None, "use `async with Fetcher(...)`"
        keys = await self._keys(url)
        attempt = 0
        while True:
            attempt += 1
            request = self._client.build_request(method, url, data=data, headers=extra)
            gap = jittered(self.policy.delay, self.policy.jitter, self._rng)
            limit = self.policy.per_host_concurrency
            async with self.gate.turn(keys, gap=gap, limit=limit, sleep=self._sleep):
                self.requests_sent += 1
                ex = await send_once(self._client, request, max_bytes=self.policy.max_bytes,
                                     deadline=4 * self.policy.timeout or 1.0)  # fmt: skip
            wait = self._retry_wait(ex, attempt)
            if wait is None:
                return ex, attempt
            # Retry-After / backoff also holds back every other request to the host and its addresses
            self.gate.defer(keys, self.gate.now() + wait)

    def _retry_wait(self, ex: Exchange, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when the outcome is final."""
        if attempt > self.policy.retries or ex.final:
            return None
        if ex.error is not None:
            transient = ex.error in TRANSIENT
        else:
            assert ex.status is not None
            transient = (
                is_retry_status(ex.status) and challenge.classify_body(ex.status, ex.body, None) is None
            )
        if not transient:
            return None
        return retry_wait(
            attempt, retry_after=ex.headers.get("retry-after"), base=self.policy.backoff,
            jitter=self.policy.jitter, cap=self.policy.max_retry_after, rng=self._rng, now=datetime.now(UTC),
        )  # fmt: skip

    # ------------------------------------------------------------------ decoding and verdicts

    def _finish(
        self, url: str, final_url: str, fetched_at: str, ex: Exchange, chain: tuple[str, ...], attempts: int
    ) -> FetchResult:
        assert ex.status is not None
        status, headers, body = ex.status, ex.headers, ex.body
        common: dict[str, Any] = dict(
            url=url, final_url=final_url, status=status, fetched_at=fetched_at, headers=headers,
            redirects=chain, attempts=attempts,
        )  # fmt: skip
        if status == 304:
            return FetchResult(**common, not_modified=True)
        content_type = headers.get("content-type")
        sha = hashlib.sha256(body).hexdigest() if body else None
        common.update(body=body, sha256=sha)
        if charset.is_binary(content_type, final_url, body):
            error, reason = _status_error(status)
            return FetchResult(**common, error=error, reason=reason)
        decoded = charset.decode_text(content_type, body)
        common.update(text=decoded.text, encoding=decoded.encoding, encoding_declared=decoded.declared,
                      decode_replacements=decoded.replacements)  # fmt: skip
        verdict = challenge.classify_body(status, body, decoded.text) or challenge.classify_stub(
            status, content_type, body, decoded.text, max_bytes=self.policy.stub_max_bytes
        )
        if verdict is not None:
            return FetchResult(**common, error=verdict.kind, reason=verdict.reason)
        error, reason = _status_error(status)
        return FetchResult(**common, error=error, reason=reason)


def _status_error(status: int) -> tuple[ErrorKind | None, str | None]:
    if 200 <= status < 300:
        return None, None
    if status >= 500:
        return ErrorKind.HTTP_5XX, f"HTTP {status}"
    if 300 <= status < 400:
        return ErrorKind.HTTP_4XX, f"HTTP {status} without a usable Location"
    return ErrorKind.HTTP_4XX, f"HTTP {status}"
