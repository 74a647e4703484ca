"""Sightings, search and ATT&CK reference collections, through the door (the CLI's and an API
member's), on a real store."""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from shieldwall.core.errors import NotFoundError
from shieldwall.core.ports import Door
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, OrgId, Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.intel.attack import parse_tag, upgrade
from shieldwall.intel.cli import app
from shieldwall.runtime import Runtime, open_runtime

AMBER = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"


@dataclass
class Session:
    door: Door
    principal: Principal


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    yield rt
    rt.close()


def account(runtime: Runtime, email: str, org_of: str | None = None) -> Principal:
    ids = runtime.identities
    user = ids.create_user(email=email, name=email.split("@")[0])
    ids.verify_email(ids.start_email_verification(user.id))
    if org_of is None:
        ids.create_org(name=f"org of {email}", creator=ids.principal(user.id))
    else:
        ids.add_member(org_of, user.id, "member", by=LOCAL_OWNER)
    return ids.principal(user.id)


def indicator(n: int, value: str, *, marking: str | None = None) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "pattern": f"[domain-name:value = '{value}']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    if marking:
        obj["object_marking_refs"] = [marking]
    return obj


def test_sightings_count_per_indicator_and_follow_its_tlp(runtime: Runtime) -> None:
    door = runtime.gateway
    alice = account(runtime, "alice@one.example")
    mate = account(runtime, "mate@one.example", org_of=alice.org)
    bob = account(runtime, "bob@two.example")
    door.invoke("intel.collection.create", {"title": "feed", "tlp": "clear"}, alice)
    public, private = indicator(1, "evil.example"), indicator(2, "worse.example", marking=AMBER)
    door.invoke("intel.objects.add", {"collection": "feed", "objects": [public, private]}, alice)
    seen = {"first_seen": "2024-05-01T00:00:00Z", "last_seen": "2024-05-01T01:00:00Z"}
    sid = f"sighting--{uuid.uuid4()}"
    made = door.invoke(
        "intel.sighting.record",
        {"indicator": public["id"], "count": 3, "sighting_id": sid, **seen},
        bob,
    ).result
    assert (made["type"], made["sighting_of_ref"], made["count"]) == ("sighting", public["id"], 3)
    again = door.invoke(
        "intel.sighting.record",
        {"indicator": public["id"], "count": 3, "sighting_id": sid, **seen},
        bob,
    ).result
    assert again == made  # a retried detection does not count twice
    door.invoke("intel.sighting.record", {"indicator": public["id"], **seen}, alice)
    tally = door.invoke("intel.sightings", {"indicator": public["id"]}, mate).result
    assert (tally["count"], tally["sightings"]) == (4, 2)
    # An AMBER indicator cannot be sighted, nor counted, by someone outside its audience, and
    # the answer is the one an unknown id gets.
    for ask in ("intel.sighting.record", "intel.sightings"):
        payload: dict[str, Any] = {"indicator": private["id"]}
        if ask == "intel.sighting.record":
            payload |= seen
        with pytest.raises(NotFoundError) as hidden:
            door.invoke(ask, payload, bob)
        with pytest.raises(NotFoundError) as unknown:
            door.invoke(ask, {**payload, "indicator": f"indicator--{uuid.uuid4()}"}, bob)
        assert hidden.value.code == unknown.value.code
    door.invoke("intel.sighting.record", {"indicator": private["id"], **seen}, mate)
    assert door.invoke("intel.sightings", {"indicator": private["id"]}, alice).result["count"] == 1


def test_search_finds_values_only_where_the_reader_may_look(runtime: Runtime) -> None:
    door = runtime.gateway
    alice = account(runtime, "alice@one.example")
    bob = account(runtime, "bob@two.example")
    door.invoke("intel.collection.create", {"title": "feed", "tlp": "clear"}, alice)
    objs = [indicator(1, "Evil.example"), indicator(2, "evil.example", marking=AMBER)]
    door.invoke("intel.objects.add", {"collection": "feed", "objects": objs}, alice)

    def found(who: Principal) -> set[str]:
        hits = door.invoke("intel.search", {"term": "EVIL.example"}, who).result["results"]
        return {h["object"]["id"] for h in hits}

    assert found(alice) == {objs[0]["id"], objs[1]["id"]}
    assert found(bob) == {objs[0]["id"]}


def attack_bundle(tmp_path: Path) -> Path:
    """A small ATT&CK-shaped STIX 2.0 bundle (no spec_version, malware without is_family)."""
    ident = f"identity--{uuid.uuid4()}"
    base = {"created": "2020-01-01T00:00:00.000Z", "modified": "2020-01-01T00:00:00.000Z"}

    def ref(eid: str) -> list[dict[str, str]]:
        return [{"source_name": "mitre-attack", "external_id": eid}]

    objects = [
        {
            "type": "identity",
            "id": ident,
            "name": "MITRE",
            "identity_class": "organization",
            **base,
        },
        {
            "type": "x-mitre-tactic",
            "id": f"x-mitre-tactic--{uuid.uuid4()}",
            "name": "Defense Evasion",
            "x_mitre_shortname": "defense-evasion",
            "external_references": ref("TA0005"),
            **base,
        },
        {
            "type": "attack-pattern",
            "id": f"attack-pattern--{uuid.uuid4()}",
            "name": "Process Injection",
            "external_references": ref("T1055"),
            "created_by_ref": ident,
            **base,
        },
        {
            "type": "malware",
            "id": f"malware--{uuid.uuid4()}",
            "name": "PoisonIvy",
            "labels": ["malware"],
            "external_references": ref("S0012"),
            **base,
        },
    ]
    path = tmp_path / "attack-mini.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("attack-mini.json", json.dumps({"type": "bundle", "objects": objects}))
    return path


def test_attack_import_and_tag_resolution_with_v19_aliases(
    runtime: Runtime, tmp_path: Path
) -> None:
    runner = CliRunner()
    session = Session(door=runtime.gateway, principal=LOCAL_OWNER)
    made = runner.invoke(app, ["attack", "import", str(attack_bundle(tmp_path))], obj=session)
    assert made.exit_code == 0, made.output
    assert "4 of 4 objects in attack-mini; 0 rejected" in made.output
    again = runner.invoke(app, ["attack", "import", str(attack_bundle(tmp_path))], obj=session)
    assert again.exit_code == 0, again.output  # the collection exists: added to it
    tags = ["attack.t1055", "attack.defense_evasion", "attack.stealth", "attack.s0012", "x.y"]
    resolved = runner.invoke(app, ["attack", "resolve", *tags], obj=session)
    assert resolved.exit_code == 0, resolved.output
    lines = dict(line.split("\t") for line in resolved.output.strip().splitlines())
    assert lines["attack.t1055"].startswith("Process Injection attack-pattern--")
    assert lines["attack.defense_evasion"].startswith("Defense Evasion x-mitre-tactic--")
    assert lines["attack.stealth (alias of stealth)"].startswith("Defense Evasion")
    assert lines["attack.s0012"].startswith("PoisonIvy malware--")
    assert lines["x.y"] == "not found"
    # Anyone may read the reference collection (TLP:CLEAR); only the operator writes it.
    anonymous = Principal(id=PrincipalId("anon:x"), kind=PrincipalKind.ANONYMOUS, tier=Tier.PUBLIC)
    hits = runtime.gateway.invoke("intel.attack.resolve", {"tags": ["attack.t1055"]}, anonymous)
    assert hits.result["tags"][0]["resolved"]["name"] == "Process Injection"
    member = Principal(
        id=PrincipalId("user:x"), kind=PrincipalKind.API_KEY, tier=Tier.VERIFIED_ORG, org=OrgId("o")
    )
    from shieldwall.core.errors import DeniedError

    with pytest.raises(DeniedError):
        runtime.gateway.invoke(
            "intel.objects.add", {"collection": "attack-mini", "objects": []}, member
        )


@pytest.mark.parametrize(
    ("tag", "term", "kind", "alias"),
    [
        ("attack.t1055.011", "t1055.011", "technique", None),
        ("attack.TA0005", "ta0005", "tactic", None),
        ("attack.g0007", "g0007", "group", None),
        ("attack.privilege_escalation", "privilege-escalation", "tactic", None),
        ("attack.stealth", "defense-evasion", "tactic", "stealth"),
        ("attack.defense-impairment", "defense-evasion", "tactic", "defense-impairment"),
    ],
)
def test_parse_tag(tag: str, term: str, kind: str, alias: str | None) -> None:
    parsed = parse_tag(tag)
    assert parsed is not None
    assert (parsed.term, parsed.kind, parsed.alias_of) == (term, kind, alias)


def test_upgrade_leaves_21_objects_alone() -> None:
    obj = {"type": "malware", "spec_version": "2.1", "is_family": False}
    assert upgrade(obj) is obj
    assert upgrade({"type": "malware"}) == {
        "type": "malware",
        "spec_version": "2.1",
        "is_family": True,
    }
    assert parse_tag("not.attack") is None
