"""Vuln (pillar 1, slice 1): dependency inventory from requirements files and package-lock.json,
a local OSV advisory database, and offline scans with exact OSV matching semantics."""

from shieldwall.vuln.capabilities import vuln_capabilities
from shieldwall.vuln.inventory import (
    Dependency,
    Ecosystem,
    Inventory,
    parse_manifest,
    parse_package_lock,
    parse_requirements,
    read_manifest,
)
from shieldwall.vuln.osv import (
    Advisory,
    AdvisoryDB,
    AdvisoryFormatError,
    Finding,
    match_advisory,
    merge_aliases,
    parse_record,
    range_affects,
    scan_inventory,
)
from shieldwall.vuln.semver import InvalidSemVerError, SemVer

__all__ = [
    "Advisory",
    "AdvisoryDB",
    "AdvisoryFormatError",
    "Dependency",
    "Ecosystem",
    "Finding",
    "InvalidSemVerError",
    "Inventory",
    "SemVer",
    "match_advisory",
    "merge_aliases",
    "parse_manifest",
    "parse_package_lock",
    "parse_record",
    "parse_requirements",
    "range_affects",
    "read_manifest",
    "scan_inventory",
    "vuln_capabilities",
]
