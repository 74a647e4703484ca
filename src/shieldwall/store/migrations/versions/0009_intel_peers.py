"""Intel peers (the TAXII servers an operator allows to pull from or push to), each
organisation's sanitize policy, and the direction of a sync's state (pull or push).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "intel_peer",
        sa.Column("name", sa.String(64)),
        sa.Column("api_root", sa.String(2000), nullable=False),
        sa.Column("can_pull", sa.Boolean, nullable=False),
        sa.Column("can_push", sa.Boolean, nullable=False),
        sa.Column("max_tlp", sa.SmallInteger, nullable=False),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_intel_peer"),
        sa.UniqueConstraint("api_root", name="uq_intel_peer_api_root"),
    )
    op.create_table(
        "intel_sanitize_policy",
        sa.Column("org_id", sa.String(64)),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("org_id", name="pk_intel_sanitize_policy"),
    )
    op.add_column(
        "intel_sync",
        sa.Column("direction", sa.String(4), nullable=False, server_default="pull"),
    )


def downgrade() -> None:
    with op.batch_alter_table("intel_sync") as batch:
        batch.drop_column("direction")
    op.drop_table("intel_sanitize_policy")
    op.drop_table("intel_peer")
