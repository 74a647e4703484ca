"""Small builders of detect alerts for tests: rules and alerts constructed directly, the way
the engine makes them, with only what a test cares about spelled out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shieldwall.detect.alerts import Alert, Level, RuleInfo, attack_from_tags
from shieldwall.detect.events import EventSource

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def rule(
    rule_id: str,
    *,
    title: str | None = None,
    level: Level = Level.MEDIUM,
    tags: tuple[str, ...] = (),
    status: str | None = "test",
    description: str | None = None,
    falsepositives: tuple[str, ...] = (),
) -> RuleInfo:
    techniques, tactics = attack_from_tags(tags)
    return RuleInfo(
        id=rule_id,
        title=title or f"Rule {rule_id}",
        level=level,
        status=status,
        description=description,
        tags=tags,
        techniques=techniques,
        tactics=tactics,
        falsepositives=falsepositives,
    )


_records = iter(range(1, 10_000_000))


def alert(
    r: RuleInfo,
    minutes: float | None = 0,
    *,
    host: str | None = "WS01",
    user: str | None = None,
    file: str = "/logs/Security.evtx",
    record: int | None = None,
    **fields: Any,
) -> Alert:
    return Alert(
        rule=r,
        timestamp=None if minutes is None else T0 + timedelta(minutes=minutes),
        host=host,
        user=user,
        source=EventSource(file=file, record=record if record is not None else next(_records)),
        fields=fields,
    )
