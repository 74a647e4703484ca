"""The intel capabilities, each called through the door.

Reads (tier 0; every one filtered per recipient by TLP 2.0 and the collection's addressing):
collections, objects, one object, versions, manifest, search, export, sightings, ATT&CK tag
resolution. Writes (tier 1, members of the collection's owner organisation or of an
organisation it lets write): add, delete, addressing, sharing groups, sightings. Peer sync
fetches from another server, an allowed peer only (``intel.peers``): tier 3. Export may apply
the owner organisation's sanitize policy (``intel.sanitize``).
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import AuthError, DeniedError, InputError, NotFoundError
from shieldwall.core.types import (
    Capability,
    CapabilityId,
    InvocationContext,
    Principal,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.attack import parse_tag
from shieldwall.intel.extract import extract_capability
from shieldwall.intel.peers import Peers
from shieldwall.intel.sanitize import SanitizePolicies, sanitize
from shieldwall.intel.sharing import Group, speaks_for
from shieldwall.intel.sightings import Sightings
from shieldwall.intel.store import (
    DEFAULT_PAGE,
    MAX_PAGE,
    Collection,
    Cursor,
    IntelStore,
    Page,
    Query,
    format_timestamp,
    parse_timestamp,
)
from shieldwall.intel.sync import SyncState, TaxiiPeer, pull
from shieldwall.intel.tlp import Tlp

MAX_OBJECTS = 10_000
_SPEC_VERSION = frozenset({"2.0", "2.1"})


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


class ObjectDelete(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)
    object_id: str = Field(min_length=1, max_length=300)
    match_version: str | None = Field(default=None, max_length=30_000)
    match_spec_version: str | None = Field(default=None, max_length=1000)


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)
    sanitize: bool = Field(
        default=False, description="Apply the owner organisation's sanitize policy."
    )


class StatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status_id: str = Field(min_length=1, max_length=64)


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)


class GroupMember(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group: str = Field(min_length=1, max_length=200, description="Its id or its name.")
    org: str = Field(min_length=1, max_length=64)
    can_write: bool = False
    remove: bool = False


class GroupsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SharingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)


class SyncStatusRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Address(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)
    kind: Literal["org", "group", "person"]
    target: str = Field(min_length=1, max_length=200)
    can_write: bool = False
    remove: bool = False


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: str = Field(min_length=1, max_length=600)
    types: list[str] = Field(default_factory=list, max_length=20)
    limit: int = Field(default=100, ge=1, le=1000)


class SightingRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicator: str = Field(min_length=1, max_length=300)
    count: int = Field(default=1, ge=1, le=999_999_999)
    first_seen: str = Field(max_length=40)
    last_seen: str = Field(max_length=40)
    sighting_id: str | None = Field(default=None, max_length=64)
    description: str = Field(default="", max_length=5_000)


class SightingsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicator: str = Field(min_length=1, max_length=300)


class AttackResolve(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tags: list[str] = Field(min_length=1, max_length=500)


class SyncRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(
        min_length=1, max_length=2000, description="An allowed peer: its name or TAXII API root."
    )
    remote_collection: str = Field(min_length=1, max_length=200)
    into: str = Field(min_length=1, max_length=200, description="The local collection.")
    token: str | None = Field(default=None, max_length=500)
    username: str | None = Field(default=None, max_length=320)
    password: str | None = Field(default=None, max_length=500)
    page_size: int = Field(default=1000, ge=1, le=1000)


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


def cap(
    cid: str,
    description: str,
    model: type[BaseModel],
    handler: Any,
    tier: Tier = Tier.PUBLIC,
    **kw: Any,
) -> Capability[Any]:
    """One intel capability declaration (shared by this module and ``intel.outbound``)."""
    return Capability(
        id=CapabilityId(cid),
        description=description,
        min_tier=tier,
        input_model=model,
        handler=handler,
        **kw,
    )


def readable(store: IntelStore, key: str, who: Principal) -> Collection:
    """The collection if this principal may read it; not found otherwise (existence of a
    collection one may not read is not confirmed). An anonymous caller is asked to
    authenticate instead (401 over TAXII), whether or not the collection exists."""
    try:
        coll = store.collection(key)
    except NotFoundError:
        coll = None
    if coll is None or not coll.readable_by(who):
        if who.kind is PrincipalKind.ANONYMOUS:
            raise AuthError(
                "authenticate to see this collection",
                code="intel.authenticate",
                hint="Send an API key (Bearer) or HTTP Basic credentials.",
            )
        raise NotFoundError(f"no collection {key!r}", code="intel.no_collection")
    return coll


def writable(store: IntelStore, key: str, who: Principal) -> Collection:
    coll = readable(store, key, who)
    if not coll.writable_by(who):
        raise DeniedError(
            "only members of the collection's organisation, or of an organisation it lets "
            "write, may change it",
            code="intel.not_writer",
        )
    return coll


def _versions(value: str | None, default: str) -> tuple[str, ...]:
    versions = _split(value, name="match[version]") or (default,)
    for v in versions:
        if v not in ("last", "first", "all"):
            parse_timestamp(v, location="match[version]")
    return versions


def _spec_versions(value: str | None) -> tuple[str, ...]:
    found = _split(value, name="match[spec_version]")
    for v in found:
        if v not in _SPEC_VERSION:
            raise InputError(
                f"{v!r} is not a STIX spec version (2.0 or 2.1)",
                code="intel.bad_match",
                location="match[spec_version]",
            )
    return found


def _query(req: ObjectsRequest) -> Query:
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
        versions=_versions(req.match_version, "last"),
        spec_versions=_spec_versions(req.match_spec_version),
    )


def _envelope(page: Page, key: str) -> dict[str, Any]:
    return {
        "more": page.more,
        "next": page.next,
        key: page.objects,
        "date_added_first": (
            format_timestamp(page.first_added_us) if page.first_added_us is not None else None
        ),
        "date_added_last": (
            format_timestamp(page.last_added_us) if page.last_added_us is not None else None
        ),
    }


def _group(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "owner_org": group.owner_org,
        "members": [{"org": org, "can_write": w} for org, w in group.members],
    }


def intel_capabilities(*, engine: Engine, clock: Clock | None = None) -> list[Capability[Any]]:
    clock = clock or SystemClock()
    store = IntelStore(engine, clock=clock)
    sightings = Sightings(engine, store, clock=clock)
    sync_state = SyncState(engine, clock=clock)
    peers = Peers(engine, clock=clock)
    policies = SanitizePolicies(engine, clock=clock)

    def create(req: CollectionCreate, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        owner: str | None = who.org
        if who.kind is not PrincipalKind.OWNER and who.org is None:
            raise DeniedError(
                "only a member of an organisation may create a collection",
                code="intel.no_org",
                hint="Join or create an organisation first.",
            )
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
        return _envelope(page, "objects")

    def manifest(req: ObjectsRequest, ctx: InvocationContext) -> dict[str, Any]:
        coll = readable(store, req.collection, ctx.principal)
        return _envelope(store.manifest(coll, _query(req), reader=ctx.principal), "objects")

    def versions(req: ObjectsRequest, ctx: InvocationContext) -> dict[str, Any]:
        if req.object_id is None:
            raise InputError("which object?", code="intel.bad_parameter", location="object_id")
        if req.match_version is not None or req.match_id is not None or req.match_type:
            raise InputError(
                "the versions endpoint takes added_after, limit, next and match[spec_version]",
                code="intel.bad_parameter",
            )
        coll = readable(store, req.collection, ctx.principal)
        page = store.versions(coll, req.object_id, _query(req), reader=ctx.principal)
        if not page.objects and req.next is None and req.added_after is None:
            raise NotFoundError(f"no object {req.object_id!r}", code="intel.no_object")
        body = _envelope(page, "versions")
        body["versions"] = [v["version"] for v in page.objects]
        return body

    def delete(req: ObjectDelete, ctx: InvocationContext) -> dict[str, Any]:
        coll = writable(store, req.collection, ctx.principal)
        query = Query(
            versions=_versions(req.match_version, "all"),
            spec_versions=_spec_versions(req.match_spec_version),
        )
        gone = store.delete(coll, req.object_id, query, by=ctx.principal)
        if not gone:
            raise NotFoundError(f"no object {req.object_id!r}", code="intel.no_object")
        return {"deleted": gone}

    def add(req: ObjectsAdd, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        coll = writable(store, req.collection, who)
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
            "pendings": [],
        }
        store.save_status(collection_id=coll.id, created_by=who.id, body=body)
        return body

    def status(req: StatusRequest, ctx: InvocationContext) -> dict[str, Any]:
        if ctx.principal.kind is PrincipalKind.ANONYMOUS:
            raise AuthError("authenticate to read a status", code="intel.authenticate")
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
        bundle: dict[str, Any] = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}"}
        if not req.sanitize:
            return {**bundle, "objects": out}
        done = sanitize(out, policies.get(coll.owner_org), explicit_tlp=coll.tlp)
        report = {
            "policy_org": coll.owner_org,
            **done.summary(),
            "changes": [c.to_json() for c in done.changes],
        }
        return {**bundle, "objects": done.objects, "x_shieldwall_sanitize": report}

    def group_create(req: GroupCreate, ctx: InvocationContext) -> dict[str, Any]:
        return _group(store.sharing.create_group(name=req.name, by=ctx.principal))

    def group_member(req: GroupMember, ctx: InvocationContext) -> dict[str, Any]:
        group = store.sharing.set_member(
            req.group, req.org, can_write=req.can_write, by=ctx.principal, remove=req.remove
        )
        return _group(group)

    def groups(_req: GroupsRequest, ctx: InvocationContext) -> dict[str, Any]:
        """The groups the caller's organisation owns or belongs to (all, for the operator)."""
        who = ctx.principal
        mine = [
            g
            for g in store.sharing.groups()
            if who.kind is PrincipalKind.OWNER
            or (who.org is not None and (who.org in {m for m, _ in g.members}))
        ]
        return {"groups": [_group(g) for g in mine]}

    def address(req: Address, ctx: InvocationContext) -> dict[str, Any]:
        coll = readable(store, req.collection, ctx.principal)
        store.sharing.address(
            coll.id,
            coll.owner_org,
            kind=req.kind,
            target=req.target,
            can_write=req.can_write,
            by=ctx.principal,
            remove=req.remove,
        )
        fresh = store.collection(coll.id)
        aud = fresh.audience
        return {
            "collection": fresh.id,
            "orgs": sorted(aud.orgs),
            "people": sorted(aud.people),
            "writers": sorted(fresh.addressing.writers),
        }

    def sharing(req: SharingRequest, ctx: InvocationContext) -> dict[str, Any]:
        """Whom a collection is addressed to: for its owner organisation (and the operator)."""
        coll = readable(store, req.collection, ctx.principal)
        if not speaks_for(ctx.principal, coll.owner_org):
            raise DeniedError(
                "only the collection's owner organisation may see whom it addresses",
                code="intel.not_collection_owner",
            )
        aud = coll.audience
        return {
            "collection": coll.id,
            "tlp": coll.tlp.label,
            "owner_org": coll.owner_org,
            "shares": store.sharing.shares(coll.id),
            "orgs": sorted(aud.orgs),
            "people": sorted(aud.people),
            "writers": sorted(coll.addressing.writers),
        }

    def sync_status(_req: SyncStatusRequest, ctx: InvocationContext) -> dict[str, Any]:
        """Where each pull from a peer stands, for the local collections the caller may read."""
        peers = []
        for peer in sync_state.peers():
            if peer.get("direction") == "hunt":  # a retro-hunt's watermark (retrohunt.py)
                continue
            try:
                readable(store, str(peer["local_collection"]), ctx.principal)
            except (NotFoundError, DeniedError, AuthError):
                continue
            peers.append(peer)
        return {"peers": peers}

    def search(req: SearchRequest, ctx: InvocationContext) -> dict[str, Any]:
        hits = store.search(req.term, reader=ctx.principal, types=tuple(req.types), limit=req.limit)
        return {"results": [{"collection": c.id, "object": o} for c, o in hits]}

    def sighting_record(req: SightingRecord, ctx: InvocationContext) -> dict[str, Any]:
        return sightings.record(
            indicator_id=req.indicator,
            count=req.count,
            first_seen=req.first_seen,
            last_seen=req.last_seen,
            by=ctx.principal,
            sighting_id=req.sighting_id,
            description=req.description,
        )

    def sighting_tally(req: SightingsRequest, ctx: InvocationContext) -> dict[str, Any]:
        t = sightings.tally(req.indicator, reader=ctx.principal)
        return {
            "indicator": t.indicator_id,
            "count": t.count,
            "sightings": t.sightings,
            "first_seen": t.first_seen,
            "last_seen": t.last_seen,
        }

    def attack_resolve(req: AttackResolve, ctx: InvocationContext) -> dict[str, Any]:
        out: list[dict[str, Any]] = []
        for tag in req.tags:
            parsed = parse_tag(tag)
            found: dict[str, Any] | None = None
            if parsed is not None:
                kinds = {
                    "technique": ("attack-pattern",),
                    "tactic": ("x-mitre-tactic",),
                    "group": ("intrusion-set",),
                    "software": ("malware", "tool"),
                    "mitigation": ("course-of-action",),
                    "campaign": ("campaign",),
                    "data-source": ("x-mitre-data-source",),
                }[parsed.kind]
                hits = store.search(parsed.term, reader=ctx.principal, types=kinds, limit=1)
                if hits:
                    obj = hits[0][1]
                    found = {"id": obj.get("id"), "name": obj.get("name"), "type": obj.get("type")}
            out.append(
                {
                    "tag": tag,
                    "kind": parsed.kind if parsed else None,
                    "alias_of": parsed.alias_of if parsed else None,
                    "resolved": found,
                }
            )
        return {"tags": out}

    def sync(req: SyncRequest, ctx: InvocationContext) -> dict[str, Any]:
        allowed = peers.require(req.url, "pull")  # only from a peer an operator approved
        into = writable(store, req.into, ctx.principal)
        with TaxiiPeer(
            allowed.api_root, token=req.token, username=req.username, password=req.password
        ) as peer:
            result = pull(
                store,
                sync_state,
                peer,
                remote=req.remote_collection,
                into=into,
                by=ctx.principal,
                page_size=req.page_size,
            )
        return {
            "pages": result.pages,
            "received": result.received,
            "stored_new": result.stored_new,
            "rejected": result.rejected,
            "added_after": result.added_after,
        }

    member = Tier.VERIFIED_INDIVIDUAL
    return [
        cap(
            "intel.collection.create",
            "Create a TAXII collection owned by your organisation, with a default TLP.",
            CollectionCreate,
            create,
            member,
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
            "intel.manifest",
            "The manifest (id, date added, version) of a collection's objects you may read.",
            ObjectsRequest,
            manifest,
        ),
        cap("intel.versions", "The versions of one object you may read.", ObjectsRequest, versions),
        cap(
            "intel.objects.add",
            "Add STIX 2.1 objects to a collection (valid ones are stored, every version kept).",
            ObjectsAdd,
            add,
            member,
            writes=True,
        ),
        cap(
            "intel.object.delete",
            "Delete an object's versions (all, or those matched) from a collection you write.",
            ObjectDelete,
            delete,
            member,
            writes=True,
        ),
        cap("intel.status", "The status of an add request you made.", StatusRequest, status),
        cap(
            "intel.export",
            "Every object version of a collection you may read, as a STIX bundle.",
            ExportRequest,
            export,
        ),
        cap(
            "intel.group.create",
            "Create a sharing group owned by your organisation.",
            GroupCreate,
            group_create,
            member,
            writes=True,
        ),
        cap(
            "intel.group.member",
            "Add, change or remove an organisation of a sharing group you own.",
            GroupMember,
            group_member,
            member,
            writes=True,
        ),
        cap(
            "intel.groups",
            "The sharing groups your organisation is in.",
            GroupsRequest,
            groups,
            member,
        ),
        cap(
            "intel.collection.sharing",
            "Whom your organisation's collection is addressed to (organisations, groups, "
            "people) and who may add to it.",
            SharingRequest,
            sharing,
            member,
        ),
        cap(
            "intel.sync.status",
            "Where each pull from a peer hub stands, for the collections you may read.",
            SyncStatusRequest,
            sync_status,
            member,
        ),
        cap(
            "intel.collection.address",
            "Address your collection to an organisation or group (TLP:AMBER) or a person (RED).",
            Address,
            address,
            member,
            writes=True,
        ),
        cap(
            "intel.search",
            "Objects you may read that carry a value, an ATT&CK/CAPEC/CVE id or a tactic.",
            SearchRequest,
            search,
        ),
        cap(
            "intel.sighting.record",
            "Record a sighting of an indicator you may read (idempotent by sighting id).",
            SightingRecord,
            sighting_record,
            member,
            writes=True,
        ),
        cap(
            "intel.sightings",
            "How often an indicator was sighted, over the sightings you may read.",
            SightingsRequest,
            sighting_tally,
        ),
        cap(
            "intel.attack.resolve",
            "Resolve ATT&CK tags (attack.t1055, attack.stealth, ...) to imported objects.",
            AttackResolve,
            attack_resolve,
        ),
        cap(
            "intel.sync",
            "Pull a collection from a peer TAXII 2.1 server into a local collection.",
            SyncRequest,
            sync,
            Tier.VETTED_DEFENDER,
            writes=True,
            touches_external=True,
            secret_fields=("token", "password"),
        ),
        extract_capability(store),
    ]
