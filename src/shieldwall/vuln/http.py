"""HTTP routes of vuln (dependencies), under /api/v1/vuln. Every route goes through the door.

``POST /api/v1/vuln/scans?filename=poetry.lock&format=json`` takes the lockfile itself as the
body (any content type; its name says its format) and answers the scan as JSON, SARIF,
CycloneDX or OpenVEX; a body of ``application/json`` with ``{"roots": [...], "files": {...}}``
scans several files at once (a requirements file and the files it includes).
``POST /api/v1/vuln/fixes?filename=...`` answers the fix plan, the rewritten file and its diff.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from shieldwall.core.errors import InputError
from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal
from shieldwall.vuln.inventory import MAX_FILE_BYTES
from shieldwall.vuln.report import to_cyclonedx, to_openvex, to_sarif

router = APIRouter(prefix="/api/v1/vuln", tags=["vuln"])

DoorDep = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]
_MEDIA = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "cyclonedx": "application/vnd.cyclonedx+json",
    "openvex": "application/json",
}
_BODY = {
    "requestBody": {
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "text/plain": {"schema": {"type": "string"}},
        },
        "required": True,
    }
}


async def _files(request: Request, filename: str | None) -> tuple[list[str], dict[str, str]]:
    raw = await request.body()
    if len(raw) > MAX_FILE_BYTES:
        raise InputError("the upload is too large", code="vuln.upload.too_large")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" and filename is None:
        try:
            payload: Any = json.loads(raw)
        except ValueError as exc:
            raise InputError("the body is not JSON", code="vuln.upload.bad_json") from exc
        if not isinstance(payload, dict) or not isinstance(payload.get("files"), dict):
            raise InputError(
                'a JSON body is {"roots": [...], "files": {name: text}}',
                code="vuln.upload.bad_json",
                hint="Or send the lockfile itself with ?filename=NAME.",
            )
        roots = payload.get("roots") or list(payload["files"])[:1]
        return list(roots), dict(payload["files"])
    if not filename:
        raise InputError(
            "say which file this is with ?filename= (e.g. requirements.txt, poetry.lock)",
            code="vuln.upload.filename",
        )
    name = os.path.basename(filename.replace("\\", "/")) or "upload"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text", code="vuln.upload.encoding") from exc
    return [name], {name: text}


@router.post(
    "/scans",
    summary="Scan an uploaded manifest, lockfile or SBOM for known-vulnerable dependencies.",
    openapi_extra=_BODY,
)
async def post_scan(
    request: Request,
    gate: DoorDep,
    who: Who,
    filename: Annotated[str | None, Query(max_length=255)] = None,
    fmt: Annotated[str, Query(alias="format", pattern="^(json|sarif|cyclonedx|openvex)$")] = "json",
    offline: Annotated[bool, Query()] = True,
) -> Any:
    roots, files = await _files(request, filename)
    body = {"roots": roots, "files": files, "offline": offline}
    result = (await run_in_threadpool(gate.invoke, "vuln.scan", body, who)).result
    now = datetime.fromisoformat(result["scanned_at"])
    match fmt:
        case "sarif":
            doc = to_sarif(result)
        case "cyclonedx":
            doc = to_cyclonedx(result, now=now)
        case "openvex":
            doc = to_openvex(result, now=now)
        case _:
            doc = result
    return JSONResponse(doc, media_type=_MEDIA[fmt])


@router.post(
    "/fixes",
    summary="Plan upgrades for an uploaded manifest or lockfile: the rewritten file and its diff.",
    openapi_extra=_BODY,
)
async def post_fix(
    request: Request,
    gate: DoorDep,
    who: Who,
    filename: Annotated[str | None, Query(max_length=255)] = None,
    offline: Annotated[bool, Query()] = True,
) -> Any:
    roots, files = await _files(request, filename)
    body = {"root": roots[0], "files": files, "offline": offline}
    return (await run_in_threadpool(gate.invoke, "vuln.fix", body, who)).result


@router.get("/scans", summary="Your stored scans and fix plans, newest first.")
def list_scans(gate: DoorDep, who: Who, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> Any:
    return gate.invoke("vuln.scans.list", {"limit": limit}, who).result


@router.get("/scans/{scan_id}", summary="One stored scan or fix plan, with its full result.")
def get_scan(gate: DoorDep, who: Who, scan_id: Annotated[str, Path(max_length=64)]) -> Any:
    return gate.invoke("vuln.scans.get", {"id": scan_id}, who).result
