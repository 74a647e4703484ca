"""Facts an investigation gathered, and the conclusion drawn from them.

Shared by the local planner (its whole conclusion) and the model loop (its fallback, when the
model gives no usable report): alerts of detection rules become one finding per rule, the
playbook's hunts one finding each, verdicts of links and messages, matches in shared intel and
known vulnerabilities one finding each; every finding links to the calls (and the event
sources) it rests on. Confidence is high only when two independent things agree (a rule and a
hunt on the same technique, a hunt that matched more than once, a match in shared intel).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final

from shieldwall.ai.agent.engine import CallRecord, Investigation
from shieldwall.ai.agent.indicators import Indicator, IndicatorKind, Indicators
from shieldwall.ai.agent.observe import events_in, source_json, sources_in
from shieldwall.ai.agent.playbook import (
    HuntHit,
    event_id,
    recommended_actions,
    run_hunts,
    user_writable,
)
from shieldwall.ai.agent.playbook import field as event_field
from shieldwall.ai.agent.report import (
    Action,
    Conclusion,
    Confidence,
    Finding,
    overall_confidence,
    parse_severity,
)
from shieldwall.core.clock import isoformat_z
from shieldwall.core.types import Severity

MAX_SOURCES: Final = 10
TECHNIQUE_ID: Final = re.compile(r"^T\d{4}(?:\.\d{3})?$")
_STIX_NAMESPACE: Final = uuid.UUID("5d2a6d1e-4b57-4f8e-9d1c-3a1f0e6c7b21")

# -- facts gathered from calls ---------------------------------------------------------------------


@dataclass(slots=True)
class Facts:
    incident: Mapping[str, Any] | None = None
    incident_call: CallRecord | None = None
    events: list[tuple[Mapping[str, Any], CallRecord]] = field(default_factory=list)
    alerts: list[tuple[Mapping[str, Any], CallRecord]] = field(default_factory=list)
    hunts: list[tuple[HuntHit, CallRecord]] = field(default_factory=list)
    verdicts: list[tuple[str, str, Mapping[str, Any], CallRecord]] = field(default_factory=list)
    intel: list[tuple[Indicator, Mapping[str, Any], str, CallRecord]] = field(default_factory=list)
    attack: dict[str, tuple[str, CallRecord]] = field(default_factory=dict)
    vuln: list[tuple[str, Mapping[str, Any], CallRecord]] = field(default_factory=list)
    indicators: Indicators = field(default_factory=Indicators)
    internal: set[str] = field(default_factory=set)
    absorbed: set[str] = field(default_factory=set)
    seen_events: set[tuple[str, str, int]] = field(default_factory=set)

    def absorb(self, record: CallRecord) -> None:
        """Take what a successful call returned into the facts (once per call)."""
        if not record.ok or record.call in self.absorbed:
            return
        self.absorbed.add(record.call)
        result = record.result
        if record.capability.startswith("protect.") and isinstance(result, Mapping):
            if isinstance(result.get("verdict"), str):
                args = record.arguments
                subject = str(args.get("url") or args.get("sender") or record.capability)
                self.verdicts.append((record.capability, subject, result, record))
            return
        found = events_in(result)
        for event in found:  # one event can stand behind several alerts: count it once
            key = _source_key(event["source"])
            if key not in self.seen_events:
                self.seen_events.add(key)
                self.events.append((event, record))
        for item in _alerts_in(result):
            self.alerts.append((item, record))
        self.internal.update(
            str(e["host"]).lower() for e in found if isinstance(e.get("host"), str)
        )
        if record.capability == "detect.incidents.get" and isinstance(result, Mapping):
            self.incident = result
            self.incident_call = record
            for host in result.get("hosts", ()) or ():
                if isinstance(host, str):
                    self.internal.add(host.lower())
        for alert, _call in self.alerts:
            if isinstance(alert.get("host"), str):
                self.internal.add(str(alert["host"]).lower())

    def run_hunts(self) -> None:
        by_call: dict[str, list[Mapping[str, Any]]] = {}
        calls: dict[str, CallRecord] = {}
        for event, record in self.events:
            by_call.setdefault(record.call, []).append(event)
            calls[record.call] = record
        self.hunts = [
            (hit, calls[cid]) for cid, events in by_call.items() for hit in run_hunts(events)
        ]

    def techniques(self) -> list[str]:
        found: dict[str, None] = {}
        if self.incident:
            for t in self.incident.get("techniques", ()) or ():
                if isinstance(t, str) and TECHNIQUE_ID.match(t):
                    found[t] = None
        for alert, _ in self.alerts:
            for t in alert.get("techniques", ()) or ():
                if isinstance(t, str) and TECHNIQUE_ID.match(t.upper()):
                    found[t.upper()] = None
        for hit, _ in self.hunts:
            found[hit.hunt.technique] = None
        return list(found)

    def tactics(self) -> list[str]:
        found: dict[str, None] = {}
        sources: list[Any] = [self.incident.get("tactics", ()) if self.incident else ()]
        sources.extend(alert.get("tactics", ()) for alert, _ in self.alerts)
        for values in sources:
            for t in values or ():
                if isinstance(t, str):
                    found[t] = None
        for hit, _ in self.hunts:
            found[hit.hunt.tactic] = None
        return list(found)


def _source_key(source: Mapping[str, Any]) -> tuple[str, str, int]:
    return (str(source["file"]), str(source.get("member") or ""), int(source["record"]))


def _unique_sources(items: Sequence[Mapping[str, Any]], limit: int) -> list[dict[str, Any]]:
    out: dict[tuple[str, str, int], dict[str, Any]] = {}
    for src in items:
        out.setdefault(_source_key(src), source_json(src))
        if len(out) >= limit:
            break
    return list(out.values())


_SERVICE_ACCOUNTS = ("NT AUTHORITY\\", "NT SERVICE\\", "WINDOW MANAGER\\", "FONT DRIVER HOST\\")


def human_account(name: str) -> bool:
    """An account a person could hold (not ``-``, a machine account or a Windows service)."""
    upper = name.strip().upper()
    return (
        bool(upper)
        and upper
        not in (
            "-",
            "SYSTEM",
            "LOCAL SERVICE",
            "NETWORK SERVICE",
            "ANONYMOUS LOGON",
        )
        and not upper.endswith("$")
        and not upper.startswith(_SERVICE_ACCOUNTS)
    )


def _alerts_in(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, Mapping):
        alerts = value.get("alerts")
        if isinstance(alerts, list):
            return [a for a in alerts if isinstance(a, Mapping) and "rule_title" in a]
        return [value] if "rule_title" in value and "level" in value else []
    if isinstance(value, list):
        return [a for a in value if isinstance(a, Mapping) and "rule_title" in a]
    return []


def gather_facts(inv: Investigation) -> Facts:
    """The facts in every successful call so far (for a model's fallback conclusion)."""
    facts = Facts()
    for record in inv.calls:
        facts.absorb(record)
    facts.run_hunts()
    return facts


def stix_time(inv: Investigation) -> str:
    stamp = isoformat_z(inv.clock.now())  # ...ss.ffffffZ
    return f"{stamp[:23]}Z"


_STIX_PATTERNS: Final[Mapping[IndicatorKind, str]] = {
    IndicatorKind.URL: "[url:value = '{}']",
    IndicatorKind.DOMAIN: "[domain-name:value = '{}']",
    IndicatorKind.IPV4: "[ipv4-addr:value = '{}']",
    IndicatorKind.IPV6: "[ipv6-addr:value = '{}']",
    IndicatorKind.SHA256: "[file:hashes.'SHA-256' = '{}']",
    IndicatorKind.SHA1: "[file:hashes.'SHA-1' = '{}']",
    IndicatorKind.MD5: "[file:hashes.MD5 = '{}']",
}


def stix_indicator(indicator: Indicator, *, name: str, when: str) -> dict[str, Any] | None:
    template = _STIX_PATTERNS.get(indicator.kind)
    if template is None:
        return None
    value = indicator.value.replace("\\", "\\\\").replace("'", "\\'")
    pattern = template.format(value)
    return {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{uuid.uuid5(_STIX_NAMESPACE, pattern)}",
        "created": when,
        "modified": when,
        "name": name[:250],
        "indicator_types": ["malicious-activity"],
        "pattern": pattern,
        "pattern_type": "stix",
        "valid_from": when,
    }


_SHA256_IN_HASHES: Final = re.compile(r"SHA256=([0-9A-Fa-f]{64})")


def _related_hashes(hit: HuntHit, facts: Facts) -> list[tuple[str, str]]:
    """(image, sha256) of the programs a hunt hit names, from their process-start events;
    only programs in user-writable folders (a system binary abused, rundll32.exe, is not
    itself an indicator)."""
    images = {
        image.lower()
        for e in hit.events
        if user_writable(image := event_field(e, "SourceImage", "Image", "NewProcessName"))
    }
    out: dict[str, str] = {}
    for event, _ in facts.events:
        if event_id(event) == 1 and event_field(event, "Image").lower() in images:
            match = _SHA256_IN_HASHES.search(event_field(event, "Hashes"))
            if match:
                out.setdefault(match.group(1).lower(), event_field(event, "Image"))
    return [(image, digest) for digest, image in out.items()]


def _distinct(hit: HuntHit, *names: str, limit: int = 3) -> list[str]:
    seen: dict[str, None] = {}
    for event in hit.events:
        value = event_field(event, *names)
        if value:
            seen[value] = None
    return list(seen)[:limit]


def shareable_indicators(facts: Facts) -> list[Indicator]:
    """Indicators the evidence shows to be malicious: links judged dangerous, programs a
    high-severity hunt caught (by their SHA-256)."""
    out: dict[tuple[str, str], Indicator] = {}
    for capability, subject, result, _record in facts.verdicts:
        if capability == "protect.url" and result.get("verdict") == "dangerous":
            out[("url", subject)] = Indicator(kind=IndicatorKind.URL, value=subject)
    for hit, _record in facts.hunts:
        if hit.hunt.severity is Severity.HIGH:
            for _image, digest in _related_hashes(hit, facts):
                out[("sha256", digest)] = Indicator(kind=IndicatorKind.SHA256, value=digest)
    return list(out.values())


# -- conclude ------------------------------------------------------------------------------------


def _technique_label(technique: str, facts: Facts) -> str:
    named = facts.attack.get(technique)
    return f"{technique} ({named[0]})" if named else technique


def _same_family(a: str, b: str) -> bool:
    return a.split(".")[0] == b.split(".")[0]


def conclude(
    inv: Investigation, facts: Facts, *, concluded_by: str, shared: Sequence[Indicator] = ()
) -> Conclusion:
    findings: list[Finding] = []
    hunt_techniques = [hit.hunt.technique for hit, _ in facts.hunts]
    intel_hit = bool(facts.intel)

    # Alerts of detection rules, one finding per rule.
    groups: dict[str, list[tuple[Mapping[str, Any], CallRecord]]] = {}
    for alert, record in facts.alerts:
        groups.setdefault(str(alert.get("rule_id") or alert.get("rule_title")), []).append(
            (alert, record)
        )
    for members in groups.values():
        first = members[0][0]
        techniques = sorted(
            {str(t).upper() for a, _ in members for t in a.get("techniques", ()) or ()}
        )
        severity = parse_severity(first.get("level"), Severity.MEDIUM)
        corroborated = (
            any(_same_family(t, h) for t in techniques for h in hunt_techniques) or intel_hit
        )
        confidence = (
            Confidence.LOW
            if severity in (Severity.INFORMATIONAL, Severity.LOW)
            else Confidence.HIGH
            if corroborated
            else Confidence.MEDIUM
        )
        hosts = sorted({str(a["host"]) for a, _ in members if a.get("host")})
        users = sorted({str(a["user"]) for a, _ in members if a.get("user")})
        by_call: dict[str, list[Mapping[str, Any]]] = {}
        for alert, record in members:
            if isinstance(alert.get("source"), Mapping):
                by_call.setdefault(record.call, []).append(alert["source"])
        links = tuple(
            inv.link(record, _unique_sources(by_call.get(record.call, []), MAX_SOURCES))
            for record in {r.call: r for _, r in members}.values()
        )
        detail = f"{len(members)} alert(s) of rule {first.get('rule_title')!r}"
        if hosts:
            detail += f" on {', '.join(hosts[:3])}"
        if users:
            detail += f"; account(s) {', '.join(users[:3])}"
        if techniques:
            detail += "; ATT&CK " + ", ".join(_technique_label(t, facts) for t in techniques)
        findings.append(
            Finding(
                title=str(first.get("rule_title")),
                severity=severity,
                confidence=confidence,
                detail=detail,
                techniques=tuple(techniques),
                evidence=links,
            )
        )
    if facts.incident is not None and not facts.alerts and facts.incident_call is not None:
        findings.append(
            Finding(
                title=str(facts.incident.get("title") or f"incident {inv.case.incident_id}"),
                severity=parse_severity(facts.incident.get("level"), Severity.MEDIUM),
                confidence=Confidence.MEDIUM,
                detail="the incident as detect recorded it (its alerts were not in the answer)",
                techniques=tuple(
                    t for t in facts.incident.get("techniques", ()) or () if isinstance(t, str)
                ),
                evidence=(
                    inv.link(facts.incident_call, sources_in(facts.incident, limit=MAX_SOURCES)),
                ),
            )
        )

    # The playbook's hunts over raw events.
    for hit, record in facts.hunts:
        alert_techniques = {
            str(t).upper() for a, _ in facts.alerts for t in a.get("techniques", ()) or ()
        }
        corroborated = (
            hit.count >= 2
            or any(
                _same_family(hit.hunt.technique, other.hunt.technique)
                for other, _ in facts.hunts
                if other.hunt.id != hit.hunt.id
            )
            or any(_same_family(hit.hunt.technique, t) for t in alert_techniques)
        )
        confidence = (
            Confidence.HIGH
            if hit.hunt.severity is Severity.HIGH and corroborated
            else Confidence.MEDIUM
        )
        parts = [hit.detail] if hit.detail else []
        actors = _distinct(hit, "SourceImage", "Image", "NewProcessName")
        if actors:
            parts.append("program(s) " + ", ".join(actors))
        accounts = _distinct(hit, "SourceUser", "User", "SubjectUserName")
        if accounts:
            parts.append("account(s) " + ", ".join(accounts))
        commands = _distinct(hit, "CommandLine", "ProcessCommandLine", limit=2)
        if commands:
            parts.append("command(s) " + "; ".join(c[:200] for c in commands))
        hashes = _related_hashes(hit, facts)
        if hashes:
            parts.append(
                "SHA-256 "
                + ", ".join(
                    f"{d} ({PurePath(i.replace(chr(92), '/')).name})" for i, d in hashes[:3]
                )
            )
        hosts = sorted({str(e["host"]) for e in hit.events if e.get("host")})
        if hosts:
            parts.append("host(s) " + ", ".join(hosts[:3]))
        findings.append(
            Finding(
                title=hit.hunt.title,
                severity=hit.hunt.severity,
                confidence=confidence,
                detail=f"{hit.count} event(s): {hit.hunt.why}. " + "; ".join(parts),
                techniques=(hit.hunt.technique,),
                evidence=(
                    inv.link(
                        record, _unique_sources([e["source"] for e in hit.events], MAX_SOURCES)
                    ),
                ),
            )
        )

    # Verdicts of links, messages and e-mails.
    safe: list[str] = []
    for capability, subject, result, record in facts.verdicts:
        verdict = result.get("verdict")
        raw_score = result.get("score")
        score = float(raw_score) if isinstance(raw_score, int | float) else 0.0
        if verdict not in ("suspicious", "dangerous"):
            safe.append(subject)
            continue
        reasons = [
            str(r.get("detail"))
            for r in result.get("reasons", []) or []
            if isinstance(r, Mapping)
            and isinstance(r.get("weight"), int | float)
            and r["weight"] > 0
        ][:3]
        what = {"protect.url": "Link", "protect.email": "E-mail", "protect.message": "Message"}.get(
            capability, "Item"
        )
        findings.append(
            Finding(
                title=f"{what} judged {verdict}: {subject[:120]}",
                severity=Severity.HIGH if verdict == "dangerous" else Severity.MEDIUM,
                confidence=(
                    Confidence.HIGH
                    if verdict == "dangerous" and score >= 0.85
                    else Confidence.MEDIUM
                    if verdict == "dangerous"
                    else Confidence.LOW
                ),
                detail=f"{capability} scored it {score:.2f}"
                + (": " + "; ".join(reasons) if reasons else ""),
                techniques=("T1566",) if capability in ("protect.email", "protect.message") else (),
                evidence=(inv.link(record),),
            )
        )

    # Indicators known to shared intel.
    seen_intel: set[tuple[str, str]] = set()
    for indicator, obj, where, record in facts.intel:
        key = (indicator.value, str(obj.get("id", "")))
        if key in seen_intel:
            continue
        seen_intel.add(key)
        name = obj.get("name") or obj.get("id") or "an intel object"
        findings.append(
            Finding(
                title=f"{indicator.kind} {indicator.value} is known to shared intel",
                severity=Severity.HIGH,
                confidence=Confidence.HIGH,
                detail=f"matches {name!s} in {where}",
                evidence=(inv.link(record),),
            )
        )

    # Vulnerabilities.
    for subject, result, record in facts.vuln:
        items: list[Any] = next(
            (
                result[k]
                for k in ("findings", "vulnerabilities", "matches", "advisories")
                if isinstance(result.get(k), list)
            ),
            [],
        )
        if not items:
            continue
        severities = {str(i.get("severity", "")).lower() for i in items if isinstance(i, Mapping)}
        findings.append(
            Finding(
                title=f"{len(items)} known vulnerabilit(ies) for {subject}",
                severity=Severity.HIGH if severities & {"critical", "high"} else Severity.MEDIUM,
                confidence=Confidence.HIGH,
                detail=f"from {record.capability}",
                evidence=(inv.link(record),),
            )
        )

    techniques = facts.techniques()
    techniques.extend(t for f in findings for t in f.techniques if t not in techniques)
    tactics = facts.tactics()
    actions = (
        [Action(action=a, why=w) for a, w in recommended_actions(techniques, tactics)]
        if findings
        else []
    )
    dangerous_links = [
        s for c, s, r, _ in facts.verdicts if c == "protect.url" and r.get("verdict") == "dangerous"
    ]
    if dangerous_links:
        actions.insert(
            0,
            Action(
                action="Block "
                + ", ".join(dangerous_links[:5])
                + " at the mail and web filters, and find who received or opened them.",
                why="judged dangerous by protect.url",
            ),
        )
    if shared and not inv.case.share_to:
        actions.append(
            Action(
                action=f"Share {len(shared)} malicious indicator(s) with your community: run "
                "again with --share-to COLLECTION to propose it for approval.",
                why="coordinated defense",
            )
        )
    users = sorted(
        u
        for u in {str(a["user"]) for a, _ in facts.alerts if a.get("user")}
        | {u for hit, _ in facts.hunts for u in _distinct(hit, "SourceUser", "User")}
        if human_account(u)
    )
    if users and any(
        t in tactics for t in ("credential-access", "persistence", "lateral-movement")
    ):
        actions.append(
            Action(
                action=f"Disable or reset the account(s) {', '.join(users[:5])} in your "
                "directory after containment (Shieldwall has no capability to do it for you).",
                why="accounts seen in credential-access or persistence activity",
            )
        )

    summary = _summary(inv, facts, findings, safe, techniques)
    return Conclusion(
        summary=summary,
        findings=tuple(findings),
        actions=tuple(actions),
        confidence=overall_confidence(findings),
        concluded_by=concluded_by,
        not_checked=(),
    )


def _summary(
    inv: Investigation,
    facts: Facts,
    findings: Sequence[Finding],
    safe: Sequence[str],
    techniques: Sequence[str],
) -> str:
    parts: list[str] = []
    if facts.incident is not None:
        parts.append(
            f"Incident {inv.case.incident_id}: {facts.incident.get('title', '')}.".replace(
                ": .", "."
            )
        )
    checked = len([c for c in inv.calls if c.ok])
    if facts.events:
        hosts = sorted({str(e["host"]) for e, _ in facts.events if e.get("host")})
        parts.append(
            f"{len(facts.events):,} event(s) examined"
            + (f" from {', '.join(hosts[:3])}" if hosts else "")
            + "."
        )
    if findings:
        top = max(
            findings,
            key=lambda f: (list(Severity).index(f.severity), f.confidence == Confidence.HIGH),
        )
        parts.append(
            f"{len(findings)} finding(s); the most serious: {top.title} "
            f"({top.severity}, {top.confidence} confidence)."
        )
    else:
        parts.append("No sign of malicious activity was found in what could be checked.")
    if techniques:
        parts.append(
            "ATT&CK: " + ", ".join(_technique_label(t, facts) for t in techniques[:8]) + "."
        )
    if safe:
        parts.append(f"{len(safe)} item(s) checked and judged safe.")
    parts.append(
        f"{checked} check(s) ran through the gateway; {len(inv.not_checked)} could not be done."
    )
    return " ".join(parts)


__all__ = [
    "MAX_SOURCES",
    "TECHNIQUE_ID",
    "Facts",
    "conclude",
    "gather_facts",
    "shareable_indicators",
    "stix_indicator",
    "stix_time",
]
