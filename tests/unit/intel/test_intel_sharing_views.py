"""The hub's read views of sharing: whom a collection is addressed to (its owner organisation
only) and where each pull from a peer stands (for collections the caller may read). Handlers
are called as the door calls them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from shieldwall.core.errors import DeniedError
from shieldwall.core.types import (
    CapabilityId,
    Decision,
    DecisionKind,
    InvocationContext,
    OrgId,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.capabilities import intel_capabilities
from shieldwall.intel.sync import SyncState
from shieldwall.store import open_store


def member(pid: str, org: str) -> Principal:
    return Principal(
        id=PrincipalId(pid), kind=PrincipalKind.API_KEY, tier=Tier.VERIFIED_ORG, org=OrgId(org)
    )


ALICE = member("user:alice", "water-utility")
BOB = member("user:bob", "city")


@pytest.fixture
def hub(tmp_path: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    engine = open_store(f"sqlite:///{tmp_path / 'hub.db'}")
    caps = {str(c.id): c for c in intel_capabilities(engine=engine)}
    yield engine, caps
    engine.dispose()


def call(caps: dict[str, Any], cid: str, who: Principal, **request: Any) -> Any:
    cap = caps[cid]
    ctx = InvocationContext(
        principal=who,
        capability=CapabilityId(cid),
        decision=Decision(kind=DecisionKind.ALLOW, reasons=()),
        decision_index=None,
        now=datetime(2026, 11, 27, tzinfo=UTC),
    )
    return cap.handler(cap.input_model.model_validate(request), ctx)


def test_the_owner_sees_whom_a_collection_is_addressed_to(hub: Any) -> None:
    _engine, caps = hub
    coll = call(caps, "intel.collection.create", ALICE, title="pumps", tlp="amber")
    group = call(caps, "intel.group.create", ALICE, name="water")
    call(caps, "intel.group.member", ALICE, group=group["id"], org="city", can_write=True)
    call(caps, "intel.collection.address", ALICE, collection=coll["id"], kind="group",
         target=group["id"], can_write=True)  # fmt: skip
    call(caps, "intel.collection.address", ALICE, collection=coll["id"], kind="person",
         target="user:carol")  # fmt: skip

    view = call(caps, "intel.collection.sharing", ALICE, collection=coll["id"])

    assert view["tlp"] == "amber"
    assert view["owner_org"] == "water-utility"
    assert view["shares"] == [
        {"kind": "group", "target": group["id"], "name": "water", "can_write": True},
        {"kind": "person", "target": "user:carol", "name": "user:carol", "can_write": False},
    ]
    assert "city" in view["orgs"]
    assert view["people"] == ["user:carol"]
    assert "city" in view["writers"]
    # a reader of the collection who is not its owner may not see whom it addresses
    with pytest.raises(DeniedError, match="owner organisation"):
        call(caps, "intel.collection.sharing", BOB, collection=coll["id"])


def test_sync_status_lists_pulls_into_collections_the_caller_reads(hub: Any) -> None:
    engine, caps = hub
    mine = call(caps, "intel.collection.create", ALICE, title="pulled", tlp="amber+strict")
    SyncState(engine).put(
        "k1",
        url="https://peer.example/taxii2/api/",
        remote="remote-1",
        local=mine["id"],
        added_after="2026-11-26T10:00:00.000000Z",
    )
    (peer,) = call(caps, "intel.sync.status", ALICE)["peers"]
    assert peer["url"] == "https://peer.example/taxii2/api/"
    assert peer["local_collection"] == mine["id"]
    assert peer["added_after"] == "2026-11-26T10:00:00.000000Z"
    assert call(caps, "intel.sync.status", BOB)["peers"] == []  # AMBER+STRICT: not his
