"""Ports for time and identifiers, injected so that tests are deterministic."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class IdFactory(Protocol):
    def new_id(self, prefix: str) -> str:
        """A fresh unique identifier that starts with ``prefix``."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class RandomIds:
    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(8)}"


def isoformat_z(moment: datetime) -> str:
    """RFC 3339 with a ``Z``: the one timestamp format written into ledger entries."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
