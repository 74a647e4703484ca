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
An exception that is not a ``ShieldwallError`` propagates, as from a route, to the app's
server-error handler.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from shieldwall.core.errors import ShieldwallError
from shieldwall.core.types import Principal
from shieldwall.intel.http import (
    OBJECT_PARAMS,
    OBJECTS_PARAMS,
    PREFIX,
    VERSIONS_PARAMS,
    authenticate,
    check_accept,
    error_response,
    in_thread,
    page_response,
    read_params,
    through_door,
)

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
        response = await self._read(scope, *route.groups())
        await response(scope, receive, send)

    async def _read(
        self,
        scope: Scope,
        collection: str,
        manifest: str | None,
        object_id: str | None,
        versions: str | None,
    ) -> Response:
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
        try:
            payload = read_params(query, collection, allowed)
            if object_id is not None:
                payload["object_id"] = object_id
            check_accept(accept)
            client = scope.get("client")
            address = client[0] if client else ""

            def who() -> Principal:
                return authenticate(
                    authorization,
                    getattr(state, "taxii_auth", None),
                    lambda: self._anonymous(address),
                )

            result = await in_thread(lambda: through_door(state.door, capability, payload, who))
        except ShieldwallError as err:
            return error_response(err)
        return page_response(result, key)
