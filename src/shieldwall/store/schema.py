"""The relational schema, one SQLAlchemy ``MetaData`` for every package's tables.

Portable on purpose: the same tables run on SQLite (default) and PostgreSQL. Integer keys use
``BIGINT`` on PostgreSQL and ``INTEGER`` on SQLite, where only ``INTEGER PRIMARY KEY`` is the
fast rowid alias. Changes go through Alembic migrations in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

Id64 = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# -- ledger: an RFC 6962 Merkle log ---------------------------------------------------------
ledger_state = Table(
    "ledger_state",
    metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("tree_size", Id64, nullable=False),
)

ledger_entry = Table(
    "ledger_entry",
    metadata,
    Column("idx", Id64, primary_key=True, autoincrement=False),
    Column("body", LargeBinary, nullable=False),  # RFC 8785 canonical JSON
)

# Every perfect subtree's hash, keyed by (index << 6 | level): about 2 rows per entry.
ledger_node = Table(
    "ledger_node",
    metadata,
    Column("key", Id64, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

ledger_checkpoint = Table(
    "ledger_checkpoint",
    metadata,
    Column("tree_size", Id64, primary_key=True, autoincrement=False),
    Column("note", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# -- gateway: principals ---------------------------------------------------------------------
api_key = Table(
    "api_key",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("tier", SmallInteger, nullable=False),
    Column("secret_sha256", LargeBinary(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)
