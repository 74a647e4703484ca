"""STIX 2.1 objects in TAXII collections, every version, keyset-paged by date added (intel).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
Id64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "intel_collection",
        sa.Column("id", sa.String(64)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner_org", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("tlp", sa.SmallInteger, nullable=False),
        sa.Column("last_added_us", Id64, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intel_collection"),
        sa.UniqueConstraint("title", name="uq_intel_collection_title"),
    )
    op.create_table(
        "intel_object",
        sa.Column("collection_id", sa.String(64)),
        sa.Column("object_id", sa.String(300)),
        sa.Column("modified_us", Id64),
        sa.Column("date_added_us", Id64, nullable=False),
        sa.Column("type", sa.String(250), nullable=False),
        sa.Column("spec_version", sa.String(8), nullable=False),
        sa.Column("owner_org", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("tlp", sa.SmallInteger, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint(
            "collection_id", "object_id", "modified_us", name="pk_intel_object"
        ),
    )
    op.create_index(
        "ix_intel_object_added", "intel_object", ["collection_id", "date_added_us"], unique=True
    )
    op.create_index(
        "ix_intel_object_type", "intel_object", ["collection_id", "type", "date_added_us"]
    )
    op.create_table(
        "intel_status",
        sa.Column("id", sa.String(64)),
        sa.Column("collection_id", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_intel_status"),
    )


def downgrade() -> None:
    op.drop_table("intel_status")
    op.drop_index("ix_intel_object_type", table_name="intel_object")
    op.drop_index("ix_intel_object_added", table_name="intel_object")
    op.drop_table("intel_object")
    op.drop_table("intel_collection")
