"""Benchmark: the extractor's accuracy on the generated corpus, and how long measuring it takes.

Builds the default corpus (``gxbg eval``'s: seed 20261207, 12 documents per case and text/HTML class,
2 per case for DOCX and PDF, the simulator's pages) into a fresh temporary directory, then scores it.
Prints the build time, the scoring time (wall and CPU) and, per class, cells exact / wrong / missing /
undetermined (docs/accuracy.md: cells the layout does not print, each with a witness).
No network; the goal is a whole run under a minute on 2 cores.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from pathlib import Path

from gxbg.evaluate import Params, build, evaluate


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gxbg-accuracy-") as tmp:
        directory = Path(tmp)
        start, cpu = time.perf_counter(), time.process_time()
        docs = build(directory, Params())
        built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        result = evaluate(directory, docs)
        scored, scored_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"corpus: {len(docs)} documents built in {built:.1f} s wall, {built_cpu:.1f} s cpu")
    print(f"score:  read, parsed and scored in {scored:.1f} s wall, {scored_cpu:.1f} s cpu")
    total, total_cpu = built + scored, built_cpu + scored_cpu
    load = os.getloadavg()[0]
    wall_goal, cpu_goal = ("met" if t < 60 else "NOT met" for t in (total, total_cpu))
    print(f"whole run {total:.1f} s wall, {total_cpu:.1f} s cpu; load {load:.1f}, {os.cpu_count()} cores")
    print(f"goal < 60 s: wall {wall_goal}, cpu {cpu_goal}")
    head = (
        ("docs", 5), ("found", 6), ("cells", 7), ("exact", 7), ("wrong", 6), ("missing", 8), ("undet.", 7),
        ("exact%", 7),
    )  # fmt: skip
    print(f"{'class':<14} " + " ".join(f"{h:>{w}}" for h, w in head) + f" {'s':>6}")
    for c in [*result.classes, result.overall]:
        t = c.tables
        print(
            f"{c.name:<14} {c.docs:>5} {c.tables_found:>6} {t.cells:>7} {t.exact:>7} {t.wrong:>6}"
            f" {t.missing:>8} {t.undetermined:>7} {math.floor(t.percent() * 10) / 10:>6.1f}%"
            f" {c.seconds:>6.1f}"
        )


if __name__ == "__main__":
    main()
