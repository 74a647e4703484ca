"""Policy as data: which principals may use which capability, and what happens otherwise.

A policy is a list of rules read from JSON (validated with pydantic). Evaluation fails closed:
a capability that no rule covers is refused. Among the rules that cover a capability, a
``refuse`` rule beats a ``hold`` rule, which beats an ``allow`` rule (forbid beats permit).
A rule can only raise a capability's declared minimum tier, never lower it.

    {"version": 1, "rules": [
        {"capability": "ledger.*", "effect": "allow"},
        {"capability": "vuln.autofix", "effect": "allow", "min_tier": 2,
         "downgrade_to": "vuln.suggest"}
    ]}
"""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ParseError
from shieldwall.core.types import (
    Capability,
    CapabilityId,
    Decision,
    DecisionKind,
    Principal,
    PrincipalKind,
    Reason,
    Tier,
)
from shieldwall.gateway.control import QuotaRule


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    capability: str = Field(description="A capability id or a glob such as 'ledger.*'.")
    effect: Literal["allow", "hold", "refuse"]
    min_tier: Tier | None = None
    principal_kinds: tuple[PrincipalKind, ...] | None = None
    downgrade_to: str | None = None
    reason: str | None = None


class PolicyDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1]
    rules: list[Rule]
    quotas: list[QuotaRule] = []


class Policy:
    def __init__(self, rules: list[Rule], quotas: list[QuotaRule] | None = None) -> None:
        self.rules = rules
        self.quotas = quotas or []

    @classmethod
    def parse(cls, text: str, *, source: str = "policy") -> Policy:
        try:
            doc = PolicyDocument.model_validate(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"the policy is not JSON: {exc.msg}",
                code="gateway.bad_policy",
                location=f"{source}:{exc.lineno}:{exc.colno}",
            ) from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ParseError(
                f"the policy is not valid: {first['msg']}",
                code="gateway.bad_policy",
                location=f"{source}:{where}",
                hint="See the policy format in shieldwall/gateway/policy.py.",
            ) from exc
        return cls(doc.rules, doc.quotas)

    @classmethod
    def default(cls) -> Policy:
        text = resources.files("shieldwall.gateway").joinpath("default_policy.json").read_text()
        return cls.parse(text, source="default_policy.json")

    @classmethod
    def load(cls, path: Path) -> Policy:
        return cls.parse(path.read_text(), source=str(path))

    def _matching(self, capability: Capability[Any], principal: Principal) -> list[Rule]:
        return [
            r
            for r in self.rules
            if fnmatchcase(capability.id, r.capability)
            and (r.principal_kinds is None or principal.kind in r.principal_kinds)
        ]

    def downgrade_for(self, capability: Capability[Any], principal: Principal) -> str | None:
        """The safer capability policy names for this one, if any."""
        names = [r.downgrade_to for r in self._matching(capability, principal) if r.downgrade_to]
        return names[0] if names else None

    def evaluate(self, capability: Capability[Any], principal: Principal) -> Decision:
        matching = self._matching(capability, principal)
        if not matching:
            return _refuse(
                "policy.no_rule",
                f"no policy rule covers {capability.id} for a {principal.kind} principal",
            )
        refusals = [r for r in matching if r.effect == "refuse"]
        if refusals:
            r = refusals[0]
            return _refuse(
                "policy.refuse_rule", r.reason or f"policy refuses {capability.id} ({r.capability})"
            )
        grants = sorted(matching, key=lambda r: r.effect != "hold")  # hold rules first
        for rule in grants:
            need = max(capability.min_tier, rule.min_tier or Tier.PUBLIC)
            if principal.tier >= need:
                if rule.effect == "hold":
                    return Decision(
                        kind=DecisionKind.HOLD,
                        reasons=(
                            Reason(
                                code="policy.hold",
                                message=rule.reason
                                or f"{capability.id} needs an approver's consent",
                            ),
                        ),
                    )
                return Decision(
                    kind=DecisionKind.ALLOW,
                    reasons=(
                        Reason(
                            code="policy.allow",
                            message=f"tier {int(principal.tier)} meets tier {int(need)} "
                            f"for {capability.id}",
                        ),
                    ),
                )
        need = min(max(capability.min_tier, r.min_tier or Tier.PUBLIC) for r in grants)
        downgrades = [r.downgrade_to for r in grants if r.downgrade_to]
        message = (
            f"{capability.id} needs tier {int(need)}; this principal has tier {int(principal.tier)}"
        )
        if downgrades:
            return Decision(
                kind=DecisionKind.DOWNGRADE,
                reasons=(Reason(code="policy.tier_too_low", message=message),),
                downgraded_to=CapabilityId(downgrades[0]),
            )
        return _refuse("policy.tier_too_low", message)


def _refuse(code: str, message: str) -> Decision:
    return Decision(kind=DecisionKind.REFUSE, reasons=(Reason(code=code, message=message),))
