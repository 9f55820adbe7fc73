"""The simulated portals on many loopback addresses at once, with a politeness probe at the server.

:func:`serve_hosts` serves a copy of a profile's portals on each address given (``127.0.0.2``,
``127.0.0.3`` … — every address of 127.0.0.0/8 is loopback on Linux), all on one port where it can,
so that each address is a distinct host to the crawler.  One thread watches every listening socket;
each connection gets a handler thread, as in :func:`gxbg.sim.serve`.

:class:`PolitenessProbe` records, per server address and per ``Host`` name, when each request arrived
(after its request line and headers were read) and how many requests were in flight — what a
government web server would see of our politeness: :meth:`PolitenessProbe.report` gives the most in
flight at once and the shortest gap between two arrivals on one host.
"""

from __future__ import annotations

import itertools
import json
import selectors
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from gxbg.sim.server import SITES, Handler, RequestRecord, SimServer

__all__ = ["HostReport", "HostSeed", "Hosts", "PolitenessProbe", "loopback_addresses", "serve_hosts"]


def loopback_addresses(n: int, *, first: int = 2) -> list[str]:
    """``n`` distinct loopback addresses, 127.0.0.2 onwards (127.0.1.1 … after 127.0.0.254).

    >>> loopback_addresses(3), loopback_addresses(2, first=254)
    (['127.0.0.2', '127.0.0.3', '127.0.0.4'], ['127.0.0.254', '127.0.1.1'])
    """
    out: list[str] = []
    for index in itertools.count(first):
        high, low = divmod(index - 1, 254)
        out.append(f"127.0.{high}.{low + 1}")
        if len(out) == n:
            return out
    return out  # pragma: no cover


@dataclass(slots=True)
class _Tally:
    arrivals: list[float] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0


@dataclass(frozen=True, slots=True)
class HostReport:
    """What the servers saw of the crawler's politeness, over every host of one kind."""

    hosts: int
    requests: int
    max_in_flight: int  # most requests in flight at once on any one host
    min_gap: float | None  # shortest time between two request arrivals on one host (None: < 2 requests)
    first: float | None  # perf_counter time of the first and last arrival (the crawl span at the server)
    last: float | None

    def violations(self, *, min_gap: float, tolerance: float = 0.0) -> list[str]:
        """Why this is not polite (empty when it is): two in flight, or arrivals closer than ``min_gap``."""
        problems = []
        if self.max_in_flight > 1:
            problems.append(f"{self.max_in_flight} requests in flight at once on one host")
        if self.min_gap is not None and self.min_gap < min_gap - tolerance:
            problems.append(
                f"two requests {self.min_gap:.3f} s apart on one host (least allowed {min_gap:.3f} s)"
            )
        return problems


class PolitenessProbe:
    """Per-host arrival times and in-flight counts, keyed ``ip:<server address>`` and ``host:<name>``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[str, _Tally] = defaultdict(_Tally)

    def arrive(self, keys: Sequence[str]) -> None:
        now = time.perf_counter()
        with self._lock:
            for key in keys:
                tally = self._tallies[key]
                tally.arrivals.append(now)
                tally.in_flight += 1
                tally.max_in_flight = max(tally.max_in_flight, tally.in_flight)

    def leave(self, keys: Sequence[str]) -> None:
        with self._lock:
            for key in keys:
                self._tallies[key].in_flight -= 1

    def report(self, kind: str = "ip") -> HostReport:
        """Over every host keyed ``kind`` (``"ip"``: server address; ``"host"``: the Host header's name)."""
        with self._lock:
            tallies = [t for k, t in self._tallies.items() if k.startswith(f"{kind}:")]
            gaps = [b - a for t in tallies for a, b in itertools.pairwise(t.arrivals)]
            times = [x for t in tallies for x in t.arrivals]
            return HostReport(
                hosts=len(tallies),
                requests=len(times),
                max_in_flight=max((t.max_in_flight for t in tallies), default=0),
                min_gap=min(gaps, default=None),
                first=min(times, default=None),
                last=max(times, default=None),
            )

    def per_host(self, kind: str = "ip") -> dict[str, int]:
        """Requests per host."""
        with self._lock:
            tallies = self._tallies.items()
            return {k.split(":", 1)[1]: len(t.arrivals) for k, t in tallies if k.startswith(f"{kind}:")}


class _ProbedServer(SimServer):
    probe: PolitenessProbe

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that closes a kept-alive connection (at exit, on a timeout) is no server error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class _ProbedHandler(Handler):
    server: _ProbedServer
    _probe_keys: tuple[str, ...] = ()

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok:
            name = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            self._probe_keys = (f"ip:{_address(self.server)[0]}", f"host:{name}")
            self.server.probe.arrive(self._probe_keys)
        return ok

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        finally:
            if self._probe_keys:
                self.server.probe.leave(self._probe_keys)
                self._probe_keys = ()


@dataclass(frozen=True, slots=True)
class HostSeed:
    """One portal on one address: ``name`` is unique across addresses (``<portal>@<address>``)."""

    name: str
    url: str
    address: str
    expected_reports: int


@dataclass(slots=True)
class Hosts:
    addresses: list[str]
    port: int
    seeds: list[HostSeed]
    probe: PolitenessProbe
    requests: list[RequestRecord]

    def portals(self) -> list[dict[str, str]]:
        return [{"name": s.name, "seed_url": s.url} for s in self.seeds]


@contextmanager
def serve_hosts(addresses: Sequence[str], *, profile: str = "demo") -> Iterator[Hosts]:
    """Serve ``profile``'s portals on every loopback address in ``addresses`` until the block ends."""
    if not addresses or any(not a.startswith("127.") for a in addresses):
        raise ValueError("serve_hosts binds to 127.0.0.0/8 addresses only")
    manifest = json.loads((SITES / "manifest.json").read_text(encoding="utf-8"))
    if profile not in manifest:
        raise ValueError(f"unknown profile {profile!r}; expected one of {sorted(manifest)}")
    log: list[RequestRecord] = []
    lock = threading.Lock()
    probe = PolitenessProbe()
    servers: list[_ProbedServer] = []

    def bind(address: str, port: int) -> _ProbedServer:
        server = _ProbedServer((address, port), "main", log, lock)
        server.RequestHandlerClass = _ProbedHandler
        server.probe = probe
        return server

    try:
        port = 0
        for address in addresses:
            try:
                server = bind(address, port)
            except OSError:  # the shared port is taken on this address: any port
                server = bind(address, 0)
            port = port or _address(server)[1]
            servers.append(server)
        other = bind("127.0.0.1", 0)  # cross-host links point here; a correct crawl never asks it
        servers.append(other)
        for server in servers:
            server.other_origin = f"http://127.0.0.1:{_address(other)[1]}"
        stop = threading.Event()
        thread = threading.Thread(target=_serve_all, args=(servers, stop), name="sim-hosts", daemon=True)
        thread.start()
        seeds = [
            HostSeed(name=f"{s['name']}@{host}", url=f"http://{host}:{port}{s['path']}", address=host,
                     expected_reports=len(s["expected"]))
            for host, port in map(_address, servers[:-1]) for s in manifest[profile]
        ]  # fmt: skip
        try:
            yield Hosts(list(addresses), port, seeds, probe, log)
        finally:
            stop.set()
            thread.join(timeout=5)
    finally:
        for server in servers:
            server.server_close()


def _address(server: SimServer) -> tuple[str, int]:
    host, port = server.server_address[:2]
    return str(host), int(port)


def _serve_all(servers: Sequence[SimServer], stop: threading.Event) -> None:
    with selectors.DefaultSelector() as selector:
        for server in servers:
            selector.register(server, selectors.EVENT_READ, server)
        while not stop.is_set():
            for key, _ in selector.select(timeout=0.05):
                key.data._handle_request_noblock()
