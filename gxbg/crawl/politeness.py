"""Politeness across every portal of the process: one gate keyed by host name AND by address.

Per-host politeness used to live in each portal's own :class:`~gxbg.crawl.fetch.Fetcher`, so two
portals on one host (a township publishing on its county's portal, the common case) were hit a
millisecond apart.  A :class:`PolitenessGate` holds the state instead, and the harvest shares one
gate (:func:`process_gate`) between every fetcher of the process — every thread and event loop.

A request takes its *turn* on a set of keys: ``host:<name>`` and ``ip:<address>`` for each address
the name resolves to (at most :data:`MAX_ADDRESS_KEYS`).  For every key at once it

* holds one of ``limit`` slots (one request in flight per host and per address by default), taking
  the keys in sorted order so that two turns never wait on each other;
* reserves its start time: no earlier than each key's ``next_start``, which it pushes to
  ``start + max(gap, floor)`` (``gap`` is the caller's delay with jitter, ``floor`` the host's
  robots.txt Crawl-delay), and once the exchange is over to ``end + max(gap, floor)`` — so the
  server sees at least the gap between two arrivals, whatever delayed the first request;

and then sleeps until that start.  :meth:`PolitenessGate.defer` pushes keys back (Retry-After,
retry backoff) for every portal that shares them.

The state is guarded by a :class:`threading.Lock` and waiters are woken on their own event loop
(``call_soon_threadsafe``), so fetchers in different threads (Prefect task threads, each with its
own loop) share one gate safely.  Nothing here sends a request or resolves a name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

__all__ = ["MAX_ADDRESS_KEYS", "PolitenessGate", "politeness_keys", "process_gate"]

#: A name with many addresses (a CDN) is keyed by its first few only (sorted), which bounds the cost of a
#: turn; hosts that share any of those addresses still wait on each other.
MAX_ADDRESS_KEYS = 4


def politeness_keys(host: str, addresses: Iterable[str] = ()) -> tuple[str, ...]:
    """The keys a request to ``host`` (resolved to ``addresses``) takes its turn on, sorted.

    >>> politeness_keys("WWW.Gov.CN.", ["10.0.0.2", "10.0.0.1"])
    ('host:www.gov.cn', 'ip:10.0.0.1', 'ip:10.0.0.2')
    >>> politeness_keys("127.0.0.2")
    ('host:127.0.0.2', 'ip:127.0.0.2')
    >>> politeness_keys("[::1]")
    ('host:[::1]', 'ip:::1')
    """
    name = host.lower().rstrip(".")
    ips = {a.split("%", 1)[0] for a in addresses}
    literal = _ip_literal(name)
    if literal is not None:
        ips.add(literal)
    return tuple(sorted({f"host:{name}", *(f"ip:{a}" for a in sorted(ips)[:MAX_ADDRESS_KEYS])}))


def _ip_literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


@dataclass(slots=True, eq=False)
class _Waiter:
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]
    granted: bool = False  # the slot was handed over (under the gate's lock) before the wake-up ran


@dataclass(slots=True)
class _Key:
    in_flight: int = 0
    next_start: float = 0.0  # clock time before which no request may start on this key
    floor: float = 0.0  # robots.txt Crawl-delay: the least gap between two starts
    waiters: deque[_Waiter] = field(default_factory=deque)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class PolitenessGate:
    """Per-key slots and start times shared by every fetcher that holds this gate (thread-safe)."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, _Key] = {}
        self._addresses: dict[str, tuple[str, ...]] = {}  # host name → resolved addresses, per process

    # ------------------------------------------------------------------ addresses

    def addresses(self, host: str) -> tuple[str, ...] | None:
        """The addresses recorded for ``host`` (None when never resolved)."""
        with self._lock:
            return self._addresses.get(host.lower().rstrip("."))

    def remember(self, host: str, addresses: Iterable[str]) -> None:
        """Record what ``host`` resolved to (the guard's checked addresses, or a resolution of our own)."""
        found = tuple(sorted({a.split("%", 1)[0] for a in addresses}))
        if found:
            with self._lock:
                self._addresses[host.lower().rstrip(".")] = found

    # ------------------------------------------------------------------ turns

    @asynccontextmanager
    async def turn(
        self,
        keys: tuple[str, ...],
        *,
        gap: float,
        limit: int = 1,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> AsyncIterator[None]:
        """Hold a slot on every key, wait for the reserved start, and release the slots on exit."""
        held: list[str] = []
        states: list[_Key] = []
        started = False
        try:
            for key in sorted(keys):
                await self._acquire(key, limit)
                held.append(key)
            with self._lock:
                now = self._clock()
                states = [self._key(k) for k in held]
                start = max([now, *(s.next_start for s in states)])
                for state in states:
                    state.next_start = max(state.next_start, start + max(gap, state.floor))
            if start > now:
                await sleep(start - now)
            started = True
            yield
        finally:
            # The gap also counts from the end of this exchange: the next request on these keys leaves
            # ``gap`` after this response came back, so a server sees at least ``gap`` between two
            # arrivals however late this request went out (a busy event loop, a slow connect).
            if started:
                with self._lock:
                    end = self._clock()
                    for state in states:
                        state.next_start = max(state.next_start, end + max(gap, state.floor))
            for key in reversed(held):
                self._release(key)

    def defer(self, keys: Iterable[str], until: float) -> None:
        """No request on ``keys`` starts before ``until`` (clock time): Retry-After, backoff."""
        with self._lock:
            for key in keys:
                state = self._key(key)
                state.next_start = max(state.next_start, until)

    def set_floor(self, key: str, seconds: float) -> None:
        """At least ``seconds`` between starts on ``key`` (robots.txt Crawl-delay), from now on."""
        with self._lock:
            state = self._key(key)
            state.floor = max(state.floor, seconds)
            state.next_start = max(state.next_start, self._clock() + seconds)

    def in_flight(self, key: str) -> int:
        with self._lock:
            state = self._keys.get(key)
            return state.in_flight if state else 0

    def now(self) -> float:
        return self._clock()

    # ------------------------------------------------------------------ slots

    def _key(self, key: str) -> _Key:
        state = self._keys.get(key)
        if state is None:
            state = self._keys[key] = _Key()
        return state

    async def _acquire(self, key: str, limit: int) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            state = self._key(key)
            if state.in_flight < limit and not state.waiters:
                state.in_flight += 1
                return
            waiter = _Waiter(loop, loop.create_future())
            state.waiters.append(waiter)
        try:
            await waiter.future  # resolved only once the slot is ours (``granted``)
        except BaseException:  # cancelled: leave the line, or pass on a slot handed over meanwhile
            with self._lock:
                granted = waiter.granted
                if not granted:
                    state.waiters.remove(waiter)
            if granted:
                self._release(key)
            raise

    def _release(self, key: str) -> None:
        with self._lock:
            state = self._keys[key]
            while state.waiters:  # the slot passes straight to the next in line
                waiter = state.waiters.popleft()
                try:
                    waiter.loop.call_soon_threadsafe(_wake, waiter.future)
                except RuntimeError:  # its event loop is gone: nobody is waiting there any more
                    continue
                waiter.granted = True
                return
            state.in_flight -= 1


_PROCESS_GATE = PolitenessGate()


def process_gate() -> PolitenessGate:
    """The gate every fetcher of this process shares unless given its own (test seams)."""
    return _PROCESS_GATE
