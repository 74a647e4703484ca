"""The capabilities of what leaves an organisation, each called through the door.

- ``intel.peer.add`` / ``intel.peer.remove`` (hub admins, tier 3) and ``intel.peer.list``:
  the allow-list of TAXII servers this hub pulls from and pushes to (``intel.peers``);
- ``intel.sanitize.policy.set`` / ``intel.sanitize.policy.get``: an organisation's sanitize
  policy, for its admins (and hub admins); ``intel.sanitize.preview``: what would leave a
  collection (for an export, or a push to a named peer) and every change, for the
  collection's owner organisation;
- ``intel.sync.push`` (tier 3, the collection's owner organisation): push a collection's new
  objects to an allowed peer, sanitized and within the peer's TLP (``intel.push``).
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import DeniedError, InputError, NotFoundError
from shieldwall.core.types import (
    Capability,
    InvocationContext,
    Principal,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.capabilities import cap, readable
from shieldwall.intel.peers import Peers
from shieldwall.intel.push import TaxiiSink, count_by_rule, outgoing, push
from shieldwall.intel.sanitize import SanitizePolicies, SanitizePolicy
from shieldwall.intel.sharing import speaks_for
from shieldwall.intel.store import MAX_PAGE, Collection, Cursor, IntelStore, Query
from shieldwall.intel.sync import SyncState
from shieldwall.intel.tlp import Tlp

MAX_PREVIEW = 10_000


class _Account(Protocol):
    @property
    def hub_admin(self) -> bool: ...


class Directory(Protocol):
    """Who administers what (the gateway's identities)."""

    def get_user(self, user_id: str) -> _Account: ...

    def role(self, user_id: str, org_id: str) -> str | None: ...


class PeerAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)
    url: str = Field(min_length=1, max_length=2000, description="The peer's TAXII API root.")
    pull: bool = True
    push: bool = False
    max_tlp: str = Field(default="green", max_length=16, description="clear, green or amber.")


class PeerName(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64)


class PeersRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PolicyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    org: str | None = Field(default=None, max_length=64, description="Default: your own.")


def _names() -> Any:
    return Field(default_factory=list, max_length=1000)


class PolicySet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    org: str | None = Field(default=None, max_length=64, description="Default: your own.")
    domains: list[str] = _names()
    hostnames: list[str] = _names()
    networks: list[str] = _names()
    usernames: list[str] = _names()
    email_domains: list[str] = _names()
    strip_all_emails: bool = False


class PreviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    collection: str = Field(min_length=1, max_length=200)
    peer: str | None = Field(default=None, max_length=2000, description="A push to this peer.")
    limit: int = Field(default=1000, ge=1, le=MAX_PREVIEW)


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(
        min_length=1, max_length=2000, description="An allowed peer: its name or API root."
    )
    collection: str = Field(min_length=1, max_length=200, description="The local collection.")
    remote_collection: str = Field(min_length=1, max_length=200)
    token: str | None = Field(default=None, max_length=500)
    username: str | None = Field(default=None, max_length=320)
    password: str | None = Field(default=None, max_length=500)
    page_size: int = Field(default=500, ge=1, le=MAX_PAGE)
    max_pages: int | None = Field(default=None, ge=1, description="Stop after so many pages.")


def outbound_capabilities(
    *, engine: Engine, directory: Directory, clock: Clock | None = None
) -> list[Capability[Any]]:
    clock = clock or SystemClock()
    store = IntelStore(engine, clock=clock)
    peers = Peers(engine, clock=clock)
    policies = SanitizePolicies(engine, clock=clock)
    state = SyncState(engine, clock=clock)

    def hub_admin(who: Principal) -> bool:
        if who.kind is PrincipalKind.OWNER:
            return True
        if who.kind is not PrincipalKind.API_KEY or not who.user:
            return False
        try:
            return bool(directory.get_user(who.user).hub_admin)
        except NotFoundError:
            return False

    def org_admin(who: Principal, org: str | None) -> bool:
        if hub_admin(who):
            return True
        if org is None or who.kind is not PrincipalKind.API_KEY or not who.user:
            return False
        return directory.role(who.user, org) == "admin"

    def require_hub_admin(who: Principal) -> None:
        if not hub_admin(who):
            raise DeniedError(
                "only a hub admin approves the peers this hub syncs with",
                code="intel.not_hub_admin",
                hint="Ask the hub's operator.",
            )

    def policy_org(who: Principal, org: str | None) -> str | None:
        """The organisation a policy request is about (None: the hub operator's), if ``who``
        administers it."""
        if org is None and who.kind is not PrincipalKind.OWNER:
            if who.org is None:
                raise InputError(
                    "which organisation's policy?", code="intel.no_org", hint="Name it with org."
                )
            org = who.org
        if not org_admin(who, org):
            raise DeniedError(
                f"only an admin of {org or 'the hub operator'} manages its sanitize policy",
                code="intel.not_org_admin",
                hint="Ask one of the organisation's admins.",
            )
        return org

    def owner_side(coll: Collection, who: Principal) -> None:
        if not (speaks_for(who, coll.owner_org) or org_admin(who, coll.owner_org)):
            raise DeniedError(
                "only the collection's owner organisation decides what leaves it",
                code="intel.not_collection_owner",
            )

    def peer_add(req: PeerAdd, ctx: InvocationContext) -> dict[str, Any]:
        require_hub_admin(ctx.principal)
        peer = peers.add(
            name=req.name,
            url=req.url,
            pull=req.pull,
            push=req.push,
            max_tlp=Tlp.parse(req.max_tlp),
            by=ctx.principal.id,
        )
        return peer.to_json()

    def peer_remove(req: PeerName, ctx: InvocationContext) -> dict[str, Any]:
        require_hub_admin(ctx.principal)
        if not peers.remove(req.name):
            raise NotFoundError(f"no peer {req.name!r}", code="intel.no_peer")
        return {"removed": req.name.strip().lower()}

    def peer_list(_req: PeersRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return {"peers": [p.to_json() for p in peers.list()]}

    def policy_set(req: PolicySet, ctx: InvocationContext) -> dict[str, Any]:
        org = policy_org(ctx.principal, req.org)
        policy = SanitizePolicy.parse(
            domains=req.domains,
            hostnames=req.hostnames,
            networks=req.networks,
            usernames=req.usernames,
            email_domains=req.email_domains,
            strip_all_emails=req.strip_all_emails,
        )
        policies.put(org, policy, by=ctx.principal.id)
        return {"org": org, "policy": policy.to_json()}

    def policy_get(req: PolicyRequest, ctx: InvocationContext) -> dict[str, Any]:
        org = policy_org(ctx.principal, req.org)
        return {"org": org, "policy": policies.get(org).to_json()}

    def preview(req: PreviewRequest, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        coll = readable(store, req.collection, who)
        owner_side(coll, who)
        peer = peers.require(req.peer, "push") if req.peer else None
        objects: list[dict[str, Any]] = []
        after: Cursor | None = None
        more = True
        while more and len(objects) < req.limit:
            page = store.page(
                coll,
                Query(
                    after=after, limit=min(MAX_PAGE, req.limit - len(objects)), versions=("all",)
                ),
                reader=who,
            )
            objects += page.objects
            more = page.more and page.next is not None
            after = Cursor.parse(page.next) if page.next else None
        out = outgoing(
            store,
            coll,
            objects,
            policies.get(coll.owner_org),
            reader=who,
            max_tlp=peer.max_tlp if peer else None,
        )
        done = out.sanitized
        return {
            "collection": coll.id,
            "policy_org": coll.owner_org,
            "peer": peer.name if peer else None,
            "max_tlp": peer.max_tlp.label if peer else None,
            "read": len(objects),
            "truncated": more,
            "above_tlp": out.above_tlp,
            **done.summary(),
            "by_rule": count_by_rule(done.changes),
            "changes": [c.to_json() for c in done.changes],
            "objects": done.objects,
        }

    def sync_push(req: PushRequest, ctx: InvocationContext) -> dict[str, Any]:
        who = ctx.principal
        peer = peers.require(req.url, "push")
        coll = readable(store, req.collection, who)
        owner_side(coll, who)
        with TaxiiSink(
            peer.api_root,
            req.remote_collection,
            token=req.token,
            username=req.username,
            password=req.password,
        ) as sink:
            result = push(
                store,
                state,
                sink,
                peer=peer,
                remote=req.remote_collection,
                collection=coll,
                policy=policies.get(coll.owner_org),
                by=who,
                engine=engine,
                page_size=req.page_size,
                max_pages=req.max_pages,
            )
        return {"peer": peer.name, "max_tlp": peer.max_tlp.label, **result.to_json()}

    member = Tier.VERIFIED_INDIVIDUAL
    return [
        cap(
            "intel.peer.add",
            "Allow a TAXII peer to be pulled from and/or pushed to, with the most restrictive "
            "TLP a push may send it (hub admins).",
            PeerAdd,
            peer_add,
            Tier.VETTED_DEFENDER,
            writes=True,
        ),
        cap(
            "intel.peer.remove",
            "Remove a peer from the allow-list (hub admins).",
            PeerName,
            peer_remove,
            Tier.VETTED_DEFENDER,
            writes=True,
        ),
        cap(
            "intel.peer.list",
            "The TAXII peers this hub may sync with.",
            PeersRequest,
            peer_list,
            member,
        ),
        cap(
            "intel.sanitize.policy.set",
            "Set what your organisation calls internal (domains, hosts, networks, usernames, "
            "e-mail domains), stripped before intel leaves it (its admins).",
            PolicySet,
            policy_set,
            member,
            writes=True,
        ),
        cap(
            "intel.sanitize.policy.get",
            "Your organisation's sanitize policy (its admins).",
            PolicyRequest,
            policy_get,
            member,
        ),
        cap(
            "intel.sanitize.preview",
            "What would leave a collection (an export, or a push to a peer) after sanitizing, "
            "with every change.",
            PreviewRequest,
            preview,
            member,
        ),
        cap(
            "intel.sync.push",
            "Push a collection's new objects to an allowed peer's TAXII collection, sanitized "
            "and within the peer's TLP.",
            PushRequest,
            sync_push,
            Tier.VETTED_DEFENDER,
            writes=True,
            touches_external=True,
            secret_fields=("token", "password"),
        ),
    ]
