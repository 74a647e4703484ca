"""Output formats of a dependency scan: SARIF 2.1.0 (GitHub code scanning), CycloneDX 1.6 (an
SBOM with its vulnerabilities) and OpenVEX 0.2.0. Each takes the scan's JSON (the contract of
``vuln.scan``) and returns a JSON document; schemas are checked in the tests.

SARIF gives every result a ``partialFingerprints`` entry (a hash of ecosystem, package, version
and advisory), so code scanning keeps an alert's identity across runs and line moves, and every
rule a help text saying what to upgrade to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from shieldwall import __version__

INFO_URI = "https://github.com/shieldwall/shieldwall"
OSV_URL = "https://osv.dev/vulnerability/"
_SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
_CDX_SEVERITY = {
    "critical": "critical",
    "high": "high",
    "medium": "medium",
    "low": "low",
    "informational": "info",
}
_CVSS_METHOD = {"CVSS:3.1": "CVSSv31", "CVSS:3.0": "CVSSv3", "CVSS:4.0": "CVSSv4"}


def _vulnerable(result: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for dep in result["dependencies"]:
        for v in dep.get("vulns", []):
            yield dep, v


def _fix_text(dep: dict[str, Any], v: dict[str, Any]) -> str:
    if v["fixed_in"]:
        fixed = ", ".join(v["fixed_in"])
        return f"Upgrade {dep['name']} to {v['fixed_in'][0]} or later (fixed in {fixed})."
    return f"No fixed version of {dep['name']} is known: remove it or mitigate."


def _split_location(location: str) -> tuple[str, int | None]:
    first = location.split(" (", 1)[0]
    path, sep, line = first.rpartition(":")
    if sep and line.isdigit():
        return path, int(line)
    return first, None


def _uri(path: str, base: str | None) -> str:
    if base and os.path.isabs(path):
        with contextlib.suppress(ValueError):  # another drive on Windows
            path = os.path.relpath(path, base)
    return path.replace(os.sep, "/")


def fingerprint(dep: dict[str, Any], vuln_id: str) -> str:
    key = "\x1f".join([dep["ecosystem"], dep["name"], str(dep["version"]), vuln_id])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


# -- SARIF 2.1.0 -----------------------------------------------------------------------------


def to_sarif(result: dict[str, Any], *, base: str | None = None) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for dep, v in _vulnerable(result):
        vid = v["id"]
        level = v.get("level", "unknown")
        if vid not in index:
            index[vid] = len(rules)
            names = ", ".join(v["aliases"])
            summary = v.get("summary") or f"{vid} in {dep['name']}"
            help_md = (
                f"**{vid}**{f' ({names})' if names else ''}: {summary}\n\n"
                f"Affected: `{dep['name']}` ({dep['ecosystem']}).\n\n"
                f"Fix: {_fix_text(dep, v)}\n\n"
                f"Details: {OSV_URL}{vid}"
            )
            props: dict[str, Any] = {
                "tags": ["security", "vulnerability", "dependency", *v.get("cwes", [])],
                "problem.severity": "error" if level in ("critical", "high") else "warning",
            }
            if v.get("score") is not None:
                props["security-severity"] = f"{v['score']:.1f}"
            rules.append(
                {
                    "id": vid,
                    "name": "VulnerableDependency",
                    "shortDescription": {"text": summary[:1000]},
                    "fullDescription": {
                        "text": f"{summary} ({', '.join([vid, *v['aliases']])})"[:4000]
                    },
                    "helpUri": f"{OSV_URL}{vid}",
                    "help": {
                        "text": help_md.replace("**", "").replace("`", ""),
                        "markdown": help_md,
                    },
                    "defaultConfiguration": {"level": _SARIF_LEVEL.get(level, "warning")},
                    "properties": props,
                }
            )
        path, line = _split_location(dep["location"])
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(path, base)}}
        if line is not None:
            physical["region"] = {"startLine": line}
        results.append(
            {
                "ruleId": vid,
                "ruleIndex": index[vid],
                "level": _SARIF_LEVEL.get(level, "warning"),
                "message": {
                    "text": f"{dep['name']} {dep['version']} is vulnerable to {vid}"
                    f"{': ' + v['summary'] if v.get('summary') else ''}. {_fix_text(dep, v)}"
                },
                "locations": [{"physicalLocation": physical}],
                "partialFingerprints": {"shieldwallDependency/v1": fingerprint(dep, vid)},
                "properties": {"purl": dep["purl"], "fixed_in": v["fixed_in"]},
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Shieldwall",
                        "semanticVersion": __version__,
                        "informationUri": INFO_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": "shieldwall/vuln/dependencies/"},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


# -- CycloneDX 1.6 ---------------------------------------------------------------------------


def _cwe_numbers(cwes: list[str]) -> list[int]:
    out = []
    for c in cwes:
        tail = c.rpartition("-")[2]
        if tail.isdigit():
            out.append(int(tail))
    return sorted(set(out))


def _ratings(v: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in v.get("severity", []):
        vector = s.get("score", "")
        method = next((m for p, m in _CVSS_METHOD.items() if vector.startswith(p)), None)
        if method is None:
            continue
        rating: dict[str, Any] = {"method": method, "vector": vector, "source": {"name": "OSV"}}
        if method in ("CVSSv3", "CVSSv31") and v.get("score") is not None:
            rating["score"] = v["score"]
            rating["severity"] = _CDX_SEVERITY.get(v.get("level", ""), "unknown")
        out.append(rating)
    if not out and v.get("level") in _CDX_SEVERITY:
        out.append(
            {"severity": _CDX_SEVERITY[v["level"]], "method": "other", "source": {"name": "OSV"}}
        )
    return out


def to_cyclonedx(
    result: dict[str, Any], *, now: datetime, serial: uuid.UUID | None = None
) -> dict[str, Any]:
    components: list[dict[str, Any]] = []
    refs: dict[int, str] = {}
    used: set[str] = set()
    for i, dep in enumerate(result["dependencies"]):
        ref = dep["purl"]
        n = 1
        while ref in used:
            n += 1
            ref = f"{dep['purl']}#{n}"
        used.add(ref)
        refs[i] = ref
        comp: dict[str, Any] = {
            "type": "library",
            "bom-ref": ref,
            "name": dep["name"],
            "purl": dep["purl"],
        }
        if dep["ecosystem"] == "npm" and dep["name"].startswith("@") and "/" in dep["name"]:
            comp["group"], _, comp["name"] = dep["name"].partition("/")
        if dep.get("version"):
            comp["version"] = dep["version"]
        props = [{"name": "shieldwall:location", "value": dep["location"]}]
        if dep.get("skip_reason"):
            props.append({"name": "shieldwall:not-checked", "value": dep["skip_reason"]})
        comp["properties"] = props
        components.append(comp)
    vulns: dict[str, dict[str, Any]] = {}
    for i, dep in enumerate(result["dependencies"]):
        for v in dep.get("vulns", []):
            entry = vulns.get(v["id"])
            if entry is None:
                entry = {
                    "bom-ref": f"vuln:{v['id']}",
                    "id": v["id"],
                    "source": {"name": "OSV", "url": f"{OSV_URL}{v['id']}"},
                    "references": [
                        {"id": a, "source": {"name": "OSV", "url": f"{OSV_URL}{a}"}}
                        for a in v["aliases"]
                    ],
                    "ratings": _ratings(v),
                    "description": v.get("summary") or v["id"],
                    "recommendation": _fix_text(dep, v),
                    "affects": [],
                }
                cwes = _cwe_numbers(v.get("cwes", []))
                if cwes:
                    entry["cwes"] = cwes
                advisories = [{"url": u} for u in v.get("references", [])[:8]]
                if advisories:
                    entry["advisories"] = advisories
                for key, name in (("published", "published"), ("modified", "updated")):
                    if v.get(key):
                        entry[name] = v[key]
                if not entry["references"]:
                    del entry["references"]
                if not entry["ratings"]:
                    del entry["ratings"]
                vulns[v["id"]] = entry
            entry["affects"].append(
                {"ref": refs[i], "versions": [{"version": dep["version"], "status": "affected"}]}
            )
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": (serial or uuid.uuid4()).urn,
        "version": 1,
        "metadata": {
            "timestamp": now.isoformat().replace("+00:00", "Z"),
            "tools": {
                "components": [
                    {"type": "application", "name": "shieldwall", "version": __version__}
                ]
            },
            "properties": [{"name": "shieldwall:source", "value": result["source"]}],
        },
        "components": components,
        "vulnerabilities": list(vulns.values()),
    }


# -- OpenVEX 0.2.0 ---------------------------------------------------------------------------


def to_openvex(
    result: dict[str, Any], *, now: datetime, author: str = "Shieldwall"
) -> dict[str, Any]:
    ts = now.isoformat().replace("+00:00", "Z")
    statements: list[dict[str, Any]] = []
    for dep, v in _vulnerable(result):
        vuln: dict[str, Any] = {"name": v["id"]}
        if v["aliases"]:
            vuln["aliases"] = list(dict.fromkeys(v["aliases"]))
        if v.get("summary"):
            vuln["description"] = v["summary"]
        vuln["@id"] = f"{OSV_URL}{v['id']}"
        statements.append(
            {
                "vulnerability": vuln,
                "products": [{"@id": dep["purl"], "identifiers": {"purl": dep["purl"]}}],
                "status": "affected",
                "action_statement": _fix_text(dep, v),
                "timestamp": ts,
            }
        )
    digest = hashlib.sha256(
        "\n".join(
            f"{s['products'][0]['@id']} {s['vulnerability']['name']}" for s in statements
        ).encode()
    ).hexdigest()
    return {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": f"https://openvex.dev/docs/shieldwall/vex-{digest[:32]}",
        "author": author,
        "timestamp": ts,
        "version": 1,
        "tooling": f"shieldwall {__version__}",
        "statements": statements,
    }
