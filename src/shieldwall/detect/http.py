"""HTTP routes of detect, under /api/v1/detect. Every route goes through the door.

| route | capability |
|---|---|
| ``GET /incidents?min_level=&host=&technique=&priority=&run_id=&limit=&cursor=`` | ``detect.incidents.list`` |
| ``GET /incidents/{id}?alerts_limit=`` | ``detect.incidents.get`` |
| ``POST /runs`` (JSON body: the ``detect.run`` request) | ``detect.run`` |
"""  # noqa: E501

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from shieldwall.core.errors import InputError
from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal

MAX_RUN_BODY = 1 << 20

router = APIRouter(prefix="/api/v1/detect", tags=["detect"])

DoorDep = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]


@router.get("/incidents", summary="Stored incidents with their triage, one page.")
def list_incidents(
    gate: DoorDep,
    who: Who,
    min_level: Annotated[str | None, Query(max_length=16)] = None,
    host: Annotated[str | None, Query(max_length=255)] = None,
    technique: Annotated[str | None, Query(max_length=16)] = None,
    priority: Annotated[str | None, Query(max_length=2)] = None,
    run_id: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int | None, Query(ge=1, le=500)] = None,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
) -> Any:
    given = {
        "min_level": min_level,
        "host": host,
        "technique": technique,
        "priority": priority,
        "run_id": run_id,
        "limit": limit,
        "cursor": cursor,
    }
    payload = {k: v for k, v in given.items() if v is not None}
    return gate.invoke("detect.incidents.list", payload, who).result


@router.get("/incidents/{incident_id}", summary="One incident with its alerts and evidence.")
def get_incident(
    incident_id: Annotated[str, Path(max_length=64)],
    gate: DoorDep,
    who: Who,
    alerts_limit: Annotated[int | None, Query(ge=0, le=1000)] = None,
) -> Any:
    payload: dict[str, Any] = {"id": incident_id}
    if alerts_limit is not None:
        payload["alerts_limit"] = alerts_limit
    return gate.invoke("detect.incidents.get", payload, who).result


@router.post("/runs", status_code=201, summary="Run detection (the detect.run capability).")
async def post_run(request: Request, gate: DoorDep, who: Who) -> Any:
    raw = await request.body()
    if len(raw) > MAX_RUN_BODY:
        raise InputError("the request is too large", code="detect.too_large")
    try:
        payload: Any = json.loads(raw or b"{}")
    except (ValueError, RecursionError) as exc:
        raise InputError("the body is not JSON", code="detect.bad_json") from exc
    if not isinstance(payload, dict):
        raise InputError("the body must be a JSON object", code="detect.bad_json")
    invocation = await run_in_threadpool(gate.invoke, "detect.run", payload, who)
    return invocation.result
