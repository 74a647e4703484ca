"""The fast read path of the store: page queries built once per shape give what the generic
conditions give, stored JSON is read back exactly, and remembered collections forget a change
of their audience at once."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import and_, select, update

from shieldwall.core.errors import StoreError
from shieldwall.core.types import (
    ANONYMOUS,
    LOCAL_OWNER,
    OrgId,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.store import Cursor, IntelStore, Query, load_object
from shieldwall.intel.tlp import TLP2_IDS, Tlp
from shieldwall.store import open_store
from shieldwall.store.schema import intel_collection, intel_object

MARKING = {level: mid for mid, level in TLP2_IDS.items()}


class Clock:
    def now(self) -> datetime:
        return datetime(2025, 1, 1, tzinfo=UTC)


def person(pid: str, org: str | None, tier: Tier = Tier.VERIFIED_INDIVIDUAL) -> Principal:
    return Principal(
        id=PrincipalId(pid), kind=PrincipalKind.API_KEY, tier=tier, org=OrgId(org) if org else None
    )


READERS = [
    ANONYMOUS,
    LOCAL_OWNER,
    person("user:a1", "o1"),
    person("user:b1", "o2"),
    person("user:c1", "o3", Tier.VERIFIED_ORG),
]


def stix(n: int, *, kind: str = "indicator", modified: str = "2024-01-01T00:00:00.000Z",
         level: Tlp | None = None, **extra: Any) -> dict[str, Any]:  # fmt: skip
    obj: dict[str, Any] = {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{uuid.UUID(int=n + 1, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified,
        **extra,
    }
    if kind == "indicator":
        obj.update(
            pattern=f"[ipv4-addr:value = '198.51.100.{n}']",
            pattern_type="stix",
            valid_from="2024-01-01T00:00:00Z",
        )
    else:
        obj["name"] = f"thing {n}"
    if level is not None:
        obj["object_marking_refs"] = [MARKING[level]]
    return obj


@pytest.fixture
def store(store_url: str) -> Iterator[IntelStore]:
    """On SQLite, and on PostgreSQL when SHIELDWALL_TEST_POSTGRES_URL is set."""
    engine = open_store(store_url)
    yield IntelStore(engine, clock=Clock())
    engine.dispose()


def generic_ids(
    store: IntelStore, coll: Any, query: Query, who: Principal
) -> list[tuple[str, int]]:
    """The page by the generic conditions (the form ``delete`` still uses)."""
    o = intel_object.c
    stmt = (
        select(o.object_id, o.modified_us)
        .where(and_(*store._conditions(coll, query, who)))
        .order_by(o.date_added_us)
        .limit(query.limit)
    )
    with store._engine.connect() as conn:
        return [(r.object_id, r.modified_us) for r in conn.execute(stmt)]


def test_every_query_shape_pages_as_the_generic_conditions_do(store: IntelStore) -> None:
    coll = store.create_collection(
        title="shapes", description="", owner_org="o1", created_by="user:a1", tlp=Tlp.CLEAR
    )
    other = store.create_collection(
        title="other", description="", owner_org=None, created_by="x", tlp=Tlp.CLEAR
    )
    levels = [None, Tlp.GREEN, Tlp.AMBER, Tlp.RED]
    objects = [stix(n, level=levels[n % 4]) for n in range(12)]
    objects += [stix(n, kind="malware", is_family=False, level=levels[n % 4]) for n in range(4)]
    objects += [stix(n, modified="2024-06-01T00:00:00.000Z") for n in range(0, 12, 3)]
    store.add(coll, objects, added_by=person("user:a1", "o1"))
    store.add(other, [stix(n) for n in range(5)], added_by=LOCAL_OWNER)
    all_rows = store.page(coll, Query(limit=1000, versions=("all",)), reader=LOCAL_OWNER)
    middle = all_rows.first_added_us or 0
    middle += 5
    some_ids = (objects[1]["id"], objects[3]["id"], objects[13]["id"])
    shapes = itertools.product(
        [None, middle],  # added_after
        [None, Cursor(date_added_us=middle + 3, object_id="x")],  # next
        [(), some_ids],  # match[id]
        [(), ("malware",)],  # match[type]
        [(), ("2.1",)],  # match[spec_version]
        [("last",), ("first",), ("all",), ("last", "first"), ("2024-06-01T00:00:00.000Z",)],
    )
    checked = 0
    for added_after, after, ids, types, specs, versions in shapes:
        query = Query(
            added_after_us=added_after,
            after=after,
            limit=7,
            ids=ids,
            types=types,
            spec_versions=specs,
            versions=versions,
        )
        for who in READERS:
            fast = store.page(coll, query, reader=who)
            got = [(o["id"], o["modified"]) for o in fast.objects]
            want = generic_ids(store, coll, query, who)
            assert [g[0] for g in got] == [w[0] for w in want], (query, who.id)
            checked += bool(want)
    assert checked > 100  # most shapes return something: the comparison is not vacuous
    # One statement per shape, reused: another collection's page has its own rows.
    assert [o["id"] for o in store.page(other, Query(), reader=LOCAL_OWNER).objects] == [
        stix(n)["id"] for n in range(5)
    ]


def test_stored_json_is_read_back_exactly() -> None:
    big = 123456789012345678901234567890
    for value in (big, -(2**70), 2**64 - 1, 1.5, 1e300, "x\u2028\U0001f600", None):
        raw = json.dumps({"id": "x--1", "v": value}, separators=(",", ":"), ensure_ascii=False)
        loaded = load_object(raw)
        assert loaded == {"id": "x--1", "v": value}
        assert type(loaded["v"]) is type(value)
    with pytest.raises(StoreError, match="NaN"):
        load_object('{"v":NaN}')


def test_intake_refuses_nan_and_infinity(store: IntelStore) -> None:
    coll = store.create_collection(
        title="nan", description="", owner_org=None, created_by="x", tlp=Tlp.CLEAR
    )
    ok, bad = store.add(
        coll,
        [stix(1, x_score=float("nan")), stix(2, x_score=float("inf")), stix(3, x_big=2**80)],
        added_by=LOCAL_OWNER,
    )
    assert [o.id for o in bad] == [stix(1)["id"], stix(2)["id"]]
    assert [o.id for o in ok] == [stix(3)["id"]]
    assert "NaN" in (bad[0].message or "")
    (kept,) = store.page(coll, Query(), reader=LOCAL_OWNER).objects
    assert kept["x_big"] == 2**80


def test_a_changed_audience_binds_at_once_in_this_process(store: IntelStore) -> None:
    partner = person("user:b1", "o2")
    coll = store.create_collection(
        title="amber", description="", owner_org="o1", created_by="user:a1", tlp=Tlp.AMBER
    )
    owner = person("user:a1", "o1")
    assert not store.collection(coll.id).readable_by(partner)  # remembered now
    store.sharing.address(
        coll.id, "o1", kind="org", target="o2", can_write=False, by=owner, remove=False
    )
    assert store.collection(coll.id).readable_by(partner)
    group = store.sharing.create_group(name="g", by=owner)
    store.sharing.address(coll.id, "o1", kind="org", target="o2", can_write=False, by=owner,
                          remove=True)  # fmt: skip
    store.sharing.address(coll.id, "o1", kind="group", target=group.id, can_write=False, by=owner,
                          remove=False)  # fmt: skip
    assert not store.collection(coll.id).readable_by(partner)
    store.sharing.set_member(group.id, "o2", can_write=False, by=owner)
    assert store.collection(coll.id).readable_by(partner)
    store.sharing.set_member(group.id, "o2", can_write=False, by=owner, remove=True)
    assert not store.collection(coll.id).readable_by(partner)


def test_a_change_made_elsewhere_binds_within_the_ttl(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        reader = IntelStore(engine, clock=Clock(), collection_ttl=0.0)
        writer = IntelStore(engine, clock=Clock())  # another process, as far as reader knows
        coll = writer.create_collection(
            title="t", description="", owner_org=None, created_by="x", tlp=Tlp.CLEAR
        )
        assert reader.collection(coll.id).tlp is Tlp.CLEAR
        with engine.begin() as conn:
            conn.execute(update(intel_collection).values(tlp=int(Tlp.AMBER)))
        assert reader.collection(coll.id).tlp is Tlp.AMBER
    finally:
        engine.dispose()
