"""The capabilities that read stored detection results: incidents, one page or one at a time.

Tier 1 (a verified individual) by policy; each reader sees only the incidents of runs they or
their organisation started (the local owner sees all), so one user's log evidence never reaches
another. Registered in ``runtime.py`` with ``*results_capabilities(engine)``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from shieldwall.core.clock import Clock
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, Tier
from shieldwall.detect.alerts import Level
from shieldwall.detect.repository import (
    DEFAULT_ALERTS_SHOWN,
    DEFAULT_PAGE,
    MAX_PAGE,
    Cursor,
    DetectRepository,
    IncidentQuery,
    visible_to,
)

LevelName = Literal["informational", "low", "medium", "high", "critical"]


class IncidentsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_level: LevelName | None = Field(default=None, description="Only incidents this severe.")
    host: str | None = Field(default=None, min_length=1, max_length=255)
    technique: str | None = Field(
        default=None,
        pattern=r"^[Tt]\d{4}(?:\.\d{3})?$",
        description="An ATT&CK technique id; a parent id matches its sub-techniques.",
    )
    priority: Literal["P1", "P2", "P3", "P4"] | None = None
    run_id: str | None = Field(default=None, min_length=1, max_length=32)
    limit: int = Field(default=DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(default=None, min_length=1, max_length=400)


class IncidentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^inc_[0-9a-f]{24}$", description="The incident's id.")
    alerts_limit: int = Field(default=DEFAULT_ALERTS_SHOWN, ge=0, le=1000)


def results_capabilities(engine: Engine, *, clock: Clock | None = None) -> list[Capability[Any]]:
    repo = DetectRepository(engine, clock=clock)

    def list_incidents(req: IncidentsRequest, ctx: InvocationContext) -> dict[str, Any]:
        query = IncidentQuery(
            min_level=Level.parse(req.min_level) if req.min_level else None,
            host=req.host,
            technique=req.technique,
            priority=req.priority,
            run_id=req.run_id,
            limit=req.limit,
            after=Cursor.parse(req.cursor) if req.cursor else None,
        )
        return repo.list_incidents(query, viewer=visible_to(ctx.principal)).to_json()

    def get_incident(req: IncidentRequest, ctx: InvocationContext) -> dict[str, Any]:
        return repo.get_incident(
            req.id, viewer=visible_to(ctx.principal), alerts_limit=req.alerts_limit
        )

    return [
        Capability(
            id=CapabilityId("detect.incidents.list"),
            description="List stored incidents with their triage, highest score first, "
            "filtered by minimum level, host, ATT&CK technique, priority or run; keyset-paged "
            "(pass `next` back as `cursor`). You see your own and your organisation's.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=IncidentsRequest,
            handler=list_incidents,
        ),
        Capability(
            id=CapabilityId("detect.incidents.get"),
            description="One stored incident: its triage, rules, ATT&CK mapping and alerts "
            "with their evidence.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=IncidentRequest,
            handler=get_incident,
        ),
    ]
