"""One investigation's state and the only way it touches anything: the door.

:class:`Investigation` is shared by the two drivers (the local planner and the model loop). It
runs every tool call as ``door.invoke(capability, request, principal)`` for the principal who
asked, so the agent can never do more than that principal could by hand; it spends the step
budget, records each call, refusal and guard decision in the transcript, streams progress, and
assembles the report around a driver's :class:`~shieldwall.ai.agent.report.Conclusion`.

Call statuses:

    ok         the door allowed it and the handler answered
    refused    the door refused it (tier, scope, policy, kill switch): in the ledger
    held       the door held it for an approver (a proposal): in the ledger and the queue
    throttled  over the principal's quota: in the ledger
    not_found  the handler found nothing by that name (an unknown incident id)
    invalid    the request did not fit the capability's input (the door's or handler's check)
    failed     the handler failed
    guarded    the agent's guard refused it before the door (not planned, not allowed)
    skipped    not run: the step budget was spent
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from pydantic import ValidationError

from shieldwall.ai.agent.fence import MAX_SIGNAL_CHARS, DataFence, injection_signals
from shieldwall.ai.agent.observe import sources_in
from shieldwall.ai.agent.progress import EventKind, ProgressEvent, ProgressSink
from shieldwall.ai.agent.report import (
    Action,
    Conclusion,
    Confidence,
    EvidenceLink,
    Finding,
    NotChecked,
)
from shieldwall.ai.agent.tools import CapabilityCatalog, Toolbox, bind_arguments
from shieldwall.ai.agent.transcript import Transcript
from shieldwall.core.clock import Clock, isoformat_z
from shieldwall.core.errors import (
    DeniedError,
    HeldError,
    InputError,
    NotFoundError,
    ShieldwallError,
    ThrottledError,
)
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal, Severity

DEFAULT_MAX_STEPS: Final = 12
MAX_STEPS: Final = 100
DEFAULT_MAX_TOKENS: Final = 60_000
MAX_TOKENS: Final = 1_000_000
DEFAULT_TURN_TOKENS: Final = 1_500
DEFAULT_OBSERVATION_CHARS: Final = 8_000
MAX_INJECTION_SCAN: Final = 1_000_000


class Actor(StrEnum):
    """Who chose a call: the deterministic planner, the model, or the agent itself (loading
    the case before the model sees it)."""

    PLANNER = "planner"
    MODEL = "model"
    AGENT = "agent"


class CallStatus(StrEnum):
    OK = "ok"
    REFUSED = "refused"
    HELD = "held"
    THROTTLED = "throttled"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    FAILED = "failed"
    GUARDED = "guarded"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceText:
    """A piece of evidence handed in as text (an e-mail, a log excerpt, a report)."""

    name: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """What to investigate. At least one of the parts is set."""

    incident_id: str | None = None
    question: str | None = None
    evidence: tuple[EvidenceText, ...] = ()
    log_paths: tuple[str, ...] = ()
    share_to: str | None = None
    event_limit: int = 100_000

    def describe(self) -> dict[str, Any]:
        return {
            "incident_id": self.incident_id,
            "question": self.question,
            "evidence": [e.name for e in self.evidence],
            "log_paths": list(self.log_paths),
            "share_to": self.share_to,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Budget:
    max_steps: int = DEFAULT_MAX_STEPS
    max_tokens: int = DEFAULT_MAX_TOKENS
    #: The completion cap of one model turn (sent as max_tokens: the server enforces it).
    turn_tokens: int = DEFAULT_TURN_TOKENS
    #: How much of one tool result a model sees (the transcript keeps the ledger references).
    observation_chars: int = DEFAULT_OBSERVATION_CHARS


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRecord:
    call: str
    tool: str
    capability: str
    arguments: Mapping[str, Any]
    by: Actor
    status: CallStatus
    decision_index: int | None = None
    outcome_index: int | None = None
    code: str = ""
    message: str = ""
    approval_id: str | None = None
    result: Any = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status is CallStatus.OK

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "call": self.call,
            "tool": self.tool,
            "capability": self.capability,
            "arguments": dict(self.arguments),
            "by": str(self.by),
            "status": str(self.status),
            "decision_index": self.decision_index,
            "outcome_index": self.outcome_index,
        }
        if self.code:
            out["code"] = self.code
        if self.message:
            out["message"] = self.message
        if self.approval_id:
            out["approval_id"] = self.approval_id
        return out

    def summary_json(self) -> dict[str, Any]:
        """As :meth:`to_json`, with long arguments shortened (for progress events)."""
        return {**self.to_json(), "arguments": short_arguments(self.arguments)}


def short_arguments(arguments: Mapping[str, Any], limit: int = 200) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in arguments.items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        out[key] = value if len(text) <= limit else f"{text[:limit]}... ({len(text):,} chars)"
    return out


class Cancelled(ShieldwallError):
    """The front end went away; the investigation stops between steps."""


class Investigation:
    def __init__(
        self,
        *,
        id: str,
        door: Door,
        principal: Principal,
        catalog: CapabilityCatalog,
        toolbox: Toolbox,
        case: Case,
        budget: Budget,
        clock: Clock,
        sink: ProgressSink | None = None,
        fence: DataFence | None = None,
    ) -> None:
        self.id = id
        self.door = door
        self.principal = principal
        self.catalog = catalog
        self.toolbox = toolbox
        self.case = case
        self.budget = budget
        self.clock = clock
        self.sink = sink
        self.fence = fence or DataFence.new()
        self.transcript = Transcript(
            investigation=id, principal=principal, started=isoformat_z(clock.now())
        )
        self.calls: list[CallRecord] = []
        self.not_checked: list[NotChecked] = []
        self.guard: list[dict[str, Any]] = []
        self.signals: list[dict[str, Any]] = []
        self.steps = 0
        self.turns = 0
        self.tokens = 0
        self.stopped: str | None = None
        self._seq = 0
        self._signal_seen: set[tuple[str, str]] = set()

    # -- progress -----------------------------------------------------------------------------

    def emit(self, kind: EventKind, data: Mapping[str, Any]) -> None:
        if self.sink is None:
            return
        self._seq += 1
        self.sink.emit(ProgressEvent(kind=kind, investigation=self.id, seq=self._seq, data=data))

    def check_cancelled(self) -> None:
        if self.sink is not None and self.sink.cancelled():
            raise Cancelled(
                f"investigation {self.id} was cancelled by its client", code="agent.cancelled"
            )

    def note(self, message: str) -> None:
        self.transcript.add("note", {"message": message})
        self.emit(EventKind.NOTE, {"message": message})

    # -- bookkeeping ----------------------------------------------------------------------------

    @property
    def steps_left(self) -> int:
        return max(0, self.budget.max_steps - self.steps)

    def unchecked(self, what: str, why: str) -> None:
        item = NotChecked(what=what, why=why)
        if item not in self.not_checked:
            self.not_checked.append(item)

    def call_by_id(self, call_id: str) -> CallRecord | None:
        for record in self.calls:
            if record.call == call_id:
                return record
        return None

    def link(self, record: CallRecord, sources: Sequence[Mapping[str, Any]] = ()) -> EvidenceLink:
        return EvidenceLink(
            call=record.call,
            capability=record.capability,
            decision_index=record.decision_index,
            outcome_index=record.outcome_index,
            sources=tuple(sources),
        )

    def scan_for_injection(self, where: str, texts: Sequence[str], call: str | None) -> None:
        """Flag text addressed to an AI in data (see :func:`fence.injection_signals`); the
        first :data:`MAX_INJECTION_SCAN` characters of each source are read."""
        joined = "\n".join(texts)[:MAX_INJECTION_SCAN]
        for start in range(0, len(joined), MAX_SIGNAL_CHARS):
            for signal in injection_signals(joined[start : start + MAX_SIGNAL_CHARS], limit=3):
                key = (where, signal.signal)
                if key in self._signal_seen or len(self.signals) >= 50:
                    continue
                self._signal_seen.add(key)
                self.signals.append({"where": where, "call": call, **signal.to_json()})

    # -- calls ------------------------------------------------------------------------------------

    def _next_id(self) -> str:
        return f"c{len(self.calls) + 1}"

    def read_logs(self, *, by: Actor) -> tuple[CallRecord, str, dict[str, Any]] | None:
        """Read the case's log files with ``detect.events`` (the planner and the model's opening
        both start there): the call's record, the tool's name and its arguments; None when the
        case names no files, or when the tool is not available (noted as not checked)."""
        case = self.case
        if not case.log_paths:
            return None
        tool = self.toolbox.for_capability("detect.events")
        values = {"paths": list(case.log_paths), "limit": case.event_limit}
        args = bind_arguments(tool.parameters, values) if tool else None
        if tool is None or args is None:
            self.unchecked(
                f"log files {', '.join(case.log_paths)}",
                "detect.events is not available to the agent on this server",
            )
            return None
        return self.call(tool.capability, args, by=by), tool.name, args

    def call(
        self, capability: str, arguments: Mapping[str, Any], *, by: Actor, what: str = ""
    ) -> CallRecord:
        """Run one capability through the door as the principal; never raises for a refusal."""
        self.check_cancelled()
        tool = self.toolbox.for_capability(capability)
        name = tool.name if tool is not None else capability
        args = dict(arguments)
        label = what or f"{capability} {json.dumps(short_arguments(args, 80), default=str)}"
        if self.steps >= self.budget.max_steps:
            skipped = CallRecord(
                call="",
                tool=name,
                capability=capability,
                arguments=args,
                by=by,
                status=CallStatus.SKIPPED,
                message=f"the step budget ({self.budget.max_steps}) was spent",
            )
            self.transcript.add("tool_call", skipped.to_json())
            self.unchecked(label, skipped.message)
            return skipped
        self.steps += 1
        call_id = self._next_id()
        self.emit(
            EventKind.TOOL_CALL,
            {
                "call": call_id,
                "capability": capability,
                "arguments": short_arguments(args),
                "by": str(by),
                "step": self.steps,
                "max_steps": self.budget.max_steps,
            },
        )
        record = self._invoke(call_id, name, capability, args, by)
        self.calls.append(record)
        self.transcript.add("tool_call", record.to_json())
        self.emit(EventKind.TOOL_RESULT, record.summary_json())
        if not record.ok and not (
            record.status is CallStatus.HELD and capability == "agent.propose"
        ):
            self.unchecked(label, f"{record.status}: {record.message}")
        return record

    def _invoke(
        self, call_id: str, name: str, capability: str, args: dict[str, Any], by: Actor
    ) -> CallRecord:
        def record(status: CallStatus, **kw: Any) -> CallRecord:
            return CallRecord(
                call=call_id,
                tool=name,
                capability=capability,
                arguments=args,
                by=by,
                status=status,
                **kw,
            )

        try:
            # The transcript cites the outcome entry, so wait for its index.
            done = self.door.invoke(capability, args, self.principal, defer_outcome=False)
        except HeldError as err:
            return record(
                CallStatus.HELD,
                decision_index=err.details.get("ledger_index"),
                code=err.code,
                message=err.message,
                approval_id=err.details.get("approval_id"),
            )
        except ThrottledError as err:
            return record(
                CallStatus.THROTTLED,
                decision_index=err.details.get("ledger_index"),
                code=err.code,
                message=err.message,
            )
        except DeniedError as err:
            return record(
                CallStatus.REFUSED,
                decision_index=err.details.get("ledger_index"),
                code=err.code,
                message=err.message,
            )
        except NotFoundError as err:
            return record(CallStatus.NOT_FOUND, code=err.code, message=err.message)
        except InputError as err:
            return record(CallStatus.INVALID, code=err.code, message=err.message)
        except Cancelled:
            raise
        except ShieldwallError as err:
            return record(CallStatus.FAILED, code=err.code, message=err.message)
        return record(
            CallStatus.OK,
            decision_index=done.decision_index,
            outcome_index=done.outcome_index,
            result=done.result,
        )

    def require_incident(self, record: CallRecord) -> None:
        """An incident that cannot be loaded, when there is nothing else to investigate, is the
        caller's error (exit 2, HTTP 4xx), not an empty report."""
        case = self.case
        if case.question or case.evidence or case.log_paths:
            return
        if record.status is CallStatus.NOT_FOUND:
            raise NotFoundError(
                f"there is no incident {case.incident_id!r}: {record.message}",
                code="agent.no_incident",
                hint="`shieldwall detect incidents list` shows the incidents.",
            )
        if record.status is CallStatus.INVALID:
            raise InputError(
                f"{case.incident_id!r} is not an incident id: {record.message}",
                code="agent.bad_incident",
                hint="`shieldwall detect incidents list` shows the incidents.",
            )

    def refuse(
        self, *, tool: str, arguments: Mapping[str, Any], by: Actor, reason: str, code: str
    ) -> CallRecord:
        """The guard's refusal of a call, recorded; nothing reaches the door."""
        record = CallRecord(
            call=self._next_id(),
            tool=tool,
            capability=(t.capability if (t := self.toolbox.by_name(tool)) else ""),
            arguments=dict(arguments),
            by=by,
            status=CallStatus.GUARDED,
            code=code,
            message=reason,
        )
        self.calls.append(record)
        self.guard.append({"call": record.call, "tool": tool, "code": code, "reason": reason})
        self.transcript.add("guard", record.to_json())
        self.emit(EventKind.GUARD, record.summary_json())
        return record

    def propose(
        self, *, capability: str, request: Mapping[str, Any], rationale: str, by: Actor
    ) -> CallRecord:
        """Submit an action that changes something to the approval queue: ``agent.propose``,
        which policy holds; it runs only when a person approves, through the door again."""
        args = {"capability": capability, "request": dict(request), "rationale": rationale}
        if capability not in self.toolbox.proposable:
            return self.refuse(
                tool="propose_action",
                arguments=args,
                by=by,
                reason=f"{capability!r} is not a capability the agent may propose",
                code="agent.not_proposable",
            )
        cap = self.catalog.get(capability)
        if cap is not None:
            try:
                cap.input_model.model_validate(dict(request))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "(request)"
                return self.refuse(
                    tool="propose_action",
                    arguments=args,
                    by=by,
                    reason=f"the proposed request does not fit {capability}: {where}: "
                    f"{first['msg']}",
                    code="agent.bad_proposal",
                )
        record = self.call(
            "agent.propose",
            {**args, "investigation": self.id},
            by=by,
            what=f"proposal: {capability}",
        )
        self.emit(
            EventKind.PROPOSAL,
            {
                "call": record.call,
                "capability": capability,
                "status": str(record.status),
                "approval_id": record.approval_id,
                "rationale": rationale[:300],
            },
        )
        return record

    # -- the report -------------------------------------------------------------------------------

    def _injection_finding(self) -> Finding | None:
        if not self.signals:
            return None
        links: list[EvidenceLink] = []
        for signal in self.signals:
            call = signal.get("call")
            record = self.call_by_id(call) if isinstance(call, str) else None
            if record is not None and all(link.call != record.call for link in links):
                links.append(self.link(record, sources_in(record.result, limit=5)))
        where = sorted({str(s["where"]) for s in self.signals})
        return Finding(
            title="The evidence contains text addressed to an AI (possible prompt injection)",
            severity=Severity.MEDIUM,
            confidence=Confidence.MEDIUM,
            detail=(
                f"{len(self.signals)} passage(s) in {', '.join(where[:5])} read as instructions "
                f"to an AI (e.g. {self.signals[0]['excerpt']!r}). They were handled as data; no "
                "tool call was made because of them. Someone may be trying to steer automated "
                "analysis."
            ),
            evidence=tuple(links),
        )

    def report(self, conclusion: Conclusion, *, provider: str, model: str) -> dict[str, Any]:
        findings = list(conclusion.findings)
        injection = self._injection_finding()
        if injection is not None:
            findings.append(injection)
        summary = conclusion.summary
        if injection is not None:
            summary += (
                " The evidence contains text addressed to an AI; it was handled as data and no "
                "tool call followed it."
            )
        complete = Conclusion(
            summary=summary,
            findings=tuple(findings),
            not_checked=conclusion.not_checked,
            actions=conclusion.actions,
            confidence=conclusion.confidence,
            concluded_by=conclusion.concluded_by,
        )
        not_checked = list(self.not_checked)
        not_checked.extend(n for n in conclusion.not_checked if n not in not_checked)
        proposals = [
            {
                "call": c.call,
                "capability": c.arguments.get("capability"),
                "status": str(c.status),
                "approval_id": c.approval_id,
                "decision_index": c.decision_index,
                "rationale": c.arguments.get("rationale"),
            }
            for c in self.calls
            if c.capability == "agent.propose" and c.status is not CallStatus.GUARDED
        ]
        actions: list[Action] = list(conclusion.actions)
        actions.extend(
            Action(
                action=f"Approve or reject the proposed {p['capability']} "
                f"(`shieldwall gateway approvals approve {p['approval_id']}`)",
                why=str(p["rationale"] or ""),
                approval_id=str(p["approval_id"]),
            )
            for p in proposals
            if p["approval_id"]
        )
        return {
            "investigation": self.id,
            "principal": {
                "id": self.principal.id,
                "kind": str(self.principal.kind),
                "tier": int(self.principal.tier),
            },
            "provider": provider,
            "model": model,
            "concluded_by": complete.concluded_by,
            "subject": self.case.describe(),
            "summary": complete.summary,
            "confidence": str(complete.confidence),
            "findings": complete.findings_json(),
            "not_checked": [n.to_json() for n in not_checked],
            "recommended_actions": [a.to_json() for a in actions],
            "proposals": proposals,
            "tool_calls": [c.to_json() for c in self.calls],
            "guard": list(self.guard),
            "injection_signals": list(self.signals),
            "budget": {
                "max_steps": self.budget.max_steps,
                "steps": self.steps,
                "max_tokens": self.budget.max_tokens,
                "tokens": self.tokens,
                "turns": self.turns,
                "stopped": self.stopped,
            },
        }
