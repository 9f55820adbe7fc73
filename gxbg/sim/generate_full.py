"""The test-only (``full`` profile) portals beyond the demo's three (portals.md §11).

The portals themselves live in :mod:`gxbg.sim.full_trs` (fixtures 2, 3 and archetype G),
:mod:`gxbg.sim.full_platforms` (B JSONP, C, E, F1, F2) and :mod:`gxbg.sim.full_epoint` (the E
WebBuilder shells of fixture 10); the hostile list is here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gxbg.sim import pages

if TYPE_CHECKING:
    from gxbg.sim.cases import ReportSpec
    from gxbg.sim.generate import Builder

OTHER = "__OTHER__"


def hostile(b: Builder) -> None:
    """A list whose report-titled links all point outside scope: none may be requested."""
    title = "示例县{}年政府信息公开工作年度报告"
    links = [
        (f"{OTHER}/hostile/t1.html", title.format(2023), "2024-01-01"),
        ("http://10.0.0.1/t2.html", title.format(2022), "2023-01-01"),
        ("http://169.254.169.254/latest/meta-data/", title.format(2021), "2022-01-01"),
        ("file:///etc/passwd", title.format(2020), "2021-01-01"),
        ("javascript:alert(1)", title.format(2019), "2020-01-01"),
    ]
    body = (
        pages.li_items(links) + f'<div class="page"><a href="{OTHER}/hostile/index_1.html">下一页</a></div>'
    )
    b.put("/hostile/zfxxgknb/index.html", pages.page("政府信息公开年报", body, column="政府信息公开年报"))
    b.seed(("full",), "hostile", "H", "/hostile/zfxxgknb/index.html", [])


def build_full(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Add the full-profile portals to ``b``."""
    from gxbg.sim import full_epoint, full_platforms, full_trs

    full_trs.trs_pages(b, c)
    full_trs.trs_table(b, c)
    full_trs.govcn(b, c)
    full_platforms.hanweb_jsonp(b, c)
    full_platforms.gkmlpt(b, c)
    full_platforms.shanghai(b, c)
    full_platforms.ilist(b, c)
    full_platforms.openness(b, c)
    full_epoint.epoint(b, c)
    hostile(b)
