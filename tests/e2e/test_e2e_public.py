"""The public pages in a real browser: each loads without console errors, is usable by
keyboard with every field labelled, and the checks work from input to verdict."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from e2e_support import shared_intel, sign_in, verified_user
from live_server import LiveServer
from playwright.sync_api import Request, expect

from shieldwall.core.types import LOCAL_OWNER

PUBLIC_PAGES = {
    "home": "/",
    "check": "/check",
    "password": "/password",
    "checkup": "/checkup",
    "ledger": "/ledger",
    "hub": "/hub",
    "defend": "/defend",
    "login": "/login",
    "signup": "/signup",
}

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML)"""


def test_every_public_page_loads_clean_and_labelled(server: LiveServer, tab: Any) -> None:
    shared_intel(server)
    for name, path in PUBLIC_PAGES.items():
        response = tab.visit(server.url + path)
        assert response.status == 200, path
        expect(tab.page.locator("h1")).to_be_visible()
        assert tab.page.evaluate(UNLABELLED) == [], f"fields without a label on {path}"
        if name in ("home", "ledger", "hub", "login"):  # defend.png: test_e2e_defend
            tab.shot(name)
    tab.assert_clean()


def test_keyboard_reaches_the_content_first(server: LiveServer, tab: Any) -> None:
    tab.visit(f"{server.url}/check")
    page = tab.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the first field of the first form, past the header
    assert page.evaluate("document.activeElement.id") == "text"
    tab.assert_clean()


def test_scam_check_from_paste_to_verdict(server: LiveServer, tab: Any) -> None:
    page = tab.page
    tab.visit(f"{server.url}/check")
    page.get_by_label("The text message, chat or e-mail text").fill(
        "Your parcel is held at the depot. Pay the 1.99 fee now at "
        "http://dhl-redelivery.top/pay or it will be returned."
    )
    page.get_by_role("button", name="Check the message").click()
    verdict = page.locator("#verdict")
    expect(verdict).to_have_attribute("data-verdict", "dangerous")
    expect(verdict.locator("h2")).to_contain_text("This looks like a scam")
    expect(verdict).to_contain_text("DHL")  # a reason, in plain words
    expect(verdict.locator("ul.advice li").first).to_be_visible()
    # The message stays in the box, for a second look.
    assert (
        "dhl-redelivery.top"
        in page.get_by_label("The text message, chat or e-mail text").input_value()
    )
    tab.shot("check")

    page.get_by_label("The link, as you received it (it is not opened)").fill(
        "https://www.paypal.com/signin"
    )
    page.get_by_role("button", name="Check the link").click()
    expect(page.locator("#verdict")).to_have_attribute("data-verdict", "safe")
    tab.assert_clean()


def test_eml_upload_to_verdict(server: LiveServer, tab: Any, tmp_path: Path) -> None:
    eml = tmp_path / "suspended.eml"
    eml.write_bytes(
        b"From: PayPal <service@paypa1.top>\r\nTo: you@example.org\r\n"
        b"Subject: Your account is suspended\r\nMessage-ID: <1@paypa1.top>\r\n\r\n"
        b"Verify your account now: http://paypa1.top/login\r\n"
    )
    tab.visit(f"{server.url}/check")
    tab.page.set_input_files("#eml", str(eml))
    tab.page.get_by_role("button", name="Check the e-mail").click()
    verdict = tab.page.locator("#verdict")
    expect(verdict).to_have_attribute("data-verdict", "dangerous")
    expect(verdict).to_contain_text("service@paypa1.top")
    expect(verdict).to_contain_text("suspended.eml")
    tab.assert_clean()


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest().upper()


def test_password_check_sends_only_the_hash_prefix(
    server: LiveServer, tab: Any, tmp_path: Path
) -> None:
    leaked, fresh = "Summer2024!", "plinth-otter-gravel-quince-77"
    dump = tmp_path / "pwned.txt"
    dump.write_text(f"{_sha1(leaked)}:4242\n{_sha1('hunter2')}:17\n")
    server.runtime.gateway.invoke("protect.password.import", {"path": str(dump)}, LOCAL_OWNER)

    sent: list[Request] = []
    tab.page.on("request", lambda request: sent.append(request))
    tab.visit(f"{server.url}/password")
    page = tab.page
    page.get_by_label("Password to check").fill(leaked)
    page.get_by_role("button", name="Check it").click()
    result = page.locator("#pw-result")
    expect(result).to_have_attribute("data-state", "found")
    expect(result).to_contain_text("4,242 times")
    expect(result).to_contain_text(f"Sent to this server: {_sha1(leaked)[:5]}")
    tab.shot("password")

    page.get_by_label("Password to check").fill(fresh)
    page.get_by_role("button", name="Check it").click()
    expect(result).to_have_attribute("data-state", "clean")

    ranges = [r.url for r in sent if "/api/v1/protect/password/range/" in r.url]
    assert [u.rsplit("/", 1)[1] for u in ranges] == [_sha1(leaked)[:5], _sha1(fresh)[:5]]
    for request in sent:  # neither the password nor its full hash left the page
        seen = request.url + (request.post_data or "")
        for secret in (leaked, fresh, _sha1(leaked), _sha1(fresh)):
            assert secret not in seen
    tab.assert_clean()


def test_checkup_gives_a_plan(server: LiveServer, tab: Any) -> None:
    tab.visit(f"{server.url}/checkup")
    page = tab.page
    page.get_by_role("group", name="1.").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="4.").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Make my plan").click()
    plan = page.locator("#plan")
    steps = plan.locator("ol.plan > li > h3")
    expect(steps).to_have_count(6)  # one step for every question not answered "yes"
    expect(steps.first).to_have_text(
        "Check your passwords against breach data and change the leaked ones"
    )
    expect(steps.nth(2)).to_have_text("Turn on automatic updates everywhere")
    expect(plan.locator("ul.good")).to_contain_text("Turn on two-step verification")
    tab.shot("checkup")
    tab.assert_clean()


def test_hub_shows_collections_and_tlp(server: LiveServer, tab: Any) -> None:
    user = verified_user(server, "ida@isac.example", "Ida")
    identities = server.runtime.identities
    server.runtime.gateway.invoke(
        "gateway.orgs.create", {"name": "ISAC"}, identities.principal(user)
    )
    coll = shared_intel(server, identities.principal(user))  # now a member of ISAC
    tab.visit(f"{server.url}/hub")
    tab.page.get_by_role("link", name="Phishing seen by members").click()
    tab.page.wait_for_url(f"{server.url}/hub/collections/{coll}")
    rows = tab.page.locator("#objects tbody tr")
    expect(rows).to_have_count(1)  # anonymous visitors read TLP:CLEAR only
    expect(rows.first).to_contain_text("TLP:CLEAR")
    expect(rows.first).to_contain_text("Phishing domain 1")

    sign_in(tab, server, "ida@isac.example")  # a member of the owner organisation
    tab.visit(f"{server.url}/hub/collections/{coll}")
    expect(rows).to_have_count(3)
    for n, label in enumerate(("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER")):
        expect(rows.nth(n)).to_contain_text(label)
        expect(rows.nth(n)).to_contain_text(f"Phishing domain {n + 1}")
    tab.shot("hub")
    tab.assert_clean()


def test_defend_page_matches_the_detect_capability(server: LiveServer, tab: Any) -> None:
    registered = server.runtime.gateway.registry.get("detect.incidents.list") is not None
    tab.visit(f"{server.url}/defend")
    missing = tab.page.locator("#not-available")
    if registered:
        expect(missing).to_have_count(0)
    else:
        expect(missing).to_contain_text("Not available yet")
        expect(missing).to_contain_text("detect.incidents.list")
    tab.assert_clean()
