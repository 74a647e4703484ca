"""Retro-hunt end to end, with the real `shieldwall` command: `detect run` stores the events of a
small Sysmon/auth.log fixture, a collection gets indicators, `intel retrohunt` hunts them through
the door (intel.retrohunt -> detect.hunt), raising incidents whose rule is the indicator and
recording sightings; a re-run hunts nothing; TLP:RED of another organisation is never hunted for
a principal who may not read it; `intel sync --hunt` hunts what a pull brought."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from org_members import org_member
from test_intel_taxii import TAXII, TLP, collection, member, post, serve_hub

from cli_runner import run_cli
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.runtime import Runtime, open_runtime

SYSMON = "Microsoft-Windows-Sysmon/Operational"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
RULE = """\
title: Whoami run
id: 2a9e7b1c-2222-4c3b-9d5e-0f1a2b3c4d5e
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection: {Image|endswith: '\\whoami.exe'}
  condition: selection
level: low
"""
EVENTS = [
    {  # 1: a DNS query for a subdomain of the shared domain
        "EventID": 22,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:00:00Z",
        "QueryName": "cdn.pump-control.example",
        "Image": "C:\\Windows\\System32\\svchost.exe",
    },
    {  # 2: the connection to the shared address
        "EventID": 3,
        "Channel": SYSMON,
        "Computer": "WS7.corp.example",
        "TimeCreated": "2024-03-01T12:00:05Z",
        "Image": "C:\\Users\\eve\\AppData\\Local\\Temp\\upd.exe",
        "DestinationIp": "203.0.113.7",
        "DestinationPort": 443,
        "User": "CORP\\eve",
    },
    {  # 3: the dropper, by its hash
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS8.corp.example",
        "TimeCreated": "2024-03-02T09:30:00Z",
        "Image": "C:\\Users\\bob\\Downloads\\invoice.exe",
        "CommandLine": "invoice.exe",
        "Hashes": f"MD5=098F6BCD4621D373CADE4E832627B4F6,SHA256={SHA256.upper()}",
    },
    {  # 4: nothing shared
        "EventID": 1,
        "Channel": SYSMON,
        "Computer": "WS8.corp.example",
        "TimeCreated": "2024-03-02T09:31:00Z",
        "Image": "C:\\Windows\\System32\\whoami.exe",
    },
]
AUTH_LOG = (
    "2024-03-03T10:10:00Z web1 sshd[120]: Failed password for root from 198.51.100.23 port "
    "4022 ssh2\n"
    "2024-03-03T10:10:09Z web1 sshd[121]: Failed password for root from 198.51.100.23 port "
    "4023 ssh2\n"
)


def sw(home: Path, *args: str, key: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args, env={"SHIELDWALL_KEY": key} if key else None)


def ind(n: int, pattern: str, *, marking: str | None = None) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    if marking:
        obj["object_marking_refs"] = [TLP[marking]]
    return obj


def bundle(path: Path, *objects: dict[str, Any]) -> Path:
    path.write_text(
        json.dumps({"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": list(objects)}),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def stored(home: Path, tmp_path: Path) -> Path:
    """`detect run` over the fixture logs, with the events stored: the hunting ground."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "sysmon.jsonl").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    (logs / "auth.log").write_text(AUTH_LOG)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "whoami.yml").write_text(RULE)
    ran = sw(home, "detect", "run", str(logs), "--rules", str(rules), "--format", "jsonl")
    assert ran.returncode == 1, ran.stderr  # the whoami rule fires
    return logs


def incidents_by_rule(home: Path) -> dict[str, list[dict[str, Any]]]:
    """Every stored incident, by the rules (indicators) it holds, read through the door."""
    rt = open_runtime(Settings(home=home))
    try:
        page = rt.gateway.invoke("detect.incidents.list", {"limit": 500}, LOCAL_OWNER).result
        out: dict[str, list[dict[str, Any]]] = {}
        for inc in page["incidents"]:
            full = rt.gateway.invoke("detect.incidents.get", {"id": inc["id"]}, LOCAL_OWNER).result
            for rule in inc["rules"]:
                out.setdefault(rule["id"], []).append(full)
        return out
    finally:
        rt.close()


def retrohunt(home: Path, *args: str, key: str | None = None) -> tuple[int, dict[str, Any]]:
    done = sw(home, "intel", "retrohunt", *args, "--format", "json", key=key)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_new_indicators_are_hunted_in_stored_logs_once(home: Path, stored: Path) -> None:
    domain = ind(1, "[domain-name:value = 'pump-control.example']")
    address = ind(2, "[ipv4-addr:value = '203.0.113.7'] OR [ipv4-addr:value = '192.0.2.99']")
    dropper = ind(3, f"[file:hashes.'SHA-256' = '{SHA256}']")
    ssh = ind(4, "[ipv4-addr:value = '198.51.100.23']")
    unseen = ind(5, "[url:value = 'http://pump-control.example/x.php']")
    together = ind(6, "[ipv4-addr:value = '203.0.113.7' AND ipv4-addr:value = '10.0.0.1']")
    later = ind(7, "[file:name = 'whoami.exe']")
    assert sw(home, "intel", "collection", "create", "water-isac", "--tlp", "green").returncode == 0
    first = bundle(stored.parent / "one.json", domain, address, dropper, ssh, unseen, together)
    imported = sw(home, "intel", "import", str(first), "--collection", "water-isac")
    assert imported.returncode == 0, imported.stderr

    code, result = retrohunt(home, "--collection", "water-isac")

    assert code == 1  # indicators were seen
    assert result["indicators"] == 6
    assert result["hunted"] == 5
    (skipped,) = result["skipped"]
    assert skipped["indicator"] == together["id"]
    assert "AND" in skipped["reason"]
    sighted = {s["indicator"]: s for s in result["sighted"]}
    assert set(sighted) == {domain["id"], address["id"], dropper["id"], ssh["id"]}
    assert sighted[ssh["id"]]["count"] == 2
    assert sighted[ssh["id"]]["first_seen"] == "2024-03-03T10:10:00.000000Z"
    assert sighted[ssh["id"]]["last_seen"] == "2024-03-03T10:10:09.000000Z"
    assert sighted[address["id"]]["count"] == 1
    assert sighted[dropper["id"]]["first_seen"].startswith("2024-03-02T09:30:00")
    (not_here,) = [n for n in result["not_huntable"] if n["ref"] == unseen["id"]]
    assert "URLs" in not_here["reason"]  # no stored event holds a URL
    # incidents: the indicator is the rule, the evidence points at the log line
    by_rule = incidents_by_rule(home)
    assert {domain["id"], address["id"], dropper["id"], ssh["id"]} <= set(by_rule)
    assert unseen["id"] not in by_rule
    assert together["id"] not in by_rule
    (incident,) = by_rule[dropper["id"]]
    (alert,) = [a for a in incident["alerts"] if a["rule_id"] == dropper["id"]]
    assert alert["kind"] == "indicator"
    assert alert["source"] == {"file": str(stored / "sysmon.jsonl"), "record": 3}
    assert alert["fields"]["matched_field"] == "Hashes"
    assert "WS8.corp.example" in incident["hosts"]
    # the sighting is in the hub, counted once
    counted = sw(home, "intel", "sighting", "count", ssh["id"])
    assert counted.stdout.strip() == f"{ssh['id']}: 2 in 1 sighting(s)"

    # nothing new: nothing hunted, nothing raised, nothing counted twice
    code, again = retrohunt(home, "--collection", "water-isac")
    assert code == 0
    assert (again["indicators"], again["observables"], again["hunt_runs"]) == (0, 0, [])
    assert again["since"] == result["watermark"]
    assert (
        sw(home, "intel", "sighting", "count", ssh["id"])
        .stdout.strip()
        .endswith(": 2 in 1 sighting(s)")
    )

    # a new indicator: only it is hunted
    second = bundle(stored.parent / "two.json", later)
    assert sw(home, "intel", "import", str(second), "--collection", "water-isac").returncode == 0
    code, third = retrohunt(home, "--collection", "water-isac")
    assert code == 1
    assert third["indicators"] == 1
    assert [s["indicator"] for s in third["sighted"]] == [later["id"]]
    # from a point of one's choosing
    _, since = retrohunt(home, "--collection", "water-isac", "--since", result["watermark"])
    assert [s["indicator"] for s in since["sighted"]] == [later["id"]]
    # hunting everything again updates the same incident and records no second sighting
    before = [i["id"] for i in incidents_by_rule(home)[ssh["id"]]]
    _, full = retrohunt(home, "--collection", "water-isac", "--all")
    assert full["indicators"] == 7
    assert [i["id"] for i in incidents_by_rule(home)[ssh["id"]]] == before
    assert (
        sw(home, "intel", "sighting", "count", ssh["id"])
        .stdout.strip()
        .endswith(": 2 in 1 sighting(s)")
    )
    text = sw(home, "intel", "retrohunt", "--collection", "water-isac", "--all")
    assert text.returncode == 1
    assert f"{ssh['id']}: seen in 2 event(s)" in text.stdout
    assert "7 indicator(s) added after the start; 6 hunted" in " ".join(text.stdout.split())


def test_detect_hunt_from_the_command_line(home: Path, stored: Path) -> None:
    done = sw(
        home, "detect", "hunt", "--indicator", "ipv4-addr:203.0.113.7",
        "--indicator", "domain-name:PUMP-control.example", "--indicator", "url:http://x.example/",
        "--format", "json",
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert [o["status"] for o in result["observables"]] == ["hit", "hit", "not_huntable"]
    (event,) = result["observables"][1]["events"]
    assert (event["field"], event["match"], event["record"]) == ("QueryName", "subdomain", 1)
    assert event["file"] == str(stored / "sysmon.jsonl")
    (run_id,) = result["run"]["searched_runs"]
    later = sw(
        home, "detect", "hunt", "--indicator", "ipv4-addr:203.0.113.7", "--run", run_id,
        "--since", "2024-03-02T00:00:00Z",
    )  # fmt: skip
    assert later.returncode == 0, later.stderr  # the connection was on 1 March
    assert "not seen ipv4-addr 203.0.113.7" in later.stdout
    assert "0 of 1 found" in " ".join(later.stdout.split())
    bad = sw(home, "detect", "hunt", "--indicator", "203.0.113.7")
    assert bad.returncode == 2
    assert "TYPE:VALUE" in " ".join(bad.stderr.split())


def peer_feed_of_bob(rt: Runtime) -> str:
    """Bob, a verified member of the organisation 'Peer utility', which owns the GREEN
    collection 'peer-feed'; his API key."""
    _, secret, org_id = org_member(rt, email="bob@peer.example", name="Bob", org="Peer utility")
    rt.gateway.invoke(
        "intel.collection.create",
        {"title": "peer-feed", "tlp": "green", "owner_org": org_id},
        LOCAL_OWNER,
    )
    return secret


def test_red_intel_of_another_org_is_never_hunted_for_who_may_not_read_it(
    home: Path, stored: Path
) -> None:
    rt = open_runtime(Settings(home=home))
    try:
        secret = peer_feed_of_bob(rt)
    finally:
        rt.close()
    green = ind(11, "[ipv4-addr:value = '203.0.113.7']")
    red = ind(12, "[ipv4-addr:value = '198.51.100.23']", marking="red")
    shared = bundle(stored.parent / "peer.json", green, red)
    added = sw(home, "intel", "import", str(shared), "--collection", "peer-feed", key=secret)
    assert added.returncode == 0, added.stderr

    code, result = retrohunt(home, "--collection", "peer-feed")  # the hub's local owner

    assert code == 1
    assert result["indicators"] == 1  # the RED one is not the operator's to read
    assert [s["indicator"] for s in result["sighted"]] == [green["id"]]
    blob = json.dumps(result)
    assert red["id"] not in blob
    assert "198.51.100.23" not in blob
    by_rule = incidents_by_rule(home)
    assert green["id"] in by_rule
    assert red["id"] not in by_rule
    counted = sw(home, "intel", "sighting", "count", red["id"], key=secret)
    assert counted.stdout.strip() == f"{red['id']}: 0 in 0 sighting(s)"
    # Bob may read it (he shared it): for him it is hunted, as him, through the door; he may
    # not read the operator's runs, so there is nothing of his to search
    _, his = retrohunt(home, "--collection", "peer-feed", key=secret)
    assert his["indicators"] == 2
    assert his["searched_runs"] == []
    assert {n["ref"] for n in his["not_huntable"]} == {green["id"], red["id"]}
    assert his["sighted"] == []


def test_sync_hunt_hunts_what_a_pull_brought(home: Path, stored: Path, tmp_path: Path) -> None:
    with serve_hub(tmp_path / "peer") as peer:
        owner, owner_auth = member(peer, "isac@water.example")
        _, reader_auth = member(peer, "reader@utility.example", verified_org=True)
        cid = collection(peer, owner, "water-feed", "green")
        with httpx.Client(base_url=peer.url, timeout=30, headers={"Accept": TAXII}) as http:
            shared = [
                ind(21, "[ipv4-addr:value = '203.0.113.7']"),
                ind(22, "[domain-name:value = 'nothing-here.example']"),
            ]
            assert post(http, cid, shared, owner_auth).json()["success_count"] == 2
        api_root = f"{peer.url}/taxii2/api/"
        assert (
            sw(home, "intel", "collection", "create", "from-isac", "--tlp", "green").returncode == 0
        )
        allowed = sw(home, "intel", "peer", "add", "isac", api_root)
        assert allowed.returncode == 0, allowed.stderr
        token = reader_auth["Authorization"].removeprefix("Bearer ")
        args = ("intel", "sync", "--from", api_root, "--collection", cid, "--into", "from-isac")
        pulled = run_cli(home, *args, "--hunt", env={"SHIELDWALL_PEER_TOKEN": token})
        assert pulled.returncode == 1, pulled.stderr  # something was seen
        out = " ".join(pulled.stdout.split())
        assert "2 new" in out
        assert f"{shared[0]['id']}: seen in 1 event(s)" in out
        assert "2 indicator(s) added after the start; 2 hunted" in out
        again = run_cli(home, *args, "--hunt", env={"SHIELDWALL_PEER_TOKEN": token})
        assert again.returncode == 0, again.stderr
        assert "nothing new to hunt for" in again.stdout


def test_retrohunt_over_http_runs_through_the_door_as_the_caller(home: Path, stored: Path) -> None:
    with serve_hub(home) as hub:
        rt = hub.runtime
        secret = peer_feed_of_bob(rt)
        bob = rt.keys.authenticate(secret)
        shared = [
            ind(21, "[ipv4-addr:value = '203.0.113.7']"),
            ind(22, "[domain-name:value = 'x.example']"),
        ]
        rt.gateway.invoke("intel.objects.add", {"collection": "peer-feed", "objects": shared}, bob)
        url = f"{hub.url}/api/v1/intel/retrohunt"
        auth = {"Authorization": f"Bearer {secret}"}
        before = rt.ledger.size()

        done = httpx.post(url, json={"collection": "peer-feed"}, headers=auth, timeout=30)

        assert done.status_code == 200, done.text
        body = done.json()
        # As through the CLI: Bob's two indicators; the operator's stored runs are not his to
        # search, so nothing is searched and nothing sighted.
        assert body["indicators"] == 2
        assert body["searched_runs"] == []
        assert body["sighted"] == []
        rt.ledger.flush()
        decisions = [json.loads(e) for e in rt.ledger.entries(before) if b'"kind":"decision"' in e]
        # The hunt itself reaches detect.hunt through the door too, as Bob.
        assert [(d["capability"], d["principal"]["id"]) for d in decisions] == [
            ("intel.retrohunt", bob.id),
            ("detect.hunt", bob.id),
        ]
        # Nobody: refused at the door. Bad bodies: the caller's error, in plain words.
        assert httpx.post(url, json={"collection": "peer-feed"}, timeout=30).status_code in (
            401,
            403,
        )
        bad = httpx.post(
            url, content=b"{not json", headers={**auth, "content-type": "application/json"}
        )
        assert bad.status_code == 422
        assert bad.headers["content-type"] == "application/problem+json"
        unknown = httpx.post(url, json={"collection": "peer-feed", "x": 1}, headers=auth)
        assert unknown.status_code == 422
        assert unknown.json()["location"] == "body.x"
