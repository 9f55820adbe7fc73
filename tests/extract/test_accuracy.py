"""Accuracy floors per layout class (issue 10): the extractor on a small fixed-seed slice of the corpus.

``gxbg eval`` measures the whole corpus (docs/accuracy.md); this pins a slice of it so a change that
reads fewer cells, or any wrong cell, fails here.  Floors only ever rise: when the extractor reads
more, raise the numbers in FLOORS to the new measurement (the failure message prints it).  A class in
WRONG_TODAY reads wrong numbers today — its "no wrong cell" test is a strict xfail, so the fix that
removes them must also remove the class from WRONG_TODAY.
"""

from __future__ import annotations

import pytest

from gxbg.evaluate import CLASS_NAMES, Params, build, evaluate
from gxbg.evaluate.score import ClassScore

#: 8 cases x (the case + 1 variant) per class, 3 cases x 1 for DOCX and PDF (pdfplumber is slow), the 8
#: golden texts and 8 with other figures, the simulator's 26 pages.
PARAMS = Params(
    seed=20261207,
    variants=2,
    slow_variants=1,
    slow_cases=("js-huaian-2024", "js-hongze-2023", "sd-sunjiatuan-2020"),  # 2021, 2021 single （六）, 2019
)

#: class -> (documents, table 三/四 cells, floor of exact 三/四 cells, floor of exact 表二 cells,
#: floor of documents with both 表三 and 表四 found); measured 2026-12-07, PARSER_VERSION 1.7.0.
FLOORS: dict[str, tuple[int, int, int, int, int]] = {
    "golden": (8, 1436, 1436, 128, 8),
    "golden_varied": (8, 1436, 1436, 128, 8),
    "pipe_row": (16, 2872, 2872, 256, 16),
    "pipe_cell": (16, 2872, 2872, 256, 16),
    "tabbed": (16, 2872, 2872, 256, 16),
    "plain": (16, 2872, 2850, 256, 16),
    "tsv": (16, 2872, 2872, 256, 16),
    "label_variants": (16, 2872, 2872, 256, 16),
    "html": (16, 2872, 2872, 256, 16),
    "docx": (3, 542, 542, 42, 3),
    "pdf_text": (3, 542, 542, 42, 3),
    "pdf_tables": (3, 542, 542, 42, 3),
    "headings": (16, 2872, 2872, 256, 16),
    "md_rowgroups": (16, 2872, 2872, 256, 16),
    "md_mangled": (16, 2872, 2872, 256, 16),
    "glued": (16, 2872, 2689, 204, 16),
    "word_html": (16, 2872, 2872, 256, 16),
    "sim_pages": (26, 4660, 4660, 428, 26),
}
#: Classes that read wrong numbers today (see docs/accuracy.md, "Wrong numbers today").
WRONG_TODAY: dict[str, str] = {}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClassScore]:
    directory = tmp_path_factory.mktemp("accuracy")
    result = evaluate(directory, build(directory, PARAMS))
    return {c.name: c for c in result.classes}


def test_every_class_is_pinned() -> None:
    assert set(FLOORS) == set(CLASS_NAMES)


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_exact_cells_floor(scores: dict[str, ClassScore], name: str) -> None:
    docs, cells, exact, t2_exact, found = FLOORS[name]
    got = scores[name]
    measured = (got.docs, got.tables.cells, got.tables.exact, got.proactive.exact, got.tables_found)
    # the slice may grow (a golden case or simulator page added), never shrink; floors are counts
    assert got.docs >= docs, f"{name}: fewer documents in the slice than when measured: {measured}"
    assert got.tables.cells >= cells, f"{name}: fewer cells in the slice than when measured: {measured}"
    assert got.tables.exact >= exact, f"{name}: fewer 三/四 cells exact than the floor: {measured}"
    assert got.proactive.exact >= t2_exact, f"{name}: fewer 表二 cells exact than the floor: {measured}"
    assert got.tables_found >= found, f"{name}: fewer documents with both tables found: {measured}"


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_every_cell_the_document_determines_is_read(scores: dict[str, ClassScore], name: str) -> None:
    # a cell left empty is excused only with a witness (gxbg.evaluate.determined: another table printed
    # as the same text that keeps the same rules); every other cell must be read (issue 10's 100 %)
    got = scores[name]
    missing = (got.tables.missing, got.proactive.missing)
    assert missing == (0, 0), f"{name}: determined cells left empty (三/四, 表二): {missing}"


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=WRONG_TODAY[n]))
        if n in WRONG_TODAY
        else n
        for n in CLASS_NAMES
    ],
)
def test_no_wrong_cell(scores: dict[str, ClassScore], name: str) -> None:
    got = scores[name]
    assert (got.tables.wrong, got.proactive.wrong) == (0, 0)
