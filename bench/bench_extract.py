"""Extractor throughput: text → report (+ checks + JSON dict), and HTML page → report + checks.

Goals (issue 3): ≥ 1,000 reports/s from text → report + checks (we hold the JSON dict of ``gxbg parse`` to
it too) and ≥ 50 pages/s from HTML, on one core; each goal line says whether it is met.  Inputs are the
golden cases (tests/cases/*/clean.txt), each also with its digits rotated (so per-text caches cannot
hide work: real reports differ in their numbers), and the same reports rendered as HTML pages with
spanned tables, plain and Word-style (``<p class=MsoNormal><span style=…>`` around every cell text).
Each figure is the best of ``--repeat`` rounds, in CPU time (``time.process_time``: other processes on
a shared machine do not count) and in wall time.  Prints its figures; asserts nothing.

    .venv/bin/python bench/bench_extract.py [--repeat 5] [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gxbg  # noqa: E402
from gxbg.extract.htmlgrid import html_to_text  # noqa: E402
from tests.extract.render import render  # noqa: E402

_ROTATE = str.maketrans("0123456789", "1234567890")
_WORD_CELL = re.compile(r"<td([^>]*)>([^<]*)</td>")


def _texts() -> list[str]:
    cases = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if (p / "clean.txt").is_file())
    texts = [(p / "clean.txt").read_text(encoding="utf-8") for p in cases]
    return texts + [t.translate(_ROTATE) for t in texts]


def _page(text: str, *, word: bool) -> str:
    report = gxbg.parse_report(text)
    body = "".join(f"<p>{line}</p>" for line in text.splitlines()[:40])  # narrative around the tables
    page = render(report, "html").replace("<body>", "<body>" + body, 1)
    if word:  # Word's export: a paragraph and a styled span around every cell's text
        page = _WORD_CELL.sub(
            r'<td\1 width="64" valign="center" style="border:solid windowtext 1.0pt;padding:0cm">'
            r'<p class="MsoNormal" align="center" style="text-align:center"><span lang="EN-US" '
            r"style=\"font-size:10.5pt;font-family:'仿宋_GB2312'\">\2<o:p></o:p></span></p></td>",
            page,
        )
    return page


def _measure(
    func: Callable[[str], object], inputs: list[str], seconds: float, repeat: int
) -> tuple[float, float]:
    """Best of ``repeat`` rounds of at least ``seconds``: (µs CPU per input, µs wall per input)."""
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        done = 0
        cpu0, wall0 = time.process_time(), time.perf_counter()
        while time.perf_counter() - wall0 < seconds:
            for item in inputs:
                func(item)
            done += len(inputs)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        best_cpu, best_wall = min(best_cpu, cpu / done * 1e6), min(best_wall, wall / done * 1e6)
    return best_cpu, best_wall


def _line(label: str, figures: tuple[float, float], unit: str, goal: int) -> str:
    cpu_us, wall_us = figures
    verdict = ""
    if goal:  # judged on CPU time: what one core does, whatever else runs on the machine
        verdict = f"  (goal ≥ {goal:,}/s: {'met' if 1e6 / cpu_us >= goal else 'NOT met'})"
    return (
        f"{label:<40} {1e6 / cpu_us:>7,.0f} {unit}/s CPU ({cpu_us:>6,.0f} µs)"
        f"  {1e6 / wall_us:>7,.0f} {unit}/s wall ({wall_us:>6,.0f} µs){verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    texts = _texts()
    plain = [_page(t, word=False) for t in texts]
    word = [_page(t, word=True) for t in texts]

    def text_checked(text: str) -> object:
        return gxbg.extract.validate(gxbg.parse_report(text))

    def full(report: gxbg.AnnualReport) -> object:  # validate, then serialise (what the harvest stores)
        return gxbg.report_to_dict(report, gxbg.validate(report))

    def text_full(text: str) -> object:
        return full(gxbg.parse_report(text))

    def html_full(html: str) -> object:  # the extractor's part: grid text → report (the goal's path)
        return full(gxbg.parse_report(html_to_text(html)))

    def html_cleaned(html: str) -> object:  # gxbg.parse_html: the harvest's cleaner first (lxml, trafilatura)
        return full(gxbg.parse_html(html))

    rows = [
        ("text → parse_report", gxbg.parse_report, texts, "reports", 0),
        ("text → report + checks (validate)", text_checked, texts, "reports", 1000),
        ("text → report + checks + JSON dict", text_full, texts, "reports", 1000),
        ("HTML → html_to_text", html_to_text, plain, "pages", 0),
        ("HTML → report + checks + JSON dict", html_full, plain, "pages", 50),
        ("Word HTML → html_to_text", html_to_text, word, "pages", 0),
        ("Word HTML → report + checks + JSON dict", html_full, word, "pages", 50),
        ("HTML → parse_html (cleaner) + JSON", html_cleaned, plain, "pages", 0),
        ("Word HTML → parse_html (cleaner) + JSON", html_cleaned, word, "pages", 0),
    ]
    kib = {"pages": sum(map(len, plain)) / len(plain) / 1024, "word": sum(map(len, word)) / len(word) / 1024}
    print(
        f"{len(texts)} texts (8 cases + digits rotated); HTML pages avg {kib['pages']:.0f} KiB, "
        f"Word-style avg {kib['word']:.0f} KiB; best of {args.repeat} × ≥{args.seconds:g} s"
    )
    for label, func, inputs, unit, goal in rows:
        print(_line(label, _measure(func, inputs, args.seconds, args.repeat), unit, goal))


if __name__ == "__main__":
    main()
