"""Identities, organisations, asset claims, approvals and the kill switch.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(sa.Column("user_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("org_id", sa.String(32), nullable=True))
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(32)),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("email_verified_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("disabled_at", TS, nullable=True),
        sa.Column("vetted_at", TS, nullable=True),
        sa.Column("vetted_by", sa.String(64), nullable=True),
        sa.Column("hub_admin", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_app_user"),
        sa.UniqueConstraint("email", name="uq_app_user_email"),
    )
    op.create_table(
        "email_token",
        sa.Column("token_sha256", sa.LargeBinary(32)),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_email_token"),
    )
    op.create_table(
        "org",
        sa.Column("id", sa.String(32)),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("approved_at", TS, nullable=True),
        sa.Column("approved_by", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_org"),
        sa.UniqueConstraint("name", name="uq_org_name"),
    )
    op.create_table(
        "membership",
        sa.Column("user_id", sa.String(32)),
        sa.Column("org_id", sa.String(32)),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "org_id", name="pk_membership"),
    )
    op.create_table(
        "asset_claim",
        sa.Column("id", sa.String(32)),
        sa.Column("owner_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(255), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("token", sa.String(128), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("verified_at", TS, nullable=True),
        sa.Column("checked_at", TS, nullable=True),
        sa.Column("evidence_index", Id64, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_asset_claim"),
    )
    op.create_table(
        "approval",
        sa.Column("id", sa.String(32)),
        sa.Column("capability", sa.String(100), nullable=False),
        sa.Column("principal", sa.Text, nullable=False),
        sa.Column("request", sa.Text, nullable=False),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("decision_index", Id64, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approver", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("outcome_index", Id64, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_approval"),
    )
    op.create_table(
        "disabled",
        sa.Column("kind", sa.String(16)),
        sa.Column("target", sa.String(100)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("disabled_by", sa.String(64), nullable=False),
        sa.Column("disabled_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("kind", "target", name="pk_disabled"),
    )


def downgrade() -> None:
    for table in (
        "disabled",
        "approval",
        "asset_claim",
        "membership",
        "org",
        "email_token",
        "app_user",
    ):
        op.drop_table(table)
    with op.batch_alter_table("api_key") as batch:
        batch.drop_column("org_id")
        batch.drop_column("user_id")
