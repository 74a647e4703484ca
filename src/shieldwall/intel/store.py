"""The STIX 2.1 store: collections, and every version of every object, paged by date added.

Intake validation is ours and fast (the ``stix2`` library is the oracle in tests). Every
object version keeps its raw JSON; ``date_added`` is strictly increasing per collection (in
microseconds, bumped by 1 µs on ties), so the keyset ``(collection, date_added)`` pages in
constant cost whatever the collection's size. No query uses OFFSET.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    exc,
    func,
    insert,
    or_,
    select,
    update,
)

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.types import Principal, PrincipalKind, Tier
from shieldwall.intel.tlp import Tlp, check_marking_definition, effective_tlp, may_read
from shieldwall.store.schema import intel_collection, intel_object, intel_status

MAX_PAGE = 1000
DEFAULT_PAGE = 100

_TYPE = re.compile(r"^[a-z][a-z0-9-]{1,248}[a-z0-9]$")
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_TS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$", re.ASCII)
# STIX 2.1 cyber-observable types: no created/modified required.
SCO_TYPES = frozenset(
    {
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr",
        "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
        "network-traffic", "process", "software", "url", "user-account", "windows-registry-key",
        "x509-certificate",
    }
)  # fmt: skip


def parse_timestamp(value: Any, *, location: str) -> int:
    """An RFC 3339 UTC timestamp (``Z``) as microseconds since the epoch."""
    bad = InputError(
        f"{value!r} is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)",
        code="intel.bad_timestamp",
        location=location,
    )
    if not isinstance(value, str):
        raise bad
    m = _TS.fullmatch(value)
    if m is None:
        raise bad
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        at = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=UTC)
    except ValueError as err:
        raise bad from err
    micros = int((frac or "0")[:6].ljust(6, "0"))
    return int(at.timestamp()) * 1_000_000 + micros


def format_timestamp(micros: int) -> str:
    at = datetime.fromtimestamp(micros // 1_000_000, tz=UTC)
    return f"{at:%Y-%m-%dT%H:%M:%S}.{micros % 1_000_000:06d}Z"


@dataclass(frozen=True, slots=True, kw_only=True)
class Checked:
    """What intake learned from one valid object."""

    id: str
    type: str
    spec_version: str
    modified_us: int
    marking_refs: tuple[str, ...]


def check_object(obj: Any) -> Checked:
    """Validate one STIX 2.1 object's common properties; InputError (with the property as its
    location) if it is not acceptable."""
    if not isinstance(obj, Mapping):
        raise InputError("a STIX object must be a JSON object", code="intel.bad_object")
    kind = obj.get("type")
    if not isinstance(kind, str) or not _TYPE.fullmatch(kind) or "--" in kind:
        raise InputError(f"{kind!r} is not a STIX type", code="intel.bad_object", location="type")
    oid = obj.get("id")
    prefix = f"{kind}--"
    if (
        not isinstance(oid, str)
        or not oid.startswith(prefix)
        or not _UUID.fullmatch(oid[len(prefix) :])
    ):
        raise InputError(
            f"{oid!r} is not an id of the form {kind}--<uuid>",
            code="intel.bad_object",
            location="id",
        )
    if obj.get("spec_version") != "2.1":
        raise InputError(
            'spec_version must be "2.1"', code="intel.bad_object", location="spec_version"
        )
    modified_us = 0
    if kind not in SCO_TYPES:
        created = parse_timestamp(obj.get("created"), location="created")
        modified_us = created
        if kind != "marking-definition" or "modified" in obj:
            modified_us = parse_timestamp(obj.get("modified"), location="modified")
            if modified_us < created:
                raise InputError(
                    "modified is earlier than created", code="intel.bad_object", location="modified"
                )
    refs = obj.get("object_marking_refs", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise InputError(
            "object_marking_refs must be a list of marking-definition ids",
            code="intel.bad_marking",
            location="object_marking_refs",
        )
    effective_tlp(refs, default=Tlp.CLEAR)  # well-formed, no look-alikes
    if kind == "marking-definition":
        check_marking_definition(obj)
    return Checked(
        id=oid.lower(),
        type=kind,
        spec_version="2.1",
        modified_us=modified_us,
        marking_refs=tuple(refs),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Collection:
    id: str
    title: str
    description: str
    owner_org: str | None
    created_by: str
    tlp: Tlp

    def readable_by(self, who: Principal) -> bool:
        return may_read(who, self.tlp, owner_org=self.owner_org, created_by=self.created_by)

    def writable_by(self, who: Principal) -> bool:
        if who.kind is PrincipalKind.OWNER:
            return True
        return (
            who.tier >= Tier.VERIFIED_INDIVIDUAL
            and who.org is not None
            and who.org == self.owner_org
        )

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
            if not added.isdigit() or not oid:
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


class IntelStore:
    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

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

    @staticmethod
    def _row(row: Any) -> Collection:
        return Collection(
            id=row.id,
            title=row.title,
            description=row.description,
            owner_org=row.owner_org,
            created_by=row.created_by,
            tlp=Tlp(row.tlp),
        )

    def collections(self) -> list[Collection]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(intel_collection).order_by(intel_collection.c.title))
            return [self._row(r) for r in rows]

    def collection(self, key: str) -> Collection:
        """A collection by id or by title."""
        with self._engine.connect() as conn:
            row = conn.execute(
                select(intel_collection).where(
                    or_(intel_collection.c.id == key, intel_collection.c.title == key)
                )
            ).first()
        if row is None:
            raise NotFoundError(f"no collection {key!r}", code="intel.no_collection")
        return self._row(row)

    # -- objects --------------------------------------------------------------------------
    def add(
        self, collection: Collection, objects: Sequence[Any], *, added_by: Principal
    ) -> tuple[list[Outcome], list[Outcome]]:
        """Store the valid objects (one transaction); (successes, failures)."""
        successes: list[Outcome] = []
        failures: list[Outcome] = []
        rows: list[dict[str, Any]] = []
        seen: set[tuple[str, int]] = set()
        for i, obj in enumerate(objects):
            oid = str(obj.get("id"))[:300] if isinstance(obj, Mapping) else f"[{i}]"
            try:
                checked = check_object(obj)
                tlp = effective_tlp(checked.marking_refs, default=collection.tlp)
            except InputError as err:
                failures.append(Outcome(id=oid, version=None, message=str(err)))
                continue
            version = format_timestamp(checked.modified_us)
            successes.append(Outcome(id=checked.id, version=version))
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
                    "raw": json.dumps(obj, separators=(",", ":"), ensure_ascii=False),
                }
            )
        if rows:
            self._insert(collection.id, rows)
        return successes, failures

    def _insert(self, collection_id: str, rows: list[dict[str, Any]]) -> None:
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
            existing = {
                (r.object_id, r.modified_us)
                for r in conn.execute(
                    select(o.object_id, o.modified_us).where(
                        o.collection_id == collection_id,
                        o.object_id.in_(sorted({r["object_id"] for r in rows})),
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

    def _visible(self, who: Principal) -> ColumnElement[bool] | None:
        """The SQL twin of ``may_read`` (None: everything is visible)."""
        o = intel_object.c
        if who.kind is PrincipalKind.OWNER:
            return None
        open_levels = [int(Tlp.CLEAR)]
        if who.kind is not PrincipalKind.ANONYMOUS and who.tier >= Tier.VERIFIED_INDIVIDUAL:
            open_levels.append(int(Tlp.GREEN))
        clauses: list[ColumnElement[bool]] = [o.tlp.in_(open_levels)]
        if who.kind is not PrincipalKind.ANONYMOUS and who.org is not None:
            clauses.append(
                and_(o.tlp.in_([int(Tlp.AMBER), int(Tlp.AMBER_STRICT)]), o.owner_org == who.org)
            )
        clauses.append(and_(o.tlp == int(Tlp.RED), o.created_by == who.id))
        return or_(*clauses)

    def page(self, collection: Collection, query: Query, *, reader: Principal) -> Page:
        o = intel_object.c
        conds: list[ColumnElement[bool]] = [o.collection_id == collection.id]
        visible = self._visible(reader)
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
        stmt = (
            select(o.object_id, o.date_added_us, o.raw)
            .where(and_(*conds))
            .order_by(o.date_added_us, o.object_id)
            .limit(query.limit + 1)
        )
        with self._engine.connect() as conn:
            rows = list(conn.execute(stmt))
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        cursor = (
            Cursor(date_added_us=rows[-1].date_added_us, object_id=rows[-1].object_id)
            if more
            else None
        )
        return Page(
            objects=[json.loads(r.raw) for r in rows],
            more=more,
            next=cursor.token() if cursor else None,
            first_added_us=rows[0].date_added_us if rows else None,
            last_added_us=rows[-1].date_added_us if rows else None,
        )

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
        with self._engine.connect() as conn:
            row = conn.execute(select(intel_status).where(intel_status.c.id == status_id)).first()
        if row is None or (reader.kind is not PrincipalKind.OWNER and row.created_by != reader.id):
            raise NotFoundError(f"no status {status_id!r}", code="intel.no_status")
        body: dict[str, Any] = json.loads(row.body)
        return body
