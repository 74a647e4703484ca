"""The one door: ``Gateway.invoke(capability, request, principal)``.

Every use of a capability, from the CLI, the HTTP API, the web pages or the AI agent, passes
here, in this order:

1. find the capability (an unknown id is refused: fail closed);
2. authenticate: the principal must still be live (a revoked key is refused);
3. validate the request against the capability's input model (bad input is the caller's error);
4. screen free text for misuse, when a screener is configured;
5. decide from policy: allow, downgrade, hold or refuse, with machine-readable reasons;
6. append the decision to the ledger, durably; only then
7. run the handler (of the downgraded capability, if downgraded), and append its outcome.

The outcome of a capability that does not write is group-committed after the result is
returned (the default; ``invoke(..., defer_outcome=False)`` waits for it): see ``_run``.

``invoke_async`` is the same door for a caller on an event loop (the TAXII read routes): the
steps are written once, as a generator that yields each ledger entry it must have committed
and resumes with its index (``_steps``); ``invoke`` waits for each commit in its thread,
``invoke_async`` awaits it (``Ledger.append_async``), so a read needs no worker thread.

A ledger entry holds who (principal id and tier, never a name), what capability, the decision
and its reasons, and SHA-256 digests of the request and the result, never their content.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from shieldwall.core.clock import Clock, SystemClock, isoformat_z
from shieldwall.core.errors import (
    DeniedError,
    HeldError,
    InputError,
    InternalError,
    ShieldwallError,
    ThrottledError,
)
from shieldwall.core.ports import Invocation
from shieldwall.core.types import (
    AuditMode,
    Capability,
    CapabilityId,
    Decision,
    DecisionKind,
    InvocationContext,
    Principal,
    Reason,
    Tier,
)
from shieldwall.gateway.control import Approvals, KillSwitch, Quotas
from shieldwall.gateway.policy import Policy
from shieldwall.gateway.registry import CapabilityRegistry
from shieldwall.gateway.screening import Screener, Screening
from shieldwall.ledger.hashing import canonical_json


class Recorder(Protocol):
    """Where decisions go: ``ledger.Ledger`` in production."""

    def append(self, entry: Mapping[str, Any]) -> int: ...


@runtime_checkable
class GroupCommitRecorder(Recorder, Protocol):
    """A recorder that can also queue an entry for its next group commit without waiting
    (``ledger.Ledger.append_later``)."""

    def append_later(self, entry: Mapping[str, Any]) -> None: ...


@runtime_checkable
class AsyncRecorder(Recorder, Protocol):
    """A recorder whose commit a coroutine can await (``ledger.Ledger.append_async``)."""

    async def append_async(self, entry: Mapping[str, Any]) -> int: ...


# The door's steps: yields a ledger entry to commit, is resumed with its index.
_Steps = Generator[Mapping[str, Any], int, Invocation]


class PrincipalDirectory(Protocol):
    def is_active(self, principal: Principal) -> bool: ...


_MAX_SAFE_INT = 2**53 - 1
_BMP_END = "\U00010000"


def _orjson_canonical(value: Any) -> bool:
    """True when ``orjson.dumps(value, option=OPT_SORT_KEYS)`` writes exactly the RFC 8785
    bytes: only dicts with ``str`` keys inside the Basic Multilingual Plane, lists, tuples,
    ``str``, ``bool``, ``None`` and integers within 2^53 (exact types: no floats, no
    subclasses). Both escape strings alike and, inside the BMP, sort keys alike; a hypothesis
    test holds the two paths to the same bytes. Iterative, with exact type checks: the
    recursive check in ``ledger.hashing`` was over half of a 100-object page's digest."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    while stack:
        v = pop()
        t = type(v)
        if t is str or v is None or t is bool:
            continue
        if t is dict:
            for k in v:
                if type(k) is not str or not (k.isascii() or max(k, default="") < _BMP_END):
                    return False
            extend(v.values())
        elif t is list or t is tuple:
            extend(v)
        elif t is int:
            if not -_MAX_SAFE_INT <= v <= _MAX_SAFE_INT:
                return False
        else:
            return False
    return True


def json_digest(value: Any) -> str:
    """SHA-256 of the canonical JSON of ``value`` (sorted-keys JSON where JCS cannot apply).

    Plain JSON values (a page of STIX objects is one) are written by orjson, which gives the
    RFC 8785 bytes for them: a sixth of the cost on a 100-object page (0.1 ms, was 0.6 ms).
    Anything else (floats, other types) goes through ``to_jsonable_python`` and
    ``canonical_json`` as before."""
    if _orjson_canonical(value):
        try:
            return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()
        except orjson.JSONEncodeError:  # lone surrogates, nesting past orjson's limit
            pass
    plain = to_jsonable_python(value, fallback=repr)
    try:
        data = canonical_json(plain, max_bytes=1 << 62)
    except ShieldwallError:
        data = json.dumps(plain, sort_keys=True, separators=(",", ":"), default=repr).encode()
    return hashlib.sha256(data).hexdigest()


def _refusal(code: str, message: str) -> Decision:
    return Decision(kind=DecisionKind.REFUSE, reasons=(Reason(code=code, message=message),))


def _one(kind: DecisionKind, code: str, message: str) -> Decision:
    return Decision(kind=kind, reasons=(Reason(code=code, message=message),))


class ScopeChecker(Protocol):
    """Proof of asset ownership: raise DeniedError unless ``target`` is a proven asset of one
    of ``owner_ids``, re-checked live (``gateway.ownership`` implements it)."""

    def in_scope(self, owner_ids: Sequence[str], target: str, account_id: str) -> object: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Controls:
    """What binds before a handler runs, beyond policy. Every part is optional so that a
    minimal door (tests, the offline verifier) needs none; the runtime wires them all."""

    killswitch: KillSwitch | None = None
    quotas: Quotas | None = None
    approvals: Approvals | None = None
    scope: ScopeChecker | None = None
    may_approve: Callable[[Principal, str | None], bool] | None = None


class Gateway:
    def __init__(
        self,
        *,
        registry: CapabilityRegistry,
        policy: Policy,
        recorder: Recorder,
        directory: PrincipalDirectory,
        screener: Screener | None = None,
        controls: Controls | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.registry = registry
        self.policy = policy
        self._recorder = recorder
        self._append_later = (
            recorder.append_later if isinstance(recorder, GroupCommitRecorder) else None
        )
        self._directory = directory
        self._screener = screener
        self.controls = controls or Controls()
        self._clock = clock or SystemClock()

    def invoke(
        self,
        capability: str,
        request: Mapping[str, Any] | BaseModel,
        principal: Principal,
        *,
        defer_outcome: bool | None = None,
    ) -> Invocation:
        """``defer_outcome``: whether the outcome entry of a capability that only reads is
        committed with the ledger's next group instead of being waited for (the result's
        ``outcome_index`` is then None). None, the default, defers for every capability that
        does not declare ``writes``; False waits (a caller that must cite the outcome's index,
        such as the agent's transcript). The decision is durable before the handler runs
        either way, and a writing capability's outcome is always waited for."""
        return self._drive(self._steps(capability, request, principal, defer_outcome))

    async def invoke_async(
        self,
        capability: str,
        request: Mapping[str, Any] | BaseModel,
        principal: Principal,
        *,
        defer_outcome: bool | None = None,
    ) -> Invocation:
        """``invoke`` on the caller's event loop: each commit is awaited, not waited for in a
        thread; policy, validation and the handler run on the loop. For handlers that do not
        block for long (reads of a local database); a recorder that cannot be awaited sends
        the whole call to a worker thread."""
        recorder = self._recorder
        if not isinstance(recorder, AsyncRecorder):
            return await asyncio.to_thread(
                self.invoke, capability, request, principal, defer_outcome=defer_outcome
            )
        steps = self._steps(capability, request, principal, defer_outcome)
        try:
            entry = next(steps)
            while True:
                entry = steps.send(await recorder.append_async(entry))
        except StopIteration as done:
            result: Invocation = done.value
            return result

    def _drive(self, steps: _Steps) -> Invocation:
        try:
            entry = next(steps)
            while True:
                entry = steps.send(self._recorder.append(entry))
        except StopIteration as done:
            result: Invocation = done.value
            return result

    def _steps(
        self,
        capability: str,
        request: Mapping[str, Any] | BaseModel,
        principal: Principal,
        defer_outcome: bool | None,
    ) -> _Steps:
        cap = self.registry.get(capability)
        blocked = self._blocked(capability, cap, principal)
        if blocked is not None or cap is None:
            refusal = blocked or _refusal("capability.unknown", f"no capability {capability!r}")
            refused_at = yield self._decision_entry(capability, principal, refusal, None, None)
            raise self._denied(capability, refusal, refused_at)

        model = self._validate(cap, request)
        request_json = model.model_dump(mode="json")
        request_digest = json_digest(
            {k: "[secret]" if k in cap.secret_fields else v for k, v in request_json.items()}
        )
        screening = self._screen(cap, model)
        decision = self.decide(cap, principal, screening, target=self._target(cap, model))
        audited = cap.audit is AuditMode.FULL or decision.kind is not DecisionKind.ALLOW
        index = (
            (yield self._decision_entry(cap.id, principal, decision, request_digest, screening))
            if audited
            else None
        )
        if (
            decision.kind is DecisionKind.HOLD
            and self.controls.approvals is not None
            and not cap.secret_fields
        ):  # a request with a secret is never parked
            approval_id = self.controls.approvals.create(
                capability=cap.id,
                requester=principal,
                request=request_json,
                request_sha256=request_digest,
                decision_index=index,
            )
            raise self._denied(cap.id, decision, index, approval_id=approval_id)
        if decision.kind in (DecisionKind.REFUSE, DecisionKind.HOLD, DecisionKind.THROTTLE):
            raise self._denied(cap.id, decision, index)

        target = cap
        if decision.kind is DecisionKind.DOWNGRADE:
            target = self._downgrade_target(cap, decision, principal)
            model = self._validate(target, model.model_dump())
        defer = not target.writes if defer_outcome is None else defer_outcome
        return (
            yield from self._run(
                target, model, principal, decision, index, audited=audited, defer=defer
            )
        )

    def decide(
        self,
        cap: Capability[Any],
        principal: Principal,
        screening: Screening | None,
        *,
        target: str | None = None,
        charge_quota: bool = True,
    ) -> Decision:
        """Policy, screening, scope and quota, in that order; the first that says no wins."""
        decision = self._decide(cap, principal, screening)
        if decision.kind in (DecisionKind.ALLOW, DecisionKind.DOWNGRADE) and target:
            decision = self._check_scope(cap, principal, target, decision)
        if (
            charge_quota
            and decision.kind is not DecisionKind.REFUSE
            and self.controls.quotas is not None
        ):
            over = self.controls.quotas.charge(principal, cap.id)
            if over is not None:
                decision = _one(DecisionKind.THROTTLE, "quota.exceeded", over)
        return decision

    def approve(
        self, approval_id: str, approver: Principal, *, approve: bool, reason: str = ""
    ) -> Invocation | None:
        """An approver's answer to a held request. Approved: it runs now, as the requester,
        with the request exactly as held. Never the requester's own approval."""
        approvals = self.controls.approvals
        if approvals is None:
            raise InternalError("this gateway has no approval queue", code="gateway.no_queue")
        held = approvals.get(approval_id)
        same = approver.id == held.requester.id or (
            approver.user is not None and approver.user == held.requester.user
        )
        may = self.controls.may_approve
        problem: str | None = None
        if same:
            problem = "an approver cannot approve their own request"
        elif may is None or not may(approver, held.requester.org):
            problem = f"{approver.id} is not an approver for {held.requester.org or 'them'}"
        entry: dict[str, Any] = {
            "kind": "approval",
            "v": 1,
            "ts": isoformat_z(self._clock.now()),
            "approval": approval_id,
            "capability": held.capability,
            "decision_index": held.decision_index,
            "requester": held.requester.id,
            "approver": {"id": approver.id, "tier": int(approver.tier)},
            "answer": "refused" if problem else ("approve" if approve else "reject"),
            "reason": problem or reason,
        }
        index = self._recorder.append(entry)
        if problem:
            raise DeniedError(
                problem,
                code="gateway.bad_approver",
                details={"approval": approval_id, "ledger_index": index},
            )
        approvals.decide(approval_id, approver=approver.id, approve=approve, reason=reason)
        if not approve:
            return None
        cap = self.registry.get(held.capability)
        blocked = self._blocked(held.capability, cap, held.requester)
        if blocked is not None or cap is None:
            decision = blocked or _refusal("capability.unknown", "gone")
            at = self._record(held.capability, held.requester, decision, held.request_sha256, None)
            raise self._denied(held.capability, decision, at)
        decision = _one(
            DecisionKind.ALLOW,
            "approval.approved",
            f"approved by {approver.id} (approval {approval_id})",
        )
        result = self._drive(
            self._run(
                cap,
                self._validate(cap, held.request),
                held.requester,
                decision,
                held.decision_index,
                audited=True,
            )
        )
        approvals.set_outcome(approval_id, result.outcome_index)
        return result

    # -- steps ----------------------------------------------------------------------------------

    def _blocked(
        self, capability: str, cap: Capability[Any] | None, principal: Principal
    ) -> Decision | None:
        if cap is None:
            return _refusal("capability.unknown", f"there is no capability {capability!r}")
        if not self._directory.is_active(principal):
            return _refusal("principal.inactive", f"{principal.id} is revoked or disabled")
        switch = self.controls.killswitch
        if switch is not None:
            why = switch.reason("capability", capability)
            if why is not None:
                return _refusal("killswitch.capability", f"{capability} is disabled: {why}")
            why = switch.reason("principal", principal.id)
            if why is not None:
                return _refusal("killswitch.principal", f"{principal.id} is disabled: {why}")
        return None

    def _run(
        self,
        cap: Capability[Any],
        model: BaseModel,
        principal: Principal,
        decision: Decision,
        index: int | None,
        *,
        audited: bool,
        defer: bool = False,
    ) -> _Steps:
        ctx = InvocationContext(
            principal=principal,
            capability=cap.id,
            decision=decision,
            decision_index=index,
            now=self._clock.now(),
        )
        try:
            result = cap.handler(model, ctx)
        except ShieldwallError as err:
            if audited:
                yield self._outcome_entry(index, "error", None, err.code)
            raise
        except Exception as err:
            if audited:
                yield self._outcome_entry(index, "error", None, "internal")
            raise InternalError(f"{cap.id} failed: {err}", code="internal.handler") from err
        outcome: int | None = None
        if audited and defer and not cap.writes and self._append_later is not None:
            # The result may leave before its outcome entry is committed. What must be durable
            # before any data leaves, is: the decision (who, which capability, a digest of the
            # request, allowed) was committed before the handler ran. The outcome adds the
            # result's digest; it is queued here, in order, and committed with the ledger's
            # next group (usually the next request's decision), so a read costs one commit
            # instead of two on the request's path. A crash in that window (about one commit)
            # leaves a decision without its outcome, which is what a crash during the handler
            # leaves too. A failed write is logged; a database that stays unwritable fails the
            # next decision too, and the door serves nothing without one. Writes, errors and
            # approvals keep the synchronous outcome.
            self._append_later(self._outcome_entry(index, "ok", json_digest(result), None))
        elif audited:
            outcome = yield self._outcome_entry(index, "ok", json_digest(result), None)
        return Invocation(
            capability=cap.id,
            decision=decision,
            decision_index=index,
            result=result,
            outcome_index=outcome,
        )

    @staticmethod
    def _target(cap: Capability[Any], model: BaseModel) -> str | None:
        if not cap.touches_external or cap.target_field is None:
            return None
        value = getattr(model, cap.target_field, None)
        return str(value) if value else None

    def _check_scope(
        self, cap: Capability[Any], principal: Principal, target: str, decision: Decision
    ) -> Decision:
        scope = self.controls.scope
        if scope is None:
            return _refusal(
                "scope.unchecked",
                f"{cap.id} touches {target}, and no ownership checker is configured",
            )
        owners = [principal.id, *([principal.org] if principal.org else [])]
        try:
            scope.in_scope(owners, target, principal.id)
        except DeniedError as err:
            return _refusal("scope.not_proven", err.message)
        return Decision(
            kind=decision.kind,
            downgraded_to=decision.downgraded_to,
            reasons=(
                *decision.reasons,
                Reason(code="scope.proven", message=f"{target} is a proven asset"),
            ),
        )

    def _validate(self, cap: Capability[Any], request: Mapping[str, Any] | BaseModel) -> BaseModel:
        model_type: type[BaseModel] = cap.input_model
        if isinstance(request, model_type):
            return request
        data = request.model_dump() if isinstance(request, BaseModel) else request
        try:
            return model_type.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "(request)"
            raise InputError(
                f"{cap.id}: {where}: {first['msg']}",
                code="input.invalid_request",
                location=where,
                hint=f"See the input schema of {cap.id} (`shieldwall gateway capabilities`).",
                details={
                    "errors": to_jsonable_python(exc.errors(include_url=False), fallback=repr)
                },
            ) from exc

    def _screen(self, cap: Capability[Any], model: BaseModel) -> Screening | None:
        if self._screener is None or not cap.free_text_fields:
            return None
        text = "\n".join(str(getattr(model, f, "") or "") for f in cap.free_text_fields)
        return self._screener.screen(text) if text.strip() else None

    def _decide(
        self, cap: Capability[Any], principal: Principal, screening: Screening | None
    ) -> Decision:
        if screening is not None and screening.label == "malicious":
            return _refusal(
                "screening.malicious",
                f"the request reads as malicious (score {screening.score:.2f})",
            )
        decision = self.policy.evaluate(cap, principal)
        if (
            screening is None
            or screening.label != "dual_use"
            or decision.kind is not DecisionKind.ALLOW
        ):
            return decision
        # Dual use: verified organisations and vetted defenders may go ahead (inside their
        # proven scope, which the scope check then enforces); below that, the safer capability
        # if policy names one, else an approver decides.
        note = Reason(
            code="screening.dual_use",
            message=f"the request reads as dual use (score {screening.score:.2f})",
        )
        if principal.tier >= Tier.VERIFIED_ORG:
            return Decision(kind=DecisionKind.ALLOW, reasons=(*decision.reasons, note))
        safer = self.policy.downgrade_for(cap, principal)
        if safer is not None:
            return Decision(
                kind=DecisionKind.DOWNGRADE, reasons=(note,), downgraded_to=CapabilityId(safer)
            )
        return Decision(
            kind=DecisionKind.HOLD,
            reasons=(
                note,
                Reason(
                    code="screening.needs_approval",
                    message=f"dual-use requests below tier 2 wait for an approver "
                    f"(this principal has tier {int(principal.tier)})",
                ),
            ),
        )

    def _downgrade_target(
        self, cap: Capability[Any], decision: Decision, principal: Principal
    ) -> Capability[Any]:
        target = self.registry.get(decision.downgraded_to or "")
        if target is None or self.policy.evaluate(target, principal).kind is not DecisionKind.ALLOW:
            raise InternalError(
                f"policy downgrades {cap.id} to {decision.downgraded_to!r}, which this principal "
                "cannot use",
                code="gateway.bad_downgrade",
                hint="Fix the policy: a downgrade must name a capability the principal may use.",
            )
        return target

    def _record(
        self,
        capability: str,
        principal: Principal,
        decision: Decision,
        request_digest: str | None,
        screening: Screening | None,
    ) -> int:
        return self._recorder.append(
            self._decision_entry(capability, principal, decision, request_digest, screening)
        )

    def _decision_entry(
        self,
        capability: str,
        principal: Principal,
        decision: Decision,
        request_digest: str | None,
        screening: Screening | None,
    ) -> dict[str, Any]:
        return {
            "kind": "decision",
            "v": 1,
            "ts": isoformat_z(self._clock.now()),
            "principal": {
                "id": principal.id,
                "kind": str(principal.kind),
                "tier": int(principal.tier),
            },
            "capability": capability,
            "decision": str(decision.kind),
            "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
            "downgraded_to": decision.downgraded_to,
            "request_sha256": request_digest,
            "screening": None
            if screening is None
            else {
                "label": screening.label,
                "score": round(screening.score, 4),
                "tactic": screening.tactic,
            },
        }

    def _outcome_entry(
        self, index: int | None, status: str, digest: str | None, error: str | None
    ) -> dict[str, Any]:
        return {
            "kind": "outcome",
            "v": 1,
            "ts": isoformat_z(self._clock.now()),
            "decision_index": index,
            "status": status,
            "result_sha256": digest,
            "error_code": error,
        }

    @staticmethod
    def _denied(
        capability: str, decision: Decision, index: int | None, *, approval_id: str | None = None
    ) -> DeniedError:
        message = "; ".join(r.message for r in decision.reasons)
        details: dict[str, Any] = {
            "capability": capability,
            "decision": str(decision.kind),
            "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
            "ledger_index": index,
        }
        match decision.kind:
            case DecisionKind.HOLD if approval_id is not None:
                return HeldError(
                    message,
                    details={**details, "approval_id": approval_id},
                    hint=f"An approver of your organisation must approve "
                    f"{approval_id} (`shieldwall gateway approvals approve "
                    f"{approval_id}`); it then runs as you asked.",
                )
            case DecisionKind.HOLD:
                return DeniedError(
                    message,
                    code="gateway.held",
                    details=details,
                    hint="This gateway has no approval queue configured.",
                )
            case DecisionKind.THROTTLE:
                return ThrottledError(
                    message, details=details, hint="Wait a minute, or ask for a higher quota."
                )
            case _:
                return DeniedError(
                    message,
                    details=details,
                    hint=(
                        "Ask an operator for a key of a higher tier, prove ownership of the "
                        "target, or see the policy's rules."
                    ),
                )


__all__ = [
    "AsyncRecorder",
    "Controls",
    "Gateway",
    "GroupCommitRecorder",
    "PrincipalDirectory",
    "Recorder",
    "ScopeChecker",
    "json_digest",
]
