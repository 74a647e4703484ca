"""The ATT&CK table: 18.1 names, revoked ids, and the explicit ATT&CK v19 additions."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shieldwall.detect.attack import (
    TACTIC_ALIASES,
    V19_REPLACED,
    V19_TECHNIQUES,
    Attack,
    load_attack,
    tactic_in_18,
)


@pytest.fixture(scope="module")
def attack() -> Attack:
    return load_attack()


@pytest.fixture(scope="module")
def raw() -> dict[str, object]:
    text = resources.files("shieldwall.detect").joinpath("data/attack.json").read_text("utf-8")
    data: dict[str, object] = json.loads(text)
    return data


def test_the_table_says_where_it_comes_from_and_under_which_terms(attack: Attack) -> None:
    assert attack.version == "18.1"
    assert attack.domain == "enterprise-attack"
    assert "MITRE" in attack.terms_of_use
    assert "attack.mitre.org/resources/legal-and-branding/terms-of-use" in attack.terms_of_use


def test_techniques_and_sub_techniques_have_names_and_tactics(attack: Attack) -> None:
    lsass = attack.technique("t1003.001")
    assert lsass is not None
    assert lsass.id == "T1003.001"
    assert lsass.full_name == "OS Credential Dumping: LSASS Memory"
    assert lsass.tactics == ("credential-access",)
    assert lsass.url == "https://attack.mitre.org/techniques/T1003/001/"
    assert attack.technique("T9999") is None
    assert attack.technique("not a technique") is None


def test_a_revoked_id_names_the_technique_that_replaced_it(
    attack: Attack, raw: dict[str, object]
) -> None:
    revoked = raw["revoked"]
    assert isinstance(revoked, dict)
    assert revoked, "the 18.1 bundle revokes techniques; the table must carry them"
    for old, new in revoked.items():
        found = attack.technique(old)
        assert found is not None
        assert found.id == new


def test_defense_evasion_techniques_are_stealth_in_v19(attack: Attack) -> None:
    deletion = attack.technique("T1070.004")
    assert deletion is not None
    assert deletion.tactics == ("stealth",)


def test_every_v19_technique_resolves_and_maps_back_to_a_live_18_technique(
    attack: Attack, raw: dict[str, object]
) -> None:
    techniques = raw["techniques"]
    assert isinstance(techniques, dict)
    for tid, extra in V19_TECHNIQUES.items():
        found = attack.technique(tid)
        assert found is not None, tid
        assert found.name == extra.name
        assert found.id_19 == tid
        assert found.id_18 == extra.replaces
        assert extra.replaces in techniques, f"{tid} replaces {extra.replaces}, unknown in 18.1"
    for old, new in V19_REPLACED.items():
        assert old in techniques, old
        assert attack.technique(new) is not None, new


def test_an_18_technique_that_v19_moved_is_under_defense_impairment(attack: Attack) -> None:
    evt = attack.technique("T1562.002")
    assert evt is not None
    assert evt.name == "Disable Windows Event Logging"
    assert evt.tactics == ("defense-impairment",)
    assert evt.id_19 == "T1685.001"
    tools = attack.technique("T1685")
    assert tools is not None
    assert (tools.full_name, tools.tactics) == ("Disable or Modify Tools", ("defense-impairment",))
    sub = attack.technique("T1685.005")
    assert sub is not None
    assert sub.full_name == "Disable or Modify Tools: Clear Windows Event Logs"


def test_technique_ids_translate_between_versions(attack: Attack) -> None:
    assert attack.technique_for("T1685", "18") == "T1562.001"
    assert attack.technique_for("T1685", "19") == "T1685"
    assert attack.technique_for("T1562.002", "19") == "T1685.001"
    assert attack.technique_for("T1003.001", "18") == "T1003.001"
    assert attack.technique_for("T1003.001", "19") == "T1003.001"
    assert attack.technique_for("T9999", "18") is None


def test_tactics_are_the_v19_columns_in_matrix_order(attack: Attack) -> None:
    names = [t.shortname for t in attack.tactics]
    assert len(names) == 15
    assert names.index("privilege-escalation") < names.index("stealth")
    assert names.index("stealth") + 1 == names.index("defense-impairment")
    assert names.index("defense-impairment") < names.index("credential-access")
    assert "defense-evasion" not in names
    assert [t.order for t in attack.tactics] == list(range(15))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("stealth", "stealth"),
        ("defense-evasion", "stealth"),
        ("defense_evasion", "stealth"),
        ("Defense Evasion", "stealth"),
        ("TA0005", "stealth"),
        ("defense-impairment", "defense-impairment"),
        ("TA0112", "defense-impairment"),
        ("Command and Control", "command-and-control"),
        ("credential_access", "credential-access"),
    ],
)
def test_tactics_resolve_by_any_of_their_names(attack: Attack, name: str, expected: str) -> None:
    found = attack.tactic(name)
    assert found is not None
    assert found.shortname == expected


def test_every_tactic_alias_and_v19_tactic_has_an_18_equivalent(attack: Attack) -> None:
    for old, new in TACTIC_ALIASES.items():
        assert attack.tactic(old) == attack.tactic(new)
    assert tactic_in_18("stealth") == "defense-evasion"
    assert tactic_in_18("defense-impairment") == "defense-evasion"
    assert tactic_in_18("execution") == "execution"


def test_tags_sort_into_techniques_tactics_and_the_rest(attack: Attack) -> None:
    tags = attack.resolve_tags(
        [
            "attack.execution",
            "attack.t1059.001",
            "attack.stealth",
            "attack.defense_impairment",
            "attack.t1685",
            "attack.g0007",
            "attack.s0002",
            "attack.ds0005",
            "attack.t9999",
            "attack.no-such-tactic",
            "car.2013-05-004",
            "cve.2021-44228",
        ]
    )
    assert [t.id for t in tags.techniques] == ["T1059.001", "T1685"]
    assert [t.shortname for t in tags.tactics] == ["execution", "stealth", "defense-impairment"]
    assert tags.unresolved == ("attack.t9999", "attack.no-such-tactic")
    assert tags.other == ("attack.g0007", "attack.s0002", "attack.ds0005")


def test_tactics_of_techniques_come_out_in_matrix_order(attack: Attack) -> None:
    assert attack.tactics_of(["T1486", "T1003.001", "T1059.001"]) == (
        "execution",
        "credential-access",
        "impact",
    )
    assert attack.ordered(["impact", "defense-evasion", "made-up", "execution"]) == (
        "execution",
        "stealth",
        "impact",
        "made-up",
    )


@given(st.lists(st.text(max_size=40), max_size=20))
def test_resolving_arbitrary_tags_never_fails(tags: list[str]) -> None:
    result = load_attack().resolve_tags(tags)
    for tag in result.unresolved + result.other:
        assert tag in tags
