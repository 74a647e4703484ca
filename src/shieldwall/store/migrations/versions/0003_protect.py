"""Brands, shorteners and free-mail domains an organisation registered (protect).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "protect_brand",
        sa.Column("brand", sa.String(200)),
        sa.Column("domain", sa.String(253)),
        sa.Column("kind", sa.String(16)),
        sa.Column("added_by", sa.String(64), nullable=False),
        sa.Column("added_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("brand", "domain", "kind", name="pk_protect_brand"),
    )


def downgrade() -> None:
    op.drop_table("protect_brand")
