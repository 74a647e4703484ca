"""Sharing groups, collection addressing (TLP:AMBER orgs and groups, TLP:RED people), search
terms, sightings and peer sync state (intel).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
Id64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "intel_group",
        sa.Column("id", sa.String(64)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner_org", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intel_group"),
        sa.UniqueConstraint("name", name="uq_intel_group_name"),
    )
    op.create_table(
        "intel_group_member",
        sa.Column("group_id", sa.String(64)),
        sa.Column("org_id", sa.String(64)),
        sa.Column("can_write", sa.Boolean, nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("group_id", "org_id", name="pk_intel_group_member"),
    )
    op.create_table(
        "intel_share",
        sa.Column("collection_id", sa.String(64)),
        sa.Column("kind", sa.String(8)),
        sa.Column("target", sa.String(64)),
        sa.Column("can_write", sa.Boolean, nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("collection_id", "kind", "target", name="pk_intel_share"),
    )
    op.create_table(
        "intel_term",
        sa.Column("term", sa.String(600)),
        sa.Column("collection_id", sa.String(64)),
        sa.Column("object_id", sa.String(300)),
        sa.PrimaryKeyConstraint("term", "collection_id", "object_id", name="pk_intel_term"),
    )
    op.create_table(
        "intel_sighting",
        sa.Column("id", sa.String(64)),
        sa.Column("collection_id", sa.String(64), nullable=False),
        sa.Column("indicator_id", sa.String(300), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("first_seen_us", Id64, nullable=False),
        sa.Column("last_seen_us", Id64, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("tlp", sa.SmallInteger, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intel_sighting"),
    )
    op.create_index(
        "ix_intel_sighting_indicator", "intel_sighting", ["collection_id", "indicator_id"]
    )
    op.create_table(
        "intel_sync",
        sa.Column("id", sa.String(64)),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("remote_collection", sa.String(200), nullable=False),
        sa.Column("local_collection", sa.String(64), nullable=False),
        sa.Column("added_after", sa.String(40), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intel_sync"),
    )


def downgrade() -> None:
    op.drop_table("intel_sync")
    op.drop_index("ix_intel_sighting_indicator", table_name="intel_sighting")
    op.drop_table("intel_sighting")
    op.drop_table("intel_term")
    op.drop_table("intel_share")
    op.drop_table("intel_group_member")
    op.drop_table("intel_group")
