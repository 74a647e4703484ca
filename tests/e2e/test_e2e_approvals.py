"""An approval from request to decision, in two browsers: a member's note is held by policy,
her organisation's approver approves it on the Approvals page, and it runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from e2e_support import sign_in, verified_user
from live_server import LiveServer
from playwright.sync_api import expect

from shieldwall.core.types import LOCAL_OWNER

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _notes_need_a_second_person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default policy, plus: ledger records are held for an approver (the server is made
    after this fixture, so it reads this policy)."""
    policy = json.loads((REPO / "src/shieldwall/gateway/default_policy.json").read_text())
    policy["rules"].append(
        {"capability": "ledger.append", "effect": "hold", "reason": "records need a second person"}
    )
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy))
    monkeypatch.setenv("SHIELDWALL_POLICY_FILE", str(path))


def test_held_request_is_approved_in_the_browser(server: LiveServer, open_tab: Any) -> None:
    gate = server.runtime.gateway
    ana = verified_user(server, "ana@clinic.example", "Ana")
    ben = verified_user(server, "ben@clinic.example", "Ben")
    org = gate.invoke("gateway.orgs.create", {"name": "Clinic"}, LOCAL_OWNER).result["org_id"]
    for user, role in ((ana, "member"), (ben, "approver")):
        gate.invoke(
            "gateway.orgs.add_member", {"org_id": org, "user_id": user, "role": role}, LOCAL_OWNER
        )

    asker = open_tab()
    sign_in(asker, server, "ana@clinic.example")
    asker.visit(f"{server.url}/ledger")
    asker.page.get_by_label("Note").fill("firewall rule 12 opened for the lab VPN")
    asker.page.get_by_role("button", name="Record it").click()
    held = asker.page.locator("#held")
    expect(held).to_contain_text("records need a second person")
    approval_id = asker.page.locator("#held-id").inner_text()
    asker.page.get_by_role("link", name="Approvals").last.click()
    mine = asker.page.locator(f"#approval-{approval_id}")
    expect(mine).to_contain_text("Your own request: another approver must answer it.")
    expect(mine.get_by_role("button", name="Approve")).to_have_count(0)

    approver = open_tab()
    sign_in(approver, server, "ben@clinic.example")
    approver.visit(f"{server.url}/approvals")
    item = approver.page.locator(f"#approval-{approval_id}")
    expect(item).to_contain_text("ledger.append")
    expect(item).to_contain_text(f"user:{ana}")
    approver.shot("approvals")
    item.get_by_label("Reason (optional, recorded in the ledger)").fill("change ticket 4411")
    item.get_by_role("button", name="Approve").click()
    answered = approver.page.locator("#answered")
    expect(answered).to_contain_text(f"Request {approval_id} approved")
    outcome = int(answered.get_by_role("link").inner_text().rsplit(" ", 1)[1])
    approver.assert_clean()

    # It ran, as Ana asked: her note is in the ledger, and the approval says who approved.
    entries = [json.loads(e) for e in server.runtime.ledger.entries(0, outcome + 1)]
    notes = [e for e in entries if e.get("kind") == "record"]
    assert notes
    assert notes[-1]["body"] == {"note": "firewall rule 12 opened for the lab VPN"}
    assert notes[-1]["principal"] == f"user:{ana}"
    answers = [e for e in entries if e.get("kind") == "approval"]
    assert answers[-1]["approver"]["id"] == f"user:{ben}"
    assert answers[-1]["reason"] == "change ticket 4411"
    assert entries[outcome]["kind"] == "outcome"
    assert entries[outcome]["status"] == "ok"

    asker.visit(f"{server.url}/approvals?status=all")
    expect(asker.page.locator(f"#approval-{approval_id}")).to_contain_text("approved")
    asker.assert_clean()
