"""The committed site files are exactly what the generator writes; attachment bodies are valid files."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from gxbg.sim import attachments
from gxbg.sim.cases import read_case
from gxbg.sim.generate import SITES, Builder, build
from gxbg.sim.render import report_body

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built() -> Builder:
    return build()


def test_committed_sites_match_the_generator(built: Builder) -> None:
    on_disk = {
        str(p.relative_to(SITES)): p.read_bytes()
        for p in SITES.rglob("*")
        if p.is_file() and p.name not in ("manifest.json", "dynamic.json")
    }
    assert on_disk == built.files  # run `python -m gxbg.sim.generate` after changing a portal
    manifest = json.loads((SITES / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == json.loads(json.dumps(built.seeds, ensure_ascii=False))
    dynamic = json.loads((SITES / "dynamic.json").read_text(encoding="utf-8"))
    assert dynamic == json.loads(json.dumps(built.dynamic, ensure_ascii=False))


def test_generation_is_deterministic(built: Builder) -> None:
    assert build().files == built.files


def test_demo_profile_keeps_its_eight_cases(built: Builder) -> None:
    demo = built.seeds["demo"]
    assert [s["name"] for s in demo] == ["trs-gbk", "hanweb", "beijing"]
    assert len({e["case_id"] for s in demo for e in s["expected"]}) == 8  # type: ignore[attr-defined]


def test_pdf_is_well_formed() -> None:
    pdf = attachments.pdf_bytes("示例县2023年政府信息公开工作年度报告", "case-x")
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    start = int(re.search(rb"startxref\n(\d+)", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[start:].startswith(b"xref\n0 7\n")
    offsets = [int(x) for x in re.findall(rb"(\d{10}) 00000 n", pdf)]
    assert [pdf[o:].split(b" ", 1)[0] for o in offsets] == [str(n).encode() for n in range(1, 7)]
    assert "示例县".encode("utf-16-be").hex().upper().encode() in pdf
    assert b"(Annual report case-x)" in pdf


def test_docx_carries_the_report_text_and_tables() -> None:
    spec = read_case(REPO / "tests" / "cases" / "js-hongze-2023")
    data = attachments.docx_bytes(report_body(spec))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {"[Content_Types].xml", "_rels/.rels", "word/document.xml"}
        document = archive.read("word/document.xml").decode("utf-8")
    assert spec.title in document
    assert document.count("<w:tbl>") == 3  # 表二, 表三, 表四
    assert "本年新收政府信息公开申请数量" in document
    assert data == attachments.docx_bytes(report_body(spec))  # fixed timestamps: byte-stable


def test_jpeg_has_start_and_end_markers() -> None:
    assert attachments.JPEG_1X1.startswith(b"\xff\xd8\xff")
    assert attachments.JPEG_1X1.endswith(b"\xff\xd9")
