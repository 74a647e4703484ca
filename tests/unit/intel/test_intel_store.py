from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stix2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.intel.store import (
    Cursor,
    IntelStore,
    Query,
    check_object,
    format_timestamp,
    parse_timestamp,
)
from shieldwall.intel.tlp import Tlp
from shieldwall.store import open_store

GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"


def indicator(n: int = 0, **over: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3{n:04x}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "pattern": "[ipv4-addr:value = '198.51.100.1']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    obj.update(over)
    return {k: v for k, v in obj.items() if v is not None}


def stix2_accepts(obj: Any) -> bool:
    try:
        stix2.parse(copy.deepcopy(obj), allow_custom=False)
    except Exception:
        return False
    return True


def we_accept(obj: Any) -> bool:
    try:
        check_object(obj)
    except InputError:
        return False
    return True


CASES: list[tuple[str, dict[str, Any]]] = [
    ("id of another type", indicator(id="malware--8e2e2d2b-17d4-4cbf-938f-98ee46b30000")),
    ("id without uuid", indicator(id="indicator--1234")),
    (
        "id with a non-RFC 4122 uuid",
        indicator(id="indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b30000"),
    ),
    ("spec_version 2.0", indicator(spec_version="2.0")),
    ("created not a timestamp", indicator(created="yesterday")),
    ("modified month 13", indicator(modified="2024-13-01T00:00:00Z")),
    ("marking ref to a non-marking", indicator(object_marking_refs=["indicator--x"])),
    ("type with capitals", indicator(type="Indicator")),
]


@pytest.mark.parametrize(("why", "obj"), CASES, ids=[c[0] for c in CASES])
def test_what_stix2_rejects_we_reject(why: str, obj: dict[str, Any]) -> None:
    assert not stix2_accepts(obj), f"stix2 accepts {why}"
    assert not we_accept(obj)


@pytest.mark.parametrize(
    "obj",
    [
        indicator(id=None),
        indicator(created=None),
        indicator(modified=None),
        indicator(modified="2023-01-01T00:00:00Z"),  # before created: STIX 2.1 3.2 MUST NOT
        indicator(object_marking_refs=GREEN),  # a string, which stix2 wraps in a list
    ],
)
def test_we_are_stricter_where_stix2_fills_in_defaults(obj: dict[str, Any]) -> None:
    """stix2 is lenient on input (it generates a missing id or timestamp, wraps a lone marking
    ref); a shared object without them cannot be versioned, so intake refuses it."""
    assert stix2_accepts(obj)
    assert not we_accept(obj)


@pytest.mark.parametrize(
    "obj",
    [
        indicator(),
        indicator(object_marking_refs=[GREEN], modified="2024-02-01T00:00:00.123456Z"),
        {
            "type": "ipv4-addr",
            "spec_version": "2.1",
            "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd",
            "value": "198.51.100.3",
        },
    ],
)
def test_valid_objects_are_accepted_by_both(obj: dict[str, Any]) -> None:
    assert stix2_accepts(obj)
    assert we_accept(obj)


IDS = st.sampled_from(
    [
        "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b30000",
        "indicator--8e2e2d2b-17d4-4cbf-738f-98ee46b30000",
        "indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B30000",
        "malware--8e2e2d2b-17d4-4cbf-938f-98ee46b30000",
        "indicator--",
        "indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b30000",
    ]
)
STAMPS = st.sampled_from(
    [
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00.5Z",
        "2025-06-01T12:00:00.123Z",
        "2024-01-01T00:00:00",
        "2024-01-01 00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-01-01T25:00:00Z",
        "",
        "1",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    oid=IDS,
    spec=st.sampled_from(["2.1", "2.0", "2.1 ", None]),
    created=STAMPS | st.none(),
    modified=STAMPS | st.none(),
    refs=st.sampled_from([None, [GREEN], GREEN, [], ["marking-definition--x"], [1]]),
)
def test_stix2_is_the_oracle_for_the_properties_we_check(
    oid: str, spec: str | None, created: str | None, modified: str | None, refs: Any
) -> None:
    obj = indicator(id=oid, spec_version=spec, created=created, modified=modified)
    if refs is not None:
        obj["object_marking_refs"] = refs
    if not stix2_accepts(obj):
        assert not we_accept(obj)


def test_timestamps_round_trip() -> None:
    micros = parse_timestamp("2024-05-06T07:08:09.123456789Z", location="t")
    assert format_timestamp(micros) == "2024-05-06T07:08:09.123456Z"
    fullwidth = "\uff12\uff10\uff12\uff14-05-06T07:08:09Z"
    for bad in ("2024-05-06T07:08:09+00:00", "2024-05-06", fullwidth):
        with pytest.raises(InputError):
            parse_timestamp(bad, location="t")


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    )
)
def test_timestamps_format_as_rfc3339(at: datetime) -> None:
    micros = (at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    # Four-digit years always (glibc's %Y writes year 999 as "999", which RFC 3339 refuses).
    expected = f"{at.year:04d}-{at:%m-%dT%H:%M:%S}.{at.microsecond:06d}Z"
    assert format_timestamp(micros) == expected
    assert parse_timestamp(expected, location="t") == micros


class FrozenClock:
    def __init__(self) -> None:
        self.at = datetime(2024, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def store(store_url: str) -> Iterator[IntelStore]:
    """On SQLite, and on PostgreSQL when SHIELDWALL_TEST_POSTGRES_URL is set."""
    engine = open_store(store_url)
    yield IntelStore(engine, clock=FrozenClock())
    engine.dispose()


def test_date_added_is_strictly_increasing_when_the_clock_stands_still(store: IntelStore) -> None:
    coll = store.create_collection(
        title="c", description="", owner_org=None, created_by="x", tlp=Tlp.CLEAR
    )
    store.add(coll, [indicator(n) for n in range(50)], added_by=LOCAL_OWNER)
    store.add(coll, [indicator(n) for n in range(50, 60)], added_by=LOCAL_OWNER)
    seen: list[str] = []
    added: list[int] = []
    after: Cursor | None = None
    while True:
        page = store.page(coll, Query(after=after, limit=7), reader=LOCAL_OWNER)
        seen += [o["id"] for o in page.objects]
        assert page.first_added_us is not None
        assert page.last_added_us is not None
        added += [page.first_added_us, page.last_added_us]
        if not page.more:
            break
        assert page.next is not None
        after = Cursor.parse(page.next)
    assert len(seen) == len(set(seen)) == 60
    assert added == sorted(added)


def test_every_version_is_kept_and_duplicates_are_not(store: IntelStore) -> None:
    coll = store.create_collection(
        title="v", description="", owner_org=None, created_by="x", tlp=Tlp.CLEAR
    )
    v1 = indicator()
    v2 = indicator(modified="2024-03-01T00:00:00.000Z")
    ok, bad = store.add(coll, [v1, v2, v1, {"type": "nope"}], added_by=LOCAL_OWNER)
    assert (len(ok), len(bad)) == (3, 1)
    store.add(coll, [v1], added_by=LOCAL_OWNER)  # idempotent
    every = store.page(coll, Query(versions=("all",)), reader=LOCAL_OWNER).objects
    assert [o["modified"] for o in every] == [v1["modified"], v2["modified"]]
    last = store.page(coll, Query(), reader=LOCAL_OWNER).objects
    first = store.page(coll, Query(versions=("first",)), reader=LOCAL_OWNER).objects
    assert [o["modified"] for o in last] == [v2["modified"]]
    assert [o["modified"] for o in first] == [v1["modified"]]


def test_next_tokens_that_do_not_decode_are_input_errors() -> None:
    for token in ("!!!", "", "bm9waXBl", "MTIz"):
        with pytest.raises(InputError):
            Cursor.parse(token)
    cursor = Cursor(date_added_us=5, object_id="indicator--x")
    assert Cursor.parse(cursor.token()) == cursor


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_arbitrary_json_is_rejected_cleanly(value: Any) -> None:
    try:
        check_object(value)
    except InputError:
        return
    assert isinstance(value, dict)
