"""Ports that let the layers above the door reach it without importing ``gateway``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from shieldwall.core.types import Decision, Principal

if TYPE_CHECKING:
    from pydantic import BaseModel


@dataclass(frozen=True, slots=True, kw_only=True)
class Invocation:
    """What came out of the door: the decision, where it is in the ledger, and the result."""

    capability: str
    decision: Decision
    decision_index: int | None
    result: Any
    outcome_index: int | None = None


class Door(Protocol):
    """``gateway.Gateway`` implements this; capability packages' http.py and cli.py use it."""

    def invoke(
        self,
        capability: str,
        request: Mapping[str, Any] | BaseModel,
        principal: Principal,
        *,
        defer_outcome: bool | None = None,
    ) -> Invocation: ...


class TokenBudget(Protocol):
    """Model tokens a principal may spend, enforced by the gateway (``gateway.Quotas``), not by
    trusting the model: reserve before a model call, settle with what it really used."""

    def reserve(self, principal: Principal, capability: str, tokens: int) -> None:
        """Raise ThrottledError when ``tokens`` more would exceed the principal's budget."""
        ...

    def settle(self, principal: Principal, capability: str, *, reserved: int, used: int) -> None:
        """Replace a reservation by the tokens really used."""
        ...


class Session(Protocol):
    """What a command line or request handler holds: the door and who is asking."""

    @property
    def door(self) -> Door: ...

    @property
    def principal(self) -> Principal: ...
