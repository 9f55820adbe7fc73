"""Simulated government portals served on loopback, for the demo, tests and benchmarks.

``serve(profile="demo"|"full")`` starts two threaded HTTP servers on loopback: the *main* one
(every portal under its own path prefix, ``/trs-gbk/``, ``/hanweb/``, ``/bj/`` …) and an
*other* one on a second port that stands for a different host (cross-host items and hostile links
point there; a correct crawl never requests it).  The ``full`` profile adds the test portals of
portals.md §11 and mounts the fetch fault endpoints (:mod:`gxbg.sim.faults`) under ``/fault/``.
Seeds and their expected reports come from ``sites/manifest.json`` written by
:mod:`gxbg.sim.generate`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from gxbg.sim.faults import FaultState
from gxbg.sim.server import SITES, RequestRecord, SimServer

__all__ = ["ExpectedReport", "RequestRecord", "Seed", "Simulator", "serve"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpectedReport:
    title: str
    year: int
    agency: str
    case_id: str | None  # tests/cases directory the page renders, None for placeholders
    kind: str = "report_html"  # an ItemKind value
    parses: bool = False  # attachment reports: the served file has text that parses to the case

    @property
    def loads(self) -> bool:
        """Whether the pipeline loads this report: inline HTML, or an attachment file that parses."""
        return self.kind == "report_html" or self.parses


@dataclass(frozen=True, slots=True, kw_only=True)
class Seed:
    name: str
    archetype: str  # "A".."H" (portals.md §4)
    url: str
    expected: tuple[ExpectedReport, ...]


@dataclass(slots=True, kw_only=True)
class Simulator:
    base_url: str
    other_url: str  # origin of the cross-host server
    seeds: list[Seed]
    requests: list[RequestRecord] = field(default_factory=list)  # both servers, arrival order
    faults: FaultState | None = None  # the /fault/ endpoints' counters (full profile only)

    def seed(self, name: str) -> Seed:
        return next(s for s in self.seeds if s.name == name)

    def requests_to(self, server: str) -> list[RequestRecord]:
        return [r for r in list(self.requests) if r.server == server]


@contextmanager
def serve(host: str = "127.0.0.1", port: int = 0, profile: str = "demo") -> Iterator[Simulator]:
    """Run the simulated portals until the ``with`` block ends."""
    if not host.startswith("127.") and host not in ("localhost", "::1"):
        raise ValueError(f"the simulator binds to loopback only, not {host!r}")
    manifest = json.loads((SITES / "manifest.json").read_text(encoding="utf-8"))
    if profile not in manifest:
        raise ValueError(f"unknown profile {profile!r}; expected one of {sorted(manifest)}")
    log: list[RequestRecord] = []
    lock = threading.Lock()
    faults = FaultState() if profile == "full" else None
    main = SimServer((host, port), "main", log, lock, faults)
    other = SimServer((host, 0), "other", log, lock)
    base = f"http://{host}:{main.server_address[1]}"
    other_origin = f"http://{host}:{other.server_address[1]}"
    main.other_origin = other.other_origin = other_origin
    threads = [
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        for s in (main, other)
    ]
    for t in threads:
        t.start()
    seeds = [
        Seed(name=s["name"], archetype=s["archetype"], url=base + s["path"],
             expected=tuple(ExpectedReport(**e) for e in s["expected"]))
        for s in manifest[profile]
    ]  # fmt: skip
    try:
        yield Simulator(base_url=base, other_url=other_origin, seeds=seeds, requests=log, faults=faults)
    finally:
        for s in (main, other):
            s.shutdown()
            s.server_close()
        for t in threads:
            t.join(timeout=2)
