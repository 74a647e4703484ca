from __future__ import annotations

from sqlalchemy import inspect, text

from shieldwall.store import open_store


def test_migrations_create_every_table_and_run_once(store_url: str) -> None:
    engine = open_store(store_url)
    tables = set(inspect(engine).get_table_names())
    assert {"ledger_state", "ledger_entry", "ledger_node", "ledger_checkpoint", "api_key"} <= tables
    with engine.begin() as conn:
        conn.execute(text("UPDATE ledger_state SET tree_size = 0 WHERE id = 1"))
    again = open_store(store_url)  # a second start changes nothing
    with again.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ledger_state")).scalar_one() == 1
    engine.dispose()
    again.dispose()


def test_sqlite_runs_in_wal_with_full_sync(tmp_path: object) -> None:
    engine = open_store(f"sqlite:///{tmp_path}/x.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
    engine.dispose()


def test_migrations_and_schema_agree(store_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from shieldwall.store import metadata

    engine = open_store(store_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()
