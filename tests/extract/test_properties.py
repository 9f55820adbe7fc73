"""Property tests: random and mutated input never raises anything but ParseError; normalize is idempotent."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gxbg
from gxbg.extract.text import normalize

CASES = Path(__file__).resolve().parents[1] / "cases"
TEXTS = [
    (p / "clean.txt").read_text(encoding="utf-8")
    for p in sorted(CASES.iterdir())
    if (p / "clean.txt").is_file()
]
ALPHABET = st.sampled_from(
    list("0123456789 |\t\n/-—,.、()（）一二三四五六七总计其他予以公开年报告申请件起无")
)


def _parse_or_parse_error(text: str) -> None:
    try:
        report = gxbg.parse_report(text)
    except gxbg.ParseError:
        return
    gxbg.report_to_dict(report, gxbg.validate(report))  # validate() never raises


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=400) | st.text(max_size=200))
def test_random_text_only_raises_parse_error(text: str) -> None:
    _parse_or_parse_error(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(TEXTS),
    st.lists(
        st.tuples(st.integers(0, 20_000), st.integers(0, 40), st.text(alphabet=ALPHABET, max_size=6)),
        max_size=8,
    ),
)
def test_mutated_reports_only_raise_parse_error(text: str, edits: list[tuple[int, int, str]]) -> None:
    for pos, cut, insert in edits:
        pos %= len(text) + 1
        text = text[:pos] + insert + text[pos + cut :]
    _parse_or_parse_error(text)


@given(st.text(max_size=200))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
