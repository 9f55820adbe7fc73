"""The Epoint portal through the whole pipeline without Prefect (``gxbg.pipeline.local.harvest_locally``):
the report rebuilt from the shell's JSON loads with the same numbers as the case's other renderings,
and the report that is only a ``pdflist`` file loads from the downloaded PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gxbg.archive import RawArchive
from gxbg.crawl.fetch import FetchPolicy
from gxbg.pipeline.local import harvest_locally
from gxbg.sim import serve
from gxbg.sim.cases import read_case
from gxbg.store.records import LoadOutcome

REPO = Path(__file__).resolve().parents[2]

POLICY = FetchPolicy(allow_private=True, delay=0.0, jitter=0.0, retries=0, obey_robots=False)
CASE_TITLE = "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"  # js-hongze-2024


class RecordingSink:
    """A ReportSink that keeps what the pipeline hands it."""

    def __init__(self) -> None:
        self.loaded: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.documents: list[tuple[str, dict[str, Any]]] = []
        self.failures: list[dict[str, Any]] = []

    def record_document(self, run_id: int, *, portal: str, fetch: dict[str, Any]) -> None:
        self.documents.append((portal, fetch))

    def load_report(self, run_id: int, *, portal: str, source: Any, report: Any) -> LoadOutcome:
        self.loaded.append((portal, source, report))
        return LoadOutcome(created=True, report_id=len(self.loaded), version_id=len(self.loaded))

    def record_failure(
        self, run_id: int, *, portal: str, url: str, stage: str, error: str, reason: str
    ) -> None:
        self.failures.append({"portal": portal, "url": url, "stage": stage, "error": error})

    def resolve_failure(self, url: str) -> None:
        return None


def _numbers(report: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    return sorted((c["table"], c["row"], c["col"], c["value"]) for c in report["cells"])


def test_epoint_report_loads_with_the_numbers_of_its_other_renderings(tmp_path: Path) -> None:
    sink = RecordingSink()
    with serve(profile="full") as sim:
        portals = [{"name": n, "seed_url": sim.seed(n).url} for n in ("epoint", "govcn", "gkmlpt")]
        outcomes = harvest_locally(portals, archive=RawArchive(tmp_path), sink=sink, run_id=1, policy=POLICY)
    epoint = outcomes[0]
    assert (epoint.loaded, epoint.skipped, epoint.errors) == (2, 0, 0)  # the pdflist PDF loads too
    renderings = {portal: report for portal, _, report in sink.loaded if report["title"] == CASE_TITLE}
    assert set(renderings) == {"epoint", "govcn", "gkmlpt"}
    numbers = _numbers(renderings["epoint"])
    assert len(numbers) > 100
    assert numbers == _numbers(renderings["govcn"]) == _numbers(renderings["gkmlpt"])
    assert renderings["epoint"]["tables"] == renderings["govcn"]["tables"]
    [(_, source, _)] = [x for x in sink.loaded if x[0] == "epoint" and x[2]["title"] == CASE_TITLE]
    assert "/xxgk/showinfo.html?infoGuid=" in source["url"]
    assert source["final_url"].endswith("/shxx-zwgk/rest/frontAppNotNeedLoginAction/getGovInfoDetail")
    assert source["published"] == read_case(REPO / "tests" / "cases" / "js-hongze-2024").published
    assert sink.failures == []
    [(_, pdf_source, pdf_report)] = [
        x for x in sink.loaded if x[0] == "epoint" and x[2]["title"] != CASE_TITLE
    ]
    assert "/xxgk/showinfo.html?infoGuid=" in pdf_source["url"]  # the shell is the report's identity
    assert pdf_source["final_url"].endswith(".pdf")  # the pdflist file it was read from
    expected = json.loads((REPO / "tests" / "cases" / "js-huaian-2024" / "expected.json").read_text("utf-8"))
    for part in ("columns", "rows"):
        assert pdf_report["tables"]["requests"][part] == expected["tables"]["requests"][part]
    assert pdf_report["tables"]["appeals"] == expected["tables"]["appeals"]
