"""The capability registry: every capability a user can invoke, by id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from shieldwall.core.errors import InternalError
from shieldwall.core.types import Capability


class CapabilityRegistry:
    def __init__(self, capabilities: Iterable[Capability[Any]] = ()) -> None:
        self._caps: dict[str, Capability[Any]] = {}
        for cap in capabilities:
            self.register(cap)

    def register(self, capability: Capability[Any]) -> None:
        if capability.id in self._caps:
            raise InternalError(
                f"capability {capability.id!r} is registered twice",
                code="gateway.duplicate_capability",
            )
        self._caps[capability.id] = capability

    def get(self, capability_id: str) -> Capability[Any] | None:
        return self._caps.get(capability_id)

    def __iter__(self) -> Iterator[Capability[Any]]:
        return iter(sorted(self._caps.values(), key=lambda c: c.id))

    def __len__(self) -> int:
        return len(self._caps)
