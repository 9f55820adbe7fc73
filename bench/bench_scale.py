"""Benchmark: a harvest of N portals on N hosts through the CLI, against the politeness limit.

Serves N simulated portals (the demo profile's archetypes in turn) each on its own loopback address
(127.0.0.2, 127.0.0.3 … so per-host politeness applies per portal), runs ``gxbg harvest --seed … ×N
--allow-private`` with the default polite policy (1 s ± 50 % between requests on a host), and prints
wall time (Prefect's temporary server start included), the crawl span seen by the servers (first to
last request), pages/s, the CLI's CPU time and peak RSS, and the ratio to the physical limit — the
largest site's requests × the mean delay, what a crawl of every host at once cannot beat.  It checks
politeness at the servers: never two requests in flight on one host, never two arrivals closer than
the least gap the jitter allows; a violation makes the exit status 1.

    python bench/bench_scale.py [--n 50 200 1000]

Loopback only.  The servers run in this process and share the machine's cores with the harvest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gxbg.crawl.policy import FetchPolicy
from gxbg.sim.hosts import loopback_addresses, serve_hosts

ROOT = Path(__file__).resolve().parent.parent
GXBG = Path(sys.executable).with_name("gxbg")


def run(n: int, *, delay: float, jitter: float) -> bool:
    addresses = loopback_addresses(n)
    with tempfile.TemporaryDirectory() as tmp, serve_hosts(addresses) as hosts:
        per_address = len(hosts.seeds) // n
        # one portal per address, the archetypes in turn
        seeds = [hosts.seeds[i * per_address + i % per_address] for i in range(n)]
        expected = sum(s.expected_reports for s in seeds)
        db = Path(tmp) / "gxbg.sqlite"
        env = {**os.environ, "GXBG_DATA_DIR": tmp, "PREFECT_LOGGING_LEVEL": "WARNING"}
        if env.get("PREFECT_API_URL") == "":  # an empty URL silently drops events: unset it
            del env["PREFECT_API_URL"]
        command = [str(GXBG), "harvest", "--allow-private", "--db", f"sqlite:///{db}"]
        for seed in seeds:
            command += ["--seed", seed.url]
        load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())  # the machine is shared: say how busy
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            print(f"N={n}: gxbg harvest exited {done.returncode}\n{done.stderr[-3000:]}", file=sys.stderr)
            return False
        with sqlite3.connect(db) as conn:
            loaded = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        report = hosts.probe.report("ip")
        per_host = hosts.probe.per_host("ip")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss_mib = after.ru_maxrss / 1024  # the largest child so far (the harvest)
    largest = max(per_host.values())
    limit = largest * delay
    span = (report.last or 0.0) - (report.first or 0.0)
    least_gap = delay * (1 - jitter)
    problems = report.violations(min_gap=least_gap)
    print(
        f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())} (before: {load_before}) | "
        f"N={n:5} hosts={report.hosts} requests={report.requests} reports={loaded}/{expected} | "
        f"wall {wall:6.1f} s (first request after {(report.first or start) - start:5.1f} s: start-up), "
        f"crawl span at the servers {span:6.1f} s | {report.requests / wall:6.1f} pages/s "
        f"(in the span: {report.requests / max(span, 1e-9):6.1f}) | CPU {cpu:6.1f} s | "
        f"peak RSS {rss_mib:6.1f} MiB | "
        f"limit {largest} req x {delay:g} s = {limit:4.1f} s: wall/limit {wall / limit:5.1f}x, "
        f"span/limit {span / limit:4.1f}x | politeness: max in flight per host {report.max_in_flight}, "
        f"least gap {report.min_gap or 0:.3f} s (allowed {least_gap:.3f}) "
        + ("OK" if not problems else "VIOLATED: " + "; ".join(problems)),
        flush=True,
    )
    if loaded != expected:
        print(f"N={n}: {loaded} reports loaded, {expected} expected", file=sys.stderr)
    return not problems and loaded == expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[50, 200, 1000], help="portals (= hosts) per run")
    args = parser.parse_args(argv)
    policy = FetchPolicy()  # what `gxbg harvest` crawls with
    print(json.dumps({"cpus": os.cpu_count(), "load": os.getloadavg(), "delay": policy.delay,
                      "jitter": policy.jitter}), flush=True)  # fmt: skip
    ok = [run(n, delay=policy.delay, jitter=policy.jitter) for n in args.n]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
