"""The vuln routes on a real server: an uploaded lockfile scanned through the door, in every
output format, and a fix plan with its diff."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from live_server import LiveServer

from shieldwall.core.types import Tier
from shieldwall.vuln.osv import AdvisoryDB

RECORD = {
    "id": "PYSEC-2021-1",
    "modified": "2024-01-01T00:00:00Z",
    "aliases": ["CVE-2021-1"],
    "summary": "Django SQL injection",
    "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Django"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.2"}]}],
        }
    ],
}


class _Clock:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)


def _key(server: LiveServer, tier: Tier = Tier.VERIFIED_INDIVIDUAL) -> dict[str, str]:
    _, secret = server.runtime.keys.create(name="dev", tier=tier)
    return {"Authorization": f"Bearer {secret}"}


def _import(server: LiveServer, tmp_path: Path) -> None:
    export = tmp_path / "PyPI.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("PYSEC-2021-1.json", json.dumps(RECORD))
    AdvisoryDB(server.runtime.engine, clock=_Clock()).import_zip(export)


def test_upload_a_lockfile_and_get_every_format(
    server: LiveServer, client: httpx.Client, tmp_path: Path
) -> None:
    _import(server, tmp_path)
    headers = _key(server)
    body = "django==3.1.9\nflask>=2\n"
    anon = client.post("/api/v1/vuln/scans", params={"filename": "requirements.txt"}, content=body)
    assert anon.status_code == 403
    assert anon.headers["content-type"] == "application/problem+json"

    res = client.post(
        "/api/v1/vuln/scans",
        params={"filename": "requirements.txt"},
        content=body,
        headers={**headers, "content-type": "text/plain"},
    )
    assert res.status_code == 200, res.text
    doc = res.json()
    django = doc["dependencies"][0]
    assert django["location"] == "requirements.txt:1"
    assert [v["id"] for v in django["vulns"]] == ["PYSEC-2021-1"]
    assert django["vulns"][0]["level"] == "critical"
    assert doc["dependencies"][1]["skip_reason"] == "not pinned, cannot be checked"

    sarif = client.post(
        "/api/v1/vuln/scans",
        params={"filename": "requirements.txt", "format": "sarif"},
        content=body,
        headers=headers,
    )
    assert sarif.headers["content-type"].startswith("application/sarif+json")
    [result] = sarif.json()["runs"][0]["results"]
    assert result["ruleId"] == "PYSEC-2021-1"
    assert result["partialFingerprints"]["shieldwallDependency/v1"]
    cdx = client.post(
        "/api/v1/vuln/scans",
        params={"filename": "requirements.txt", "format": "cyclonedx"},
        content=body,
        headers=headers,
    ).json()
    assert cdx["specVersion"] == "1.6"
    assert cdx["vulnerabilities"][0]["affects"][0]["ref"] == "pkg:pypi/django@3.1.9"
    vex = client.post(
        "/api/v1/vuln/scans",
        params={"filename": "requirements.txt", "format": "openvex"},
        content=body,
        headers=headers,
    ).json()
    assert vex["statements"][0]["status"] == "affected"

    bad = client.post(
        "/api/v1/vuln/scans",
        params={"filename": "requirements.txt"},
        content="django==3.1.9\nnot a requirement!\n",
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["location"] == "requirements.txt:2"
    nameless = client.post("/api/v1/vuln/scans", content=body, headers=headers)
    assert nameless.status_code == 400
    assert nameless.json()["code"] == "vuln.upload.filename"


def test_json_body_with_includes_and_a_fix_plan(
    server: LiveServer, client: httpx.Client, tmp_path: Path
) -> None:
    _import(server, tmp_path)
    headers = _key(server)
    res = client.post(
        "/api/v1/vuln/scans",
        json={
            "roots": ["requirements.txt"],
            "files": {"requirements.txt": "-c c.txt\ndjango\n", "c.txt": "django==3.1.9\n"},
        },
        headers=headers,
    )
    assert res.status_code == 200, res.text
    assert res.json()["dependencies"][0]["version"] == "3.1.9"
    fix = client.post(
        "/api/v1/vuln/fixes",
        params={"filename": "requirements.txt"},
        content="django==3.1.9\n",
        headers=headers,
    )
    assert fix.status_code == 200, fix.text
    plan = fix.json()
    assert plan["files"] == {"requirements.txt": "django==3.2\n"}
    assert "+django==3.2" in plan["diff"]
    assert plan["after"]["vulns"] == 0
    assert plan["resolution"].startswith("not proven")


def test_scans_are_stored_and_each_principal_reads_only_its_own(
    server: LiveServer, client: httpx.Client, tmp_path: Path
) -> None:
    _import(server, tmp_path)
    alice, bob = _key(server), _key(server)
    res = client.post(
        "/api/v1/vuln/scans",
        params={"filename": "requirements.txt"},
        content="django==3.1.9\n",
        headers=alice,
    )
    scan_id = res.json()["scan_id"]
    listed = client.get("/api/v1/vuln/scans", headers=alice).json()["scans"]
    assert [(s["id"], s["kind"], s["vulns"], s["source"]) for s in listed] == [
        (scan_id, "scan", 1, "requirements.txt")
    ]
    stored = client.get(f"/api/v1/vuln/scans/{scan_id}", headers=alice).json()
    assert stored["result"]["dependencies"][0]["vulns"][0]["id"] == "PYSEC-2021-1"
    assert client.get("/api/v1/vuln/scans", headers=bob).json()["scans"] == []
    other = client.get(f"/api/v1/vuln/scans/{scan_id}", headers=bob)
    assert other.status_code == 404
    assert other.json()["code"] == "vuln.scan.not_found"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
    filename=st.sampled_from(
        [
            "requirements.txt",
            "poetry.lock",
            "yarn.lock",
            "pnpm-lock.yaml",
            "go.mod",
            "Gemfile.lock",
            "composer.lock",
            "bom.json",
            "package-lock.json",
            "../../etc/passwd",
            "x.bin",
        ]
    ),
    json_body=st.booleans(),
)
def test_arbitrary_uploads_never_cause_a_500(
    server: LiveServer, client: httpx.Client, body: bytes, filename: str, json_body: bool
) -> None:
    headers = _key(server)
    if json_body:
        res = client.post(
            "/api/v1/vuln/scans",
            content=body,
            headers={**headers, "content-type": "application/json"},
        )
    else:
        res = client.post(
            "/api/v1/vuln/scans", params={"filename": filename}, content=body, headers=headers
        )
    assert res.status_code in (200, 400, 404, 422), res.text
    assert res.headers["content-type"] in ("application/json", "application/problem+json")
