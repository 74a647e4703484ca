"""Progress of an investigation, streamed while it runs: to the CLI (rich lines on stderr) and
to HTTP clients (server-sent events).

The door runs ``agent.investigate`` like any capability, so a front end cannot hand its handler
a callback in the request. It sets :data:`progress_sink` around the door call instead (as
``detect`` does with its progress hook); the handler runs in the same thread and context.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class EventKind(StrEnum):
    STARTED = "started"
    PLAN = "plan"
    MODEL_TURN = "model_turn"
    TOOL_CALL = "tool_call"
    TOOL_RESULT = "tool_result"
    GUARD = "guard"
    PROPOSAL = "proposal"
    NOTE = "note"
    REPORT = "report"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgressEvent:
    """One step of an investigation. ``seq`` counts from 1 within the investigation."""

    kind: EventKind
    investigation: str
    seq: int
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "investigation": self.investigation,
            "seq": self.seq,
            **dict(self.data),
        }


class ProgressSink(Protocol):
    """Where progress goes. ``cancelled`` lets a front end stop an investigation between steps
    (an HTTP client that went away)."""

    def emit(self, event: ProgressEvent) -> None: ...

    def cancelled(self) -> bool: ...


progress_sink: ContextVar[ProgressSink | None] = ContextVar("agent_progress_sink", default=None)


class CollectingSink:
    """Keeps every event in memory: for tests and for callers that want the list afterwards."""

    def __init__(self) -> None:
        self.events: list[ProgressEvent] = []
        self.stop = False

    def emit(self, event: ProgressEvent) -> None:
        self.events.append(event)

    def cancelled(self) -> bool:
        return self.stop

    def kinds(self) -> list[str]:
        return [str(e.kind) for e in self.events]
