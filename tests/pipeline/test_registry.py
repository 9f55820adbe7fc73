"""The portal registry: loading, validation errors, selection and sharding."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from gxbg.pipeline.process import Portal
from gxbg.pipeline.registry import (
    COLUMNS,
    LEVELS,
    RegistryError,
    load_registry,
    registrable_domain,
    select,
    shard,
    shard_of,
)
from tests.conftest import REPO

HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "portals.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_shipped_registry_loads_and_is_valid() -> None:
    portals = load_registry(REPO / "registry" / "portals.csv")
    assert len(portals) >= 30
    assert all(isinstance(p, Portal) for p in portals)
    assert {p.level for p in portals} <= set(LEVELS)
    assert {p.level for p in portals} >= {"national", "province", "city", "county", "township", "department"}
    assert all(p.seed_url.startswith(("http://", "https://")) for p in portals)


def test_demo_registry_substitutes_the_simulator_base_url() -> None:
    portals = load_registry(REPO / "registry" / "demo.csv", base="http://127.0.0.1:8123/")
    assert portals
    assert all(p.seed_url.startswith("http://127.0.0.1:8123/") for p in portals)
    assert not any("//" in p.seed_url.removeprefix("http://") for p in portals)


def test_demo_registry_without_base_names_the_line_and_column() -> None:
    with pytest.raises(RegistryError, match=r"demo\.csv:2: column seed_url: .*base URL") as info:
        load_registry(REPO / "registry" / "demo.csv")
    assert (info.value.line, info.value.column) == (2, "seed_url")


def test_a_good_row_becomes_a_portal(tmp_path: Path) -> None:
    path = write(tmp_path, "hongze,淮安市洪泽区人民政府,320813,江苏省,county,http://www.hongze.gov.cn/")
    assert load_registry(path) == [
        Portal(
            name="hongze",
            seed_url="http://www.hongze.gov.cn/",
            agency="淮安市洪泽区人民政府",
            region_code="320813",
            level="county",
            province="江苏省",
        )
    ]


def test_a_central_agency_has_no_province(tmp_path: Path) -> None:
    path = write(tmp_path, "stats,国家统计局,000000,,department,https://www.stats.gov.cn/")
    assert load_registry(path)[0].province is None


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        pytest.param(
            "Hong Ze,机关,320813,江苏省,county,http://a.gov.cn/", "name", "lowercase slug", id="bad-name"
        ),
        pytest.param("a,,320813,江苏省,county,http://a.gov.cn/", "agency", "empty", id="no-agency"),
        pytest.param(
            "a,机关,32081,江苏省,county,http://a.gov.cn/", "region_code", "6-digit", id="short-code"
        ),
        pytest.param(
            "a,机关,990000,江苏省,county,http://a.gov.cn/", "region_code", "no GB/T", id="bad-prefix"
        ),
        pytest.param(
            "a,机关,320813,浙江省,county,http://a.gov.cn/", "province", "does not match", id="province"
        ),
        pytest.param("a,机关,000000,江苏省,national,http://a.gov.cn/", "province", "central", id="central"),
        pytest.param("a,机关,320813,江苏省,village,http://a.gov.cn/", "level", "not one of", id="level"),
        pytest.param("a,机关,320813,江苏省,county,ftp://a.gov.cn/", "seed_url", "http", id="scheme"),
        pytest.param("a,机关,320813,江苏省,county,www.a.gov.cn", "seed_url", "absolute", id="relative"),
    ],
)
def test_invalid_rows_name_line_and_column(tmp_path: Path, row: str, column: str, message: str) -> None:
    good = "ok,机关,320800,江苏省,city,http://b.gov.cn/"
    path = write(tmp_path, good, row)
    with pytest.raises(RegistryError, match=rf"portals\.csv:3: column {column}: .*{message}") as info:
        load_registry(path)
    assert (info.value.line, info.value.column) == (3, column)


def test_duplicate_names_point_at_both_lines(tmp_path: Path) -> None:
    row = "a,机关,320800,江苏省,city,http://b.gov.cn/"
    with pytest.raises(RegistryError, match=r":4: column name: 'a' already used on line 2"):
        load_registry(write(tmp_path, row, "b,机关,320800,江苏省,city,http://c.gov.cn/", row))


def test_line_numbers_count_quoted_newlines(tmp_path: Path) -> None:
    path = write(tmp_path, '"a",机关,320800,江苏省,city,http://b.gov.cn/', 'b,"机\n关",320800,江苏省,city,x')
    with pytest.raises(RegistryError, match=r":4: column seed_url"):
        load_registry(path)


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"portals\.csv:1: missing column\(s\) level, seed_url"):
        load_registry(write(tmp_path, header="name,agency,region_code,province"))


def test_unreadable_file_is_a_registry_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read"):
        load_registry(tmp_path / "nope.csv")


def test_registry_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(RegistryError("x.csv:3: bad", line=3, column="level")))
    assert (str(error), error.line, error.column) == ("x.csv:3: bad", 3, "level")


@pytest.fixture(scope="module")
def registry() -> list[Portal]:
    return load_registry(REPO / "registry" / "portals.csv")


def test_select_by_province_name_or_code(registry: list[Portal]) -> None:
    by_name = select(registry, provinces=["江苏省"])
    assert by_name
    assert {p.province for p in by_name} == {"江苏省"}
    assert select(registry, provinces=["32"]) == by_name == select(registry, provinces=["320000"])
    assert len(select(registry, provinces=["江苏省", "山东省"])) == len(by_name) + len(
        select(registry, provinces=["山东省"])
    )


def test_select_by_level_and_name_combine(registry: list[Portal]) -> None:
    counties = select(registry, levels=["county"])
    assert counties
    assert all(p.level == "county" for p in counties)
    both = select(registry, provinces=["江苏省"], levels=["county"])
    assert both == [p for p in counties if p.province == "江苏省"]
    assert [p.name for p in select(registry, names=["huaian", "beijing"])] == ["beijing", "huaian"]
    assert select(registry) == registry


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"names": ["nowhere"]}, "unknown portal name", id="name"),
        pytest.param({"provinces": ["Jiangsu"]}, "unknown province", id="province"),
        pytest.param({"provinces": ["99"]}, "unknown province", id="province-code"),
        pytest.param({"levels": ["village"]}, "unknown level", id="level"),
    ],
)
def test_select_rejects_unknown_filters(
    registry: list[Portal], kwargs: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(RegistryError, match=message):
        select(registry, **kwargs)


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("http://www.hongze.gov.cn/", "hongze.gov.cn"),
        ("http://HONGZE.gov.cn./x", "hongze.gov.cn"),
        ("https://szj.yinchuan.gov.cn/", "yinchuan.gov.cn"),
        ("https://www.gov.cn/", "www.gov.cn"),
        ("https://news.example.com/", "example.com"),
        ("http://127.0.0.1:9/", "127.0.0.1"),
        ("http://[::1]:9/", "::1"),
    ],
)
def test_registrable_domain(url: str, domain: str) -> None:
    assert registrable_domain(url) == domain


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_shards_partition_the_registry(registry: list[Portal], n: int) -> None:
    parts = [shard(registry, n, i) for i in range(n)]
    assert sorted(p.name for part in parts for p in part) == sorted(p.name for p in registry)
    owners = {registrable_domain(p.seed_url): i for i, part in enumerate(parts) for p in part}
    for i, part in enumerate(parts):  # every domain lives in exactly one shard
        assert all(owners[registrable_domain(p.seed_url)] == i for p in part)
    if n > 1:
        assert sum(1 for part in parts if part) > 1  # 50+ domains do not all hash to one shard


def test_portals_of_one_domain_share_a_shard(registry: list[Portal]) -> None:
    huancui = [p for p in registry if registrable_domain(p.seed_url) == "huancui.gov.cn"]
    assert len(huancui) == 2
    assert len({shard_of(p, 5) for p in huancui}) == 1


def test_shard_assignment_is_stable_and_ignores_order(registry: list[Portal]) -> None:
    shuffled = list(reversed(registry))
    assert {p.name for p in shard(shuffled, 4, 1)} == {p.name for p in shard(registry, 4, 1)}
    assert shard_of(Portal(name="x", seed_url="http://www.hongze.gov.cn/"), 4) == shard_of(
        Portal(name="y", seed_url="https://hongze.gov.cn/other"), 4
    )


@pytest.mark.parametrize(
    ("url", "n", "expected"),
    [
        ("http://www.hongze.gov.cn/", 4, 3),
        ("https://www.beijing.gov.cn/", 4, 0),
        ("http://127.0.0.1:8000/", 2, 0),
        ("http://127.0.0.2:8000/", 2, 1),
    ],
)
def test_shard_hash_is_pinned(url: str, n: int, expected: int) -> None:
    # sha256 of the domain, never Python's salted hash(): every process must agree on the owner
    assert shard_of(Portal(name="p", seed_url=url), n) == expected


@pytest.mark.parametrize(("n", "i"), [(0, 0), (2, 2), (2, -1)])
def test_shard_rejects_impossible_shards(registry: list[Portal], n: int, i: int) -> None:
    with pytest.raises(RegistryError, match=r"does not exist|at least 1"):
        shard(registry, n, i)
