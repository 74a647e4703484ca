"""Vuln (pillar 1): dependency inventory from manifests, lockfiles, SBOMs and Python
environments; OSV advisories from a local database or the OSV API, matched with exact OSV
semantics; fix plans written back into the manifests; SARIF, CycloneDX and OpenVEX output.
Code analysis lives in ``shieldwall.vuln.code``."""

from shieldwall.vuln.capabilities import merge_scans, vuln_capabilities
from shieldwall.vuln.fix import Upgrade, fix_inventory, plan_upgrade
from shieldwall.vuln.inventory import (
    Dependency,
    Ecosystem,
    Inventory,
    parse_manifest,
    parse_package_lock,
    parse_requirements,
    read_manifest,
    read_manifests,
)
from shieldwall.vuln.osv import (
    Advisory,
    AdvisoryDB,
    AdvisoryFormatError,
    AdvisorySource,
    Finding,
    match_advisory,
    merge_aliases,
    parse_record,
    range_affects,
    scan_inventory,
)
from shieldwall.vuln.osv_api import AdvisoryLookupError, OsvApi
from shieldwall.vuln.report import to_cyclonedx, to_openvex, to_sarif
from shieldwall.vuln.semver import InvalidSemVerError, SemVer
from shieldwall.vuln.versions import InvalidVersionError, parse_version

__all__ = [
    "Advisory",
    "AdvisoryDB",
    "AdvisoryFormatError",
    "AdvisoryLookupError",
    "AdvisorySource",
    "Dependency",
    "Ecosystem",
    "Finding",
    "InvalidSemVerError",
    "InvalidVersionError",
    "Inventory",
    "OsvApi",
    "SemVer",
    "Upgrade",
    "fix_inventory",
    "match_advisory",
    "merge_aliases",
    "merge_scans",
    "parse_manifest",
    "parse_package_lock",
    "parse_record",
    "parse_requirements",
    "parse_version",
    "plan_upgrade",
    "range_affects",
    "read_manifest",
    "read_manifests",
    "scan_inventory",
    "to_cyclonedx",
    "to_openvex",
    "to_sarif",
    "vuln_capabilities",
]
