"""The FastAPI app: composes each package's router, authenticates, and maps every error to
RFC 9457 problem+json in one place."""

from __future__ import annotations

import gc
import hashlib
import hmac
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from shieldwall import __version__
from shieldwall.ai.agent.http import router as agent_router
from shieldwall.core.errors import AuthError, ShieldwallError
from shieldwall.core.http import bearer_token
from shieldwall.core.types import Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.detect.http import router as detect_router
from shieldwall.gateway import ApiKeys
from shieldwall.gateway.http import router as gateway_router
from shieldwall.intel.auth import TaxiiAuth
from shieldwall.intel.fastpath import TaxiiFastPath
from shieldwall.intel.http import PREFIX as TAXII_PREFIX
from shieldwall.intel.http import extract_router as intel_extract_router
from shieldwall.intel.http import router as intel_router
from shieldwall.ledger.http import router as ledger_router
from shieldwall.protect.http import router as protect_router
from shieldwall.runtime import Runtime
from shieldwall.vuln.http import router as vuln_router
from shieldwall.web.pages import router as web_router

log = logging.getLogger("shieldwall.api")

PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, instance: str, **extra: Any) -> JSONResponse:
    body = {
        "type": f"urn:shieldwall:problem:{extra.get('code', 'error')}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    body.update({k: v for k, v in extra.items() if v not in (None, {}, [])})
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _from_error(err: ShieldwallError, request: Request) -> JSONResponse:
    return problem(
        err.http_status,
        err.title,
        err.message,
        request.url.path,
        code=err.code,
        hint=err.hint,
        location=err.location,
        details=err.details,
    )


_ANON_KEY = secrets.token_bytes(16)


def _anonymous(address: str) -> Principal:
    """Anonymous callers are told apart by a keyed hash of their address (per process, so it
    changes at restart): quotas bind per caller, and no address reaches the ledger."""
    tag = hmac.new(_ANON_KEY, address.encode(), hashlib.sha256).hexdigest()[:12]
    return Principal(
        id=PrincipalId(f"anon:{tag}"),
        kind=PrincipalKind.ANONYMOUS,
        tier=Tier.PUBLIC,
        name="anonymous",
    )


class Authenticate:
    """Who is asking, in ``request.state.principal``: anonymous, or the principal of a Bearer
    API key (TAXII routes authenticate for themselves, to answer in TAXII's terms). A plain
    ASGI middleware: Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``) runs every
    request's app in a task group with a streamed response, about a millisecond a request."""

    def __init__(self, app: ASGIApp, *, keys: ApiKeys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        header = request.headers.get("authorization")
        request.state.principal = _anonymous(request.client.host if request.client else "")
        if header and not request.url.path.startswith(TAXII_PREFIX + "/"):
            token = bearer_token(header)
            if token is None:
                refusal = AuthError("use 'Authorization: Bearer <key>'", code="auth.bad_header")
                await _from_error(refusal, request)(scope, receive, send)
                return
            try:
                request.state.principal = await run_in_threadpool(self.keys.authenticate, token)
            except ShieldwallError as err:
                await _from_error(err, request)(scope, receive, send)
                return
        await self.app(scope, receive, send)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # What exists once the server is up (the runtime, models, compiled rules, the routes) lives
    # as long as the process: frozen, it is left out of the collector's full passes, which
    # otherwise walked all of it and stopped every request for 65 ms (the TAXII p99).
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # a process that serves again (the tests) collects the old app's cycles


class _App(FastAPI):
    """FastAPI with the TAXII read fast path outside every other middleware: FastAPI's error
    and body-limit layers wrapped each of its reads (a send wrapper, two calls) for nothing."""

    taxii_fast_path = True

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        return TaxiiFastPath(stack, anonymous=_anonymous) if self.taxii_fast_path else stack


def create_app(runtime: Runtime, *, taxii_fast_path: bool = True) -> FastAPI:
    """The HTTP API and web pages over ``runtime``; ``taxii_fast_path=False`` serves the TAXII
    reads through FastAPI's routes only (the fast path's tests compare the two)."""
    app = _App(
        title="Shieldwall",
        version=__version__,
        summary="Open, self-hostable, AI-assisted cyber defense.",
        openapi_url="/openapi.json",
        # FastAPI's /docs and /redoc load their scripts from a CDN, which an offline laptop
        # cannot reach; the OpenAPI document itself is served.
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.runtime = runtime
    app.state.door = runtime.gateway
    # TAXII authenticates for itself (Basic and Bearer, errors as TAXII error resources).
    app.state.taxii_auth = TaxiiAuth(
        keys=runtime.keys, passwords=runtime.identities, engine=runtime.engine
    )

    # On SQLite the fast path serves a known caller on the event loop (see intel.fastpath).
    app.state.taxii_inline = runtime.engine.dialect.name == "sqlite"
    app.taxii_fast_path = taxii_fast_path

    app.add_middleware(Authenticate, keys=runtime.keys)

    @app.exception_handler(ShieldwallError)
    async def on_error(request: Request, err: ShieldwallError) -> JSONResponse:
        if err.http_status >= 500:
            log.error("%s: %s", err.code, err.message, exc_info=err)
        return _from_error(err, request)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, err: RequestValidationError) -> JSONResponse:
        first = err.errors()[0] if err.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return problem(
            422,
            "Invalid request",
            f"{where}: {first['msg']}",
            request.url.path,
            code="input.invalid_request",
            location=where,
        )

    @app.exception_handler(Exception)
    async def on_crash(request: Request, err: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            500,
            "Internal error",
            "an internal error occurred; it was logged",
            request.url.path,
            code="internal",
        )

    @app.get("/healthz", tags=["meta"], summary="Liveness and the ledger's size.")
    def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "ledger_size": runtime.ledger.size()}

    app.include_router(ledger_router)
    app.include_router(gateway_router)
    app.include_router(protect_router)
    app.include_router(intel_router)
    app.include_router(intel_extract_router)
    app.include_router(vuln_router)
    app.include_router(detect_router)
    app.include_router(agent_router)
    app.include_router(web_router)
    return app
