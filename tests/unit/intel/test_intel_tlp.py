from __future__ import annotations

import pytest

from shieldwall.core.errors import InputError
from shieldwall.core.types import (
    ANONYMOUS,
    LOCAL_OWNER,
    OrgId,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.intel.tlp import (
    TLP1_IDS,
    TLP2_IDS,
    Audience,
    Tlp,
    check_marking_definition,
    effective_tlp,
    may_read,
    readable_levels,
    tlp_of_ref,
)

CLEAR, GREEN, AMBER, STRICT, RED = (
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
)
OTHER_MARKING = "marking-definition--1b6a1a0a-3b4a-4c4f-9d4a-0a0a0a0a0a0a"


def member(
    org: str | None, *, pid: str = "user:u1", tier: Tier = Tier.VERIFIED_INDIVIDUAL
) -> Principal:
    return Principal(
        id=PrincipalId(pid),
        kind=PrincipalKind.API_KEY,
        tier=tier,
        org=OrgId(org) if org else None,
    )


def test_the_five_official_ids_map_to_their_levels() -> None:
    assert [TLP2_IDS[i] for i in (CLEAR, GREEN, AMBER, STRICT, RED)] == list(Tlp)
    assert set(TLP1_IDS.values()) == {Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.RED}


def test_the_most_restrictive_marking_wins() -> None:
    assert effective_tlp([CLEAR, RED, GREEN], default=Tlp.CLEAR) is Tlp.RED
    assert effective_tlp([AMBER, STRICT], default=Tlp.CLEAR) is Tlp.AMBER_STRICT
    assert effective_tlp([OTHER_MARKING], default=Tlp.AMBER) is Tlp.AMBER
    assert effective_tlp([], default=Tlp.GREEN) is Tlp.GREEN


@pytest.mark.parametrize(
    "ref",
    [
        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8488",  # CLEAR, last digit off
        "marking-definition--e828b379-0000-4974-9ac4-e53a884c97c1",  # RED look-alike
        "marking-definition--not-a-uuid",
        "indicator--94868c89-83c2-464b-929b-a1a8aa3c8487",
    ],
)
def test_look_alike_and_malformed_refs_are_rejected(ref: str) -> None:
    with pytest.raises(InputError):
        tlp_of_ref(ref)


def test_embedded_tlp_definitions_must_use_official_ids() -> None:
    fake = {
        "type": "marking-definition",
        "id": OTHER_MARKING,
        "name": "TLP:CLEAR",
        "definition_type": "tlp",
        "definition": {"tlp": "clear"},
    }
    with pytest.raises(InputError, match="official TLP ids"):
        check_marking_definition(fake)
    check_marking_definition({**fake, "id": CLEAR})
    with pytest.raises(InputError, match="content says"):
        check_marking_definition({**fake, "id": RED})  # RED's id, CLEAR's content
    check_marking_definition(
        {"type": "marking-definition", "id": OTHER_MARKING, "name": "Copyright ACME"}
    )


def test_tlp_parse() -> None:
    assert Tlp.parse("AMBER+STRICT") is Tlp.AMBER_STRICT
    assert Tlp.parse("TLP:clear") is Tlp.CLEAR
    with pytest.raises(InputError):
        Tlp.parse("white")


OWNER_ORG = "o1"
AUDIENCE = Audience(owner_org=OWNER_ORG, orgs=frozenset({"o3"}), people=frozenset({"user:red"}))


def verified_org_member(org: str, pid: str = "user:v") -> Principal:
    return member(org, pid=pid, tier=Tier.VERIFIED_ORG)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (ANONYMOUS, {Tlp.CLEAR}),
        (member(None, tier=Tier.PUBLIC), {Tlp.CLEAR}),
        (member(OWNER_ORG, tier=Tier.PUBLIC), {Tlp.CLEAR}),  # e-mail not verified
        (member("o2"), {Tlp.CLEAR}),  # a verified individual is not the community
        (verified_org_member("o2"), {Tlp.CLEAR, Tlp.GREEN}),  # the community
        (member("o3"), {Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER}),  # named for AMBER
        (member(OWNER_ORG, pid="user:u2"), {Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT}),
        (member("o2", pid="user:red"), {Tlp.CLEAR, Tlp.RED}),  # named for RED only
        (member(OWNER_ORG, pid="user:creator"), set(Tlp)),  # RED: what they added
        (LOCAL_OWNER, {Tlp.CLEAR, Tlp.GREEN}),  # the operator reads others' AMBER/RED no more
    ],
)
def test_who_may_read_what(who: Principal, expected: set[Tlp]) -> None:
    got = {t for t in Tlp if may_read(who, t, audience=AUDIENCE, created_by="user:creator")}
    assert got == expected


def test_the_operator_reads_all_of_its_own_collections_and_what_names_it() -> None:
    own = Audience(owner_org=None)
    assert readable_levels(LOCAL_OWNER, own) == frozenset(set(Tlp) - {Tlp.RED})
    named = Audience(owner_org=OWNER_ORG, people=frozenset({LOCAL_OWNER.id}))
    assert Tlp.RED in readable_levels(LOCAL_OWNER, named)
    # An operator-owned collection is nobody else's AMBER: no org of None for API principals.
    assert readable_levels(member(None), own) == frozenset({Tlp.CLEAR})


def test_amber_with_no_owner_org_is_nobodys() -> None:
    assert not may_read(member(None), Tlp.AMBER, audience=Audience(owner_org="o9"))
