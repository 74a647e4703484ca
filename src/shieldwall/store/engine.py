"""Opening the database: one engine per data directory, migrated to head, errors in our terms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, make_url

from shieldwall.core.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")


_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def bind_mark(engine: Engine) -> str:
    """The DB-API placeholder of ``engine``'s driver (``?`` for sqlite3, ``%s`` for psycopg),
    for the few hot queries written as the driver's own SQL (the ledger, TAXII pages)."""
    return _MARKS[engine.dialect.paramstyle]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit is on disk (the WAL is fsynced) before the caller hears of it.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(url: str, *, echo: bool = False) -> Engine:
    """A SQLAlchemy engine for ``url``; SQLite files get WAL and full durability."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            # Keep a connection for each thread that reads at once (the TAXII executor has 40):
            # past the default 5, every checkout opened a new connection (about 0.4 ms of CPU
            # and a schema read) and closed it again, 4% of TAXII reads at 8 clients.
            kwargs["pool_size"] = 48
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration. Touches nothing if it is already there."""
    cfg = _alembic_config(engine)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    try:
        with engine.begin() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except exc.DatabaseError as err:
        raise StoreError(
            f"the database at {engine.url.render_as_string(hide_password=True)} cannot be read: "
            f"{err.orig}",
            code="store.corrupt",
            hint="The file is damaged or is not a Shieldwall database. Nothing was changed. "
            "Restore it from a backup, or move it away to start a new one.",
        ) from err
    except exc.OperationalError as err:  # pragma: no cover - depends on the server
        raise StoreError(f"cannot open the database: {err.orig}", code="store.unavailable") from err


def open_store(url: str) -> Engine:
    engine = create_store_engine(url)
    migrate(engine)
    return engine
