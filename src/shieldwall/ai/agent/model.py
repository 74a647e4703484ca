"""The model-driven investigation: plan, then call tools, observe, conclude.

1. **Plan** (before any data): the model gets the investigator's request and the tool list, and
   names the tools it will use (a JSON plan, or tool calls, which then run at once: they were
   chosen before any untrusted text was read).
2. **Case data**: the agent itself loads the incident, the log files and the evidence texts and
   hands them over as *tool results*, fenced as data (:mod:`~shieldwall.ai.agent.fence`).
3. **Loop**: each model turn is a door call (``agent.turn``: the principal's quota and the kill
   switch bind every turn, and the ledger records the digest of the exact prompt and answer).
   The guard checks each requested tool call: it must be an offered tool, in the plan, with JSON
   arguments; a proposal must name a proposable capability. Refusals are recorded (transcript
   and report) and answered to the model; nothing refused reaches the door.
4. **Conclude**: the model's last answer is a JSON report; each cited call is checked against
   the calls that happened. Without a usable report (budget spent, model failed, text only) the
   agent concludes deterministically from the same observations, and says so.

The step budget counts tool calls; the token budget counts the tokens the provider reports (or
estimates), and each turn's completion is capped by ``max_tokens`` sent to the server.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, Protocol

from shieldwall.ai.agent.engine import Actor, CallRecord, CallStatus, Investigation
from shieldwall.ai.agent.facts import TECHNIQUE_ID, conclude, gather_facts
from shieldwall.ai.agent.indicators import strings_in
from shieldwall.ai.agent.observe import is_source, source_json, sources_in, view
from shieldwall.ai.agent.progress import EventKind
from shieldwall.ai.agent.report import (
    Action,
    Conclusion,
    Confidence,
    EvidenceLink,
    Finding,
    NotChecked,
    overall_confidence,
    parse_confidence,
    parse_severity,
)
from shieldwall.ai.agent.tools import PROPOSE_TOOL, bind_arguments
from shieldwall.ai.provider import ChatMessage, Completion, Role, ToolCall, ToolSpec
from shieldwall.core.errors import DeniedError, ProviderError, ShieldwallError

CASE_TOOL: Final = "case_evidence"
MAX_REPEAT: Final = 1

SYSTEM_PROMPT: Final = """\
You are Shieldwall's investigation agent, working for a defender on a security case.
You act on the investigator's behalf: every tool is a Shieldwall capability that runs with the
investigator's rights, through an access gateway that may refuse it; every call is recorded in a
transparency ledger. You cannot change anything yourself: an action that would change something
(share intel, block, disable) can only be proposed with `propose_action`, for a person to approve.

How to work:
1. First, before seeing any case data, reply with your plan as a JSON object:
   {"plan": [{"tool": "<tool name>", "why": "<what it will tell you>"}]}
   You will then be able to call only the tools named in your plan.
2. The case data then arrives as tool results. Check what matters: links, addresses, hashes,
   techniques, accounts. Call a tool only when its answer would change your conclusion.
3. Finish with a reply that calls no tool and holds only this JSON object:
   {"summary": "...", "confidence": "low|medium|high",
    "findings": [{"title": "...", "severity": "informational|low|medium|high|critical",
                  "confidence": "low|medium|high", "detail": "...", "techniques": ["T1003.001"],
                  "evidence": ["c1", {"call": "c2", "sources": [{"file": "...", "record": 7}]}]}],
    "not_checked": [{"what": "...", "why": "..."}],
    "recommended_actions": [{"action": "...", "why": "..."}]}
   Cite as evidence only call ids (c1, c2, ...) of calls that returned results, and only event
   sources that appear in those results. Say what you could not check.

"""

PLAN_REQUEST: Final = """\
Investigator's request:
{request}

Tools you may plan to use: {tools}.
Budget: at most {steps} tool calls. Reply now with your plan (JSON), before the case data."""


class ModelPort(Protocol):
    """One model turn, through the door (``agent.turn``). Raises DeniedError when the gateway
    refuses the turn (quota, kill switch) and ProviderError when the model fails."""

    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    def complete(
        self,
        inv: Investigation,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        max_tokens: int,
    ) -> Completion: ...


def _json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in a model's answer: the whole text, a fenced block, or the outermost
    braces."""
    candidates = [text.strip()]
    candidates.extend(m.group(1) for m in re.finditer(r"```(?:json)?\s*(.*?)```", text, re.S))
    start, end = text.find("{"), text.rfind("}")
    if 0 <= start < end:
        candidates.append(text[start : end + 1])
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, dict):
            return value
    return None


def parse_plan(text: str, offered: Sequence[str]) -> list[str]:
    """Tool names of a plan, in order, keeping only offered tools."""
    data = _json_object(text)
    steps = data.get("plan") if data else None
    names: list[str] = []
    if isinstance(steps, list):
        for step in steps:
            name = step.get("tool") if isinstance(step, Mapping) else step
            if isinstance(name, str) and name in offered and name not in names:
                names.append(name)
    return names


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _evidence(inv: Investigation, raw: Any) -> tuple[list[EvidenceLink], list[str]]:
    """The citations that hold, and what was dropped."""
    links: list[EvidenceLink] = []
    dropped: list[str] = []
    items = raw if isinstance(raw, list) else []
    for item in items[:20]:
        call_id = (
            item
            if isinstance(item, str)
            else item.get("call")
            if isinstance(item, Mapping)
            else None
        )
        record = inv.call_by_id(call_id) if isinstance(call_id, str) else None
        if record is None or not record.ok:
            dropped.append(str(call_id))
            continue
        wanted = item.get("sources") if isinstance(item, Mapping) else None
        sources: list[dict[str, Any]] = []
        if isinstance(wanted, list):
            present = {
                json.dumps(s, sort_keys=True) for s in sources_in(record.result, limit=100_000)
            }
            for src in wanted[:20]:
                if is_source(src):
                    clean = source_json(src)
                    if json.dumps(clean, sort_keys=True) in present:
                        sources.append(clean)
                    else:
                        dropped.append(f"{call_id} source {clean['file']}:{clean['record']}")
        links.append(inv.link(record, sources))
    return links, dropped


def parse_report(text: str, inv: Investigation) -> Conclusion | None:
    """A model's final report, checked: citations of calls that did not happen or did not
    succeed, and of event sources not in their results, are dropped (and said so)."""
    data = _json_object(text)
    if data is None or not isinstance(data.get("summary"), str):
        return None
    findings: list[Finding] = []
    for raw in data.get("findings", [])[:50] if isinstance(data.get("findings"), list) else []:
        if not isinstance(raw, Mapping) or not _text(raw.get("title"), 300):
            continue
        links, dropped = _evidence(inv, raw.get("evidence"))
        confidence = parse_confidence(raw.get("confidence"), Confidence.LOW)
        notes = []
        if dropped:
            notes.append(
                f"dropped citations of evidence that does not exist: {', '.join(dropped[:5])}"
            )
        if not links:
            confidence = Confidence.LOW
            notes.append("the model cited no evidence that exists")
        techniques = tuple(
            t.upper()
            for t in raw.get("techniques", []) or []
            if isinstance(t, str) and TECHNIQUE_ID.match(t.upper())
        )
        findings.append(
            Finding(
                title=_text(raw.get("title"), 300),
                severity=parse_severity(raw.get("severity")),
                confidence=confidence,
                detail=_text(raw.get("detail"), 4000),
                techniques=techniques,
                evidence=tuple(links),
                note="; ".join(notes),
            )
        )
    not_checked = tuple(
        NotChecked(what=_text(n.get("what"), 300), why=_text(n.get("why"), 500))
        for n in (data.get("not_checked") or [])[:30]
        if isinstance(n, Mapping) and _text(n.get("what"), 300)
    )
    actions = tuple(
        Action(action=_text(a.get("action"), 500), why=_text(a.get("why"), 500))
        if isinstance(a, Mapping)
        else Action(action=_text(a, 500))
        for a in (data.get("recommended_actions") or [])[:30]
        if (isinstance(a, Mapping) and _text(a.get("action"), 500))
        or (isinstance(a, str) and a.strip())
    )
    stated = parse_confidence(data.get("confidence"), Confidence.LOW)
    strongest = overall_confidence(findings)
    order = list(Confidence)
    return Conclusion(
        summary=_text(data["summary"], 4000),
        findings=tuple(findings),
        not_checked=not_checked,
        actions=actions,
        confidence=min(stated, strongest, key=order.index) if findings else stated,
        concluded_by="model",
    )


class ModelDriver:
    def __init__(self, port: ModelPort) -> None:
        self._port = port
        self._cache: dict[tuple[str, str], CallRecord] = {}

    @property
    def provider(self) -> str:
        return self._port.provider

    @property
    def model(self) -> str:
        return self._port.model

    # -- turns -----------------------------------------------------------------------------------

    def _turn(
        self, inv: Investigation, messages: list[ChatMessage], tools: Sequence[ToolSpec]
    ) -> Completion | None:
        """One turn within the token budget; None when the budget or the gateway says stop."""
        inv.check_cancelled()
        prompt_estimate = sum(len(m.content) for m in messages) // 3 + 200
        room = inv.budget.max_tokens - inv.tokens - prompt_estimate
        cap = min(inv.budget.turn_tokens, room)
        if cap < 64:
            inv.stopped = "token budget"
            inv.unchecked(
                "further model turns", f"the token budget ({inv.budget.max_tokens:,}) was spent"
            )
            return None
        try:
            return self._port.complete(inv, messages, tools, cap)
        except DeniedError as err:
            inv.stopped = "gateway"
            inv.unchecked("further model turns", f"the gateway refused a model turn: {err.message}")
            return None
        except ProviderError as err:
            if inv.turns == 0:
                raise
            inv.stopped = "model error"
            inv.unchecked("further model turns", f"the model failed ({err.code}): {err.message}")
            return None

    # -- the loop ----------------------------------------------------------------------------------

    def run(self, inv: Investigation) -> Conclusion:
        offered = [t.name for t in inv.toolbox.all()]
        specs = inv.toolbox.specs()
        request = self._request_text(inv)
        messages: list[ChatMessage] = [
            ChatMessage(role=Role.SYSTEM, content=SYSTEM_PROMPT + inv.fence.hierarchy()),
            ChatMessage(
                role=Role.USER,
                content=PLAN_REQUEST.format(
                    request=request,
                    tools=", ".join(offered) or "(none)",
                    steps=inv.budget.max_steps,
                ),
            ),
        ]
        first = self._turn(inv, messages, specs)
        if first is None:
            return self._fallback(inv, "the model gave no plan")
        plan = parse_plan(first.text, offered)
        plan.extend(c.name for c in first.tool_calls if c.name in offered and c.name not in plan)
        if not plan:
            plan = list(offered)
            inv.note("the model gave no usable plan; the allow-list bounds its calls")
        inv.transcript.add("plan", {"by": "model", "tools": plan})
        inv.emit(EventKind.PLAN, {"by": "model", "tools": plan})
        messages.append(first.as_message())
        messages.extend(
            call.result_message(self._handle(inv, call, plan, offered)) for call in first.tool_calls
        )
        messages.append(
            ChatMessage(
                role=Role.USER,
                content=(
                    f"Plan recorded: {', '.join(plan) or '(no tools)'}. The case data follows as "
                    "tool results, fenced as data. Investigate, then answer with the report JSON."
                ),
            )
        )
        messages.extend(self._case(inv))
        planned_specs = [s for s in specs if s.name in plan]
        max_turns = inv.budget.max_steps + 3
        final: str | None = None
        while inv.turns < max_turns:
            out_of_steps = inv.steps_left == 0
            if out_of_steps:
                messages.append(
                    ChatMessage(
                        role=Role.USER,
                        content="The step budget is spent: no more tool calls. Answer now with "
                        "the report JSON.",
                    )
                )
            completion = self._turn(inv, messages, [] if out_of_steps else planned_specs)
            if completion is None:
                break
            messages.append(completion.as_message())
            if not completion.tool_calls:
                final = completion.text
                break
            if out_of_steps:
                final = completion.text
                for call in completion.tool_calls:
                    inv.refuse(
                        tool=call.name,
                        arguments={"raw": call.arguments[:500]},
                        by=Actor.MODEL,
                        reason="the step budget was spent",
                        code="agent.budget",
                    )
                break
            messages.extend(
                call.result_message(self._handle(inv, call, plan, offered))
                for call in completion.tool_calls
            )
        else:
            inv.stopped = "turn limit"
            inv.unchecked("further model turns", f"the turn limit ({max_turns}) was reached")
        if final is not None:
            conclusion = parse_report(final, inv)
            if conclusion is not None:
                return conclusion
            inv.note("the model's last answer was not a report in the asked JSON form")
        return self._fallback(inv, "the model gave no usable report")

    def _fallback(self, inv: Investigation, why: str) -> Conclusion:
        inv.note(f"{why}; the agent concludes deterministically from what was gathered")
        facts = gather_facts(inv)
        return conclude(inv, facts, concluded_by="fallback")

    @staticmethod
    def _request_text(inv: Investigation) -> str:
        case = inv.case
        parts = []
        if case.incident_id:
            parts.append(f"- Investigate incident {case.incident_id}.")
        if case.question:
            parts.append(f"- Question: {case.question}")
        if case.evidence:
            parts.append(
                "- Evidence handed in (its content follows as data after your plan): "
                + ", ".join(e.name for e in case.evidence)
            )
        if case.log_paths:
            parts.append(f"- Log files (read for you after your plan): {', '.join(case.log_paths)}")
        if case.share_to:
            parts.append(
                f"- Indicators found malicious may be proposed for sharing to {case.share_to}."
            )
        return "\n".join(parts) or "- Investigate the evidence."

    # -- case data ---------------------------------------------------------------------------------

    def _case(self, inv: Investigation) -> list[ChatMessage]:
        """The agent's own calls that load the case, as an assistant turn and its results."""
        calls: list[ToolCall] = []
        results: list[str] = []
        case = inv.case
        if case.incident_id:
            tool = inv.toolbox.for_capability("detect.incidents.get")
            args = (
                bind_arguments(tool.parameters, {"incident_id": case.incident_id}) if tool else None
            )
            if tool is None or args is None:
                inv.unchecked(
                    f"incident {case.incident_id}",
                    "detect.incidents.get is not available to the agent on this server",
                )
            else:
                record = inv.call(tool.capability, args, by=Actor.AGENT)
                inv.require_incident(record)
                calls.append(
                    ToolCall(
                        id=f"case_{len(calls) + 1}", name=tool.name, arguments=json.dumps(args)
                    )
                )
                results.append(self._observation(inv, record))
        read = inv.read_logs(by=Actor.AGENT)
        if read is not None:
            record, name, args = read
            calls.append(
                ToolCall(id=f"case_{len(calls) + 1}", name=name, arguments=json.dumps(args))
            )
            results.append(self._observation(inv, record))
        for ev in case.evidence:
            inv.scan_for_injection(f"evidence {ev.name}", [ev.text], None)
            calls.append(
                ToolCall(
                    id=f"case_{len(calls) + 1}",
                    name=CASE_TOOL,
                    arguments=json.dumps({"name": ev.name}),
                )
            )
            limit = inv.budget.observation_chars * 2
            text = ev.text if len(ev.text) <= limit else ev.text[:limit]
            content: dict[str, Any] = {"name": ev.name, "text": text}
            if len(ev.text) > limit:
                content["cut"] = f"{len(ev.text):,} characters; the first {limit:,} are shown"
            results.append(inv.fence.wrap(label=f"evidence {ev.name}", content=content))
        if not calls:
            return []
        out = [ChatMessage(role=Role.ASSISTANT, content="", tool_calls=tuple(calls))]
        out.extend(call.result_message(result) for call, result in zip(calls, results, strict=True))
        return out

    def _observation(self, inv: Investigation, record: CallRecord) -> str:
        """What the model is told about a call: the fenced view of a result, or the agent's own
        words for anything else (those are not data)."""
        if record.status is CallStatus.OK:
            texts = _strings(record.result)
            inv.scan_for_injection(f"{record.call} {record.capability}", texts, record.call)
            return inv.fence.wrap(
                label=f"{record.call} {record.capability}",
                content={
                    "call": record.call,
                    "result": view(record.result, max_chars=inv.budget.observation_chars),
                },
            )
        if record.status is CallStatus.HELD and record.approval_id:
            return (
                f"call {record.call}: held for approval as {record.approval_id}. It has NOT run; "
                "a person decides."
            )
        return f"call {record.call}: not run ({record.status}, {record.code}): {record.message}"

    # -- the guard -------------------------------------------------------------------------------

    def _handle(
        self, inv: Investigation, call: ToolCall, plan: Sequence[str], offered: Sequence[str]
    ) -> str:
        try:
            args = call.parsed_arguments()
        except ShieldwallError as err:
            record = inv.refuse(
                tool=call.name,
                arguments={"raw": call.arguments[:500]},
                by=Actor.MODEL,
                reason=err.message,
                code=err.code,
            )
            return f"refused by the agent's guard ({record.code}): {record.message}"
        if call.name not in offered:
            record = inv.refuse(
                tool=call.name,
                arguments=args,
                by=Actor.MODEL,
                reason=f"{call.name!r} is not a tool of this investigation (the allow-list)",
                code="agent.not_allowed",
            )
            return f"refused by the agent's guard ({record.code}): {record.message}"
        if call.name not in plan:
            record = inv.refuse(
                tool=call.name,
                arguments=args,
                by=Actor.MODEL,
                reason=f"{call.name!r} is not in the plan made before the case data was read",
                code="agent.not_planned",
            )
            return f"refused by the agent's guard ({record.code}): {record.message}"
        if call.name == PROPOSE_TOOL:
            capability = args.get("capability")
            request = args.get("request")
            rationale = args.get("rationale")
            if (
                not isinstance(capability, str)
                or not isinstance(request, dict)
                or not isinstance(rationale, str)
            ):
                record = inv.refuse(
                    tool=call.name,
                    arguments=args,
                    by=Actor.MODEL,
                    reason="a proposal needs capability, request (object) and rationale",
                    code="agent.bad_proposal",
                )
                return f"refused by the agent's guard ({record.code}): {record.message}"
            record = inv.propose(
                capability=capability, request=request, rationale=rationale[:2000], by=Actor.MODEL
            )
            if record.status is CallStatus.GUARDED:
                return f"refused by the agent's guard ({record.code}): {record.message}"
            return self._observation(inv, record)
        tool = inv.toolbox.by_name(call.name)
        if tool is None:  # pragma: no cover - offered names come from the toolbox
            return "unknown tool"
        key = (tool.capability, json.dumps(args, sort_keys=True, default=str))
        earlier = self._cache.get(key)
        if earlier is not None:
            return f"call {earlier.call} already answered this exact request; see its result above."
        record = inv.call(tool.capability, args, by=Actor.MODEL)
        if record.status is CallStatus.OK:
            self._cache[key] = record
        return self._observation(inv, record)


def _strings(value: Any) -> list[str]:
    return list(strings_in(value, max_items=200_000))
