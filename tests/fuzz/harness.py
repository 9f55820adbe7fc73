"""A mutation fuzzer over the golden cases and the simulator's pages (issue 11, part 3).

Each input is a seed (a ``tests/cases*/*/clean.txt`` text, a golden case re-rendered in each table
layout, or a ``gxbg/sim/sites`` HTML page) with one to four mutations aimed at the extractor's promises:
hostile characters next to digits (superscripts, compatibility and non-ASCII digits, tabs, line breaks,
``<sup>``), lost ``|`` separators, joined and split lines, long digit runs and long lines of numbers, span
bombs, unclosed comments, attribute bombs.
Every input is parsed (text: ``parse_report``; HTML: ``parse_html`` and, for a share of them, the cleaner
``clean_page`` then ``parse_report``) and judged:

* an exception other than ``gxbg.errors.GxbgError`` (``ParseError`` and kin) is *unexpected*;
* an input taking more than ``SLOW`` seconds of CPU is *slow*; one past ``HANG`` seconds is stopped;
* every accepted number must be printed in the input (``tests.fuzz.oracle.violations``).

Deterministic for a seed.  ``python -m tests.fuzz --n 100000`` prints the figures (``make fuzz``).
"""

from __future__ import annotations

import random
import resource
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import gxbg
from gxbg.clean import clean_page
from gxbg.crawl.charset import decode_text
from gxbg.errors import GxbgError
from tests.extract.render import LAYOUTS, render
from tests.fuzz.oracle import violations

ROOT = Path(__file__).resolve().parents[2]
SLOW = 2.0  # seconds of CPU time
HANG = 30.0  # seconds: the input is stopped and counted as a hang

__all__ = ["Figures", "Seed", "mutate", "run", "seeds"]


@dataclass(frozen=True, slots=True)
class Seed:
    name: str
    text: str
    is_html: bool


def seeds() -> list[Seed]:
    """The golden, error and pre-2019 case texts, each golden case re-rendered in every layout
    (``tests.extract.render``), and every simulator page that parses as a report."""
    out: list[Seed] = []
    for path in sorted(ROOT.glob("tests/cases*/*/clean.txt")):
        out.append(Seed(f"{path.parent.parent.name}/{path.parent.name}", path.read_text("utf-8"), False))
    for path in sorted(ROOT.glob("tests/cases/*/clean.txt")):  # each case in every layout (DOCX tabs …)
        report = gxbg.parse_report(path.read_text("utf-8"))
        for layout in LAYOUTS:
            out.append(Seed(f"{path.parent.name}@{layout}", render(report, layout), layout == "html"))
    for path in sorted((ROOT / "gxbg/sim/sites").rglob("*")):
        if path.suffix not in (".html", ".shtml"):
            continue
        page = decode_text("text/html", path.read_bytes()).text
        try:
            gxbg.parse_html(page)
        except GxbgError:
            continue  # a listing or a column page: no report to mutate
        out.append(Seed(str(path.relative_to(ROOT / "gxbg/sim/sites")), page, True))
    return out


# characters and snippets that must never create or merge a digit
_MARKS = (
    "¹", "²", "³", "⁰", "⁵", "₁", "₂", "⒈", "⒛", "㉑", "㊿", "𝟏", "𝟗", "½", "㎡", "㍘", "🄂",
    "٣", "٠", "۷", "१", "০", "๓", "１", "０", "①", "⑴", "〇",
)  # fmt: skip
_SEPARATORS = ("\t", " ", "\n", "\r", "\r\n", "\u3000", "\xa0", "\u200b", "\ufeff", "\u2028", "\x0c")
_PUNCT = ("\u0301", "|", " |", "｜", ",", ".", "，", "。", "-", "/", "—", "+", "(", ")", "万元", "件", "年")
_HTML = (
    "<sup>1</sup>", "<sub>2</sub>", "<sup>１２</sup>", "<!--", "-->", "<span>", "</span>", "<br>",
    "</td><td>", "<td rowspan=99999 colspan=99999>", "<td colspan=0>", "<table>", "</table>", "<tr>",
    "&#49;", "&#xFF11;", "&nbsp;", "&am", "<![CDATA[", "<script>", "<p", "<o:p></o:p>", "<b>1</b>",
)  # fmt: skip


def _near_digit(rng: random.Random, text: str) -> int:
    """A position next to a digit (half the time), else anywhere."""
    if text and rng.random() < 0.5:
        for _ in range(8):
            i = rng.randrange(len(text))
            if text[i].isdigit():
                return i + rng.choice((0, 1))
    return rng.randrange(len(text) + 1)


def _insert(text: str, at: int, piece: str) -> str:
    return text[:at] + piece + text[at:]


def _lines_op(rng: random.Random, text: str, op: str) -> str:
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    i = rng.randrange(len(lines) - 1)
    if op == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "join":
        lines[i : i + 2] = [lines[i] + rng.choice(("", " ", "\t")) + lines[i + 1]]
    elif op == "unpipe":
        candidates = [k for k, ln in enumerate(lines) if ln.rstrip().endswith("|")]
        if candidates:
            k = rng.choice(candidates)
            lines[k] = lines[k].rstrip().rstrip("|").rstrip()
    elif op == "copy":
        lines.insert(rng.randrange(len(lines)), lines[i])
    return "\n".join(lines)


def _bomb(rng: random.Random, is_html: bool) -> str:
    kind = rng.randrange(8 if is_html else 5)
    if kind == 0:
        return "".join(rng.choice("0123456789") for _ in range(rng.choice((19, 25, 400, 5000))))
    if kind == 1:
        return " ".join(["0"] * rng.choice((50, 500, 4000))) + rng.choice(("", " x", " 件", "1"))
    if kind == 2:
        return "9" * rng.choice((4400, 20000))
    if kind == 3:
        return "申请" + " ".join(str(rng.randrange(100)) for _ in range(rng.choice((2, 3, 300)))) + "件"
    if kind == 4:
        return "\n".join(["0 |"] * rng.choice((10, 1000)))
    if kind == 5:
        return "<!--" * rng.choice((100, 5000))
    if kind == 6:
        return "<td" + " a" * rng.choice((100, 20000)) + ">"
    return f'<table><tr><td rowspan="{rng.choice((999, 100000))}" colspan="1000000">申' * rng.choice((1, 3))


def mutate(rng: random.Random, text: str, is_html: bool) -> str:
    """One to four mutations of ``text``."""
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        r = rng.random()
        if r < 0.35:
            pool = _MARKS if rng.random() < 0.6 else _SEPARATORS
            text = _insert(text, _near_digit(rng, text), rng.choice(pool))
        elif r < 0.45:
            text = _insert(text, _near_digit(rng, text), rng.choice(_PUNCT))
        elif r < 0.55 and is_html:
            text = _insert(text, _near_digit(rng, text), rng.choice(_HTML))
        elif r < 0.62:
            at = rng.randrange(len(text) + 1)
            text = text[:at] + text[at + rng.randint(1, 40) :]
        elif r < 0.66:
            at = rng.randrange(len(text) + 1)
            text = _insert(text, at, text[at : at + rng.randint(1, 200)])
        elif r < 0.85:
            text = _lines_op(rng, text, rng.choice(("swap", "join", "unpipe", "unpipe", "copy")))
        elif r < 0.93:
            digits = [i for i, ch in enumerate(text[:20000]) if ch.isdigit()]
            if digits:
                i = rng.choice(digits)
                text = text[:i] + rng.choice("0123456789") + text[i + 1 :]
        elif rng.random() < 0.25:
            text = _insert(text, _near_digit(rng, text), _bomb(rng, is_html))
    return text


@dataclass(slots=True)
class Figures:
    inputs: int = 0
    html: int = 0
    cleaned: int = 0  # HTML inputs also read through the cleaner
    parse_errors: int = 0  # documented errors (GxbgError): expected on hostile input
    unexpected: Counter[str] = field(default_factory=Counter)
    slow: int = 0
    hangs: int = 0
    not_printed: int = 0  # inputs with at least one violation
    violations: int = 0
    cells: int = 0  # cells and figures holding a value, all checked
    slowest: float = 0.0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def summary(self) -> str:
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        unexpected = sum(self.unexpected.values())
        lines = [
            f"inputs: {self.inputs} ({self.html} HTML, {self.cleaned} of them also through the cleaner)",
            f"documented parse errors: {self.parse_errors}",
            f"unexpected exceptions: {unexpected} {dict(self.unexpected) if unexpected else ''}".rstrip(),
            f"slow inputs (> {SLOW:.0f} s CPU): {self.slow}; stopped past {HANG:.0f} s: {self.hangs}; "
            f"slowest {self.slowest:.3f} s",
            f"numbers not printed in the input: {self.violations} in {self.not_printed} inputs "
            f"({self.cells} values checked)",
            f"peak RSS: {rss} MB; {self.seconds:.1f} s, {self.inputs / max(self.seconds, 1e-9):.0f} inputs/s",
        ]
        return "\n".join(lines + [f"  e.g. {e}" for e in self.examples[:10]])


class _HangError(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _HangError


def run(
    n: int,
    seed: int = 0,
    *,
    clean_share: float = 0.2,
    save: Path | None = None,
    progress: Callable[[Figures], None] | None = None,
) -> Figures:
    """Fuzz ``n`` inputs from ``seeds()`` with ``random.Random(seed)``; the figures."""
    rng = random.Random(seed)
    pool = seeds()
    figures = Figures()
    old = signal.signal(signal.SIGALRM, _alarm)
    start = time.perf_counter()
    try:
        for k in range(n):
            base = rng.choice(pool)
            text = mutate(rng, base.text, base.is_html)
            use_clean = base.is_html and rng.random() < clean_share
            figures.inputs += 1
            figures.html += base.is_html
            figures.cleaned += use_clean
            problem = _one(text, base.is_html, use_clean, figures)
            if problem is not None:
                figures.examples.append(f"{base.name} #{k}: {problem}")
                if save is not None:
                    save.mkdir(parents=True, exist_ok=True)
                    suffix = ".html" if base.is_html else ".txt"
                    (save / f"{seed}-{k}{suffix}").write_text(text, "utf-8", errors="surrogatepass")
            if progress is not None and (k + 1) % 1000 == 0:
                progress(figures)
    finally:
        signal.signal(signal.SIGALRM, old)
        signal.setitimer(signal.ITIMER_REAL, 0)
    figures.seconds = time.perf_counter() - start
    return figures


def _one(text: str, is_html: bool, use_clean: bool, figures: Figures) -> str | None:
    """Parse one input every way it is read; update ``figures``; the first problem found, if any."""
    problem: str | None = None
    ways = [("html" if is_html else "text", False)] + ([("clean", True)] if use_clean else [])
    for label, through_cleaner in ways:
        t0 = time.process_time()
        signal.setitimer(signal.ITIMER_REAL, HANG)
        try:
            read_from: str | None = None
            if through_cleaner:
                read_from = clean_page(text, url="http://fuzz.example/report.html").text
                report = gxbg.parse_report(read_from)
            else:
                report = gxbg.parse_html(text) if is_html else gxbg.parse_report(text)
            found = violations(text, report, is_html=is_html, text=read_from)
            figures.cells += _values(report)
        except _HangError:
            figures.hangs += 1
            problem = problem or f"{label}: stopped after {HANG:.0f} s"
            continue
        except GxbgError:
            figures.parse_errors += 1
            found = []
        except Exception as exc:  # counting them is the point
            figures.unexpected[type(exc).__name__] += 1
            problem = problem or f"{label}: {type(exc).__name__}: {str(exc)[:200]}"
            found = []
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        spent = time.process_time() - t0
        figures.slowest = max(figures.slowest, spent)
        if spent > SLOW:
            figures.slow += 1
            problem = problem or f"{label}: {spent:.1f} s"
        if found:
            figures.not_printed += 1
            figures.violations += len(found)
            problem = problem or f"{label}: {found[0]}"
    return problem


def _values(report: gxbg.AnnualReport) -> int:
    count = len(report.narrative) + len(report.headline)
    if report.proactive is not None:
        count += sum(c.value is not None for c in report.proactive.cells)
    if report.requests is not None:
        count += sum(c is not None and c.value is not None for row in report.requests.grid for c in row)
    if report.appeals is not None:
        count += sum(c.value is not None for row in report.appeals.grid for c in row)
    return count
