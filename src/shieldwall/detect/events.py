"""The normalized event: what every reader produces and the engine will match.

An event keeps where it came from (file, zip member, record number or line) so that every alert
can point back to its evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class LogFormat(StrEnum):
    """The input formats the readers understand (detected by content)."""

    EVTX = "evtx"
    JSON = "json"
    SYSLOG = "syslog"
    WEB_ACCESS = "web_access"


@dataclass(frozen=True, slots=True, kw_only=True)
class LogSource:
    """A Sigma logsource: which rules may apply to an event."""

    product: str | None = None
    service: str | None = None
    category: str | None = None

    def to_json(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("product", self.product),
                ("service", self.service),
                ("category", self.category),
            )
            if v
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSource:
    """Where an event was read: a file, a member of a zip, and a record number or line."""

    file: str
    record: int
    member: str | None = None

    @property
    def location(self) -> str:
        where = f"{self.file}!{self.member}" if self.member else self.file
        return f"{where}:{self.record}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "record": self.record}
        if self.member:
            out["member"] = self.member
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One normalized log event. ``fields`` is flat: nested input becomes dotted keys."""

    timestamp: datetime | None
    host: str | None
    format: LogFormat
    logsource: LogSource
    source: EventSource
    channel: str | None = None
    event_id: int | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "host": self.host,
            "format": str(self.format),
            "logsource": self.logsource.to_json(),
            "channel": self.channel,
            "event_id": self.event_id,
            "source": self.source.to_json(),
            "fields": dict(self.fields),
        }


def flatten(value: Mapping[str, Any], *, prefix: str = "", max_depth: int = 32) -> dict[str, Any]:
    """Nested mappings to dotted keys (``{"a": {"b": 1}}`` -> ``{"a.b": 1}``). Lists are kept
    as lists, with their mappings flattened; nesting deeper than ``max_depth`` is kept as is."""
    out: dict[str, Any] = {}
    _flatten_into(out, value, prefix, max_depth)
    return out


def _flatten_into(out: dict[str, Any], value: Mapping[str, Any], prefix: str, depth: int) -> None:
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, Mapping) and item and depth > 0:
            _flatten_into(out, item, f"{name}.", depth - 1)
        elif isinstance(item, list) and depth > 0:
            out[name] = [
                flatten(v, max_depth=depth - 1) if isinstance(v, Mapping) else v for v in item
            ]
        else:
            out[name] = item
