"""`shieldwall vuln ...` run as a real process, as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

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


def sw(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(home, *args, env=env, drop_env_prefix="SHIELDWALL_OSV")


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
            "level": "unknown",
            "score": None,
            "references": [],
            "cwes": [],
            "modified": "2024-01-01T00:00:00Z",
            "published": "",
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


def _wheel(folder: Path, name: str, version: str) -> None:
    """A minimal pure-Python wheel, so pip's resolver can run against a local folder."""
    dist = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as zf:
        zf.writestr(
            f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
        zf.writestr(
            f"{dist}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        zf.writestr(f"{dist}/RECORD", "")


def _import(home: Path, tmp_path: Path, *records: dict[str, object]) -> None:
    export = tmp_path / "PyPI.zip"
    with zipfile.ZipFile(export, "w") as zf:
        for r in records:
            zf.writestr(f"{r['id']}.json", json.dumps(r))
    assert sw(home, "vuln", "db", "import", str(export)).returncode == 0


def test_fix_dry_run_then_write_then_prove(home: Path, tmp_path: Path) -> None:
    _import(home, tmp_path, RECORD)
    project = tmp_path / "project"
    project.mkdir()
    reqs = project / "requirements.txt"
    reqs.write_text("django==3.1.9  # the web framework\n")
    dry = sw(home, "vuln", "fix", str(reqs), "--dry-run", "--offline")
    assert dry.returncode == 0, dry.stderr  # nothing would remain
    assert "django 3.1.9 -> 3.2: clears every known advisory; written" in dry.stdout
    assert "-django==3.1.9  # the web framework" in dry.stdout
    assert "+django==3.2  # the web framework" in dry.stdout
    assert "not proven" in dry.stderr
    assert reqs.read_text() == "django==3.1.9  # the web framework\n"  # --dry-run changes nothing

    wheels = tmp_path / "wheels"
    wheels.mkdir()
    _wheel(wheels, "django", "3.2")
    pip_env = {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    done = sw(home, "vuln", "fix", str(reqs), "--offline", "--prove", env=pip_env)
    assert done.returncode == 0, done.stderr
    assert reqs.read_text() == "django==3.2  # the web framework\n"
    assert "proven: pip's resolver installs the new set together (1 packages)" in done.stderr
    rescan = sw(home, "vuln", "scan", str(reqs), "--offline")
    assert rescan.returncode == 0, rescan.stderr
    stored = sw(home, "vuln", "history")
    assert stored.returncode == 0, stored.stderr
    kinds = [line.split()[2] for line in stored.stdout.splitlines()]
    assert kinds == ["scan", "fix", "fix"]  # newest first: the rescan, the fix, the dry run

    reqs.write_text("django==3.1.9\n")
    (wheels / "django-3.2-py3-none-any.whl").unlink()
    unresolvable = sw(home, "vuln", "fix", str(reqs), "--offline", "--prove", env=pip_env)
    assert "not proven: pip's resolver failed" in unresolvable.stderr


def test_folders_sboms_and_output_formats(home: Path, tmp_path: Path) -> None:
    npm_record = {
        "id": "GHSA-xxxx-yyyy-zzzz",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "lodash"},
                "ranges": [
                    {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}
                ],
            }
        ],
    }
    _import(home, tmp_path, RECORD)
    npm_zip = tmp_path / "npm.zip"
    with zipfile.ZipFile(npm_zip, "w") as zf:
        zf.writestr("GHSA.json", json.dumps(npm_record))
    assert sw(home, "vuln", "db", "import", str(npm_zip)).returncode == 0
    project = tmp_path / "repo"
    (project / "web").mkdir(parents=True)
    (project / "node_modules" / "x").mkdir(parents=True)
    (project / "requirements.txt").write_text("django==3.1.9\n")
    (project / "web" / "yarn.lock").write_text('lodash@^4.17.0:\n  version "4.17.11"\n')
    (project / "node_modules" / "x" / "requirements.txt").write_text("not scanned==1\n")
    out = tmp_path / "scan.sarif"
    res = sw(
        home, "vuln", "scan", str(project), "--offline", "--format", "sarif", "--output", str(out)
    )
    assert res.returncode == 1, res.stderr
    results = json.loads(out.read_text())["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["GHSA-xxxx-yyyy-zzzz", "PYSEC-2021-1"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert any(u.endswith("web/yarn.lock") for u in uris)

    bom = tmp_path / "bom.json"
    res = sw(
        home,
        "vuln",
        "scan",
        str(project),
        "--offline",
        "--format",
        "cyclonedx",
        "--output",
        str(bom),
    )
    assert res.returncode == 1
    doc = json.loads(bom.read_text())
    assert {c["purl"] for c in doc["components"]} == {
        "pkg:pypi/django@3.1.9",
        "pkg:npm/lodash@4.17.11",
    }
    # the SBOM we wrote scans back to the same findings
    again = sw(home, "vuln", "scan", str(bom), "--offline", "--format", "json")
    assert again.returncode == 1
    found = {
        (d["name"], v["id"]) for d in json.loads(again.stdout)["dependencies"] for v in d["vulns"]
    }
    assert found == {("django", "PYSEC-2021-1"), ("lodash", "GHSA-xxxx-yyyy-zzzz")}
    vex = sw(home, "vuln", "scan", str(project), "--offline", "--format", "openvex")
    assert {s["vulnerability"]["name"] for s in json.loads(vex.stdout)["statements"]} == {
        "PYSEC-2021-1",
        "GHSA-xxxx-yyyy-zzzz",
    }


def test_scan_an_installed_environment(home: Path, tmp_path: Path) -> None:
    record = {
        "id": "PYSEC-TEST-1",
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "packaging"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "999"}]}
                ],
            }
        ],
    }
    _import(home, tmp_path, record)
    import sys

    res = sw(
        home,
        "vuln",
        "scan",
        "--environment",
        "--python",
        sys.executable,
        "--offline",
        "--format",
        "json",
    )
    assert res.returncode == 1, res.stderr
    deps = {d["name"]: d for d in json.loads(res.stdout)["dependencies"]}
    assert [v["id"] for v in deps["packaging"]["vulns"]] == ["PYSEC-TEST-1"]
    assert len(deps) > 20  # the whole environment, not one file


LODASH = {
    "id": "GHSA-lodash-test",
    "modified": "2024-01-01T00:00:00Z",
    "affected": [
        {
            "package": {"ecosystem": "npm", "name": "lodash"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}],
        }
    ],
}


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed on this machine")
def test_fix_proven_by_npms_resolver(home: Path, tmp_path: Path) -> None:
    """`--prove` on package.json + package-lock.json asks npm's resolver (npm's registry is a
    package registry this project may reach) and checks it locks the version we wrote."""
    export = tmp_path / "npm.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("GHSA.json", json.dumps(LODASH))
    assert sw(home, "vuln", "db", "import", str(export)).returncode == 0
    project = tmp_path / "web"
    project.mkdir()
    manifest = {"name": "web", "version": "1.0.0", "dependencies": {"lodash": "^4.17.0"}}
    (project / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    lock = {
        "name": "web",
        "version": "1.0.0",
        "lockfileVersion": 3,
        "requires": True,
        "packages": {
            "": manifest,
            "node_modules/lodash": {
                "version": "4.17.11",
                "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz",
            },
        },
    }
    (project / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")
    done = sw(home, "vuln", "fix", str(project / "package-lock.json"), "--offline", "--prove")
    assert done.returncode == 0, done.stderr
    assert "proven: npm's resolver locks the new set together" in done.stderr, done.stderr
    written = json.loads((project / "package-lock.json").read_text())
    assert written["packages"]["node_modules/lodash"]["version"] == "4.17.21"
