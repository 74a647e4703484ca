"""TAXII 2.1 over a real socket: TLP 2.0 on every read path, keyset pages, TAXII errors."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from dns_zone import Zone, serve_zone
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.api.app import create_app
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal, Tier
from shieldwall.intel.validate import check_object
from shieldwall.runtime import Runtime, open_runtime

TAXII = "application/taxii+json;version=2.1"
TLP = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}


@dataclass
class Hub:
    url: str
    runtime: Runtime
    zone: Zone
    app: FastAPI


@contextmanager
def serve_hub(home: Path) -> Iterator[Hub]:
    """A real Shieldwall server on 127.0.0.1 over a fresh data directory, with its own DNS
    server for the organisations' domain proofs."""
    with serve_zone() as (zone, dns_port):
        runtime = open_runtime(
            Settings(home=home, ownership_nameservers=["127.0.0.1"], ownership_dns_port=dns_port)
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        app = create_app(runtime)
        srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not srv.started:
            assert time.monotonic() < deadline, "the server did not start"
            assert thread.is_alive(), "the server stopped"
            time.sleep(0.02)
        try:
            yield Hub(url=f"http://127.0.0.1:{port}", runtime=runtime, zone=zone, app=app)
        finally:
            srv.should_exit = True
            thread.join(timeout=20)
            runtime.close()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[Hub]:
    with serve_hub(tmp_path / "home") as served:
        yield served


@pytest.fixture
def http(hub: Hub) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=hub.url, timeout=30, headers={"Accept": TAXII}) as c:
        yield c


def member(
    hub: Hub,
    email: str,
    *,
    org_of: Principal | None = None,
    verified_org: bool = False,
    password: str | None = None,
) -> tuple[Principal, dict[str, str]]:
    """A verified user (tier 1) in a new organisation, or in ``org_of``'s; with
    ``verified_org`` the new organisation proves its domain over DNS and a hub admin approves
    it, which makes its members the community (tier 2)."""
    ids = hub.runtime.identities
    user = ids.create_user(email=email, name=email.split("@")[0], password=password)
    ids.verify_email(ids.start_email_verification(user.id))
    if org_of is None:
        made = ids.create_org(name=f"org of {email}", creator=ids.principal(user.id))
        if verified_org:
            account = ids.principal(user.id).id
            claim = hub.runtime.assets.claim(
                owner_id=made.id,
                account_id=account,
                kind="domain",
                value=email.split("@")[1],
                method="dns",
            )
            hub.zone.txt[claim.dns_name] = [claim.key_authorization]
            hub.runtime.assets.verify(claim.id, account)
            ids.approve_org(made.id, by=LOCAL_OWNER)
    else:
        assert org_of.org is not None
        ids.add_member(org_of.org, user.id, "member", by=LOCAL_OWNER)
    _, secret = hub.runtime.keys.create(name=email, tier=Tier.VERIFIED_ORG, user_id=user.id)
    who = ids.principal(user.id)
    assert who.tier >= Tier.VERIFIED_INDIVIDUAL
    assert who.org is not None
    return who, {"Authorization": f"Bearer {secret}"}


def collection(hub: Hub, owner: Principal, title: str, tlp: str) -> str:
    made = hub.runtime.gateway.invoke(
        "intel.collection.create", {"title": title, "tlp": tlp}, owner
    ).result
    return str(made["id"])


def indicator(n: int, *, marking: str | None = None, modified: str | None = None) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=n, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified or "2024-01-01T00:00:00.000Z",
        "pattern": f"[ipv4-addr:value = '198.51.100.{n % 250}']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    if marking:
        obj["object_marking_refs"] = [TLP[marking]]
    return obj


def post(http: httpx.Client, cid: str, objects: list[Any], auth: dict[str, str]) -> httpx.Response:
    return http.post(
        f"/taxii2/api/collections/{cid}/objects/",
        json={"objects": objects},
        headers={**auth, "Content-Type": TAXII},
    )


def ids_of(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == TAXII
    return {o["id"] for o in response.json().get("objects", [])}


def test_discovery_and_api_root(http: httpx.Client) -> None:
    disc = http.get("/taxii2/")
    assert disc.status_code == 200
    assert disc.headers["content-type"] == TAXII
    assert disc.json()["api_roots"] == ["/taxii2/api/"]
    assert TAXII in http.get("/taxii2/api/").json()["versions"]
    unversioned = http.get("/taxii2/api/", headers={"Accept": "application/taxii+json"})
    assert unversioned.status_code == 200


def address(hub: Hub, owner: Principal, cid: str, kind: str, target: str, **kw: Any) -> None:
    hub.runtime.gateway.invoke(
        "intel.collection.address",
        {"collection": cid, "kind": kind, "target": target, **kw},
        owner,
    )


def test_tlp_matrix_over_http(hub: Hub, http: httpx.Client) -> None:
    owner, owner_auth = member(hub, "creator@one.example")
    _, mate_auth = member(hub, "mate@one.example", org_of=owner)
    _, loner_auth = member(hub, "someone@two.example")  # verified e-mail, unproven org
    _, community_auth = member(hub, "ops@three.example", verified_org=True)
    partner, partner_auth = member(hub, "ir@four.example")
    in_group, group_auth = member(hub, "soc@five.example")
    red_one, red_auth = member(hub, "analyst@six.example")
    cid = collection(hub, owner, "mixed", "clear")
    group = hub.runtime.gateway.invoke("intel.group.create", {"name": "water"}, owner).result
    hub.runtime.gateway.invoke("intel.group.member", {"group": "water", "org": in_group.org}, owner)
    assert {m["org"] for m in group["members"]} == {owner.org}
    assert partner.org is not None
    address(hub, owner, cid, "org", partner.org)
    address(hub, owner, cid, "group", "water")
    address(hub, owner, cid, "person", red_one.id)
    objs = {level: indicator(i, marking=level) for i, level in enumerate(TLP, start=1)}
    status = post(http, cid, list(objs.values()), owner_auth)
    assert status.status_code == 202, status.text
    assert status.json()["success_count"] == len(TLP)
    by_level = {level: obj["id"] for level, obj in objs.items()}
    base = f"/taxii2/api/collections/{cid}"

    def seen(auth: dict[str, str]) -> set[str]:
        got = ids_of(http.get(f"{base}/objects/", headers=auth))
        manifest = http.get(f"{base}/manifest/", headers=auth)
        assert {r["id"] for r in manifest.json().get("objects", [])} == got
        for level, oid in by_level.items():  # every path agrees
            one = http.get(f"{base}/objects/{oid}/", headers=auth)
            assert (one.status_code == 200) == (oid in got), (level, one.text)
            assert one.headers["content-type"] == TAXII
            versions = http.get(f"{base}/objects/{oid}/versions/", headers=auth)
            assert (versions.status_code == 200) == (oid in got), (level, versions.text)
            if oid not in got:  # nothing of it leaks: the same answer as an unknown id
                ghost = f"indicator--{uuid.uuid4()}"
                unknown = http.get(f"{base}/objects/{ghost}/", headers=auth)
                assert one.status_code == unknown.status_code
                assert one.text == unknown.text.replace(ghost, oid)
        return {level for level, oid in by_level.items() if oid in got}

    assert seen({}) == {"clear"}
    assert seen(loner_auth) == {"clear"}
    assert seen(community_auth) == {"clear", "green"}
    assert seen(partner_auth) == {"clear", "green", "amber"}
    assert seen(group_auth) == {"clear", "green", "amber"}
    assert seen(mate_auth) == {"clear", "green", "amber", "amber+strict"}
    assert seen(owner_auth) == set(TLP)  # RED: what they added
    assert seen(red_auth) == {"clear", "red"}  # RED: the named individual, nothing else

    # An AMBER collection: only its audience sees it at all; strangers get 404, anonymous 401.
    amber = collection(hub, owner, "members only", "amber")
    assert post(http, amber, [indicator(99)], owner_auth).status_code == 202
    for auth, visible in (
        ({}, False),
        (community_auth, False),
        (loner_auth, False),
        (mate_auth, True),
    ):
        listed = http.get("/taxii2/api/collections/", headers=auth).json().get("collections", [])
        assert (amber in {c["id"] for c in listed}) is visible
        one = http.get(f"/taxii2/api/collections/{amber}/objects/", headers=auth)
        assert one.status_code == (200 if visible else 401 if not auth else 404)
        assert one.headers["content-type"] == TAXII
        ghost = http.get(f"/taxii2/api/collections/{uuid.uuid4()}/objects/", headers=auth)
        if not visible:
            assert (ghost.status_code, ghost.json()["title"]) == (
                one.status_code,
                one.json()["title"],
            )
    assert "WWW-Authenticate" in http.get(f"/taxii2/api/collections/{amber}/").headers
    # Writes: the owner organisation's members, and organisations given write rights.
    refused = post(http, cid, [indicator(7)], community_auth)
    assert refused.status_code == 403
    assert refused.json()["http_status"] == "403"
    assert post(http, cid, [indicator(7)], partner_auth).status_code == 403
    address(hub, owner, cid, "org", partner.org, can_write=True)
    assert post(http, cid, [indicator(7)], partner_auth).status_code == 202
    assert post(http, cid, [indicator(8)], {}).status_code == 401


def test_pages_lose_and_repeat_nothing_when_timestamps_tie(hub: Hub, http: httpx.Client) -> None:
    owner, auth = member(hub, "pager@one.example")
    cid = collection(hub, owner, "many", "green")
    first = [indicator(n) for n in range(1, 301)]
    assert post(http, cid, first, auth).json()["success_count"] == 300
    assert post(http, cid, [indicator(n) for n in range(301, 321)], auth).status_code == 202
    seen: list[str] = []
    stamps: list[str] = []
    params: dict[str, str] = {"limit": "37"}
    while True:
        page = http.get(f"/taxii2/api/collections/{cid}/objects/", params=params, headers=auth)
        assert page.status_code == 200, page.text
        body = page.json()
        seen += [o["id"] for o in body["objects"]]
        stamps += [
            page.headers["X-TAXII-Date-Added-First"],
            page.headers["X-TAXII-Date-Added-Last"],
        ]
        if not body["more"]:
            assert "next" not in body
            break
        params = {"limit": "37", "next": body["next"]}
    assert len(seen) == len(set(seen)) == 320
    assert stamps == sorted(stamps)
    # added_after from a page's last date resumes exactly after it.
    half = http.get(
        f"/taxii2/api/collections/{cid}/objects/", params={"limit": "150"}, headers=auth
    )
    after = half.headers["X-TAXII-Date-Added-Last"]
    rest = http.get(
        f"/taxii2/api/collections/{cid}/objects/",
        params={"added_after": after, "limit": "1000"},
        headers=auth,
    )
    assert [o["id"] for o in half.json()["objects"]] + [
        o["id"] for o in rest.json()["objects"]
    ] == seen
    # Versions: last by default, all on request, match[type] and match[id] filter.
    newer = indicator(1, modified="2024-06-01T00:00:00.000Z")
    assert post(http, cid, [newer], auth).json()["success_count"] == 1
    oid = newer["id"]
    versions = http.get(
        f"/taxii2/api/collections/{cid}/objects/",
        params={"match[id]": oid, "match[version]": "all"},
        headers=auth,
    ).json()["objects"]
    assert [o["modified"] for o in versions] == ["2024-01-01T00:00:00.000Z", newer["modified"]]
    last = http.get(f"/taxii2/api/collections/{cid}/objects/{oid}/", headers=auth).json()
    assert [o["modified"] for o in last["objects"]] == [newer["modified"]]
    none = http.get(
        f"/taxii2/api/collections/{cid}/objects/", params={"match[type]": "malware"}, headers=auth
    )
    assert none.json() == {"more": False}


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({"limit": "abc"}, {}, 400),
        ({"limit": "0"}, {}, 400),
        ({"limit": "-5"}, {}, 400),
        ({"added_after": "yesterday"}, {}, 400),
        ({"added_after": "2024-01-01T00:00:00+01:00"}, {}, 400),
        ({"next": "!!!not-a-token"}, {}, 400),
        ({"match[version]": "newest"}, {}, 400),
        ({"match[type]": "in dicator"}, {}, 400),
        ({"bogus": "1"}, {}, 400),
        ({}, {"Accept": "text/html"}, 406),
        ({}, {"Accept": "application/taxii+json;version=2.0"}, 406),
    ],
)
def test_malformed_requests_get_a_taxii_error(
    hub: Hub, http: httpx.Client, params: dict[str, str], headers: dict[str, str], status: int
) -> None:
    owner, auth = member(hub, "errs@one.example")
    cid = collection(hub, owner, "errs", "clear")
    got = http.get(
        f"/taxii2/api/collections/{cid}/objects/", params=params, headers={**auth, **headers}
    )
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == TAXII
    assert got.json()["http_status"] == str(status)
    assert "title" in got.json()


def test_posts_need_the_taxii_media_type_and_an_envelope(hub: Hub, http: httpx.Client) -> None:
    owner, auth = member(hub, "poster@one.example")
    cid = collection(hub, owner, "posts", "clear")
    url = f"/taxii2/api/collections/{cid}/objects/"
    wrong = http.post(url, json={"objects": []}, headers={**auth, "Content-Type": "text/plain"})
    assert wrong.status_code == 415
    for body in (b"not json", b"[]", b'{"objects": 5}'):
        bad = http.post(url, content=body, headers={**auth, "Content-Type": TAXII})
        assert bad.status_code == 400
        assert bad.headers["content-type"] == TAXII
    ok = post(http, cid, [indicator(1), {"type": "indicator"}], auth)
    assert ok.status_code == 202
    body = ok.json()
    assert (body["success_count"], body["failure_count"]) == (1, 1)
    again = http.get(f"/taxii2/api/status/{body['id']}/", headers=auth)
    assert again.json() == body
    assert http.get(f"/taxii2/api/status/{body['id']}/").status_code == 401
    _, stranger = member(hub, "stranger@two.example")
    assert http.get(f"/taxii2/api/status/{body['id']}/", headers=stranger).status_code == 404
    assert http.get("/taxii2/api/collections/nope/", headers=auth).status_code == 404


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)  # httpx refuses to send either
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=10,
)
STIXISH = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["indicator", "malware", "x-thing", "Indicator", ""]),
        "id": st.sampled_from(
            [
                f"indicator--{uuid.UUID(int=7, version=4)}",
                "indicator--7",
                f"malware--{uuid.UUID(int=8, version=4)}",
            ]
        ),
        "spec_version": st.sampled_from(["2.1", "2.0"]),
        "created": st.sampled_from(["2024-01-01T00:00:00Z", "2024-01-01", "x"]),
        "modified": st.sampled_from(["2024-01-02T00:00:00Z", "2023-01-01T00:00:00Z"]),
    },
    optional={
        "object_marking_refs": st.lists(
            st.sampled_from(
                [*TLP.values(), "x", "marking-definition--94868c89-0000-464b-929b-a1a8aa3c8487"]
            ),
            max_size=2,
        )
    },
)


def test_arbitrary_json_never_causes_a_500_nor_gets_stored_unless_valid(
    hub: Hub, http: httpx.Client
) -> None:
    owner, auth = member(hub, "fuzz@one.example")
    cid = collection(hub, owner, "fuzz", "clear")
    stored = 0

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(value=JSON | STIXISH)
    def one(value: Any) -> None:
        nonlocal stored
        got = post(http, cid, [value], auth)
        assert got.status_code == 202, got.text
        try:
            check_object(value)
            valid = True
        except Exception:
            valid = False
        assert got.json()["success_count"] == int(valid)
        whole = http.post(
            f"/taxii2/api/collections/{cid}/objects/",
            json=value,
            headers={**auth, "Content-Type": TAXII},
        )
        assert whole.status_code in (202, 400), whole.text

    one()
    exported = hub.runtime.gateway.invoke("intel.export", {"collection": cid}, owner).result
    for obj in exported["objects"]:
        check_object(obj)
    stored = len(exported["objects"])
    assert stored <= 60
