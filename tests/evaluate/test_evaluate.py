"""The accuracy corpus and its scorer: deterministic, honest truth, and a scorer that counts right."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from gxbg.evaluate import Params, build, ensure, evaluate
from gxbg.evaluate.corpus import CASES
from gxbg.evaluate.layouts import LAYOUTS
from gxbg.evaluate.score import DocScore, score_report
from gxbg.evaluate.truth import load_cases, substitute, truth_of, vary
from gxbg.sim.cases import ReportSpec

TEXT = (
    "pipe_row",
    "pipe_cell",
    "tabbed",
    "plain",
    "tsv",
    "label_variants",
    "headings",
    "md_rowgroups",
    "md_mangled",
    "glued",
)


def _gaps(spec: ReportSpec) -> tuple[list[int], int, list[int], list[int]]:
    """How far each rule is from holding: row sums, T3-BAL, T3-SUM per column, each 表四 group.

    A blank or marker cell counts 0, as the form's arithmetic counts it."""
    req = spec.requests

    def n(v: str | None) -> int:
        return int(v) if v is not None and v.isdigit() else 0

    rows = [sum(n(x) for x in v[:6]) - n(v[6]) for v in req.values()]
    bal = sum(n(req[k][6]) for k in ("received", "carried_in")) - sum(
        n(req[k][6]) for k in ("total", "carried_out")
    )
    leaves = [k for k in req if k not in ("received", "carried_in", "total", "carried_out")]
    t3_sum = [n(req["total"][c]) - sum(n(req[k][c]) for k in leaves) for c in range(7)]
    t3_sum = [*sorted(t3_sum[:6]), t3_sum[6]]  # the six applicant columns are permuted
    appeals = spec.appeals
    t4 = [sum(n(x) for x in appeals[g * 5 : g * 5 + 4]) - n(appeals[g * 5 + 4]) for g in range(3)]
    return rows, bal, t3_sum, t4


def test_variants_keep_the_arithmetic_and_change_the_figures() -> None:
    specs = load_cases(CASES)
    assert len(specs) == 8
    changed = 0
    for spec in specs:
        for index in range(1, 6):
            variant = vary(spec, random.Random(f"t:{spec.case_id}:{index}"), index)
            assert _gaps(variant) == _gaps(spec), variant.case_id  # a faulty table stays faulty by as much
            changed += variant.requests != spec.requests
    assert changed >= 35


def test_every_truth_number_is_printed_in_its_document() -> None:
    spec = vary(load_cases(CASES)[4], random.Random(7), 3)
    for name in TEXT:
        text, truth = LAYOUTS[name](spec, random.Random(name))
        values = [v for row in truth["requests"].values() for v in row] + truth["appeals"]
        for v in values:
            if v is not None:
                assert v in text, (name, v)


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    params = Params(
        seed=5,
        variants=2,
        slow_variants=1,
        slow_cases=("js-huaian-2024",),
        classes=(*TEXT, "word_html", "pdf_text", "docx"),
    )
    one = build(tmp_path / "a", params)
    two = build(tmp_path / "b", params)
    assert one == two
    for doc in one:
        assert (tmp_path / "a" / doc["path"]).read_bytes() == (tmp_path / "b" / doc["path"]).read_bytes(), (
            doc["id"]
        )
    other = build(tmp_path / "c", Params(seed=6, variants=2, slow_variants=1, classes=("pipe_row",)))
    assert [d["truth"] for d in other] != [d["truth"] for d in one if d["cls"] == "pipe_row"]


def _cell(table: str, row: str, col: str, value: int | None, raw: str) -> dict[str, object]:
    meaning = "blank" if value is None else ("zero" if value == 0 else "number")
    return {"table": table, "row": row, "col": col, "value": value, "raw": raw, "meaning": meaning}


def test_scorer_counts_exact_wrong_and_missing() -> None:
    truth = truth_of(load_cases(CASES)[4])  # js-huaian-2024: 25 rows x 7 + 15
    truth["requests"]["carried_in"][1] = None  # printed blank
    cols = ("natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total")
    cells = [
        _cell("requests", row, col, None if v is None else int(v), v or "")
        for row, values in truth["requests"].items()
        for col, v in zip(cols, values, strict=True)
    ]
    by = {(c["row"], c["col"]): c for c in cells}
    by[("received", "total")].update(value=3118, raw="3118")  # wrong number
    by[("disclosed", "business")].update(value=None, raw="", meaning="blank")  # missing number
    by[("carried_in", "business")].update(value=0, raw="0", meaning="zero")  # a 0 where blank: wrong
    doc = DocScore(id="x", cls="x")
    score_report(doc, truth, cells)  # no 表四 at all: 15 missing; no 表二: missing
    assert (doc.tables.exact, doc.tables.wrong, doc.tables.missing) == (175 - 3, 2, 1 + 15)
    assert {w["cell"] for w in doc.wrong_cells} == {"requests.received.total", "requests.carried_in.business"}
    assert not doc.tables_found
    assert doc.proactive.exact == 0
    assert doc.proactive.wrong == 0
    assert doc.proactive.missing > 0


def test_eval_command_json_and_exit_code(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["eval", "--corpus", str(tmp_path), "--class", "pipe_row", "--variants", "1", "--json"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout.splitlines()[-1])
    assert data["overall"]["docs"] == 8
    assert data["overall"]["wrong"] == 0
    assert data["overall"]["exact"] == data["overall"]["cells"] > 1400
    # a truth that disagrees with its document is a wrong cell, and the command fails
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    row = manifest["documents"][0]["truth"]["requests"]["received"]
    row[0] = str(int(row[0]) + 1)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    second = runner.invoke(app, args)
    assert second.exit_code == 1
    assert json.loads(second.stdout.splitlines()[-1])["overall"]["wrong"] == 1


def test_eval_command_rejects_an_unknown_class(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--corpus", str(tmp_path), "--class", "nope"])
    assert result.exit_code == 2
    assert "unknown class 'nope'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", TEXT)
def test_layouts_render_each_case(name: str) -> None:
    for spec in load_cases(CASES):
        text, truth = LAYOUTS[name](spec, random.Random(1))
        assert "三、" in text or "三．" in text or "（三）" in text
        assert set(truth["requests"]) == set(spec.requests)


def test_scoring_in_two_processes_gives_the_same_result(tmp_path: Path) -> None:
    docs = build(tmp_path, Params(seed=3, variants=2, classes=("plain", "glued")))
    one, two = evaluate(tmp_path, docs), evaluate(tmp_path, docs, jobs=2)
    assert [(d.id, d.tables, d.proactive, d.wrong_cells) for d in one.documents] == [
        (d.id, d.tables, d.proactive, d.wrong_cells) for d in two.documents
    ]
    assert one.overall.tables == two.overall.tables


def test_a_document_that_cannot_be_read_is_counted_and_fails_the_command(tmp_path: Path) -> None:
    args = ["eval", "--corpus", str(tmp_path), "--class", "plain", "--variants", "1", "--json"]
    assert CliRunner().invoke(app, args).exit_code == 0
    (tmp_path / "plain" / "js-huaian-2024.txt").write_bytes(b"\xff\xfe\x00broken")  # not UTF-8
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    plain = json.loads(result.stdout.splitlines()[-1])["classes"][0]
    assert (plain["crashed"], plain["errors"], plain["wrong"]) == (1, 1, 0)
    assert plain["missing"] == 190  # every cell of that report
    assert "crashed on 1 documents" in result.output


def test_asking_for_one_class_keeps_the_others(tmp_path: Path) -> None:
    params = Params(seed=4, variants=1, classes=("plain", "glued"))
    docs, built = ensure(tmp_path, params)
    assert built
    assert {d["cls"] for d in docs} == {"plain", "glued"}
    only, built = ensure(tmp_path, Params(seed=4, variants=1, classes=("glued",)))
    assert not built
    assert {d["cls"] for d in only} == {"glued"}
    assert only == [d for d in docs if d["cls"] == "glued"]
    more, built = ensure(tmp_path, Params(seed=4, variants=1, classes=("tsv",)))  # grows the corpus
    assert built
    assert {d["cls"] for d in more} == {"tsv"}
    everything, built = ensure(tmp_path, Params(seed=4, variants=1, classes=("plain", "glued", "tsv")))
    assert not built
    assert len(everything) == 24
    _, built = ensure(tmp_path, Params(seed=5, variants=1, classes=("tsv",)))  # another seed: rebuilt
    assert built


def test_golden_texts_take_other_figures_in_place() -> None:
    for spec in load_cases(CASES):
        text = (CASES / spec.case_id / "clean.txt").read_text(encoding="utf-8")
        assert substitute(text, spec, spec) == text
        variant = vary(spec, random.Random(f"g:{spec.case_id}"), 2, blanks=False)
        changed = substitute(text, spec, variant)
        assert changed != text
        assert substitute(changed, variant, spec) == text  # only the table numbers moved
        with pytest.raises(ValueError, match="not the case's"):
            substitute(changed, spec, variant)
