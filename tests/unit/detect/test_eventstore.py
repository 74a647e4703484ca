"""The event store: Parquet batches per run, safe parameterized queries, the capability."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.types import (
    LOCAL_OWNER,
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
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource
from shieldwall.detect.eventstore import (
    COMMON_FIELDS,
    EventQuery,
    EventsQueryRequest,
    EventStore,
    EventWriter,
    eventstore_capabilities,
)
from shieldwall.gateway import Policy

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
SYSMON = LogSource(product="windows", service="sysmon")


def _event(i: int, **fields: Any) -> Event:
    return Event(
        timestamp=T0 + timedelta(minutes=i),
        host=f"ws{i % 3}",
        format=LogFormat.EVTX,
        logsource=SYSMON,
        source=EventSource(file="C:/logs/sysmon.evtx", record=i + 1),
        channel="Microsoft-Windows-Sysmon/Operational",
        event_id=1 if i % 2 == 0 else 3,
        fields={"EventID": 1 if i % 2 == 0 else 3, "index": i, **fields},
    )


EVENTS = [
    _event(0, Image="C:\\Windows\\System32\\cmd.exe", CommandLine="cmd /c whoami", User="CORP\\a"),
    _event(1, Image="C:\\Tools\\nc.exe", DestinationIp="203.0.113.9", DestinationPort=4444),
    _event(2, Image="C:\\Windows\\System32\\rundll32.exe", CommandLine="rundll32 comsvcs.dll"),
    _event(3, **{"userIdentity.arn": "arn:aws:iam::1:user/x", "cs-uri-query": "id=1' or 1=1"}),
    _event(4, ParentImage="C:\\Windows\\explorer.exe", TargetFilename="C:\\Temp\\a.ps1"),
    _event(5, SourceIp="10.0.0.1", big=2**70, odd="\udc80 surrogate", raw=b"\x00\xff"),
]


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    with EventWriter(tmp_path, "run_abc", owner="user:1", owner_org="org:1", batch_rows=2) as w:
        w.add_many(EVENTS)
    return EventStore(tmp_path)


def _ids(store: EventStore, **kw: Any) -> list[int]:
    page = store.query(EventQuery(run_id="run_abc", **kw))
    return [e.fields["index"] for e in page.events]


def test_batches_become_parquet_files_and_every_value_survives(tmp_path: Path) -> None:
    with EventWriter(tmp_path, "run_abc", batch_rows=2) as writer:
        writer.add_many(EVENTS)
    summary = writer.close()
    assert (summary.events, summary.files) == (6, 3)
    files = sorted(p.name for p in (tmp_path / "detect/runs/run_abc").glob("*.parquet"))
    assert files == ["events-0000.parquet", "events-0001.parquet", "events-0002.parquet"]
    page = EventStore(tmp_path).query(EventQuery(run_id="run_abc", limit=10))
    assert [e.fields["index"] for e in page.events] == [0, 1, 2, 3, 4, 5]
    first = page.events[0]
    assert first.timestamp == T0
    assert (first.host, first.channel, first.event_id) == ("ws0", EVENTS[0].channel, 1)
    assert (first.product, first.service, first.format) == ("windows", "sysmon", "evtx")
    assert (first.source_file, first.source_record) == ("C:/logs/sysmon.evtx", 1)
    assert first.fields["Image"] == "C:\\Windows\\System32\\cmd.exe"
    odd = page.events[5].fields
    assert odd["big"] == 2**70
    assert odd["raw"] == "00ff"
    assert odd["SourceIp"] == "10.0.0.1"


def test_a_second_writer_appends_to_the_same_run(tmp_path: Path) -> None:
    with EventWriter(tmp_path, "run_abc") as writer:
        writer.add(EVENTS[0])
    with EventWriter(tmp_path, "run_abc") as writer:
        writer.add(EVENTS[1])
    assert EventStore(tmp_path).count(EventQuery(run_id="run_abc")) == 2


def test_filters(store: EventStore) -> None:
    assert _ids(store, event_ids=(3,)) == [1, 3, 5]
    assert _ids(store, host="WS1") == [1, 4]
    assert _ids(store, start=T0 + timedelta(minutes=2), end=T0 + timedelta(minutes=4)) == [2, 3]
    assert _ids(store, equals={"Image": "c:\\tools\\NC.exe"}) == [1]  # a common column
    assert _ids(store, contains={"CommandLine": "COMSVCS"}) == [2]
    assert _ids(store, equals={"DestinationPort": "4444"}) == [1]  # inside the JSON
    assert _ids(store, contains={"userIdentity.arn": "user/x"}) == [3]  # a dotted name
    assert _ids(store, contains={"cs-uri-query": "' or 1=1"}) == [3]
    assert _ids(store, text="System32\\rundll32") == [2]  # backslashes as typed
    assert _ids(store, service="SYSMON", product="windows", event_ids=(1,)) == [0, 2, 4]
    assert _ids(store, channel="microsoft-windows-sysmon/operational", host="ws0") == [0, 3]
    assert _ids(store, equals={"Image": "nope"}) == []


def test_limit_offset_and_order(store: EventStore) -> None:
    page = store.query(EventQuery(run_id="run_abc", limit=4))
    assert [e.fields["index"] for e in page.events] == [0, 1, 2, 3]
    assert page.has_more
    assert page.to_json()["next_offset"] == 4
    rest = store.query(EventQuery(run_id="run_abc", limit=4, offset=4))
    assert [e.fields["index"] for e in rest.events] == [4, 5]
    assert not rest.has_more
    assert rest.to_json()["next_offset"] is None
    assert _ids(store, newest_first=True, limit=2) == [5, 4]
    assert store.count(EventQuery(run_id="run_abc", event_ids=(1,))) == 3


def test_summary(store: EventStore) -> None:
    summary = store.summary("run_abc")
    assert summary.events == 6
    assert (summary.first, summary.last) == (T0, T0 + timedelta(minutes=5))
    assert summary.to_json()["first"] == "2024-05-01T10:00:00+00:00"
    assert dict(summary.event_ids) == {1: 3, 3: 3}
    assert dict(summary.hosts) == {"ws0": 2, "ws1": 2, "ws2": 2}


@pytest.mark.parametrize(
    "name",
    ['Image") OR 1=1 --', "x'; DROP TABLE t; --", 'a"b', "a\\b", "$.x", "*", "", "a" * 200],
)
def test_field_names_that_could_leave_their_quotes_are_refused(
    store: EventStore, name: str
) -> None:
    with pytest.raises(InputError) as info:
        store.query(EventQuery(run_id="run_abc", equals={name: "x"}))
    assert info.value.code == "detect.events.bad_field"


@pytest.mark.parametrize("run_id", ["../etc", "a/b", "", ".hidden", "a b", "x" * 200])
def test_run_ids_that_are_not_plain_names_are_refused(tmp_path: Path, run_id: str) -> None:
    with pytest.raises(InputError):
        EventStore(tmp_path).query(EventQuery(run_id=run_id))
    with pytest.raises(InputError):
        EventWriter(tmp_path, run_id)


def test_an_unknown_run_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        EventStore(tmp_path).query(EventQuery(run_id="run_none"))
    with pytest.raises(NotFoundError):
        EventStore(tmp_path).meta("run_none")


texts = st.text(max_size=40)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    values=st.dictionaries(st.sampled_from([*COMMON_FIELDS, "index", "a.b"]), texts, max_size=3),
    text=st.none() | texts,
    host=st.none() | texts,
)
def test_any_value_is_only_ever_a_parameter(
    store: EventStore, values: dict[str, str], text: str | None, host: str | None
) -> None:
    page = store.query(
        EventQuery(run_id="run_abc", equals=values, contains=values, text=text, host=host)
    )
    assert len(page.events) <= 6


# ---------------------------------------------------------------------------------------------
# The capability


def _ctx(principal: Principal) -> InvocationContext:
    return InvocationContext(
        principal=principal,
        capability=CapabilityId("detect.events.query"),
        decision=Decision(kind=DecisionKind.ALLOW, reasons=()),
        decision_index=None,
        now=T0,
    )


def _user(pid: str, org: str | None = None) -> Principal:
    return Principal(
        id=PrincipalId(pid),
        kind=PrincipalKind.API_KEY,
        tier=Tier.VERIFIED_INDIVIDUAL,
        org=OrgId(org) if org else None,
    )


def test_capability_reads_only_the_callers_runs(store: EventStore) -> None:
    (cap,) = eventstore_capabilities(store.home)
    req = EventsQueryRequest(run_id="run_abc", event_ids=[3], limit=2, summary=True)
    for who in (LOCAL_OWNER, _user("user:1"), _user("user:2", org="org:1")):
        out = cap.handler(req, _ctx(who))
        assert [e["fields"]["index"] for e in out["events"]] == [1, 3]
        assert out["next_offset"] == 2
        assert out["summary"]["events"] == 6
    with pytest.raises(NotFoundError):  # someone else's run looks like no run at all
        cap.handler(req, _ctx(_user("user:2", org="org:2")))


def test_capability_is_tier_1_in_the_default_policy(tmp_path: Path) -> None:
    (cap,) = eventstore_capabilities(tmp_path)
    assert cap.min_tier is Tier.VERIFIED_INDIVIDUAL
    policy = Policy.default()
    assert policy.evaluate(cap, _user("user:1")).kind is DecisionKind.ALLOW
    anonymous = Principal(id=PrincipalId("anon"), kind=PrincipalKind.ANONYMOUS, tier=Tier.PUBLIC)
    assert policy.evaluate(cap, anonymous).kind is not DecisionKind.ALLOW


def test_capability_input_is_bounded() -> None:
    with pytest.raises(ValueError, match="run_id"):
        EventsQueryRequest(run_id="../x")
    with pytest.raises(ValueError, match="limit"):
        EventsQueryRequest(run_id="r", limit=100_000)
    with pytest.raises(ValueError, match="sql"):
        EventsQueryRequest.model_validate({"run_id": "r", "sql": "select 1"})
