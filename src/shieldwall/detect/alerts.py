"""What a detection run produces: alerts (a rule matched events) and the rule facts they carry.

The engine makes :class:`Alert` values; incidents, triage and every output format read them.
Plain frozen dataclasses: the JSON shape at the edges is ``to_json``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum
from typing import Any

from shieldwall.detect.events import EventSource


class Level(IntEnum):
    """Sigma levels, ordered so that ``--min-level`` is a comparison."""

    INFORMATIONAL = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, text: str | None) -> Level:
        if not text:
            return cls.INFORMATIONAL
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"unknown level {text!r}: use one of {names}") from None

    def __str__(self) -> str:
        return self.name.lower()


_TECHNIQUE = re.compile(r"^t\d{4}(?:\.\d{3})?$")


def attack_from_tags(tags: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(techniques, tactics) from Sigma tags: ``attack.t1003.001`` -> ``T1003.001``,
    ``attack.credential-access`` -> ``credential-access``. Group (gNNNN), software (sNNNN),
    data source, mitigation and campaign tags are neither. ATT&CK v19 tactic names
    (``stealth``, ``defense-impairment``) pass through as tactics; detect.attack names them."""
    techniques: list[str] = []
    tactics: list[str] = []
    for tag in tags:
        lowered = tag.lower()
        if not lowered.startswith("attack."):
            continue
        name = lowered.removeprefix("attack.")
        if _TECHNIQUE.match(name):
            techniques.append(name.upper())
        elif re.match(r"^(?:g|s|ds|m|c|ta)\d{4}$", name):  # groups, software, data sources...
            continue
        else:
            tactics.append(name.replace("_", "-"))
    return tuple(dict.fromkeys(techniques)), tuple(dict.fromkeys(tactics))


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleInfo:
    """The facts of a Sigma rule an alert reports (no matching logic)."""

    id: str
    title: str
    level: Level
    status: str | None = None
    description: str | None = None
    author: str | None = None
    path: str | None = None
    tags: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    tactics: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    falsepositives: tuple[str, ...] = ()
    #: "rule" for a detection rule, "correlation" for a Sigma correlation rule.
    kind: str = "rule"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": str(self.level),
            "status": self.status,
            "description": self.description,
            "author": self.author,
            "path": self.path,
            "tags": list(self.tags),
            "techniques": list(self.techniques),
            "tactics": list(self.tactics),
            "references": list(self.references),
            "falsepositives": list(self.falsepositives),
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Alert:
    """A rule matched: one event for a detection rule, the events of a window for a
    correlation rule (``related`` holds their sources, ``source`` the last one)."""

    rule: RuleInfo
    timestamp: datetime | None
    host: str | None
    source: EventSource
    user: str | None = None
    #: The evidence: the event's fields the rule looked at, plus the identifying ones.
    fields: Mapping[str, Any] = field(default_factory=dict)
    related: tuple[EventSource, ...] = ()
    #: For a correlation alert: the group-by values and the measured value (count, sum, ...).
    group: Mapping[str, Any] = field(default_factory=dict)

    @property
    def level(self) -> Level:
        return self.rule.level

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule.id,
            "rule_title": self.rule.title,
            "level": str(self.rule.level),
            "status": self.rule.status,
            "techniques": list(self.rule.techniques),
            "tactics": list(self.rule.tactics),
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "host": self.host,
            "user": self.user,
            "source": self.source.to_json(),
            "fields": dict(self.fields),
        }
        if self.rule.kind != "rule":
            out["kind"] = self.rule.kind
            out["related"] = [s.to_json() for s in self.related]
            out["group"] = dict(self.group)
        return out
