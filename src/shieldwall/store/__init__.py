"""SQLAlchemy engine, schema and migrations (SQLite by default, PostgreSQL at scale)."""

from shieldwall.store.engine import create_store_engine, migrate, open_store
from shieldwall.store.schema import metadata

__all__ = ["create_store_engine", "metadata", "migrate", "open_store"]
