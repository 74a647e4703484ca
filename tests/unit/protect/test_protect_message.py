"""Text-message checks: smishing patterns, links in the text, and the sender."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import InputError
from shieldwall.protect.brands import BrandRegistry, bundled_entries
from shieldwall.protect.message import check_message, extract_links
from shieldwall.protect.verdict import Verdict

REGISTRY = BrandRegistry(bundled_entries())


def signals(text: str, sender: str | None = None) -> dict[str, str]:
    return {
        r.signal: r.detail for r in check_message(text, registry=REGISTRY, sender=sender).reasons
    }


def verdict(text: str, sender: str | None = None) -> Verdict:
    return check_message(text, registry=REGISTRY, sender=sender).verdict


# (legitimate, scam) pairs on the same topic: only the links and the asks separate them
PAIRS = [
    (
        "USPS: Your package was delivered at 2:14 pm. Track: https://tools.usps.com/go/Track",
        "USPS: Your package is on hold due to an incomplete address. Update here: "
        "https://usps-redelivery-help.top/track",
    ),
    (
        "Your Amazon order #112-33 has shipped. Details: https://www.amazon.com/orders",
        "Amazon: your account is locked after unusual sign-in activity. Verify your account at "
        "amazon-account-verify.com within 24 hours",
    ),
    (
        "Your verification code is 482913. Do not share it with anyone.",
        "Hi, I sent you a code by mistake, can you send me the code back please?",
    ),
    (
        "E-ZPass: your statement is ready in the app.",
        "Toll Services: You have an unpaid toll balance of $4.15. Pay now to avoid a late fee: "
        "ezdrive-toll.com/pay",
    ),
    (
        "Hi mum, I'll be home by 7, can you save me some dinner?",
        "Hi mum, this is my new number, my phone broke. Can you send me money for a bill?",
    ),
]


@pytest.mark.parametrize(("legit", "scam"), PAIRS)
def test_pairs(legit: str, scam: str) -> None:
    assert verdict(legit) is Verdict.SAFE, signals(legit)
    assert verdict(scam) is not Verdict.SAFE, signals(scam)


def test_a_brand_named_in_the_text_but_linked_elsewhere_is_explained() -> None:
    found = signals("Wells Fargo: unusual activity on your debit card. Verify at wf-secure.info/x")
    assert "brand_link_mismatch" in found
    assert "Wells Fargo" in found["brand_link_mismatch"]
    assert "wf-secure.info" in found["brand_link_mismatch"]
    assert "wellsfargo.com" in found["brand_link_mismatch"]
    assert "bank_alert" in found


def test_link_reasons_are_carried_into_the_message_verdict() -> None:
    found = signals("PayPal: confirm your details at paypa1.com")
    assert "link.lookalike_domain" in found
    assert found["link.lookalike_domain"].startswith("Link paypa1.com:")
    assert verdict("PayPal: confirm your details at paypa1.com") is Verdict.DANGEROUS


def test_a_free_mail_sender_claiming_a_brand() -> None:
    found = signals("PayPal: your account is limited.", sender="paypal.support@gmail.com")
    assert "sender_freemail" in found
    assert "gmail.com" in found["sender_freemail"]


def test_wrong_number_openers() -> None:
    assert "wrong_number" in signals("Hello, is this Sarah? We met at the conference.")
    assert "wrong_number" not in signals("I just got home babe, are you still awake?")


def test_extract_links() -> None:
    text = (
        "go to usps.com-track.top/x, or www.example.com. Also hxxp://bad[.]com/x and "
        "\u0430pple.com! Not e.g. or 3.50 or Mr.Smith or WWW.ADR"
    )
    assert extract_links(text) == [
        "usps.com-track.top/x",
        "www.example.com",
        "hxxp://bad[.]com/x",
        "\u0430pple.com",
    ]


def test_empty_and_huge_messages_are_input_errors() -> None:
    with pytest.raises(InputError):
        check_message("   ", registry=REGISTRY)
    with pytest.raises(InputError):
        check_message("x" * 20_001, registry=REGISTRY)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=400), st.none() | st.text(max_size=60))
def test_any_text_gives_a_verdict(text: str, sender: str | None) -> None:
    try:
        a = check_message(text, registry=REGISTRY, sender=sender)
    except InputError:
        assert not text.strip()
        return
    assert 0.0 <= a.score <= 1.0


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Your",
                "parcel",
                "is",
                "held",
                "pay",
                "https://",
                "bit.ly/",
                "x.top",
                "@",
                ".",
                "code",
                "send",
                "me",
                "\u0430pple.com",
                "www.",
                "verify",
                "account",
                "[.]",
                "/",
                "!",
            ]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_link_heavy_text_never_crashes(words: list[str]) -> None:
    check_message(" ".join(words) + " ok", registry=REGISTRY)
