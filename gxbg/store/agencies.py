"""The storage side of agency identity (:mod:`gxbg.store.identity`): canonical agencies from the
registry, every stored printed name (``agencies`` row) linked to one or left unlinked with the reason.

Refreshing is idempotent and re-resolves every printed name, so a rules or registry change applies to
names stored before it.  A name the rules cannot place keeps ``canonical_agency_id`` NULL and its
``region_code`` NULL: ambiguity is kept, not guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from gxbg.store.identity import Canonical, RegistryRow, Resolver, canonical_agencies, portal_regions
from gxbg.store.schema import AGENCIES, CANONICAL_AGENCIES, PORTALS, REPORTS


@dataclass(frozen=True, slots=True)
class IdentitySummary:
    """What a refresh did: canonical agencies known, printed names linked and left unlinked."""

    canonical: int
    linked: int
    unlinked: int


def sync_canonical(conn: Connection, rows: Sequence[RegistryRow]) -> None:
    """Upsert the registry's canonical agencies (by name)."""
    specs = canonical_agencies(rows)
    table = CANONICAL_AGENCIES
    existing = {r.name: r.id for r in conn.execute(sa.select(table.c.id, table.c.name))}
    for spec in specs:
        values = {
            "region_code": spec.region_code,
            "region_name": spec.region_name,
            "province": spec.province,
            "level": spec.level,
            "parent_region_code": spec.parent_region_code,
        }
        if spec.name in existing:
            conn.execute(sa.update(table).where(table.c.id == existing[spec.name]).values(values))
        else:
            conn.execute(sa.insert(CANONICAL_AGENCIES).values(name=spec.name, **values))


def stored_resolver(conn: Connection) -> tuple[Resolver, list[Any]]:
    """A resolver over every stored canonical agency, and their rows."""
    stored = list(conn.execute(sa.select(CANONICAL_AGENCIES)).all())
    specs = [
        Canonical(r.name, r.region_code, r.level, r.region_name, r.province, r.parent_region_code)
        for r in stored
    ]
    return Resolver(specs), stored


def refresh(conn: Connection, rows: Sequence[RegistryRow]) -> IdentitySummary:
    """Sync the registry's canonical agencies and portal regions, then (re-)resolve every stored printed
    name against every stored canonical agency (registries add up: a refresh with the demo registry
    does not unlink what the national one linked)."""
    sync_canonical(conn, rows)
    for portal, code in portal_regions(rows).items():
        conn.execute(sa.update(PORTALS).where(PORTALS.c.name == portal).values(region_code=code))
    resolver, canonical = stored_resolver(conn)
    ids = {r.name: (r.id, r.region_code) for r in canonical}
    stored = conn.execute(
        sa.select(AGENCIES.c.id, AGENCIES.c.name, PORTALS.c.region_code).select_from(
            AGENCIES.join(PORTALS, PORTALS.c.id == AGENCIES.c.portal_id)
        )
    ).all()
    linked = 0
    for row in stored:
        found = resolver.resolve(row.name, region_code=row.region_code)
        canonical_id, code = ids.get(found.canonical, (None, None)) if found.canonical else (None, None)
        linked += canonical_id is not None
        conn.execute(
            sa.update(AGENCIES)
            .where(AGENCIES.c.id == row.id)
            .values(canonical_agency_id=canonical_id, region_code=code, resolution=found.rule)
        )
    return IdentitySummary(canonical=len(ids), linked=linked, unlinked=len(stored) - linked)


def agency_of_report(conn: Connection, report_id: int) -> int:
    """The ``agencies`` id of a stored report."""
    return int(conn.execute(sa.select(REPORTS.c.agency_id).where(REPORTS.c.id == report_id)).scalar_one())


def link_new(conn: Connection, agency_id: int) -> None:
    """Resolve one printed name never resolved before (a name first seen by this load) against the
    canonical agencies and portal regions the last refresh stored; nothing to do before any refresh."""
    row = conn.execute(
        sa.select(AGENCIES.c.name, AGENCIES.c.resolution, PORTALS.c.region_code)
        .select_from(AGENCIES.join(PORTALS, PORTALS.c.id == AGENCIES.c.portal_id))
        .where(AGENCIES.c.id == agency_id)
    ).one()
    if row.resolution is not None:
        return
    resolver, stored = stored_resolver(conn)
    if not stored:
        return
    found = resolver.resolve(row.name, region_code=row.region_code)
    target = next((r for r in stored if r.name == found.canonical), None)
    conn.execute(
        sa.update(AGENCIES)
        .where(AGENCIES.c.id == agency_id)
        .values(
            canonical_agency_id=target.id if target is not None else None,
            region_code=target.region_code if target is not None else None,
            resolution=found.rule,
        )
    )


def agency_rows(conn: Connection, *, unresolved: bool = False) -> list[dict[str, Any]]:
    """Every stored printed name with its portal, report count and canonical agency (or the reason it has
    none), ordered by portal and name; ``unresolved``: only the unlinked ones."""
    reports = (
        sa.select(REPORTS.c.agency_id, sa.func.count().label("reports"))
        .group_by(REPORTS.c.agency_id)
        .subquery()
    )
    query = (
        sa.select(
            AGENCIES.c.id.label("agency_id"),
            PORTALS.c.name.label("portal"),
            AGENCIES.c.name.label("printed_name"),
            sa.func.coalesce(reports.c.reports, 0).label("reports"),
            CANONICAL_AGENCIES.c.id.label("canonical_id"),
            CANONICAL_AGENCIES.c.name.label("canonical_name"),
            CANONICAL_AGENCIES.c.region_code,
            CANONICAL_AGENCIES.c.province,
            CANONICAL_AGENCIES.c.level,
            AGENCIES.c.resolution,
        )
        .select_from(
            AGENCIES.join(PORTALS, PORTALS.c.id == AGENCIES.c.portal_id)
            .outerjoin(CANONICAL_AGENCIES, CANONICAL_AGENCIES.c.id == AGENCIES.c.canonical_agency_id)
            .outerjoin(reports, reports.c.agency_id == AGENCIES.c.id)
        )
        .order_by(PORTALS.c.name, AGENCIES.c.name)
    )
    if unresolved:
        query = query.where(AGENCIES.c.canonical_agency_id.is_(None))
    return [dict(row) for row in conn.execute(query).mappings()]
