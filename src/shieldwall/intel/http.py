"""TAXII 2.1 over HTTP, under /taxii2. Every route goes through the door; every error is a
TAXII error resource (``application/taxii+json;version=2.1``), never an HTML page.

Not yet served: manifests, object versions, DELETE, HTTP Basic auth (API keys only).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from shieldwall.core.errors import InputError, ShieldwallError
from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal

TAXII = "application/taxii+json;version=2.1"
MAX_BODY = 32 << 20
API_ROOT = "/taxii2/api/"

router = APIRouter(prefix="/taxii2", tags=["intel"])

DoorDep = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]

_PARAMS = {
    "added_after": "added_after",
    "limit": "limit",
    "next": "next",
    "match[id]": "match_id",
    "match[type]": "match_type",
    "match[version]": "match_version",
    "match[spec_version]": "match_spec_version",
}


class TaxiiError(ShieldwallError):
    """An HTTP-level TAXII error (406, 415) with its status."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message, code=code)
        self.status = status


def taxii(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, status_code=status, media_type=TAXII, headers=headers)


def error_response(err: ShieldwallError) -> Response:
    status = err.status if isinstance(err, TaxiiError) else err.http_status
    if status == 422:  # TAXII has no 422: malformed input is a 400
        status = 400
    body: dict[str, Any] = {
        "title": err.title if not isinstance(err, TaxiiError) else err.message,
        "description": err.message,
        "error_code": err.code,
        "http_status": str(status),
    }
    if err.location:
        body["details"] = {"location": err.location}
    return taxii(body, status=status)


def _media_ok(value: str) -> bool:
    kind, _, params = value.partition(";")
    kind = kind.strip().lower()
    if kind in ("*/*", "application/*"):
        return True
    if kind != "application/taxii+json":
        return False
    version = params.replace(" ", "").lower()
    return version in ("", "version=2.1")


def _check_accept(request: Request) -> None:
    accept = request.headers.get("accept")
    if accept and not any(_media_ok(part) for part in accept.split(",")):
        raise TaxiiError(
            f"this server serves {TAXII}, not {accept!r}", status=406, code="intel.not_acceptable"
        )


async def _call(
    request: Request, gate: Door, who: Principal, capability: str, payload: dict[str, Any]
) -> Any:
    _check_accept(request)
    invocation = await run_in_threadpool(gate.invoke, capability, payload, who)
    return invocation.result


def _objects_payload(request: Request, collection: str) -> dict[str, Any]:
    payload: dict[str, Any] = {"collection": collection}
    for key, value in request.query_params.multi_items():
        name = _PARAMS.get(key)
        if name is None:
            raise InputError(
                f"unknown or unsupported parameter {key!r}",
                code="intel.bad_parameter",
                location=key,
            )
        if name in payload:
            raise InputError(f"{key} given twice", code="intel.bad_parameter", location=key)
        if name == "limit":
            if not value.isdigit() or not value.isascii() or len(value) > 9:
                raise InputError(
                    "limit must be a positive integer", code="intel.bad_parameter", location=key
                )
            payload[name] = min(int(value), 1000)
        else:
            payload[name] = value
    return payload


def _page_response(result: dict[str, Any]) -> Response:
    headers: dict[str, str] = {}
    if result.get("date_added_first"):
        headers["X-TAXII-Date-Added-First"] = result["date_added_first"]
        headers["X-TAXII-Date-Added-Last"] = result["date_added_last"]
    body: dict[str, Any] = {"more": result["more"]}
    if result["next"]:
        body["next"] = result["next"]
    if result["objects"]:
        body["objects"] = result["objects"]
    return taxii(body, headers=headers)


async def _guard(coro: Any) -> Response:
    try:
        response: Response = await coro
    except ShieldwallError as err:
        return error_response(err)
    return response


@router.get("/", summary="TAXII discovery.")
async def discovery(request: Request) -> Response:
    async def run() -> Response:
        _check_accept(request)
        return taxii(
            {
                "title": "Shieldwall TAXII 2.1",
                "description": "Threat intelligence shared under TLP 2.0.",
                "default": API_ROOT,
                "api_roots": [API_ROOT],
            }
        )

    return await _guard(run())


@router.get("/api/", summary="The TAXII API root.")
async def api_root(request: Request) -> Response:
    async def run() -> Response:
        _check_accept(request)
        return taxii(
            {
                "title": "Shieldwall",
                "versions": [TAXII],
                "max_content_length": MAX_BODY,
            }
        )

    return await _guard(run())


@router.get("/api/collections/", summary="The collections you may read.")
async def list_collections(request: Request, gate: DoorDep, who: Who) -> Response:
    async def run() -> Response:
        result = await _call(request, gate, who, "intel.collections", {})
        return taxii(result if result["collections"] else {})

    return await _guard(run())


@router.get("/api/collections/{collection_id}/", summary="One collection.")
async def get_collection(collection_id: str, request: Request, gate: DoorDep, who: Who) -> Response:
    async def run() -> Response:
        payload = {"collection": collection_id}
        return taxii(await _call(request, gate, who, "intel.collection", payload))

    return await _guard(run())


@router.get("/api/collections/{collection_id}/objects/", summary="Objects, one page.")
async def get_objects(collection_id: str, request: Request, gate: DoorDep, who: Who) -> Response:
    async def run() -> Response:
        payload = _objects_payload(request, collection_id)
        return _page_response(await _call(request, gate, who, "intel.objects", payload))

    return await _guard(run())


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/", summary="One object's versions."
)
async def get_object(
    collection_id: str, object_id: str, request: Request, gate: DoorDep, who: Who
) -> Response:
    async def run() -> Response:
        payload = _objects_payload(request, collection_id)
        if "match_id" in payload:
            raise InputError("match[id] is not allowed here", code="intel.bad_parameter")
        payload["object_id"] = object_id
        return _page_response(await _call(request, gate, who, "intel.objects", payload))

    return await _guard(run())


@router.post("/api/collections/{collection_id}/objects/", summary="Add an envelope of objects.")
async def post_objects(collection_id: str, request: Request, gate: DoorDep, who: Who) -> Response:
    async def run() -> Response:
        kind = request.headers.get("content-type", "")
        if not _media_ok(kind) or kind.split(";")[0].strip().lower() != "application/taxii+json":
            raise TaxiiError(
                f"send {TAXII}, not {kind!r}", status=415, code="intel.unsupported_media_type"
            )
        raw = await request.body()
        if len(raw) > MAX_BODY:
            raise TaxiiError("the envelope is too large", status=413, code="intel.too_large")
        try:
            envelope = json.loads(raw)
        except (ValueError, RecursionError) as err:
            raise InputError("the body is not JSON", code="intel.bad_json") from err
        if not isinstance(envelope, dict) or not isinstance(envelope.get("objects"), list):
            raise InputError(
                'the body must be a TAXII envelope: {"objects": [...]}',
                code="intel.bad_envelope",
            )
        payload = {"collection": collection_id, "objects": envelope["objects"]}
        return taxii(await _call(request, gate, who, "intel.objects.add", payload), status=202)

    return await _guard(run())


@router.get("/api/status/{status_id}/", summary="The status of an add request.")
async def get_status(status_id: str, request: Request, gate: DoorDep, who: Who) -> Response:
    async def run() -> Response:
        return taxii(await _call(request, gate, who, "intel.status", {"status_id": status_id}))

    return await _guard(run())
