"""Detection results in SQL: runs, incidents with their triage, and alerts with their evidence.

Portable SQLAlchemy Core over the ``detect_*`` tables (SQLite and PostgreSQL alike). Every row
belongs to an owner (the principal who ran the detection) and, when it has one, their
organisation; a reader sees their own rows and their organisation's, and the local owner sees
everything (:func:`visible_to`).

An incident's id is a digest of its alerts, so saving the same incident again (a rerun over the
same logs) updates its row rather than adding a copy; ``run_id`` names the last run that saw it.
Listing is keyset-paged in (score descending, owner, id) order — no OFFSET, constant cost per
page — and filters by minimum level, host, ATT&CK technique (a parent id matches its
sub-techniques), priority and run.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    RowMapping,
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from shieldwall.core.clock import Clock, IdFactory, RandomIds, SystemClock
from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.core.types import Principal, PrincipalKind
from shieldwall.detect.alerts import Level
from shieldwall.detect.incidents import alert_id, utc
from shieldwall.detect.triage import TriagedIncident
from shieldwall.store.schema import (
    detect_alert,
    detect_incident,
    detect_incident_host,
    detect_incident_technique,
    detect_run,
)

DEFAULT_PAGE = 50
MAX_PAGE = 500
#: Alerts stored per incident; the count is always exact, the evidence beyond it is not kept.
MAX_STORED_ALERTS = 1000
DEFAULT_ALERTS_SHOWN = 200


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_default, separators=(",", ":"))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _iso(moment: datetime | None) -> str | None:
    at = utc(moment)
    return at.isoformat().replace("+00:00", "Z") if at else None


def _cut(text: str | None, limit: int) -> str | None:
    return None if text is None else text[:limit]


@dataclass(frozen=True, slots=True, kw_only=True)
class Viewer:
    """Whose rows a reader may see: ``everything`` (the local owner), or their own
    (``principal``) and their organisation's (``org``)."""

    principal: str
    org: str | None = None
    everything: bool = False


def visible_to(who: Principal) -> Viewer:
    return Viewer(principal=who.id, org=who.org, everything=who.kind is PrincipalKind.OWNER)


def _visible(table: Table, viewer: Viewer | None) -> ColumnElement[bool]:
    if viewer is None or viewer.everything:
        return true()
    mine: ColumnElement[bool] = table.c.owner == viewer.principal
    if viewer.org:
        return or_(mine, table.c.owner_org == viewer.org)
    return mine


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecord:
    id: str
    owner: str
    owner_org: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None
    paths: tuple[str, ...]
    rules_loaded: int
    rules_failed: int
    events: int
    alerts: int
    incidents: int
    error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "started_at": _iso(self.started_at),
            "finished_at": _iso(self.finished_at),
            "paths": list(self.paths),
            "rules_loaded": self.rules_loaded,
            "rules_failed": self.rules_failed,
            "events": self.events,
            "alerts": self.alerts,
            "incidents": self.incidents,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Cursor:
    score: int
    owner: str
    id: str

    def token(self) -> str:
        raw = _json([self.score, self.owner, self.id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Cursor:
        bad = InputError(
            "the cursor is not valid",
            code="detect.bad_cursor",
            location="cursor",
            hint="Pass the 'next' value of the previous page unchanged.",
        )
        if len(token) > 400:
            raise bad
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            value = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise bad from err
        if (
            not isinstance(value, list)
            or len(value) != 3
            or not isinstance(value[0], int)
            or isinstance(value[0], bool)
            or not all(isinstance(v, str) for v in value[1:])
        ):
            raise bad
        return cls(score=value[0], owner=value[1], id=value[2])


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentQuery:
    min_level: Level | None = None
    host: str | None = None
    #: A technique id; a parent (``T1003``) matches its sub-techniques too.
    technique: str | None = None
    priority: str | None = None
    run_id: str | None = None
    limit: int = DEFAULT_PAGE
    after: Cursor | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IncidentPage:
    incidents: list[dict[str, Any]]
    next: str | None

    def to_json(self) -> dict[str, Any]:
        return {"incidents": self.incidents, "next": self.next, "more": self.next is not None}


class DetectRepository:
    """Runs, incidents and alerts of detection, in the store."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        ids: IdFactory | None = None,
        max_stored_alerts: int = MAX_STORED_ALERTS,
    ) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self._ids = ids or RandomIds()
        self._max_alerts = max_stored_alerts

    # -- runs --------------------------------------------------------------------------------
    def start_run(
        self,
        *,
        owner: str,
        owner_org: str | None = None,
        paths: Sequence[str] = (),
        rules_loaded: int = 0,
        rules_failed: int = 0,
    ) -> RunRecord:
        """Record a run as started (status ``running``)."""
        run_id = self._ids.new_id("run")
        with self._engine.begin() as conn:
            conn.execute(
                insert(detect_run).values(
                    id=run_id,
                    owner=owner,
                    owner_org=owner_org,
                    status="running",
                    started_at=self._clock.now(),
                    finished_at=None,
                    paths=_json(list(paths)),
                    rules_loaded=rules_loaded,
                    rules_failed=rules_failed,
                    events=0,
                    alerts=0,
                    incidents=0,
                    error=None,
                )
            )
        return self.get_run(run_id)

    def finish_run(
        self,
        run_id: str,
        *,
        events: int,
        alerts: int,
        incidents: int,
        rules_loaded: int | None = None,
        rules_failed: int | None = None,
        status: str = "done",
        error: str | None = None,
    ) -> RunRecord:
        """Record a run's end: ``done``, or ``failed`` with ``error``."""
        if status not in ("done", "failed"):
            raise InputError(f"a run ends done or failed, not {status!r}", code="detect.status")
        values: dict[str, Any] = {
            "status": status,
            "finished_at": self._clock.now(),
            "events": events,
            "alerts": alerts,
            "incidents": incidents,
            "error": error,
        }
        if rules_loaded is not None:
            values["rules_loaded"] = rules_loaded
        if rules_failed is not None:
            values["rules_failed"] = rules_failed
        with self._engine.begin() as conn:
            done = conn.execute(update(detect_run).where(detect_run.c.id == run_id).values(values))
            if done.rowcount == 0:
                raise NotFoundError(f"no detection run {run_id!r}", code="detect.no_run")
        return self.get_run(run_id)

    def get_run(self, run_id: str, *, viewer: Viewer | None = None) -> RunRecord:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(detect_run).where(detect_run.c.id == run_id, _visible(detect_run, viewer))
            ).first()
        if row is None:
            raise NotFoundError(f"no detection run {run_id!r}", code="detect.no_run")
        return _run(row._mapping)

    def list_runs(self, *, viewer: Viewer | None = None, limit: int = 20) -> list[RunRecord]:
        """The newest runs first."""
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(detect_run)
                .where(_visible(detect_run, viewer))
                .order_by(detect_run.c.started_at.desc(), detect_run.c.id)
                .limit(max(1, min(limit, MAX_PAGE)))
            ).all()
        return [_run(r._mapping) for r in rows]

    # -- incidents ---------------------------------------------------------------------------
    def save_incidents(
        self,
        run_id: str,
        incidents: Iterable[TriagedIncident],
        *,
        owner: str,
        owner_org: str | None = None,
    ) -> int:
        """Store (or update) each incident with its triage and alerts, in one transaction.
        Returns how many were saved."""
        now = self._clock.now()
        saved = 0
        with self._engine.begin() as conn:
            for item in incidents:
                inc, tri = item.incident, item.triage
                key = (detect_incident.c.owner == owner) & (detect_incident.c.id == inc.id)
                values: dict[str, Any] = {
                    "owner_org": owner_org,
                    "run_id": run_id,
                    "title": inc.title[:500],
                    "first_seen": utc(inc.first_seen),
                    "last_seen": utc(inc.last_seen),
                    "level": int(inc.level),
                    "score": inc.score,
                    "priority": str(tri.priority),
                    "alert_count": len(inc.alerts),
                    "summary": _json(inc.summary_json()),
                    "triage": _json(tri.to_json()),
                    "updated_at": now,
                }
                found = conn.execute(select(detect_incident.c.id).where(key)).first()
                if found is None:
                    conn.execute(
                        insert(detect_incident).values(
                            owner=owner, id=inc.id, created_at=now, **values
                        )
                    )
                else:
                    conn.execute(update(detect_incident).where(key).values(values))
                for child in (detect_incident_host, detect_incident_technique, detect_alert):
                    conn.execute(
                        delete(child).where(child.c.owner == owner, child.c.incident_id == inc.id)
                    )
                hosts = {h.lower()[:255] for h in inc.hosts}
                if hosts:
                    conn.execute(
                        insert(detect_incident_host),
                        [{"owner": owner, "incident_id": inc.id, "host": h} for h in hosts],
                    )
                techniques = {t[:16] for t in inc.techniques}
                if techniques:
                    conn.execute(
                        insert(detect_incident_technique),
                        [
                            {"owner": owner, "incident_id": inc.id, "technique": t}
                            for t in techniques
                        ],
                    )
                rows = []
                seen: set[str] = set()
                for alert in inc.alerts[: self._max_alerts]:
                    aid = alert_id(alert)
                    if aid in seen:
                        continue
                    seen.add(aid)
                    rows.append(
                        {
                            "owner": owner,
                            "incident_id": inc.id,
                            "id": aid,
                            "run_id": run_id,
                            "rule_id": alert.rule.id[:200],
                            "level": int(alert.rule.level),
                            "timestamp": utc(alert.timestamp),
                            "host": _cut(alert.host, 255),
                            "body": _json(alert.to_json() | {"id": aid}),
                        }
                    )
                if rows:
                    conn.execute(insert(detect_alert), rows)
                saved += 1
        return saved

    def list_incidents(self, query: IncidentQuery, *, viewer: Viewer | None = None) -> IncidentPage:
        """One page of incident summaries (with triage), highest score first."""
        limit = max(1, min(query.limit, MAX_PAGE))
        inc = detect_incident
        where: list[ColumnElement[bool]] = [_visible(inc, viewer)]
        if query.min_level is not None:
            where.append(inc.c.level >= int(query.min_level))
        if query.priority is not None:
            where.append(inc.c.priority == query.priority.upper())
        if query.run_id is not None:
            where.append(inc.c.run_id == query.run_id)
        if query.host:
            h = detect_incident_host
            where.append(
                exists().where(
                    h.c.owner == inc.c.owner,
                    h.c.incident_id == inc.c.id,
                    h.c.host == query.host.strip().lower(),
                )
            )
        if query.technique:
            tid = query.technique.strip().upper()
            t = detect_incident_technique
            match = t.c.technique == tid
            if "." not in tid:
                match = or_(match, t.c.technique.like(f"{tid}.%"))
            where.append(
                exists().where(t.c.owner == inc.c.owner, t.c.incident_id == inc.c.id, match)
            )
        if query.after is not None:
            a = query.after
            where.append(
                or_(
                    inc.c.score < a.score,
                    and_(
                        inc.c.score == a.score,
                        or_(inc.c.owner > a.owner, and_(inc.c.owner == a.owner, inc.c.id > a.id)),
                    ),
                )
            )
        stmt = (
            select(inc)
            .where(and_(*where))
            .order_by(inc.c.score.desc(), inc.c.owner, inc.c.id)
            .limit(limit + 1)
        )
        with self._engine.connect() as conn:
            rows = [r._mapping for r in conn.execute(stmt).all()]
        more = len(rows) > limit
        rows = rows[:limit]
        token = None
        if more and rows:
            last = rows[-1]
            token = Cursor(score=last["score"], owner=last["owner"], id=last["id"]).token()
        return IncidentPage(incidents=[_incident(r) for r in rows], next=token)

    def get_incident(
        self,
        incident_id: str,
        *,
        viewer: Viewer | None = None,
        alerts_limit: int = DEFAULT_ALERTS_SHOWN,
    ) -> dict[str, Any]:
        """One incident with its triage and (up to ``alerts_limit``) alerts in time order."""
        inc = detect_incident
        with self._engine.connect() as conn:
            row = conn.execute(
                select(inc)
                .where(inc.c.id == incident_id, _visible(inc, viewer))
                .order_by(inc.c.updated_at.desc(), inc.c.owner)
                .limit(1)
            ).first()
            if row is None:
                raise NotFoundError(
                    f"no incident {incident_id!r}",
                    code="detect.no_incident",
                    hint="List incidents with GET /api/v1/detect/incidents.",
                )
            m = row._mapping
            al = detect_alert
            owned = (al.c.owner == m["owner"]) & (al.c.incident_id == incident_id)
            stored = conn.execute(select(func.count()).select_from(al).where(owned)).scalar_one()
            bodies = conn.execute(
                select(al.c.body)
                .where(owned)
                .order_by(al.c.timestamp.is_(None), al.c.timestamp, al.c.id)
                .limit(max(0, alerts_limit))
            ).scalars()
            alerts = [json.loads(b) for b in bodies]
        out = _incident(m)
        out["alerts"] = alerts
        out["alerts_stored"] = int(stored)
        out["alerts_truncated"] = len(alerts) < out["alert_count"]
        return out


def _run(m: RowMapping) -> RunRecord:
    return RunRecord(
        id=m["id"],
        owner=m["owner"],
        owner_org=m["owner_org"],
        status=m["status"],
        started_at=utc(m["started_at"]) or m["started_at"],
        finished_at=utc(m["finished_at"]),
        paths=tuple(json.loads(m["paths"])),
        rules_loaded=m["rules_loaded"],
        rules_failed=m["rules_failed"],
        events=m["events"],
        alerts=m["alerts"],
        incidents=m["incidents"],
        error=m["error"],
    )


def _incident(m: RowMapping) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(m["summary"])
    summary.update(
        {
            "id": m["id"],
            "run_id": m["run_id"],
            "level": str(Level(m["level"])),
            "score": m["score"],
            "alert_count": m["alert_count"],
            "priority": m["priority"],
            "triage": json.loads(m["triage"]) if m["triage"] else None,
            "updated_at": _iso(m["updated_at"]),
        }
    )
    return summary
