"""Foundation: the ledger's tables and API keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ledger_state",
        sa.Column("id", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("tree_size", Id64, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_state"),
    )
    op.bulk_insert(
        sa.table("ledger_state", sa.column("id"), sa.column("tree_size")),
        [{"id": 1, "tree_size": 0}],
    )
    op.create_table(
        "ledger_entry",
        sa.Column("idx", Id64, autoincrement=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("idx", name="pk_ledger_entry"),
    )
    op.create_table(
        "ledger_node",
        sa.Column("key", Id64, autoincrement=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_ledger_node"),
    )
    op.create_table(
        "ledger_checkpoint",
        sa.Column("tree_size", Id64, autoincrement=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name="pk_ledger_checkpoint"),
    )
    op.create_table(
        "api_key",
        sa.Column("id", sa.String(32)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tier", sa.SmallInteger, nullable=False),
        sa.Column("secret_sha256", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_key"),
    )


def downgrade() -> None:
    for table in ("api_key", "ledger_checkpoint", "ledger_node", "ledger_entry", "ledger_state"):
        op.drop_table(table)
