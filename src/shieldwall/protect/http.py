"""HTTP routes of protect, under /api/v1/protect. Every route goes through the door; checks are
open to anonymous callers (tier 0), the brand feed needs a member's key (tier 1), registry
imports an organisation's key (tier 2)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from starlette.concurrency import run_in_threadpool

from shieldwall.core.errors import InputError
from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal
from shieldwall.protect.capabilities import (
    MAX_CSV_CHARS,
    BrandsImportRequest,
    CheckupRequest,
    EmailRequest,
    MessageRequest,
    UrlRequest,
)
from shieldwall.protect.email import MAX_EMAIL_BYTES
from shieldwall.protect.password import MAX_PASSWORD_CHARS

router = APIRouter(prefix="/api/v1/protect", tags=["protect"])

DoorDep = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]


class PasswordBody(BaseModel):
    """Only the password: which breach source to use is the server's choice."""

    model_config = ConfigDict(extra="forbid")
    password: SecretStr = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


@router.post("/url", summary="Check a link without opening it.")
def post_url(body: UrlRequest, gate: DoorDep, who: Who) -> Any:
    return gate.invoke("protect.url", body, who).result


@router.post("/message", summary="Check a text or chat message and its links.")
def post_message(body: MessageRequest, gate: DoorDep, who: Who) -> Any:
    return gate.invoke("protect.message", body, who).result


@router.post(
    "/email",
    summary="Check an e-mail: the raw message (message/rfc822 or text/plain body), or JSON "
    '{"raw": ...}.',
    openapi_extra={
        "requestBody": {
            "content": {
                "message/rfc822": {"schema": {"type": "string"}},
                "application/json": {"schema": EmailRequest.model_json_schema()},
            }
        }
    },
)
async def post_email(
    request: Request,
    gate: DoorDep,
    who: Who,
    live: Annotated[
        bool, Query(description="Also check the sender's SPF and DMARC over DNS.")
    ] = False,
) -> Any:
    raw = await request.body()
    if len(raw) > MAX_EMAIL_BYTES * 2:
        raise InputError("the message is too large", code="protect.email.too_large")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            payload: Any = json.loads(raw)
        except ValueError as exc:
            raise InputError("the body is not JSON", code="protect.email.bad_json") from exc
    else:
        payload = {"raw": raw.decode("utf-8", errors="replace")}
    if live and isinstance(payload, dict):
        payload = {**payload, "live": True}
    invocation = await run_in_threadpool(gate.invoke, "protect.email", payload, who)
    return invocation.result


@router.post(
    "/password",
    summary="Check a password against breach data (k-anonymity) and estimate its strength.",
)
def post_password(body: PasswordBody, gate: DoorDep, who: Who) -> Any:
    return gate.invoke("protect.password", {"password": body.password}, who).result


@router.get(
    "/password/range/{prefix}",
    response_class=PlainTextResponse,
    summary="A k-anonymity range in the Pwned Passwords format (padded), from the offline store.",
)
def get_range(
    prefix: Annotated[str, Path(pattern=r"^[0-9A-Fa-f]{5}$")], gate: DoorDep, who: Who
) -> str:
    return str(gate.invoke("protect.password.range", {"prefix": prefix}, who).result["body"])


@router.post("/checkup", summary="A prioritized security plan from a short questionnaire.")
def post_checkup(body: CheckupRequest, gate: DoorDep, who: Who) -> Any:
    return gate.invoke("protect.checkup", body, who).result


@router.get("/brands", summary="The brand registry.")
def get_brands(
    gate: DoorDep,
    who: Who,
    kind: Annotated[str | None, Query()] = None,
    source: Annotated[str | None, Query()] = None,
) -> Any:
    return gate.invoke("protect.brands.list", {"kind": kind, "source": source}, who).result


@router.get(
    "/brands/feed",
    summary="This hub's own registered brands, for its members to pull (`shieldwall protect "
    "brands sync`). JSON with a version (also the ETag); If-None-Match gets 304. Tier 1.",
    response_model=None,
)
def get_brand_feed(request: Request, gate: DoorDep, who: Who) -> Response:
    asked = request.headers.get("if-none-match")
    result = gate.invoke(
        "protect.brands.feed", {"if_none_match": asked[:2000] if asked else None}, who
    ).result
    headers = {"ETag": f'"{result["version"]}"', "Cache-Control": "no-cache"}
    if result["not_modified"]:
        return Response(status_code=304, headers=headers)
    return JSONResponse(result["feed"], headers=headers)


@router.post(
    "/brands",
    status_code=201,
    summary="Register brands: a CSV body (text/csv, brand,domain[,kind]) or JSON "
    '{"csv": ..., "source": ...}. Tier 2.',
    openapi_extra={
        "requestBody": {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": BrandsImportRequest.model_json_schema()},
            }
        }
    },
)
async def post_brands(request: Request, gate: DoorDep, who: Who) -> Any:
    raw = await request.body()
    if len(raw) > MAX_CSV_CHARS * 4:
        raise InputError("the CSV is too large", code="protect.brands.too_large")
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            payload: Any = json.loads(raw)
        except ValueError as exc:
            raise InputError("the body is not JSON", code="protect.brands.bad_json") from exc
    else:
        try:
            payload = {"csv": raw.decode("utf-8-sig"), "source": "upload.csv"}
        except UnicodeDecodeError as exc:
            raise InputError("the CSV is not UTF-8", code="protect.brands.bad_encoding") from exc
    invocation = await run_in_threadpool(gate.invoke, "protect.brands.import", payload, who)
    return invocation.result
