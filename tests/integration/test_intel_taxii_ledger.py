"""Every TAXII read over a real socket is in the ledger: its decision, committed before the
data left, and its outcome, whose digest is that of exactly what was served."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from live_server import LiveServer

from shieldwall.core.types import LOCAL_OWNER, Tier
from shieldwall.gateway import json_digest
from shieldwall.intel.store import IntelStore
from shieldwall.intel.tlp import Tlp

TAXII = "application/taxii+json;version=2.1"


def indicator(n: int) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n + 1, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": f"n{n} \u00e9\u2028",
        "pattern": f"[ipv4-addr:value = '203.0.113.{n}']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
        "x_big": 2**70 + n,
    }


def test_every_read_has_its_decision_and_outcome(server: LiveServer, client: httpx.Client) -> None:
    runtime = server.runtime
    coll = IntelStore(runtime.engine).create_collection(
        title="feed", description="", owner_org=None, created_by=LOCAL_OWNER.id, tlp=Tlp.CLEAR
    )
    IntelStore(runtime.engine).add(coll, [indicator(n) for n in range(30)], added_by=LOCAL_OWNER)
    _, secret = runtime.keys.create(name="reader", tier=Tier.VETTED_DEFENDER)
    headers = {"Accept": TAXII, "Authorization": f"Bearer {secret}"}
    base = f"/taxii2/api/collections/{coll.id}/objects/"
    before = runtime.ledger.size()
    served: list[dict[str, Any]] = []
    for params in ({"limit": "10"}, {"limit": "7", "match[type]": "indicator"}):
        res = client.get(base, params=params, headers=headers)
        assert res.status_code == 200, res.text
        served.append(
            {
                **{"more": False, "next": None},
                **res.json(),
                "date_added_first": res.headers["X-TAXII-Date-Added-First"],
                "date_added_last": res.headers["X-TAXII-Date-Added-Last"],
            }
        )
    one = client.get(f"{base}{indicator(3)['id']}/", headers=headers)
    assert one.json()["objects"] == [indicator(3)]  # stored JSON served exactly
    missing = client.get(f"{base}{indicator(99)['id']}/", headers=headers)
    assert missing.status_code == 404
    runtime.ledger.flush()  # outcomes of reads ride the next group commit
    entries = [json.loads(b) for b in runtime.ledger.entries(before)]
    decisions = {
        before + i: e
        for i, e in enumerate(entries)
        if e["kind"] == "decision" and e["capability"] == "intel.objects"
    }
    outcomes = {e["decision_index"]: e for e in entries if e["kind"] == "outcome"}
    outcome_at = {e["decision_index"]: before + i for i, e in enumerate(entries)
                  if e["kind"] == "outcome"}  # fmt: skip
    assert len(decisions) == 4
    assert all(d["decision"] == "allow" for d in decisions.values())
    assert set(outcomes) >= set(decisions)
    assert all(outcome_at[i] > i for i in decisions)
    ordered = [outcomes[i] for i in sorted(decisions)]
    assert [o["status"] for o in ordered] == ["ok", "ok", "ok", "error"]
    assert ordered[3]["error_code"] == "intel.no_object"
    for outcome, page in zip(ordered[:2], served, strict=True):
        assert outcome["result_sha256"] == json_digest(page)
