"""A change is only ever a proposal: the agent proposes sharing what it found malicious with the
organisation's intel collection; nothing is shared until an approver says yes, and then it is
shared as the analyst who asked, through the door (the real runtime, intel store and queue)."""

from __future__ import annotations

import json
from pathlib import Path

from org_members import org_member

from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Tier
from shieldwall.runtime import open_runtime

MAIL = """\
From: "PayPal" <service@paypa1-secure.com>
To: ana@clinic.example
Subject: Your account is limited
Date: Mon, 1 Jan 2024 10:00:00 +0000

Confirm your details at http://paypa1-secure.com/login?id=3 or your account will be closed.
"""


def test_sharing_is_proposed_held_and_run_as_the_analyst_once_approved(tmp_path: Path) -> None:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    try:
        ana, _secret, org_id = org_member(rt, email="ana@clinic.example", name="Ana", org="Clinic")
        assert ana.tier == Tier.VERIFIED_INDIVIDUAL
        door = rt.gateway
        door.invoke(
            "intel.collection.create",
            {"title": "clinic-iocs", "owner_org": org_id, "tlp": "amber"},
            LOCAL_OWNER,
        )

        report = door.invoke(
            "agent.investigate",
            {"evidence": [{"name": "mail.eml", "text": MAIL}], "share_to": "clinic-iocs"},
            ana,
        ).result

        (proposal,) = report["proposals"]
        assert proposal["status"] == "held"
        assert proposal["capability"] == "intel.objects.add"
        before = door.invoke("intel.objects", {"collection": "clinic-iocs"}, ana).result
        assert before["objects"] == []  # nothing shared yet

        answer = door.invoke(
            "gateway.approvals.approve", {"id": proposal["approval_id"]}, LOCAL_OWNER
        ).result

        assert answer["status"] == "approved"
        after = door.invoke("intel.objects", {"collection": "clinic-iocs"}, ana).result
        patterns = [o["pattern"] for o in after["objects"]]
        assert patterns == ["[url:value = 'http://paypa1-secure.com/login?id=3']"]
        entries = [json.loads(b) for b in rt.ledger.entries()]
        added = [
            e for e in entries if e["kind"] == "decision" and e["capability"] == "intel.objects.add"
        ]
        assert len(added) == 1
        assert added[0]["principal"]["id"] == ana.id
        approval = next(e for e in entries if e["kind"] == "approval")
        assert approval["approver"]["id"] == LOCAL_OWNER.id
        assert approval["requester"] == ana.id
    finally:
        rt.close()
