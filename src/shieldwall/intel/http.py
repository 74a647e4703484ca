"""TAXII 2.1 over HTTP, under /taxii2. Every route goes through the door; every error is a
TAXII error resource (``application/taxii+json;version=2.1``), never an HTML page.

The TAXII routes authenticate for themselves (``intel.auth.TaxiiAuth``: API keys as Bearer or
Basic, and account passwords as Basic), so that a bad credential, too, gets a TAXII error
resource. Status codes: 400 malformed parameters or body, 401 credentials missing where a
resource needs them (an anonymous caller asking for a collection it may not read, whether or
not it exists) or invalid, 403 authenticated but not allowed to write, 404 not found or not
readable by this caller (existence is never confirmed), 405, 406, 413, 415.

``GET`` on objects, one object, versions and the manifest is answered ahead of FastAPI by
``intel.fastpath``, through the functions here (``read_params``, ``check_accept``,
``authenticate``, ``through_door``, ``page_response``, ``error_response``); those routes below
remain for HEAD, for an app mounted under a root path, and as the reference the fast path is
tested against, byte for byte.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.routing import Match

from shieldwall.core.errors import AuthError, DeniedError, InputError, ShieldwallError
from shieldwall.core.http import current_principal, door_dependency
from shieldwall.core.ports import Door, Invocation
from shieldwall.core.types import Principal, PrincipalKind
from shieldwall.gateway.door import Gateway
from shieldwall.intel.auth import TaxiiAuth
from shieldwall.intel.retrohunt import RetrohuntRequest

TAXII = "application/taxii+json;version=2.1"
MAX_BODY = 32 << 20
API_ROOT = "/taxii2/api/"
PREFIX = "/taxii2"
REALM = 'Basic realm="shieldwall-taxii", charset="UTF-8"'

router = APIRouter(prefix=PREFIX, tags=["intel"])

DoorDep = Annotated[Door, Depends(door_dependency)]
T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


async def in_thread(fn: Callable[[], T]) -> T:
    """Run blocking work (the door: database reads, the wait for the ledger's commit) in a
    worker thread. A plain executor, not Starlette's ``run_in_threadpool``: anyio's worker
    handoff (a Python queue, a capacity limiter, cancel scopes) was a tenth of a TAXII read's
    CPU. Threads start on first use, none at import."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=40, thread_name_prefix="taxii")
    return await asyncio.get_running_loop().run_in_executor(_pool, fn)


_PARAMS = {
    "added_after": "added_after",
    "limit": "limit",
    "next": "next",
    "match[id]": "match_id",
    "match[type]": "match_type",
    "match[version]": "match_version",
    "match[spec_version]": "match_spec_version",
}
# Which parameters each endpoint takes (TAXII 2.1 sections 5.3-5.8).
OBJECTS_PARAMS = frozenset(_PARAMS)
OBJECT_PARAMS = frozenset({"added_after", "limit", "next", "match[version]", "match[spec_version]"})
VERSIONS_PARAMS = frozenset({"added_after", "limit", "next", "match[spec_version]"})
_DELETE = frozenset({"match[version]", "match[spec_version]"})


class TaxiiError(ShieldwallError):
    """An HTTP-level TAXII error (405, 406, 413, 415) with its status."""

    def __init__(self, message: str, *, status: int, code: str) -> None:
        super().__init__(message, code=code)
        self.status = status


class TaxiiResponse(JSONResponse):
    """JSON written by orjson: a tenth of the json module's cost on a 100-object page. What
    orjson refuses (integers past 64 bits, keys that are not strings) goes to the json module.
    orjson writes NaN as null where the json module refuses it; no TAXII body holds one, since
    the store neither takes nor serves NaN (``intel.store.load_object``)."""

    media_type = TAXII

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:
            return super().render(content)


def taxii(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return TaxiiResponse(body, status_code=status, media_type=TAXII, headers=headers)


def error_response(err: ShieldwallError) -> Response:
    status = err.status if isinstance(err, TaxiiError) else err.http_status
    if status == 422:  # TAXII has no 422: malformed input is a 400
        status = 400
    if status == 202:  # held for approval: the request was not served
        status = 403
    body: dict[str, Any] = {
        "title": err.title if not isinstance(err, TaxiiError) else err.message,
        "description": err.message,
        "error_code": err.code,
        "http_status": str(status),
    }
    details: dict[str, Any] = {}
    if err.location:
        details["location"] = err.location
    if err.hint:
        details["hint"] = err.hint
    if details:
        body["details"] = details
    headers = {"WWW-Authenticate": REALM} if status == 401 else None
    return taxii(body, status=status, headers=headers)


def _media_ok(value: str, *, wildcards: bool = True) -> bool:
    kind, *params = (p.strip().lower() for p in value.split(";"))
    if wildcards and kind in ("*/*", "application/*"):
        return True
    if kind != "application/taxii+json":
        return False
    for param in params:
        name, _, val = param.partition("=")
        if name.strip() == "version" and val.strip().strip('"') != "2.1":
            return False
    return True


def check_accept(accept: str | None) -> None:
    """406 unless the ``Accept`` header (absent: anything goes) takes TAXII 2.1 JSON."""
    if accept and not any(_media_ok(part) for part in accept.split(",")):
        raise TaxiiError(
            f"this server serves {TAXII}, not {accept!r}", status=406, code="intel.not_acceptable"
        )


def _check_accept(request: Request) -> None:
    check_accept(request.headers.get("accept"))


def authenticate(
    header: str | None, auth: TaxiiAuth | None, anonymous: Callable[[], Principal]
) -> Principal:
    """Who is calling: the principal of the ``Authorization`` header, or ``anonymous()``
    without one (in a worker thread: a key or a cached password check reads the database)."""
    if header is None:
        return anonymous()
    if auth is None:
        raise AuthError("this server takes no credentials on TAXII", code="auth.unsupported")
    return auth.authenticate(header)


def _authenticate(request: Request) -> Principal:
    return authenticate(
        request.headers.get("authorization"),
        getattr(request.app.state, "taxii_auth", None),
        lambda: current_principal(request),
    )


async def _who(request: Request) -> Principal:
    return await in_thread(lambda: _authenticate(request))


def _invoke(gate: Door, capability: str, payload: dict[str, Any], who: Principal) -> Invocation:
    if isinstance(gate, Gateway):
        # A read's outcome entry rides the ledger's next group commit; its decision is durable
        # before the handler runs (see ``Gateway._run``).
        return gate.invoke(capability, payload, who, defer_outcome=True)
    return gate.invoke(capability, payload, who)


def _refused(err: DeniedError, principal: Principal) -> ShieldwallError:
    """What a refusal becomes on TAXII: an anonymous caller refused by policy is asked to
    authenticate (401); any other refusal stays what it is."""
    if principal.kind is PrincipalKind.ANONYMOUS and type(err) is DeniedError:
        return AuthError("authenticate for this", code="intel.authenticate", hint=err.hint)
    return err


def through_door(
    gate: Door, capability: str, payload: dict[str, Any], who: Callable[[], Principal]
) -> Any:
    """Authenticate (``who``) and call the door, in the calling (worker) thread: an anonymous
    caller refused by policy is asked to authenticate (401) instead."""
    principal = who()
    try:
        return _invoke(gate, capability, payload, principal).result
    except DeniedError as err:
        refused = _refused(err, principal)
        if refused is err:
            raise
        raise refused from err


async def through_door_async(
    gate: Gateway, capability: str, payload: dict[str, Any], principal: Principal
) -> Any:
    """``through_door`` on the event loop, for a caller already authenticated (the TAXII fast
    path, on SQLite): the same door and the same 401 for a refused anonymous caller."""
    try:
        invocation = await gate.invoke_async(capability, payload, principal, defer_outcome=True)
    except DeniedError as err:
        refused = _refused(err, principal)
        if refused is err:
            raise
        raise refused from err
    return invocation.result


async def _call(request: Request, gate: Door, capability: str, payload: dict[str, Any]) -> Any:
    _check_accept(request)
    # One trip to a worker thread for authentication and the door.
    return await in_thread(
        lambda: through_door(gate, capability, payload, lambda: _authenticate(request))
    )


def _params(request: Request, collection: str, allowed: frozenset[str]) -> dict[str, Any]:
    return read_params(request.query_params.multi_items(), collection, allowed)


def read_params(
    items: Iterable[tuple[str, str]], collection: str, allowed: frozenset[str]
) -> dict[str, Any]:
    """The door's payload from a TAXII request's query parameters (400 for one this endpoint
    does not take, for one given twice, and for a limit that is not a positive integer)."""
    payload: dict[str, Any] = {"collection": collection}
    for key, value in items:
        name = _PARAMS.get(key)
        if name is None or key not in allowed:
            raise InputError(
                f"unknown or unsupported parameter {key!r} here",
                code="intel.bad_parameter",
                location=key,
            )
        if name in payload:
            raise InputError(f"{key} given twice", code="intel.bad_parameter", location=key)
        if name == "limit":
            if not value.isdigit() or not value.isascii() or len(value) > 9 or int(value) < 1:
                raise InputError(
                    "limit must be a positive integer", code="intel.bad_parameter", location=key
                )
            payload[name] = min(int(value), 1000)
        else:
            payload[name] = value
    return payload


def page_parts(result: dict[str, Any], key: str = "objects") -> tuple[dict[str, str], Any]:
    """The headers and body of a page (objects, manifest or versions) as TAXII serves it."""
    headers: dict[str, str] = {}
    if result.get("date_added_first"):
        headers["X-TAXII-Date-Added-First"] = result["date_added_first"]
        headers["X-TAXII-Date-Added-Last"] = result["date_added_last"]
    body: dict[str, Any] = {"more": result["more"]}
    if result["next"]:
        body["next"] = result["next"]
    if result[key]:
        body[key] = result[key]
    return headers, body


def page_response(result: dict[str, Any], key: str = "objects") -> Response:
    headers, body = page_parts(result, key)
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
        await _who(request)  # bad credentials are refused even here
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
        await _who(request)
        return taxii(
            {
                "title": "Shieldwall",
                "versions": [TAXII],
                "max_content_length": MAX_BODY,
            }
        )

    return await _guard(run())


@router.get("/api/collections/", summary="The collections you may read.")
async def list_collections(request: Request, gate: DoorDep) -> Response:
    async def run() -> Response:
        result = await _call(request, gate, "intel.collections", {})
        return taxii(result if result["collections"] else {})

    return await _guard(run())


@router.get("/api/collections/{collection_id}/", summary="One collection.")
async def get_collection(collection_id: str, request: Request, gate: DoorDep) -> Response:
    async def run() -> Response:
        payload = {"collection": collection_id}
        return taxii(await _call(request, gate, "intel.collection", payload))

    return await _guard(run())


@router.get("/api/collections/{collection_id}/objects/", summary="Objects, one page.")
async def get_objects(collection_id: str, request: Request, gate: DoorDep) -> Response:
    async def run() -> Response:
        payload = _params(request, collection_id, OBJECTS_PARAMS)
        return page_response(await _call(request, gate, "intel.objects", payload))

    return await _guard(run())


@router.get("/api/collections/{collection_id}/manifest/", summary="The manifest, one page.")
async def get_manifest(collection_id: str, request: Request, gate: DoorDep) -> Response:
    async def run() -> Response:
        payload = _params(request, collection_id, OBJECTS_PARAMS)
        return page_response(await _call(request, gate, "intel.manifest", payload))

    return await _guard(run())


@router.get("/api/collections/{collection_id}/objects/{object_id}/", summary="One object.")
async def get_object(
    collection_id: str, object_id: str, request: Request, gate: DoorDep
) -> Response:
    async def run() -> Response:
        payload = _params(request, collection_id, OBJECT_PARAMS)
        payload["object_id"] = object_id
        return page_response(await _call(request, gate, "intel.objects", payload))

    return await _guard(run())


@router.delete("/api/collections/{collection_id}/objects/{object_id}/", summary="Delete one.")
async def delete_object(
    collection_id: str, object_id: str, request: Request, gate: DoorDep
) -> Response:
    async def run() -> Response:
        payload = _params(request, collection_id, _DELETE)
        payload["object_id"] = object_id
        await _call(request, gate, "intel.object.delete", payload)
        return Response(status_code=200)

    return await _guard(run())


@router.get(
    "/api/collections/{collection_id}/objects/{object_id}/versions/",
    summary="One object's versions.",
)
async def get_versions(
    collection_id: str, object_id: str, request: Request, gate: DoorDep
) -> Response:
    async def run() -> Response:
        payload = _params(request, collection_id, VERSIONS_PARAMS)
        payload["object_id"] = object_id
        return page_response(await _call(request, gate, "intel.versions", payload), "versions")

    return await _guard(run())


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise TaxiiError("the envelope is too large", status=413, code="intel.too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise TaxiiError("the envelope is too large", status=413, code="intel.too_large")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/api/collections/{collection_id}/objects/", summary="Add an envelope of objects.")
async def post_objects(collection_id: str, request: Request, gate: DoorDep) -> Response:
    async def run() -> Response:
        _params(request, collection_id, frozenset())
        kind = request.headers.get("content-type", "")
        if not _media_ok(kind, wildcards=False):
            raise TaxiiError(
                f"send {TAXII}, not {kind!r}", status=415, code="intel.unsupported_media_type"
            )
        who = await _who(request)  # before reading a body a stranger may not send
        if who.kind is PrincipalKind.ANONYMOUS:
            raise AuthError("authenticate to add objects", code="intel.authenticate")
        raw = await _read_body(request)
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
        return taxii(await _call(request, gate, "intel.objects.add", payload), status=202)

    return await _guard(run())


@router.get("/api/status/{status_id}/", summary="The status of an add request.")
async def get_status(status_id: str, request: Request, gate: DoorDep) -> Response:
    async def run() -> Response:
        return taxii(await _call(request, gate, "intel.status", {"status_id": status_id}))

    return await _guard(run())


@router.api_route(
    "/{rest:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    include_in_schema=False,
)
async def not_taxii(rest: str, request: Request) -> Response:
    """Anything else under /taxii2: a TAXII error resource, never the framework's default."""
    for route in router.routes:
        if route is not_taxii_route() or not hasattr(route, "matches"):
            continue
        match, _ = route.matches(request.scope)
        if match is Match.PARTIAL:
            return error_response(
                TaxiiError(
                    f"{request.method} is not allowed on {request.url.path}",
                    status=405,
                    code="intel.method_not_allowed",
                )
            )
    return error_response(
        TaxiiError(f"no TAXII resource at {request.url.path}", status=404, code="intel.no_resource")
    )


def not_taxii_route() -> Any:
    return router.routes[-1]


# -- Report extraction: not TAXII, so under /api/v1/intel with problem+json errors ---------------

extract_router = APIRouter(prefix="/api/v1/intel", tags=["intel"])


@extract_router.post(
    "/extract",
    summary="Draft a STIX 2.1 bundle from a threat report; the body is the file itself.",
    openapi_extra={
        "requestBody": {
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            "required": True,
        }
    },
)
async def post_extract(
    request: Request, gate: DoorDep, filename: str = "report", tlp: str | None = None
) -> Any:
    """``?filename=report.pdf`` (its suffix is a hint to the format) and ``?tlp=green``."""
    import base64

    from starlette.concurrency import run_in_threadpool

    from shieldwall.intel.extract import MAX_REPORT_BYTES

    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REPORT_BYTES:
            raise InputError(
                f"the report is too large (more than {MAX_REPORT_BYTES >> 20} MiB)",
                code="intel.extract.too_large",
            )
        chunks.append(chunk)
    payload = {
        "name": filename[:255] or "report",
        "content_b64": base64.b64encode(b"".join(chunks)).decode(),
        "tlp": tlp,
    }
    who = current_principal(request)
    return (await run_in_threadpool(gate.invoke, "intel.extract", payload, who)).result


@extract_router.post(
    "/retrohunt",
    summary="Hunt a collection's indicators (by default those added since your last retro-hunt) "
    "in the stored event logs; hits become incidents and sightings.",
)
def post_retrohunt(body: RetrohuntRequest, request: Request, gate: DoorDep) -> Any:
    """The body is ``intel.retrohunt``'s request (its schema in OpenAPI); what you may read of
    the collection (TLP) is what is hunted."""
    return gate.invoke("intel.retrohunt", body, current_principal(request)).result
