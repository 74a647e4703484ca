"""Granular TLP markings over a real socket: a member of another organisation reads an
object's page, the object by id and every version of it, and never gets a byte of what its
granular markings keep from them; the owner's organisation gets it all, byte for byte."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from test_intel_taxii import TAXII, TLP, Hub, collection, http, hub, member, post

from shieldwall.intel.validate import check_object

__all__ = ["http", "hub"]  # fixtures shared with test_intel_taxii.py

SECRET_DESCRIPTION = "the-c2-lives-at-strict-secret-9f2"
SECRET_URL = "https://red.example/internal-report-31"


def marked_indicator(modified: str, description: str) -> dict[str, Any]:
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.UUID(int=77, version=4)}",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified,
        "name": "beacon",
        "description": description,
        "pattern": "[ipv4-addr:value = '198.51.100.99']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
        "external_references": [
            {"source_name": "vendor", "external_id": "V-9"},
            {"source_name": "blog", "url": SECRET_URL},
        ],
        "object_marking_refs": [TLP["green"]],
        "granular_markings": [
            {"marking_ref": TLP["amber+strict"], "selectors": ["description"]},
            {"marking_ref": TLP["red"], "selectors": ["external_references.[1]"]},
            {"lang": "en", "selectors": ["name"]},
        ],
    }


def test_granular_markings_over_http(hub: Hub, http: httpx.Client) -> None:
    owner, owner_auth = member(hub, "lead@one.example")
    _, stranger_auth = member(hub, "ops@two.example", verified_org=True)  # the community
    cid = collection(hub, owner, "granular", "green")
    versions = [
        marked_indicator("2024-01-01T00:00:00.000Z", SECRET_DESCRIPTION),
        marked_indicator("2024-02-01T00:00:00.000Z", SECRET_DESCRIPTION + "-v2"),
    ]
    added = post(http, cid, versions, owner_auth)
    assert added.status_code == 202, added.text
    assert added.json()["success_count"] == 2
    oid = versions[0]["id"]
    base = f"/taxii2/api/collections/{cid}/objects"
    asks = [
        (f"{base}/", {}),
        (f"{base}/", {"match[version]": "all"}),
        (f"{base}/{oid}/", {}),
        (f"{base}/{oid}/", {"match[version]": "all"}),
        (f"{base}/{oid}/", {"match[version]": "first"}),
    ]
    for url, params in asks:
        theirs = http.get(url, params=params, headers=stranger_auth)
        assert theirs.status_code == 200, theirs.text
        assert theirs.headers["content-type"] == TAXII
        for secret in (SECRET_DESCRIPTION, SECRET_URL, "red.example", "strict-secret"):
            assert secret not in theirs.text
        served = theirs.json()["objects"]
        assert served
        for obj in served:
            check_object(obj)  # still valid STIX
            assert obj["external_references"] == [{"source_name": "vendor", "external_id": "V-9"}]
            assert obj["granular_markings"] == [{"lang": "en", "selectors": ["name"]}]
            assert obj["pattern"] == versions[0]["pattern"]
        mine = http.get(url, params=params, headers=owner_auth)
        assert mine.status_code == 200
        stored = {o["modified"]: o for o in versions}
        for obj in mine.json()["objects"]:
            assert obj == stored[obj["modified"]]  # the owner (who added it) gets all of it
        assert SECRET_DESCRIPTION in mine.text
        assert json.dumps(SECRET_URL)[1:-1] in mine.text
    listed = http.get(f"{base}/{oid}/versions/", headers=stranger_auth)
    assert listed.status_code == 200
    assert len(listed.json()["versions"]) == 2
