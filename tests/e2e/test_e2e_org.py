"""My organisation in a real browser: create it, start a domain challenge, publish the TXT
record on a real DNS server, check it, and see the domain proven with its ledger evidence."""

from __future__ import annotations

from typing import Any

import pytest
from dns_zone import Zone
from e2e_support import sign_in, verified_user
from live_server import LiveServer
from playwright.sync_api import expect

from shieldwall.core.types import LOCAL_OWNER


@pytest.fixture(autouse=True)
def _ask_our_dns(zone: tuple[Zone, int], monkeypatch: pytest.MonkeyPatch) -> None:
    """The server (made after this fixture) asks the test's DNS server for challenges."""
    monkeypatch.setenv("SHIELDWALL_OWNERSHIP_NAMESERVERS", '["127.0.0.1"]')
    monkeypatch.setenv("SHIELDWALL_OWNERSHIP_DNS_PORT", str(zone[1]))


def test_domain_challenge_from_start_to_proven(
    server: LiveServer, zone: tuple[Zone, int], tab: Any
) -> None:
    records, _ = zone
    verified_user(server, "ada@clinic.example", "Ada")
    sign_in(tab, server, "ada@clinic.example")
    page = tab.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My organisation").click()
    page.get_by_label("Name of your organisation").fill("Riverside Clinic")
    page.get_by_role("button", name="Create it").click()
    expect(page.get_by_role("heading", name="Riverside Clinic")).to_be_visible()

    page.get_by_label("Domain").fill("clinic.example")
    page.get_by_role("button", name="Start the challenge").click()
    claimed = page.locator("#claimed")
    expect(claimed).to_contain_text("status pending")
    name = claimed.locator("dd code").nth(0).inner_text()
    value = claimed.locator("dd code").nth(1).inner_text()
    assert name.endswith("clinic.example")
    records.txt[name] = [value]

    page.get_by_role("button", name="Check clinic.example now").click()
    checked = page.locator("#checked")
    expect(checked).to_contain_text("clinic.example is verified")
    evidence = checked.get_by_role("link")
    index = int(evidence.inner_text().rsplit(" ", 1)[1])
    entry = server.runtime.gateway.invoke("ledger.entry", {"index": index}, LOCAL_OWNER).result
    assert "clinic.example" in str(entry["entry"])
    expect(page.locator("dt:has-text('Proven domains') + dd")).to_have_text("clinic.example")
    tab.shot("org")
    tab.assert_clean()
