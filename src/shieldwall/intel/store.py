"""The STIX 2.1 store: collections, and every version of every object, paged by date added.

Intake validation is ours and fast (``intel.validate``; the ``stix2`` library is the oracle in
tests). Every object version keeps its raw JSON; ``date_added`` is strictly increasing per
collection (in microseconds, bumped by 1 µs on ties), so the keyset ``(collection,
date_added)`` pages in constant cost whatever the collection's size. No query uses OFFSET.

Every read path (objects, one object, versions, manifest, search, export, sightings) filters
in SQL by the TLP levels the reader may read in that collection (``tlp.readable_levels``), and
strips from what it returns the references to objects of the collection the reader may not
see (``redact``): a report shared GREEN does not tell a GREEN reader the id of the AMBER
indicator it cites. What granular TLP markings keep from the reader goes too
(``intel.granular``, by ``page`` and ``search``); a row without them costs a substring test.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Table,
    and_,
    delete,
    exc,
    func,
    insert,
    or_,
    select,
    update,
)

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError, StoreError
from shieldwall.core.types import Principal, PrincipalKind
from shieldwall.intel import granular
from shieldwall.intel.granular import tlp_levels
from shieldwall.intel.pattern import observable_values
from shieldwall.intel.sharing import Addressing, Sharing, speaks_for
from shieldwall.intel.tlp import (
    KNOWN_IDS,
    Audience,
    Tlp,
    effective_tlp,
    readable_levels,
    verified,
)
from shieldwall.intel.validate import (
    SCO_TYPES,
    Checked,
    check_object,
    format_timestamp,
    parse_timestamp,
)
from shieldwall.store.engine import bind_mark
from shieldwall.store.schema import intel_collection, intel_object, intel_status, intel_term

__all__ = [
    "DEFAULT_PAGE",
    "MAX_PAGE",
    "SCO_TYPES",
    "Collection",
    "Cursor",
    "IntelStore",
    "Page",
    "Query",
    "check_object",
    "format_timestamp",
    "parse_timestamp",
    "version_string",
]

MAX_PAGE = 1000
DEFAULT_PAGE = 100
ALL_LEVELS = frozenset(Tlp)
# Reference properties an object cannot lose: if the reader may not see their target, the
# whole object is withheld.
REQUIRED_REFS = frozenset(
    {"source_ref", "target_ref", "sighting_of_ref", "object_ref", "object_refs"}
)
_REF_SUFFIXES = ("_ref", "_refs")


def _not_json(constant: str) -> Any:
    raise StoreError(
        f"a stored object holds {constant}, which is not JSON",
        code="intel.stored_not_json",
        hint="Delete the object and add it again without NaN or Infinity.",
    )


def load_object(raw: str) -> dict[str, Any]:
    """A stored object's JSON text as a dict, by orjson (with the check, a third of the json
    module's cost on a page) when orjson writes back exactly the stored text: that proves it
    read every value as the json module would (it reads an integer past 64 bits as a float,
    which would not write back the same). Otherwise by the json module, which refuses NaN and
    Infinity (intake refuses them too) rather than serve them as something else."""
    try:
        value: dict[str, Any] = orjson.loads(raw)
        if orjson.dumps(value) == raw.encode():
            return value
    except orjson.JSONDecodeError:
        pass
    loaded: dict[str, Any] = json.loads(raw, parse_constant=_not_json)
    return loaded


def version_string(micros: int) -> str:
    """A version as TAXII shows it: milliseconds when exact (the common STIX form)."""
    text = format_timestamp(micros)
    return text[:-4] + "Z" if micros % 1000 == 0 else text


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection:
    id: str
    title: str
    description: str
    owner_org: str | None
    created_by: str
    tlp: Tlp
    addressing: Addressing

    @property
    def audience(self) -> Audience:
        return self.addressing.audience

    def levels_for(self, who: Principal) -> frozenset[Tlp]:
        return readable_levels(who, self.audience)

    def readable_by(self, who: Principal) -> bool:
        return self.tlp in self.levels_for(who)

    def writable_by(self, who: Principal) -> bool:
        if speaks_for(who, self.owner_org):
            return True
        return speaks_for(who, who.org) and who.org in self.addressing.writers

    def to_taxii(self, who: Principal) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "can_read": self.readable_by(who),
            "can_write": self.writable_by(who),
            "media_types": ["application/stix+json;version=2.1"],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Cursor:
    date_added_us: int
    object_id: str

    def token(self) -> str:
        raw = f"{self.date_added_us}|{self.object_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Cursor:
        bad = InputError("the next token is not valid", code="intel.bad_next", location="next")
        if len(token) > 600:
            raise bad
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            added, _, oid = raw.partition("|")
            if not added.isdigit() or not added.isascii() or not oid:
                raise bad
            return cls(date_added_us=int(added), object_id=oid)
        except (ValueError, UnicodeDecodeError) as err:
            raise bad from err


@dataclass(frozen=True, slots=True, kw_only=True)
class Query:
    added_after_us: int | None = None
    after: Cursor | None = None
    limit: int = DEFAULT_PAGE
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("last",)  # last, first, all, or timestamps
    spec_versions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Page:
    objects: list[dict[str, Any]]
    more: bool
    next: str | None
    first_added_us: int | None
    last_added_us: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    id: str
    version: str | None
    message: str | None = None


def _insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT that skips rows whose primary key exists (SQLite and PostgreSQL)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        conn.execute(pg_insert(table).on_conflict_do_nothing(), rows)
    else:
        conn.execute(insert(table).prefix_with("OR IGNORE"), rows)


def terms_of(obj: Mapping[str, Any], checked: Checked) -> set[str]:
    """Search terms of an object: the observable values its pattern asserts, the ATT&CK,
    CAPEC and CVE ids it carries, an ATT&CK tactic's short name, a vulnerability's name."""
    terms = set(observable_values(list(checked.comparisons)))
    refs = obj.get("external_references")
    if isinstance(refs, list):
        for ref in refs:
            if (
                isinstance(ref, Mapping)
                and ref.get("source_name") in ("mitre-attack", "capec", "cve", "mitre-ics-attack")
                and isinstance(ref.get("external_id"), str)
            ):
                terms.add(ref["external_id"].lower())
    if checked.type == "x-mitre-tactic" and isinstance(obj.get("x_mitre_shortname"), str):
        terms.add(obj["x_mitre_shortname"].lower())
    if checked.type == "vulnerability" and isinstance(obj.get("name"), str):
        terms.add(obj["name"].lower())
    return {t[:600] for t in terms if t}


_GRANULAR = '"granular_markings"'  # only a stored text holding it can have granular markings


def _may_refer(raw: str) -> bool:
    """Only an object whose stored text holds "_ref" other than in a marking reference can
    refer to another object (its keys are in the text)."""
    return raw.count("_ref") != raw.count("marking_ref")


class _TextRow(NamedTuple):
    raw: str
    object_id: str
    date_added_us: int


class _StampRow(NamedTuple):
    modified_us: int
    object_id: str
    date_added_us: int


class IntelStore:
    def __init__(
        self, engine: Engine, *, clock: Clock | None = None, collection_ttl: float = 1.0
    ) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self.sharing = Sharing(engine, clock=self._clock, on_change=self._forget_collections)
        # Every read looks its collection (and its audience: shares and group members) up;
        # the answer is kept ``collection_ttl`` seconds, like the door's liveness and kill
        # switch checks: a change made through this store binds at once (it clears them), one
        # made by another process of the deployment within that time.
        self._collection_ttl = collection_ttl
        self._collections: dict[str, tuple[float, Collection]] = {}
        self._generation = 0
        self._collections_lock = threading.Lock()
        # Page queries by shape (which filters are present, how long each list is), as the
        # driver's own SQL, built once (``_page_sql``). Through SQLAlchemy, statement set-up,
        # result rows and the pooled connection object were over half a single-object read.
        self._page_sql: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}
        self._mark = bind_mark(engine)

    # -- collections ----------------------------------------------------------------------
    def create_collection(
        self, *, title: str, description: str, owner_org: str | None, created_by: str, tlp: Tlp
    ) -> Collection:
        cid = str(uuid.uuid4())
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(intel_collection).values(
                        id=cid,
                        title=title,
                        description=description,
                        owner_org=owner_org,
                        created_by=created_by,
                        tlp=int(tlp),
                        last_added_us=0,
                        created_at=self._clock.now(),
                    )
                )
        except exc.IntegrityError as err:
            raise InputError(
                f"a collection named {title!r} exists", code="intel.collection_taken"
            ) from err
        return self.collection(cid)

    def _row(self, row: Any) -> Collection:
        return Collection(
            id=row.id,
            title=row.title,
            description=row.description,
            owner_org=row.owner_org,
            created_by=row.created_by,
            tlp=Tlp(row.tlp),
            addressing=self.sharing.addressing(row.id, row.owner_org),
        )

    def collections(self) -> list[Collection]:
        with self._engine.connect() as conn:
            rows = list(conn.execute(select(intel_collection).order_by(intel_collection.c.title)))
        return [self._row(r) for r in rows]

    def _forget_collections(self) -> None:
        with self._collections_lock:
            self._generation += 1
            self._collections.clear()

    def collection(self, key: str) -> Collection:
        """A collection by id or by title (remembered for ``collection_ttl`` seconds)."""
        now = time.monotonic()
        hit = self._collections.get(key)
        if hit is not None and now - hit[0] < self._collection_ttl:
            return hit[1]
        generation = self._generation
        coll = self._load_collection(key)
        with self._collections_lock:
            if generation == self._generation:  # no change committed while it was read
                if len(self._collections) >= 10_000:
                    self._collections.clear()
                self._collections[key] = (now, coll)
        return coll

    def _load_collection(self, key: str) -> Collection:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(intel_collection).where(
                    or_(intel_collection.c.id == key, intel_collection.c.title == key)
                )
            ).first()
        if row is None:
            raise NotFoundError(f"no collection {key!r}", code="intel.no_collection")
        return self._row(row)

    # -- intake ---------------------------------------------------------------------------
    def add(
        self, collection: Collection, objects: Sequence[Any], *, added_by: Principal
    ) -> tuple[list[Outcome], list[Outcome]]:
        """Store the valid objects (one transaction); (successes, failures)."""
        successes: list[Outcome] = []
        failures: list[Outcome] = []
        checked_all: list[tuple[Any, Checked]] = []
        for i, obj in enumerate(objects):
            oid = str(obj.get("id"))[:300] if isinstance(obj, Mapping) else f"[{i}]"
            try:
                checked_all.append((obj, check_object(obj)))
            except InputError as err:
                failures.append(Outcome(id=oid, version=None, message=str(err)))
        resolvable = self._markings_known(collection.id, [c for _, c in checked_all])
        rows: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        seen: set[tuple[str, int]] = set()
        for obj, checked in checked_all:
            missing = [r for r in checked.marking_refs if r.lower() not in resolvable]
            if missing:
                failures.append(
                    Outcome(
                        id=checked.id,
                        version=None,
                        message=f"object_marking_refs: {missing[0]} is not a marking "
                        "definition of this collection nor of this envelope",
                    )
                )
                continue
            # The object's own markings set its TLP; granular ones redact what they select
            # for recipients not cleared for them (``intel.granular``), never widen it.
            tlp = effective_tlp(checked.object_marking_refs, default=collection.tlp)
            try:  # NaN and Infinity are not JSON (Python's parser reads them; no reader should)
                raw = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
            except ValueError:
                failures.append(
                    Outcome(
                        id=checked.id,
                        version=None,
                        message="a number is NaN or infinite, which JSON cannot hold",
                    )
                )
                continue
            successes.append(Outcome(id=checked.id, version=version_string(checked.modified_us)))
            if (checked.id, checked.modified_us) in seen:
                continue
            seen.add((checked.id, checked.modified_us))
            rows.append(
                {
                    "collection_id": collection.id,
                    "object_id": checked.id,
                    "modified_us": checked.modified_us,
                    "type": checked.type,
                    "spec_version": checked.spec_version,
                    "owner_org": collection.owner_org,
                    "created_by": added_by.id,
                    "tlp": int(tlp),
                    "raw": raw,
                }
            )
            terms += [
                {"term": t, "collection_id": collection.id, "object_id": checked.id}
                for t in terms_of(obj, checked)
            ]
        if rows:
            self._insert(collection.id, rows, terms)
        return successes, failures

    def _markings_known(self, collection_id: str, checked: list[Checked]) -> set[str]:
        """The marking ids the batch may reference: the official TLP ids, the marking
        definitions in the batch and those already stored in the collection."""
        known = set(KNOWN_IDS) | {c.id for c in checked if c.type == "marking-definition"}
        wanted = {r.lower() for c in checked for r in c.marking_refs} - known
        if wanted:
            o = intel_object.c
            with self._engine.connect() as conn:
                known |= set(
                    conn.execute(
                        select(o.object_id).where(
                            o.collection_id == collection_id,
                            o.type == "marking-definition",
                            o.object_id.in_(sorted(wanted)),
                        )
                    ).scalars()
                )
        return known

    def _insert(
        self, collection_id: str, rows: list[dict[str, Any]], terms: list[dict[str, Any]]
    ) -> None:
        now_us = int(self._clock.now().timestamp() * 1_000_000)
        o = intel_object.c
        with self._engine.begin() as conn:
            # Lock the collection row (a no-op UPDATE) so date_added stays strictly increasing.
            conn.execute(
                update(intel_collection)
                .where(intel_collection.c.id == collection_id)
                .values(last_added_us=intel_collection.c.last_added_us)
            )
            last = conn.execute(
                select(intel_collection.c.last_added_us).where(
                    intel_collection.c.id == collection_id
                )
            ).scalar_one()
            existing: set[tuple[str, int]] = set()
            ids = sorted({r["object_id"] for r in rows})
            for start in range(0, len(ids), 500):
                existing |= {
                    (r.object_id, r.modified_us)
                    for r in conn.execute(
                        select(o.object_id, o.modified_us).where(
                            o.collection_id == collection_id,
                            o.object_id.in_(ids[start : start + 500]),
                        )
                    )
                }
            fresh = [r for r in rows if (r["object_id"], r["modified_us"]) not in existing]
            for row in fresh:
                last = max(now_us, last + 1)
                row["date_added_us"] = last
            if fresh:
                conn.execute(insert(intel_object), fresh)
                conn.execute(
                    update(intel_collection)
                    .where(intel_collection.c.id == collection_id)
                    .values(last_added_us=last)
                )
            unique = list({(t["term"], t["object_id"]): t for t in terms}.values())
            _insert_ignore(conn, intel_term, unique)

    # -- visibility -----------------------------------------------------------------------
    @staticmethod
    def _visible(levels: frozenset[Tlp], who: Principal) -> ColumnElement[bool] | None:
        """The SQL twin of ``tlp.may_read`` within one collection (None: all is visible)."""
        o = intel_object.c
        if levels == ALL_LEVELS:
            return None
        clauses: list[ColumnElement[bool]] = [o.tlp.in_(sorted(int(t) for t in levels))]
        if verified(who) and Tlp.RED not in levels:
            clauses.append(and_(o.tlp == int(Tlp.RED), o.created_by == who.id))
        return or_(*clauses)

    def _hidden(
        self, conn: Connection, collection: Collection, ids: Iterable[str], reader: Principal
    ) -> set[str]:
        """Of these ids, those stored in the collection with no version the reader may see."""
        wanted = sorted({i.lower() for i in ids})
        if not wanted:
            return set()
        levels = collection.levels_for(reader)
        if levels == ALL_LEVELS:
            return set()
        o = intel_object.c
        present: set[str] = set()
        seen: set[str] = set()
        visible = self._visible(levels, reader)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            base = and_(o.collection_id == collection.id, o.object_id.in_(chunk))
            present |= set(conn.execute(select(o.object_id).where(base).distinct()).scalars())
            cond = base if visible is None else and_(base, visible)
            seen |= set(conn.execute(select(o.object_id).where(cond).distinct()).scalars())
        return present - seen

    def redact(
        self,
        conn: Connection,
        collection: Collection,
        objects: list[dict[str, Any]],
        reader: Principal,
        *,
        referring: list[dict[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """The objects with every reference to an object the reader may not see removed;
        an object whose required reference goes is withheld whole. ``referring``: the only
        objects that may hold references (default: all)."""
        if collection.levels_for(reader) == ALL_LEVELS:
            return objects  # the reader sees every object of the collection
        refs: set[str] = set()
        for obj in objects if referring is None else referring:
            for key, value in obj.items():
                if not key.endswith(_REF_SUFFIXES) or key == "object_marking_refs":
                    continue
                if key.endswith("_ref") and isinstance(value, str):
                    refs.add(value)
                elif key.endswith("_refs") and isinstance(value, list):
                    refs.update(v for v in value if isinstance(v, str))
        hidden = self._hidden(conn, collection, refs, reader)
        if not hidden:
            return objects
        out: list[dict[str, Any]] = []
        for obj in objects:
            if "granular_markings" in obj:  # its selectors follow what goes
                pruned = self._prune_refs(obj, hidden)
                if pruned is not None:
                    out.append(pruned)
                continue
            keep = True
            clean: dict[str, Any] = {}
            for key, value in obj.items():
                if key != "object_marking_refs" and key.endswith("_ref") and isinstance(value, str):
                    if value.lower() in hidden:
                        keep = keep and key not in REQUIRED_REFS
                        continue
                elif (
                    key != "object_marking_refs"
                    and key.endswith("_refs")
                    and isinstance(value, list)
                ):
                    kept = [v for v in value if not (isinstance(v, str) and v.lower() in hidden)]
                    if len(kept) != len(value):
                        if not kept:
                            keep = keep and key not in REQUIRED_REFS
                            continue
                        value = kept
                clean[key] = value
            if keep:
                out.append(clean)
        return out

    @staticmethod
    def _prune_refs(obj: dict[str, Any], hidden: set[str]) -> dict[str, Any] | None:
        """``redact`` for an object with granular markings: the references to hidden objects
        go through ``granular.prune``, which renumbers the selectors of the markings kept."""
        paths: list[tuple[str | int, ...]] = []
        for key, value in obj.items():
            if key == "object_marking_refs":
                continue
            if key.endswith("_ref") and isinstance(value, str) and value.lower() in hidden:
                paths.append((key,))
            elif key.endswith("_refs") and isinstance(value, list):
                paths += [
                    (key, n)
                    for n, v in enumerate(value)
                    if isinstance(v, str) and v.lower() in hidden
                ]
        return granular.prune(obj, paths, keep=REQUIRED_REFS) if paths else obj

    @staticmethod
    def _served(
        obj: dict[str, Any], levels: frozenset[Tlp], reader: Principal, tlp: int, created_by: str
    ) -> dict[str, Any] | None:
        """An object with granular markings as this reader may see it (``intel.granular``):
        a granular level no stricter than the object's own is cleared with the object."""
        own = Tlp(tlp)
        creator = verified(reader) and reader.id == created_by

        def cleared(level: Tlp) -> bool:
            return level <= own or level in levels or (level is Tlp.RED and creator)

        return granular.redact(obj, cleared=cleared)

    def _granular(
        self,
        conn: Connection,
        collection: Collection,
        rows: Sequence[Any],
        objects: list[dict[str, Any]],
        reader: Principal,
    ) -> dict[int, dict[str, Any] | None]:
        """The objects of a page (by index) that granular TLP markings change for this reader:
        redacted, or None when withheld. Only a row whose text holds the key can have them,
        and only a marking at a level the reader may not read everywhere needs the row's own
        TLP and creator: other pages cost a substring test per row."""
        levels = collection.levels_for(reader)
        if levels == ALL_LEVELS:
            return {}
        marked = [
            n
            for n, row in enumerate(rows)
            if _GRANULAR in row.raw and not tlp_levels(objects[n]) <= levels
        ]
        if not marked:
            return {}
        o = intel_object.c
        meta = {
            m.date_added_us: m
            for m in conn.execute(
                select(o.date_added_us, o.tlp, o.created_by).where(
                    o.collection_id == collection.id,
                    o.date_added_us.in_([rows[n].date_added_us for n in marked]),
                )
            )
        }
        changed: dict[int, dict[str, Any] | None] = {}
        for n in marked:
            m = meta.get(rows[n].date_added_us)
            changed[n] = (
                None if m is None else self._served(objects[n], levels, reader, m.tlp, m.created_by)
            )
        return changed

    # -- reads ----------------------------------------------------------------------------
    def _conditions(
        self, collection: Collection, query: Query, reader: Principal
    ) -> list[ColumnElement[bool]]:
        o = intel_object.c
        conds: list[ColumnElement[bool]] = [o.collection_id == collection.id]
        visible = self._visible(collection.levels_for(reader), reader)
        if visible is not None:
            conds.append(visible)
        if query.added_after_us is not None:
            conds.append(o.date_added_us > query.added_after_us)
        if query.after is not None:
            # (collection, date_added) is unique, so the keyset's first part decides alone; a
            # plain range keeps the index seek (an OR with the id would scan).
            conds.append(o.date_added_us > query.after.date_added_us)
        if query.ids:
            conds.append(o.object_id.in_([i.lower() for i in query.ids]))
        if query.types:
            conds.append(o.type.in_(query.types))
        if query.spec_versions:
            conds.append(o.spec_version.in_(query.spec_versions))
        version = self._version_filter(collection.id, query.versions)
        if version is not None:
            conds.append(version)
        return conds

    def _rows(
        self, collection: Collection, query: Query, reader: Principal, cols: str
    ) -> tuple[list[Any], bool]:
        """One page of rows (``cols``: "raw" or "modified_us", besides the keyset columns),
        by the driver-level statement of this query's shape with the query's values bound:
        the same conditions as ``_conditions``."""
        params: dict[str, Any] = {"cid": collection.id, "lim": query.limit + 1}
        levels = collection.levels_for(reader)
        visible = "all"
        if levels != ALL_LEVELS:
            params["levels"] = sorted(int(t) for t in levels)
            visible = "levels"
            if verified(reader) and Tlp.RED not in levels:
                visible, params["who"] = "own_red", reader.id
        if query.added_after_us is not None:
            params["added_after"] = query.added_after_us
        if query.after is not None:
            params["after"] = query.after.date_added_us
        if query.ids:
            params["ids"] = [i.lower() for i in query.ids]
        if query.types:
            params["types"] = list(query.types)
        if query.spec_versions:
            params["specs"] = list(query.spec_versions)
        versions = frozenset(query.versions)
        stamps = (
            []
            if "all" in versions
            else sorted(
                parse_timestamp(v, location="match[version]") for v in versions - {"last", "first"}
            )
        )
        if stamps:
            params["stamps"] = stamps
        which = frozenset() if "all" in versions else versions & {"last", "first"}
        shape = (
            cols,
            visible,
            which,
            *sorted((k, len(v) if isinstance(v, list) else -1) for k, v in params.items()),
        )
        found = self._page_sql.get(shape)
        if found is None:
            found = self._page_sql[shape] = self._statement(cols, visible, which, params)
        sql, names = found
        values: list[Any] = []
        for name in names:
            value = params[name]
            if isinstance(value, list):
                values.extend(value)
            else:
                values.append(value)
        raw: Any = self._engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute(sql, values)
                fetched = cursor.fetchall()
            finally:
                cursor.close()
        finally:
            raw.close()  # back to the pool
        make = _TextRow._make if cols == "raw" else _StampRow._make
        rows = [make(r) for r in fetched[: query.limit]]
        return rows, len(fetched) > query.limit

    def _statement(
        self, cols: str, visible: str, which: frozenset[str], params: Mapping[str, Any]
    ) -> tuple[str, tuple[str, ...]]:
        """The SQL text of a page query of this shape, for the engine's DB-API paramstyle, and
        the names of its parameters in order (a list parameter fills as many marks as it has
        values). Column names and marks only: every value is bound."""
        mark = self._mark
        names: list[str] = []

        def bind(name: str) -> str:
            names.append(name)
            value = params[name]
            if isinstance(value, list):
                return ", ".join([mark] * len(value))
            return mark

        conds = [f"o.collection_id = {bind('cid')}"]
        if visible != "all":
            clause = f"o.tlp IN ({bind('levels')})"
            if visible == "own_red":
                clause = f"({clause} OR (o.tlp = {int(Tlp.RED)} AND o.created_by = {bind('who')}))"
            conds.append(clause)
        if "added_after" in params:
            conds.append(f"o.date_added_us > {bind('added_after')}")
        if "after" in params:
            # (collection, date_added) is unique, so the keyset's first part decides alone; a
            # plain range keeps the index seek (an OR with the id would scan).
            conds.append(f"o.date_added_us > {bind('after')}")
        for name, column in (("ids", "object_id"), ("types", "type"), ("specs", "spec_version")):
            if name in params:
                conds.append(f"o.{column} IN ({bind(name)})")
        version = [
            f"o.modified_us = (SELECT {'max' if v == 'last' else 'min'}(v.modified_us) "  # noqa: S608 - fixed names, bound values
            f"FROM intel_object v WHERE v.collection_id = {bind('cid')} "
            "AND v.object_id = o.object_id)"
            for v in sorted(which)
        ]
        if "stamps" in params:
            version.append(f"o.modified_us IN ({bind('stamps')})")
        if version:
            conds.append(f"({' OR '.join(version)})")
        column = "o.raw" if cols == "raw" else "o.modified_us"
        sql = (
            f"SELECT {column}, o.object_id, o.date_added_us FROM intel_object o "  # noqa: S608 - fixed names, bound values
            f"WHERE {' AND '.join(conds)} ORDER BY o.date_added_us LIMIT {bind('lim')}"
        )
        return sql, tuple(names)

    @staticmethod
    def _page(rows: list[Any], more: bool, objects: list[dict[str, Any]]) -> Page:
        cursor = (
            Cursor(date_added_us=rows[-1].date_added_us, object_id=rows[-1].object_id)
            if more and rows
            else None
        )
        return Page(
            objects=objects,
            more=more,
            next=cursor.token() if cursor else None,
            first_added_us=rows[0].date_added_us if rows else None,
            last_added_us=rows[-1].date_added_us if rows else None,
        )

    def page(self, collection: Collection, query: Query, *, reader: Principal) -> Page:
        rows, more = self._rows(collection, query, reader, "raw")
        objects = [load_object(r.raw) for r in rows]
        # For a reader who sees the whole collection, or a page with neither references nor
        # granular markings, nothing is redacted (no query needed).
        if collection.levels_for(reader) == ALL_LEVELS or not any(
            _may_refer(r.raw) or _GRANULAR in r.raw for r in rows
        ):
            return self._page(rows, more, objects)
        with self._engine.connect() as conn:
            texts = [r.raw for r in rows]
            changed = self._granular(conn, collection, rows, objects, reader)
            if changed:
                pairs = [
                    (changed.get(n, obj), r.raw)
                    for n, (obj, r) in enumerate(zip(objects, rows, strict=True))
                ]
                objects = [obj for obj, _ in pairs if obj is not None]
                texts = [raw for obj, raw in pairs if obj is not None]
            referring = [obj for obj, raw in zip(objects, texts, strict=True) if _may_refer(raw)]
            objects = self.redact(conn, collection, objects, reader, referring=referring)
        return self._page(rows, more, objects)

    def manifest(self, collection: Collection, query: Query, *, reader: Principal) -> Page:
        """The TAXII manifest records of a page: id, date_added, version, media_type."""
        rows, more = self._rows(collection, query, reader, "modified_us")
        records = [
            {
                "id": r.object_id,
                "date_added": format_timestamp(r.date_added_us),
                "version": version_string(r.modified_us or r.date_added_us),
                "media_type": "application/stix+json;version=2.1",
            }
            for r in rows
        ]
        return self._page(rows, more, records)

    def versions(
        self, collection: Collection, object_id: str, query: Query, *, reader: Principal
    ) -> Page:
        """The versions of one object the reader may see, paged by date added."""
        q = Query(
            added_after_us=query.added_after_us,
            after=query.after,
            limit=query.limit,
            ids=(object_id,),
            versions=("all",),
            spec_versions=query.spec_versions,
        )
        rows, more = self._rows(collection, q, reader, "modified_us")
        records = [{"version": version_string(r.modified_us or r.date_added_us)} for r in rows]
        return self._page(rows, more, records)

    def delete(self, collection: Collection, object_id: str, query: Query, *, by: Principal) -> int:
        """Delete the versions of an object that match and that ``by`` may see; how many."""
        o = intel_object.c
        q = Query(ids=(object_id,), versions=query.versions, spec_versions=query.spec_versions)
        conds = self._conditions(collection, q, by)
        with self._engine.begin() as conn:
            keys = conn.execute(select(o.object_id, o.modified_us).where(and_(*conds))).all()
            for key in keys:
                conn.execute(
                    delete(intel_object).where(
                        o.collection_id == collection.id,
                        o.object_id == key.object_id,
                        o.modified_us == key.modified_us,
                    )
                )
            left = conn.execute(
                select(func.count())
                .select_from(intel_object)
                .where(o.collection_id == collection.id, o.object_id == object_id.lower())
            ).scalar_one()
            if keys and not left:
                conn.execute(
                    delete(intel_term).where(
                        intel_term.c.collection_id == collection.id,
                        intel_term.c.object_id == object_id.lower(),
                    )
                )
        return len(keys)

    def search(
        self, term: str, *, reader: Principal, types: tuple[str, ...] = (), limit: int = 100
    ) -> list[tuple[Collection, dict[str, Any]]]:
        """The newest visible version of each object whose terms include ``term`` (an
        observable value, an ATT&CK/CAPEC/CVE id, a tactic's short name), in every collection
        the reader may read."""
        readable = {c.id: c for c in self.collections() if c.readable_by(reader)}
        if not readable:
            return []
        needle = term.strip().lower()[:600]
        o = intel_object.c
        t = intel_term.c
        out: list[tuple[Collection, dict[str, Any]]] = []
        with self._engine.connect() as conn:
            hits = conn.execute(
                select(t.collection_id, t.object_id)
                .where(t.term == needle)
                .order_by(t.collection_id, t.object_id)
            ).all()
            for hit in hits:
                coll = readable.get(hit.collection_id)
                if coll is None:
                    continue
                conds = [o.collection_id == coll.id, o.object_id == hit.object_id]
                visible = self._visible(coll.levels_for(reader), reader)
                if visible is not None:
                    conds.append(visible)
                if types:
                    conds.append(o.type.in_(types))
                row = conn.execute(
                    select(o.raw, o.tlp, o.created_by)
                    .where(*conds)
                    .order_by(o.modified_us.desc())
                    .limit(1)
                ).first()
                if row is None:
                    continue
                obj = load_object(row.raw)
                levels = coll.levels_for(reader)
                if _GRANULAR in row.raw and not tlp_levels(obj) <= levels:
                    served = self._served(obj, levels, reader, row.tlp, row.created_by)
                    # A term found only in what was redacted is no hit: the answer would
                    # tell that the object holds it.
                    if served is None or (
                        served is not obj and needle not in terms_of(served, check_object(served))
                    ):
                        continue
                    obj = served
                redacted = self.redact(conn, coll, [obj], reader)
                out += [(coll, obj) for obj in redacted]
                if len(out) >= limit:
                    break
        return out

    @staticmethod
    def _version_filter(collection_id: str, versions: Iterable[str]) -> ColumnElement[bool] | None:
        o = intel_object.c
        inner = intel_object.alias("v")
        clauses: list[ColumnElement[bool]] = []
        stamps: list[int] = []
        for v in versions:
            if v == "all":
                return None
            if v in ("last", "first"):
                agg = func.max if v == "last" else func.min
                clauses.append(
                    o.modified_us
                    == select(agg(inner.c.modified_us))
                    .where(
                        inner.c.collection_id == collection_id,
                        inner.c.object_id == o.object_id,
                    )
                    .scalar_subquery()
                )
            else:
                stamps.append(parse_timestamp(v, location="match[version]"))
        if stamps:
            clauses.append(o.modified_us.in_(stamps))
        return or_(*clauses) if clauses else None

    def count(self, collection: Collection) -> int:
        """How many object versions the collection holds."""
        with self._engine.connect() as conn:
            n: int = conn.execute(
                select(func.count())
                .select_from(intel_object)
                .where(intel_object.c.collection_id == collection.id)
            ).scalar_one()
        return n

    # -- status ---------------------------------------------------------------------------
    def save_status(self, *, collection_id: str, created_by: str, body: dict[str, Any]) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                insert(intel_status).values(
                    id=body["id"],
                    collection_id=collection_id,
                    created_by=created_by,
                    body=json.dumps(body),
                    created_at=self._clock.now(),
                )
            )

    def status(self, status_id: str, *, reader: Principal) -> dict[str, Any]:
        """A status resource, for the principal that made the request only."""
        with self._engine.connect() as conn:
            row = conn.execute(select(intel_status).where(intel_status.c.id == status_id)).first()
        if row is None or row.created_by != reader.id or reader.kind is PrincipalKind.ANONYMOUS:
            raise NotFoundError(f"no status {status_id!r}", code="intel.no_status")
        body: dict[str, Any] = json.loads(row.body)
        return body
