"""Sharing groups (MISP-style) and collection addressing.

A sharing group is a named set of organisations, each with read or read/write rights. A
collection is addressed to organisations and groups (its TLP:AMBER audience, and writers where
``can_write``) and to named people (its TLP:RED audience). Who may change what:

- a group: its owner organisation's members, or the hub operator;
- a collection's addressing: its owner organisation's members, or the hub operator for the
  collections the operator owns. The operator cannot address another organisation's
  collection: that would widen its intelligence without its owner's consent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, delete, exc, insert, select

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import DeniedError, InputError, NotFoundError
from shieldwall.core.types import Principal, PrincipalKind, Tier
from shieldwall.intel.tlp import Audience
from shieldwall.store.schema import intel_group, intel_group_member, intel_share

ShareKind = Literal["org", "group", "person"]
SHARE_KINDS: tuple[ShareKind, ...] = ("org", "group", "person")


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    id: str
    name: str
    owner_org: str | None
    members: tuple[tuple[str, bool], ...]  # (org id, may write)


@dataclass(frozen=True, slots=True, kw_only=True)
class Addressing:
    """A collection's audience and the organisations (besides its owner) that may write."""

    audience: Audience
    writers: frozenset[str]


def speaks_for(who: Principal, org: str | None) -> bool:
    """Whether ``who`` acts for ``org`` (None: the hub operator's own)."""
    if org is None:
        return who.kind is PrincipalKind.OWNER
    return (
        who.kind is PrincipalKind.API_KEY
        and who.tier >= Tier.VERIFIED_INDIVIDUAL
        and who.org == org
    )


class Sharing:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        # Told after every committed change of a group or an addressing (the store forgets
        # the collections it remembers).
        self._on_change = on_change or (lambda: None)

    # -- groups ---------------------------------------------------------------------------
    def create_group(self, *, name: str, by: Principal) -> Group:
        if not name.strip() or len(name) > 200:
            raise InputError("a group needs a name of 1 to 200 characters", code="intel.bad_name")
        owner = None if by.kind is PrincipalKind.OWNER else by.org
        if by.kind is not PrincipalKind.OWNER and owner is None:
            raise DeniedError(
                "only a member of an organisation may create a sharing group",
                code="intel.no_org",
                hint="Join or create an organisation first.",
            )
        gid = str(uuid.uuid4())
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    insert(intel_group).values(
                        id=gid,
                        name=name.strip(),
                        owner_org=owner,
                        created_by=by.id,
                        created_at=self._clock.now(),
                    )
                )
                if owner is not None:  # the owner organisation is a member that may write
                    conn.execute(
                        insert(intel_group_member).values(
                            group_id=gid, org_id=owner, can_write=True, added_at=self._clock.now()
                        )
                    )
        except exc.IntegrityError as err:
            raise InputError(f"a group named {name!r} exists", code="intel.group_taken") from err
        self._on_change()
        return self.group(gid)

    def group(self, key: str) -> Group:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(intel_group).where((intel_group.c.id == key) | (intel_group.c.name == key))
            ).first()
            if row is None:
                raise NotFoundError(f"no sharing group {key!r}", code="intel.no_group")
            members = conn.execute(
                select(intel_group_member.c.org_id, intel_group_member.c.can_write)
                .where(intel_group_member.c.group_id == row.id)
                .order_by(intel_group_member.c.org_id)
            ).all()
        return Group(
            id=row.id,
            name=row.name,
            owner_org=row.owner_org,
            members=tuple((m.org_id, bool(m.can_write)) for m in members),
        )

    def groups(self) -> list[Group]:
        with self._engine.connect() as conn:
            ids = conn.execute(select(intel_group.c.id).order_by(intel_group.c.name)).scalars()
            keys = list(ids)
        return [self.group(k) for k in keys]

    def set_member(
        self, group_key: str, org_id: str, *, can_write: bool, by: Principal, remove: bool = False
    ) -> Group:
        group = self.group(group_key)
        if not speaks_for(by, group.owner_org):
            raise DeniedError(
                "only the group's owner organisation may change its members",
                code="intel.not_group_owner",
            )
        if not org_id or len(org_id) > 64:
            raise InputError("an organisation id has 1 to 64 characters", code="intel.bad_org")
        with self._engine.begin() as conn:
            conn.execute(
                delete(intel_group_member).where(
                    intel_group_member.c.group_id == group.id,
                    intel_group_member.c.org_id == org_id,
                )
            )
            if not remove:
                conn.execute(
                    insert(intel_group_member).values(
                        group_id=group.id,
                        org_id=org_id,
                        can_write=can_write,
                        added_at=self._clock.now(),
                    )
                )
        self._on_change()
        return self.group(group.id)

    # -- collection addressing ------------------------------------------------------------
    def address(
        self,
        collection_id: str,
        owner_org: str | None,
        *,
        kind: ShareKind,
        target: str,
        can_write: bool,
        by: Principal,
        remove: bool = False,
    ) -> None:
        if not speaks_for(by, owner_org):
            raise DeniedError(
                "only the collection's owner organisation may change whom it addresses",
                code="intel.not_collection_owner",
            )
        if kind not in SHARE_KINDS:
            raise InputError(
                f"kind must be one of {', '.join(SHARE_KINDS)}", code="intel.bad_share"
            )
        if kind == "group":
            target = self.group(target).id
        if not target or len(target) > 64:
            raise InputError("a share target has 1 to 64 characters", code="intel.bad_share")
        if kind == "person" and can_write:
            raise InputError(
                "people are addressed for TLP:RED reading; write rights go to organisations",
                code="intel.bad_share",
            )
        s = intel_share.c
        with self._engine.begin() as conn:
            conn.execute(
                delete(intel_share).where(
                    s.collection_id == collection_id, s.kind == kind, s.target == target
                )
            )
            if not remove:
                conn.execute(
                    insert(intel_share).values(
                        collection_id=collection_id,
                        kind=kind,
                        target=target,
                        can_write=can_write,
                        added_at=self._clock.now(),
                    )
                )
        self._on_change()

    def shares(self, collection_id: str) -> list[dict[str, object]]:
        """Whom the collection is addressed to, as stored: kind, target, its name (a group's
        name), and whether it may add objects."""
        s = intel_share.c
        g = intel_group.c
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(s.kind, s.target, s.can_write, g.name)
                .select_from(intel_share.outerjoin(intel_group, g.id == s.target))
                .where(s.collection_id == collection_id)
                .order_by(s.kind, s.target)
            ).all()
        return [
            {
                "kind": r.kind,
                "target": r.target,
                "name": r.name if r.kind == "group" and r.name else r.target,
                "can_write": bool(r.can_write),
            }
            for r in rows
        ]

    def addressing(self, collection_id: str, owner_org: str | None) -> Addressing:
        s = intel_share.c
        m = intel_group_member.c
        with self._engine.connect() as conn:
            shares = conn.execute(
                select(s.kind, s.target, s.can_write).where(s.collection_id == collection_id)
            ).all()
            groups = {r.target: bool(r.can_write) for r in shares if r.kind == "group"}
            members = (
                conn.execute(
                    select(m.group_id, m.org_id, m.can_write).where(m.group_id.in_(list(groups)))
                ).all()
                if groups
                else []
            )
        orgs = {r.target for r in shares if r.kind == "org"} | {r.org_id for r in members}
        writers = {r.target for r in shares if r.kind == "org" and r.can_write} | {
            r.org_id for r in members if r.can_write and groups[r.group_id]
        }
        return Addressing(
            audience=Audience(
                owner_org=owner_org,
                orgs=frozenset(orgs),
                people=frozenset(r.target for r in shares if r.kind == "person"),
            ),
            writers=frozenset(writers),
        )
