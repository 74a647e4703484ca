"""`shieldwall vuln ...` run as a real process, as a user would."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from cli_runner import run_cli

RECORD = {
    "id": "PYSEC-2021-1",
    "modified": "2024-01-01T00:00:00Z",
    "aliases": ["CVE-2021-1"],
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Django"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.2"}]}],
        }
    ],
}


def sw(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args)


def test_db_import_status_and_scan_exit_codes(home: Path, tmp_path: Path) -> None:
    reqs = tmp_path / "requirements.txt"
    reqs.write_text("django==3.1.9\nflask>=2\n")
    empty = sw(home, "vuln", "scan", str(reqs), "--offline")
    assert empty.returncode == 2, empty.stderr
    assert "error[vuln.db.empty]" in empty.stderr

    export = tmp_path / "PyPI.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("PYSEC-2021-1.json", json.dumps(RECORD))
        zf.writestr("broken.json", "{")
    imported = sw(home, "vuln", "db", "import", str(export))
    assert imported.returncode == 0, imported.stderr
    assert "PyPI: 1 advisories" in imported.stdout
    assert "1 could not be read" in imported.stdout
    status = sw(home, "vuln", "db", "status")
    assert status.returncode == 0, status.stderr
    assert "PyPI: 1 advisories" in status.stdout

    found = sw(home, "vuln", "scan", str(reqs), "--offline", "--format", "json")
    assert found.returncode == 1, found.stderr
    body = json.loads(found.stdout)
    django, flask = body["dependencies"]
    assert django["purl"] == "pkg:pypi/django@3.1.9"
    assert django["vulns"] == [
        {
            "id": "PYSEC-2021-1",
            "aliases": ["CVE-2021-1"],
            "fixed_in": ["3.2"],
            "severity": [],
            "summary": "",
        }
    ]
    assert flask["skip_reason"] == "not pinned, cannot be checked"
    assert body["errors"] == []

    table = sw(home, "vuln", "scan", str(reqs), "--offline")
    assert table.returncode == 1
    assert "PYSEC-2021-1" in table.stdout
    assert "skipped flask" in table.stdout

    out = tmp_path / "out.json"
    reqs.write_text("django==3.2\n")
    clean = sw(
        home, "vuln", "scan", str(reqs), "--offline", "--format", "json", "--output", str(out)
    )
    assert clean.returncode == 0, clean.stderr
    assert json.loads(out.read_text())["dependencies"][0]["vulns"] == []

    reqs.write_text("django==3.2\nnot a requirement!\n")
    bad = sw(home, "vuln", "scan", str(reqs), "--offline")
    assert bad.returncode == 2
    assert f"{reqs}:2" in bad.stderr
