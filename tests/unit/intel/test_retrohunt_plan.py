"""STIX patterns to plain observables for a retro-hunt: what is huntable (``=`` / IN joined by
OR), what is skipped and why, and that no pattern text makes it raise (hypothesis)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.intel.retrohunt import plan

IID = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def indicator(pattern: str, **extra: Any) -> dict[str, Any]:
    return {"type": "indicator", "id": IID, "pattern": pattern, "pattern_type": "stix", **extra}


def values(pattern: str) -> list[tuple[str, str]]:
    found = plan(indicator(pattern))
    assert found.reason is None, found.reason
    assert all(o["ref"] == IID for o in found.observables)
    return [(o["type"], o["value"]) for o in found.observables]


def test_equal_comparisons_joined_by_or_are_hunted() -> None:
    assert values("[ipv4-addr:value = '203.0.113.7']") == [("ipv4-addr", "203.0.113.7")]
    assert values(
        "[domain-name:value = 'evil.example' OR url:value = 'http://evil.example/a']"
        " OR ([email-addr:value = 'x@evil.example'])"
    ) == [
        ("domain-name", "evil.example"),
        ("url", "http://evil.example/a"),
        ("email-addr", "x@evil.example"),
    ]
    assert values("[ipv6-addr:value IN ('2001:db8::1', '2001:db8::2')]") == [
        ("ipv6-addr", "2001:db8::1"),
        ("ipv6-addr", "2001:db8::2"),
    ]
    assert values("[ipv4-addr:value = '1.2.3.4'] OR [ipv4-addr:value = '1.2.3.4']") == [
        ("ipv4-addr", "1.2.3.4")
    ]


def test_values_reached_through_references_and_hashes() -> None:
    found = plan(indicator(f"[file:hashes.'SHA-256' = '{SHA256}' OR file:name = 'upd.exe']"))
    assert found.observables == (
        {"type": "file-hash", "value": SHA256, "hash_algo": "SHA-256", "ref": IID},
        {"type": "file-name", "value": "upd.exe", "ref": IID},
    )
    assert values(
        "[network-traffic:dst_ref.value = '2001:db8::7' OR network-traffic:src_ref.value = "
        "'198.51.100.2' OR email-message:from_ref.value = 'a@b.example' OR "
        "process:image_ref.name = 'x.exe']"
    ) == [
        ("ipv6-addr", "2001:db8::7"),
        ("ipv4-addr", "198.51.100.2"),
        ("email-addr", "a@b.example"),
        ("file-name", "x.exe"),
    ]


def test_comparisons_on_other_objects_in_an_or_are_left_out_and_listed() -> None:
    found = plan(
        indicator(
            "[ipv4-addr:value = '203.0.113.7'] OR "
            "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Run\\\\x']"
        )
    )
    assert found.observables == ({"type": "ipv4-addr", "value": "203.0.113.7", "ref": IID},)
    assert found.left_out == ("windows-registry-key:key",)
    nothing = plan(indicator("[windows-registry-key:key = 'HKLM\\\\x']"))
    assert nothing.observables == ()
    assert "windows-registry-key:key" in (nothing.reason or "")


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("[ipv4-addr:value = '1.2.3.4' AND ipv4-addr:value = '5.6.7.8']", "AND"),
        ("[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'a.example']", "AND"),
        ("[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '5.6.7.8']", "FOLLOWEDBY"),
        ("[ipv4-addr:value NOT = '1.2.3.4']", "NOT"),
        ("[ipv4-addr:value = '1.2.3.4'] WITHIN 60 SECONDS", "WITHIN"),
        ("[ipv4-addr:value = '1.2.3.4'] REPEATS 5 TIMES", "REPEATS"),
        (
            "[ipv4-addr:value = '1.2.3.4'] START t'2024-01-01T00:00:00Z' "
            "STOP t'2024-02-01T00:00:00Z'",
            "START",
        ),
        ("[domain-name:value LIKE '%.example']", "LIKE"),
        ("[domain-name:value MATCHES '^a']", "MATCHES"),
        ("[ipv4-addr:value != '1.2.3.4']", "!="),
        ("[ipv4-addr:value ISSUBSET '10.0.0.0/8']", "ISSUBSET"),
    ],
)
def test_patterns_a_search_for_values_cannot_tell_are_skipped(pattern: str, why: str) -> None:
    found = plan(indicator(pattern))
    assert found.observables == ()
    assert why in (found.reason or "")


def test_revoked_other_languages_and_withheld_patterns_are_skipped() -> None:
    assert "revoked" in (
        plan(indicator("[ipv4-addr:value = '1.2.3.4']", revoked=True)).reason or ""
    )
    sigma = plan(indicator("title: x", pattern_type="sigma"))
    assert "sigma" in (sigma.reason or "")
    withheld = plan({"type": "indicator", "id": IID, "pattern_type": "stix"})
    assert "no pattern" in (withheld.reason or "")
    broken = plan(indicator("[ipv4-addr:value = "))
    assert "does not parse" in (broken.reason or "")


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.one_of(
        st.text(max_size=120),
        st.builds(
            lambda kind, value: f"[{kind}:value = '{value}']",
            st.sampled_from(["ipv4-addr", "domain-name", "url", "x-thing"]),
            st.text(alphabet=st.characters(blacklist_characters="'\\"), max_size=40),
        ),
    )
)
def test_no_pattern_text_makes_planning_raise(pattern: str) -> None:
    found = plan(indicator(pattern))
    assert (found.reason is None) == bool(found.observables)
