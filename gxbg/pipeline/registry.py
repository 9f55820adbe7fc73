"""The portal registry: which portals a harvest covers, read from a versioned CSV file.

``registry/portals.csv`` (real agencies) and ``registry/demo.csv`` (the simulated portals, with a
``{base}`` placeholder for the simulator's base URL) have one portal per row.  This module loads and
validates them, selects by name, province or level, and splits them into shards for scale-out.  A
shard owns whole registrable domains (``hongze.gov.cn``; an IP literal is its own domain), so every
host is crawled by exactly one process and the per-host politeness stays in that process.

No IO besides reading the registry file, no clock, no environment, no Prefect.
"""

from __future__ import annotations

import csv
import hashlib
import ipaddress
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from gxbg.errors import RegistryError
from gxbg.pipeline.process import Portal

COLUMNS = ("name", "agency", "region_code", "province", "level", "seed_url")
LEVELS = ("national", "province", "city", "county", "township", "department")

#: GB/T 2260 province-level codes (first two digits) → the province name the registry must use.
#: ``000000`` (central government) is outside GB/T 2260; such rows leave ``province`` empty.
PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip
CENTRAL = "000000"

#: Second-level suffixes under which registrations happen one label deeper (``hongze.gov.cn``).
_SUFFIXES = frozenset({"gov.cn", "com.cn", "net.cn", "org.cn", "edu.cn", "ac.cn"})
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


def load_registry(path: str | Path, *, base: str | None = None) -> list[Portal]:
    """Read and validate a registry CSV; ``base`` replaces ``{base}`` in seed URLs (demo registry)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read the registry: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(
            f"{path}:1: missing column(s) {', '.join(missing)} (need {', '.join(COLUMNS)})", line=1
        )
    portals: list[Portal] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        portal = _portal(row, base=base, where=f"{path}:{line}", line=line)
        if portal.name in seen:
            raise RegistryError(
                f"{path}:{line}: column name: {portal.name!r} already used on line {seen[portal.name]}",
                line=line,
                column="name",
            )
        seen[portal.name] = line
        portals.append(portal)
    return portals


def _portal(row: dict[str, str | None], *, base: str | None, where: str, line: int) -> Portal:
    def bad(column: str, problem: str) -> RegistryError:
        return RegistryError(f"{where}: column {column}: {problem}", line=line, column=column)

    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    if not _NAME.fullmatch(values["name"]):
        raise bad("name", f"{values['name']!r} is not a lowercase slug (a-z, 0-9, '.', '_', '-')")
    if not values["agency"]:
        raise bad("agency", "empty")
    code, province = values["region_code"], values["province"]
    if not re.fullmatch(r"\d{6}", code):
        raise bad("region_code", f"{code!r} is not a 6-digit GB/T 2260 code")
    if code == CENTRAL:
        if province:
            raise bad("province", f"{province!r} given for a central agency (region_code {CENTRAL})")
    elif code[:2] not in PROVINCES:
        raise bad("region_code", f"{code!r} starts with {code[:2]!r}, which is no GB/T 2260 province")
    elif province != PROVINCES[code[:2]]:
        raise bad("province", f"{province!r} does not match region_code {code} ({PROVINCES[code[:2]]})")
    if values["level"] not in LEVELS:
        raise bad("level", f"{values['level']!r} is not one of {', '.join(LEVELS)}")
    seed = values["seed_url"]
    if "{base}" in seed:
        if base is None:
            raise bad("seed_url", f"{seed!r} needs a base URL ({{base}} placeholder) and none was given")
        seed = seed.replace("{base}", base.rstrip("/"))
    parts = urlsplit(seed)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad("seed_url", f"{seed!r} is not an absolute http(s) URL")
    return Portal(
        name=values["name"],
        seed_url=seed,
        agency=values["agency"],
        region_code=code,
        level=values["level"],
        province=province or None,
    )


def select(
    portals: Sequence[Portal],
    *,
    names: Iterable[str] | None = None,
    provinces: Iterable[str] | None = None,
    levels: Iterable[str] | None = None,
) -> list[Portal]:
    """The portals matching every given filter (``None`` = no filter), in registry order.

    ``provinces`` takes names (``江苏省``) or GB/T 2260 codes (``32`` or ``320000``).  Unknown names,
    provinces or levels raise :class:`RegistryError`: a typo must not quietly harvest nothing.
    """
    chosen = list(portals)
    if names is not None:
        wanted = set(names)
        unknown = wanted - {p.name for p in portals}
        if unknown:
            raise RegistryError(f"unknown portal name(s): {', '.join(sorted(unknown))}")
        chosen = [p for p in chosen if p.name in wanted]
    if provinces is not None:
        wanted_provinces = {_province(p) for p in provinces}
        chosen = [p for p in chosen if p.province in wanted_provinces]
    if levels is not None:
        wanted_levels = set(levels)
        unknown = wanted_levels - set(LEVELS)
        if unknown:
            raise RegistryError(
                f"unknown level(s): {', '.join(sorted(unknown))} (known: {', '.join(LEVELS)})"
            )
        chosen = [p for p in chosen if p.level in wanted_levels]
    return chosen


def _province(key: str) -> str:
    key = key.strip()
    if key in PROVINCES.values():
        return key
    if re.fullmatch(r"\d{2}(0000)?", key) and key[:2] in PROVINCES:
        return PROVINCES[key[:2]]
    raise RegistryError(f"unknown province {key!r}: give its name (江苏省) or GB/T 2260 code (32 or 320000)")


def registrable_domain(url: str) -> str:
    """The host's registrable domain, the unit a shard owns; an IP literal stands for itself.

    >>> registrable_domain("http://www.hongze.gov.cn/zwgk/")
    'hongze.gov.cn'
    >>> registrable_domain("https://szj.yinchuan.gov.cn/")
    'yinchuan.gov.cn'
    >>> registrable_domain("http://127.0.0.2:8080/a")
    '127.0.0.2'
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _SUFFIXES else 2
    return ".".join(labels[-keep:])


def shard_of(portal: Portal, shards: int) -> int:
    """The shard (0 ≤ i < ``shards``) owning ``portal``: a stable hash of its registrable domain."""
    if shards < 1:
        raise RegistryError(f"the number of shards must be at least 1, got {shards}")
    digest = hashlib.sha256(registrable_domain(portal.seed_url).encode()).digest()
    return int.from_bytes(digest[:8], "big") % shards


def shard(portals: Sequence[Portal], n: int, i: int) -> list[Portal]:
    """The portals of shard ``i`` of ``n``, in registry order; the ``n`` shards partition ``portals``."""
    if n < 1 or not 0 <= i < n:
        raise RegistryError(f"shard {i} of {n} does not exist (need n >= 1 and 0 <= i < n)")
    return [p for p in portals if shard_of(p, n) == i]
