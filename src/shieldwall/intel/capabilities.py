"""The intel capabilities: TAXII 2.1 reads (tier 0, filtered per recipient by TLP on every
path) and writes (members of the collection's owner organisation, tier 1)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import DeniedError, InputError, NotFoundError
from shieldwall.core.types import (
    Capability,
    CapabilityId,
    InvocationContext,
    Principal,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.store import (
    DEFAULT_PAGE,
    MAX_PAGE,
    Collection,
    Cursor,
    IntelStore,
    Query,
    format_timestamp,
    parse_timestamp,
)
from shieldwall.intel.tlp import Tlp

MAX_OBJECTS = 10_000


class CollectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=10_000)
    tlp: str = Field(default="amber", max_length=16)
    owner_org: str | None = Field(
        default=None, max_length=64, description="Only the local owner may name another org."
    )


class CollectionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CollectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200, description="Its id or its title.")


class ObjectsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)
    added_after: str | None = Field(default=None, max_length=40)
    limit: int = Field(default=DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    next: str | None = Field(default=None, max_length=600)
    match_id: str | None = Field(default=None, max_length=30_000)
    match_type: str | None = Field(default=None, max_length=30_000)
    match_version: str | None = Field(default=None, max_length=30_000)
    match_spec_version: str | None = Field(default=None, max_length=1000)
    object_id: str | None = Field(default=None, max_length=300)


class ObjectsAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)
    objects: list[Any] = Field(max_length=MAX_OBJECTS)


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status_id: str = Field(min_length=1, max_length=64)


def _split(value: str | None, *, name: str = "match") -> tuple[str, ...]:
    if value is None:
        return ()
    items = tuple(v.strip() for v in value.split(","))
    if len(items) > 100 or not all(0 < len(v) <= 300 for v in items):
        raise InputError(
            f"{name} must be a comma-separated list of 1 to 100 values",
            code="intel.bad_match",
            location=name,
        )
    return items


def readable(store: IntelStore, key: str, who: Principal) -> Collection:
    """The collection if this principal may read it; not found otherwise (existence of a
    collection one may not read is not confirmed)."""
    coll = store.collection(key)
    if not coll.readable_by(who):
        raise NotFoundError(f"no collection {key!r}", code="intel.no_collection")
    return coll


def _query(req: ObjectsRequest) -> Query:
    versions = _split(req.match_version, name="match[version]") or ("last",)
    for v in versions:
        if v not in ("last", "first", "all"):
            parse_timestamp(v, location="match[version]")
    types = _split(req.match_type, name="match[type]")
    for t in types:
        if not t.replace("-", "").isalnum() or not t.isascii():
            raise InputError(
                f"{t!r} is not a STIX type", code="intel.bad_match", location="match[type]"
            )
    ids = _split(req.match_id, name="match[id]")
    if req.object_id is not None:
        ids = (req.object_id,)
    return Query(
        added_after_us=(
            parse_timestamp(req.added_after, location="added_after")
            if req.added_after is not None
            else None
        ),
        after=Cursor.parse(req.next) if req.next is not None else None,
        limit=req.limit,
        ids=ids,
        types=types,
        versions=versions,
        spec_versions=_split(req.match_spec_version, name="match[spec_version]"),
    )


def intel_capabilities(*, engine: Engine, clock: Clock | None = None) -> list[Capability[Any]]:
    clock = clock or SystemClock()
    store = IntelStore(engine, clock=clock)

    def create(req: CollectionCreate, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        owner: str | None = who.org
        if req.owner_org is not None:
            if who.kind is not PrincipalKind.OWNER:
                raise DeniedError(
                    "only the local owner may create a collection for another organisation",
                    code="intel.not_owner",
                )
            owner = req.owner_org
        coll = store.create_collection(
            title=req.title,
            description=req.description,
            owner_org=owner,
            created_by=who.id,
            tlp=Tlp.parse(req.tlp),
        )
        return {**coll.to_taxii(who), "tlp": coll.tlp.label, "owner_org": coll.owner_org}

    def collections(_req: CollectionsRequest, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        return {"collections": [c.to_taxii(who) for c in store.collections() if c.readable_by(who)]}

    def collection(req: CollectionRequest, ctx: InvocationContext) -> dict[str, Any]:
        return readable(store, req.collection, ctx.principal).to_taxii(ctx.principal)

    def objects(req: ObjectsRequest, ctx: InvocationContext) -> dict[str, Any]:
        coll = readable(store, req.collection, ctx.principal)
        page = store.page(coll, _query(req), reader=ctx.principal)
        if req.object_id is not None and not page.objects and req.next is None:
            raise NotFoundError(f"no object {req.object_id!r}", code="intel.no_object")
        return {
            "more": page.more,
            "next": page.next,
            "objects": page.objects,
            "date_added_first": (
                format_timestamp(page.first_added_us) if page.first_added_us is not None else None
            ),
            "date_added_last": (
                format_timestamp(page.last_added_us) if page.last_added_us is not None else None
            ),
        }

    def add(req: ObjectsAdd, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        coll = readable(store, req.collection, who)
        if not coll.writable_by(who):
            raise DeniedError(
                "only members of the collection's organisation may add objects",
                code="intel.not_writer",
            )
        successes, failures = store.add(coll, req.objects, added_by=who)
        body: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "status": "complete",
            "request_timestamp": format_timestamp(int(ctx.now.timestamp() * 1_000_000)),
            "total_count": len(req.objects),
            "success_count": len(successes),
            "successes": [{"id": s.id, "version": s.version} for s in successes],
            "failure_count": len(failures),
            "failures": [{"id": f.id, "message": f.message} for f in failures],
            "pending_count": 0,
        }
        store.save_status(collection_id=coll.id, created_by=who.id, body=body)
        return body

    def status(req: StatusRequest, ctx: InvocationContext) -> dict[str, Any]:
        return store.status(req.status_id, reader=ctx.principal)

    def export(req: ExportRequest, ctx: InvocationContext) -> dict[str, Any]:
        coll = readable(store, req.collection, ctx.principal)
        out: list[dict[str, Any]] = []
        after: Cursor | None = None
        while True:
            page = store.page(
                coll, Query(after=after, limit=MAX_PAGE, versions=("all",)), reader=ctx.principal
            )
            out.extend(page.objects)
            if not page.more or page.next is None:
                break
            after = Cursor.parse(page.next)
        return {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": out}

    def cap(
        cid: str,
        description: str,
        model: type[BaseModel],
        handler: Any,
        tier: Tier = Tier.PUBLIC,
        **kw: Any,
    ) -> Capability[Any]:
        return Capability(
            id=CapabilityId(cid),
            description=description,
            min_tier=tier,
            input_model=model,
            handler=handler,
            **kw,
        )

    return [
        cap(
            "intel.collection.create",
            "Create a TAXII collection owned by your organisation, with a default TLP.",
            CollectionCreate,
            create,
            Tier.VERIFIED_INDIVIDUAL,
            writes=True,
        ),
        cap(
            "intel.collections",
            "The TAXII collections you may read.",
            CollectionsRequest,
            collections,
        ),
        cap("intel.collection", "One TAXII collection.", CollectionRequest, collection),
        cap(
            "intel.objects",
            "STIX objects of a collection, one page, filtered by TLP for you.",
            ObjectsRequest,
            objects,
        ),
        cap(
            "intel.objects.add",
            "Add STIX 2.1 objects to a collection (valid ones are stored, every version kept).",
            ObjectsAdd,
            add,
            Tier.VERIFIED_INDIVIDUAL,
            writes=True,
        ),
        cap("intel.status", "The status of an add request you made.", StatusRequest, status),
        cap(
            "intel.export",
            "Every object version of a collection you may read, as a STIX bundle.",
            ExportRequest,
            export,
        ),
    ]
