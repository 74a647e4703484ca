"""Sanitizing what leaves an organisation: internal values replaced or their objects withheld,
references adjusted, new STIX versions for changed objects, the policy and peer tables on
SQLite and PostgreSQL, and hypothesis properties (never crashes, nothing internal survives,
twice is once)."""

from __future__ import annotations

import json
import string
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stix2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import DeniedError, InputError
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER
from shieldwall.intel.peers import Peers, normalize_api_root
from shieldwall.intel.sanitize import (
    PLACEHOLDERS,
    Rule,
    SanitizePolicies,
    SanitizePolicy,
    find_internal,
    sanitize,
)
from shieldwall.intel.tlp import TLP2_IDS, Tlp
from shieldwall.intel.validate import check_object
from shieldwall.runtime import open_runtime
from shieldwall.store import open_store

POLICY = SanitizePolicy.parse(
    domains=["corp.example"],
    hostnames=["dc01", "build7.example.net"],
    networks=["203.0.113.0/24"],
    usernames=["jdoe", "svc_backup"],
    email_domains=["example.org"],
)
GREEN = next(k for k, v in TLP2_IDS.items() if v is Tlp.GREEN)
AMBER = next(k for k, v in TLP2_IDS.items() if v is Tlp.AMBER)
T0 = "2024-01-01T00:00:00.000Z"

# Values internal under POLICY (or always), as they appear in reports, defanged ones too.
INTERNAL = [
    "10.1.2.3",
    "172.16.5.4",
    "192.168.1.1",
    "127.0.0.1",
    "169.254.10.10",
    "203.0.113.77",
    "10.20.30.0/24",
    "10[.]1[.]2[.]3",
    "fe80::1",
    "fd00:1234::5",
    "::1",
    "::ffff:10.9.8.7",
    "dc01",
    "DC01.corp.example",
    "fileserver.corp.example",
    "corp.example",
    "wiki[.]corp[.]example",
    "build7.example.net",
    "printer.local",
    "vault.internal",
    "nas.home.arpa",
    "localhost",
    "jdoe@example.org",
    "alice@mail.corp.example",
    "bob[at]example.org",
    "jdoe",
    "SVC_BACKUP",
    "https://wiki.corp.example/page?id=1",
    "http://10.0.0.5:8080/admin",
    "hxxp://intranet[.]corp[.]example/",
]
PUBLIC = [
    "8.8.8.8",
    "198.51.100.7",
    "2001:db8::1",
    "evil.example.com",
    "corp.example.com",
    "mycorp.example",
    "mail@attacker.example",
    "https://attacker.example/payload",
    "jdoe2",
    "10:30:00",
    "00:1a:2b:3c:4d:5e",
    "the internal network",
    "a local copy",
]
WRAPPERS = [("", ""), ("(", ")"), ('"', '",'), ("'", "'"), ("<", ">"), ("[", "]."), ("", ":")]
_STRIP = "()[]{}<>\"',;:!?."


def obj(kind: str = "malware", n: int = 1, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{uuid.UUID(int=n, version=4)}",
        "created": T0,
        "modified": T0,
    }
    if kind == "malware":
        base.update(name="x", is_family=False)
    if kind == "indicator":
        base.update(
            pattern="[ipv4-addr:value = '198.51.100.1']",
            pattern_type="stix",
            valid_from="2024-01-01T00:00:00Z",
        )
    if kind in ("ipv4-addr", "domain-name"):
        base = {"type": kind, "spec_version": "2.1", "id": base["id"]}
    base.update(over)
    return base


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def tokens(value: Any) -> set[str]:
    return {t.strip(_STRIP).lower() for s in strings(value) for t in s.split()}


@pytest.mark.parametrize("value", INTERNAL)
@pytest.mark.parametrize(("before", "after"), WRAPPERS)
def test_an_internal_value_in_free_text_is_replaced(value: str, before: str, after: str) -> None:
    note = obj("malware", description=f"seen {before}{value}{after} twice")
    done = sanitize([note], POLICY)
    text = done.objects[0]["description"]
    assert value.lower() not in text.lower()
    assert any(p in text for p in PLACEHOLDERS.values())
    assert text.startswith("seen ")
    assert text.endswith(" twice")


@pytest.mark.parametrize("value", PUBLIC)
def test_a_public_value_is_left_alone(value: str) -> None:
    note = obj("malware", description=f"seen {value} twice")
    done = sanitize([note], POLICY)
    assert done.objects == [note]
    assert done.changes == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 70 + "@dc01.corp.example", "[internal e-mail address]"),
        ("ping @dc01.corp.example", "ping @[internal hostname]"),
        ("ip_10.0.0.1 and ip10.0.0.1", "ip_[internal IP] and ip[internal IP]"),
        ("10.0.0.1.corp.example", "[internal hostname]"),
        ("fe80::1: then", "[internal IP]: then"),
        ("CORP\\jdoe logged on to dc01.", "CORP\\[username] logged on to [internal hostname]."),
        ("jdoe@attacker.example", "[username]@attacker.example"),
        (
            "https://x.example/?next=http://10.0.0.1/",
            "https://x.example/?next=http://[internal IP]/",
        ),
        ("(https://jdoe:pw@wiki.corp.example/a).", "([internal URL])."),
    ],
)
def test_edges(text: str, expected: str) -> None:
    assert sanitize([obj(description=text)], POLICY).objects[0]["description"] == expected


def test_placeholders_and_the_words_local_and_internal_are_not_internal() -> None:
    for placeholder in PLACEHOLDERS.values():
        assert find_internal(f"a {placeholder} b", POLICY) == []
    assert find_internal("our internal network, a local copy", POLICY) == []
    rules = {r for r, _ in find_internal("10.0.0.1 dc01 x.corp.example 203.0.113.1", POLICY)}
    assert rules == {"private-ip", "internal-hostname", "internal-domain", "internal-network"}


def test_strip_all_emails_and_internal_email_domains() -> None:
    text = "from jdoe@example.org and mallory@attacker.example"
    kept = sanitize([obj(description=text)], POLICY).objects[0]["description"]
    assert kept == f"from {PLACEHOLDERS['email']} and mallory@attacker.example"
    strict = SanitizePolicy.parse(email_domains=["example.org"], strip_all_emails=True)
    both = sanitize([obj(description=text)], strict).objects[0]["description"]
    assert both == f"from {PLACEHOLDERS['email']} and {PLACEHOLDERS['any-email']}"


def test_internal_indicators_and_observables_are_withheld_with_what_needs_them() -> None:
    internal = obj("indicator", 1, pattern="[ipv4-addr:value = '10.0.0.5']")
    public = obj("indicator", 2, description="beacons from host dc01")
    malware = obj("malware", 3)
    rel_internal = obj(
        "relationship",
        4,
        relationship_type="indicates",
        source_ref=internal["id"],
        target_ref=malware["id"],
    )
    rel_public = obj(
        "relationship",
        5,
        relationship_type="indicates",
        source_ref=public["id"],
        target_ref=malware["id"],
    )
    sighting = obj("sighting", 6, sighting_of_ref=internal["id"])
    report_mixed = obj(
        "report", 7, name="r", published=T0, object_refs=[internal["id"], public["id"]]
    )
    report_only = obj("report", 8, name="r", published=T0, object_refs=[internal["id"]])
    addr = obj("ipv4-addr", 9, value="192.168.7.7")
    observed = obj(
        "observed-data",
        10,
        first_observed=T0,
        last_observed=T0,
        number_observed=1,
        object_refs=[addr["id"]],
    )
    note_on_relationship = obj("note", 11, content="see", object_refs=[rel_internal["id"]])
    given_objects = [
        internal,
        public,
        malware,
        rel_internal,
        rel_public,
        sighting,
        report_mixed,
        report_only,
        addr,
        observed,
        note_on_relationship,
    ]
    done = sanitize(given_objects, POLICY)
    out = {o["id"]: o for o in done.objects}
    assert set(out) == {public["id"], malware["id"], rel_public["id"], report_mixed["id"]}
    assert out[report_mixed["id"]]["object_refs"] == [public["id"]]
    assert out[public["id"]]["description"] == f"beacons from host {PLACEHOLDERS['hostname']}"
    assert out[malware["id"]] == malware  # untouched: the same version
    withheld = {c.object_id: c for c in done.changes if c.action == "withheld"}
    assert withheld[internal["id"]].rule is Rule.PRIVATE_IP
    assert withheld[internal["id"]].path == "pattern"
    assert withheld[addr["id"]].rule is Rule.PRIVATE_IP
    for dependent in (rel_internal, sighting, report_only, observed, note_on_relationship):
        assert withheld[dependent["id"]].rule is Rule.WITHHELD_REFERENCE
    for o in done.objects:  # what leaves is still valid STIX 2.1 (ours and the oracle)
        check_object(o)
        stix2.parse(o, allow_custom=True)


def test_a_changed_object_is_a_new_version_never_the_same_one_with_other_content() -> None:
    first = obj("malware", 1, description="found on dc01")
    later = obj("malware", 1, description="still on dc01", modified="2024-01-01T00:00:00.001Z")
    done = sanitize([first, later], POLICY)
    versions = [o["modified"] for o in done.objects]
    # The next free millisecond after each: .001 is taken by the later version.
    assert versions == ["2024-01-01T00:00:00.002Z", "2024-01-01T00:00:00.003Z"]
    assert all(o["created"] == T0 for o in done.objects)
    known = sanitize([first], POLICY, known_versions={first["id"]: [1_704_067_200_001_000]})
    assert known.objects[0]["modified"] == "2024-01-01T00:00:00.002Z"
    kinds = {(c.path, c.action) for c in done.changes}
    assert ("modified", "new-version") in kinds
    assert ("description", "replaced") in kinds


def test_explicit_tlp_keeps_a_reshare_from_widening() -> None:
    unmarked = obj("malware", 1)
    marked = obj("malware", 2, object_marking_refs=[AMBER])
    addr = obj("ipv4-addr", 3, value="198.51.100.3")
    done = sanitize([unmarked, marked, addr], POLICY, explicit_tlp=Tlp.GREEN)
    out = {o["id"]: o for o in done.objects}
    assert out[unmarked["id"]]["object_marking_refs"] == [GREEN]
    assert out[unmarked["id"]]["modified"] == "2024-01-01T00:00:00.001Z"  # a new version
    assert out[marked["id"]] == marked  # its own marking stands
    assert out[addr["id"]]["object_marking_refs"] == [GREEN]  # no versions for observables
    assert "modified" not in out[addr["id"]]
    assert sanitize([unmarked], POLICY, explicit_tlp=Tlp.CLEAR).objects == [unmarked]


def test_internal_keys_are_dropped_and_changes_never_hold_values() -> None:
    o = obj(
        "malware",
        x_hosts={"dc01.corp.example": 3, "evil.example.com": 1},
        external_references=[
            {"source_name": "wiki", "url": "https://wiki.corp.example/ir/42"},
            {"source_name": "vendor", "url": "https://vendor.example/blog"},
        ],
    )
    done = sanitize([o], POLICY)
    out = done.objects[0]
    assert out["x_hosts"] == {"evil.example.com": 1}
    assert out["external_references"][0]["url"] == PLACEHOLDERS["url"]
    assert out["external_references"][1]["url"] == "https://vendor.example/blog"
    ledger = json.dumps([c.to_json() for c in done.changes])
    for secret in ("dc01", "corp.example", "wiki"):
        assert secret not in ledger


def test_the_caller_withholds_more_and_references_to_it_go() -> None:
    amber = obj("indicator", 1, object_marking_refs=[AMBER])
    report = obj("report", 2, name="r", published=T0, object_refs=[amber["id"], "malware--x"])
    done = sanitize([amber, report], POLICY, withheld=[amber["id"]])
    assert [o["id"] for o in done.objects] == [report["id"]]
    assert done.objects[0]["object_refs"] == ["malware--x"]
    rules = {c.object_id: c.rule for c in done.changes if c.action == "withheld"}
    assert rules == {amber["id"]: Rule.WITHHELD_BY_CALLER}


def test_bad_policies_are_refused() -> None:
    with pytest.raises(InputError) as bad_net:
        SanitizePolicy.parse(networks=["10.0.0.0/33"])
    assert bad_net.value.code == "intel.bad_sanitize_policy"
    with pytest.raises(InputError):
        SanitizePolicy.parse(domains=["not a domain"])
    with pytest.raises(InputError):
        SanitizePolicy.parse(usernames=["[username]"])
    again = SanitizePolicy.from_json(POLICY.to_json())
    assert again == POLICY


# -- hypothesis -------------------------------------------------------------------------------
_FILLER = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",), blacklist_characters=string.ascii_letters + string.digits
    ),
    max_size=12,
)
_VALUE = st.one_of(st.sampled_from(INTERNAL), st.sampled_from(PUBLIC))


@st.composite
def texts(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 6))):
        before, after = draw(st.sampled_from(WRAPPERS))
        parts.append(draw(_FILLER))
        parts.append(f"{before}{draw(_VALUE)}{after}")
    parts.append(draw(_FILLER))
    return " ".join(parts)


@st.composite
def stixish(draw: st.DrawFn) -> list[dict[str, Any]]:
    """SDOs, indicators, relationships, reports and observables whose strings mix internal and
    public values, among each other's references."""
    ids: list[str] = []
    out: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 8))):
        kind = draw(
            st.sampled_from(["malware", "indicator", "report", "relationship", "ipv4-addr", "x-t"])
        )
        o = obj(kind, n + 1)
        if kind == "ipv4-addr":
            o["value"] = draw(st.sampled_from(["10.1.1.1", "198.51.100.9", "192.168.2.2"]))
        else:
            o["description"] = draw(texts())
            o["x_notes"] = draw(st.lists(texts(), max_size=3))
            o["x_map"] = {draw(_VALUE): draw(texts())}
            o["external_references"] = [{"source_name": "s", "url": draw(_VALUE)}]
        if kind == "indicator":
            o["pattern"] = f"[domain-name:value = '{draw(_VALUE)}']"
        if kind == "report" and ids:
            o.update(
                name=draw(texts()),
                published=T0,
                object_refs=draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3)),
            )
        if kind == "relationship" and ids:
            o.update(
                relationship_type="related-to",
                source_ref=draw(st.sampled_from(ids)),
                target_ref=draw(st.sampled_from(ids)),
            )
        ids.append(o["id"])
        out.append(o)
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objects=stixish(), tlp=st.sampled_from([None, Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER]))
def test_nothing_internal_survives_and_twice_is_once(
    objects: list[dict[str, Any]], tlp: Tlp | None
) -> None:
    done = sanitize(objects, POLICY, explicit_tlp=tlp)
    left = tokens(done.objects)
    for value in INTERNAL:
        assert value.lower() not in left, value
    for o in done.objects:
        for text in strings({k: v for k, v in o.items() if k not in ("id", "type")}):
            assert find_internal(text, POLICY) == [], text
    ledger = tokens([c.to_json() for c in done.changes])
    assert not ledger & {v.lower() for v in INTERNAL}
    again = sanitize(done.objects, POLICY, explicit_tlp=tlp)
    assert again.objects == done.objects
    assert again.changes == []
    withheld = {c.object_id for c in done.changes if c.action == "withheld"}
    assert withheld.isdisjoint({o["id"] for o in done.objects})
    for o in done.objects:  # a changed object never keeps the original's version
        if o not in objects:
            originals = [x for x in objects if x["id"] == o["id"]]
            assert all(x.get("modified") != o.get("modified") for x in originals if "modified" in o)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts() | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.one_of(st.text(max_size=8), _VALUE), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.one_of(
            _JSON,
            st.fixed_dictionaries(
                {"id": st.one_of(st.text(max_size=20), _VALUE), "type": st.text(max_size=10)},
                optional={
                    "modified": st.one_of(st.just(T0), st.text(max_size=30)),
                    "object_marking_refs": st.lists(st.text(max_size=60), max_size=2),
                    "object_refs": st.lists(_JSON, max_size=3),
                    "source_ref": _JSON,
                    "pattern": st.one_of(texts(), _JSON),
                    "description": _JSON,
                },
            ),
        ),
        max_size=6,
    )
)
def test_arbitrary_input_never_crashes(items: list[Any]) -> None:
    done = sanitize(items, POLICY, explicit_tlp=Tlp.AMBER)
    assert len(done.objects) <= len(items)
    assert all(isinstance(o, dict) for o in done.objects)


# -- the tables ---------------------------------------------------------------------------------
def test_policies_and_peers_are_stored(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        policies = SanitizePolicies(engine)
        assert policies.get("org1") == SanitizePolicy()
        policies.put("org1", POLICY, by="user:u1")
        policies.put(None, SanitizePolicy.parse(usernames=["root"]), by="owner:local")
        assert policies.get("org1") == POLICY
        assert policies.get(None).usernames == ("root",)
        policies.put("org1", SanitizePolicy(), by="user:u1")  # replaced whole
        assert policies.get("org1") == SanitizePolicy()

        peers = Peers(engine)
        made = peers.add(
            name="ISAC", url="HTTPS://Hub.Example:443/taxii2/api", pull=True, push=False, by="x"
        )
        assert made.name == "isac"
        assert made.api_root == "https://hub.example/taxii2/api/"
        assert made.max_tlp is Tlp.GREEN
        assert peers.require("https://hub.example/taxii2/api/", "pull").name == "isac"
        assert peers.require("isac", "pull").api_root == made.api_root
        with pytest.raises(DeniedError) as direction:
            peers.require("isac", "push")
        assert direction.value.code == "intel.peer_direction"
        peers.add(name="isac", url=made.api_root, pull=True, push=True, max_tlp=Tlp.AMBER, by="x")
        assert peers.require("isac", "push").max_tlp is Tlp.AMBER
        with pytest.raises(DeniedError) as unlisted:
            peers.require("https://elsewhere.example/taxii2/api/", "pull")
        assert unlisted.value.code == "intel.peer_not_allowed"
        assert "shieldwall intel peer add" in (unlisted.value.hint or "")
        with pytest.raises(InputError) as taken:
            peers.add(name="other", url=made.api_root, pull=True, push=False, by="x")
        assert taken.value.code == "intel.peer_taken"
        with pytest.raises(InputError):
            peers.add(
                name="red", url="https://r.example/", pull=False, push=True, max_tlp=Tlp.RED, by="x"
            )
        assert [p.name for p in peers.list()] == ["isac"]
        assert peers.remove("isac")
        assert not peers.remove("isac")
        assert peers.find("isac") is None
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "url",
    ["ftp://hub.example/", "https://user:pw@hub.example/api/", "https://hub.example/?q=1", "hub"],
)
def test_peer_urls_that_are_not_api_roots_are_refused(url: str) -> None:
    with pytest.raises(InputError):
        normalize_api_root(url)


# -- through the door: who manages peers and policies -----------------------------------------
def test_only_hub_admins_manage_peers_and_org_admins_their_policy(tmp_path: Path) -> None:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        ids = rt.identities

        def user(email: str) -> str:
            made = ids.create_user(email=email, name=email.split("@")[0])
            ids.verify_email(ids.start_email_verification(made.id))
            return made.id

        admin_id, member_id, other_id = (
            user("a@one.example"),
            user("m@one.example"),
            user("o@two.example"),
        )
        org = ids.create_org(name="one", creator=ids.principal(admin_id)).id
        ids.add_member(org, member_id, "member", by=LOCAL_OWNER)
        other_org = ids.create_org(name="two", creator=ids.principal(other_id)).id
        ids.vet(member_id, by=LOCAL_OWNER)  # a vetted defender (tier 3), not a hub admin
        admin, member, other = (ids.principal(u) for u in (admin_id, member_id, other_id))
        door = rt.gateway
        peer = {"name": "isac", "url": "https://isac.example/taxii2/api/", "push": True}
        with pytest.raises(DeniedError) as not_hub_admin:
            door.invoke("intel.peer.add", peer, member)
        assert not_hub_admin.value.code == "intel.not_hub_admin"
        with pytest.raises(DeniedError):  # tier 1: refused at the door before the handler
            door.invoke("intel.peer.add", peer, admin)
        assert door.invoke("intel.peer.add", peer, LOCAL_OWNER).result["push"] is True
        assert [p["name"] for p in door.invoke("intel.peer.list", {}, admin).result["peers"]] == [
            "isac"
        ]

        rules = {"domains": ["one.example"], "usernames": ["jdoe"]}
        set_by_admin = door.invoke("intel.sanitize.policy.set", rules, admin).result
        assert set_by_admin["org"] == org
        assert set_by_admin["policy"]["domains"] == ["one.example"]
        with pytest.raises(DeniedError) as not_admin:
            door.invoke("intel.sanitize.policy.set", {"usernames": []}, member)
        assert not_admin.value.code == "intel.not_org_admin"
        with pytest.raises(DeniedError):
            door.invoke("intel.sanitize.policy.get", {}, member)
        with pytest.raises(DeniedError):  # another organisation's admin
            door.invoke("intel.sanitize.policy.get", {"org": org}, other)
        assert door.invoke("intel.sanitize.policy.get", {}, other).result["org"] == other_org
        got = door.invoke("intel.sanitize.policy.get", {"org": org}, LOCAL_OWNER).result
        assert got["policy"]["usernames"] == ["jdoe"]
        with pytest.raises(InputError):
            door.invoke("intel.sanitize.policy.set", {"networks": ["nope"]}, admin)
    finally:
        rt.close()
