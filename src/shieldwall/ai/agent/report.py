"""The final report of an investigation, and its plain-text rendering.

A finding cites evidence by *call*: the id of a tool call in this investigation (``c3``), which
names the capability, the ledger entries of its decision and outcome, and the event sources
(file, zip member, record) the finding rests on. A model's report is checked against the calls
that happened: a citation of a call that did not happen, or did not succeed, is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shieldwall.core.types import Severity

SEVERITY_ORDER = {s: n for n, s in enumerate(Severity)}


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def parse_severity(value: Any, default: Severity = Severity.MEDIUM) -> Severity:
    try:
        return Severity(str(value).strip().lower())
    except ValueError:
        return default


def parse_confidence(value: Any, default: Confidence = Confidence.LOW) -> Confidence:
    try:
        return Confidence(str(value).strip().lower())
    except ValueError:
        return default


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceLink:
    call: str
    capability: str
    decision_index: int | None
    outcome_index: int | None
    sources: tuple[Mapping[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "call": self.call,
            "capability": self.capability,
            "decision_index": self.decision_index,
            "outcome_index": self.outcome_index,
            "sources": [dict(s) for s in self.sources],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    title: str
    severity: Severity
    confidence: Confidence
    detail: str = ""
    techniques: tuple[str, ...] = ()
    evidence: tuple[EvidenceLink, ...] = ()
    note: str = ""

    def to_json(self, number: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": f"F{number}",
            "title": self.title,
            "severity": str(self.severity),
            "confidence": str(self.confidence),
            "detail": self.detail,
            "techniques": list(self.techniques),
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class NotChecked:
    what: str
    why: str

    def to_json(self) -> dict[str, str]:
        return {"what": self.what, "why": self.why}


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    action: str
    why: str = ""
    approval_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "why": self.why}
        if self.approval_id:
            out["approval_id"] = self.approval_id
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Conclusion:
    """What a driver concluded; the investigation adds the bookkeeping (calls, budget, ledger)."""

    summary: str
    findings: tuple[Finding, ...] = ()
    not_checked: tuple[NotChecked, ...] = ()
    actions: tuple[Action, ...] = ()
    confidence: Confidence = Confidence.LOW
    concluded_by: str = "planner"

    def findings_json(self) -> list[dict[str, Any]]:
        ordered = sorted(
            self.findings, key=lambda f: (-SEVERITY_ORDER[f.severity], f.title.lower())
        )
        return [f.to_json(n) for n, f in enumerate(ordered, start=1)]


def overall_confidence(findings: Sequence[Finding]) -> Confidence:
    """The confidence of the strongest finding (low when there are none)."""
    order = list(Confidence)
    return max((f.confidence for f in findings), key=order.index, default=Confidence.LOW)


def render_text(report: Mapping[str, Any]) -> str:
    """The report as a person reads it in a terminal."""
    lines: list[str] = []
    subject = report.get("subject", {})
    head = subject.get("incident_id") or subject.get("question") or "evidence"
    lines.append(f"Investigation {report.get('investigation')}: {head}")
    lines.append(
        f"provider {report.get('provider')} ({report.get('model')}), concluded by "
        f"{report.get('concluded_by')}, confidence {report.get('confidence')}"
    )
    lines.append("")
    lines.append(str(report.get("summary", "")))
    findings = report.get("findings", [])
    lines.append("")
    lines.append(f"Findings ({len(findings)}):")
    if not findings:
        lines.append("  none")
    for f in findings:
        techniques = f" [{', '.join(f['techniques'])}]" if f.get("techniques") else ""
        lines.append(
            f"  {f['id']} {f['severity'].upper()} ({f['confidence']} confidence) "
            f"{f['title']}{techniques}"
        )
        if f.get("detail"):
            lines.append(f"      {f['detail']}")
        for link in f.get("evidence", [])[:5]:
            where = ", ".join(
                f"{s['file'].rsplit('/', 1)[-1]}{'!' + s['member'] if s.get('member') else ''}"
                f":{s['record']}"
                for s in link.get("sources", [])[:3]
            )
            ledger = (
                f"ledger #{link['decision_index']}"
                if link.get("decision_index") is not None
                else ""
            )
            extra = "; ".join(x for x in (ledger, where) if x)
            lines.append(f"      evidence {link['call']} {link['capability']} {extra}".rstrip())
        if f.get("note"):
            lines.append(f"      note: {f['note']}")
    not_checked = report.get("not_checked", [])
    if not_checked:
        lines.append("")
        lines.append("Not checked:")
        lines.extend(f"  - {n['what']}: {n['why']}" for n in not_checked)
    actions = report.get("recommended_actions", [])
    if actions:
        lines.append("")
        lines.append("Recommended actions:")
        for a in actions:
            pending = (
                f" (proposal {a['approval_id']} awaits approval)" if a.get("approval_id") else ""
            )
            lines.append(f"  - {a['action']}{pending}")
    guard = report.get("guard", [])
    if guard:
        lines.append("")
        lines.append("Tool calls the guard refused:")
        lines.extend(f"  - {g['tool']}: {g['reason']}" for g in guard)
    budget = report.get("budget", {})
    lines.append("")
    lines.append(
        f"{budget.get('steps', 0)} of {budget.get('max_steps', 0)} steps, "
        f"{budget.get('turns', 0)} model turns, {budget.get('tokens', 0):,} tokens; "
        f"transcript sha256 {report.get('transcript_sha256', '')[:16]}..."
        + (
            f" (ledger #{report['transcript_record_index']})"
            if report.get("transcript_record_index") is not None
            else ""
        )
    )
    return "\n".join(lines)
