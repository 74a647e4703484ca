"""Operator controls that bind before any handler runs: the kill switch, quotas, approvals."""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Engine, and_, delete, insert, select, update

from shieldwall.core.clock import Clock, SystemClock
from shieldwall.core.errors import InputError, NotFoundError, ThrottledError
from shieldwall.core.types import Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.store.schema import approval, disabled

TargetKind = Literal["capability", "principal"]


class KillSwitch:
    """An operator disables a capability or a principal; the door refuses it at once.

    The door asks on every call, so the (tiny) table is read as a whole snapshot that lives
    ``ttl`` seconds: a switch thrown in this process binds at once, one thrown by another
    process of the same deployment within ``ttl`` (default one second)."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None, ttl: float = 1.0) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self._ttl = ttl
        self._snapshot: dict[tuple[str, str], str] = {}
        self._read_at = -math.inf
        self._lock = threading.Lock()

    def _current(self) -> dict[tuple[str, str], str]:
        now = time.monotonic()
        with self._lock:
            if now - self._read_at >= self._ttl:
                with self._engine.connect() as conn:
                    rows = conn.execute(
                        select(disabled.c.kind, disabled.c.target, disabled.c.reason)
                    ).all()
                self._snapshot = {(r.kind, r.target): str(r.reason) for r in rows}
                self._read_at = now
            return self._snapshot

    def _invalidate(self) -> None:
        with self._lock:
            self._read_at = -math.inf

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
        self._invalidate()

    def enable(self, kind: TargetKind, target: str) -> bool:
        with self._engine.begin() as conn:
            gone = conn.execute(
                delete(disabled).where(and_(disabled.c.kind == kind, disabled.c.target == target))
            ).rowcount
        self._invalidate()
        return bool(gone)

    def reason(self, kind: TargetKind, target: str) -> str | None:
        return self._current().get((kind, target))

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
    """Policy data: at most ``per_minute`` uses of matching capabilities per principal, and/or
    at most ``tokens_per_hour`` model tokens (for capabilities that call a model)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    capability: str = "*"
    tier: Tier | None = None  # None: every tier
    per_minute: int | None = Field(default=None, ge=0)
    tokens_per_hour: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_limit(self) -> QuotaRule:
        if self.per_minute is None and self.tokens_per_hour is None:
            raise ValueError("a quota needs per_minute or tokens_per_hour")
        return self


class Quotas:
    """Fixed one-minute windows, counted in this process's memory: the count is charged before
    the handler runs, and a refused call costs nothing. Counting in the database made every
    call a durable write that competed with the ledger for the write lock (the door ran at a
    fifth of its speed); with N workers behind a load balancer a principal may get up to N
    times its quota, which is the usual trade of per-instance rate limiters."""

    WINDOW = 60

    def __init__(self, rules: list[QuotaRule], *, clock: Clock | None = None) -> None:
        self._rules = rules
        self._clock = clock or SystemClock()
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}  # -> (window, count)
        self._tokens: dict[tuple[str, str], tuple[int, int]] = {}  # -> (hour, tokens)
        self._lock = threading.Lock()

    def _rule(self, capability: str, tier: Tier) -> QuotaRule | None:
        matching = [
            (r.per_minute, r)
            for r in self._rules
            if r.per_minute is not None
            and fnmatchcase(capability, r.capability)
            and (r.tier is None or r.tier == tier)
        ]
        return min(matching, key=lambda m: m[0])[1] if matching else None

    def _token_rule(self, capability: str, tier: Tier) -> tuple[int, str] | None:
        matching = [
            (r.tokens_per_hour, r.capability)
            for r in self._rules
            if r.tokens_per_hour is not None
            and fnmatchcase(capability, r.capability)
            and (r.tier is None or r.tier == tier)
        ]
        return min(matching) if matching else None

    def reserve(self, principal: Principal, capability: str, tokens: int) -> None:
        """Reserve ``tokens`` of the principal's hourly token budget for ``capability``, or
        raise ThrottledError (the local owner has no budget, as it has no call quota)."""
        found = (
            None
            if principal.kind is PrincipalKind.OWNER
            else self._token_rule(capability, principal.tier)
        )
        if found is None:
            return
        limit, pattern = found
        hour = int(self._clock.now().timestamp()) // 3600
        key = (principal.id, pattern)
        with self._lock:
            seen, used = self._tokens.get(key, (hour, 0))
            used = used if seen == hour else 0
            if used + tokens > limit:
                raise ThrottledError(
                    f"{principal.id} has {max(limit - used, 0):,} of {limit:,} model tokens left "
                    f"this hour for {pattern}; this call may need {tokens:,}",
                    code="quota.tokens",
                    hint="Wait for the next hour, ask for a smaller answer, or ask for a "
                    "higher budget.",
                )
            self._tokens[key] = (hour, used + tokens)
            if len(self._tokens) > 100_000:  # forget hours that are over
                self._tokens = {k: v for k, v in self._tokens.items() if v[0] == hour}

    def settle(self, principal: Principal, capability: str, *, reserved: int, used: int) -> None:
        """Replace a reservation by the tokens really used (never below zero)."""
        found = (
            None
            if principal.kind is PrincipalKind.OWNER
            else self._token_rule(capability, principal.tier)
        )
        if found is None:
            return
        hour = int(self._clock.now().timestamp()) // 3600
        key = (principal.id, found[1])
        with self._lock:
            seen, spent = self._tokens.get(key, (hour, 0))
            spent = spent if seen == hour else 0
            self._tokens[key] = (hour, max(spent + used - reserved, 0))

    def charge(self, principal: Principal, capability: str) -> str | None:
        """Count one use; return why it is over quota, or None when it is within."""
        if principal.kind is PrincipalKind.OWNER:
            return None
        rule = self._rule(capability, principal.tier)
        if rule is None or rule.per_minute is None:
            return None
        window = int(self._clock.now().timestamp()) // self.WINDOW
        key = (principal.id, rule.capability)
        with self._lock:
            seen, count = self._counts.get(key, (window, 0))
            count = count if seen == window else 0
            if count >= rule.per_minute:
                return (
                    f"{principal.id} used {rule.per_minute} of {rule.per_minute} calls this "
                    f"minute for {rule.capability} (tier {int(principal.tier)})"
                )
            self._counts[key] = (window, count + 1)
            if len(self._counts) > 100_000:  # forget windows that are over
                self._counts = {k: v for k, v in self._counts.items() if v[0] == window}
        return None


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
