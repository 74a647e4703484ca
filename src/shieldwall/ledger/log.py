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

``append_async`` is ``append`` for a caller on an event loop: the writer wakes the loop when the
commit is done, so the caller's task waits without a thread of its own.

``append_later`` queues an entry for the same writer without waiting: it is committed with the
next group (in queue order, so after everything appended before it) and nobody is told its
index. The door uses it for what may lag a response by a commit (the outcome of a read whose
decision is already durable). A batch of deferred entries alone waits up to ``linger`` seconds
(20 ms) for an ``append`` to share its commit: under load, a read then costs one commit, not
two. ``flush`` waits for everything queued so far, and ``close`` commits what is queued before
it stops. At most ``max_deferred`` entries wait at a time: past that, ``append_later`` blocks
like ``append``, so a slow disk slows callers instead of growing memory.

Reads need no lock: perfect nodes never change once written, which also makes them safe to
cache. The cache holds only nodes at level 4 and above (1/16 of the tree) and has a hard cap
(2^18 hashes, about 40 MB), so memory stays bounded at any size; the lower levels of every proof
(and everything past the cap) are read from disk.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, exc, insert, select

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError, ShieldwallError, StoreError
from shieldwall.ledger import tree
from shieldwall.ledger.hashing import EMPTY_ROOT, canonical_json, leaf_hash, node_hash
from shieldwall.ledger.note import Checkpoint, Signer
from shieldwall.store.engine import bind_mark
from shieldwall.store.schema import ledger_checkpoint, ledger_entry

T = TypeVar("T")

log = logging.getLogger("shieldwall.ledger")

_CACHE_MIN_LEVEL = 4
_SQL_LOCK = "UPDATE ledger_state SET tree_size = tree_size WHERE id = 1 RETURNING tree_size"
_SQL_SIZE = "SELECT tree_size FROM ledger_state WHERE id = 1"
_SQL_SET_SIZE = "UPDATE ledger_state SET tree_size = ? WHERE id = 1"
_ROWS_PER_INSERT = 400  # 800 bound parameters, well under SQLite's and PostgreSQL's limits
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

    __slots__ = ("bodies", "deferred", "done", "error", "first", "leaves", "notify")

    def __init__(
        self,
        bodies: Sequence[bytes],
        *,
        deferred: bool = False,
        notify: Callable[[_Pending], None] | None = None,
    ) -> None:
        self.bodies = bodies
        self.notify = notify  # called by the writer (in its thread) once the commit is done
        # Hashed here, in the caller's thread, while the writer may be waiting on the disk.
        self.leaves = [leaf_hash(b) for b in bodies]
        self.done = threading.Lock()
        self.done.acquire()
        self.first = -1
        self.error: BaseException | None = None
        self.deferred = deferred  # nobody waits: the writer logs a failure and frees a slot


def _resolve(done: asyncio.Future[None]) -> None:
    if not done.done():  # the awaiting task may have been cancelled
        done.set_result(None)


class _NodeCache(dict[tuple[int, int], bytes]):
    """Immutable upper-level nodes; bounded by ``capacity`` (it stops growing when full)."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self._capacity = capacity

    def offer(self, node: tuple[int, int], value: bytes) -> None:
        if node[0] >= _CACHE_MIN_LEVEL and len(self) < self._capacity:
            self[node] = value


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
        max_deferred: int = 8192,
        linger: float = 0.02,
    ) -> None:
        self._engine = engine
        self._signer = signer
        self._clock = clock or SystemClock()
        self._max_batch = max_batch
        self._cache = _NodeCache(cache_capacity)
        # queue.SimpleQueue is implemented in C: putting and waking cost callers far less
        # than a Condition, which is Python code run under the GIL the writer also needs.
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._closed = False
        self._deferred_slots = threading.BoundedSemaphore(max_deferred)
        self._deferred_queued = 0  # deferred entries not yet committed (guarded by _lock)
        self._linger = linger
        self._edge: list[tuple[int, int, bytes]] = []  # compact range of [0, _size)
        self._size = -1  # size the edge describes; -1 until loaded
        self._known_size = 0  # a committed size: a lower bound, since the log only grows
        # The hot paths (node reads, bulk inserts) run as driver-level SQL: SQLAlchemy's
        # per-call statement processing was over half the cost of a proof. The text is built
        # for the engine's DB-API paramstyle, so it is the same on SQLite and PostgreSQL.
        self._mark = bind_mark(engine)
        self._sql_set_size = _SQL_SET_SIZE.replace("?", self._mark)

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
        self._enqueue(pending)
        pending.done.acquire()
        if pending.error is not None:
            raise pending.error
        return list(range(pending.first, pending.first + len(bodies)))

    async def append_async(self, entry: Mapping[str, Any]) -> int:
        """``append`` for a caller on an event loop: the same commit, awaited without blocking
        the loop (the writer hands the result back with ``call_soon_threadsafe``)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def notify(_pending: _Pending) -> None:
            with suppress(RuntimeError):  # the loop is closed: nobody is waiting any more
                loop.call_soon_threadsafe(_resolve, done)

        pending = _Pending([canonical_json(entry)], notify=notify)
        self._enqueue(pending)
        await done
        if pending.error is not None:
            raise pending.error
        return pending.first

    def append_later(self, entry: Mapping[str, Any]) -> None:
        """Queue one JSON object for the next group commit and return without waiting; it
        gets the next index after everything queued before it. A failure to write it is
        logged (and the next ``append`` fails too: it is the same database)."""
        pending = _Pending([canonical_json(entry)], deferred=True)
        self._deferred_slots.acquire()
        try:
            self._enqueue(pending)
        except BaseException:
            self._deferred_slots.release()
            raise

    def _settle(self) -> None:
        """Readers in this process see what it has queued: a read waits for the commit of
        deferred entries queued before it (read-your-writes), and costs nothing otherwise."""
        if self._deferred_queued:
            self.flush()

    def flush(self) -> None:
        """Return once everything queued before this call is committed (or has failed)."""
        pending = _Pending([])
        self._enqueue(pending)
        pending.done.acquire()

    def _enqueue(self, pending: _Pending) -> None:
        with self._lock:
            if self._closed:
                raise StoreError("the ledger is closed", code="ledger.closed")
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, name="ledger-writer", daemon=True
                )
                self._writer.start()
            self._deferred_queued += pending.deferred
            self._queue.put(pending)

    def close(self) -> None:
        """Finish queued appends and stop the writer."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            writer = self._writer
            self._queue.put(None)  # after every pending append: the writer drains, then stops
        if writer is not None:
            writer.join()

    def _write_loop(self) -> None:
        # The writer keeps one connection for its life: checking one out of the pool for
        # every commit was a third of the cost of a single-threaded append.
        conn: Connection | None = None
        stop = False
        while not stop:
            item = self._queue.get()
            batch: list[_Pending] = []
            count = 0
            waited = False  # whether someone waits for this commit (or it lingered already)
            while True:  # take everything queued, up to max_batch entries: the group commit
                if item is None:
                    stop = True
                    break
                batch.append(item)
                count += len(item.bodies)
                waited = waited or not item.deferred
                if count >= self._max_batch:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    if waited:
                        break
                    # Only deferred entries, which nobody waits for: give the next append a
                    # moment to come, so that they share its commit instead of one of their own.
                    waited = True
                    try:
                        item = self._queue.get(timeout=self._linger)
                    except queue.Empty:
                        break
            if not count:  # only flush markers: nothing to write
                for p in batch:
                    p.done.release()
                continue
            try:
                with self._store_errors():
                    conn = conn or self._engine.connect()
                    self._commit(conn, batch)
            except ShieldwallError as err:
                conn = self._discard(conn)
                for p in batch:
                    p.error = err
            except Exception as err:
                conn = self._discard(conn)
                wrapped = StoreError(
                    f"the ledger could not be written: {err}", code="ledger.write_failed"
                )
                wrapped.__cause__ = err
                for p in batch:
                    p.error = wrapped
            finally:
                for p in batch:
                    if not p.deferred:
                        p.done.release()
                        if p.notify is not None:
                            p.notify(p)
                        continue
                    with self._lock:
                        self._deferred_queued -= 1
                    self._deferred_slots.release()
                    if p.error is not None:
                        log.error("a deferred ledger entry was not written: %s", p.error)
        if conn is not None:
            conn.close()

    @staticmethod
    def _discard(conn: Connection | None) -> None:
        """Drop a connection after a failed commit; the next batch opens a fresh one."""
        if conn is not None:
            with suppress(exc.SQLAlchemyError):
                conn.invalidate()
                conn.close()

    def _commit(self, conn: Connection, batch: Sequence[_Pending]) -> None:
        with conn.begin():
            # The DB-API connection's own execute, inside SQLAlchemy's transaction (as in
            # ``_nodes``): SQLAlchemy's result set-up for each of a commit's four statements was
            # a third of the writer's CPU.
            raw: Any = conn.connection.driver_connection
            # The UPDATE takes the write lock before the size is read (SQLite and PostgreSQL).
            size = raw.execute(_SQL_LOCK).fetchone()[0]
            if size != self._size:
                self._edge = self._load_edge(conn, size)
                self._size = size
            edge = list(self._edge)
            entry_rows: list[tuple[int, bytes]] = []
            node_rows: list[tuple[int, bytes]] = []
            idx = size
            for pending in batch:
                pending.first = idx
                for body, h in zip(pending.bodies, pending.leaves, strict=True):
                    entry_rows.append((idx, body))
                    node_rows.append((idx << 6, h))
                    level, index = 0, idx
                    while edge and edge[-1][0] == level:
                        h = node_hash(edge.pop()[2], h)
                        level, index = level + 1, index >> 1
                        node_rows.append(((index << 6) | level, h))
                    edge.append((level, index, h))
                    idx += 1
            self._insert_rows(raw, "ledger_entry (idx, body)", entry_rows)
            self._insert_rows(raw, "ledger_node (key, hash)", node_rows)
            raw.execute(self._sql_set_size, (idx,))
        self._edge, self._size = edge, idx
        self._known_size = max(self._known_size, idx)

    def _insert_rows(self, raw: Any, into: str, rows: Sequence[tuple[int, bytes]]) -> None:
        """Multi-row INSERTs of up to _ROWS_PER_INSERT rows. One statement per chunk, not one
        per row: each driver call releases the GIL, and under many concurrent appenders the
        writer waited to win it back after every row of an executemany."""
        mark = self._mark
        for lo in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[lo : lo + _ROWS_PER_INSERT]
            values = ", ".join([f"({mark}, {mark})"] * len(chunk))
            params = tuple(v for row in chunk for v in row)
            raw.execute(f"INSERT INTO {into} VALUES {values}", params)  # noqa: S608

    def _load_edge(self, conn: Connection, size: int) -> list[tuple[int, int, bytes]]:
        ids = tree.root_plan(size)
        hashes = self._nodes(conn, ids)
        return [(lvl, i, hashes[(lvl, i)]) for lvl, i in ids]

    # -- reading --------------------------------------------------------------------------------

    @contextmanager
    def _store_errors(self) -> Iterator[None]:
        try:
            yield
        except exc.DatabaseError as err:
            raise StoreError(
                f"the ledger database failed: {err.orig}",
                code="store.corrupt" if "malformed" in str(err.orig) else "store.failed",
                hint="Nothing was changed. If the file is damaged, restore it from a backup "
                "(and delete the -wal and -shm files beside it); `shieldwall ledger verify` "
                "checks a copy offline.",
            ) from err

    def _read(self, fn: Callable[[Connection], T]) -> T:
        with self._store_errors(), self._engine.connect() as conn:
            return fn(conn)

    def _nodes(
        self, conn: Connection, ids: Iterable[tuple[int, int]]
    ) -> dict[tuple[int, int], bytes]:
        """Hashes of the given perfect nodes: from the cache, the rest in one query."""
        cache = self._cache
        found: dict[tuple[int, int], bytes] = {}
        missing: dict[int, tuple[int, int]] = {}
        for node in ids:
            hit = cache.get(node)
            if hit is None:
                missing[(node[1] << 6) | node[0]] = node
            else:
                found[node] = hit
        if missing:
            marks = ", ".join([self._mark] * len(missing))
            # The DB-API connection's own execute (sqlite3 and psycopg 3 both have one), inside
            # SQLAlchemy's transaction: a third of the cost of a proof was result wrapping.
            raw: Any = conn.connection.driver_connection
            rows = raw.execute(
                f"SELECT key, hash FROM ledger_node WHERE key IN ({marks})",  # noqa: S608
                list(missing),
            )
            for key, value in rows.fetchall():
                node = missing.pop(key)
                found[node] = data = bytes(value)
                cache.offer(node, data)
        if missing:
            raise StoreError(
                "the ledger's node table is missing hashes it must have",
                code="store.corrupt",
                hint="The database was altered outside Shieldwall; restore it from a backup.",
            )
        return found

    def size(self) -> int:
        self._settle()
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
        return tree.fold_right([hashes[n] for n in ids])

    def entry(self, index: int) -> bytes:
        self._settle()
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
    ) -> tuple[list[bytes], dict[tuple[int, int], bytes]]:
        ids = tree.needed_nodes(items) | set(extra)
        hashes = self._read(lambda c: self._nodes(c, ids))
        return tree.materialize(items, hashes.__getitem__), hashes

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
            index=index, tree_size=n, leaf_hash=hashes[(0, index)], path=tuple(path)
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
