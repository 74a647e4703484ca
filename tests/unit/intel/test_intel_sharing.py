"""Sharing groups, addressing and TLP 2.0 on every read path of the store, with a property
test: no principal ever reads an object (or a reference to one) its markings forbid, and
every principal reads all that they may."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import DeniedError, NotFoundError
from shieldwall.core.types import (
    ANONYMOUS,
    LOCAL_OWNER,
    OrgId,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.store import IntelStore, Query
from shieldwall.intel.tlp import TLP2_IDS, Tlp
from shieldwall.store import open_store

MARKING = {level: mid for mid, level in TLP2_IDS.items()}


def person(pid: str, org: str | None, tier: Tier = Tier.VERIFIED_INDIVIDUAL) -> Principal:
    return Principal(
        id=PrincipalId(pid),
        kind=PrincipalKind.API_KEY,
        tier=tier,
        org=OrgId(org) if org else None,
    )


PEOPLE = [
    ANONYMOUS,
    LOCAL_OWNER,
    person("user:a1", "o1"),
    person("user:a2", "o1"),
    person("user:b1", "o2"),
    person("user:c1", "o3", Tier.VERIFIED_ORG),
    person("user:d1", "o4"),
    person("user:e1", None),
    person("user:f1", "o1", Tier.PUBLIC),  # e-mail not verified
]


def allowed(who: Principal, level: Tlp, *, owner: str | None, orgs: set[str], people: set[str],
            creator: str) -> bool:  # fmt: skip
    """TLP 2.0 as the hub's policy states it, written out here independently of the code."""
    if level is Tlp.CLEAR:
        return True
    if who.kind is PrincipalKind.ANONYMOUS:
        return False
    if who.kind is PrincipalKind.API_KEY and who.tier < Tier.VERIFIED_INDIVIDUAL:
        return False
    in_owner = (owner is None and who.kind is PrincipalKind.OWNER) or (
        owner is not None and who.kind is PrincipalKind.API_KEY and who.org == owner
    )
    named = who.org is not None and who.org in orgs
    if level is Tlp.RED:
        return who.id in people or who.id == creator
    if level is Tlp.AMBER_STRICT:
        return in_owner
    if level is Tlp.AMBER:
        return in_owner or named
    return in_owner or named or who.tier >= Tier.VERIFIED_ORG or who.kind is PrincipalKind.OWNER


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2025, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def store(store_url: str) -> Iterator[IntelStore]:
    """On SQLite, and on PostgreSQL when SHIELDWALL_TEST_POSTGRES_URL is set."""
    engine = open_store(store_url)
    yield IntelStore(engine, clock=Clock())
    engine.dispose()


def indicator(n: int, level: Tlp | None, value: str) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "pattern": f"[ipv4-addr:value = '{value}']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    if level is not None:
        obj["object_marking_refs"] = [MARKING[level]]
    return obj


LEVEL = st.sampled_from([None, *Tlp])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    coll_tlp=st.sampled_from(list(Tlp)),
    owner=st.sampled_from([None, "o1"]),
    named=st.sets(st.sampled_from(["o2", "o3", "o4"])),
    via_group=st.sets(st.sampled_from(["o2", "o4"])),
    red_people=st.sets(st.sampled_from(["user:b1", "user:a2", "owner:local", "user:c1"])),
    objects=st.lists(st.tuples(LEVEL, st.sampled_from(range(len(PEOPLE)))), min_size=1, max_size=6),
    report_level=LEVEL,
)
def test_no_principal_reads_what_its_markings_forbid(
    store: IntelStore,
    coll_tlp: Tlp,
    owner: str | None,
    named: set[str],
    via_group: set[str],
    red_people: set[str],
    objects: list[tuple[Tlp | None, int]],
    report_level: Tlp | None,
) -> None:
    tag = uuid.uuid4().hex[:8]
    coll = store.create_collection(
        title=f"c-{tag}", description="", owner_org=owner, created_by="x", tlp=coll_tlp
    )
    admin = LOCAL_OWNER if owner is None else person("user:a1", owner)
    for org in named:
        store.sharing.address(coll.id, owner, kind="org", target=org, can_write=False, by=admin)
    if via_group:
        group = store.sharing.create_group(name=f"g-{tag}", by=LOCAL_OWNER)
        for org in via_group:
            store.sharing.set_member(group.id, org, can_write=False, by=LOCAL_OWNER)
        store.sharing.address(
            coll.id, owner, kind="group", target=group.id, can_write=False, by=admin
        )
    for pid in red_people:
        store.sharing.address(coll.id, owner, kind="person", target=pid, can_write=False, by=admin)
    coll = store.collection(coll.id)
    truth: dict[str, tuple[Tlp, str]] = {}
    value = "10." + ".".join(str(int(tag[i : i + 2], 16)) for i in (0, 2, 4))
    for i, (level, adder) in enumerate(objects):
        obj = indicator(i + 1, level, value)
        _, bad = store.add(coll, [obj], added_by=PEOPLE[adder])
        assert not bad
        truth[obj["id"]] = (level if level is not None else coll_tlp, PEOPLE[adder].id)
    report = {
        "type": "report",
        "spec_version": "2.1",
        "id": f"report--{uuid.uuid4()}",
        "created": "2024-01-02T00:00:00.000Z",
        "modified": "2024-01-02T00:00:00.000Z",
        "name": "r",
        "published": "2024-01-02T00:00:00Z",
        "object_refs": sorted(truth),
    }
    if report_level is not None:
        report["object_marking_refs"] = [MARKING[report_level]]
    store.add(coll, [report], added_by=LOCAL_OWNER)
    truth[report["id"]] = (report_level if report_level is not None else coll_tlp, LOCAL_OWNER.id)
    orgs = named | via_group

    for who in PEOPLE:

        def may(oid: str, who: Principal = who) -> bool:
            level, creator = truth[oid]
            return allowed(
                who, coll_tlp, owner=owner, orgs=orgs, people=red_people, creator="-"
            ) and allowed(who, level, owner=owner, orgs=orgs, people=red_people, creator=creator)

        if not coll.readable_by(who):
            assert not allowed(
                who, coll_tlp, owner=owner, orgs=orgs, people=red_people, creator="-"
            )
            continue
        page = store.page(coll, Query(limit=1000, versions=("all",)), reader=who)
        got = {o["id"] for o in page.objects}
        expected = {oid for oid in truth if may(oid)}
        # The report is withheld when it would be left citing nothing the reader may see.
        cited = {oid for oid in expected if oid.startswith("indicator--")}
        if not cited:
            expected.discard(report["id"])
        assert got == expected, who.id
        for obj in page.objects:
            for ref in obj.get("object_refs", []):
                assert may(ref), (who.id, ref)
        manifest = store.manifest(coll, Query(limit=1000, versions=("all",)), reader=who)
        assert {r["id"] for r in manifest.objects} == {oid for oid in truth if may(oid)}
        for oid in truth:
            if not oid.startswith("indicator--"):
                continue
            single = store.page(coll, Query(ids=(oid,)), reader=who).objects
            assert bool(single) == may(oid)
            versions = store.versions(coll, oid, Query(), reader=who).objects
            assert bool(versions) == may(oid)
        found = {o["id"] for c, o in store.search(value, reader=who) if c.id == coll.id}
        assert found == {oid for oid in truth if oid.startswith("indicator--") and may(oid)}


def test_groups_and_addressing_need_the_owner(store: IntelStore) -> None:
    alice, bob = person("user:a1", "o1"), person("user:b1", "o2")
    group = store.sharing.create_group(name="isac", by=alice)
    assert group.members == (("o1", True),)
    with pytest.raises(DeniedError):
        store.sharing.set_member("isac", "o2", can_write=True, by=bob)
    store.sharing.set_member("isac", "o2", can_write=False, by=alice)
    assert store.sharing.group("isac").members == (("o1", True), ("o2", False))
    coll = store.create_collection(
        title="o1 feed", description="", owner_org="o1", created_by=alice.id, tlp=Tlp.AMBER
    )
    for intruder in (bob, LOCAL_OWNER):  # not even the operator widens another org's intel
        with pytest.raises(DeniedError):
            store.sharing.address(
                coll.id, "o1", kind="org", target="o9", can_write=False, by=intruder
            )
    store.sharing.address(coll.id, "o1", kind="group", target="isac", can_write=True, by=alice)
    coll = store.collection(coll.id)
    assert coll.readable_by(bob)
    assert not coll.writable_by(bob)  # the group gives write, but o2's membership does not
    store.sharing.set_member("isac", "o2", can_write=True, by=alice)
    assert store.collection(coll.id).writable_by(bob)
    with pytest.raises(NotFoundError):
        store.sharing.group("nope")
