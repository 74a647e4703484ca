"""TAXII 2.1 endpoints over a real socket: manifest, versions, DELETE, status, match filters,
media types, date-added headers, error resources, and HTTP Basic with its cached check."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from test_intel_taxii import (
    TAXII,
    Hub,
    collection,
    http,
    hub,
    indicator,
    member,
    post,
)

from shieldwall.intel.auth import TaxiiAuth
from shieldwall.store.schema import user

__all__ = ["http", "hub"]  # fixtures shared with test_intel_taxii.py

MEDIA = "application/stix+json;version=2.1"


def basic(user: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


def three_versions(http: httpx.Client, cid: str, auth: dict[str, str]) -> dict[str, Any]:
    stamps = ["2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z"]
    objs = [indicator(1, modified=m) for m in stamps]
    assert post(http, cid, objs, auth).json()["success_count"] == 3
    return {"id": objs[0]["id"], "stamps": stamps}


def test_manifest_versions_and_match_version(hub: Hub, http: httpx.Client) -> None:
    owner, auth = member(hub, "v@one.example")
    cid = collection(hub, owner, "versions", "clear")
    made = three_versions(http, cid, auth)
    oid, stamps = made["id"], made["stamps"]
    base = f"/taxii2/api/collections/{cid}"

    manifest = http.get(f"{base}/manifest/", params={"match[version]": "all"}, headers=auth)
    assert manifest.status_code == 200
    records = manifest.json()["objects"]
    assert [r["version"] for r in records] == stamps
    assert {r["media_type"] for r in records} == {MEDIA}
    assert [r["date_added"] for r in records] == sorted(r["date_added"] for r in records)
    assert manifest.headers["X-TAXII-Date-Added-First"] == records[0]["date_added"]
    assert manifest.headers["X-TAXII-Date-Added-Last"] == records[-1]["date_added"]

    versions = http.get(f"{base}/objects/{oid}/versions/", headers=auth)
    assert versions.json() == {"more": False, "versions": stamps}
    paged = http.get(f"{base}/objects/{oid}/versions/", params={"limit": "2"}, headers=auth)
    assert paged.json()["more"] is True
    rest = http.get(
        f"{base}/objects/{oid}/versions/",
        params={"limit": "2", "next": paged.json()["next"]},
        headers=auth,
    )
    assert paged.json()["versions"] + rest.json()["versions"] == stamps

    def modified(params: dict[str, str]) -> list[str]:
        got = http.get(f"{base}/objects/{oid}/", params=params, headers=auth)
        assert got.status_code == 200, got.text
        return [o["modified"] for o in got.json()["objects"]]

    assert modified({}) == [stamps[2]]  # last by default
    assert modified({"match[version]": "first"}) == [stamps[0]]
    assert modified({"match[version]": "first,last"}) == [stamps[0], stamps[2]]
    assert modified({"match[version]": "all"}) == stamps
    assert modified({"match[version]": stamps[1]}) == [stamps[1]]
    assert modified({"match[version]": f"{stamps[1]},{stamps[2]}"}) == stamps[1:]
    assert modified({"match[spec_version]": "2.1", "match[version]": "all"}) == stamps
    none = http.get(f"{base}/objects/", params={"match[spec_version]": "2.0"}, headers=auth)
    assert none.json() == {"more": False}


def test_delete_removes_versions_and_needs_write_rights(hub: Hub, http: httpx.Client) -> None:
    owner, auth = member(hub, "d@one.example")
    _, reader = member(hub, "r@two.example", verified_org=True)
    cid = collection(hub, owner, "deletes", "green")
    made = three_versions(http, cid, auth)
    url = f"/taxii2/api/collections/{cid}/objects/{made['id']}/"
    assert http.delete(url, headers=reader).status_code == 403  # reads, may not write
    assert http.delete(url).status_code == 401
    first = http.delete(url, params={"match[version]": "first"}, headers=auth)
    assert first.status_code == 200, first.text
    left = http.get(f"{url}versions/", headers=auth).json()["versions"]
    assert left == made["stamps"][1:]
    assert http.delete(url, headers=auth).status_code == 200  # the rest (default: all)
    gone = http.get(url, headers=auth)
    assert gone.status_code == 404
    assert gone.json()["http_status"] == "404"
    assert http.delete(url, headers=auth).status_code == 404
    assert http.get(f"{url}versions/", headers=auth).status_code == 404


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("manifest/", {"limit": "x"}),
        ("manifest/", {"match[version]": "yesterday"}),
        ("manifest/", {"match[spec_version]": "3.x"}),
        ("objects/OID/", {"match[id]": "indicator--x"}),  # not allowed on one object
        ("objects/OID/versions/", {"match[version]": "all"}),  # nor on versions
        ("objects/OID/versions/", {"added_after": "2024"}),
        ("objects/", {"limit": "5", "limit ": "6"}),
    ],
)
def test_malformed_parameters_are_400_taxii_errors(
    hub: Hub, http: httpx.Client, path: str, params: dict[str, str]
) -> None:
    owner, auth = member(hub, "p@one.example")
    cid = collection(hub, owner, "params", "clear")
    oid = f"indicator--{uuid.uuid4()}"
    got = http.get(
        f"/taxii2/api/collections/{cid}/{path.replace('OID', oid)}", params=params, headers=auth
    )
    assert got.status_code == 400, got.text
    assert got.headers["content-type"] == TAXII
    assert got.json()["http_status"] == "400"


@pytest.mark.parametrize(
    "accept",
    [
        "application/taxii+json",
        "application/taxii+json;version=2.1",
        "application/taxii+json; version=2.1",
        'application/taxii+json;version="2.1";q=0.9',
        "text/html;q=0.5, application/taxii+json",
        "*/*",
    ],
)
def test_accepted_media_types(hub: Hub, http: httpx.Client, accept: str) -> None:
    got = http.get("/taxii2/api/collections/", headers={"Accept": accept})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == TAXII


def test_unknown_paths_and_methods_get_taxii_errors(hub: Hub, http: httpx.Client) -> None:
    missing = http.get("/taxii2/api/nothing-here/")
    assert (missing.status_code, missing.headers["content-type"]) == (404, TAXII)
    wrong = http.put("/taxii2/api/collections/")
    assert (wrong.status_code, wrong.headers["content-type"]) == (405, TAXII)
    assert wrong.json()["http_status"] == "405"
    owner, auth = member(hub, "m@one.example")
    cid = collection(hub, owner, "media", "clear")
    unversioned = http.post(
        f"/taxii2/api/collections/{cid}/objects/",
        json={"objects": [indicator(3)]},
        headers={**auth, "Content-Type": "application/taxii+json"},
    )
    assert unversioned.status_code == 202
    old = http.post(
        f"/taxii2/api/collections/{cid}/objects/",
        json={"objects": [indicator(4)]},
        headers={**auth, "Content-Type": "application/taxii+json;version=2.0"},
    )
    assert (old.status_code, old.headers["content-type"]) == (415, TAXII)


def test_http_basic_with_password_and_with_key(hub: Hub, http: httpx.Client) -> None:
    password = "correct horse battery staple"
    owner, bearer = member(hub, "basic@one.example", password=password)
    cid = collection(hub, owner, "basic", "amber")
    assert post(http, cid, [indicator(5, marking="amber")], bearer).status_code == 202
    url = f"/taxii2/api/collections/{cid}/objects/"
    checker: TaxiiAuth = hub.app.state.taxii_auth
    before = checker.verifications
    for _ in range(5):
        ok = http.get(url, headers=basic("Basic@One.example", password))
        assert ok.status_code == 200, ok.text
        assert len(ok.json()["objects"]) == 1
    assert checker.verifications == before + 1  # argon2 once, then the cache
    wrong = http.get(url, headers=basic("basic@one.example", password + "!"))
    assert (wrong.status_code, wrong.headers["content-type"]) == (401, TAXII)
    assert "Basic" in wrong.headers["WWW-Authenticate"]
    key = bearer["Authorization"].removeprefix("Bearer ")
    with_key = http.get(url, headers=basic("anything", key))
    assert with_key.status_code == 200
    for header in ("Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(), "Digest x"):
        bad = http.get(url, headers={"Authorization": header})
        assert (bad.status_code, bad.headers["content-type"]) == (401, TAXII), header
    # A changed password invalidates the cached check at once; a disabled account is refused.
    fresh_hash = hub.runtime.identities._hasher.hash("another long passphrase")
    with hub.runtime.engine.begin() as conn:
        conn.execute(update(user).where(user.c.id == owner.user).values(password_hash=fresh_hash))
    assert http.get(url, headers=basic("basic@one.example", password)).status_code == 401
    renewed = http.get(url, headers=basic("basic@one.example", "another long passphrase"))
    assert renewed.status_code == 200
    assert owner.user is not None
    hub.runtime.identities.disable_user(owner.user)
    refused = http.get(url, headers=basic("basic@one.example", "another long passphrase"))
    assert refused.status_code == 401
