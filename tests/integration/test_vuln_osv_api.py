"""The OSV API adapter against a stand-in OSV server on 127.0.0.1 (the real /v1/querybatch and
/v1/vulns protocol), and through the CLI: a failed or partial lookup exits 2, never 0."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_cli
from shieldwall.vuln.inventory import parse_manifest
from shieldwall.vuln.osv import scan_inventory
from shieldwall.vuln.osv_api import AdvisoryLookupError, OsvApi

sys.path.insert(0, str(Path(__file__).parents[1] / "unit" / "vuln"))
from osv_standin import serve_osv


def record(rid: str, name: str, fixed: str, versions: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": name},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
                "versions": versions,
            }
        ],
        **extra,
    }


RECORDS = [
    record("PYSEC-1", "Django", "3.2", ["3.1", "3.1.9"], aliases=["CVE-1"]),
    record("GHSA-aaaa-bbbb-cccc", "django", "3.2", ["3.1.9"], aliases=["CVE-1"]),
    record("PYSEC-2", "django", "3.1.10", ["3.1.9"]),
    record("PYSEC-3", "requests", "2.20.0", ["2.19.0"]),
    record("PYSEC-4", "flask", "1.0", ["0.12"], withdrawn="2024-02-01T00:00:00Z"),
]


def _scan(api: OsvApi, text: str) -> dict[str, Any]:
    return scan_inventory(parse_manifest("r.txt", {"r.txt": text}), api)


def test_querybatch_paging_and_records_are_matched_like_the_local_db() -> None:
    with serve_osv(RECORDS) as (url, state):
        state.page_size = 1  # every package's ids come in pages of one: next_page_token is followed
        api = OsvApi(url)
        result = _scan(api, "django==3.1.9\nrequests==2.25.0\nflask==0.12\n")
        api.close()
    by = {d["name"]: d["vulns"] for d in result["dependencies"]}
    assert [(v["id"], v["aliases"]) for v in by["django"]] == [
        ("GHSA-aaaa-bbbb-cccc", ["CVE-1", "PYSEC-1"]),
        ("PYSEC-2", []),
    ]
    assert by["requests"] == []  # 2.25.0 is past the fix
    assert by["flask"] == []  # withdrawn
    assert result["errors"] == []
    assert sum(r.startswith("POST /v1/querybatch") for r in state.requests) == 3  # 1 + 2 pages
    assert "GET /v1/vulns/PYSEC-2" in state.requests


@pytest.mark.parametrize("fault", ["drop_results", "fail_ids", "status"])
def test_a_failed_or_partial_lookup_is_an_error(fault: str) -> None:
    with serve_osv(RECORDS) as (url, state):
        if fault == "drop_results":
            state.drop_results = 1
        elif fault == "fail_ids":
            state.fail_ids = {"PYSEC-2"}
        else:
            state.status = 503
        with pytest.raises(AdvisoryLookupError) as info:
            _scan(OsvApi(url), "django==3.1.9\nrequests==2.25.0\n")
    assert info.value.code == "vuln.osv.lookup"
    assert info.value.exit_code == 2


def test_an_unreachable_service_is_an_error() -> None:
    with serve_osv(RECORDS) as (url, _state):
        dead = url
    with pytest.raises(AdvisoryLookupError):
        _scan(OsvApi(dead, timeout=2), "django==3.1.9\n")


def test_cli_online_scan_and_failed_lookup_exit_codes(home: Path, tmp_path: Path) -> None:
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("django==3.1.9\nrequests==2.25.0\n")
    with serve_osv(RECORDS) as (url, state):
        env = {"SHIELDWALL_OSV_URL": url}
        found = run_cli(home, "vuln", "scan", str(reqs), "--format", "json", env=env)
        assert found.returncode == 1, found.stderr
        assert "the OSV API at http://127.0.0.1" in found.stderr
        state.drop_results = 1
        partial = run_cli(home, "vuln", "scan", str(reqs), env=env)
    assert partial.returncode == 2
    assert "error[vuln.osv.lookup]" in partial.stderr
    assert "partial lookup" in partial.stderr
    # --offline ignores the service and uses the (empty) local database: also an error, not a pass
    offline = run_cli(home, "vuln", "scan", str(reqs), "--offline", env=env)
    assert offline.returncode == 2
    assert "error[vuln.db.empty]" in offline.stderr
