"""The event store: each run's normalized events as Parquet files, queried with DuckDB.

Layout (under the data directory)::

    <home>/detect/runs/<run_id>/meta.json            who may read the run
    <home>/detect/runs/<run_id>/events-0000.parquet  one file per batch, written whole
    <home>/detect/runs/<run_id>/events-0001.parquet  (a temporary name, then renamed: a reader
    ...                                               never sees half a file)

Columns: ``timestamp`` (UTC), ``host``, ``channel``, ``event_id``, ``format``, ``product``,
``service``, ``category``, ``source_file``, ``source_member``, ``source_record``, ``fields`` (the
event's fields as JSON text) and, extracted for fast filters, :data:`COMMON_FIELDS` (``User``,
``Image``, ``CommandLine``, ``ParentImage``, ``TargetFilename``, ``DestinationIp``,
``SourceIp``), as text.

:class:`EventWriter` appends events in batches (memory bounded by ``batch_rows`` /
``batch_bytes``; a few microseconds per event). :class:`EventStore` answers
:class:`EventQuery` filters — time range, host, channel, event ids, logsource, field equals /
contains on named fields, full text, limit/offset — with SQL that is constant text: every value
a caller gives is a bound parameter, every field name is checked against a strict pattern and
passed as a parameter too (a JSON path), never spliced into the SQL. Callers never write SQL.

``detect.events.query`` (tier 1) is the capability the investigation agent calls: it reads a
run only if the run is the caller's (or their organisation's), or the caller is the local owner.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import orjson
from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.errors import InputError, NotFoundError, StoreError
from shieldwall.core.lazy import LazyModule
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, PrincipalKind, Tier
from shieldwall.detect.events import Event

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]
else:  # imported on first use: most commands never touch the event store
    duckdb = LazyModule("duckdb")
    pa = LazyModule("pyarrow")
    pq = LazyModule("pyarrow.parquet")

RUN_ID_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
#: Field names a query may name: what the readers produce (``Image``, ``userIdentity.arn``,
#: ``cs-uri-query``, ``@timestamp``), and nothing that could leave a JSON path's quotes.
FIELD_NAME_PATTERN: Final = r"^[A-Za-z0-9_@][A-Za-z0-9_.@:()\- ]{0,127}$"
COMMON_FIELDS: Final = (
    "User",
    "Image",
    "CommandLine",
    "ParentImage",
    "TargetFilename",
    "DestinationIp",
    "SourceIp",
)
#: Query names for the event's own columns (besides the common fields).
_COLUMN_FIELDS: Final[Mapping[str, str]] = {
    "host": '"host"',
    "channel": '"channel"',
    "format": '"format"',
    "product": '"product"',
    "service": '"service"',
    "category": '"category"',
    "source_file": '"source_file"',
    **{name: f'"{name}"' for name in COMMON_FIELDS},
}
#: The Parquet columns, in order: these, then the common fields.
COLUMNS: Final = (
    "timestamp",
    "host",
    "channel",
    "event_id",
    "format",
    "product",
    "service",
    "category",
    "source_file",
    "source_member",
    "source_record",
    "fields",
    *COMMON_FIELDS,
)
_INT_COLUMNS: Final = frozenset({"event_id", "source_record"})
MAX_LIMIT: Final = 1000
_FIELDS_INDEX: Final = COLUMNS.index("fields")
#: Every column but the JSON text gets dictionary encoding and min/max statistics (for the
#: JSON text, both would cost time and save nothing).
_DICTIONARY_COLUMNS: Final = [name for name in COLUMNS if name != "fields"]


@functools.cache
def arrow_schema() -> Any:
    """The Arrow schema of :data:`COLUMNS` (built on first use: pyarrow loads lazily)."""

    def kind(name: str) -> Any:
        if name == "timestamp":
            return pa.timestamp("us", tz="UTC")
        return pa.int64() if name in _INT_COLUMNS else pa.string()

    return pa.schema([(name, kind(name)) for name in COLUMNS])


_RUN_ID = re.compile(RUN_ID_PATTERN)
_FIELD_NAME = re.compile(FIELD_NAME_PATTERN)
_INT64_MAX: Final = (1 << 63) - 1


def runs_dir(home: Path) -> Path:
    return home / "detect" / "runs"


def run_dir(home: Path, run_id: str) -> Path:
    """The folder of one run; the id is checked first (it becomes part of a path)."""
    if not _RUN_ID.match(run_id):
        raise InputError(
            f"not a run id: {run_id!r}",
            code="detect.events.bad_run_id",
            hint="A run id is letters, digits, '_', '.' and '-' (as `detect run` prints it).",
        )
    return runs_dir(home) / run_id


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)


def fields_json_bytes(fields: Mapping[str, Any]) -> bytes:
    """An event's fields as compact JSON (UTF-8) that DuckDB reads back, whatever they hold."""
    try:
        return orjson.dumps(fields, default=_json_default)
    except TypeError:  # lone surrogates, integers beyond 64 bits, odd keys: the slow way
        clean = _clean(fields)
    try:
        return orjson.dumps(clean, default=_json_default)
    except TypeError:  # integers beyond 64 bits
        return json.dumps(clean, default=_json_default, ensure_ascii=True).encode()


def _clean(value: Any) -> Any:
    """Text without lone surrogates, floats that JSON can write, mappings with text keys."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, Mapping):
        return {_clean(str(k)): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fields_json(fields: Mapping[str, Any]) -> str:
    return fields_json_bytes(fields).decode()


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteSummary:
    run_id: str
    directory: Path
    events: int
    files: int

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "directory": str(self.directory),
            "events": self.events,
            "files": self.files,
        }


class EventWriter:
    """Appends a run's events to Parquet files, one file per batch.

    Use it as a context manager, or call :meth:`close`; events still buffered when it is
    closed are written then. ``owner`` / ``owner_org`` say who may read the run through
    ``detect.events.query`` (the local owner always may).
    """

    def __init__(
        self,
        home: Path,
        run_id: str,
        *,
        owner: str | None = None,
        owner_org: str | None = None,
        batch_rows: int = 50_000,
        batch_bytes: int = 16 << 20,
        compression: str = "zstd",
    ) -> None:
        self.run_id = run_id
        self.directory = run_dir(home, run_id)
        self.directory.mkdir(parents=True, exist_ok=True)
        meta = self.directory / "meta.json"
        if not meta.exists():
            _write_atomic(
                meta,
                orjson.dumps(
                    {
                        "run_id": run_id,
                        "owner": owner,
                        "owner_org": owner_org,
                        "created": datetime.now(UTC).isoformat(),
                    }
                ),
            )
        self._batch_rows = max(1, batch_rows)
        self._batch_bytes = min(max(1, batch_bytes), 1 << 30)  # int32 offsets
        self._compression = compression
        self._part = len(_event_files(self.directory))
        self._files = 0
        self._events = 0
        self._used = 0  # bytes of self._json holding this batch
        self._rows: list[tuple[Any, ...]] = []
        self._json = bytearray()
        self._offsets = array("i", [0])
        self._closed = False

    def __enter__(self) -> EventWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def events(self) -> int:
        return self._events

    def add(self, event: Event) -> None:
        """Buffer one event; a full batch is written to its file."""
        fields = event.fields
        text = fields_json_bytes(fields)
        # One reused buffer for the batch's JSON: orjson's own (oversized) output is freed at
        # once, and the buffer's pages are not faulted in again for every batch.
        start = self._used
        end = start + len(text)
        if end > len(self._json):
            self._grow(end)
        self._json[start:end] = text
        self._used = end
        self._offsets.append(end)
        source = event.source
        logsource = event.logsource
        get = fields.get
        self._rows.append(
            (
                event.timestamp,
                event.host,
                event.channel,
                event.event_id,
                event.format,
                logsource.product,
                logsource.service,
                logsource.category,
                source.file,
                source.member,
                source.record,
                get("User"),
                get("Image"),
                get("CommandLine"),
                get("ParentImage"),
                get("TargetFilename"),
                get("DestinationIp"),
                get("SourceIp"),
            )
        )
        self._events += 1
        if len(self._rows) >= self._batch_rows or end >= self._batch_bytes:
            self.flush()

    def _grow(self, needed: int) -> None:
        size = max(needed, min(2 * len(self._json), self._batch_bytes + (1 << 20)), 1 << 16)
        self._json.extend(bytes(size - len(self._json)))

    def add_many(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def flush(self) -> None:
        """Write the buffered events (if any) as the next Parquet file."""
        rows = self._rows
        if not rows:
            return
        columns: list[Any] = list(zip(*rows, strict=True))
        # The JSON column straight from its buffer (orjson writes valid UTF-8; the fallback
        # encoder, ASCII), without a Python object per value.
        fields = pa.StringArray.from_buffers(
            len(rows), pa.py_buffer(self._offsets), pa.py_buffer(self._json)[: self._used]
        )
        columns.insert(_FIELDS_INDEX, None)
        table = pa.Table.from_arrays(
            [
                fields if index == _FIELDS_INDEX else _array(values, f.type)
                for index, (values, f) in enumerate(zip(columns, arrow_schema(), strict=True))
            ],
            schema=arrow_schema(),
        )
        del columns, fields
        path = self.directory / f"events-{self._part:04d}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        try:
            pq.write_table(
                table,
                tmp,
                compression=self._compression,
                use_dictionary=_DICTIONARY_COLUMNS,
                write_statistics=_DICTIONARY_COLUMNS,
            )
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(
                f"cannot write the event store: {exc}",
                code="detect.events.write",
                location=str(path),
                hint="Check free space and permissions in the data directory.",
            ) from exc
        self._part += 1
        self._files += 1
        rows.clear()
        del table  # nothing refers to the buffer now: the next batch reuses it
        self._used = 0
        self._offsets = array("i", [0])

    def close(self) -> WriteSummary:
        if not self._closed:
            self.flush()
            self._closed = True
        return WriteSummary(
            run_id=self.run_id, directory=self.directory, events=self._events, files=self._files
        )


def _array(values: tuple[Any, ...], kind: pa.DataType) -> pa.Array:
    try:
        if kind == pa.string() and values and values[0].__class__ is bytes:
            return pa.array(values, type=pa.binary()).cast(kind)  # JSON text, checked UTF-8
        return pa.array(values, type=kind)
    except (OverflowError, pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        pass  # a rare value arrow refuses (an int among strings, a lone surrogate): fit each
    if pa.types.is_integer(kind):
        return pa.array(
            [v if isinstance(v, int) and -_INT64_MAX <= v <= _INT64_MAX else None for v in values],
            type=kind,
        )
    if pa.types.is_string(kind):
        return pa.array([None if v is None else _text(v) for v in values], type=kind)
    return pa.array([v if isinstance(v, datetime) else None for v in values], type=kind)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value).encode("utf-8", "replace").decode("utf-8")


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _event_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("events-*.parquet"))


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True, slots=True, kw_only=True)
class EventQuery:
    """Filters over one run's events; every one given must hold (AND).

    ``equals`` / ``contains``: field name -> value, compared case-insensitively; ``contains``
    is a plain substring (no wildcards). Field names are the events' (``Image``,
    ``SubjectUserName``, ``userIdentity.arn``, ``cs-uri-query``), or a column name
    (``host``, ``channel``, ``service`` ...). ``text``: a substring of any field's value.
    """

    run_id: str
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    host: str | None = None
    channel: str | None = None
    event_ids: tuple[int, ...] = ()
    product: str | None = None
    service: str | None = None
    category: str | None = None
    equals: Mapping[str, str] = field(default_factory=dict)
    contains: Mapping[str, str] = field(default_factory=dict)
    text: str | None = None
    limit: int = 100
    offset: int = 0
    newest_first: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredEvent:
    timestamp: datetime | None
    host: str | None
    channel: str | None
    event_id: int | None
    format: str
    product: str | None
    service: str | None
    category: str | None
    source_file: str
    source_member: str | None
    source_record: int | None
    fields: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        source: dict[str, Any] = {"file": self.source_file, "record": self.source_record}
        if self.source_member:
            source["member"] = self.source_member
        return {
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "host": self.host,
            "channel": self.channel,
            "event_id": self.event_id,
            "format": self.format,
            "logsource": {
                k: v
                for k, v in (
                    ("product", self.product),
                    ("service", self.service),
                    ("category", self.category),
                )
                if v
            },
            "source": source,
            "fields": dict(self.fields),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EventPage:
    events: tuple[StoredEvent, ...]
    offset: int
    has_more: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "events": [e.to_json() for e in self.events],
            "offset": self.offset,
            "next_offset": self.offset + len(self.events) if self.has_more else None,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    run_id: str
    events: int
    first: datetime | None
    last: datetime | None
    hosts: tuple[tuple[str, int], ...]
    channels: tuple[tuple[str, int], ...]
    event_ids: tuple[tuple[int, int], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "events": self.events,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "hosts": [{"host": h, "events": n} for h, n in self.hosts],
            "channels": [{"channel": c, "events": n} for c, n in self.channels],
            "event_ids": [{"event_id": i, "events": n} for i, n in self.event_ids],
        }


_SELECT: Final = (
    "SELECT timestamp, host, channel, event_id, format, product, service, category, "
    "source_file, source_member, source_record, fields FROM read_parquet(?)"
)


def _field_expr(name: str, params: list[Any]) -> str:
    """SQL for a field's value as text: a column, or the JSON value (path as a parameter)."""
    column = _COLUMN_FIELDS.get(name)
    if column is not None:
        return column
    if not _FIELD_NAME.match(name):
        raise InputError(
            f"not a field name: {name!r}",
            code="detect.events.bad_field",
            hint="Field names are as the events have them: Image, CommandLine, "
            "userIdentity.arn, cs-uri-query ...",
        )
    params.append(f'$."{name}"')
    return "json_extract_string(fields, ?)"


def _where(query: EventQuery, params: list[Any]) -> list[str]:
    clauses: list[str] = []
    if query.start is not None:
        clauses.append("timestamp >= ?")
        params.append(_aware(query.start))
    if query.end is not None:
        clauses.append("timestamp < ?")
        params.append(_aware(query.end))
    for column, value in (
        ('"host"', query.host),
        ('"channel"', query.channel),
        ('"product"', query.product),
        ('"service"', query.service),
        ('"category"', query.category),
    ):
        if value is not None:
            clauses.append(f"lower({column}) = lower(?)")
            params.append(value)
    if query.event_ids:
        clauses.append("list_contains(?, event_id)")
        params.append([int(i) for i in query.event_ids])
    for name, value in query.equals.items():
        expr = _field_expr(name, params)
        clauses.append(f"lower({expr}) = lower(?)")
        params.append(str(value))
    for name, value in query.contains.items():
        expr = _field_expr(name, params)
        clauses.append(f"contains(lower({expr}), lower(?))")
        params.append(str(value))
    if query.text:
        # The fields are JSON text: look for the needle as JSON writes it (backslashes doubled).
        clauses.append("contains(lower(fields), lower(?))")
        params.append(orjson.dumps(query.text).decode()[1:-1])
    return clauses


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class EventStore:
    """Reads runs' events. Each query opens its own in-memory DuckDB connection (with bounded
    memory and threads) over the run's Parquet files."""

    def __init__(self, home: Path, *, memory_limit: str = "1GB", threads: int = 2) -> None:
        self.home = home
        self._config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "threads": threads,
        }

    def runs(self) -> list[str]:
        """The ids of the runs that have stored events, sorted."""
        root = runs_dir(self.home)
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if p.is_dir() and _RUN_ID.match(p.name))

    def meta(self, run_id: str) -> dict[str, Any]:
        """Who may read the run (``owner``, ``owner_org``); NotFoundError when no such run."""
        path = run_dir(self.home, run_id) / "meta.json"
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError as exc:
            raise _no_run(run_id) from exc
        except (OSError, orjson.JSONDecodeError) as exc:
            raise StoreError(
                f"the run's metadata cannot be read: {exc}",
                code="detect.events.meta",
                location=str(path),
            ) from exc
        return data if isinstance(data, dict) else {}

    def _files(self, run_id: str) -> list[str]:
        directory = run_dir(self.home, run_id)
        if not directory.is_dir():
            raise _no_run(run_id)
        return [str(p) for p in _event_files(directory)]

    def _connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(":memory:", config=self._config)

    def query(self, query: EventQuery) -> EventPage:
        limit = min(max(query.limit, 0), MAX_LIMIT)
        offset = max(query.offset, 0)
        files = self._files(query.run_id)
        if not files or limit == 0:
            return EventPage(events=(), offset=offset, has_more=bool(files) and limit == 0)
        params: list[Any] = [files]
        clauses = _where(query, params)
        order = "DESC" if query.newest_first else "ASC"
        sql = (
            _SELECT
            + (" WHERE " + " AND ".join(clauses) if clauses else "")
            + f" ORDER BY timestamp {order} NULLS LAST, source_file, source_member NULLS FIRST,"
            " source_record LIMIT ? OFFSET ?"
        )
        params.extend([limit + 1, offset])
        rows = self._run(sql, params)
        events = tuple(_stored(row) for row in rows[:limit])
        return EventPage(events=events, offset=offset, has_more=len(rows) > limit)

    def count(self, query: EventQuery) -> int:
        """How many events match (limit and offset aside)."""
        files = self._files(query.run_id)
        if not files:
            return 0
        params: list[Any] = [files]
        clauses = _where(query, params)
        # Constant SQL text: the clauses are fixed fragments, every value a parameter.
        sql = "SELECT count(*) FROM read_parquet(?)" + (  # noqa: S608
            " WHERE " + " AND ".join(clauses) if clauses else ""
        )
        rows = self._run(sql, params)
        return int(rows[0][0]) if rows else 0

    def summary(self, run_id: str, *, top: int = 10) -> RunSummary:
        """How many events, their time span, and the busiest hosts, channels and event ids."""
        files = self._files(run_id)
        if not files:
            return RunSummary(
                run_id=run_id, events=0, first=None, last=None, hosts=(), channels=(), event_ids=()
            )
        total = self._run(
            "SELECT count(*), min(timestamp), max(timestamp) FROM read_parquet(?)", [files]
        )[0]

        def top_of(column: str) -> tuple[tuple[Any, int], ...]:
            sql = (  # ``column`` is one of three constants below, never a caller's text
                f"SELECT {column}, count(*) AS n FROM read_parquet(?) WHERE {column} IS NOT NULL"  # noqa: S608
                f" GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?"
            )
            return tuple((row[0], int(row[1])) for row in self._run(sql, [files, top]))

        return RunSummary(
            run_id=run_id,
            events=int(total[0]),
            first=total[1].astimezone(UTC) if isinstance(total[1], datetime) else None,
            last=total[2].astimezone(UTC) if isinstance(total[2], datetime) else None,
            hosts=top_of('"host"'),
            channels=top_of('"channel"'),
            event_ids=top_of('"event_id"'),
        )

    def _run(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        try:
            with self._connect() as con:
                return con.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise StoreError(
                f"the event store cannot be read: {exc}",
                code="detect.events.read",
                hint="The run's Parquet files may be damaged; re-run the detection.",
            ) from exc


def _stored(row: tuple[Any, ...]) -> StoredEvent:
    stamp = row[0]
    if isinstance(stamp, datetime):
        stamp = stamp.astimezone(UTC)
    try:
        fields = orjson.loads(row[11]) if row[11] else {}
    except orjson.JSONDecodeError:
        fields = json.loads(row[11])
    return StoredEvent(
        timestamp=stamp,
        host=row[1],
        channel=row[2],
        event_id=row[3],
        format=row[4],
        product=row[5],
        service=row[6],
        category=row[7],
        source_file=row[8],
        source_member=row[9],
        source_record=row[10],
        fields=fields,
    )


def _no_run(run_id: str) -> NotFoundError:
    return NotFoundError(
        f"no stored events for run {run_id!r}",
        code="detect.events.no_run",
        hint="List the runs with `shieldwall detect runs`; only runs made with the event store "
        "on have stored events.",
    )


# ---------------------------------------------------------------------------------------------
# The capability


class EventsQueryRequest(BaseModel):
    """``detect.events.query``: filters over one run's stored events."""

    model_config = ConfigDict(extra="forbid")

    run_id: str = Field(pattern=RUN_ID_PATTERN, description="The run whose events to read.")
    start: datetime | None = Field(default=None, description="Events at or after this time.")
    end: datetime | None = Field(default=None, description="Events before this time.")
    host: str | None = Field(default=None, max_length=256)
    channel: str | None = Field(default=None, max_length=256)
    event_ids: list[int] = Field(default_factory=list, max_length=100)
    product: str | None = Field(default=None, max_length=64)
    service: str | None = Field(default=None, max_length=64)
    category: str | None = Field(default=None, max_length=64)
    equals: dict[str, str] = Field(
        default_factory=dict,
        max_length=16,
        description="Field name -> value it must equal (case-insensitive).",
    )
    contains: dict[str, str] = Field(
        default_factory=dict,
        max_length=16,
        description="Field name -> text its value must contain (case-insensitive).",
    )
    text: str | None = Field(
        default=None, max_length=1024, description="Text any field's value must contain."
    )
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=100_000_000)
    newest_first: bool = False
    summary: bool = Field(
        default=False, description="Also return the run's event count, time span and top values."
    )


def _may_read(meta: Mapping[str, Any], ctx: InvocationContext) -> bool:
    who = ctx.principal
    if who.kind is PrincipalKind.OWNER:
        return True
    owner = meta.get("owner")
    if owner is not None and owner == who.id:
        return True
    org = meta.get("owner_org")
    return org is not None and who.org is not None and org == who.org


def eventstore_capabilities(home: Path) -> list[Capability[Any]]:
    """``detect.events.query`` over the event store in ``home``."""
    store = EventStore(home)

    def query_events(req: EventsQueryRequest, ctx: InvocationContext) -> dict[str, Any]:
        meta = store.meta(req.run_id)
        if not _may_read(meta, ctx):
            raise _no_run(req.run_id)  # not "denied": whether the run exists is not shown
        for name in (*req.equals, *req.contains):
            _field_expr(name, [])  # every name checked before anything is read
        page = store.query(
            EventQuery(
                run_id=req.run_id,
                start=req.start,
                end=req.end,
                host=req.host,
                channel=req.channel,
                event_ids=tuple(req.event_ids),
                product=req.product,
                service=req.service,
                category=req.category,
                equals=dict(req.equals),
                contains=dict(req.contains),
                text=req.text,
                limit=req.limit,
                offset=req.offset,
                newest_first=req.newest_first,
            )
        )
        out = {"run_id": req.run_id, **page.to_json()}
        if req.summary:
            out["summary"] = store.summary(req.run_id).to_json()
        return out

    return [
        Capability(
            id=CapabilityId("detect.events.query"),
            description="Query the stored events of a detection run: time range, host, "
            "channel, event ids, logsource, field equals / contains, full text, limit and "
            "offset (never raw SQL). Reads only runs of the caller or their organisation.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=EventsQueryRequest,
            handler=query_events,
        )
    ]
