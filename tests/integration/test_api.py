"""The HTTP API over a real socket: the ledger routes, auth, and problem+json errors."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from live_server import LiveServer

from shieldwall.core.types import Tier
from shieldwall.ledger.note import Verifier, open_checkpoint
from shieldwall.ledger.verify import verify_consistency, verify_inclusion


def _key(server: LiveServer, tier: Tier) -> dict[str, str]:
    _, secret = server.runtime.keys.create(name=f"tier {tier}", tier=tier)
    return {"Authorization": f"Bearer {secret}"}


def test_health_openapi_and_landing_page(client: httpx.Client) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for route in (
        "/api/v1/ledger/checkpoint",
        "/api/v1/ledger/entries/{index}",
        "/api/v1/ledger/proof/inclusion",
        "/api/v1/ledger/proof/consistency",
    ):
        assert route in spec["paths"]
    page = client.get("/")
    assert page.status_code == 200
    assert "Transparency ledger" in page.text
    assert 'id="checkpoint"' in page.text


def test_append_over_http_then_prove_and_verify(server: LiveServer, client: httpx.Client) -> None:
    headers = _key(server, Tier.VERIFIED_INDIVIDUAL)
    made = client.post("/api/v1/ledger/entries", json={"event": "login"}, headers=headers)
    assert made.status_code == 201, made.text
    index = made.json()["index"]

    entry = client.get(f"/api/v1/ledger/entries/{index}").json()
    assert entry["entry"]["body"] == {"event": "login"}
    assert entry["entry"]["principal"].startswith("key:")

    note = client.get("/api/v1/ledger/checkpoint").text
    vkey = Verifier.parse(client.get("/api/v1/ledger/public-key").text)
    cp = open_checkpoint(note, vkey)
    proof = client.get(
        "/api/v1/ledger/proof/inclusion", params={"index": index, "tree_size": cp.size}
    ).json()
    verify_inclusion(
        index=index,
        size=cp.size,
        leaf_hash=bytes.fromhex(proof["leaf_hash"]),
        proof=[bytes.fromhex(h) for h in proof["inclusion"]],
        root=cp.root,
    )

    client.post("/api/v1/ledger/entries", json={"event": "logout"}, headers=headers)
    cp2 = open_checkpoint(client.get("/api/v1/ledger/checkpoint").text, vkey)
    cons = client.get(
        "/api/v1/ledger/proof/consistency", params={"first": cp.size, "second": cp2.size}
    ).json()
    verify_consistency(
        old_size=cp.size,
        new_size=cp2.size,
        proof=[bytes.fromhex(h) for h in cons["proof"]],
        old_root=cp.root,
        new_root=cp2.root,
    )
    assert base64.b64encode(cp2.root).decode() in client.get("/").text


def test_anonymous_cannot_append_and_the_refusal_is_recorded(
    server: LiveServer, client: httpx.Client
) -> None:
    before = server.runtime.ledger.size()
    res = client.post("/api/v1/ledger/entries", json={"x": 1})
    assert res.status_code == 403
    assert res.headers["content-type"] == "application/problem+json"
    body = res.json()
    assert body["code"] == "gateway.refused"
    assert body["status"] == 403
    assert "needs tier 1" in body["detail"]
    assert server.runtime.ledger.size() == before + 1
    assert body["details"]["ledger_index"] == before


def test_errors_are_problem_json(client: httpx.Client, server: LiveServer) -> None:
    cases = [
        (client.get("/api/v1/ledger/proof/inclusion", params={"index": 5, "tree_size": 1}), 400),
        (client.get("/api/v1/ledger/proof/inclusion", params={"index": "x"}), 422),
        (client.get("/api/v1/ledger/entries/999"), 404),
        (client.get("/healthz", headers={"Authorization": "Bearer swk_nope_nope"}), 401),
        (client.get("/healthz", headers={"Authorization": "Basic abc"}), 401),
        (
            client.post(
                "/api/v1/ledger/entries",
                content=b"{not json",
                headers={
                    "content-type": "application/json",
                    **_key(server, Tier.VERIFIED_INDIVIDUAL),
                },
            ),
            422,
        ),
    ]
    for res, status in cases:
        assert res.status_code == status, res.text
        assert res.headers["content-type"] == "application/problem+json"
        body = res.json()
        assert body["status"] == status
        assert body["title"]
        assert body["detail"]


def test_revoked_key_is_refused(server: LiveServer, client: httpx.Client) -> None:
    principal, secret = server.runtime.keys.create(name="temp", tier=Tier.VERIFIED_INDIVIDUAL)
    server.runtime.keys.revoke(principal.id.removeprefix("key:"))
    res = client.get("/healthz", headers={"Authorization": f"Bearer {secret}"})
    assert res.status_code == 401
    assert res.json()["code"] == "auth.revoked_key"


def test_concurrent_appends_over_http_are_all_recorded(
    server: LiveServer, client: httpx.Client
) -> None:
    headers = _key(server, Tier.VERIFIED_INDIVIDUAL)

    def post(i: int) -> int:
        res = client.post("/api/v1/ledger/entries", json={"i": i}, headers=headers)
        assert res.status_code == 201
        return int(res.json()["index"])

    with ThreadPoolExecutor(16) as pool:
        indexes = list(pool.map(post, range(64)))
    assert len(set(indexes)) == 64
    bodies = [server.runtime.ledger.entry(i) for i in indexes]
    assert all(b'"kind":"record"' in b for b in bodies)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=300))
def test_arbitrary_request_bodies_never_cause_a_500(
    server: LiveServer, client: httpx.Client, body: bytes
) -> None:
    headers = {"content-type": "application/json", **_key(server, Tier.VERIFIED_INDIVIDUAL)}
    res = client.post("/api/v1/ledger/entries", content=body, headers=headers)
    assert res.status_code in (201, 400, 422), res.text
