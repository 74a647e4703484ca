"""The agent's capabilities, registered like every other (``runtime.py``):

``agent.investigate``  run an investigation for the calling principal (tier 1; the question is
                       screened for misuse like any free text). Its outcome in the ledger is the
                       digest of the report, which carries the transcript's SHA-256; the
                       transcript is also recorded as an ``agent.transcript`` ledger record.
``agent.turn``         one model turn of a running investigation. The agent calls it for itself,
                       so that the principal's quota and the kill switch bind every model call
                       and the ledger holds the digest of each prompt and answer; it serves only
                       a live investigation of the same principal (a per-investigation secret).
``agent.propose``      an action the agent proposes (share intel, block, disable). Policy holds
                       it for an approver; once approved it runs the proposed capability through
                       the door as the principal who asked. Reached any other way (a policy that
                       allows it outright) it refuses: the agent never changes anything itself.

The agent sees other capabilities only through the :class:`~shieldwall.core.ports.Door` and a
registry listing (:class:`~shieldwall.ai.agent.tools.CapabilityCatalog`); it imports no
capability package.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from shieldwall.ai.accounting import estimate_tokens
from shieldwall.ai.agent.engine import (
    DEFAULT_MAX_STEPS,
    DEFAULT_MAX_TOKENS,
    MAX_STEPS,
    MAX_TOKENS,
    Budget,
    Case,
    EvidenceText,
    Investigation,
)
from shieldwall.ai.agent.model import ModelDriver
from shieldwall.ai.agent.planner import PLANNER_MODEL, LocalPlanner
from shieldwall.ai.agent.progress import EventKind, progress_sink
from shieldwall.ai.agent.tools import CapabilityCatalog, ToolPolicy, build_toolbox
from shieldwall.ai.agent.transcript import digest
from shieldwall.ai.factory import provider_from_settings
from shieldwall.ai.provider import ChatMessage, Completion, ModelProvider, ToolSpec
from shieldwall.core.clock import Clock, IdFactory, RandomIds, SystemClock
from shieldwall.core.errors import DeniedError, InternalError, ShieldwallError
from shieldwall.core.ports import Door, TokenBudget
from shieldwall.core.settings import Settings
from shieldwall.core.types import (
    Capability,
    CapabilityId,
    InvocationContext,
    Principal,
    Tier,
)

MAX_EVIDENCE_CHARS: Final = 2_000_000
MAX_EVIDENCE_TOTAL: Final = 5_000_000
MAX_EVENTS: Final = 100_000

ProviderName = Literal["local", "openai", "compatible"]
ProviderFor = Callable[[str | None], ModelProvider]


class EvidenceItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=255, description="A file name or a label.")
    text: str = Field(max_length=MAX_EVIDENCE_CHARS)


class InvestigateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    incident_id: str | None = Field(default=None, min_length=1, max_length=200)
    question: str | None = Field(default=None, min_length=1, max_length=4000)
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=20)
    log_paths: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Log files on this machine, read with detect.events (local owner only).",
    )
    provider: ProviderName | None = Field(
        default=None, description="local (default: a deterministic playbook), openai, compatible"
    )
    max_steps: int = Field(default=DEFAULT_MAX_STEPS, ge=1, le=MAX_STEPS)
    max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, ge=1000, le=MAX_TOKENS)
    share_to: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="An intel collection to propose sharing malicious indicators with.",
    )
    tools: list[str] | None = Field(
        default=None,
        max_length=50,
        description="Capability globs that narrow the agent's allow-list (never widen it).",
    )
    event_limit: int = Field(default=MAX_EVENTS, ge=1, le=MAX_EVENTS)
    include_transcript: bool = False

    @model_validator(mode="after")
    def _something_to_investigate(self) -> InvestigateRequest:
        if not (self.incident_id or self.question or self.evidence or self.log_paths):
            raise ValueError("give an incident id, a question, evidence or log paths")
        if sum(len(e.text) for e in self.evidence) > MAX_EVIDENCE_TOTAL:
            raise ValueError(f"the evidence is over {MAX_EVIDENCE_TOTAL:,} characters in all")
        return self


class TurnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    investigation: str = Field(min_length=1, max_length=64)
    turn: int = Field(ge=1, le=1000)
    key: SecretStr = Field(min_length=16, max_length=128)
    prompt_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    max_tokens: int = Field(ge=1, le=MAX_TOKENS)


class ProposeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    capability: str = Field(min_length=1, max_length=100)
    request: dict[str, Any]
    rationale: str = Field(min_length=1, max_length=4000)
    investigation: str | None = Field(default=None, max_length=64)


def message_json(m: ChatMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"role": str(m.role), "content": m.content}
    if m.name:
        out["name"] = m.name
    if m.tool_call_id:
        out["tool_call_id"] = m.tool_call_id
    if m.tool_calls:
        out["tool_calls"] = [
            {"id": c.id, "name": c.name, "arguments": c.arguments} for c in m.tool_calls
        ]
    return out


def completion_json(c: Completion) -> dict[str, Any]:
    return {
        "text": c.text,
        "tool_calls": [
            {"id": t.id, "name": t.name, "arguments": t.arguments} for t in c.tool_calls
        ],
        "finish_reason": c.finish_reason,
        "model": c.model,
        "provider": c.provider,
        "usage": {
            "prompt_tokens": c.usage.prompt_tokens,
            "completion_tokens": c.usage.completion_tokens,
            "total_tokens": c.usage.total_tokens,
            "estimated": c.usage.estimated,
        },
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class _Prompt:
    messages: tuple[ChatMessage, ...]
    tools: tuple[ToolSpec, ...]
    max_tokens: int
    sha256: str


@dataclass(slots=True, kw_only=True)
class _LiveSession:
    principal: Principal
    key: str
    provider: ModelProvider
    pending: _Prompt | None = None
    completion: Completion | None = None


class _DoorModel:
    """A :class:`~shieldwall.ai.agent.model.ModelPort` whose every turn is ``agent.turn``."""

    def __init__(self, *, door: Door, session: _LiveSession, model: str) -> None:
        self._door = door
        self._session = session
        self._model = model
        self._sent = 0

    @property
    def provider(self) -> str:
        return self._session.provider.name

    @property
    def model(self) -> str:
        return self._model

    def complete(
        self,
        inv: Investigation,
        messages: Sequence[ChatMessage],
        tools: Sequence[ToolSpec],
        max_tokens: int,
    ) -> Completion:
        wire = [message_json(m) for m in messages]
        names = [t.name for t in tools]
        sha = digest({"messages": wire, "tools": names, "max_tokens": max_tokens})
        session = self._session
        session.pending = _Prompt(
            messages=tuple(messages), tools=tuple(tools), max_tokens=max_tokens, sha256=sha
        )
        session.completion = None
        turn = inv.turns + 1
        entry: dict[str, Any] = {
            "turn": turn,
            "messages": wire[self._sent :],
            "tools": names,
            "max_tokens": max_tokens,
            "prompt_sha256": sha,
        }
        self._sent = len(wire)
        try:
            done = self._door.invoke(
                "agent.turn",
                {
                    "investigation": inv.id,
                    "turn": turn,
                    "key": session.key,
                    "prompt_sha256": sha,
                    "max_tokens": max_tokens,
                },
                inv.principal,
            )
        except ShieldwallError as err:
            inv.transcript.add(
                "model_turn",
                {
                    **entry,
                    "status": "refused" if isinstance(err, DeniedError) else "failed",
                    "code": err.code,
                    "message": err.message,
                    "decision_index": err.details.get("ledger_index"),
                },
            )
            inv.emit(EventKind.MODEL_TURN, {"turn": turn, "status": "failed", "code": err.code})
            raise
        finally:
            session.pending = None
        completion = session.completion
        if completion is None:
            raise InternalError("agent.turn answered without a completion", code="agent.no_turn")
        inv.turns = turn
        inv.tokens += completion.usage.total_tokens
        inv.transcript.add(
            "model_turn",
            {
                **entry,
                "status": "ok",
                "response": completion_json(completion),
                "decision_index": done.decision_index,
                "outcome_index": done.outcome_index,
            },
        )
        inv.emit(
            EventKind.MODEL_TURN,
            {
                "turn": turn,
                "status": "ok",
                "tokens": completion.usage.total_tokens,
                "total_tokens": inv.tokens,
                "tool_calls": [c.name for c in completion.tool_calls],
                "finish_reason": completion.finish_reason,
                "decision_index": done.decision_index,
            },
        )
        return completion


class AgentService:
    """The handlers of the agent's capabilities, with the investigations that are running."""

    def __init__(
        self,
        *,
        door: Door,
        catalog: CapabilityCatalog,
        provider_for: ProviderFor,
        clock: Clock | None = None,
        ids: IdFactory | None = None,
        transcripts_dir: Path | None = None,
        tool_policy: ToolPolicy | None = None,
        budget: TokenBudget | None = None,
    ) -> None:
        self._budget = budget
        self._door = door
        self._catalog = catalog
        self._provider_for = provider_for
        self._clock = clock or SystemClock()
        self._ids = ids or RandomIds()
        self._transcripts = transcripts_dir
        self._policy = tool_policy or ToolPolicy()
        self._live: dict[str, _LiveSession] = {}
        self._lock = threading.Lock()

    # -- agent.investigate ---------------------------------------------------------------------

    def investigate(self, req: InvestigateRequest, ctx: InvocationContext) -> dict[str, Any]:
        provider = self._provider_for(req.provider)
        case = Case(
            incident_id=req.incident_id,
            question=req.question,
            evidence=tuple(EvidenceText(name=e.name, text=e.text) for e in req.evidence),
            log_paths=tuple(req.log_paths),
            share_to=req.share_to,
            event_limit=req.event_limit,
        )
        toolbox = build_toolbox(self._catalog, self._policy.narrowed(req.tools))
        inv = Investigation(
            id=self._ids.new_id("inv"),
            door=self._door,
            principal=ctx.principal,
            catalog=self._catalog,
            toolbox=toolbox,
            case=case,
            budget=Budget(max_steps=req.max_steps, max_tokens=req.max_tokens),
            clock=self._clock,
            sink=progress_sink.get(),
        )
        local = provider.name == "local"
        model = PLANNER_MODEL if local else str(getattr(provider, "model", "") or provider.name)
        inv.transcript.add(
            "case",
            {
                "case": case.describe(),
                "evidence": [
                    {"name": e.name, "chars": len(e.text), "sha256": digest(e.text)}
                    for e in case.evidence
                ],
                "tools": [t.to_neutral() for t in toolbox.all()],
                "budget": {"max_steps": req.max_steps, "max_tokens": req.max_tokens},
                "provider": provider.name,
                "model": model,
                "decision_index": ctx.decision_index,
            },
        )
        inv.emit(
            EventKind.STARTED,
            {
                "provider": provider.name,
                "model": model,
                "principal": ctx.principal.id,
                "tools": [t.capability for t in toolbox.tools],
                "proposable": list(toolbox.proposable),
                "max_steps": req.max_steps,
                "max_tokens": req.max_tokens,
                "decision_index": ctx.decision_index,
            },
        )
        if local:
            conclusion = LocalPlanner().run(inv)
        else:
            session = _LiveSession(
                principal=ctx.principal, key=secrets.token_urlsafe(32), provider=provider
            )
            with self._lock:
                self._live[inv.id] = session
            try:
                conclusion = ModelDriver(
                    _DoorModel(door=self._door, session=session, model=model)
                ).run(inv)
            finally:
                with self._lock:
                    self._live.pop(inv.id, None)
        report = inv.report(conclusion, provider=provider.name, model=model)
        inv.transcript.add("report", report)
        sha = inv.transcript.sha256()
        stored = self._store(inv)
        record_index, record_error = self._record(inv, sha, provider.name, model)
        result: dict[str, Any] = {
            **report,
            "transcript_sha256": sha,
            "transcript_record_index": record_index,
            "transcript_file": stored,
        }
        if record_error:
            result["transcript_record_error"] = record_error
        inv.emit(EventKind.REPORT, {"report": result})
        if req.include_transcript:
            result["transcript"] = inv.transcript.to_json()
        return result

    def _store(self, inv: Investigation) -> str | None:
        if self._transcripts is None:
            return None
        self._transcripts.mkdir(parents=True, exist_ok=True)
        name = f"{inv.id}.json"
        (self._transcripts / name).write_bytes(inv.transcript.canonical())
        return name

    def _record(
        self, inv: Investigation, sha: str, provider: str, model: str
    ) -> tuple[int | None, str | None]:
        body = {
            "type": "agent.transcript",
            "investigation": inv.id,
            "transcript_sha256": sha,
            "provider": provider,
            "model": model,
            "steps": inv.steps,
            "turns": inv.turns,
            "tokens": inv.tokens,
            "calls": [
                [c.call, c.capability, str(c.status), c.decision_index, c.outcome_index]
                for c in inv.calls[:500]
            ],
            "guard_refusals": len(inv.guard),
            "proposals": [c.approval_id for c in inv.calls if c.approval_id],
        }
        try:
            done = self._door.invoke("ledger.append", {"body": body}, inv.principal)
        except ShieldwallError as err:
            return None, err.code
        index = done.result.get("index") if isinstance(done.result, Mapping) else None
        return (index if isinstance(index, int) else None), None

    # -- agent.turn ----------------------------------------------------------------------------

    def turn(self, req: TurnRequest, ctx: InvocationContext) -> dict[str, Any]:
        with self._lock:
            session = self._live.get(req.investigation)
        if (
            session is None
            or not hmac.compare_digest(session.key, req.key.get_secret_value())
            or session.principal.id != ctx.principal.id
        ):
            raise DeniedError(
                "agent.turn serves only a running investigation, for the principal who started it",
                code="agent.no_session",
                hint="Start an investigation with `shieldwall investigate` or "
                "POST /api/v1/investigations.",
            )
        pending = session.pending
        if (
            pending is None
            or pending.sha256 != req.prompt_sha256
            or pending.max_tokens != req.max_tokens
        ):
            raise DeniedError(
                "this model turn does not match the investigation's pending prompt",
                code="agent.turn_mismatch",
            )
        # The gateway's token budget, not the model, bounds what a principal spends: reserve the
        # prompt (estimated) plus the longest answer allowed, then settle with the real usage.
        reserved = pending.max_tokens + estimate_tokens(m.content for m in pending.messages)
        if self._budget is not None:
            self._budget.reserve(ctx.principal, "agent.turn", reserved)
        used = reserved
        try:
            completion = session.provider.complete(
                pending.messages,
                max_tokens=pending.max_tokens,
                temperature=0.0,
                tools=list(pending.tools) or None,
            )
            used = completion.usage.total_tokens
        finally:
            if self._budget is not None:
                self._budget.settle(ctx.principal, "agent.turn", reserved=reserved, used=used)
        session.completion = completion
        return completion_json(completion)

    # -- agent.propose -------------------------------------------------------------------------

    def propose(self, req: ProposeRequest, ctx: InvocationContext) -> dict[str, Any]:
        if not any(r.code == "approval.approved" for r in ctx.decision.reasons):
            raise DeniedError(
                "an action the agent proposes runs only once a person approves it",
                code="agent.not_approved",
                hint="The policy must hold agent.propose (effect 'hold'); "
                "`shieldwall gateway approvals list` shows the proposals.",
            )
        cap = self._catalog.get(req.capability)
        if cap is None or not self._policy.may_propose(cap):
            raise DeniedError(
                f"{req.capability} is not a capability the agent may propose",
                code="agent.not_proposable",
            )
        done = self._door.invoke(req.capability, req.request, ctx.principal, defer_outcome=False)
        return {
            "capability": req.capability,
            "decision_index": done.decision_index,
            "outcome_index": done.outcome_index,
            "result": done.result,
        }


def _provider_factory(settings: Settings) -> ProviderFor:
    def provider_for(name: str | None) -> ModelProvider:
        chosen = settings if name is None else settings.model_copy(update={"ai_provider": name})
        return provider_from_settings(chosen)

    return provider_for


def agent_capabilities(
    *,
    door: Door,
    catalog: CapabilityCatalog,
    settings: Settings | None = None,
    provider_for: ProviderFor | None = None,
    clock: Clock | None = None,
    ids: IdFactory | None = None,
    transcripts_dir: Path | None = None,
    tool_policy: ToolPolicy | None = None,
    budget: TokenBudget | None = None,
) -> list[Capability[Any]]:
    """The agent's capabilities. ``catalog`` is the registry the door uses (read at the start
    of each investigation, so capabilities registered later are tools too). Transcripts are
    kept under ``transcripts_dir`` (default ``<home>/agent/transcripts`` with settings)."""
    conf = settings or Settings()
    if transcripts_dir is None and settings is not None:
        transcripts_dir = settings.home / "agent" / "transcripts"
    service = AgentService(
        door=door,
        catalog=catalog,
        provider_for=provider_for or _provider_factory(conf),
        clock=clock,
        ids=ids,
        transcripts_dir=transcripts_dir,
        tool_policy=tool_policy,
        budget=budget,
    )
    return [
        Capability(
            id=CapabilityId("agent.investigate"),
            description="Investigate an incident, a question or evidence: the agent calls "
            "read-only capabilities as you (through the gateway), and reports findings with "
            "evidence, what it could not check and what to do; changes are only proposed.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=InvestigateRequest,
            handler=service.investigate,
            free_text_fields=("question",),
        ),
        Capability(
            id=CapabilityId("agent.turn"),
            description="One model turn of a running investigation (the agent's own call: "
            "quotas and the kill switch bind every turn).",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=TurnRequest,
            handler=service.turn,
            secret_fields=("key",),
        ),
        Capability(
            id=CapabilityId("agent.propose"),
            description="An action the agent proposes; it runs, as the principal who asked, "
            "only once an approver approves it.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=ProposeRequest,
            handler=service.propose,
            writes=True,
            free_text_fields=("rationale",),
        ),
    ]
