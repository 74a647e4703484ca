"""Code findings: what Bandit and Semgrep report, normalized to one shape.

A finding names its rule, the CWE(s) it stands for, a severity and a confidence, where it is
(file relative to the scanned root, 1-based line and column), the source line, and a
fingerprint that survives unrelated edits: a hash of the rule, the file and the whitespace-
normalized source line, plus which occurrence of that same line in the file it is. Moving code
up or down does not change it; editing the flagged line does. Files an analyser did not read are
values (:class:`SkippedFile`), never silently dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from shieldwall.core.types import Severity

FINDING_ID_LENGTH = 16
_SPACE = re.compile(r"\s+")


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Language(StrEnum):
    PYTHON = "python"
    JAVASCRIPT = "javascript"
    TYPESCRIPT = "typescript"


class AnalyserStatus(StrEnum):
    RAN = "ran"
    UNAVAILABLE = "unavailable"  # not installed / not found
    FAILED = "failed"  # installed, but the run did not complete


SEVERITY_RANK = {
    Severity.INFORMATIONAL: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeLocation:
    path: str  # relative to the scanned root, '/'-separated
    line: int  # 1-based
    column: int  # 1-based
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """What a rule checks, for people (the table, SARIF's rule descriptions and help)."""

    id: str
    analyser: str
    name: str
    summary: str
    help: str
    cwe: tuple[str, ...]
    severity: Severity
    confidence: Confidence
    help_uri: str | None = None
    fix_template: str | None = None
    family: str | None = None  # what weakness it is about, when its CWE says it poorly

    @property
    def topic(self) -> str:
        """The weakness family used to merge agreeing findings (see :data:`CWE_FAMILIES`)."""
        if self.family:
            return self.family
        return cwe_family(self.cwe[0]) if self.cwe else self.id


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeFinding:
    id: str  # the first FINDING_ID_LENGTH hex digits of the fingerprint
    rule: str
    analyser: str
    cwe: tuple[str, ...]
    severity: Severity
    confidence: Confidence
    message: str
    location: CodeLocation
    snippet: str
    fingerprint: str
    line_hash: str  # hash of the normalized source line alone, for SARIF
    occurrence: int  # 1 for the first finding of this rule on this same line text in the file
    language: Language
    fix_template: str | None = None
    topic: str = ""  # the weakness family, for merging (RuleInfo.topic)
    also_reported_by: tuple[str, ...] = ()  # rule ids of other analysers that agreed

    def to_json(self) -> dict[str, Any]:
        loc = self.location
        return {
            "id": self.id,
            "rule": self.rule,
            "analyser": self.analyser,
            "cwe": list(self.cwe),
            "severity": str(self.severity),
            "confidence": str(self.confidence),
            "message": self.message,
            "location": {
                "file": loc.path,
                "line": loc.line,
                "column": loc.column,
                "end_line": loc.end_line,
                "end_column": loc.end_column,
            },
            "snippet": self.snippet,
            "fingerprint": self.fingerprint,
            "language": str(self.language),
            "fix_template": self.fix_template,
            "also_reported_by": list(self.also_reported_by),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RawFinding:
    """What an adapter reports, before fingerprints and merging."""

    rule: RuleInfo
    message: str
    location: CodeLocation
    language: Language
    severity: Severity | None = None  # when it differs from the rule's default (Bandit's do)
    confidence: Confidence | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedFile:
    path: str
    analyser: str  # "bandit", "semgrep" or "shieldwall" (not handed to any analyser)
    reason: str
    needs_python: str | None = None  # e.g. "3.12" when only a newer Python parses it

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "analyser": self.analyser,
            "reason": self.reason,
            "needs_python": self.needs_python,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyserRun:
    name: str
    status: AnalyserStatus
    version: str | None = None
    runtime: str | None = None  # e.g. "Python 3.13.0 (/usr/bin/python3.13)" for Bandit
    files: int = 0  # files it analysed
    message: str | None = None  # why it is unavailable or failed, or a note
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": str(self.status),
            "version": self.version,
            "runtime": self.runtime,
            "files": self.files,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyserOutcome:
    """One adapter's whole answer."""

    runs: tuple[AnalyserRun, ...]
    findings: tuple[RawFinding, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    analysed: frozenset[str] = frozenset()  # relative paths actually analysed


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeReport:
    root: str
    files: dict[str, int]  # language -> files found
    findings: tuple[CodeFinding, ...]
    rules: dict[str, RuleInfo]
    skipped: tuple[SkippedFile, ...]
    analysers: tuple[AnalyserRun, ...]
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def finding(self, finding_id: str) -> CodeFinding | None:
        """The finding whose id (or fingerprint) starts with ``finding_id``, if exactly one."""
        wanted = finding_id.strip().lower()
        if not wanted:
            return None
        hits = [f for f in self.findings if f.fingerprint.startswith(wanted)]
        return hits[0] if len(hits) == 1 else None

    def to_json(self) -> dict[str, Any]:
        by_severity = Counter(str(f.severity) for f in self.findings)
        return {
            "root": self.root,
            "files": dict(sorted(self.files.items())),
            "findings": [f.to_json() for f in self.findings],
            "skipped": [s.to_json() for s in self.skipped],
            "analysers": [a.to_json() for a in self.analysers],
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "summary": {
                "findings": len(self.findings),
                "by_severity": {k: by_severity[k] for k in sorted(by_severity)},
                "files": sum(self.files.values()),
                "skipped": len({s.path for s in self.skipped if s.analyser == "shieldwall"}),
                "partially_skipped": len({s.path for s in self.skipped}),
            },
        }


def normalize_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _sha256(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


# CWE families: CWEs that name the same weakness at different levels of detail, so that two
# analysers (or an analyser and a label) that pick neighbouring ids are seen to agree.
CWE_FAMILIES: dict[str, tuple[str, ...]] = {
    "os-command": ("CWE-77", "CWE-78"),
    "code-injection": ("CWE-94", "CWE-95", "CWE-1336"),
    "sql-injection": ("CWE-89", "CWE-564"),
    "path-traversal": ("CWE-22", "CWE-23", "CWE-36", "CWE-73"),
    "deserialization": ("CWE-502",),
    "weak-crypto": ("CWE-326", "CWE-327", "CWE-328", "CWE-916"),
    "hard-coded-secret": ("CWE-259", "CWE-321", "CWE-798", "CWE-312"),
    "weak-random": ("CWE-330", "CWE-338"),
    "xss": ("CWE-79", "CWE-80", "CWE-116"),
    "ssrf": ("CWE-918",),
    "tls": ("CWE-295", "CWE-297"),
    "xxe": ("CWE-611", "CWE-776"),
    "redos": ("CWE-185", "CWE-400", "CWE-1333"),
}
_FAMILY_OF = {cwe: family for family, cwes in CWE_FAMILIES.items() for cwe in cwes}


def cwe_family(cwe: str) -> str:
    """The family a CWE belongs to (see :data:`CWE_FAMILIES`), or the CWE itself."""
    return _FAMILY_OF.get(cwe, cwe)


def fingerprint_findings(
    raw: Sequence[RawFinding], *, lines_of: dict[str, list[str]]
) -> list[CodeFinding]:
    """Attach snippets, fingerprints and occurrence numbers, in a stable order."""
    ordered = sorted(
        raw, key=lambda r: (r.location.path, r.location.line, r.location.column, r.rule.id)
    )
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[CodeFinding] = []
    for r in ordered:
        lines = lines_of.get(r.location.path, [])
        snippet = lines[r.location.line - 1] if 0 < r.location.line <= len(lines) else ""
        normalized = normalize_line(snippet)
        key = (r.rule.id, r.location.path, normalized)
        seen[key] += 1
        occurrence = seen[key]
        fingerprint = _sha256("shieldwall-code/v1", *key, str(occurrence))
        out.append(
            CodeFinding(
                id=fingerprint[:FINDING_ID_LENGTH],
                rule=r.rule.id,
                analyser=r.rule.analyser,
                cwe=r.rule.cwe,
                severity=r.severity or r.rule.severity,
                confidence=r.confidence or r.rule.confidence,
                message=r.message,
                location=r.location,
                snippet=snippet.rstrip("\r\n"),
                fingerprint=fingerprint,
                line_hash=_sha256(normalized)[:16],
                occurrence=occurrence,
                language=r.language,
                fix_template=r.rule.fix_template,
                topic=r.rule.topic,
            )
        )
    return out


def merge_duplicates(findings: Iterable[CodeFinding], *, prefer: str) -> list[CodeFinding]:
    """One finding per (file, line, weakness family): the ``prefer`` analyser's is kept and
    names the others in ``also_reported_by``."""
    groups: dict[tuple[str, int, str], list[CodeFinding]] = {}
    for f in findings:
        groups.setdefault((f.location.path, f.location.line, f.topic or f.rule), []).append(f)
    merged: list[CodeFinding] = []
    for members in groups.values():
        members.sort(key=lambda f: (f.analyser != prefer, -SEVERITY_RANK[f.severity], f.rule))
        head, rest = members[0], members[1:]
        if rest:
            others = tuple(sorted({f.rule for f in rest}))
            head = replace(head, also_reported_by=others)
        merged.append(head)
    result = merged
    result.sort(key=lambda f: (f.location.path, f.location.line, f.location.column, f.rule))
    return result
