"""A simulated multi-year portal for the dataset work (issue 14): one agency's reports for 2019–2024.

Apart from the demo and full profiles (``sites/manifest.json`` is untouched, so the demo's counts
stay): its own loopback server, :func:`serve_panel`, one TRS-style report column listing

* six reports of one agency, 环翠区 (GB/T 2260 ``371002``), 2019 and 2020 on the 2019 form and
  2021–2024 on the 2021 form, each signed with a different printed variant of its name
  (:data:`PRINTED`) that the identity rules resolve to ``威海市环翠区人民政府`` (``registry/sim-panel.csv``);
* one report of an agency no registry row names (:data:`UNRESOLVABLE`): it must stay unlinked;
* a news item that is no report.

The figures are synthetic and balanced (T3-BAL, T3-SUM, T3-ROW and T4-SUM pass), they carry over from
year to year (上年结转 of N = 结转下年度 of N−1, 现行有效件数 rolls forward, 上一年项目数量 follows
本年增/减) except for one planted break, :data:`PLANTED_BREAK`: the 2023 report's 上年结转 for natural
persons (and so its 总计) differs from the 2022 report's 结转下年度继续办理.  Every page says it is
simulated.  Loopback only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar, Final

from gxbg.sim import pages
from gxbg.sim.cases import ReportSpec
from gxbg.sim.render import report_body

YEARS: Final = tuple(range(2019, 2025))
CANONICAL: Final = "威海市环翠区人民政府"
REGION_CODE: Final = "371002"
#: The printed agency name of each year's report: every one resolves to :data:`CANONICAL`.
PRINTED: Final[dict[int, str]] = {
    2019: "威海市环翠区人民政府",
    2020: "环翠区人民政府",  # region prefix dropped (resolved on the portal of 371002)
    2021: "威海市环翠区人民政府办公室",  # the office signs the government's report
    2022: "区政府办公室",  # 区政府办公室 on the 环翠区 portal
    2023: "威海市 环翠区 人民政府",  # spacing
    2024: "环翠区政府",
}
#: A report whose agency no registry row names: listed by `gxbg agencies --unresolved`, never merged.
UNRESOLVABLE: Final = ("环翠区某某片区建设管理委员会", 2024)
#: (year N, the 表三 columns whose XY-CARRY fails): 2023's 上年结转 is 2 more than 2022's 结转下年度.
PLANTED_BREAK: Final = (2023, ("natural_person", "total"))
_BREAK_DELTA: Final = 2

_W19 = ("state_secret", "prohibited_by_law", "endangers_security_stability", "third_party_rights",
        "internal_affairs", "deliberative_process", "enforcement_files", "query_matters")  # fmt: skip
_U = ("not_held", "requires_creation", "still_unclear")
_N = ("petition_or_complaint", "duplicate", "published_material", "abusive_repetition", "reconfirmation")
_O21 = ("overdue_correction", "overdue_fee", "other")


def _outcome_keys(fmt: str) -> list[str]:
    keys = ["disclosed", "partly_disclosed", *(f"withheld.{k}" for k in _W19)]
    keys += [f"unavailable.{k}" for k in _U] + [f"not_processed.{k}" for k in _N]
    keys += [f"other_handling.{k}" for k in _O21] if fmt == "2021" else ["other_handling"]
    return keys


def _requests(year: int, carried_in: list[int], fmt: str) -> tuple[dict[str, list[int]], list[int]]:
    """表三 for one year: six applicant columns; returns the rows and the carried-out column values."""
    k = year - 2018
    received = [6 + 3 * k, k % 3, 1, 0, k % 2, 0]
    carried_out = [1 + k % 3, k % 2, 0, 0, 0, 0]
    outcomes = _outcome_keys(fmt)
    rows: dict[str, list[int]] = {key: [0] * 6 for key in ["received", "carried_in", *outcomes]}
    rows["received"], rows["carried_in"] = received, carried_in
    for col in range(6):
        handled = received[col] + carried_in[col] - carried_out[col]
        if handled < 0:  # never: carried_out is small; keep the table true if the figures change
            carried_out[col] += handled
            handled = 0
        # spread the handled requests over disclosed, partly disclosed, not held and duplicate
        shares = {
            "disclosed": handled // 2,
            "partly_disclosed": handled // 4,
            "unavailable.not_held": handled // 8,
        }
        shares["not_processed.duplicate"] = handled - sum(shares.values())
        for key, value in shares.items():
            rows[key][col] = value
    rows["total"] = [sum(rows[key][col] for key in outcomes) for col in range(6)]
    rows["carried_out"] = carried_out
    return rows, carried_out


def _spec(
    year: int, agency: str, carried_in: list[int], state: dict[str, int]
) -> tuple[ReportSpec, list[int]]:
    fmt = "2019" if year < 2021 else "2021"
    rows, carried_out = _requests(year, carried_in, fmt)
    requests: dict[str, tuple[str | None, ...]] = {
        key: tuple(str(v) for v in [*values, sum(values)]) for key, values in rows.items()
    }
    k = year - 2018
    if fmt == "2021":
        issued, repealed = k % 3, 1 if k % 2 else 0
        state["in_force"] = state.get("in_force", 20) + issued - repealed
        proactive: dict[str, tuple[str | None, ...]] = {
            "rules": ("0", "0", "0"),
            "normative_docs": (str(issued), str(repealed), str(state["in_force"])),
            "licensing": (str(300 + 11 * k),),
            "penalties": (str(40 + k),),
            "coercion": (str(k),),
            "fees": (f"{12 + k}.5",),
        }
    else:
        prior = state.get("prior_items", 120)
        change = 3 if year == 2019 else -2
        state["prior_items"] = prior + change  # next year's 上一年项目数量
        proactive = {
            "rules": ("0", "0", "0"),
            "normative_docs": (str(k), str(k), str(18 + k)),
            "licensing": (str(prior), f"{change:+d}", str(280 + 9 * k)),
            "other_admin_services": ("6", "0", "14"),
            "penalties": ("35", "0", str(30 + k)),
            "coercion": ("4", "0", str(k)),
            "fees": ("2", "0"),
            "procurement": ("5", "96.2300"),
        }
    appeals = ("1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0")
    title = f"{agency}{year}年政府信息公开工作年度报告"
    intro = (
        f"本报告是模拟数据（gxbg 测试用），数字均为虚构。本报告根据《中华人民共和国政府信息公开条例》编制，"
        f"统计期限自{year}年1月1日起至{year}年12月31日止。",
    )
    spec = ReportSpec(
        case_id=f"sim-panel-{year}",
        title=title,
        agency=agency,
        year=year,
        published=f"{year + 1}-01-{10 + k:02d}",
        table_format=fmt,
        requests_format=fmt,
        intro=intro,
        sections={
            "overview": (f"{year}年，本机关认真贯彻落实政府信息公开条例，主动公开政府信息。",),
            "problems": ("政府信息公开工作仍存在一些不足，下一步将持续改进。",),
            "other": ("本年度未收取信息处理费。",),
        },
        proactive=proactive,
        requests=requests,
        appeals=appeals,
    )
    return spec, carried_out


def panel_specs() -> list[ReportSpec]:
    """The six years of the agency (with the planted break) and the unresolvable agency's report."""
    specs: list[ReportSpec] = []
    carried: list[int] = [2, 0, 0, 0, 0, 0]
    state: dict[str, int] = {}
    for year in YEARS:
        carried_in = list(carried)
        if year == PLANTED_BREAK[0]:
            carried_in[0] += _BREAK_DELTA
        spec, carried = _spec(year, PRINTED[year], carried_in, state)
        specs.append(spec)
    name, year = UNRESOLVABLE
    other, _ = _spec(year, name, [0, 0, 0, 0, 0, 0], {})
    specs.append(other)
    return specs


@dataclass(frozen=True, slots=True)
class PanelSite:
    """The served site: its column URL (the harvest seed) and the reports it lists."""

    base_url: str
    seed_url: str
    reports: tuple[ReportSpec, ...]


def site_files() -> dict[str, bytes]:
    """Path → body of every page of the site (UTF-8 TRS-style pages)."""
    files: dict[str, bytes] = {}
    items: list[tuple[str, str, str]] = []
    for index, spec in enumerate(panel_specs()):
        slug = f"{spec.published[:7].replace('-', '')}/t{spec.published.replace('-', '')}_{700 + index}"
        body = pages.trs_detail(spec.title, spec.agency, spec.published, report_body(spec))
        files[f"/panel/zfxxgknb/{slug}.html"] = body.encode("utf-8")
        items.append((f"./{slug}.html", spec.title, spec.published))
    news = "环翠区召开政务公开工作推进会（模拟）"
    files["/panel/zfxxgknb/202502/t20250210_900.html"] = pages.trs_detail(
        news, "环翠区人民政府办公室", "2025-02-10", pages.notice_body(news)
    ).encode("utf-8")
    items.insert(0, ("./202502/t20250210_900.html", news, "2025-02-10"))
    listing = pages.page("政府信息公开年报（模拟）", pages.li_items(items), column="政府信息公开年报")
    files["/panel/zfxxgknb/index.html"] = listing.encode("utf-8")
    return files


class _Handler(BaseHTTPRequestHandler):
    files: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def do_GET(self) -> None:
        body = self.files.get(self.path.split("?", 1)[0])
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve_panel(host: str = "127.0.0.1", port: int = 0) -> Iterator[PanelSite]:
    """Serve the site on loopback for the duration of the block."""
    handler = type("PanelHandler", (_Handler,), {"files": site_files()})
    server = ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://{host}:{server.server_address[1]}"
        yield PanelSite(base, f"{base}/panel/zfxxgknb/index.html", tuple(panel_specs()))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
