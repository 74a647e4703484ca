"""Link checks: parsing like a browser, the signals, and reasons a person can act on."""

from __future__ import annotations

import contextlib
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.protect import url as url_module
from shieldwall.protect.brands import BrandEntry, BrandRegistry, bundled_entries
from shieldwall.protect.url import UrlError, check_url, parse_url
from shieldwall.protect.verdict import Verdict

REGISTRY = BrandRegistry(bundled_entries())


def signals(link: str, registry: BrandRegistry = REGISTRY) -> dict[str, str]:
    return {r.signal: r.detail for r in check_url(link, registry=registry).reasons}


# -- parsing ------------------------------------------------------------------------------------


def test_userinfo_is_dropped_like_a_browser_does() -> None:
    u = parse_url("http://paypal.com@evil.example.tk/login")
    assert u.userinfo == "paypal.com"
    assert u.host == "evil.example.tk"
    assert u.registered_domain == "example.tk"


def test_the_last_at_sign_wins_and_backslashes_are_slashes() -> None:
    assert parse_url("https://a@b@evil.com/x").host == "evil.com"
    assert parse_url("https://evil.com\\@paypal.com/").host == "evil.com"


@pytest.mark.parametrize(
    ("text", "ip"),
    [
        ("http://192.168.0.1/", "192.168.0.1"),
        ("http://3232235521/", "192.168.0.1"),
        ("http://0xC0.0xA8.0.1/", "192.168.0.1"),
        ("http://0300.0250.0.1/", "192.168.0.1"),
        ("http://127.1/", "127.0.0.1"),
        ("http://[::1]:8080/", "::1"),
    ],
)
def test_numeric_hosts_are_ip_addresses(text: str, ip: str) -> None:
    assert str(parse_url(text).ip) == ip
    assert "ip_host" in signals(text)


def test_scheme_is_optional_and_defanged_links_are_read() -> None:
    u = parse_url("usps.com-track.top/pay")
    assert u.scheme_added
    assert u.host == "usps.com-track.top"
    assert u.path == "/pay"
    assert parse_url("hxxps://evil[.]com/x").host == "evil.com"
    assert parse_url("https//bit.ly/abc").host == "bit.ly"


def test_unicode_hosts_become_punycode_and_back() -> None:
    u = parse_url("https://\u0430pple.com/")
    assert u.host == "xn--pple-43d.com"
    assert u.host_unicode == "\u0430pple.com"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello world",
        "mailto:a@b.com",
        "tel:+15550100",
        "http://",
        "http://a..b.com/",
        "http://[zz::1]/",
        "https://example.com:99999/",
        "localhost",
        "http://exa mple.com/",
    ],
)
def test_what_is_not_a_web_address_is_a_clean_input_error(text: str) -> None:
    with pytest.raises(UrlError) as err:
        check_url(text, registry=REGISTRY)
    assert err.value.code == "protect.url.invalid"
    assert err.value.exit_code == 2


def test_script_links_are_dangerous() -> None:
    a = check_url("javascript:alert(document.cookie)", registry=REGISTRY)
    assert a.verdict is Verdict.DANGEROUS
    assert a.reasons[0].signal == "script_link"


# -- reasons, with legitimate and look-alike pairs of the same brand ------------------------------

PAIRS = [
    # (legitimate, look-alike, signal, words the explanation must contain)
    (
        "https://www.paypal.com/signin",
        "http://paypa1-secure.top/signin",
        "lookalike_domain",
        ["paypal.com", "'1' in place of the 'l'"],
    ),
    (
        "https://www.amazon.com/gp/css/order-history",
        "https://www.arnazon.com/order-history",
        "lookalike_domain",
        ["amazon.com", "'rn'", "'m'"],
    ),
    (
        "https://www.netflix.com/login",
        "https://netfiix.com/login",
        "lookalike_domain",
        ["netflix.com", "'i' in place of the 'l'"],
    ),
    (
        "https://accounts.google.com/",
        "https://g00gle.com/",
        "lookalike_domain",
        ["google.com", "'0' in place of the 'o'"],
    ),
    (
        "https://www.apple.com/",
        "https://\u0430pple.com/",
        "homograph",
        ["apple.com", "Cyrillic", "xn--pple-43d.com"],
    ),
    (
        "https://www.microsoft.com/",
        "https://www.microsoft.com.login.secure-verify.ru/",
        "brand_in_subdomain",
        ["microsoft.com", "secure-verify.ru"],
    ),
    (
        "https://tools.usps.com/go/TrackConfirmAction",
        "https://usps-redelivery.com/track",
        "brand_in_domain",
        ["USPS", "usps.com", "usps-redelivery.com"],
    ),
    (
        "https://www.chase.com/",
        "http://chase.com@evil.example.tk/",
        "at_sign_trick",
        ["chase.com", "evil.example.tk"],
    ),
    (
        "https://www.wellsfargo.com/",
        "https://wellsfargo-alerts.com/",
        "brand_in_domain",
        ["Wells Fargo", "wellsfargo.com"],
    ),
    (
        "https://www.dhl.com/track",
        "https://dhl-parcel-delivery.xyz/fee",
        "brand_in_domain",
        ["DHL", "dhl.com"],
    ),
]


@pytest.mark.parametrize(("legit", "fake", "signal", "words"), PAIRS)
def test_reason_pairs(legit: str, fake: str, signal: str, words: list[str]) -> None:
    good = check_url(legit, registry=REGISTRY)
    bad = check_url(fake, registry=REGISTRY)
    assert good.verdict is Verdict.SAFE, good.reasons
    assert "official_domain" in {r.signal for r in good.reasons}
    assert bad.verdict is not Verdict.SAFE
    found = signals(fake)
    assert signal in found, found
    for word in words:
        assert word in found[signal], (word, found[signal])


def test_everyday_words_that_contain_brand_names_are_not_flagged() -> None:
    for legit in [
        "https://pineapple.com/",
        "https://live-music.com/",
        "https://purchase.com/",
        "https://www.applytracking.com/",
        "https://trend-chaser.com/",
        "https://www.factbook.org/",
        "https://en.wikipedia.org/wiki/PayPal",
        "https://www.google.co.in/search",
    ]:
        a = check_url(legit, registry=REGISTRY)
        assert a.verdict is Verdict.SAFE, (legit, [r.detail for r in a.reasons])


def test_shorteners_hide_the_destination_but_their_home_page_does_not() -> None:
    assert check_url("https://bit.ly/3xYz", registry=REGISTRY).verdict is Verdict.SUSPICIOUS
    assert "shortener" in signals("https://bit.ly/3xYz")
    assert "shortener" not in signals("https://bit.ly/")


def test_pages_on_free_hosting_are_not_official_even_under_a_brand_domain() -> None:
    found = signals("https://sites.google.com/view/paypal-login")
    assert "official_domain" not in found
    assert "shared_hosting" in found


def test_suspicious_endings_and_structure() -> None:
    found = signals("http://a.b.c.d.secure-login-update-account.top:8080/verify?email=x@y.com")
    assert {
        "suspicious_tld",
        "many_subdomains",
        "unusual_port",
        "credential_path",
        "email_in_url",
        "many_hyphens",
    } <= set(found)
    assert "'.top'" in found["suspicious_tld"]


def test_an_organisations_own_brand_protects_its_members() -> None:
    org = BrandEntry(brand="Northwind Bank", domain="northwindbank.com", source="org")
    registry = BrandRegistry([*bundled_entries(), org])
    bad = check_url("https://northwlndbank.com/login", registry=registry)
    assert bad.verdict is Verdict.DANGEROUS
    detail = {r.signal: r.detail for r in bad.reasons}["lookalike_domain"]
    assert "northwindbank.com" in detail
    assert "'l' in place of the 'i'" in detail
    assert check_url("https://northwindbank.com/login", registry=registry).verdict is Verdict.SAFE
    # without the organisation's entry the look-alike is not recognised
    assert "lookalike_domain" not in signals("https://northwlndbank.com/login")


def test_keyboard_slips_are_explained() -> None:
    detail = signals("https://paypak.com/")["lookalike_domain"]
    assert "'k' in place of the 'l'" in detail
    assert "keyboard" in detail


def test_public_suffix_list_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_a: object, **_k: object) -> None:
        raise AssertionError("the URL check tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    url_module._extractor.cache_clear()
    u = parse_url("https://shop.example.co.uk/")
    assert (u.label, u.suffix) == ("example", "co.uk")
    assert parse_url("https://someone.github.io/").private_suffix


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_verdict_or_a_clean_input_error(text: str) -> None:
    try:
        a = check_url(text, registry=REGISTRY)
    except InputError as err:
        assert err.diagnostics().startswith("error[")  # noqa: PT017 - either outcome is fine
        return
    assert 0.0 <= a.score <= 1.0
    assert a.advice


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\Ahttps?://[a-z0-9\u0430-\u044f.\-@:\[\]%\\]{1,60}(/[ -~]{0,40})?\Z"))
def test_url_shaped_text_never_crashes(text: str) -> None:
    with contextlib.suppress(InputError):
        check_url(text, registry=REGISTRY)


def test_a_near_miss_of_a_brand_word_in_front_of_a_site_needs_a_lure() -> None:
    # 'static' is one letter short of Google's 'gstatic' and 'qmail' one letter off 'gmail':
    # ordinary names on the left of someone's own site, not an imitation of Google.
    for legit in ["http://static.flickr.com/3356/a.png", "http://qmail.mckee.com/"]:
        assert "brand_in_subdomain" not in signals(legit), legit
    found = signals("https://paypa1-login.example-host.net/")
    assert "PayPal" in found["brand_in_subdomain"]
