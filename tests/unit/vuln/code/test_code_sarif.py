"""SARIF: the structure GitHub code scanning needs (the full schema check is an eval test)."""

from __future__ import annotations

import json
from pathlib import Path

from shieldwall.vuln.code.analyse import analyse
from shieldwall.vuln.code.sarif import to_sarif

CODE = "import hashlib\n\n\ndef h(x):\n    return hashlib.md5(x).hexdigest()\n"


def test_sarif_has_rules_locations_and_partial_fingerprints(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "h.py").write_text(CODE)
    report = analyse(tmp_path, analysers=["bandit"])
    log = json.loads(json.dumps(to_sarif(report)))  # JSON-serializable
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["help"]["markdown"]
        assert "security" in rule["properties"]["tags"]
        assert float(rule["properties"]["security-severity"]) > 0
    (result,) = run["results"]
    assert ids[result["ruleIndex"]] == result["ruleId"] == "bandit.B324"
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "pkg/h.py", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 5
    assert loc["region"]["snippet"]["text"].strip() == "return hashlib.md5(x).hexdigest()"
    fingerprints = result["partialFingerprints"]
    assert fingerprints["primaryLocationLineHash"].endswith(":1")
    assert len(fingerprints["shieldwall/v1"]) == 64
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    assert "external/cwe/cwe-327" in rules[result["ruleIndex"]]["properties"]["tags"]


def test_skipped_files_are_notifications_not_silence(tmp_path: Path) -> None:
    (tmp_path / "py2.py").write_text("print 'hello'\n")
    log = to_sarif(analyse(tmp_path, analysers=["bandit"]))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    uris = [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes]
    assert "py2.py" in uris
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
