"""The durable transparency log: an append-only RFC 6962 Merkle tree in SQL.

Storage. Each entry's canonical JSON goes into ``ledger_entry``; the hash of every *perfect*
subtree goes into ``ledger_node`` (about two rows per entry), so any root, inclusion proof or
consistency proof is one batched primary-key read of O(log n) rows. Nothing is ever updated in
place except the one-row ``ledger_state`` that holds the tree size.

Appends. Callers hand canonical bytes to a single writer thread and wait. The writer takes
everything queued (group commit), locks ``ledger_state`` with an UPDATE (which serializes
writers across processes on SQLite and PostgreSQL alike), extends the tree from the compact
range of its right edge (O(log n) hashes: the only tree state kept in memory), writes, and
commits; only then are the callers told their indexes. A writer that finds the size changed
under it (another process appended) reloads the edge from the node table.

Reads need no lock: perfect nodes never change once written, which also makes them safe to
cache. The cache holds only nodes at level 4 and above (1/16 of the tree) and has a hard cap
(2^18 hashes, about 40 MB), so memory stays bounded at any size; the lower levels of every proof
(and everything past the cap) are read from disk.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, exc, insert, select

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError, ShieldwallError, StoreError
from shieldwall.ledger import tree
from shieldwall.ledger.hashing import EMPTY_ROOT, canonical_json, leaf_hash, node_hash
from shieldwall.ledger.note import Checkpoint, Signer
from shieldwall.store.schema import ledger_checkpoint, ledger_entry

T = TypeVar("T")

_CACHE_MIN_LEVEL = 4
_MARKS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_SQL_LOCK = "UPDATE ledger_state SET tree_size = tree_size WHERE id = 1"
_SQL_SIZE = "SELECT tree_size FROM ledger_state WHERE id = 1"
_SQL_SET_SIZE = "UPDATE ledger_state SET tree_size = ? WHERE id = 1"
_SQL_INSERT_ENTRY = "INSERT INTO ledger_entry (idx, body) VALUES (?, ?)"
_SQL_INSERT_NODE = "INSERT INTO ledger_node (key, hash) VALUES (?, ?)"
_ENTRY_CHUNK = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class InclusionProof:
    index: int
    tree_size: int
    leaf_hash: bytes
    path: tuple[bytes, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "tree_size": self.tree_size,
            "leaf_hash": self.leaf_hash.hex(),
            "inclusion": [h.hex() for h in self.path],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    path: tuple[bytes, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "old_size": self.old_size,
            "new_size": self.new_size,
            "proof": [h.hex() for h in self.path],
        }


class _Pending:
    """One caller's appends. ``done`` is a lock held until the writer releases it: cheaper to
    make and to wake than an Event, which matters at tens of thousands of appends a second."""

    __slots__ = ("bodies", "done", "error", "first")

    def __init__(self, bodies: Sequence[bytes]) -> None:
        self.bodies = bodies
        self.done = threading.Lock()
        self.done.acquire()
        self.first = -1
        self.error: BaseException | None = None


class _NodeCache:
    """Immutable upper-level nodes; bounded by ``capacity`` (it stops growing when full)."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._data: dict[int, bytes] = {}

    def get(self, key: int) -> bytes | None:
        return self._data.get(key)

    def put(self, key: int, value: bytes) -> None:
        if key & 63 >= _CACHE_MIN_LEVEL and len(self._data) < self._capacity:
            self._data[key] = value

    def __len__(self) -> int:
        return len(self._data)


class Ledger:
    """An append-only, signed, verifiable log. Thread-safe; one instance per process."""

    def __init__(
        self,
        engine: Engine,
        signer: Signer,
        *,
        clock: Clock | None = None,
        max_batch: int = 4096,
        cache_capacity: int = 1 << 18,
    ) -> None:
        self._engine = engine
        self._signer = signer
        self._clock = clock or SystemClock()
        self._max_batch = max_batch
        self._cache = _NodeCache(cache_capacity)
        self._queue: deque[_Pending] = deque()
        self._cv = threading.Condition()
        self._writer: threading.Thread | None = None
        self._closed = False
        self._edge: list[tuple[int, int, bytes]] = []  # compact range of [0, _size)
        self._size = -1  # size the edge describes; -1 until loaded
        self._known_size = 0  # a committed size: a lower bound, since the log only grows
        # The hot paths (node reads, bulk inserts) run as driver-level SQL: SQLAlchemy's
        # per-call statement processing was over half the cost of a proof. The text is built
        # for the engine's DB-API paramstyle, so it is the same on SQLite and PostgreSQL.
        mark = _MARKS[engine.dialect.paramstyle]
        self._sql_nodes = "SELECT key, hash FROM ledger_node WHERE key IN ({})", mark
        self._sql_insert_entry = _SQL_INSERT_ENTRY.replace("?", mark)
        self._sql_insert_node = _SQL_INSERT_NODE.replace("?", mark)
        self._sql_set_size = _SQL_SET_SIZE.replace("?", mark)

    @property
    def origin(self) -> str:
        return self._signer.name

    @property
    def public_key(self) -> str:
        """The verifier key, all that an offline verifier needs."""
        return self._signer.verifier.encode()

    # -- appending ------------------------------------------------------------------------------

    def append(self, entry: Mapping[str, Any]) -> int:
        """Append one JSON object; return its index once it is durably committed."""
        return self.append_bodies([canonical_json(entry)])[0]

    def append_many(self, entries: Iterable[Mapping[str, Any]]) -> list[int]:
        """Append several objects as consecutive entries, in one commit."""
        return self.append_bodies([canonical_json(e) for e in entries])

    def append_bodies(self, bodies: Sequence[bytes]) -> list[int]:
        if not bodies:
            return []
        pending = _Pending(bodies)
        with self._cv:
            if self._closed:
                raise StoreError("the ledger is closed", code="ledger.closed")
            self._queue.append(pending)
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, name="ledger-writer", daemon=True
                )
                self._writer.start()
            self._cv.notify()
        pending.done.acquire()
        if pending.error is not None:
            raise pending.error
        return list(range(pending.first, pending.first + len(bodies)))

    def close(self) -> None:
        """Finish queued appends and stop the writer."""
        with self._cv:
            self._closed = True
            self._cv.notify_all()
            writer = self._writer
        if writer is not None:
            writer.join()

    def _write_loop(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._closed:
                    self._cv.wait()
                if not self._queue:
                    return
                batch: list[_Pending] = []
                count = 0
                while self._queue and (not batch or count < self._max_batch):
                    item = self._queue.popleft()
                    batch.append(item)
                    count += len(item.bodies)
            try:
                self._commit(batch)
            except ShieldwallError as err:
                for p in batch:
                    p.error = err
            except Exception as err:
                wrapped = StoreError(
                    f"the ledger could not be written: {err}", code="ledger.write_failed"
                )
                wrapped.__cause__ = err
                for p in batch:
                    p.error = wrapped
            finally:
                for p in batch:
                    p.done.release()

    def _commit(self, batch: Sequence[_Pending]) -> None:
        with self._store_errors(), self._engine.begin() as conn:
            # The UPDATE takes the write lock before the size is read (SQLite and PostgreSQL).
            conn.exec_driver_sql(_SQL_LOCK)
            size = conn.exec_driver_sql(_SQL_SIZE).scalar_one()
            if size != self._size:
                self._edge = self._load_edge(conn, size)
                self._size = size
            edge = list(self._edge)
            entry_rows: list[tuple[int, bytes]] = []
            node_rows: list[tuple[int, bytes]] = []
            idx = size
            for pending in batch:
                pending.first = idx
                for body in pending.bodies:
                    h = leaf_hash(body)
                    entry_rows.append((idx, body))
                    node_rows.append((idx << 6, h))
                    level, index = 0, idx
                    while edge and edge[-1][0] == level:
                        h = node_hash(edge.pop()[2], h)
                        level, index = level + 1, index >> 1
                        node_rows.append(((index << 6) | level, h))
                    edge.append((level, index, h))
                    idx += 1
            conn.exec_driver_sql(self._sql_insert_entry, entry_rows)
            conn.exec_driver_sql(self._sql_insert_node, node_rows)
            conn.exec_driver_sql(self._sql_set_size, (idx,))
        self._edge, self._size = edge, idx
        self._known_size = max(self._known_size, idx)

    def _load_edge(self, conn: Connection, size: int) -> list[tuple[int, int, bytes]]:
        ids = tree.root_plan(size)
        hashes = self._nodes(conn, ids)
        return [(lvl, i, hashes[tree.node_key(lvl, i)]) for lvl, i in ids]

    # -- reading --------------------------------------------------------------------------------

    @contextmanager
    def _store_errors(self) -> Iterator[None]:
        try:
            yield
        except exc.DatabaseError as err:
            raise StoreError(
                f"the ledger database failed: {err.orig}",
                code="store.corrupt" if "malformed" in str(err.orig) else "store.failed",
                hint="Nothing was changed. If the file is damaged, restore it from a backup; "
                "`shieldwall ledger verify` checks a copy offline.",
            ) from err

    def _read(self, fn: Callable[[Connection], T]) -> T:
        with self._store_errors(), self._engine.connect() as conn:
            return fn(conn)

    def _nodes(self, conn: Connection, ids: Iterable[tuple[int, int]]) -> dict[int, bytes]:
        keys = {(i << 6) | lvl for lvl, i in ids}
        found: dict[int, bytes] = {}
        missing: list[int] = []
        cache = self._cache
        for key in keys:
            hit = cache.get(key)
            if hit is None:
                missing.append(key)
            else:
                found[key] = hit
        if missing:
            sql, mark = self._sql_nodes
            rows = conn.exec_driver_sql(
                sql.format(", ".join([mark] * len(missing))), tuple(missing)
            )
            for key, value in rows.all():
                found[key] = value = bytes(value)
                cache.put(key, value)
        if len(found) != len(keys):
            raise StoreError(
                "the ledger's node table is missing hashes it must have",
                code="store.corrupt",
                hint="The database was altered outside Shieldwall; restore it from a backup.",
            )
        return found

    def size(self) -> int:
        size = self._read(lambda c: c.exec_driver_sql(_SQL_SIZE).scalar_one())
        self._known_size = max(self._known_size, size)
        return int(size)

    def _resolve_size(self, size: int | None) -> int:
        current = self._known_size if size is not None and size <= self._known_size else None
        current = current if current is not None else self.size()
        if size is None:
            return current
        if not 0 <= size <= current:
            raise InputError(
                f"tree size {size} is past the log's current size {current}",
                code="ledger.size_out_of_range",
                hint="Ask for a size between 0 and the size in the latest checkpoint.",
            )
        return size

    def root(self, size: int | None = None) -> bytes:
        n = self._resolve_size(size)
        if n == 0:
            return EMPTY_ROOT
        ids = tree.root_plan(n)
        hashes = self._read(lambda c: self._nodes(c, ids))
        return tree.fold_right([hashes[tree.node_key(lvl, i)] for lvl, i in ids])

    def entry(self, index: int) -> bytes:
        body = self._read(
            lambda c: c.execute(
                select(ledger_entry.c.body).where(ledger_entry.c.idx == index)
            ).scalar_one_or_none()
        )
        if body is None:
            raise NotFoundError(
                f"there is no entry {index} in the ledger",
                code="ledger.no_entry",
                hint="Entries are numbered from 0 up to the tree size minus one.",
            )
        return bytes(body)

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Entries ``[start, end)`` in order, read in chunks."""
        stop = self._resolve_size(end)
        pos = start
        while pos < stop:
            upto = min(stop, pos + _ENTRY_CHUNK)
            query = (
                select(ledger_entry.c.body)
                .where(ledger_entry.c.idx >= pos, ledger_entry.c.idx < upto)
                .order_by(ledger_entry.c.idx)
            )

            def page(conn: Connection, q: Any = query) -> list[bytes]:
                return [bytes(b) for b in conn.execute(q).scalars()]

            yield from self._read(page)
            pos = upto

    def _prove(
        self, items: Sequence[tree.Item], extra: Sequence[tuple[int, int]] = ()
    ) -> tuple[list[bytes], dict[int, bytes]]:
        ids = tree.needed_nodes(items) | set(extra)
        hashes = self._read(lambda c: self._nodes(c, ids))
        return tree.materialize(items, lambda n: hashes[tree.node_key(*n)]), hashes

    def inclusion_proof(self, index: int, size: int | None = None) -> InclusionProof:
        n = self._resolve_size(size)
        if not 0 <= index < n:
            raise InputError(
                f"entry {index} is not in a tree of size {n}",
                code="ledger.index_out_of_range",
                hint=f"Ask for an index below {n}, or a larger --size once the log has grown.",
            )
        path, hashes = self._prove(tree.inclusion_plan(index, n), [(0, index)])
        return InclusionProof(
            index=index, tree_size=n, leaf_hash=hashes[tree.node_key(0, index)], path=tuple(path)
        )

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        n = self._resolve_size(new_size)
        if not 0 < old_size <= n:
            raise InputError(
                f"no consistency proof from size {old_size} to {n}",
                code="ledger.size_out_of_range",
                hint="The old size must be at least 1 and at most the new size.",
            )
        path, _ = self._prove(tree.consistency_plan(old_size, n))
        return ConsistencyProof(old_size=old_size, new_size=n, path=tuple(path))

    # -- checkpoints ----------------------------------------------------------------------------

    def checkpoint(self) -> str:
        """A signed C2SP checkpoint of the current tree; one signature per size, kept."""
        n = self.size()
        existing = self._read(
            lambda c: c.execute(
                select(ledger_checkpoint.c.note).where(ledger_checkpoint.c.tree_size == n)
            ).scalar_one_or_none()
        )
        if existing is not None:
            return str(existing)
        note = self._signer.sign_note(
            Checkpoint(origin=self.origin, size=n, root=self.root(n)).text()
        )
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(ledger_checkpoint),
                    {"tree_size": n, "note": note, "created_at": self._clock.now()},
                )
        except exc.IntegrityError:  # another process signed this size first: serve theirs
            return self._read(
                lambda c: str(
                    c.execute(
                        select(ledger_checkpoint.c.note).where(ledger_checkpoint.c.tree_size == n)
                    ).scalar_one()
                )
            )
        return note
