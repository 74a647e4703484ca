"""Alerts grouped into incidents, and the noise controls applied before grouping.

Grouping (:func:`group_alerts`): two alerts belong to the same incident when they share a host
or a user and the later one comes at most ``window`` (default 30 minutes) after the previous
alert of that host or user. The links are transitive, so an incident is a connected chain of
activity: a user's logon on host A, then a process on A, then the same user on host B, is one
incident. Built-in service principals (SYSTEM, LOCAL SERVICE, root, ...) link nothing by user:
they exist on every machine and would join unrelated hosts. Alerts without a time cannot be
placed in a window; they make one incident per host.

Every incident has a deterministic id (a digest of its alerts' identities), so the same logs
give the same ids, run after run.

The score ranks incidents: ``level weight x distinct rules x technique breadth``, where the
weight is 1, 2, 4, 8, 16 for informational .. critical (the highest level in the incident) and
the breadth is the number of distinct ATT&CK techniques (at least 1).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from typing import Any

from shieldwall.core.errors import InputError
from shieldwall.detect.alerts import Alert, Level, RuleInfo
from shieldwall.detect.attack import Attack, load_attack

DEFAULT_WINDOW = timedelta(minutes=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

LEVEL_WEIGHT: Mapping[Level, int] = {
    Level.INFORMATIONAL: 1,
    Level.LOW: 2,
    Level.MEDIUM: 4,
    Level.HIGH: 8,
    Level.CRITICAL: 16,
}

#: Accounts that exist on every machine: they never link alerts across hosts.
SERVICE_ACCOUNTS: frozenset[str] = frozenset(
    {
        "system", "nt authority\\system", "local service", "nt authority\\local service",
        "network service", "nt authority\\network service", "anonymous logon",
        "nt authority\\anonymous logon", "local system", "localsystem", "root", "-", "n/a",
        "null", "none", "unknown", "",
    }
)  # fmt: skip


def utc(moment: datetime | None) -> datetime | None:
    """An aware UTC datetime (a naive one is taken to be UTC already)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def alert_id(alert: Alert) -> str:
    """A stable id for one alert: its rule, its evidence's location and its time."""
    parts = [
        alert.rule.id,
        alert.source.file,
        alert.source.member or "",
        str(alert.source.record),
        _iso(alert.timestamp),
        *(r.location for r in alert.related),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"al_{digest[:24]}"


def _iso(moment: datetime | None) -> str:
    at = utc(moment)
    return at.isoformat() if at else ""


def _norm_user(user: str | None) -> str | None:
    if user is None:
        return None
    key = user.strip().lower()
    return None if key in SERVICE_ACCOUNTS else key


def _norm_host(host: str | None) -> str | None:
    if host is None:
        return None
    key = host.strip().lower()
    return key or None


# -- noise control ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AllowEntry:
    """An allow-list entry: an alert is suppressed when every condition holds.

    A condition is ``field=value``; ``field`` is an evidence field of the alert (case-sensitive
    name, as in the rule) or one of ``rule_id``, ``rule``, ``host``, ``user``, ``level``.
    ``value`` matches case-insensitively, with ``*`` and ``?`` wildcards; a list-valued field
    matches when any item does.
    """

    conditions: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, spec: str) -> AllowEntry:
        """``"Image=C:\\Tools\\backup.exe;User=svc_backup"``: conditions separated by ``;``."""
        conditions: list[tuple[str, str]] = []
        for n, part in enumerate(p for p in spec.split(";") if p.strip()):
            name, sep, value = part.partition("=")
            if not sep or not name.strip():
                raise InputError(
                    f"allow-list entry {spec!r}: condition {n + 1} is not field=value",
                    code="detect.bad_allow",
                    location=f"allow[{n}]",
                    hint="Write conditions as field=value, separated by ';', "
                    "e.g. Image=*\\backup.exe;User=svc_backup",
                )
            conditions.append((name.strip(), value.strip()))
        if not conditions:
            raise InputError(
                "an allow-list entry needs at least one field=value condition",
                code="detect.bad_allow",
            )
        return cls(conditions=tuple(conditions))

    def matches(self, alert: Alert) -> bool:
        return all(_condition_holds(alert, name, value) for name, value in self.conditions)

    def __str__(self) -> str:
        return ";".join(f"{k}={v}" for k, v in self.conditions)


def _condition_holds(alert: Alert, name: str, pattern: str) -> bool:
    special: dict[str, Any] = {
        "rule_id": alert.rule.id,
        "rule": alert.rule.title,
        "host": alert.host,
        "user": alert.user,
        "level": str(alert.rule.level),
    }
    value = special[name] if name in special else alert.fields.get(name)
    if value is None:
        return False
    wanted = pattern.lower()
    items = value if isinstance(value, list | tuple) else [value]
    return any(fnmatchcase(str(item).lower(), wanted) for item in items)


@dataclass(frozen=True, slots=True, kw_only=True)
class NoiseFilter:
    """Which alerts are kept: at least ``min_level``, a rule status in ``statuses`` (None: any),
    a rule not in ``exclude_rules``, and no allow-list entry matching."""

    min_level: Level = Level.INFORMATIONAL
    statuses: frozenset[str] | None = None
    exclude_rules: frozenset[str] = frozenset()
    allow: tuple[AllowEntry, ...] = ()

    def keeps(self, alert: Alert) -> bool:
        rule = alert.rule
        if rule.level < self.min_level or rule.id in self.exclude_rules:
            return False
        if self.statuses is not None and (rule.status or "") not in self.statuses:
            return False
        return not any(entry.matches(alert) for entry in self.allow)

    def apply(self, alerts: Iterable[Alert], stats: NoiseStats | None = None) -> Iterator[Alert]:
        for alert in alerts:
            if self.keeps(alert):
                if stats is not None:
                    stats.kept += 1
                yield alert
            elif stats is not None:
                stats.dropped += 1


@dataclass(slots=True)
class NoiseStats:
    kept: int = 0
    dropped: int = 0


# -- incidents -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleCount:
    rule: RuleInfo
    alerts: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.rule.id,
            "title": self.rule.title,
            "level": str(self.rule.level),
            "status": self.rule.status,
            "alerts": self.alerts,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Incident:
    """Alerts that belong together, with what they say as a whole."""

    id: str
    first_seen: datetime | None
    last_seen: datetime | None
    hosts: tuple[str, ...]
    users: tuple[str, ...]
    level: Level
    score: int
    #: Distinct rules, highest level first, with how many alerts each raised.
    rules: tuple[RuleCount, ...]
    #: Canonical (ATT&CK v19) technique ids and tactic short names, in matrix order.
    techniques: tuple[str, ...]
    tactics: tuple[str, ...]
    #: In time order (alerts without a time last).
    alerts: tuple[Alert, ...] = field(repr=False)

    @property
    def title(self) -> str:
        top = self.rules[0].rule.title if self.rules else "alerts"
        more = len(self.rules) - 1
        where = ", ".join(self.hosts[:2]) or "an unknown host"
        if len(self.hosts) > 2:
            where += f" and {len(self.hosts) - 2} more"
        suffix = f" (+{more} more rule{'s' if more != 1 else ''})" if more > 0 else ""
        return f"{top}{suffix} on {where}"

    def summary_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "first_seen": _iso(self.first_seen) or None,
            "last_seen": _iso(self.last_seen) or None,
            "hosts": list(self.hosts),
            "users": list(self.users),
            "level": str(self.level),
            "score": self.score,
            "alert_count": len(self.alerts),
            "rules": [r.to_json() for r in self.rules],
            "techniques": list(self.techniques),
            "tactics": list(self.tactics),
        }

    def to_json(self) -> dict[str, Any]:
        out = self.summary_json()
        out["alerts"] = [a.to_json() | {"id": alert_id(a)} for a in self.alerts]
        return out


def score(level: Level, rule_count: int, technique_count: int) -> int:
    return LEVEL_WEIGHT[level] * max(1, rule_count) * max(1, technique_count)


class _Links:
    """Union-find over alert indexes."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_alerts(
    alerts: Iterable[Alert],
    *,
    window: timedelta = DEFAULT_WINDOW,
    attack: Attack | None = None,
) -> list[Incident]:
    """Incidents from ``alerts`` (see the module docstring), highest score first."""
    if window < timedelta(0):
        raise InputError("the incident window cannot be negative", code="detect.bad_window")
    table = attack or load_attack()
    timed: list[tuple[datetime, str, Alert]] = []
    untimed: dict[str | None, list[_Member]] = {}
    for alert in alerts:
        at = utc(alert.timestamp)
        if at is None:
            untimed.setdefault(_norm_host(alert.host), []).append((None, alert_id(alert), alert))
        else:
            timed.append((at, alert_id(alert), alert))
    timed.sort(key=lambda item: (item[0], item[1]))

    links = _Links(len(timed))
    last: dict[str, tuple[datetime, int]] = {}
    for i, (at, _aid, alert) in enumerate(timed):
        keys = []
        host = _norm_host(alert.host)
        if host is not None:
            keys.append(f"h:{host}")
        user = _norm_user(alert.user)
        if user is not None:
            keys.append(f"u:{user}")
        for key in keys:
            seen = last.get(key)
            if seen is not None and at - seen[0] <= window:
                links.join(i, seen[1])
            last[key] = (at, i)

    groups: dict[int, list[_Member]] = {}
    for i, member in enumerate(timed):
        groups.setdefault(links.find(i), []).append(member)  # stays in time order
    incidents = [_incident(members, table) for members in groups.values()]
    incidents.extend(
        _incident(sorted(members, key=lambda m: m[1]), table) for members in untimed.values()
    )
    incidents.sort(
        key=lambda inc: (-inc.score, inc.first_seen is None, inc.first_seen or _EPOCH, inc.id)
    )
    return incidents


_Member = tuple[datetime | None, str, Alert]


def _incident(members: Sequence[_Member], table: Attack) -> Incident:
    """One incident from its members, given in order (time, then alert id)."""
    ordered = [alert for _at, _aid, alert in members]
    times = [at for at, _aid, _alert in members if at is not None]
    counts: dict[str, int] = {}
    rules: dict[str, RuleInfo] = {}
    for alert in ordered:
        counts[alert.rule.id] = counts.get(alert.rule.id, 0) + 1
        rules.setdefault(alert.rule.id, alert.rule)
    rule_counts = sorted(
        (RuleCount(rule=rules[rid], alerts=n) for rid, n in counts.items()),
        key=lambda rc: (-int(rc.rule.level), -rc.alerts, rc.rule.title, rc.rule.id),
    )
    techniques: dict[str, None] = {}
    tactic_names: list[str] = []
    for rule in rules.values():
        for tid in rule.techniques:
            found = table.technique(tid)
            techniques[found.id_19 if found else tid.upper()] = None
        tactic_names.extend(rule.tactics)
    tactic_names.extend(table.tactics_of(techniques))
    level = max((r.level for r in rules.values()), default=Level.INFORMATIONAL)
    digest = hashlib.sha256("\n".join(sorted(aid for _at, aid, _a in members)).encode()).hexdigest()
    return Incident(
        id=f"inc_{digest[:24]}",
        first_seen=times[0] if times else None,
        last_seen=times[-1] if times else None,
        hosts=_distinct(a.host for a in ordered),
        users=_distinct(a.user for a in ordered),
        level=level,
        score=score(level, len(rules), len(techniques)),
        rules=tuple(rule_counts),
        techniques=tuple(sorted(techniques, key=_technique_sort_key)),
        tactics=table.ordered(tactic_names),
        alerts=tuple(ordered),
    )


def _technique_sort_key(tid: str) -> tuple[int, int]:
    m = re.match(r"^T(\d{4})(?:\.(\d{3}))?$", tid)
    if m is None:
        return (10_000, 0)
    return (int(m.group(1)), int(m.group(2) or 0))


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        if value and value.strip():
            seen.setdefault(value.strip().lower(), value.strip())
    return tuple(seen.values())
