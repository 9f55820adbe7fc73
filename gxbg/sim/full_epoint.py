# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""Full-profile Epoint "WebBuilder" portal (portals.md §4.E, §10.E, §11 fixture 10).

A static list whose detail links are SPA shells ``/xxgk/showinfo.html?infoGuid={uuid}``: one
static shell file (the query string is ignored, as on the real platform the script reads it) with
``var siteInfo = {siteGuid, projectName}`` and an empty ``#info_spnContent``.  The body comes from
``POST {projectName}/rest/frontAppNotNeedLoginAction/getGovInfoDetail`` with the form field
``params={"infoid": "<uuid>"}``; the answers live in ``Builder.dynamic["epoint"]`` (endpoint path →
infoid → JSON), served by :mod:`gxbg.sim.server`.  One item answers ``infotype: "html"`` with a
rendered report, one ``infotype: "pdf"`` with a ``pdflist``, one (a 解读) is never requested.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from html import escape
from typing import TYPE_CHECKING

from gxbg.sim import attachments, pages
from gxbg.sim.generate import FULL, READING, expect
from gxbg.sim.render import report_body

if TYPE_CHECKING:
    from gxbg.sim.cases import ReportSpec
    from gxbg.sim.generate import Builder

PROJECT = "/shxx-zwgk"
SHELL = "/xxgk/showinfo.html"
DETAIL_API = f"{PROJECT}/rest/frontAppNotNeedLoginAction/getGovInfoDetail"
SITE_GUID = "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"


def info_guid(seed: str) -> str:
    """A stable uuid for an item (an id, not security)."""
    return str(uuid.UUID(hashlib.md5(("epoint/" + seed).encode()).hexdigest()))


def shell_page() -> str:
    """The WebBuilder shell: site info for the script, an empty content box, no report text."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>信息公开</title>\n'
        f'<script>var siteInfo = {{ siteGuid: "{SITE_GUID}", projectName: "{PROJECT}" }};</script></head>\n'
        '<body><div id="app"><div class="ewb-article"><h3 id="info_title"></h3>\n'
        '<div id="info_spnContent"></div></div></div>\n'
        f'<script src="{PROJECT}/js/webBuilderCommon.js"></script>\n'
        f'<script src="{PROJECT}/pages/showinfo/showinfo.js"></script></body></html>\n'
    )


def _answer(data: dict[str, object]) -> dict[str, object]:
    return {"custom": {"status": "true", "data": data}}


def epoint(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Fixture 10: list → shells → JSON detail API (one HTML report, one PDF-only report, one 解读)."""
    col = "/xxgk/zfxxgknb"
    hz, huaian = c["js-hongze-2024"], c["js-huaian-2024"]
    reading = READING.format(y=2024)
    answers: dict[str, dict[str, object]] = {}
    pdf = f"{PROJECT}/upload/2025/01/21/{hashlib.md5(huaian.case_id.encode()).hexdigest()}.pdf"
    b.put_bytes(pdf, attachments.case_file(huaian.case_id))
    answers[info_guid(hz.case_id)] = _answer(
        {"infoid": info_guid(hz.case_id), "title": hz.title, "infodate": hz.published,
         "infocontent": report_body(hz), "infotype": "html", "pdflist": []}
    )  # fmt: skip
    answers[info_guid(huaian.case_id)] = _answer(
        {"infoid": info_guid(huaian.case_id), "title": huaian.title, "infodate": huaian.published,
         "infocontent": "", "infotype": "pdf",
         "pdflist": [{"attachname": f"{huaian.title}.pdf", "attachurl": pdf}]}
    )  # fmt: skip
    answers[info_guid("reading")] = _answer(
        {"infoid": info_guid("reading"), "title": reading, "infodate": "2025-01-22",
         "infocontent": pages.notice_body(reading), "infotype": "html", "pdflist": []}
    )  # fmt: skip
    b.put(SHELL, shell_page())
    items = [
        (hz.title, hz.published, info_guid(hz.case_id)),
        (reading, "2025-01-22", info_guid("reading")),
        (huaian.title, huaian.published, info_guid(huaian.case_id)),
    ]
    rows = "".join(
        f'<li class="ewb-list-node"><a href="{SHELL}?infoGuid={g}" title="{escape(t)}" target="_blank">{escape(t)}</a>'
        f'<span class="ewb-list-date">{d}</span></li>\n'
        for t, d, g in items
    )
    b.put(
        f"{col}/index.html",
        pages.page("政府信息公开年报", f'<ul class="ewb-list">\n{rows}</ul>', column="政府信息公开年报"),
    )
    b.dynamic.setdefault("epoint", {})[DETAIL_API] = json.loads(json.dumps(answers, ensure_ascii=False))
    b.seed(FULL, "epoint", "E", f"{col}/index.html",
           [expect(hz), expect(huaian, kind="attachment", parses=True)])  # fmt: skip
