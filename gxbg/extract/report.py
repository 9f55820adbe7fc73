"""``parse_report(text)``: clean report text in any supported layout → ``AnnualReport`` (composition only)."""

from __future__ import annotations

from bisect import bisect_left
from operator import itemgetter

from gxbg.errors import SectionNotFound
from gxbg.extract.formats import FormatDecision, detect_format
from gxbg.extract.metadata import read_metadata
from gxbg.extract.model import AnnualReport, FormatVersion, Section
from gxbg.extract.narrative import read_headline, read_narrative
from gxbg.extract.sections import split_sections, split_sections_pre2019
from gxbg.extract.tables.appeals import parse_appeals
from gxbg.extract.tables.form import locate_appeals, locate_requests
from gxbg.extract.tables.proactive import locate_proactive, parse_proactive, shape_format
from gxbg.extract.tables.requests import parse_requests, row_label_keys
from gxbg.extract.text import join_lines, prepare_lines_nfkc
from gxbg.extract.vocab import MARKERS_2019, MARKERS_2021, REPORT_BODY_MIN_TERMS, REPORT_BODY_TERMS

__all__ = ["parse_report"]

#: ``format_evidence`` when the format is told by the cells per row of 表二 (no header word printed)
_SHAPE_EVIDENCE = "表二行宽"
#: the markers that tell a version (not only that the form is printed: vocab.MARKERS_FORM)
_VERSION_MARKERS = frozenset(MARKERS_2019) | frozenset(MARKERS_2021)


def parse_report(text: str) -> AnnualReport:
    """Parse one report.  Raises ``SectionNotFound`` only when the text shows no report at all."""
    lines, nfkc = prepare_lines_nfkc(text)
    spans = split_sections(lines, nfkc=nfkc)
    by_key = {s.section.key: s for s in spans}
    req_span = by_key.get(Section.REQUESTS)
    if req_span:
        requests = parse_requests(req_span.lines, source=req_span.source)
    else:
        requests = parse_requests(lines if not spans else ())
    if (
        requests is None and spans
    ):  # 表三 not under its heading (misprinted, or none): found by its row labels
        requests = parse_requests(locate_requests(lines, row_label_keys))
    split_other = None if requests is None else "other_handling" not in requests.rows
    pro_span = by_key.get(Section.PROACTIVE)
    # 表二 not under its heading (a sub-heading, a typo): found by its 第二十条第（X）项 lines, whose
    # header words are evidence of the format as much as under the heading
    pro_lines = locate_proactive(lines) if spans and not (pro_span and pro_span.lines) else ()
    tables_text = "\n".join(
        [s.source for s in (pro_span, req_span) if s and s.lines] + [join_lines(pro_lines)] * bool(pro_lines)
    )
    decision = detect_format(tables_text if spans else text, split_other=split_other)
    versioned = not _VERSION_MARKERS.isdisjoint(decision.evidence)
    if not versioned and decision.format is not FormatVersion.PRE2019 and pro_span and pro_span.lines:
        # no header word of a version printed (markdown under 数据1 数据2 …; the format guessed from
        # 表三's rows): the shape of 表二's rows may tell (cells per row, or the cuts of glued rows)
        shaped = shape_format(pro_span.lines)
        if shaped is not None:
            decision = FormatDecision(shaped, (*decision.evidence, _SHAPE_EVIDENCE), needs_review=True)
            versioned = True
    fmt = decision.format
    if fmt is FormatVersion.PRE2019:
        requests = None
        spans = split_sections_pre2019(lines)  # free-form parts, numbered freely (report-format.md §8)
        by_key = {s.section.key: s for s in spans}
        pro_span = by_key.get(Section.PROACTIVE)
    if pro_span and pro_span.lines:
        proactive = parse_proactive(pro_span.lines, fmt, source=pro_span.source, glued=versioned)
    else:  # read under the format only when the text shows it (a guessed format's columns are not)
        proactive = parse_proactive(pro_lines if versioned else (), fmt)
    app_span = by_key.get(Section.APPEALS)
    appeals = None
    if app_span and fmt is not FormatVersion.PRE2019:
        appeals = parse_appeals(app_span.lines, source=app_span.source)
    if appeals is None and requests is not None:  # 表四 not under its heading: found by its header words
        appeals = next(filter(None, map(parse_appeals, locate_appeals(lines))), None)
    overview = by_key.get(Section.OVERVIEW)
    first = spans[0].section.line if spans else None
    # the lines before any heading (line numbers ascend: a binary search, not a pass over the lines)
    head_end = len(lines) if first is None else bisect_left(lines, first, key=itemgetter(0))
    meta = read_metadata(lines, head_end=head_end, overview=overview.section.text if overview else "")
    if not spans and requests is None:
        if meta.title is None:
            raise SectionNotFound(
                "expected a report: section headings (一、总体情况 … 六、其他需要报告的事项), "
                "a title (…年政府信息公开工作年度报告) or 表三; found none",
                line=1,
            )
        if not _reads_like_a_report(text):
            raise SectionNotFound(
                f"expected a report body under the title {meta.title!r}: section headings, 表三, or a "
                "free-form text about disclosure (主动公开, 依申请, 行政复议…); found none",
                line=1,
            )
    return AnnualReport(
        format=fmt,
        format_evidence=decision.evidence,
        needs_review=decision.needs_review,
        agency=meta.agency,
        year=meta.year,
        title=meta.title,
        published=meta.published,
        sections=tuple(s.section for s in spans),
        proactive=proactive,
        requests=requests,
        appeals=appeals,
        narrative=read_narrative(spans),
        headline=read_headline(lines) if fmt is FormatVersion.PRE2019 else (),
        source=text,
    )


def _reads_like_a_report(text: str) -> bool:
    """A free-form body names at least two of the report's subjects.

    >>> _reads_like_a_report("本页面正在维护，报告内容暂不可用。")
    False
    >>> _reads_like_a_report("全年主动公开政府信息120条，受理依申请公开3件。")
    True
    """
    return sum(term in text for term in REPORT_BODY_TERMS) >= REPORT_BODY_MIN_TERMS
