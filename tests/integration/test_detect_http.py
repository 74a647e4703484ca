"""Detect over HTTP on a real server: stored incidents listed and read through the door (tier 1,
each reader sees only their own), and POST /runs reaches the door."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from live_server import LiveServer

from shieldwall.core.types import Principal, Tier
from shieldwall.detect.alerts import Alert, Level, RuleInfo, attack_from_tags
from shieldwall.detect.events import EventSource
from shieldwall.detect.incidents import group_alerts
from shieldwall.detect.repository import DetectRepository
from shieldwall.detect.results import results_capabilities
from shieldwall.detect.triage import triage_incidents

PROBLEM = "application/problem+json"
T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def _rule(rule_id: str, level: Level, *tags: str) -> RuleInfo:
    techniques, tactics = attack_from_tags(tags)
    return RuleInfo(
        id=rule_id,
        title=f"Rule {rule_id}",
        level=level,
        status="test",
        tags=tags,
        techniques=techniques,
        tactics=tactics,
    )


DUMP = _rule("dump", Level.HIGH, "attack.credential-access", "attack.t1003.001")
ENC = _rule("enc", Level.MEDIUM, "attack.execution", "attack.t1059.001")


def _alert(rule: RuleInfo, minutes: int, host: str, record: int, **fields: Any) -> Alert:
    return Alert(
        rule=rule,
        timestamp=T0 + timedelta(minutes=minutes),
        host=host,
        user=f"user-of-{host.lower()}",
        source=EventSource(file="/logs/Security.evtx", record=record),
        fields=fields,
    )


def _key(server: LiveServer, tier: Tier, name: str) -> tuple[Principal, dict[str, str]]:
    principal, secret = server.runtime.keys.create(name=name, tier=tier)
    return principal, {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def stored(server: LiveServer) -> dict[str, Any]:
    """Three incidents of one tier-1 user, stored as a detection run stores them."""
    registry = server.runtime.gateway.registry
    if registry.get("detect.incidents.list") is None:  # until runtime.py registers them
        for cap in results_capabilities(server.runtime.engine):
            registry.register(cap)
    owner, headers = _key(server, Tier.VERIFIED_INDIVIDUAL, "analyst")
    alerts = [
        _alert(DUMP, 0, "WS01", 1, CommandLine="procdump -ma lsass.exe"),
        _alert(ENC, 2, "WS01", 2, CommandLine="powershell -enc AAAA"),
        _alert(ENC, 0, "WS02", 3),
        _alert(DUMP, 0, "SRV01", 4),
    ]
    triaged = triage_incidents(group_alerts(alerts))
    repo = DetectRepository(server.runtime.engine)
    run = repo.start_run(owner=owner.id, paths=["/logs"])
    repo.save_incidents(run.id, triaged, owner=owner.id)
    repo.finish_run(run.id, events=100, alerts=len(alerts), incidents=len(triaged))
    return {"headers": headers, "triaged": triaged, "run": run}


def test_incidents_are_listed_and_paged_for_their_owner(
    client: httpx.Client, stored: dict[str, Any], server: LiveServer
) -> None:
    headers = stored["headers"]
    before = server.runtime.ledger.size()
    got = client.get("/api/v1/detect/incidents", headers=headers)
    assert got.status_code == 200, got.text
    body = got.json()
    assert [i["id"] for i in body["incidents"]] == [t.incident.id for t in stored["triaged"]]
    assert body["more"] is False
    assert body["incidents"][0]["triage"]["priority"] in ("P1", "P2")
    assert server.runtime.ledger.size() > before  # the read went through the door

    ids = []
    params: dict[str, Any] = {"limit": 1}
    for _ in range(10):
        page = client.get("/api/v1/detect/incidents", params=params, headers=headers).json()
        ids.extend(i["id"] for i in page["incidents"])
        if not page["next"]:
            break
        params = {"limit": 1, "cursor": page["next"]}
    assert ids == [i["id"] for i in body["incidents"]]


def test_incidents_filter_by_level_host_and_technique(
    client: httpx.Client, stored: dict[str, Any]
) -> None:
    def hosts(**params: Any) -> list[list[str]]:
        got = client.get("/api/v1/detect/incidents", params=params, headers=stored["headers"])
        assert got.status_code == 200, got.text
        return sorted(i["hosts"] for i in got.json()["incidents"])

    assert hosts(min_level="high") == [["SRV01"], ["WS01"]]
    assert hosts(host="ws02") == [["WS02"]]
    assert hosts(technique="T1003") == [["SRV01"], ["WS01"]]
    assert hosts(run_id=stored["run"].id, technique="T1059.001") == [["WS01"], ["WS02"]]


def test_one_incident_with_its_evidence(client: httpx.Client, stored: dict[str, Any]) -> None:
    top = stored["triaged"][0]
    got = client.get(f"/api/v1/detect/incidents/{top.incident.id}", headers=stored["headers"])
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["id"] == top.incident.id
    assert body["triage"]["next_steps"] == list(top.triage.next_steps)
    assert [a["fields"].get("CommandLine") for a in body["alerts"]] == [
        "procdump -ma lsass.exe",
        "powershell -enc AAAA",
    ]
    assert body["alerts"][0]["source"] == {"file": "/logs/Security.evtx", "record": 1}
    one = client.get(
        f"/api/v1/detect/incidents/{top.incident.id}",
        params={"alerts_limit": 1},
        headers=stored["headers"],
    ).json()
    assert len(one["alerts"]) == 1


def test_other_readers_and_anonymous_callers_see_nothing(
    client: httpx.Client, stored: dict[str, Any], server: LiveServer
) -> None:
    incident_id = stored["triaged"][0].incident.id
    _, stranger = _key(server, Tier.VERIFIED_INDIVIDUAL, "stranger")
    listed = client.get("/api/v1/detect/incidents", headers=stranger)
    assert listed.status_code == 200
    assert listed.json()["incidents"] == []
    hidden = client.get(f"/api/v1/detect/incidents/{incident_id}", headers=stranger)
    assert hidden.status_code == 404
    assert hidden.headers["content-type"].startswith(PROBLEM)
    assert hidden.json()["code"] == "detect.no_incident"

    anonymous = client.get("/api/v1/detect/incidents")
    assert anonymous.status_code == 403
    assert anonymous.headers["content-type"].startswith(PROBLEM)
    assert client.get(f"/api/v1/detect/incidents/{incident_id}").status_code == 403


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/detect/incidents", {"cursor": "not-a-cursor"}),
        ("/api/v1/detect/incidents", {"technique": "lsass"}),
        ("/api/v1/detect/incidents", {"min_level": "severe"}),
        ("/api/v1/detect/incidents", {"priority": "P9"}),
        ("/api/v1/detect/incidents/not-an-id", {}),
    ],
)
def test_bad_queries_are_problems_not_crashes(
    client: httpx.Client, stored: dict[str, Any], path: str, params: dict[str, str]
) -> None:
    got = client.get(path, params=params, headers=stored["headers"])
    assert got.status_code in (400, 422), got.text
    assert got.headers["content-type"].startswith(PROBLEM)


def test_post_runs_goes_through_the_door(client: httpx.Client, server: LiveServer) -> None:
    _, headers = _key(server, Tier.VERIFIED_INDIVIDUAL, "runner")
    not_json = client.post(
        "/api/v1/detect/runs",
        content=b"{not json",
        headers=headers | {"content-type": "application/json"},
    )
    assert not_json.status_code == 400
    assert not_json.json()["code"] == "detect.bad_json"
    refused = client.post("/api/v1/detect/runs", json={"paths": ["/etc"]})
    assert refused.status_code == 403  # anonymous: detect.run is not for tier 0
    assert refused.headers["content-type"].startswith(PROBLEM)
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/detect/runs", "/api/v1/detect/incidents"} <= spec["paths"].keys()
