"""Proof of asset ownership against a real DNS server and a real HTTP server on 127.0.0.1,
a real database and a real ledger. Nothing is mocked; the clock is a fake we advance."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from dns_zone import Zone

from shieldwall.core.errors import DeniedError, InputError, VerificationError
from shieldwall.gateway.ownership import (
    AssetClaim,
    AssetClaims,
    ClaimStatus,
    DnsPythonLookup,
    HttpxFetcher,
    account_thumbprint,
    key_authorization,
)
from shieldwall.ledger.log import Ledger
from shieldwall.ledger.note import Signer
from shieldwall.store import open_store

ORG = "org_acme"
ALICE = "user_alice"
MALLORY = "user_mallory"


class FakeClock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta


# -- a real HTTP server serving well-known files ---------------------------------------------


@dataclass
class Site:
    # path -> (status, headers, body)
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    hits: list[tuple[str, str]] = field(default_factory=list)  # (Host header, path)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        site: Site = self.server.site  # type: ignore[attr-defined]
        site.hits.append((self.headers.get("Host", ""), self.path))
        status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers and headers.get("X-No-Length") is None:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[tuple[Site, int]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.site = Site()  # type: ignore[attr-defined]
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    try:
        yield server.site, int(server.server_address[1])  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- the world under test ----------------------------------------------------------------------


class Admins:
    def is_admin(self, principal_id: str, owner_id: str) -> bool:
        return (principal_id, owner_id) == ("user_admin", ORG)


@dataclass
class World:
    claims: AssetClaims
    ledger: Ledger
    clock: FakeClock
    zone: Zone
    site: Site
    http_port: int

    def entry(self, index: int) -> dict[str, Any]:
        return dict(json.loads(self.ledger.entry(index)))

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(b) for b in self.ledger.entries()]

    def publish_txt(self, claim: AssetClaim, value: str | None = None) -> None:
        self.zone.txt[claim.dns_name] = [value or claim.key_authorization]

    def serve(self, claim: AssetClaim, body: bytes | None = None) -> str:
        path = f"/.well-known/shieldwall-challenge/{claim.token}"
        self.site.routes[path] = (200, {}, body or claim.key_authorization.encode())
        return path


@pytest.fixture
def world(store_url: str, zone: tuple[Zone, int], site: tuple[Site, int]) -> Iterator[World]:
    records, dns_port = zone
    pages, http_port = site
    engine = open_store(store_url)
    ledger = Ledger(engine, Signer.generate("t.example/log"))
    lookup = DnsPythonLookup(["127.0.0.1"], port=dns_port, timeout=2.0)
    fetcher = HttpxFetcher(
        resolver=lookup, allow_private=["127.0.0.1/32"], port=http_port, timeout=2.0
    )
    clock = FakeClock()
    claims = AssetClaims(
        engine, ledger, txt_lookup=lookup, fetcher=fetcher, admins=Admins(), clock=clock
    )
    yield World(claims, ledger, clock, records, pages, http_port)
    ledger.close()
    engine.dispose()


def test_dns_challenge_proves_a_domain_and_records_the_evidence(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="Example.COM.", method="dns"
    )
    assert claim.status is ClaimStatus.PENDING
    assert claim.value == "example.com"
    assert claim.dns_name == "_shieldwall-challenge.example.com"
    assert claim.key_authorization == f"{claim.token}.{account_thumbprint(ALICE)}"
    world.publish_txt(claim)
    world.zone.txt[claim.dns_name].append("v=unrelated")

    proven = world.claims.verify(claim.id, ALICE)

    assert proven.status is ClaimStatus.VERIFIED
    assert proven.verified_at == world.clock.now()
    assert proven.evidence_index is not None
    assert world.claims.get(claim.id) == proven
    evidence = world.entry(proven.evidence_index)
    assert evidence == {
        **evidence,
        "kind": "asset_evidence",
        "v": 1,
        "ts": "2026-11-26T12:00:00.000000Z",
        "claim": claim.id,
        "owner": ORG,
        "asset": "example.com",
        "method": "dns",
        "result": "verified",
    }
    assert sorted(evidence["observed"]) == sorted([claim.key_authorization, "v=unrelated"])
    assert world.claims.list(ORG) == [proven]


def test_http_challenge_proves_a_domain(world: World) -> None:
    world.zone.a["shop.example"] = ["127.0.0.1"]
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="shop.example", method="http"
    )
    path = world.serve(claim, claim.key_authorization.encode() + b"\n")

    proven = world.claims.verify(claim.id, ALICE)

    assert proven.status is ClaimStatus.VERIFIED
    body_digest = hashlib.sha256(claim.key_authorization.encode() + b"\n").hexdigest()
    assert world.entry(proven.evidence_index or 0)["observed"] == f"sha256:{body_digest}"
    assert world.site.hits == [(f"shop.example:{world.http_port}", path)]


def test_a_challenge_not_yet_published_fails_and_is_recorded(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    with pytest.raises(VerificationError) as info:
        world.claims.verify(claim.id, ALICE)
    err = info.value
    assert err.code == "gateway.ownership_unproven"
    assert "no TXT record at _shieldwall-challenge.example.com" in err.message
    assert err.hint is not None
    assert claim.key_authorization in err.hint
    assert world.entry(err.details["ledger_index"])["result"] == "failed"
    assert world.claims.get(claim.id).status is ClaimStatus.FAILED
    # Publishing afterwards and verifying again works: a failed check is not final.
    world.publish_txt(claim)
    assert world.claims.verify(claim.id, ALICE).status is ClaimStatus.VERIFIED


def test_wrong_token_is_refused(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    world.publish_txt(claim, key_authorization("x" * 43, ALICE))
    with pytest.raises(VerificationError) as info:
        world.claims.verify(claim.id, ALICE)
    assert info.value.details["reason"] == "wrong_value"
    assert world.entries()[-1]["observed"] == [key_authorization("x" * 43, ALICE)]


def test_a_challenge_bound_to_another_account_is_refused(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    # The claim's own token, but the key authorization computed for another account.
    world.publish_txt(claim, key_authorization(claim.token, MALLORY))
    with pytest.raises(VerificationError) as info:
        world.claims.verify(claim.id, ALICE)
    assert info.value.details["reason"] == "other_account"
    assert "another account" in info.value.message


def test_another_account_presenting_the_claim_is_denied_and_recorded(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    world.publish_txt(claim)
    with pytest.raises(DeniedError) as info:
        world.claims.verify(claim.id, MALLORY)
    err = info.value
    assert err.code == "gateway.claim_wrong_account"
    assert "bound to that account" in err.message
    entry = world.entry(err.details["ledger_index"])
    assert entry["result"] == "failed"
    assert entry["reason"] == "account_mismatch"
    assert entry["account"] == MALLORY
    assert world.claims.get(claim.id).status is ClaimStatus.PENDING
    assert world.zone.queries == []  # refused before any lookup


def test_a_record_removed_between_claim_and_use_is_refused_and_recorded(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    world.publish_txt(claim)
    world.claims.verify(claim.id, ALICE)
    asked = len(world.zone.queries)

    # Within the re-check TTL the door stays fast: no DNS query.
    world.clock.advance(timedelta(minutes=4))
    assert world.claims.in_scope([ORG, ALICE], "www.example.com", ALICE).id == claim.id
    assert len(world.zone.queries) == asked

    # After it, the record is looked up again, and a passing check is fresh evidence.
    world.clock.advance(timedelta(minutes=2))
    rechecked = world.claims.in_scope([ORG], "example.com", ALICE)
    assert len(world.zone.queries) == asked + 1
    use = world.entry(rechecked.evidence_index or 0)
    assert (use["stage"], use["result"], use["target"]) == ("use", "verified", "example.com")

    del world.zone.txt[claim.dns_name]
    world.clock.advance(timedelta(minutes=6))
    with pytest.raises(DeniedError) as info:
        world.claims.in_scope([ORG], "api.example.com", ALICE)
    err = info.value
    assert err.code == "gateway.out_of_scope"
    assert "api.example.com is not a proven asset" in err.message
    assert "no longer checks out" in err.message
    assert err.hint is not None
    assert claim.dns_name in err.hint
    refusal = world.entry(err.details["ledger_indexes"][0])
    assert refusal == {
        **refusal,
        "kind": "asset_evidence",
        "stage": "use",
        "result": "failed",
        "reason": "record_missing",
        "target": "api.example.com",
        "account": ALICE,
    }

    # A changed answer is refused the same way; the failure is not cached.
    world.publish_txt(claim, "some-other-value")
    with pytest.raises(DeniedError):
        world.claims.in_scope([ORG], "example.com", ALICE)
    world.publish_txt(claim)
    assert world.claims.in_scope([ORG], "example.com", ALICE).id == claim.id


def test_subdomains_are_in_scope_and_siblings_are_not(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="shop.example.com", method="dns"
    )
    world.publish_txt(claim)
    world.claims.verify(claim.id, ALICE)

    for target in ("shop.example.com", "a.b.shop.example.com", "SHOP.example.com."):
        assert world.claims.in_scope([ORG], target, ALICE).id == claim.id
    for target in ("example.com", "blog.example.com", "badshop.example.com", "203.0.113.5"):
        with pytest.raises(DeniedError) as info:
            world.claims.in_scope([ORG], target, ALICE)
        assert info.value.code == "gateway.out_of_scope"
        assert info.value.hint
    with pytest.raises(DeniedError):
        world.claims.in_scope(["org_other", MALLORY], "shop.example.com", MALLORY)
    with pytest.raises(DeniedError):
        world.claims.in_scope([], "shop.example.com", ALICE)
    with pytest.raises(InputError):
        world.claims.in_scope([ORG], "http://shop.example.com/", ALICE)


def test_an_expired_pending_claim_cannot_be_verified(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    world.publish_txt(claim)
    world.clock.advance(timedelta(days=7, seconds=1))
    with pytest.raises(DeniedError) as info:
        world.claims.verify(claim.id, ALICE)
    assert info.value.code == "gateway.claim_expired"
    assert world.entry(info.value.details["ledger_index"])["reason"] == "expired"
    assert world.claims.get(claim.id).status is ClaimStatus.FAILED
    with pytest.raises(DeniedError):
        world.claims.in_scope([ORG], "example.com", ALICE)


def test_a_revoked_claim_puts_nothing_in_scope(world: World) -> None:
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
    )
    world.publish_txt(claim)
    world.claims.verify(claim.id, ALICE)
    world.claims.in_scope([ORG], "example.com", ALICE)  # now cached
    revoked = world.claims.revoke(claim.id, by=ALICE)
    assert revoked.status is ClaimStatus.REVOKED
    assert world.entries()[-1]["kind"] == "asset_revocation"
    with pytest.raises(DeniedError):
        world.claims.in_scope([ORG], "example.com", ALICE)
    with pytest.raises(DeniedError) as info:
        world.claims.verify(claim.id, ALICE)
    assert info.value.code == "gateway.claim_revoked"


def test_ip_ranges_are_attested_by_an_admin(world: World) -> None:
    with pytest.raises(InputError):
        world.claims.claim(
            owner_id=ORG, account_id=ALICE, kind="ip_range", value="192.0.2.0/24", method="dns"
        )
    with pytest.raises(DeniedError) as info:
        world.claims.attest(owner_id=ORG, value="192.0.2.0/24", attested_by=ALICE)
    assert info.value.code == "gateway.not_admin"
    assert world.entry(info.value.details["ledger_index"])["reason"] == "not_admin"

    claim = world.claims.attest(owner_id=ORG, value=" 192.0.2.0/24 ", attested_by="user_admin")
    assert (claim.status, claim.method, claim.value) == (
        ClaimStatus.VERIFIED,
        "attestation",
        "192.0.2.0/24",
    )
    evidence = world.entry(claim.evidence_index or 0)
    assert evidence["observed"] == {"attested_by": "user_admin"}
    assert world.claims.in_scope([ORG], "192.0.2.77", ALICE).id == claim.id
    with pytest.raises(DeniedError) as refused:
        world.claims.in_scope([ORG], "192.0.3.1", ALICE)
    assert "attest" in (refused.value.hint or "")


# -- the HTTP fetcher's defences -----------------------------------------------------------------


class StaticAddresses:
    """Our own resolver for the SSRF cases: names to the addresses an attacker would pick."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = dict(table)
        self.asked: list[str] = []

    def addresses(self, host: str) -> tuple[str, ...]:
        self.asked.append(host)
        return tuple(self.table.get(host, ()))


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("internal.example", "10.0.0.1"),
        ("metadata.example", "169.254.169.254"),
        ("loop6.example", "::1"),
        ("loop4.example", "127.0.0.2"),  # 127.0.0.1/32 is allowed, the rest of 127/8 is not
        ("mapped.example", "::ffff:10.0.0.1"),
        ("mixed.example", "198.51.100.7 10.0.0.1"),
        ("10.0.0.1", ""),
        ("169.254.169.254", ""),
        ("::1", ""),
    ],
)
def test_ssrf_guard_refuses_before_connecting(host: str, address: str) -> None:
    resolver = StaticAddresses({host: address.split()} if address else {})
    fetcher = HttpxFetcher(resolver=resolver, allow_private=["127.0.0.1/32"], timeout=0.5)
    with pytest.raises(VerificationError) as info:
        fetcher.fetch(host, "t" * 43)
    assert info.value.code == "gateway.ssrf_refused"
    assert "refused before connecting" in info.value.message
    assert info.value.hint


def test_ssrf_refusal_during_verify_is_recorded(world: World, store_url: str) -> None:
    resolver = StaticAddresses({"metadata.example": ["169.254.169.254"]})
    engine = open_store(store_url)
    claims = AssetClaims(
        engine,
        world.ledger,
        txt_lookup=DnsPythonLookup(["127.0.0.1"], port=1, timeout=0.5),
        fetcher=HttpxFetcher(resolver=resolver, timeout=0.5),
        clock=world.clock,
    )
    claim = claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="metadata.example", method="http"
    )
    with pytest.raises(VerificationError) as info:
        claims.verify(claim.id, ALICE)
    assert info.value.details["reason"] == "gateway.ssrf_refused"
    assert world.entry(info.value.details["ledger_index"])["reason"] == "gateway.ssrf_refused"
    assert resolver.asked == ["metadata.example"]
    engine.dispose()


def test_a_redirect_to_another_host_is_refused(world: World) -> None:
    world.zone.a["shop.example"] = ["127.0.0.1"]
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="shop.example", method="http"
    )
    path = f"/.well-known/shieldwall-challenge/{claim.token}"
    world.site.routes[path] = (302, {"Location": f"http://elsewhere.example{path}"}, b"")
    with pytest.raises(VerificationError) as info:
        world.claims.verify(claim.id, ALICE)
    assert "another host" in info.value.message
    assert [p for _, p in world.site.hits] == [path]


def test_a_redirect_on_the_same_host_is_followed(world: World) -> None:
    world.zone.a["shop.example"] = ["127.0.0.1"]
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="shop.example", method="http"
    )
    path = f"/.well-known/shieldwall-challenge/{claim.token}"
    world.site.routes[path] = (301, {"Location": "/moved"}, b"")
    world.site.routes["/moved"] = (200, {}, claim.key_authorization.encode())
    assert world.claims.verify(claim.id, ALICE).status is ClaimStatus.VERIFIED


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_body_is_refused(world: World, declared: bool) -> None:
    world.zone.a["shop.example"] = ["127.0.0.1"]
    claim = world.claims.claim(
        owner_id=ORG, account_id=ALICE, kind="domain", value="shop.example", method="http"
    )
    path = f"/.well-known/shieldwall-challenge/{claim.token}"
    headers = {} if declared else {"X-No-Length": "1", "Connection": "close"}
    world.site.routes[path] = (200, headers, claim.key_authorization.encode() + b" " * 5000)
    with pytest.raises(VerificationError) as info:
        world.claims.verify(claim.id, ALICE)
    assert "more than 4096 bytes" in info.value.message


def test_an_unreachable_nameserver_fails_closed(world: World, store_url: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))  # bound, never answers
        silent = DnsPythonLookup(["127.0.0.1"], port=sock.getsockname()[1], timeout=0.3)
        engine = open_store(store_url)
        claims = AssetClaims(
            engine,
            world.ledger,
            txt_lookup=silent,
            fetcher=HttpxFetcher(resolver=silent, timeout=0.3),
            clock=world.clock,
        )
        claim = claims.claim(
            owner_id=ORG, account_id=ALICE, kind="domain", value="example.com", method="dns"
        )
        with pytest.raises(VerificationError) as info:
            claims.verify(claim.id, ALICE)
    assert info.value.details["reason"] == "gateway.dns_unavailable"
    engine.dispose()
