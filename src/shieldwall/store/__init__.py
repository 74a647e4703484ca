"""SQLAlchemy engine, schema and migrations (SQLite by default, PostgreSQL at scale)."""

from shieldwall.store.engine import bind_mark, create_store_engine, migrate, open_store
from shieldwall.store.schema import metadata

__all__ = ["bind_mark", "create_store_engine", "metadata", "migrate", "open_store"]
