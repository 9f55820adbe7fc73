"""Benchmark: attachment_text throughput on the attachment fixtures (PDF pages/s, DOCX documents/s).

Runs in-process on tests/fixtures/attachments/ (a 6-page CJK PDF, a DOCX with three merged-cell tables,
a scanned page), no network.  Prints one line per measure, wall-clock and CPU-time rates (the CPU
figure is the steadier one on a shared machine), then the same with parse_report on the text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from gxbg import parse_report
from gxbg.clean.attachments import AttachmentText, attachment_text

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "attachments"
ROUNDS = 10


def _rate(label: str, unit: str, per_call: int, fn: Callable[[], object]) -> None:
    fn()  # warm up (imports, CMap loading)
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(ROUNDS):
        fn()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    count = ROUNDS * per_call
    print(
        f"{label:<40} {count / elapsed:7.1f} {unit}/s wall  {count / cpu:7.1f} {unit}/s cpu  ({count} {unit})"
    )


def main() -> None:
    pdf = (FIXTURES / "huaian-2024.pdf").read_bytes()
    docx = (FIXTURES / "hongze-2024.docx").read_bytes()
    scan = (FIXTURES / "scanned.pdf").read_bytes()
    pages = attachment_text(pdf, content_type="application/pdf", url="u.pdf").pages or 0

    def read_pdf() -> AttachmentText:
        return attachment_text(pdf, content_type="application/pdf", url="u.pdf")

    def read_docx() -> AttachmentText:
        return attachment_text(docx, content_type=None, url="u.docx")

    _rate("attachment_text, CJK PDF (6 pages)", "pages", pages, read_pdf)
    _rate(
        "attachment_text, scanned PDF (1 page)",
        "pages",
        1,
        lambda: attachment_text(scan, content_type=None, url="u.pdf"),
    )
    _rate("attachment_text, DOCX (3 merged tables)", "docs", 1, read_docx)
    _rate("+ parse_report, CJK PDF", "pages", pages, lambda: parse_report(read_pdf().text))
    _rate("+ parse_report, DOCX", "docs", 1, lambda: parse_report(read_docx().text))


if __name__ == "__main__":
    main()
