"""Score the extractor on the accuracy corpus: per class and overall, cells exact / wrong / missing.

Each document is read as the pipeline reads its kind (text as is; HTML through the cleaner,
:func:`gxbg.clean.clean_page`; PDF and DOCX through :func:`gxbg.clean.attachments.attachment_text`;
``pdf_tables`` through pdfplumber's ``extract_tables``), parsed with :func:`gxbg.parse_report`, and every
table cell compared with the truth by position:

* truth a number (a printed ``0`` included): **exact** when the same number was read, **wrong** when
  another number was, **missing** when none was;
* truth blank or a marker (``/``, ``-``, ``无``): **exact** when the table was found and the cell holds no
  number, **wrong** when it holds one, **missing** when the table was not found;
* a cell the document's layout leaves undetermined (the truth lists it, :mod:`gxbg.evaluate.determined`:
  another table prints the same text and keeps the same rules) and that holds no number: **undetermined**,
  not missing — leaving it empty is the only right reading.  Read with the true number it is exact, with
  another it is wrong, as everywhere.

``exact %`` is exact cells over the cells the documents determine (all cells but the undetermined ones).

表三 and 表四 cells are the headline figure; 表二 cells are counted apart.  A wrong cell anywhere is a
failure (``gxbg eval`` exits 1).
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any

from gxbg import ParseError, parse_report, report_to_dict, validate
from gxbg.clean import clean_page
from gxbg.clean.attachments import attachment_text
from gxbg.crawl.charset import decode_text
from gxbg.evaluate.corpus import Document
from gxbg.evaluate.determined import amount
from gxbg.evaluate.documents import pdf_table_text
from gxbg.evaluate.truth import APPEAL_COLS, APPEAL_GROUPS, REQUEST_COLS, Truth
from gxbg.extract.serialize import CellDict

_COUNT = re.compile(r"^[+-]?\d[\d,]*$")
URL = "https://www.example.gov.cn/accuracy/report.html"


@dataclass(slots=True)
class Tally:
    exact: int = 0
    wrong: int = 0
    missing: int = 0
    undetermined: int = 0  # left empty where the document does not determine the cell

    @property
    def cells(self) -> int:
        return self.exact + self.wrong + self.missing + self.undetermined

    @property
    def determined(self) -> int:
        return self.cells - self.undetermined

    def add(self, other: Tally) -> None:
        self.exact += other.exact
        self.wrong += other.wrong
        self.missing += other.missing
        self.undetermined += other.undetermined

    def percent(self) -> float:
        """Exact cells of those the documents determine."""
        return 100.0 * self.exact / self.determined if self.determined else 100.0


@dataclass(slots=True)
class DocScore:
    id: str
    cls: str
    requests: Tally = field(default_factory=Tally)  # 表三
    appeals: Tally = field(default_factory=Tally)  # 表四
    proactive: Tally = field(default_factory=Tally)  # 表二
    tables_found: bool = False  # both 表三 and 表四 found
    error: str | None = None  # ParseError (or, with crashed, any other exception)
    crashed: bool = False
    seconds: float = 0.0
    wrong_cells: list[dict[str, Any]] = field(default_factory=list)

    @property
    def tables(self) -> Tally:
        """表三 and 表四 together: the headline figure."""
        both = Tally()
        both.add(self.requests)
        both.add(self.appeals)
        return both


@dataclass(slots=True)
class ClassScore:
    name: str
    docs: int = 0
    tables_found: int = 0
    errors: int = 0  # documents that raised ParseError or crashed
    crashed: int = 0  # documents on which the extractor raised something other than ParseError
    requests: Tally = field(default_factory=Tally)
    appeals: Tally = field(default_factory=Tally)
    proactive: Tally = field(default_factory=Tally)
    seconds: float = 0.0

    @property
    def tables(self) -> Tally:
        """表三 and 表四 together: the headline figure."""
        both = Tally()
        both.add(self.requests)
        both.add(self.appeals)
        return both


@dataclass(slots=True)
class Evaluation:
    classes: list[ClassScore]
    overall: ClassScore
    documents: list[DocScore]
    seconds: float  # reading + parsing + scoring, the corpus already on disk (wall clock)
    cpu_seconds: float  # the same in CPU time (the steadier figure on a shared machine)

    @property
    def wrong(self) -> int:
        return self.overall.tables.wrong + self.overall.proactive.wrong


def read_text(path: Path, reader: str) -> str:
    """The report text of a corpus document, read the way the pipeline reads its kind."""
    body = path.read_bytes()
    if reader == "text":
        return body.decode("utf-8")
    if reader == "html":
        return clean_page(decode_text("text/html", body).text, url=URL).text
    if reader == "pdf_tables":
        return pdf_table_text(body)
    got = attachment_text(body, content_type=None, url=path.name)
    return got.text


def _got(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | str):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def _compare(
    tally: Tally, truth: str | None, cell: CellDict | None, found: bool, where: tuple[str, str, str],
    wrong_cells: list[dict[str, Any]], undetermined: frozenset[str],
) -> None:  # fmt: skip
    want = amount(truth)  # None for a blank or a marker
    got = _got(cell["value"]) if cell is not None else None
    if got is None and ":".join(where) in undetermined and not (want is None and found):
        tally.undetermined += 1
    elif want is None:
        if got is not None:
            tally.wrong += 1
            wrong_cells.append({"cell": ".".join(where), "truth": truth, "got": cell and cell["raw"]})
        elif found:
            tally.exact += 1
        else:
            tally.missing += 1
    elif got is None:
        tally.missing += 1
    elif got == want:
        tally.exact += 1
    else:
        tally.wrong += 1
        wrong_cells.append({"cell": ".".join(where), "truth": truth, "got": cell and cell["raw"]})


def score_report(doc: DocScore, truth: Truth, cells: list[CellDict]) -> None:
    """Compare one parsed report's cells (report JSON ``cells``) with its truth, into ``doc``."""
    by_key = {(c["table"], c["row"], c["col"]): c for c in cells}
    tables = {c["table"] for c in cells}
    proactive_rows: dict[str, list[CellDict]] = {}
    for c in cells:
        if c["table"] == "proactive":
            proactive_rows.setdefault(c["row"], []).append(c)
    doc.tables_found = {"requests", "appeals"} <= tables
    undetermined = frozenset(truth.get("undetermined", ()))
    for row, values in truth["requests"].items():
        for col, value in zip(REQUEST_COLS, values, strict=True):
            where = ("requests", row, col)
            _compare(
                doc.requests,
                value,
                by_key.get(where),
                "requests" in tables,
                where,
                doc.wrong_cells,
                undetermined,
            )
    for i, value in enumerate(truth["appeals"]):
        where = ("appeals", APPEAL_GROUPS[i // 5], APPEAL_COLS[i % 5])
        _compare(
            doc.appeals, value, by_key.get(where), "appeals" in tables, where, doc.wrong_cells, undetermined
        )
    for row, values in truth["proactive"].items():
        got_row = proactive_rows.get(row, [])
        for i, value in enumerate(values):
            cell = got_row[i] if i < len(got_row) else None
            where = ("proactive", row, str(i))
            _compare(doc.proactive, value, cell, "proactive" in tables, where, doc.wrong_cells, undetermined)


def score_document(directory: Path, document: Document) -> DocScore:
    start = time.perf_counter()
    doc = DocScore(id=document["id"], cls=document["cls"])
    cells: list[CellDict] = []
    try:
        text = read_text(directory / document["path"], document["reader"])
        if not text.strip():
            doc.error = "no text"
        else:
            report = parse_report(text)
            checks = validate(report)
            cells = report_to_dict(report, checks)["cells"]
    except ParseError as exc:
        doc.error = f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # an extractor bug must not hide the rest of the table; it is counted apart
        doc.error = f"{type(exc).__name__}: {exc}"
        doc.crashed = True
    score_report(doc, document["truth"], cells)
    doc.seconds = time.perf_counter() - start
    return doc


def evaluate(directory: Path, documents: list[Document], *, jobs: int = 1) -> Evaluation:
    """Score every document (in ``jobs`` processes); per class (in corpus order) and overall.

    CPU time counts this process and, with ``jobs`` > 1, the worker processes (``os.times``).
    """
    start, cpu = time.perf_counter(), _cpu()
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            scores = list(pool.map(partial(score_document, directory), documents, chunksize=8))
    else:
        scores = [score_document(directory, d) for d in documents]
    seconds, cpu_seconds = time.perf_counter() - start, _cpu() - cpu
    classes: dict[str, ClassScore] = {}
    overall = ClassScore("overall")
    for s in scores:
        cls = classes.setdefault(s.cls, ClassScore(s.cls))
        for target in (cls, overall):
            target.docs += 1
            target.tables_found += s.tables_found
            target.errors += s.error is not None
            target.crashed += s.crashed
            target.requests.add(s.requests)
            target.appeals.add(s.appeals)
            target.proactive.add(s.proactive)
            target.seconds += s.seconds
    return Evaluation(list(classes.values()), overall, scores, seconds, cpu_seconds)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _tally(t: Tally) -> dict[str, int]:
    return {"cells": t.cells, "exact": t.exact, "wrong": t.wrong, "missing": t.missing,
            "undetermined": t.undetermined}  # fmt: skip


def to_json(result: Evaluation, *, details: bool = False) -> dict[str, Any]:
    """The evaluation as JSON-able data (``gxbg eval --json``)."""

    def row(c: ClassScore) -> dict[str, Any]:
        return {
            "class": c.name, "docs": c.docs, "tables_found": c.tables_found, "errors": c.errors,
            "crashed": c.crashed,
            "cells": c.tables.cells, "exact": c.tables.exact, "wrong": c.tables.wrong,
            "missing": c.tables.missing, "undetermined": c.tables.undetermined,
            "exact_percent": round(c.tables.percent(), 2),
            "t3": _tally(c.requests), "t4": _tally(c.appeals), "t2": _tally(c.proactive),
            "seconds": round(c.seconds, 3),
        }  # fmt: skip

    out: dict[str, Any] = {
        "classes": [row(c) for c in result.classes],
        "overall": row(result.overall),
        "seconds": round(result.seconds, 3),
        "cpu_seconds": round(result.cpu_seconds, 3),
    }
    if details:
        out["documents"] = [
            {
                "id": d.id,
                "class": d.cls,
                "tables_found": d.tables_found,
                "error": d.error,
                "crashed": d.crashed,
                "exact": d.tables.exact,
                "wrong": d.tables.wrong,
                "missing": d.tables.missing,
                "undetermined": d.tables.undetermined,
                "wrong_cells": d.wrong_cells,
            }
            for d in result.documents
        ]
    return out
