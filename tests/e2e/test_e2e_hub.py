"""The hub in a real browser: a clinic's member makes a sharing group and adds the water works to
it, shares the clinic's collection with the group, and records a sighting of an AMBER
indicator; the water works' member then reads that indicator and its sightings. Every page
loads without console errors, with every field labelled."""

from __future__ import annotations

from typing import Any

from e2e_support import shared_intel, sign_in, verified_user
from live_server import LiveServer
from playwright.sync_api import expect

from shieldwall.core.types import LOCAL_OWNER

UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML)"""
AMBER = "indicator--00000003-0000-4000-8000-000000000000"


def test_sharing_groups_sharing_and_sightings(server: LiveServer, open_tab: Any) -> None:
    gate = server.runtime.gateway
    ana = verified_user(server, "ana@clinic.example", "Ana")
    wes = verified_user(server, "wes@water.example", "Wes")
    clinic = gate.invoke("gateway.orgs.create", {"name": "Clinic"}, LOCAL_OWNER).result["org_id"]
    water = gate.invoke("gateway.orgs.create", {"name": "Water"}, LOCAL_OWNER).result["org_id"]
    for user, org in ((ana, clinic), (wes, water)):
        gate.invoke(
            "gateway.orgs.add_member",
            {"org_id": org, "user_id": user, "role": "member"},
            LOCAL_OWNER,
        )
    member = server.runtime.identities.principal(ana)
    collection = shared_intel(server, member)  # CLEAR, GREEN and AMBER indicators of the clinic

    tab = open_tab()
    page = tab.page
    sign_in(tab, server, "ana@clinic.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Hub").click()
    page.wait_for_url(f"{server.url}/hub")
    expect(page.locator("#no-groups")).to_contain_text("no sharing group yet")
    assert page.evaluate(UNLABELLED) == []

    page.get_by_label("Name of the new group").fill("Valley utilities")
    page.get_by_role("button", name="Create the group").click()
    expect(page.locator("#made-group")).to_contain_text("Valley utilities")
    page.get_by_label("Organisation id").fill(water)
    page.get_by_label("may add to the collections shared with the group").check()
    page.get_by_role("button", name="Add it").click()
    expect(page.locator("#member-change")).to_contain_text(f"{water} is in “Valley utilities”")
    group = page.locator("li.group", has_text="Valley utilities")
    expect(group.locator("table.members tbody tr")).to_have_count(2)
    expect(group.locator("tr", has_text=water)).to_contain_text("yes")
    expect(page.locator("#sync-how")).to_contain_text("shieldwall intel sync")
    tab.assert_clean()

    # Share the clinic's collection with the group: the water works reads its AMBER now.
    page.get_by_role("link", name="Phishing seen by members").click()
    expect(page.locator("#objects tbody tr")).to_have_count(3)
    expect(page.locator("#objects")).to_contain_text("TLP:AMBER")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("a sharing group").check()
    page.get_by_label("Its id").fill("Valley utilities")
    page.get_by_role("button", name="Share", exact=True).click()
    addressed = page.locator("#addressed")
    expect(addressed).to_contain_text("Shared with a sharing group: Valley utilities")
    expect(addressed).to_contain_text(water)
    tab.shot("hub-sharing")

    # A sighting of the AMBER indicator.
    page.get_by_role("link", name="Phishing domain 3").click()
    expect(page.locator("#sighting-count")).to_have_text("0")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("How many times you saw it").fill("4")
    page.get_by_label("First seen (UTC)").fill("2026-11-21T08:00")
    page.get_by_label("Last seen (UTC)").fill("2026-11-21T09:30")
    page.get_by_label("Where and how").fill("front-desk proxy logs")
    page.get_by_role("button", name="Record the sighting").click()
    expect(page.locator("#recorded")).to_contain_text("Seen 4 times")
    expect(page.locator("#recorded .tlp")).to_have_text("TLP:AMBER")
    expect(page.locator("#sighting-count")).to_have_text("4")
    tab.assert_clean()

    # The water works, through the group: the AMBER indicator and its sightings.
    other = open_tab()
    sign_in(other, server, "wes@water.example")
    other.visit(f"{server.url}/hub/collections/{collection}")
    expect(other.page.locator("#objects tbody tr")).to_have_count(3)
    other.page.get_by_role("link", name="Phishing domain 3").click()
    expect(other.page.locator("#sighting-count")).to_have_text("4")
    expect(other.page.locator("h1")).to_have_text("Phishing domain 3")
    assert AMBER in other.page.url
    other.assert_clean()
