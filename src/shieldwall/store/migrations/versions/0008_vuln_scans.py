"""Stored dependency scans and fix plans, one row per run, readable by whoever ran them (vuln).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "vuln_scan",
        sa.Column("id", sa.String(32)),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("owner_org", sa.String(64), nullable=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("advisories", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("dependencies", sa.Integer, nullable=False),
        sa.Column("vulnerable", sa.Integer, nullable=False),
        sa.Column("vulns", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_vuln_scan"),
    )
    op.create_index("ix_vuln_scan_owner", "vuln_scan", ["owner", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_vuln_scan_owner", table_name="vuln_scan")
    op.drop_table("vuln_scan")
