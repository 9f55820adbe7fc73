# ruff: noqa: E501  (templates and fixture data read better unwrapped)
"""Generate the simulated portals' site files into ``gxbg/sim/sites/`` (run ``python -m gxbg.sim.generate``).

Reads the case texts shipped with the package (``gxbg/sim/data``) through :mod:`gxbg.sim.cases`, renders each report with
:mod:`gxbg.sim.render`, and lays the portals out per archetype (portals.md §4, §10, §11).  Output
is deterministic and committed byte-exact: ``sites/<portal>/…`` static files, ``sites/manifest.json``
(seeds and expected reports per profile) and ``sites/dynamic.json`` (data for the code-served
endpoints: Hanweb dataproxy, gkmlpt API, iList pages, redirects, challenges).  ``__OTHER__`` in a
file stands for the origin of the second (cross-host) server and is substituted at serve time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from gxbg.sim import pages
from gxbg.sim.cases import ReportSpec, read_cases
from gxbg.sim.render import report_body

SITES = Path(__file__).resolve().parent / "sites"
OTHER = "__OTHER__"  # replaced by the cross-host server's origin when served

NOTICE = "关于印发{y}年政务公开工作要点的通知"
READING = "{y}年政府信息公开工作年度报告解读"
NEWS = "示例县召开政务公开工作推进会"


class Builder:
    """Collects files, seeds and dynamic-endpoint data."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.seeds: dict[str, list[dict[str, object]]] = {"demo": [], "full": []}
        self.dynamic: dict[str, dict[str, object]] = {
            "jpage": {}, "gkmlpt": {}, "ilist": {}, "redirects": {}, "challenges": {},
        }  # fmt: skip

    def put(self, path: str, text: str, encoding: str = "utf-8") -> None:
        self.files[path.lstrip("/")] = text.encode(encoding, "xmlcharrefreplace")  # as legacy CMSs do

    def put_bytes(self, path: str, data: bytes) -> None:
        self.files[path.lstrip("/")] = data

    def seed(
        self,
        profiles: tuple[str, ...],
        name: str,
        archetype: str,
        path: str,
        expected: list[dict[str, object]],
    ) -> None:
        for profile in profiles:
            self.seeds[profile].append(
                {"name": name, "archetype": archetype, "path": path, "expected": expected}
            )


def expect(
    spec: ReportSpec | None,
    *,
    title: str = "",
    year: int = 0,
    agency: str = "",
    kind: str = "report_html",
    parses: bool = False,
) -> dict[str, object]:
    """A manifest entry; ``parses`` (written only when true) marks an attachment whose file parses."""
    extra: dict[str, object] = {"parses": True} if parses else {}
    if spec is not None:
        return {
            "title": spec.title,
            "year": spec.year,
            "agency": spec.agency,
            "case_id": spec.case_id,
            "kind": kind,
            **extra,
        }
    return {"title": title, "year": year, "agency": agency, "case_id": None, "kind": kind, **extra}


BOTH = ("demo", "full")
FULL = ("full",)


def trs_gbk(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Demo A: homepage nav 政务公开 → 政府信息公开 → 年报 (numeric suffix), GBK meta-only, 2 pages."""
    root, enc = "/trs-gbk", "gbk"
    b.put(
        f"{root}/index.html",
        pages.page(
            "示例县人民政府",
            pages.nav(
                [
                    ("./index.html", "首页"),
                    ("./xwzx/index.html", "新闻中心"),
                    ("./zwgk/index.html", "政务公开"),
                    ("./hdjl/index.html", "互动交流"),
                ]
            ),
            charset="gbk",
        ),
        enc,
    )
    b.put(
        f"{root}/zwgk/index.html",
        pages.page(
            "政务公开",
            pages.nav(
                [
                    ("../index.html", "首页"),
                    ("./zfxxgk_1/index.html", "政府信息公开"),
                    ("./zcjd/index.html", "政策解读"),
                ]
            ),
            charset="gbk",
            column="政务公开",
        ),
        enc,
    )
    b.put(
        f"{root}/zwgk/zfxxgk_1/index.html",
        pages.page(
            "政府信息公开",
            pages.nav(
                [
                    ("./zfxxgkzn/index.html", "政府信息公开指南"),
                    ("./zfxxgkzd/index.html", "政府信息公开制度"),
                    ("./fdzdgknr/index.html", "法定主动公开内容"),
                    ("./zfxxgknb82/index.html", "政府信息公开年报"),
                ]
            ),
            charset="gbk",
            column="政府信息公开",
        ),
        enc,
    )
    col = f"{root}/zwgk/zfxxgk_1/zfxxgknb82"
    reports = [
        (c["tj-ningyuan-2020"], "202101/t20210128_1001"),
        (c["ha-longting-2019"], "202001/t20200120_0901"),
        (c["sd-sunjiatuan-2020"], "202101/t20210125_0998"),
    ]
    for spec, slug in reports:
        b.put(
            f"{col}/{slug}.html",
            pages.trs_detail(spec.title, spec.agency, spec.published, report_body(spec), charset="gbk"),
            enc,
        )
    b.put(
        f"{col}/202103/t20210305_1101.html",
        pages.trs_detail(
            NOTICE.format(y=2021),
            "示例县人民政府办公室",
            "2021-03-05",
            pages.notice_body(NOTICE.format(y=2021)),
            charset="gbk",
        ),
        enc,
    )
    b.put(
        f"{col}/202102/t20210202_1050.html",
        pages.trs_detail(
            READING.format(y=2020),
            "示例县人民政府办公室",
            "2021-02-02",
            pages.notice_body(READING.format(y=2020)),
            charset="gbk",
        ),
        enc,
    )
    (s1, u1), (s2, u2), (s3, u3) = reports
    page1 = [
        (f"./{'202103/t20210305_1101'}.html", NOTICE.format(y=2021), "2021-03-05"),
        (f"./{u1}.html", s1.title, s1.published),
        (f"./{u3}.html", s3.title, s3.published),
    ]
    page2 = [
        ("./202102/t20210202_1050.html", READING.format(y=2020), "2021-02-02"),
        (f"./{u2}.html", s2.title, s2.published),
        (f"./{u2}_wap.html", s2.title, s2.published),
    ]
    for k, items in enumerate((page1, page2)):
        body = pages.li_items(items, truncate=18) + pages.trs_pager(2, k)
        b.put(
            f"{col}/{'index' if k == 0 else f'index_{k}'}.html",
            pages.page("政府信息公开年报_示例县人民政府", body, charset="gbk", column="政府信息公开年报"),
            enc,
        )
    b.seed(BOTH, "trs-gbk", "A", f"{root}/index.html", [expect(s) for s, _ in reports])


def hanweb(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Demo B: col page with an XML data island; later records from the dataproxy.jsp POST pager."""
    root, colid = "/hanweb", "1229214366"
    specs = [c["js-huaian-2024"], c["js-hongze-2024"], c["js-hongze-2023"]]
    records = []
    for n, spec in enumerate(specs):
        y, m, d = spec.published.split("-")
        href = f"{root}/art/{y}/{int(m)}/{int(d)}/art_{colid}_{59046498 + n}.html"
        head = f'<meta name="ArticleTitle" content="{spec.title}">\n'
        meta = pages.metadata_table(spec.title, spec.agency, spec.published, f"014000000/{y}-0000{n}")
        b.put(
            href,
            pages.simple_detail(
                spec.title, 'id="zoom"', report_body(spec, noise=n == 0), head=head, pre=meta
            ),
        )
        date = f"\n {y}-\n {m}-\n {d}\n " if n == 2 else spec.published  # split dates (§10.B)
        records.append(
            f'<li class="clearfix"><a href="{href}" title="{spec.title}" target="_blank">{spec.title}</a><span class="bt-right">{date}</span></li>'
        )
    reading = f"{root}/art/2025/1/22/art_{colid}_59046400.html"
    b.put(
        reading,
        pages.simple_detail(READING.format(y=2024), 'id="zoom"', pages.notice_body(READING.format(y=2024))),
    )
    records.insert(
        1,
        f'<li class="clearfix"><a href="{reading}" title="{READING.format(y=2024)}" target="_blank">{READING.format(y=2024)}</a><span class="bt-right">2025-01-22</span></li>',
    )
    b.dynamic["jpage"][colid] = {"records": records, "jsonp": False}
    island = "\n".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in records[:2])
    body = (
        f'<div id="{colid}">\n<script type="text/xml">\n<datastore>\n<recordset>\n{island}\n</recordset>\n</datastore>\n</script>\n</div>\n'
        '<script language="javascript" src="/module/web/jpage/jpage.js"></script>\n'
        f"<script>$(document).ready(function(){{ $('#{colid}').jpage({{ dataStore: dataStore, dataBefore:'<ul class=\"lb-list\">', dataAfter:'</ul>',\n"
        f"  totalRecord:{len(records)}, perPage:2, proxyUrl:'{root}/module/web/jpage/dataproxy.jsp', groupSize:1,\n"
        f"  ajaxParam:{{ col:1, appid:1, webid:3, path:'/', columnid:{colid}, sourceContentType:1, unitid:7251001, webname:'淮安市', permissiontype:0 }} }}); }});\n</script>"
    )
    b.put(
        f"{root}/col/col{colid}/index.html", pages.page("政府信息公开年报", body, column="政府信息公开年报")
    )
    b.seed(BOTH, "hanweb", "B", f"{root}/col/col{colid}/index.html", [expect(s) for s in specs])


def beijing(b: Builder, c: dict[str, ReportSpec]) -> None:
    """Demo D: year landing → year subcolumns → unit subcolumns → eportal lists; one cross-host subcolumn."""
    root = "/bj/zwgk/zfxxgk/zfxxgknb"
    landing = [
        ("./gknb2024/", "2024年政府信息公开工作年度报告"),
        ("./gknb2020/", "2020年政府信息公开工作年度报告"),
        (f"{OTHER}/bj/110999/zfxxgknb/list.shtml", "公开年报"),
    ]
    b.put(
        f"{root}/index.html",
        pages.page(
            "政府信息公开年报",
            '<div class="gknb-years"><ul>'
            + "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in landing)
            + "</ul></div>",
            column="政府信息公开年报",
        ),
    )
    b.put(
        f"{root}/gknb2024/index.html",
        pages.page(
            "2024年",
            '<ul class="sub">'
            + '<li><a href="./qzf/">区政府</a></li><li><a href="./jdxz/">街道乡镇</a></li></ul>',
            column="2024年",
        ),
    )
    b.put(
        f"{root}/gknb2024/qzf/index.html",
        pages.page(
            "区政府",
            pages.eportal_items([("./202501/t20250110_2001.html", NOTICE.format(y=2025), "2025-01-10")]),
            column="区政府",
        ),
    )
    b.put(
        f"{root}/gknb2024/qzf/202501/t20250110_2001.html",
        pages.trs_detail(
            NOTICE.format(y=2025), "区政府办公室", "2025-01-10", pages.notice_body(NOTICE.format(y=2025))
        ),
    )
    cq, nx = c["cq-nanbin-2024"], c["nx-yinchuan-shizheng-2020"]
    b.put(
        f"{root}/gknb2024/jdxz/index.html",
        pages.page(
            "街道乡镇",
            pages.eportal_items([("./202501/t20250116_2011.html", cq.title, cq.published)]),
            column="街道乡镇",
        ),
    )
    b.put(
        f"{root}/gknb2024/jdxz/202501/t20250116_2011.html",
        pages.trs_detail(cq.title, cq.agency, cq.published, report_body(cq)),
    )
    b.put(
        f"{root}/gknb2020/index.html",
        pages.page(
            "2020年",
            pages.eportal_items(
                [
                    ("./202101/t20210129_1501.html", nx.title, nx.published),
                    (
                        "./202012/t20201201_1401.html",
                        "关于做好2020年政府信息公开工作年度报告编制工作的通知",
                        "2020-12-01",
                    ),
                ]
            ),
            column="2020年",
        ),
    )
    b.put(
        f"{root}/gknb2020/202101/t20210129_1501.html",
        pages.trs_detail(nx.title, nx.agency, nx.published, report_body(nx, noise=True)),
    )
    b.put(
        f"{root}/gknb2020/202012/t20201201_1401.html",
        pages.trs_detail(
            "关于做好2020年政府信息公开工作年度报告编制工作的通知",
            "区政府办公室",
            "2020-12-01",
            pages.notice_body("通知"),
        ),
    )
    b.put(
        "/bj/110999/zfxxgknb/list.shtml",
        pages.page(
            "公开年报",
            pages.eportal_items([("./t1.html", "示例市2020年政府信息公开工作年度报告", "2021-01-30")]),
        ),
    )
    b.seed(BOTH, "beijing", "D", f"{root}/index.html", [expect(cq), expect(nx)])
    b.dynamic["redirects"]["/bj-moved/zfxxgknb/"] = "/"
    b.seed(FULL, "beijing-moved", "D", "/bj-moved/zfxxgknb/", [])
    b.seed(FULL, "beijing-gone", "D", "/bj-gone/zfxxgknb/", [])


def build() -> Builder:
    specs = read_cases()
    b = Builder()
    trs_gbk(b, specs)
    hanweb(b, specs)
    beijing(b, specs)
    from gxbg.sim import generate_full

    generate_full.build_full(b, specs)
    return b


def main() -> None:
    b = build()
    if SITES.exists():
        shutil.rmtree(SITES)
    for rel, data in sorted(b.files.items()):
        target = SITES / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    dump = {"ensure_ascii": False, "indent": 1, "sort_keys": True}
    (SITES / "manifest.json").write_text(json.dumps(b.seeds, **dump) + "\n", encoding="utf-8")  # type: ignore[arg-type]
    (SITES / "dynamic.json").write_text(json.dumps(b.dynamic, **dump) + "\n", encoding="utf-8")  # type: ignore[arg-type]
    print(f"wrote {len(b.files)} files under {SITES}")


if __name__ == "__main__":
    main()
