"""The web's router: every page package's routes, and the static files (a small, fixed set of
hand-written CSS and JavaScript served from this package; no build step, no CDN)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Response

from shieldwall.web import account, defend, hub, investigate, public, trust, vuln

STATIC = Path(__file__).parent / "static"
_NAME = re.compile(r"^[a-z0-9-]{1,64}\.(css|js|svg)$")
_TYPES = {
    "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "svg": "image/svg+xml",
}
_CACHE: dict[str, bytes] = {}

router = APIRouter(tags=["web"])
for _part in (public, account, trust, hub, defend, vuln, investigate):
    router.include_router(_part.router)


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    match = _NAME.fullmatch(name)
    body = _CACHE.get(name)
    if body is None and match is not None:
        path = STATIC / name
        if path.is_file():
            body = path.read_bytes()
            _CACHE[name] = body
    if body is None or match is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    return Response(
        body,
        media_type=_TYPES[match.group(1)],
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
