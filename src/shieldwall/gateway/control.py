"""Operator controls that bind before any handler runs: the kill switch, quotas, approvals."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, and_, delete, exc, insert, select, update

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.types import Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.store.schema import approval, disabled, quota_usage

TargetKind = Literal["capability", "principal"]


class KillSwitch:
    """An operator disables a capability or a principal; the door refuses it at once."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def disable(self, kind: TargetKind, target: str, *, reason: str, by: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                delete(disabled).where(and_(disabled.c.kind == kind, disabled.c.target == target))
            )
            conn.execute(
                insert(disabled).values(
                    kind=kind,
                    target=target,
                    reason=reason,
                    disabled_by=by,
                    disabled_at=self._clock.now(),
                )
            )

    def enable(self, kind: TargetKind, target: str) -> bool:
        with self._engine.begin() as conn:
            gone = conn.execute(
                delete(disabled).where(and_(disabled.c.kind == kind, disabled.c.target == target))
            ).rowcount
        return bool(gone)

    def reason(self, kind: TargetKind, target: str) -> str | None:
        with self._engine.connect() as conn:
            found = conn.execute(
                select(disabled.c.reason).where(
                    and_(disabled.c.kind == kind, disabled.c.target == target)
                )
            ).scalar()
        return None if found is None else str(found)

    def list(self) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(disabled).order_by(disabled.c.disabled_at)).all()
        return [
            {
                "kind": r.kind,
                "target": r.target,
                "reason": r.reason,
                "by": r.disabled_by,
                "at": r.disabled_at.isoformat(),
            }
            for r in rows
        ]


class QuotaRule(BaseModel):
    """Policy data: at most ``per_minute`` uses of matching capabilities per principal."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    capability: str = "*"
    tier: Tier | None = None  # None: every tier
    per_minute: int = Field(ge=0)


class Quotas:
    """Fixed one-minute windows counted in the database, so that every process of a deployment
    shares them. The count is charged before the handler runs; a refused call costs nothing."""

    WINDOW = 60

    def __init__(
        self, engine: Engine, rules: list[QuotaRule], *, clock: Clock | None = None
    ) -> None:
        self._engine = engine
        self._rules = rules
        self._clock = clock or SystemClock()

    def _rule(self, capability: str, tier: Tier) -> QuotaRule | None:
        matching = [
            r
            for r in self._rules
            if fnmatchcase(capability, r.capability) and (r.tier is None or r.tier == tier)
        ]
        return min(matching, key=lambda r: r.per_minute) if matching else None

    def charge(self, principal: Principal, capability: str) -> str | None:
        """Count one use; return why it is over quota, or None when it is within."""
        if principal.kind is PrincipalKind.OWNER:
            return None
        rule = self._rule(capability, principal.tier)
        if rule is None:
            return None
        window = int(self._clock.now().timestamp()) // self.WINDOW * self.WINDOW
        key = and_(
            quota_usage.c.principal_id == principal.id,
            quota_usage.c.bucket == rule.capability,
            quota_usage.c.window_start == window,
        )
        for _ in range(3):
            try:
                with self._engine.begin() as conn:
                    done = conn.execute(
                        update(quota_usage).where(key).values(count=quota_usage.c.count + 1)
                    ).rowcount
                    if not done:
                        conn.execute(
                            insert(quota_usage).values(
                                principal_id=principal.id,
                                bucket=rule.capability,
                                window_start=window,
                                count=1,
                            )
                        )
                    count = conn.execute(select(quota_usage.c.count).where(key)).scalar_one()
                    if count > rule.per_minute:  # over: give the unit back, refuse
                        conn.execute(
                            update(quota_usage).where(key).values(count=quota_usage.c.count - 1)
                        )
                        return (
                            f"{principal.id} used {rule.per_minute} of {rule.per_minute} "
                            f"calls this minute for {rule.capability} (tier "
                            f"{int(principal.tier)})"
                        )
                    return None
            except exc.IntegrityError:  # another process inserted the window first: retry
                continue
        return None  # pragma: no cover - three lost races in a row


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval:
    id: str
    capability: str
    requester: Principal
    request: dict[str, Any]
    request_sha256: str
    decision_index: int | None
    status: str
    approver: str | None
    reason: str | None
    created_at: datetime
    outcome_index: int | None

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "capability": self.capability,
            "requester": self.requester.id,
            "tier": int(self.requester.tier),
            "status": self.status,
            "approver": self.approver,
            "reason": self.reason,
            "request_sha256": self.request_sha256,
            "decision_index": self.decision_index,
            "outcome_index": self.outcome_index,
            "created_at": self.created_at.isoformat(),
        }


def _principal_json(p: Principal) -> str:
    return json.dumps(
        {
            "id": p.id,
            "kind": str(p.kind),
            "tier": int(p.tier),
            "name": p.name,
            "org": p.org,
            "user": p.user,
        }
    )


def _principal_from(text: str) -> Principal:
    d = json.loads(text)
    return Principal(
        id=PrincipalId(d["id"]),
        kind=PrincipalKind(d["kind"]),
        tier=Tier(d["tier"]),
        name=d.get("name", ""),
        org=d.get("org"),
        user=d.get("user"),
    )


class Approvals:
    """Held requests wait here with their full request, to be run as asked once approved."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def create(
        self,
        *,
        capability: str,
        requester: Principal,
        request: dict[str, Any],
        request_sha256: str,
        decision_index: int | None,
    ) -> str:
        approval_id = f"a{secrets.token_hex(6)}"
        with self._engine.begin() as conn:
            conn.execute(
                insert(approval).values(
                    id=approval_id,
                    capability=capability,
                    principal=_principal_json(requester),
                    request=json.dumps(request, sort_keys=True),
                    request_sha256=request_sha256,
                    decision_index=decision_index,
                    status="pending",
                    created_at=self._clock.now(),
                )
            )
        return approval_id

    def get(self, approval_id: str) -> Approval:
        with self._engine.connect() as conn:
            row = conn.execute(select(approval).where(approval.c.id == approval_id)).first()
        if row is None:
            raise NotFoundError(
                f"there is no approval {approval_id!r}",
                code="gateway.no_approval",
                hint="`shieldwall gateway approvals list` shows them.",
            )
        return Approval(
            id=row.id,
            capability=row.capability,
            requester=_principal_from(row.principal),
            request=json.loads(row.request),
            request_sha256=row.request_sha256,
            decision_index=row.decision_index,
            status=row.status,
            approver=row.approver,
            reason=row.reason,
            created_at=row.created_at,
            outcome_index=row.outcome_index,
        )

    def list(self, status: str | None = "pending") -> list[Approval]:
        query = select(approval.c.id).order_by(approval.c.created_at)
        if status:
            query = query.where(approval.c.status == status)
        with self._engine.connect() as conn:
            ids = conn.execute(query).scalars().all()
        return [self.get(i) for i in ids]

    def decide(self, approval_id: str, *, approver: str, approve: bool, reason: str) -> Approval:
        """Move a pending approval to approved or rejected, once (a second decision fails)."""
        with self._engine.begin() as conn:
            done = conn.execute(
                update(approval)
                .where(and_(approval.c.id == approval_id, approval.c.status == "pending"))
                .values(
                    status="approved" if approve else "rejected",
                    approver=approver,
                    reason=reason,
                    decided_at=self._clock.now(),
                )
            ).rowcount
        if not done:
            current = self.get(approval_id)
            raise InputError(
                f"approval {approval_id} is already {current.status}",
                code="gateway.already_decided",
            )
        return self.get(approval_id)

    def set_outcome(self, approval_id: str, outcome_index: int | None) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(approval)
                .where(approval.c.id == approval_id)
                .values(outcome_index=outcome_index)
            )
