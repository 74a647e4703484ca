"""The ledger explorer in a real browser: search decisions, open one, and watch the page
verify its inclusion proof and the checkpoint's signature itself; a forged entry fails."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from live_server import LiveServer
from playwright.sync_api import Route, expect

from shieldwall.core.types import ANONYMOUS


def _some_decisions(server: LiveServer) -> None:
    gate = server.runtime.gateway
    for url in ("http://paypa1-secure.top/login", "https://example.org/", "http://bit.ly/x"):
        gate.invoke("protect.url", {"url": url}, ANONYMOUS)


def test_search_open_and_verify_an_entry(server: LiveServer, tab: Any) -> None:
    _some_decisions(server)
    page = tab.page
    tab.visit(f"{server.url}/ledger")
    page.get_by_label("Capability").fill("protect.url")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("#decisions tbody tr")
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i)).to_contain_text("protect.url")
    tab.shot("ledger-search")
    rows.nth(1).get_by_role("link").click()

    result = page.locator("#verify-result")
    expect(result).to_have_attribute("data-state", "ok")
    expect(result).to_contain_text("Verified: entry")
    expect(page.locator("#verify-steps li.ok")).to_have_count(4)
    tab.shot("ledger-proof")
    tab.assert_clean()


def _forge_entry(data: dict[str, Any]) -> None:
    assert data["entry"]["decision"] == "allow"
    data["entry"]["decision"] = "refuse"  # what a dishonest server might show


def _forge_signature(data: dict[str, Any]) -> None:
    text, _, sigs = data["checkpoint"].rpartition("\n\n")
    name, _, blob = sigs.strip("\n").rpartition(" ")
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1  # one bit of the Ed25519 signature
    data["checkpoint"] = f"{text}\n\n{name} {base64.b64encode(bytes(raw)).decode()}\n"


@pytest.mark.parametrize(
    ("forge", "says"),
    [
        (_forge_entry, "does not hash to the proof's leaf"),
        (_forge_signature, "the checkpoint's signature does not verify"),
    ],
    ids=["entry", "signature"],
)
def test_a_forgery_does_not_verify(
    server: LiveServer, tab: Any, forge: Callable[[dict[str, Any]], None], says: str
) -> None:
    _some_decisions(server)
    index = server.runtime.ledger.size() - 2  # a decision (the last entry is its outcome)

    def serve_forged(route: Route) -> None:
        response = route.fetch()
        marker = '<script type="application/json" id="proof-data">'
        head, _, rest = response.text().partition(marker)
        data, _, tail = rest.partition("</script>")
        parsed = json.loads(data)
        forge(parsed)
        body = head + marker + json.dumps(parsed) + "</script>" + tail
        route.fulfill(response=response, body=body)

    tab.page.route(f"{server.url}/ledger/entries/{index}", serve_forged)
    tab.visit(f"{server.url}/ledger/entries/{index}")
    result = tab.page.locator("#verify-result")
    expect(result).to_have_attribute("data-state", "fail")
    expect(result).to_contain_text(says)
    tab.assert_clean()


def test_go_to_an_entry_by_number(server: LiveServer, tab: Any) -> None:
    _some_decisions(server)
    tab.visit(f"{server.url}/ledger")
    tab.page.get_by_label("Show entry number").fill("0")
    tab.page.get_by_role("button", name="Show and prove").click()
    expect(tab.page.locator("h1")).to_have_text("Ledger entry 0")
    expect(tab.page.locator("#verify-result")).to_have_attribute("data-state", "ok")
    tab.assert_clean()
