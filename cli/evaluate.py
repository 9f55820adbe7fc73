"""``gxbg eval``: the extractor's accuracy on the generated corpus, per layout class.

Mounted by ``cli/main.py`` as ``app.command(name="eval")(eval_command)``; the logic is in
:mod:`gxbg.evaluate` (corpus and scorer).  Exit 1 when any cell is wrong, 2 on a usage error.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console(stderr=True)


def eval_command(
    corpus: Annotated[
        Path, typer.Option(help="Corpus directory (a cache: built when missing or made otherwise).")
    ] = Path(".cache/accuracy"),
    seed: Annotated[int, typer.Option(help="Seed of the corpus generator.")] = 20261207,
    variants: Annotated[int, typer.Option(min=1, help="Documents per case and text/HTML class.")] = 12,
    slow_variants: Annotated[int, typer.Option(min=1, help="Documents per case for DOCX and PDF.")] = 2,
    classes: Annotated[
        list[str] | None, typer.Option("--class", help="Only this class (repeatable); default all.")
    ] = None,
    cases: Annotated[
        Path | None, typer.Option(help="Golden cases directory; default tests/cases of this checkout.")
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Score in this many processes.")] = 1,
    rebuild: Annotated[bool, typer.Option(help="Build the corpus again even if it is current.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")] = False,
    details: Annotated[bool, typer.Option(help="With --json: every document and its wrong cells.")] = False,
) -> None:
    """Score the extractor on a seeded corpus: table 三/四 cells exact / wrong / missing per class."""
    from gxbg.evaluate import CLASS_NAMES, Params, ensure, evaluate, to_json
    from gxbg.sim.cases import CASES

    chosen = tuple(classes) if classes else CLASS_NAMES
    unknown = [c for c in chosen if c not in CLASS_NAMES]
    if unknown:
        raise typer.BadParameter(f"unknown class {unknown[0]!r}; choose from {', '.join(CLASS_NAMES)}",
                                 param_hint="--class")  # fmt: skip
    cases_dir = cases or CASES
    if not (cases_dir / "js-huaian-2024" / "clean.txt").is_file():
        console.print(f"[red]no golden cases in {cases_dir}[/]: pass --cases DIR")
        raise typer.Exit(2)
    params = Params(seed=seed, variants=variants, slow_variants=slow_variants, classes=chosen)
    start = time.perf_counter()
    try:
        docs, built = ensure(corpus, params, rebuild=rebuild, cases=cases_dir)
    except ImportError as exc:
        console.print(f"[red]cannot build the corpus[/]: {exc} (reportlab is a dev dependency: make install)")
        raise typer.Exit(2) from None
    except OSError as exc:
        console.print(f"[red]cannot write the corpus[/]: {exc}")
        raise typer.Exit(2) from None
    build_seconds = time.perf_counter() - start
    result = evaluate(corpus, docs, jobs=jobs)
    if as_json:
        data = to_json(result, details=details)
        data["build_seconds"] = round(build_seconds, 3) if built else 0.0
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        _print(result, built=built, build_seconds=build_seconds, corpus=corpus)
    crashed = result.overall.crashed
    if crashed:
        first = next(d for d in result.documents if d.crashed)
        message = f"[red]reading or parsing crashed on {crashed} documents[/], e.g. {first.id}: {first.error}"
        console.print(message, highlight=False, soft_wrap=True)
    if result.wrong:
        console.print(f"[red]{result.wrong} wrong cells[/] (a wrong number is worse than a missing one)")
        if not as_json:
            _print_wrong(corpus, result)
    if result.wrong or crashed:
        raise typer.Exit(1)


def _print_wrong(corpus: Path, result: object, limit: int = 5) -> None:
    """The first documents with wrong cells, one line each (all of them: ``--json --details``)."""
    from gxbg.evaluate.score import Evaluation

    assert isinstance(result, Evaluation)
    bad = [d for d in result.documents if d.wrong_cells]
    for doc in bad[:limit]:
        cells = ", ".join(f"{w['cell']} {w['truth']!r}→{w['got']!r}" for w in doc.wrong_cells[:4])
        more = f" (+{len(doc.wrong_cells) - 4})" if len(doc.wrong_cells) > 4 else ""
        console.print(f"  {corpus / doc.id}: {cells}{more}", highlight=False, soft_wrap=True)
    if len(bad) > limit:
        console.print(f"  … {len(bad) - limit} more documents (--json --details lists them all)")


def _pct(value: float) -> str:
    """One decimal, rounded down: 99.95 % is not shown as 100.0."""
    return f"{math.floor(value * 10) / 10:.1f}"


def _print(result: object, *, built: bool, build_seconds: float, corpus: Path) -> None:
    from gxbg.evaluate.score import ClassScore, Evaluation

    assert isinstance(result, Evaluation)
    table = Table(title="Extractor accuracy: table 三/四 cells (表二 apart)")
    for name in ("class", "docs", "tables found", "cells", "exact", "wrong", "missing", "undet.", "exact %",
                 "表三 %", "表四 %", "表二 exact/wrong/missing/undet.", "s"):  # fmt: skip
        table.add_column(name, justify="left" if name == "class" else "right")

    def row(c: ClassScore, style: str | None = None) -> None:
        t, p = c.tables, c.proactive
        table.add_row(
            c.name, str(c.docs), f"{c.tables_found}/{c.docs}", str(t.cells), str(t.exact),
            f"[red]{t.wrong}[/]" if t.wrong else "0", str(t.missing), str(t.undetermined), _pct(t.percent()),
            _pct(c.requests.percent()), _pct(c.appeals.percent()),
            f"{p.exact}/{p.wrong}/{p.missing}/{p.undetermined}", f"{c.seconds:.1f}", style=style,
        )  # fmt: skip

    for c in result.classes:
        row(c)
    table.add_section()
    row(result.overall, style="bold")
    out = Console(width=None if sys.stdout.isatty() else 160)
    out.print(table)
    made = f"built in {build_seconds:.1f} s" if built else "cached"
    out.print(
        f"corpus {corpus} ({made}); read + parse + score {result.seconds:.1f} s "
        f"({result.cpu_seconds:.1f} s CPU)"
    )
    if result.overall.tables.undetermined or result.overall.proactive.undetermined:
        out.print(
            "undet.: cells the document does not determine (its layout lost their place; another table "
            "prints the same text and keeps the same rules), left empty as they must be; exact % is of "
            "the others"
        )
