"""SARIF 2.1.0 for code findings, in the shape GitHub code scanning accepts.

One run whose driver is Shieldwall (Bandit's and Semgrep's rules appear under their own ids),
rules with short and full descriptions, help (text and markdown), CWE tags and a
``security-severity`` score (GitHub ranks alerts by it), results with a relative ``uri`` under
``%SRCROOT%``, a region and the source line, and ``partialFingerprints``: GitHub's
``primaryLocationLineHash`` (hash of the line and which occurrence it is) and our own
``shieldwall/v1`` fingerprint, so an alert keeps its identity when code moves. Files an analyser
skipped are tool execution notifications, not silence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from shieldwall import __version__
from shieldwall.core.types import Severity
from shieldwall.vuln.code.model import CodeFinding, CodeReport, RuleInfo

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFO_URI = "https://github.com/shieldwall/shieldwall"
_LEVEL = {
    Severity.INFORMATIONAL: "note",
    Severity.LOW: "note",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}
# GitHub maps security-severity > 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, else low.
_SCORE = {
    Severity.INFORMATIONAL: "1.0",
    Severity.LOW: "3.0",
    Severity.MEDIUM: "5.5",
    Severity.HIGH: "8.0",
    Severity.CRITICAL: "9.5",
}


def _camel(rule_id: str) -> str:
    words = re.split(r"[^A-Za-z0-9]+", rule_id.rsplit(".", 1)[-1])
    return "".join(w[:1].upper() + w[1:] for w in words if w) or "Rule"


def _rule(rule: RuleInfo) -> dict[str, Any]:
    tags = ["security", *(f"external/cwe/{c.lower()}" for c in rule.cwe)]
    markdown = rule.help
    if rule.cwe:
        links = ", ".join(
            f"[{c}](https://cwe.mitre.org/data/definitions/{c.removeprefix('CWE-')}.html)"
            for c in rule.cwe
        )
        markdown = f"{markdown}\n\nWeakness: {links}."
    out: dict[str, Any] = {
        "id": rule.id,
        "name": _camel(rule.id),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.help.splitlines()[0] if rule.help else rule.summary},
        "help": {"text": rule.help or rule.summary, "markdown": markdown or rule.summary},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": tags,
            "precision": "very-high" if rule.confidence == "high" else str(rule.confidence),
            "problem.severity": "recommendation"
            if _LEVEL[rule.severity] == "note"
            else _LEVEL[rule.severity],
            "security-severity": _SCORE[rule.severity],
            "analyser": rule.analyser,
        },
    }
    if rule.help_uri:
        out["helpUri"] = rule.help_uri
    return out


def _result(f: CodeFinding, index: int | None) -> dict[str, Any]:
    loc = f.location
    region: dict[str, Any] = {
        "startLine": loc.line,
        "startColumn": max(1, loc.column),
        "endLine": max(loc.line, loc.end_line),
    }
    if loc.end_line > loc.line or loc.end_column > loc.column:
        region["endColumn"] = max(1, loc.end_column)
    if f.snippet:
        region["snippet"] = {"text": f.snippet}
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": loc.path, "uriBaseId": "%SRCROOT%"},
                    "region": region,
                }
            }
        ],
        "partialFingerprints": {
            "primaryLocationLineHash": f"{f.line_hash}:{f.occurrence}",
            "shieldwall/v1": f.fingerprint,
        },
        "properties": {
            "id": f.id,
            "cwe": list(f.cwe),
            "severity": str(f.severity),
            "confidence": str(f.confidence),
            "analyser": f.analyser,
            "alsoReportedBy": list(f.also_reported_by),
        },
    }
    if index is not None:
        out["ruleIndex"] = index
    return out


def to_sarif(report: CodeReport) -> dict[str, Any]:
    """The report as one SARIF 2.1.0 log."""
    rule_ids = sorted(report.rules)
    index = {rid: n for n, rid in enumerate(rule_ids)}
    rules = [_rule(report.rules[rid]) for rid in rule_ids]
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"{s.analyser} did not analyse this file: {s.reason}"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": s.path, "uriBaseId": "%SRCROOT%"}
                    }
                }
            ],
        }
        for s in report.skipped
    ]
    notifications += [{"level": "error", "message": {"text": e}} for e in report.errors]
    root_uri = Path(report.root).resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Shieldwall",
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    },
                    "extensions": [
                        {"name": a.name, **({"version": a.version} if a.version else {})}
                        for a in {a.name: a for a in report.analysers}.values()
                    ],
                },
                "automationDetails": {"id": "shieldwall/vuln-code/"},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": [_result(f, index.get(f.rule)) for f in report.findings],
            }
        ],
    }
