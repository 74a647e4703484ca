"""SARIF, CycloneDX and OpenVEX from a scan result, checked against local schemas (CycloneDX's
own 1.6 schema as cyclonedx-python-lib ships it; small hand-written ones for SARIF and OpenVEX,
the full ones are checked in tests/eval), and CVSS base scores."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from shieldwall.vuln.cvss import cvss3_base_score
from shieldwall.vuln.inventory import parse_manifest
from shieldwall.vuln.osv import Match, merge_aliases, parse_record
from shieldwall.vuln.report import fingerprint, to_cyclonedx, to_openvex, to_sarif

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _result() -> dict[str, Any]:
    inv = parse_manifest(
        "requirements.txt", {"requirements.txt": "django==3.1.9\nflask>=2\nrequests==2.19.0\n"}
    )
    rec = parse_record(
        {
            "id": "GHSA-1111-2222-3333",
            "modified": "2024-01-01T00:00:00Z",
            "published": "2023-01-01T00:00:00Z",
            "aliases": ["CVE-2023-1"],
            "summary": "SQL injection",
            "severity": [
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
            ],
            "database_specific": {"cwe_ids": ["CWE-89"], "severity": "CRITICAL"},
            "references": [{"type": "WEB", "url": "https://example.org/advisory"}],
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "django"},
                    "ranges": [
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.2"}]}
                    ],
                }
            ],
        }
    )
    [finding] = merge_aliases("PyPI", [Match(advisory=rec, fixed=["3.2"], problems=[])])
    deps = []
    for dep in inv.dependencies:
        row = dep.to_json()
        row["vulns"] = [finding.to_json()] if dep.name == "django" else []
        deps.append(row)
    return {
        "source": "requirements.txt",
        "dependencies": deps,
        "errors": [],
        "warnings": [],
        "summary": {"dependencies": 3, "checked": 2, "skipped": 1, "vulnerable": 1, "vulns": 1},
    }


SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription", "help"],
                                            "properties": {
                                                "help": {"type": "object", "required": ["text"]},
                                                "properties": {
                                                    "type": "object",
                                                    "properties": {
                                                        "security-severity": {
                                                            "type": "string",
                                                            "pattern": r"^\d+(\.\d)?$",
                                                        }
                                                    },
                                                },
                                            },
                                        },
                                    }
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "message", "locations", "partialFingerprints"],
                            "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "partialFingerprints": {
                                    "type": "object",
                                    "minProperties": 1,
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}

OPENVEX_SUBSET = {
    "type": "object",
    "required": ["@context", "@id", "author", "timestamp", "version", "statements"],
    "properties": {
        "statements": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["vulnerability", "products", "status"],
                "properties": {
                    "status": {
                        "enum": ["not_affected", "affected", "fixed", "under_investigation"]
                    },
                    "vulnerability": {"type": "object", "required": ["name"]},
                },
                "if": {"properties": {"status": {"const": "affected"}}},
                "then": {"required": ["action_statement"]},
            },
        }
    },
}


def test_sarif() -> None:
    doc = to_sarif(_result())
    jsonschema.validate(doc, SARIF_SUBSET)
    run = doc["runs"][0]
    [rule] = run["tool"]["driver"]["rules"]
    assert rule["id"] == "GHSA-1111-2222-3333"
    assert rule["properties"]["security-severity"] == "9.8"
    assert "CWE-89" in rule["properties"]["tags"]
    assert "Upgrade django to 3.2" in rule["help"]["markdown"]
    [res] = run["results"]
    assert res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert res["partialFingerprints"] == {
        "shieldwallDependency/v1": fingerprint(_result()["dependencies"][0], "GHSA-1111-2222-3333")
    }


def test_cyclonedx_against_the_1_6_schema() -> None:
    doc = to_cyclonedx(_result(), now=NOW)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc)) is None
    [vuln] = doc["vulnerabilities"]
    assert vuln["ratings"][0] == {
        "method": "CVSSv31",
        "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "source": {"name": "OSV"},
        "score": 9.8,
        "severity": "critical",
    }
    assert vuln["cwes"] == [89]
    assert vuln["affects"] == [
        {"ref": "pkg:pypi/django@3.1.9", "versions": [{"version": "3.1.9", "status": "affected"}]}
    ]
    flask = next(c for c in doc["components"] if c["name"] == "flask")
    assert {"name": "shieldwall:not-checked", "value": "not pinned, cannot be checked"} in flask[
        "properties"
    ]


def test_a_broken_cyclonedx_document_is_caught_by_the_schema() -> None:
    doc = to_cyclonedx(_result(), now=NOW)
    doc["vulnerabilities"][0]["ratings"][0]["severity"] = "apocalyptic"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(doc)) is not None


def test_openvex() -> None:
    doc = to_openvex(_result(), now=NOW)
    jsonschema.validate(doc, OPENVEX_SUBSET)
    [st] = doc["statements"]
    assert st["products"] == [
        {"@id": "pkg:pypi/django@3.1.9", "identifiers": {"purl": "pkg:pypi/django@3.1.9"}}
    ]
    assert st["vulnerability"]["aliases"] == ["CVE-2023-1"]
    assert doc["timestamp"] == "2026-01-02T03:04:05Z"


@pytest.mark.parametrize(
    ("vector", "score"),
    [  # FIRST's calculator
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N", 0.0),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N", 4.3),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", None),
        ("CVSS:3.1/AV:X/AC:L", None),
    ],
)
def test_cvss3_base_scores(vector: str, score: float | None) -> None:
    assert cvss3_base_score(vector) == score
