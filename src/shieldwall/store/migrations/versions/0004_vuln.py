"""A local copy of OSV advisories, indexed by (ecosystem, normalized package name) (vuln).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "vuln_advisory",
        sa.Column("ecosystem", sa.String(32)),
        sa.Column("id", sa.String(128)),
        sa.Column("modified", sa.String(40), nullable=False),
        sa.Column("withdrawn", sa.String(40), nullable=True),
        sa.Column("raw", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("ecosystem", "id", name="pk_vuln_advisory"),
    )
    op.create_table(
        "vuln_package",
        sa.Column("ecosystem", sa.String(32)),
        sa.Column("name", sa.String(255)),
        sa.Column("advisory_id", sa.String(128)),
        sa.PrimaryKeyConstraint("ecosystem", "name", "advisory_id", name="pk_vuln_package"),
    )
    op.create_table(
        "vuln_import",
        sa.Column("ecosystem", sa.String(32)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("imported_at", TS, nullable=False),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("withdrawn", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("failures", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("ecosystem", name="pk_vuln_import"),
    )


def downgrade() -> None:
    op.drop_table("vuln_import")
    op.drop_table("vuln_package")
    op.drop_table("vuln_advisory")
