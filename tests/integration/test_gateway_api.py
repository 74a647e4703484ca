"""The gateway's HTTP routes on a real server: accounts, keys, kill switch, approvals, quotas."""

from __future__ import annotations

import httpx
from live_server import LiveServer

from shieldwall.core.types import LOCAL_OWNER, Tier


def _owner_key(server: LiveServer) -> dict[str, str]:
    _, secret = server.runtime.keys.create(name="operator", tier=Tier.VETTED_DEFENDER)
    return {"Authorization": f"Bearer {secret}"}


def test_signup_login_and_tier_over_http(server: LiveServer, client: httpx.Client) -> None:
    made = client.post(
        "/api/v1/gateway/users",
        json={"email": "nia@example.org", "name": "Nia", "password": "a long enough passphrase"},
    )
    assert made.status_code == 201, made.text
    user_id = made.json()["user_id"]
    token = server.runtime.identities.start_email_verification(user_id)
    assert client.get("/api/v1/gateway/verify-email", params={"token": token}).json()["tier"] == 1
    login = client.post(
        "/api/v1/gateway/login",
        json={"email": "nia@example.org", "password": "a long enough passphrase"},
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['key']}"}
    res = client.post("/api/v1/ledger/entries", json={"note": "hello"}, headers=headers)
    assert res.status_code == 201
    entry = client.get(f"/api/v1/ledger/entries/{res.json()['index']}").json()["entry"]
    assert entry["principal"] == f"user:{user_id}"
    bad = client.post(
        "/api/v1/gateway/login", json={"email": "nia@example.org", "password": "wrong wrong wrong"}
    )
    assert bad.status_code == 401
    assert bad.headers["content-type"] == "application/problem+json"

    # Signing out revokes the key the request carries; the ledger records it without the key.
    bare = client.post("/api/v1/gateway/logout")
    assert bare.status_code == 400
    assert bare.json()["code"] == "gateway.logout_without_key"
    out = client.post("/api/v1/gateway/logout", headers=headers)
    assert out.status_code == 200, out.text
    assert out.json()["revoked"] is True
    again = client.post("/api/v1/ledger/entries", json={"note": "after"}, headers=headers)
    assert again.status_code == 401
    assert again.json()["code"] == "auth.revoked_key"
    secret = login.json()["key"].encode()
    assert secret not in b"".join(server.runtime.ledger.entries())


def test_kill_switch_over_http(server: LiveServer, client: httpx.Client) -> None:
    operator = _owner_key(server)
    _, secret = server.runtime.keys.create(name="member", tier=Tier.VERIFIED_INDIVIDUAL)
    member = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/ledger/entries", json={}, headers=member).status_code == 201
    off = client.post(
        "/api/v1/gateway/disable",
        headers=operator,
        json={"kind": "capability", "target": "ledger.append", "reason": "maintenance"},
    )
    assert off.status_code == 200, off.text
    refused = client.post("/api/v1/ledger/entries", json={}, headers=member)
    assert refused.status_code == 403
    assert "maintenance" in refused.json()["detail"]
    # A member cannot lift it.
    assert (
        client.post(
            "/api/v1/gateway/enable",
            headers=member,
            json={"kind": "capability", "target": "ledger.append"},
        ).status_code
        == 403
    )
    client.post(
        "/api/v1/gateway/enable",
        headers=operator,
        json={"kind": "capability", "target": "ledger.append"},
    )
    assert client.post("/api/v1/ledger/entries", json={}, headers=member).status_code == 201


def test_anonymous_quota_is_per_caller_and_answers_429(
    server: LiveServer, client: httpx.Client
) -> None:
    statuses = [
        client.post(
            "/api/v1/gateway/decide", json={"capability": "ledger.append", "tier": 1}
        ).status_code
        for _ in range(65)
    ]
    assert statuses[:60] == [200] * 60
    assert statuses[-1] == 429
    last = client.post("/api/v1/gateway/decide", json={"capability": "ledger.append", "tier": 1})
    body = last.json()
    assert body["code"] == "gateway.throttled"
    entry = server.runtime.ledger.entry(body["details"]["ledger_index"])
    assert b'"decision":"throttle"' in entry
    assert b"127.0.0.1" not in entry  # anonymous callers appear as a keyed hash


def test_decide_is_a_dry_run(server: LiveServer, client: httpx.Client) -> None:
    size = server.runtime.ledger.size()
    found = client.post(
        "/api/v1/gateway/decide", json={"capability": "gateway.keys.create", "tier": 1}
    ).json()
    assert found["decision"] == "refuse"
    assert "needs tier 3" in found["reasons"][0]["message"]
    assert server.runtime.ledger.size() == size + 2  # the decide call itself, and its outcome
    assert (
        server.runtime.gateway.invoke(
            "gateway.decide", {"capability": "ledger.append", "tier": 1}, LOCAL_OWNER
        ).result["decision"]
        == "allow"
    )
