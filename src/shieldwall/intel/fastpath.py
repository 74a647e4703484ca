"""The TAXII read routes as a plain ASGI middleware, ahead of FastAPI.

``GET`` on a collection's objects, one object, an object's versions and the manifest are most
of a hub's traffic. FastAPI's routing (a regex per route of the whole app), its dependency
solver, Starlette's middleware layers and request objects were about half of such a read's CPU.
This middleware answers those four routes itself and hands everything else on unchanged.

It serves exactly what ``intel.http`` serves, through the same functions: ``read_params`` (400
for a malformed parameter), ``check_accept`` (406), ``authenticate`` (an API key as Bearer or as
Basic's password, an account's password as Basic with ``TaxiiAuth``'s cache, anonymous
without a header), ``through_door`` (the door decides every request and records it in the
ledger; TLP and sharing are enforced by the capability and the store behind it), and
``page_response``/``error_response`` (the same bytes and headers). The door and the
authenticator are read from the app's state on every request, as the routes read them.

What it does not recognise exactly, it leaves to FastAPI: another method (HEAD included), a
path that is not one of the four (or has no trailing slash), an app mounted under a root path.

The app runs it outside every other middleware (``api.app`` builds it into the middleware
stack's outermost layer), so it writes its answer as plain ASGI messages, and an exception that
is not a ``ShieldwallError`` becomes a TAXII error resource (500) here, logged.

On SQLite (``state.taxii_inline``), a caller whose key is in ``TaxiiAuth``'s cache (or an
anonymous one) is served on the event loop: ``Gateway.invoke_async`` awaits the ledger's
commit instead of holding a worker thread, and the handler's reads of the local database take
tens of microseconds. Handing each read to a thread and back was about a sixth of its CPU. A
caller whose credentials must be checked (a database read, argon2), and every read on
PostgreSQL (a network round trip per query), still goes to a worker thread.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from shieldwall.core.errors import InternalError, ShieldwallError
from shieldwall.core.types import Principal
from shieldwall.gateway.door import Gateway
from shieldwall.intel.http import (
    OBJECT_PARAMS,
    OBJECTS_PARAMS,
    PREFIX,
    TAXII,
    VERSIONS_PARAMS,
    TaxiiResponse,
    authenticate,
    check_accept,
    error_response,
    in_thread,
    page_parts,
    read_params,
    through_door,
    through_door_async,
)

log = logging.getLogger("shieldwall.intel")
_CONTENT_TYPE = (b"content-type", TAXII.encode("latin-1"))

# The four routes of ``intel.http`` (a path parameter is ``[^/]+``, as in Starlette's routes):
# .../{collection}/manifest/, .../objects/, .../objects/{object}/, .../objects/{object}/versions/
_ROUTE = re.compile(
    re.escape(PREFIX)
    + r"/api/collections/([^/]+)/(?:(manifest)/|objects/(?:([^/]+)/(versions/)?)?)"
)


class TaxiiFastPath:
    """ASGI middleware serving the TAXII read routes; ``anonymous(address)`` is who an
    unauthenticated caller is (the app's ``Authenticate`` middleware makes the same one)."""

    def __init__(self, app: ASGIApp, *, anonymous: Callable[[str], Principal]) -> None:
        self.app = app
        self._anonymous = anonymous

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = (
            _ROUTE.fullmatch(scope["path"])
            if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path")
            else None
        )
        if route is None:
            await self.app(scope, receive, send)
            return
        try:
            headers, body = await self._read(scope, *route.groups())
        except ShieldwallError as err:
            await error_response(err)(scope, receive, send)
            return
        except Exception as err:  # what the app's server-error handler would have logged
            log.exception("unhandled error on %s", scope["path"])
            crash = InternalError("an internal error occurred; it was logged", code="internal")
            crash.__cause__ = err
            await error_response(crash)(scope, receive, send)
            return
        # The bytes and headers of ``page_response`` (a Starlette ``TaxiiResponse``), written
        # as the two ASGI messages without a response object.
        try:
            data = orjson.dumps(body)
        except orjson.JSONEncodeError:
            data = bytes(TaxiiResponse(body).body)
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        raw.append((b"content-length", str(len(data)).encode("latin-1")))
        raw.append(_CONTENT_TYPE)
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": data})

    async def _read(
        self,
        scope: Scope,
        collection: str,
        manifest: str | None,
        object_id: str | None,
        versions: str | None,
    ) -> tuple[dict[str, str], Any]:
        """The page's headers and body; a ``ShieldwallError`` for every refusal."""
        accept: str | None = None
        authorization: str | None = None
        for name, value in scope["headers"]:  # the first of each, as Starlette's headers.get
            if name == b"accept" and accept is None:
                accept = value.decode("latin-1")
            elif name == b"authorization" and authorization is None:
                authorization = value.decode("latin-1")
        state: Any = scope["app"].state
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        if manifest:
            capability, allowed, key = "intel.manifest", OBJECTS_PARAMS, "objects"
        elif versions:
            capability, allowed, key = "intel.versions", VERSIONS_PARAMS, "versions"
        elif object_id is not None:
            capability, allowed, key = "intel.objects", OBJECT_PARAMS, "objects"
        else:
            capability, allowed, key = "intel.objects", OBJECTS_PARAMS, "objects"
        payload = read_params(query, collection, allowed)
        if object_id is not None:
            payload["object_id"] = object_id
        check_accept(accept)
        client = scope.get("client")
        address = client[0] if client else ""
        auth = getattr(state, "taxii_auth", None)
        door = state.door
        if getattr(state, "taxii_inline", False) and isinstance(door, Gateway):
            known: Principal | None = None
            if authorization is None:
                known = self._anonymous(address)
            elif auth is not None:
                known = auth.cached(authorization)
            if known is not None:
                return page_parts(await through_door_async(door, capability, payload, known), key)

        def who() -> Principal:
            return authenticate(authorization, auth, lambda: self._anonymous(address))

        result = await in_thread(lambda: through_door(door, capability, payload, who))
        return page_parts(result, key)
