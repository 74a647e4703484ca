"""Detection results in the store (SQLite, and PostgreSQL when configured): runs, incidents with
triage and alerts, keyset pages, filters, reruns and who may see what."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from alert_builders import alert, rule
from sqlalchemy import Engine, func, select

from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.detect.alerts import Alert, Level
from shieldwall.detect.incidents import group_alerts
from shieldwall.detect.repository import (
    Cursor,
    DetectRepository,
    IncidentQuery,
    Viewer,
)
from shieldwall.detect.triage import TriagedIncident, triage_incidents
from shieldwall.store import open_store
from shieldwall.store.schema import detect_alert, detect_incident

DUMP = rule("dump", level=Level.HIGH, tags=("attack.credential-access", "attack.t1003.001"))
ENC = rule("enc", level=Level.MEDIUM, tags=("attack.execution", "attack.t1059.001"))
CLEAR = rule("clear", level=Level.HIGH, tags=("attack.defense-impairment", "attack.t1685.005"))
LOW = rule("low", level=Level.LOW)

ALICE = Viewer(principal="key:alice", org="org:clinic")
BOB = Viewer(principal="key:bob", org="org:other")
COLLEAGUE = Viewer(principal="key:carol", org="org:clinic")
OWNER = Viewer(principal="owner:local", everything=True)


class StepClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        self.at += timedelta(seconds=1)
        return self.at


class CountingIds:
    def __init__(self) -> None:
        self.n = 0

    def new_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}_{self.n:04d}"


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    engine = open_store(store_url)
    yield engine
    engine.dispose()


@pytest.fixture
def repo(engine: Engine) -> DetectRepository:
    return DetectRepository(engine, clock=StepClock(), ids=CountingIds())


def _triaged(alerts: list[Alert]) -> list[TriagedIncident]:
    return triage_incidents(group_alerts(alerts))


def _scenario() -> list[Alert]:
    """Five incidents of different sizes on different hosts."""
    return [
        alert(DUMP, 0, host="WS01", user="alice", CommandLine="procdump -ma lsass"),
        alert(CLEAR, 3, host="WS01", user="alice"),
        alert(ENC, 5, host="WS01", user="alice", CommandLine="powershell -enc AAAA"),
        alert(ENC, 0, host="WS02"),
        alert(DUMP, 0, host="SRV01"),
        alert(LOW, 0, host="PRN01"),
        alert(LOW, None, host="NAS01"),
    ]


def test_a_run_is_recorded_from_start_to_finish(repo: DetectRepository) -> None:
    run = repo.start_run(owner="key:alice", owner_org="org:clinic", paths=["/logs/a", "/logs/b"])
    assert run.status == "running"
    assert run.paths == ("/logs/a", "/logs/b")
    assert run.finished_at is None
    done = repo.finish_run(
        run.id, events=53_698, alerts=12, incidents=3, rules_loaded=3100, rules_failed=4
    )
    assert done.status == "done"
    assert done.finished_at is not None
    assert done.finished_at > done.started_at
    assert (done.events, done.alerts, done.incidents) == (53_698, 12, 3)
    assert (done.rules_loaded, done.rules_failed) == (3100, 4)
    failed = repo.start_run(owner="key:alice", paths=["/x"])
    repo.finish_run(failed.id, events=0, alerts=0, incidents=0, status="failed", error="boom")
    runs = repo.list_runs(viewer=ALICE)
    assert [r.id for r in runs] == [failed.id, run.id]
    assert runs[0].error == "boom"
    assert repo.list_runs(viewer=BOB) == []
    with pytest.raises(NotFoundError):
        repo.get_run(run.id, viewer=BOB)
    with pytest.raises(NotFoundError):
        repo.finish_run("run_missing", events=0, alerts=0, incidents=0)
    with pytest.raises(InputError):
        repo.finish_run(run.id, events=0, alerts=0, incidents=0, status="running")
    assert done.to_json()["paths"] == ["/logs/a", "/logs/b"]


def test_incidents_are_saved_with_triage_and_evidence(repo: DetectRepository) -> None:
    triaged = _triaged(_scenario())
    run = repo.start_run(owner="key:alice", owner_org="org:clinic")
    assert len(triaged) == 5
    assert repo.save_incidents(run.id, triaged, owner="key:alice", owner_org="org:clinic") == 5
    top = triaged[0]
    stored = repo.get_incident(top.incident.id, viewer=ALICE)
    assert stored["id"] == top.incident.id
    assert stored["run_id"] == run.id
    assert stored["level"] == "high"
    assert stored["score"] == top.incident.score
    assert stored["hosts"] == ["WS01"]
    assert stored["techniques"] == ["T1003.001", "T1059.001", "T1685.005"]
    assert stored["triage"] == top.triage.to_json()
    assert stored["priority"] == str(top.triage.priority)
    assert [a["rule_id"] for a in stored["alerts"]] == ["dump", "clear", "enc"]
    assert stored["alerts"][0]["fields"] == {"CommandLine": "procdump -ma lsass"}
    assert stored["alerts_truncated"] is False
    untimed = next(t for t in triaged if t.incident.hosts == ("NAS01",))
    assert repo.get_incident(untimed.incident.id, viewer=ALICE)["first_seen"] is None


def _walk(repo: DetectRepository, query: IncidentQuery, viewer: Viewer) -> list[str]:
    seen: list[str] = []
    after = None
    for _ in range(50):
        page = repo.list_incidents(replace(query, after=after), viewer=viewer)
        seen.extend(i["id"] for i in page.incidents)
        if page.next is None:
            return seen
        after = Cursor.parse(page.next)
    pytest.fail("the pages never ended")


def test_keyset_pages_walk_every_incident_once_in_score_order(repo: DetectRepository) -> None:
    triaged = _triaged(_scenario())
    run = repo.start_run(owner="key:alice")
    repo.save_incidents(run.id, triaged, owner="key:alice")
    full = repo.list_incidents(IncidentQuery(limit=500), viewer=OWNER)
    assert full.next is None
    scores = [i["score"] for i in full.incidents]
    assert scores == sorted(scores, reverse=True)
    everything = [i["id"] for i in full.incidents]
    assert sorted(everything) == sorted(t.incident.id for t in triaged)
    for size in (1, 2, 4):
        assert _walk(repo, IncidentQuery(limit=size), OWNER) == everything
    page = repo.list_incidents(IncidentQuery(limit=2), viewer=OWNER)
    assert len(page.incidents) == 2
    assert page.to_json()["more"] is True
    assert "alerts" not in page.incidents[0]


def test_listing_filters_by_level_host_technique_priority_and_run(
    repo: DetectRepository,
) -> None:
    first = repo.start_run(owner="key:alice")
    repo.save_incidents(first.id, _triaged(_scenario()), owner="key:alice")
    second = repo.start_run(owner="key:alice")
    repo.save_incidents(second.id, _triaged([alert(ENC, 0, host="LAPTOP9")]), owner="key:alice")

    def hosts(**filters: object) -> list[list[str]]:
        page = repo.list_incidents(IncidentQuery(**filters), viewer=ALICE)  # type: ignore[arg-type]
        return sorted(i["hosts"] for i in page.incidents)

    assert hosts(min_level=Level.HIGH) == [["SRV01"], ["WS01"]]
    assert hosts(host="ws01") == [["WS01"]]
    assert hosts(host="nope") == []
    assert hosts(technique="T1003") == [["SRV01"], ["WS01"]]  # parent matches sub-technique
    assert hosts(technique="t1003.001") == [["SRV01"], ["WS01"]]
    assert hosts(technique="T1003.002") == []
    assert hosts(technique="T1685") == [["WS01"]]
    assert hosts(run_id=second.id) == [["LAPTOP9"]]
    p4 = hosts(priority="P4")
    assert ["PRN01"] in p4
    assert ["WS01"] not in p4
    assert hosts(min_level=Level.MEDIUM, technique="T1059") == [["LAPTOP9"], ["WS01"], ["WS02"]]


def test_a_rerun_updates_incidents_instead_of_copying_them(
    repo: DetectRepository, engine: Engine
) -> None:
    same_logs = _scenario()
    triaged = _triaged(same_logs)
    first = repo.start_run(owner="key:alice")
    repo.save_incidents(first.id, triaged, owner="key:alice")
    second = repo.start_run(owner="key:alice")
    repo.save_incidents(second.id, _triaged(same_logs), owner="key:alice")
    with engine.connect() as conn:
        incidents = conn.execute(select(func.count()).select_from(detect_incident)).scalar_one()
        alerts = conn.execute(select(func.count()).select_from(detect_alert)).scalar_one()
    assert incidents == len(triaged)
    assert alerts == len(same_logs)
    page = repo.list_incidents(IncidentQuery(run_id=second.id), viewer=ALICE)
    assert len(page.incidents) == len(triaged)
    assert repo.list_incidents(IncidentQuery(run_id=first.id), viewer=ALICE).incidents == []


def test_readers_see_their_own_and_their_organisations_incidents(repo: DetectRepository) -> None:
    run = repo.start_run(owner=ALICE.principal, owner_org=ALICE.org)
    alices = _triaged([alert(DUMP, 0, host="WS01")])
    repo.save_incidents(run.id, alices, owner=ALICE.principal, owner_org=ALICE.org)
    bobs_run = repo.start_run(owner=BOB.principal, owner_org=BOB.org)
    repo.save_incidents(
        bobs_run.id, _triaged([alert(ENC, 0, host="B1")]), owner=BOB.principal, owner_org=BOB.org
    )
    incident_id = alices[0].incident.id

    def listed(viewer: Viewer) -> list[str]:
        return [i["id"] for i in repo.list_incidents(IncidentQuery(), viewer=viewer).incidents]

    assert listed(ALICE) == [incident_id]
    assert listed(COLLEAGUE) == [incident_id]
    assert incident_id not in listed(BOB)
    assert len(listed(BOB)) == 1
    assert len(listed(OWNER)) == 2
    assert repo.get_incident(incident_id, viewer=COLLEAGUE)["id"] == incident_id
    with pytest.raises(NotFoundError) as err:
        repo.get_incident(incident_id, viewer=BOB)
    assert err.value.code == "detect.no_incident"
    loner = Viewer(principal="key:dave")
    assert listed(loner) == []


def test_stored_alerts_are_capped_but_counted(engine: Engine) -> None:
    repo = DetectRepository(engine, max_stored_alerts=3)
    many = [alert(ENC, m, host="WS01") for m in range(8)]
    run = repo.start_run(owner="key:alice")
    (item,) = _triaged(many)
    repo.save_incidents(run.id, [item], owner="key:alice")
    stored = repo.get_incident(item.incident.id, viewer=ALICE)
    assert stored["alert_count"] == 8
    assert stored["alerts_stored"] == 3
    assert len(stored["alerts"]) == 3
    assert stored["alerts_truncated"] is True
    limited = repo.get_incident(item.incident.id, viewer=ALICE, alerts_limit=1)
    assert len(limited["alerts"]) == 1


@pytest.mark.parametrize("token", ["", "!!!", "bm90IGpzb24", "WzEsMl0", "x" * 500])
def test_a_bad_cursor_is_refused(token: str) -> None:
    with pytest.raises(InputError) as err:
        Cursor.parse(token)
    assert err.value.code == "detect.bad_cursor"


def test_a_cursor_round_trips() -> None:
    cursor = Cursor(score=72, owner="key:alice", id="inc_" + "a" * 24)
    assert Cursor.parse(cursor.token()) == cursor
