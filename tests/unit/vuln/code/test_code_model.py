"""Fingerprints survive moved code and change with edited code; agreeing analysers merge."""

from __future__ import annotations

from shieldwall.core.types import Severity
from shieldwall.vuln.code.model import (
    CodeLocation,
    Confidence,
    Language,
    RawFinding,
    RuleInfo,
    cwe_family,
    fingerprint_findings,
    merge_duplicates,
)

OURS = RuleInfo(
    id="shieldwall.python.weak-hash",
    analyser="semgrep",
    name="weak-hash",
    summary="Weak hash",
    help="Use SHA-256.",
    cwe=("CWE-328",),
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
)
BANDITS = RuleInfo(
    id="bandit.B324",
    analyser="bandit",
    name="hashlib",
    summary="Bandit B324",
    help="weak hash",
    cwe=("CWE-327",),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    family="weak-crypto",
)


def _raw(rule: RuleInfo, line: int, path: str = "m.py") -> RawFinding:
    loc = CodeLocation(path=path, line=line, column=5, end_line=line, end_column=20)
    return RawFinding(rule=rule, message="m", location=loc, language=Language.PYTHON)


def test_fingerprint_is_stable_when_code_moves_and_changes_when_the_line_does() -> None:
    before = {"m.py": ["import hashlib", "h = hashlib.md5(x)"]}
    moved = {"m.py": ["import hashlib", "", "", "h  =  hashlib.md5(x)"]}
    edited = {"m.py": ["import hashlib", "h = hashlib.md5(y)"]}
    a = fingerprint_findings([_raw(OURS, 2)], lines_of=before)[0]
    b = fingerprint_findings([_raw(OURS, 4)], lines_of=moved)[0]
    c = fingerprint_findings([_raw(OURS, 2)], lines_of=edited)[0]
    assert a.fingerprint == b.fingerprint
    assert a.fingerprint != c.fingerprint
    assert a.id == a.fingerprint[:16]
    assert a.snippet == "h = hashlib.md5(x)"


def test_the_same_line_twice_gets_two_occurrences() -> None:
    lines = {"m.py": ["h = hashlib.md5(x)", "h = hashlib.md5(x)"]}
    first, second = fingerprint_findings([_raw(OURS, 1), _raw(OURS, 2)], lines_of=lines)
    assert (first.occurrence, second.occurrence) == (1, 2)
    assert first.fingerprint != second.fingerprint
    assert first.line_hash == second.line_hash


def test_agreeing_analysers_merge_into_the_preferred_one() -> None:
    lines = {"m.py": ["import hashlib", "h = hashlib.md5(x)"]}
    found = fingerprint_findings([_raw(OURS, 2), _raw(BANDITS, 2)], lines_of=lines)
    merged = merge_duplicates(found, prefer="semgrep")
    assert len(merged) == 1
    assert merged[0].rule == OURS.id
    assert merged[0].also_reported_by == ("bandit.B324",)


def test_different_lines_or_weaknesses_do_not_merge() -> None:
    lines = {"m.py": ["h = hashlib.md5(x)", "h = hashlib.md5(x)"]}
    found = fingerprint_findings([_raw(OURS, 1), _raw(BANDITS, 2)], lines_of=lines)
    assert len(merge_duplicates(found, prefer="semgrep")) == 2


def test_cwe_families() -> None:
    assert cwe_family("CWE-95") == cwe_family("CWE-94") == "code-injection"
    assert cwe_family("CWE-328") == cwe_family("CWE-327")
    assert cwe_family("CWE-9999") == "CWE-9999"
