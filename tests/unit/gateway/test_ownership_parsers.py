"""The parsers of untrusted text behind proof of ownership: domains, ranges, targets and key
authorizations. Arbitrary text never crashes them; it is accepted canonically or refused with
an InputError."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.gateway.ownership import (
    AssetClaim,
    AssetKind,
    ClaimStatus,
    ProofMethod,
    account_thumbprint,
    key_authorization,
    normalize_cidr,
    normalize_domain,
    normalize_target,
    parse_key_authorization,
)

# Text that looks like what people paste: host names, addresses, URLs, IDNs, junk.
hostish = st.lists(
    st.sampled_from(
        [*"abcxyz019-._*:/[]% \t\n", "ü", "ß", "。", "\uff11", "\u200d", "xn--", "0x", "::", "com"]
    ),
    max_size=20,
).map("".join)
untrusted = st.one_of(st.text(max_size=300), hostish)
label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
T = TypeVar("T")


def _attempt(parse: Callable[[str], T], text: str) -> T | InputError:
    """The parse, or the InputError it raised; any other exception fails the test."""
    try:
        return parse(text)
    except InputError as err:
        return err


domains = st.lists(label, min_size=1, max_size=4).map(lambda ls: ".".join([*ls, "example"]))


@given(untrusted)
@settings(max_examples=400)
def test_normalize_domain_accepts_canonically_or_raises_input_error(text: str) -> None:
    name = _attempt(normalize_domain, text)
    if isinstance(name, InputError):
        assert name.code == "gateway.bad_domain"
        return
    assert name == name.lower().strip()
    assert not name.endswith(".")
    assert "*" not in name
    assert name.isascii()
    assert normalize_domain(name) == name  # idempotent


@given(untrusted)
@settings(max_examples=400)
def test_normalize_cidr_accepts_canonically_or_raises_input_error(text: str) -> None:
    network = _attempt(normalize_cidr, text)
    if isinstance(network, InputError):
        assert network.code == "gateway.bad_range"
        return
    assert str(ipaddress.ip_network(network)) == network
    assert normalize_cidr(network) == network


@given(untrusted)
@settings(max_examples=400)
def test_normalize_target_never_crashes(text: str) -> None:
    target = _attempt(normalize_target, text)
    assert isinstance(target, InputError | str | ipaddress.IPv4Address | ipaddress.IPv6Address)


@given(untrusted)
@settings(max_examples=400)
def test_parse_key_authorization_never_crashes(text: str) -> None:
    parsed = _attempt(parse_key_authorization, text)
    if isinstance(parsed, InputError):
        assert parsed.code == "gateway.bad_key_authorization"
        return
    assert str(parsed) == text.strip()


@given(st.text(alphabet=st.sampled_from("ABCxyz019_-."), max_size=200))
def test_parse_key_authorization_near_misses(text: str) -> None:
    parsed = _attempt(parse_key_authorization, text)
    assert isinstance(parsed, InputError) or str(parsed) == text.strip()


@given(domains)
def test_valid_domains_are_kept(name: str) -> None:
    assert normalize_domain(name) == name
    assert normalize_domain(f"  {name.upper()}. ") == name


@given(st.binary(min_size=16, max_size=64), st.text(min_size=1, max_size=64))
def test_key_authorization_round_trips(raw: bytes, account: str) -> None:
    import base64

    token = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    parsed = parse_key_authorization(key_authorization(token, account))
    assert parsed.token == token
    assert parsed.thumbprint == account_thumbprint(account)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Example.COM.", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.example", "xn--bcher-kva.example"),
        ("shop.example.com\u3002", "shop.example.com"),
    ],
)
def test_domains_normalize(text: str, expected: str) -> None:
    assert normalize_domain(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "*.example.com",
        "1.2.3.4",
        "[::1]",
        "::1",
        "\uff11\uff12\uff17.\uff10.\uff10.\uff11",  # fullwidth 127.0.0.1 (UTS 46 maps it)
        "127.1",
        "0x7f.0x1",
        "localhost",
        "http://example.com",
        "example.com:80",
        "example.com/path",
        "a_b.example",
        "a..example",
        "",
        "   ",
        "a" * 64 + ".example",
    ],
)
def test_domains_refused(text: str) -> None:
    with pytest.raises(InputError) as info:
        normalize_domain(text)
    assert info.value.code == "gateway.bad_domain"
    assert info.value.hint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("192.0.2.0/24", "192.0.2.0/24"),
        (" 192.0.2.7 ", "192.0.2.7/32"),
        ("2001:DB8::/48", "2001:db8::/48"),
        ("10.0.0.0/255.0.0.0", "10.0.0.0/8"),
    ],
)
def test_ranges_normalize(text: str, expected: str) -> None:
    assert normalize_cidr(text) == expected


@pytest.mark.parametrize(
    "text", ["192.0.2.7/24", "0.0.0.0/0", "10.0.0.0/7", "::/0", "fe80::1%eth0", "example.com"]
)
def test_ranges_refused(text: str) -> None:
    with pytest.raises(InputError):
        normalize_cidr(text)


def test_targets() -> None:
    assert normalize_target("Shop.Example.com.") == "shop.example.com"
    assert normalize_target("192.0.2.9") == ipaddress.ip_address("192.0.2.9")
    assert normalize_target("[2001:db8::1]") == ipaddress.ip_address("2001:db8::1")


def _claim(kind: AssetKind, value: str) -> AssetClaim:
    from datetime import UTC, datetime

    return AssetClaim(
        id="claim_1",
        owner_id="org_1",
        account_id="user_1",
        kind=kind,
        value=value,
        method=ProofMethod.DNS,
        token="t" * 43,
        status=ClaimStatus.VERIFIED,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_coverage_is_by_label_not_by_string_suffix() -> None:
    claim = _claim(AssetKind.DOMAIN, "example.com")
    assert claim.covers("example.com")
    assert claim.covers("a.b.example.com")
    assert not claim.covers("badexample.com")
    assert not claim.covers("example.com.evil.net")
    assert not claim.covers(ipaddress.ip_address("192.0.2.1"))
    ranged = _claim(AssetKind.IP_RANGE, "192.0.2.0/24")
    assert ranged.covers(ipaddress.ip_address("192.0.2.200"))
    assert not ranged.covers(ipaddress.ip_address("192.0.3.1"))
    assert not ranged.covers(ipaddress.ip_address("2001:db8::1"))
    assert not ranged.covers("example.com")


def test_key_authorization_is_bound_to_the_account() -> None:
    token = "A" * 43
    assert key_authorization(token, "user_1") != key_authorization(token, "user_2")
    assert len(account_thumbprint("user_1")) == 43
