"""agency identity and cross-year checks

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

``canonical_agencies``: one agency across portals and years (name, GB/T 2260 region, level);
``portals`` gain their registry region code; ``agencies`` gain the canonical agency its printed name
resolves to and the rule that resolved it (a plain indexed column: SQLite cannot add a foreign key
without rebuilding the table and its views);
``cross_year_checks``: XY-CARRY / XY-VALID / XY-ITEMS between the reports of years N−1 and N.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "canonical_agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("region_name", sa.Text(), nullable=True),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("parent_region_code", sa.String(12), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canonical_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_canonical_agencies_name")),
    )
    op.create_index(op.f("ix_canonical_agencies_region_code"), "canonical_agencies", ["region_code"])
    op.add_column("portals", sa.Column("region_code", sa.String(12), nullable=True))
    op.add_column("agencies", sa.Column("canonical_agency_id", sa.Integer(), nullable=True))
    op.add_column("agencies", sa.Column("resolution", sa.Text(), nullable=True))
    op.create_index(op.f("ix_agencies_canonical_agency_id"), "agencies", ["canonical_agency_id"])
    op.create_table(
        "cross_year_checks",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("group_key", sa.Text(), nullable=False),
        sa.Column("canonical_agency_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("prev_version_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("expr", sa.Text(), nullable=False),
        sa.Column("left", sa.Numeric(), nullable=True),
        sa.Column("right", sa.Numeric(), nullable=True),
        sa.Column("delta", sa.Numeric(), nullable=True),
        sa.Column("cells", JSON, nullable=True),
        sa.Column("prev_cells", JSON, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["canonical_agency_id"],
            ["canonical_agencies.id"],
            name=op.f("fk_cross_year_checks_canonical_agency_id_canonical_agencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["report_versions.id"],
            name=op.f("fk_cross_year_checks_version_id_report_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prev_version_id"],
            ["report_versions.id"],
            name=op.f("fk_cross_year_checks_prev_version_id_report_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_year_checks")),
        sa.UniqueConstraint("group_key", "year", "rule", "scope", name="uq_cross_year_checks_key"),
    )
    op.create_index(
        op.f("ix_cross_year_checks_canonical_agency_id"), "cross_year_checks", ["canonical_agency_id"]
    )
    op.create_index(op.f("ix_cross_year_checks_version_id"), "cross_year_checks", ["version_id"])
    op.create_index(op.f("ix_cross_year_checks_prev_version_id"), "cross_year_checks", ["prev_version_id"])
    op.create_index("ix_cross_year_checks_rule_status", "cross_year_checks", ["rule", "status"])


def downgrade() -> None:
    op.drop_table("cross_year_checks")
    op.drop_index(op.f("ix_agencies_canonical_agency_id"), table_name="agencies")
    op.drop_column("agencies", "resolution")
    op.drop_column("agencies", "canonical_agency_id")
    op.drop_column("portals", "region_code")
    op.drop_table("canonical_agencies")
