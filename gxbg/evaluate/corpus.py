"""The accuracy corpus: every case with known truth, rendered into every layout class, on disk.

:func:`build` writes ``<dir>/<class>/<document>.<ext>`` and ``<dir>/manifest.json`` (each document's
class, case, reader and truth).  It is deterministic for a seed: the same seed and sizes give the same
documents byte for byte (reportlab runs with ``invariant=1``; DOCX dates are fixed).  :func:`ensure`
builds only when the manifest is missing or was made with other parameters, so the corpus lives in a
cache directory (``.cache/accuracy`` by default, git-ignored) and is regenerated, never committed.

Classes (docs/accuracy.md): the golden case texts as published (``golden``) and with other figures
(``golden_varied``); the layouts we already
read — ``pipe_row``, ``pipe_cell``, ``tabbed``, ``plain``, ``tsv`` text, ``label_variants`` (retyped row
labels), ``html`` pages and the simulator's own pages (``sim_pages``) through the cleaner, ``docx`` and
``pdf_text`` through :func:`gxbg.clean.attachments.attachment_text`, ``pdf_tables`` through
pdfplumber's ``extract_tables`` — and the failure classes of issue 10: ``md_rowgroups``, ``md_mangled``,
``glued``, ``word_html`` (rowspan/colspan and a phantom column), ``headings`` (typos and variants).
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from gxbg.crawl.charset import decode_text
from gxbg.evaluate import documents
from gxbg.evaluate.determined import Loss, undetermined
from gxbg.evaluate.layouts import LAYOUTS
from gxbg.evaluate.truth import Truth, load_cases, substitute, truth_of, vary
from gxbg.sim.cases import CASES, ReportSpec
from gxbg.sim.server import SITES

CORPUS_VERSION = 8
DEFAULT_DIR = Path(".cache") / "accuracy"

#: A class renderer: (spec, seeded rng) -> (document bytes, truth as printed).
Render = Callable[[ReportSpec, random.Random], tuple[bytes, Truth]]


def _text(name: str) -> Render:
    layout = LAYOUTS[name]

    def render(spec: ReportSpec, rng: random.Random) -> tuple[bytes, Truth]:
        text, truth = layout(spec, rng)
        return text.encode("utf-8"), truth

    return render


def _html(spec: ReportSpec, rng: random.Random) -> tuple[bytes, Truth]:
    return documents.plain_page(spec).encode("utf-8"), truth_of(spec)


def _word(spec: ReportSpec, rng: random.Random) -> tuple[bytes, Truth]:
    return documents.word_page(spec, rng).encode("utf-8"), truth_of(spec)


def _docx(spec: ReportSpec, rng: random.Random) -> tuple[bytes, Truth]:
    return documents.report_docx(spec), truth_of(spec)


def _pdf(spec: ReportSpec, rng: random.Random) -> tuple[bytes, Truth]:
    return documents.report_pdf(spec), truth_of(spec)


@dataclass(frozen=True, slots=True)
class DocClass:
    name: str
    reader: str  # text | html | attachment | pdf_tables
    ext: str
    render: Render
    slow: bool = False  # binary documents: fewer variants per case
    #: how the layout loses a cell's place, if it does (its truth then names the cells it leaves
    #: undetermined: gxbg.evaluate.determined)
    loss: Loss | None = None


CLASSES: tuple[DocClass, ...] = (
    *(DocClass(n, "text", "txt", _text(n)) for n in ("pipe_row", "pipe_cell", "tabbed")),
    DocClass("plain", "text", "txt", _text("plain"), loss="spaced"),
    DocClass("tsv", "text", "txt", _text("tsv")),
    DocClass("label_variants", "text", "txt", _text("label_variants")),
    DocClass("html", "html", "html", _html),
    DocClass("docx", "attachment", "docx", _docx, slow=True),
    DocClass("pdf_text", "attachment", "pdf", _pdf, slow=True, loss="spaced"),
    DocClass("pdf_tables", "pdf_tables", "pdf", _pdf, slow=True),
    DocClass("headings", "text", "txt", _text("headings")),
    DocClass("md_rowgroups", "text", "txt", _text("md_rowgroups")),
    DocClass("md_mangled", "text", "txt", _text("md_mangled")),
    DocClass("glued", "text", "txt", _text("glued"), loss="glued"),
    DocClass("word_html", "html", "html", _word),
)
CLASS_NAMES = ("golden", "golden_varied", *(c.name for c in CLASSES), "sim_pages")


class Document(TypedDict):
    id: str
    cls: str
    case: str
    reader: str
    path: str  # relative to the corpus directory
    truth: Truth


@dataclass(frozen=True, slots=True)
class Params:
    """What a corpus is made from; a manifest made with other parameters is rebuilt."""

    seed: int = 20261207
    variants: int = 12  # documents per case and class (the case itself + variants - 1)
    slow_variants: int = 2  # the same for the slow binary classes (docx, PDF)
    slow_cases: tuple[str, ...] = ()  # the cases the slow classes render; () = every case
    classes: tuple[str, ...] = CLASS_NAMES

    def key(self) -> dict[str, Any]:
        return {"version": CORPUS_VERSION, "seed": self.seed, "variants": self.variants,
                "slow_variants": self.slow_variants, "slow_cases": list(self.slow_cases),
                "classes": list(self.classes)}  # fmt: skip


def _sim_pages(specs: dict[str, ReportSpec]) -> list[tuple[str, bytes, ReportSpec]]:
    """The simulator's committed report pages (a page naming a case's title and carrying 表三)."""
    out: list[tuple[str, bytes, ReportSpec]] = []
    for path in sorted(SITES.rglob("*")):
        if path.suffix not in (".html", ".htm", ".shtml") or not path.is_file():
            continue
        body = path.read_bytes()
        text = decode_text("text/html", body).text
        if "申请人情况" not in text:
            continue
        for spec in specs.values():
            if spec.title in text:
                out.append((str(path.relative_to(SITES)), body, spec))
                break
    return out


def build(directory: Path, params: Params = Params(), *, cases: Path = CASES) -> list[Document]:
    """Write the corpus under ``directory`` and its manifest; returns the documents."""
    specs = load_cases(cases)
    docs: list[Document] = []
    if "golden" in params.classes:  # the golden case texts themselves: real layouts, as published
        (directory / "golden").mkdir(parents=True, exist_ok=True)
        for spec in specs:
            name = f"golden/{spec.case_id}.txt"
            (directory / name).write_bytes((cases / spec.case_id / "clean.txt").read_bytes())
            docs.append({"id": name, "cls": "golden", "case": spec.case_id, "reader": "text", "path": name,
                         "truth": truth_of(spec)})  # fmt: skip
    if "golden_varied" in params.classes:  # the golden layouts with other figures, arithmetic kept
        (directory / "golden_varied").mkdir(parents=True, exist_ok=True)
        for spec in specs:
            text = (cases / spec.case_id / "clean.txt").read_text(encoding="utf-8")
            for index in range(1, params.variants):
                rng = random.Random(f"{params.seed}:{spec.case_id}:{index}")
                variant = vary(spec, rng, index, blanks=False)
                name = f"golden_varied/{variant.case_id.replace('~', '-v')}.txt"
                (directory / name).write_bytes(substitute(text, spec, variant).encode("utf-8"))
                docs.append({"id": name, "cls": "golden_varied", "case": spec.case_id, "reader": "text",
                             "path": name, "truth": truth_of(variant)})  # fmt: skip
    pdf_cache: dict[str, tuple[bytes, Truth]] = {}
    for cls in CLASSES:
        if cls.name not in params.classes:
            continue
        (directory / cls.name).mkdir(parents=True, exist_ok=True)
        count = params.slow_variants if cls.slow else params.variants
        for spec in specs:
            if cls.slow and params.slow_cases and spec.case_id not in params.slow_cases:
                continue
            for index in range(count):
                rng = random.Random(f"{params.seed}:{spec.case_id}:{index}")
                variant = vary(spec, rng, index)
                layout_rng = random.Random(f"{params.seed}:{cls.name}:{variant.case_id}")
                if cls.render is _pdf:  # pdf_text and pdf_tables read the same PDF two ways
                    if variant.case_id not in pdf_cache:
                        pdf_cache[variant.case_id] = _pdf(variant, layout_rng)
                    body, truth = pdf_cache[variant.case_id]
                else:
                    body, truth = cls.render(variant, layout_rng)
                if cls.loss is not None:  # (a copy: pdf_text and pdf_tables share one truth)
                    truth = truth.copy()
                    truth["undetermined"] = undetermined(variant, cls.loss)
                name = f"{cls.name}/{variant.case_id.replace('~', '-v')}.{cls.ext}"
                (directory / name).write_bytes(body)
                docs.append({"id": name, "cls": cls.name, "case": spec.case_id, "reader": cls.reader,
                             "path": name, "truth": truth})  # fmt: skip
    if "sim_pages" in params.classes:
        (directory / "sim_pages").mkdir(parents=True, exist_ok=True)
        for site_path, body, spec in _sim_pages({s.case_id: s for s in specs}):
            name = "sim_pages/" + site_path.replace("/", "__")
            (directory / name).write_bytes(body)
            docs.append({"id": name, "cls": "sim_pages", "case": spec.case_id, "reader": "html",
                         "path": name, "truth": truth_of(spec)})  # fmt: skip
    manifest = {**params.key(), "documents": docs}
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return docs


def ensure(
    directory: Path, params: Params = Params(), *, rebuild: bool = False, cases: Path = CASES
) -> tuple[list[Document], bool]:
    """The documents of ``params.classes`` in ``directory``, built first when missing or made otherwise.

    A corpus made with the same seed and sizes and more classes is reused (its documents of the wanted
    classes); one with fewer classes is rebuilt with both sets, so asking for one class never throws the
    others away.  Returns the documents and whether the corpus was (re)built now.
    """
    manifest_path = directory / "manifest.json"
    wanted = set(params.classes)
    have: set[str] = set()
    if not rebuild and manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        same = {k: v for k, v in params.key().items() if k != "classes"}
        if {k: manifest.get(k) for k in same} == same:
            have = set(manifest.get("classes") or ())
            docs: list[Document] = [d for d in manifest["documents"] if d["cls"] in wanted]
            if wanted <= have and all((directory / d["path"]).is_file() for d in docs):
                return docs, False
    union = tuple(c for c in CLASS_NAMES if c in wanted | have)
    docs = build(directory, dataclasses.replace(params, classes=union), cases=cases)
    return [d for d in docs if d["cls"] in wanted], True
