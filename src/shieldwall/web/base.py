"""What every page shares: who the visitor is, the one layout, HTML errors, and the door.

Pages reach the door exactly as the JSON API does (``core.http.door``): a signed-in visitor as
the principal of the API key their session holds, anyone else as the anonymous principal the
API layer made for the request. Pages never touch the store.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from shieldwall import __version__
from shieldwall.core.errors import AuthError, InputError, ShieldwallError
from shieldwall.core.http import current_principal, door
from shieldwall.core.types import Principal
from shieldwall.web.sessions import (
    COOKIE,
    CSRF_FIELD,
    SessionCodec,
    WebSession,
    load_or_create_secret,
)

T = TypeVar("T")

TEMPLATES = Path(__file__).parent / "templates"
MAX_FORM_BYTES = 512 << 10
MAX_FIELD_BYTES = 256 << 10

# One policy for every page: scripts and styles only from this server (no inline script, no
# CDN), no framing, forms post only here.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)

NAV: tuple[tuple[str, str], ...] = (
    ("/check", "Is this a scam?"),
    ("/password", "Password check"),
    ("/checkup", "Security checkup"),
    ("/ledger", "Ledger"),
    ("/hub", "Hub"),
    ("/defend", "Defend"),
    ("/vuln", "Vulnerabilities"),
)
NAV_SIGNED_IN: tuple[tuple[str, str], ...] = (
    ("/investigations", "Investigations"),
    ("/org", "My organisation"),
    ("/approvals", "Approvals"),
)


class KeyAuthenticator(Protocol):
    """``gateway.ApiKeys`` implements this: the principal an API key stands for."""

    def authenticate(self, token: str) -> Principal: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class WebState:
    codec: SessionCodec
    keys: KeyAuthenticator
    always_secure: bool  # the public URL is https: cookies are Secure even behind a proxy


@dataclass(frozen=True, slots=True, kw_only=True)
class Visitor:
    session: WebSession
    principal: Principal
    fresh: bool  # the session changed: send the cookie

    @property
    def signed_in(self) -> bool:
        return self.session.signed_in


_STATE_LOCK = threading.Lock()
_SINGLETON_LOCK = threading.RLock()  # a factory may make another singleton
_ENV_LOCK = threading.Lock()
_ENV: list[Environment] = []


def web_state(request: Request) -> WebState:
    """The session codec and key authenticator, made on first use from the app's runtime
    (tests may put a ``WebState`` on ``app.state.web`` first)."""
    app_state = request.app.state
    found = getattr(app_state, "web", None)
    if found is not None:
        return cast(WebState, found)
    with _STATE_LOCK:
        found = getattr(app_state, "web", None)
        if found is None:
            runtime = app_state.runtime
            settings = runtime.settings
            found = WebState(
                codec=SessionCodec(load_or_create_secret(settings.home / "web")),
                keys=runtime.keys,
                always_secure=str(settings.public_url or "").startswith("https://"),
            )
            app_state.web = found
    return cast(WebState, found)


def app_singleton(request: Request, name: str, make: Callable[[], T]) -> T:
    """``app.state.<name>``, made by ``make`` on first use (once, whatever the threads)."""
    state = request.app.state
    found = getattr(state, name, None)
    if found is None:
        with _SINGLETON_LOCK:
            found = getattr(state, name, None)
            if found is None:
                found = make()
                setattr(state, name, found)
    return cast(T, found)


def prune_dirs(root: Path, names: re.Pattern[str], keep_for: timedelta) -> int:
    """Remove the folders of ``root`` named like ``names`` not touched for ``keep_for``;
    returns how many."""
    if not root.is_dir():
        return 0
    cutoff = datetime.now(UTC).timestamp() - keep_for.total_seconds()
    removed = 0
    for child in root.iterdir():
        if not names.fullmatch(child.name):
            continue
        try:
            old = child.stat().st_mtime < cutoff
        except OSError:
            continue
        if old:
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    return removed


def templates() -> Environment:
    if not _ENV:
        with _ENV_LOCK:
            if not _ENV:
                env = Environment(
                    loader=FileSystemLoader(TEMPLATES),
                    autoescape=select_autoescape(["html"]),
                    undefined=StrictUndefined,
                    trim_blocks=True,
                    lstrip_blocks=True,
                )
                env.globals["version"] = __version__
                _ENV.append(env)
    return _ENV[0]


async def visitor(request: Request) -> Visitor:
    """Who is at the browser. A session whose key was revoked, or whose user was disabled,
    ends here: the visitor is anonymous again, with a new session."""
    state = web_state(request)
    session = state.codec.decode(request.cookies.get(COOKIE))
    found: Visitor | None = None
    if session is not None and session.key is not None:
        try:
            who = await run_in_threadpool(state.keys.authenticate, session.key)
        except AuthError:
            session = None
        else:
            found = Visitor(session=session, principal=who, fresh=False)
    if found is None:
        fresh = session is None
        found = Visitor(
            session=session or state.codec.new(),
            principal=current_principal(request),
            fresh=fresh,
        )
    request.state.visitor = found
    return found


def sign_in(request: Request, key: str, name: str, who: Principal) -> Visitor:
    """A new session (a new id, so CSRF tokens seen before are void) holding ``key``."""
    session = web_state(request).codec.new(key=key, name=name)
    found = Visitor(session=session, principal=who, fresh=True)
    request.state.visitor = found
    return found


def sign_out(request: Request) -> Visitor:
    found = Visitor(
        session=web_state(request).codec.new(), principal=current_principal(request), fresh=True
    )
    request.state.visitor = found
    return found


async def invoke(
    request: Request, capability: str, payload: Mapping[str, Any] | BaseModel, who: Principal
) -> Any:
    """Through the one door, off the event loop; errors are ShieldwallErrors."""
    gate = door(request)
    invocation = await run_in_threadpool(gate.invoke, capability, payload, who)
    return invocation.result


async def read_form(
    request: Request, who: Visitor, *, max_bytes: int = MAX_FORM_BYTES, max_files: int = 1
) -> FormData:
    """A POSTed form whose CSRF token matches the visitor's session, within size limits."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or not length.isascii():
        raise InputError(
            "the form was sent without a length", code="web.no_length", hint="Send it again."
        )
    if int(length) > max_bytes:
        raise InputError(
            f"the form is {int(length)} bytes; at most {max_bytes}",
            code="web.form_too_large",
        )
    form = await request.form(max_files=max_files, max_fields=60, max_part_size=MAX_FIELD_BYTES)
    token = form.get(CSRF_FIELD)
    web_state(request).codec.check_csrf(who.session, token if isinstance(token, str) else None)
    return form


def _harden(response: Response) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"


def _send_session(request: Request, response: Response) -> None:
    found: Visitor | None = getattr(request.state, "visitor", None)
    if found is None or not found.fresh:
        return
    state = web_state(request)
    response.set_cookie(
        COOKIE,
        state.codec.encode(found.session),
        max_age=state.codec.max_age_s,
        path="/",
        secure=state.always_secure or request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the one layout, with the visitor's CSRF token for its forms."""
    found: Visitor | None = getattr(request.state, "visitor", None)
    csrf = web_state(request).codec.csrf_token(found.session) if found is not None else ""
    signed_in = found is not None and found.signed_in
    nav = NAV + (NAV_SIGNED_IN if signed_in else ())
    html = (
        templates()
        .get_template(template)
        .render(
            request_path=request.url.path,
            visitor=found,
            signed_in=signed_in,
            csrf_field=CSRF_FIELD,
            csrf_token=csrf,
            nav=nav,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    _harden(response)
    _send_session(request, response)
    return response


def redirect(request: Request, url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    _harden(response)
    _send_session(request, response)
    return response


def error_page(request: Request, err: ShieldwallError) -> HTMLResponse:
    status = err.http_status if 400 <= err.http_status < 600 else 400
    return render(request, "error.html", status=status, error=err)


class PageRoute(APIRoute):
    """A web route: any error becomes an HTML page in the layout, never problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except ShieldwallError as err:
                return error_page(request, err)
            except RequestValidationError as err:
                first = err.errors()[0] if err.errors() else {"loc": (), "msg": "invalid"}
                where = ".".join(str(p) for p in first["loc"])
                return error_page(
                    request,
                    InputError(f"{where}: {first['msg']}", code="web.bad_request", location=where),
                )
            except HTTPException as err:
                return error_page(
                    request,
                    InputError(str(err.detail), code=f"web.http_{err.status_code}"),
                )

        return handler


__all__ = [
    "KeyAuthenticator",
    "PageRoute",
    "Visitor",
    "WebState",
    "error_page",
    "invoke",
    "read_form",
    "redirect",
    "render",
    "sign_in",
    "sign_out",
    "templates",
    "visitor",
    "web_state",
]
