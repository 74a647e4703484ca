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

A ledger entry holds who (principal id and tier, never a name), what capability, the decision
and its reasons, and SHA-256 digests of the request and the result, never their content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from shieldwall.core.clock import Clock, SystemClock, isoformat_z
from shieldwall.core.errors import DeniedError, InputError, InternalError, ShieldwallError
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
)
from shieldwall.gateway.policy import Policy
from shieldwall.gateway.registry import CapabilityRegistry
from shieldwall.gateway.screening import Screener, Screening
from shieldwall.ledger.hashing import canonical_json


class Recorder(Protocol):
    """Where decisions go: ``ledger.Ledger`` in production."""

    def append(self, entry: Mapping[str, Any]) -> int: ...


class PrincipalDirectory(Protocol):
    def is_active(self, principal: Principal) -> bool: ...


def json_digest(value: Any) -> str:
    """SHA-256 of the canonical JSON of ``value`` (sorted-keys JSON where JCS cannot apply)."""
    plain = to_jsonable_python(value, fallback=repr)
    try:
        data = canonical_json(plain, max_bytes=1 << 62)
    except ShieldwallError:
        data = json.dumps(plain, sort_keys=True, separators=(",", ":"), default=repr).encode()
    return hashlib.sha256(data).hexdigest()


def _refusal(code: str, message: str) -> Decision:
    return Decision(kind=DecisionKind.REFUSE, reasons=(Reason(code=code, message=message),))


class Gateway:
    def __init__(
        self,
        *,
        registry: CapabilityRegistry,
        policy: Policy,
        recorder: Recorder,
        directory: PrincipalDirectory,
        screener: Screener | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.registry = registry
        self.policy = policy
        self._recorder = recorder
        self._directory = directory
        self._screener = screener
        self._clock = clock or SystemClock()

    def invoke(
        self, capability: str, request: Mapping[str, Any] | BaseModel, principal: Principal
    ) -> Invocation:
        cap = self.registry.get(capability)
        if cap is None:
            decision = _refusal("capability.unknown", f"there is no capability {capability!r}")
            refused_at = self._record(capability, principal, decision, None, None)
            raise self._denied(capability, decision, refused_at)
        if not self._directory.is_active(principal):
            decision = _refusal("principal.inactive", f"{principal.id} is revoked or disabled")
            refused_at = self._record(capability, principal, decision, None, None)
            raise self._denied(capability, decision, refused_at)

        model = self._validate(cap, request)
        request_digest = json_digest(model.model_dump(mode="json"))
        screening = self._screen(cap, model)
        decision = self._decide(cap, principal, screening)
        audited = cap.audit is AuditMode.FULL or decision.kind is DecisionKind.REFUSE
        index = (
            self._record(cap.id, principal, decision, request_digest, screening)
            if audited
            else None
        )
        if decision.kind in (DecisionKind.REFUSE, DecisionKind.HOLD):
            raise self._denied(cap.id, decision, index)

        target = cap
        if decision.kind is DecisionKind.DOWNGRADE:
            target = self._downgrade_target(cap, decision, principal)
            model = self._validate(target, model.model_dump())
        ctx = InvocationContext(
            principal=principal,
            capability=target.id,
            decision=decision,
            decision_index=index,
            now=self._clock.now(),
        )
        try:
            result = target.handler(model, ctx)
        except ShieldwallError as err:
            if audited:
                self._outcome(index, "error", None, err.code)
            raise
        except Exception as err:
            if audited:
                self._outcome(index, "error", None, "internal")
            raise InternalError(f"{target.id} failed: {err}", code="internal.handler") from err
        outcome = self._outcome(index, "ok", json_digest(result), None) if audited else None
        return Invocation(
            capability=target.id,
            decision=decision,
            decision_index=index,
            result=result,
            outcome_index=outcome,
        )

    # -- steps ----------------------------------------------------------------------------------

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
        return self.policy.evaluate(cap, principal)

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
        entry: dict[str, Any] = {
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
        return self._recorder.append(entry)

    def _outcome(
        self, index: int | None, status: str, digest: str | None, error: str | None
    ) -> int:
        return self._recorder.append(
            {
                "kind": "outcome",
                "v": 1,
                "ts": isoformat_z(self._clock.now()),
                "decision_index": index,
                "status": status,
                "result_sha256": digest,
                "error_code": error,
            }
        )

    @staticmethod
    def _denied(capability: str, decision: Decision, index: int | None) -> DeniedError:
        held = decision.kind is DecisionKind.HOLD
        return DeniedError(
            "; ".join(r.message for r in decision.reasons),
            code="gateway.held" if held else "gateway.refused",
            hint=(
                "An approver must consent first. The approval queue is not built yet, so held "
                "requests are recorded and not run."
                if held
                else "Ask an operator for a key of a higher tier, or see the policy's rules."
            ),
            details={
                "capability": capability,
                "decision": str(decision.kind),
                "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
                "ledger_index": index,
            },
        )


__all__ = ["CapabilityId", "Gateway", "PrincipalDirectory", "Recorder", "json_digest"]
