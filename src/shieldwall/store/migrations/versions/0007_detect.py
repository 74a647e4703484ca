"""Detection runs, incidents with their triage, and alerts with their evidence (detect).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
Id64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "detect_run",
        sa.Column("id", sa.String(32)),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("owner_org", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("paths", sa.Text, nullable=False),
        sa.Column("rules_loaded", sa.Integer, nullable=False),
        sa.Column("rules_failed", sa.Integer, nullable=False),
        sa.Column("events", Id64, nullable=False),
        sa.Column("alerts", Id64, nullable=False),
        sa.Column("incidents", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_detect_run"),
    )
    op.create_index("ix_detect_run_owner", "detect_run", ["owner", "started_at"])
    op.create_table(
        "detect_incident",
        sa.Column("owner", sa.String(64)),
        sa.Column("id", sa.String(40)),
        sa.Column("owner_org", sa.String(64), nullable=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("first_seen", TS, nullable=True),
        sa.Column("last_seen", TS, nullable=True),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("priority", sa.String(2), nullable=True),
        sa.Column("alert_count", sa.Integer, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("triage", sa.Text, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("owner", "id", name="pk_detect_incident"),
    )
    op.create_index("ix_detect_incident_rank", "detect_incident", ["score", "owner", "id"])
    op.create_index("ix_detect_incident_run", "detect_incident", ["run_id"])
    op.create_table(
        "detect_incident_host",
        sa.Column("owner", sa.String(64)),
        sa.Column("incident_id", sa.String(40)),
        sa.Column("host", sa.String(255)),
        sa.PrimaryKeyConstraint("owner", "incident_id", "host", name="pk_detect_incident_host"),
    )
    op.create_index("ix_detect_incident_host_host", "detect_incident_host", ["host"])
    op.create_table(
        "detect_incident_technique",
        sa.Column("owner", sa.String(64)),
        sa.Column("incident_id", sa.String(40)),
        sa.Column("technique", sa.String(16)),
        sa.PrimaryKeyConstraint(
            "owner", "incident_id", "technique", name="pk_detect_incident_technique"
        ),
    )
    op.create_index(
        "ix_detect_incident_technique_technique", "detect_incident_technique", ["technique"]
    )
    op.create_table(
        "detect_alert",
        sa.Column("owner", sa.String(64)),
        sa.Column("incident_id", sa.String(40)),
        sa.Column("id", sa.String(40)),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("rule_id", sa.String(200), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("timestamp", TS, nullable=True),
        sa.Column("host", sa.String(255), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("owner", "incident_id", "id", name="pk_detect_alert"),
    )


def downgrade() -> None:
    op.drop_table("detect_alert")
    op.drop_index("ix_detect_incident_technique_technique", table_name="detect_incident_technique")
    op.drop_table("detect_incident_technique")
    op.drop_index("ix_detect_incident_host_host", table_name="detect_incident_host")
    op.drop_table("detect_incident_host")
    op.drop_index("ix_detect_incident_run", table_name="detect_incident")
    op.drop_index("ix_detect_incident_rank", table_name="detect_incident")
    op.drop_table("detect_incident")
    op.drop_index("ix_detect_run_owner", table_name="detect_run")
    op.drop_table("detect_run")
