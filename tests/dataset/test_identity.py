"""Agency identity (gxbg.store.identity): GB/T 2260 regions, the resolution rules, ambiguity kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxbg.pipeline.registry import PROVINCES, load_registry
from gxbg.store.identity import Canonical, Resolver, canonical_agencies, load_rules, region

REGISTRY = Path(__file__).resolve().parents[2] / "registry"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver(canonical_agencies(load_registry(REGISTRY / "portals.csv")))


@pytest.mark.parametrize(
    ("printed", "portal_region", "canonical", "rule"),
    [
        ("开封市龙亭区人民政府", None, "开封市龙亭区人民政府", "exact"),
        ("开封市龙亭区人民政府办公室", None, "开封市龙亭区人民政府", "variant"),
        ("淮安市 洪泽区 人民政府", None, "淮安市洪泽区人民政府", "exact"),  # spacing
        ("淮安市洪泽区政府", None, "淮安市洪泽区人民政府", "variant"),
        ("洪泽区人民政府", "320813", "淮安市洪泽区人民政府", "region-prefix"),  # js-hongze prints this
        ("洪泽区人民政府", "320800", "淮安市洪泽区人民政府", "region-prefix"),  # on the city's portal
        ("区政府办公室", "410202", "开封市龙亭区人民政府", "dropped-prefix"),  # the 龙亭区 portal
        ("政府办公室", "410202", "开封市龙亭区人民政府", "dropped-prefix"),  # ha-longting-2019 as read
        ("孙家疃街道办事处", "371002", "威海市环翠区孙家疃街道办事处", "region-prefix"),  # township
        ("孙家疃街道", "371002", "威海市环翠区孙家疃街道办事处", "region-prefix"),
        ("宁园街道办事处", "120105", "天津市河北区宁园街道办事处", "region-prefix"),  # municipality district
    ],
)
def test_printed_variants_resolve_to_their_canonical_agency(
    resolver: Resolver, printed: str, portal_region: str | None, canonical: str, rule: str
) -> None:
    found = resolver.resolve(printed, region_code=portal_region)
    assert (found.canonical, found.rule) == (canonical, rule)


@pytest.mark.parametrize(
    ("printed", "portal_region"),
    [
        ("洪泽区人民政府", None),  # no portal region: a short name is never matched nationally
        ("洪泽区人民政府", "410202"),  # another region's portal
        ("孙家疃街道办事处", "320813"),  # a township under another county
        ("某某镇人民政府", "371002"),  # nobody's name
        ("区政府办公室", "320800"),  # 淮安市 is no 区: the level word does not fit the portal's region
        ("", "410202"),
    ],
)
def test_names_no_rule_places_stay_unresolved(
    resolver: Resolver, printed: str, portal_region: str | None
) -> None:
    found = resolver.resolve(printed, region_code=portal_region)
    assert (found.canonical, found.rule) == (None, "unresolved")


def test_a_name_two_agencies_could_take_is_ambiguous_not_guessed() -> None:
    agencies = [
        Canonical("开封市龙亭区人民政府", "410202", "county"),
        Canonical("开封市龙亭区城关镇人民政府", "410202", "township"),
        Canonical("开封市龙亭区北书店街道办事处", "410202", "township"),
        Canonical("威海市环翠区城关镇人民政府", "371002", "township"),
    ]
    resolver = Resolver(agencies)
    assert resolver.resolve("城关镇人民政府", region_code="410202").canonical == "开封市龙亭区城关镇人民政府"
    assert resolver.resolve("城关镇人民政府", region_code="371002").canonical == "威海市环翠区城关镇人民政府"
    nationally = resolver.resolve("城关镇政府", region_code="410000")  # the province portal sees only one
    assert nationally.canonical == "开封市龙亭区城关镇人民政府"
    both = Resolver([*agencies, Canonical("郑州市中原区城关镇人民政府", "410102", "township")])
    found = both.resolve("城关镇人民政府", region_code="410000")
    assert found.canonical is None
    assert found.rule == "ambiguous: 开封市龙亭区城关镇人民政府 | 郑州市中原区城关镇人民政府"


def test_every_registry_row_is_a_gb2260_division_of_its_province() -> None:
    for name in ("portals.csv", "demo.csv", "sim-panel.csv"):
        for row in load_registry(REGISTRY / name, base="http://x.invalid"):
            if row.region_code == "000000":
                continue
            area = region(row.region_code)
            assert area is not None, f"{name}: {row.name}: {row.region_code} is not in GB/T 2260"
            assert area.province == row.province == PROVINCES[row.region_code[:2]], row


def test_canonical_agencies_take_region_names_and_parents_from_gb2260() -> None:
    specs = {c.name: c for c in canonical_agencies(load_registry(REGISTRY / "portals.csv"))}
    hongze = specs["淮安市洪泽区人民政府"]
    assert (hongze.region_name, hongze.province, hongze.parent_region_code) == ("洪泽区", "江苏省", "320800")
    street = specs["威海市环翠区孙家疃街道办事处"]
    assert (street.region_code, street.level, street.parent_region_code) == ("371002", "township", "371002")
    assert specs["江苏省人民政府"].parent_region_code is None
    assert specs["国务院办公厅"].region_name is None


def test_the_rules_are_read_from_the_data_file() -> None:
    rules = load_rules()
    assert rules.canon("开封市龙亭区政府办公室") == "开封市龙亭区人民政府"
    assert rules.normalise("淮安市（洪泽区）人民政府 ") == "淮安市洪泽区人民政府"
    assert "人民政府" in rules.bare
