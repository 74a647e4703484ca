"""Signing in and out with the gateway's accounts, opening one, and confirming its e-mail.

Signing in is ``gateway.users.login`` through the door: the API key it returns is sealed in
the session cookie (``web.sessions``) and every later page acts as that key's principal.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from shieldwall.core.errors import AuthError, ShieldwallError
from shieldwall.web.base import (
    PageRoute,
    Visitor,
    invoke,
    read_form,
    redirect,
    render,
    sign_in,
    sign_out,
    visitor,
    web_state,
)
from shieldwall.web.forms import field_text, safe_next

router = APIRouter(route_class=PageRoute, include_in_schema=False)
_log = logging.getLogger(__name__)

Who = Annotated[Visitor, Depends(visitor)]

KEY_NAME = "web session"
TIERS = {
    0: "public: the checks anyone may run",
    1: "verified individual: your e-mail address is confirmed",
    2: "verified organisation: your organisation is approved and has a proven domain",
    3: "vetted defender: invited and vouched for",
}


def login_redirect(request: Request) -> Response:
    """Send a visitor who is not signed in to the sign-in page, and back here afterwards."""
    if request.method == "GET":
        target = safe_next(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
    else:  # a form sent after the session ended: come back to its page, not to a POST route
        target = safe_next("/" + request.url.path.split("/")[1])
    return redirect(request, "/login?next=" + quote(target, safe="/"))


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, who: Who) -> Response:
    return render(
        request,
        "login.html",
        next=safe_next(request.query_params.get("next")),
        email="",
        error=None,
    )


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, who: Who) -> Response:
    form = await read_form(request, who)
    target = safe_next(form.get("next"))
    email = form.get("email") if isinstance(form.get("email"), str) else ""
    try:
        email = field_text(form, "email", max_chars=320)
        secret = field_text(form, "password", max_chars=1024)
        answer = await invoke(
            request,
            "gateway.users.login",
            {"email": email, "password": secret, "key_name": KEY_NAME},
            who.principal,
        )
        key = str(answer["key"])
        principal = await run_in_threadpool(web_state(request).keys.authenticate, key)
    except AuthError:
        error: ShieldwallError = AuthError(
            "the e-mail address or the password is not right", code="auth.bad_login"
        )
        return render(request, "login.html", status=401, next=target, email=str(email), error=error)
    except ShieldwallError as err:
        return render(
            request,
            "login.html",
            status=err.http_status,
            next=target,
            email=str(email),
            error=err,
        )
    sign_in(request, key, principal.name or email, principal)
    return redirect(request, target if target != "/" else "/account")


@router.post("/logout")
async def logout(request: Request, who: Who) -> Response:
    await read_form(request, who)
    if who.session.key is not None:
        # The session's key is revoked, not only forgotten: a copy of the cookie taken before
        # signing out opens nothing afterwards.
        try:
            await invoke(request, "gateway.users.logout", {"key": who.session.key}, who.principal)
        except AuthError:
            pass  # revoked already (by an operator, or a sign-out in another tab)
        except ShieldwallError as err:  # throttled, say: the browser is signed out all the same
            _log.warning("signing out %s left its key live: %s", who.principal.id, err)
    sign_out(request)
    return redirect(request, "/")


@router.get("/signup", response_class=HTMLResponse)
async def signup_form(request: Request, who: Who) -> Response:
    return render(request, "signup.html", done=None, error=None, email="", name="")


@router.post("/signup", response_class=HTMLResponse)
async def signup(request: Request, who: Who) -> Response:
    form = await read_form(request, who)
    email = form.get("email") if isinstance(form.get("email"), str) else ""
    name = form.get("name") if isinstance(form.get("name"), str) else ""
    try:
        email = field_text(form, "email", max_chars=320)
        name = field_text(form, "name", max_chars=200)
        secret = field_text(form, "password", max_chars=1024)
        done = await invoke(
            request,
            "gateway.users.create",
            {"email": email, "name": name, "password": secret},
            who.principal,
        )
    except ShieldwallError as err:
        return render(
            request,
            "signup.html",
            status=err.http_status,
            done=None,
            error=err,
            email=str(email),
            name=str(name),
        )
    return render(request, "signup.html", done=done, error=None, email=email, name=name)


@router.get("/verify-email", response_class=HTMLResponse)
async def verify_email_form(request: Request, who: Who) -> Response:
    # A GET only shows the button: mail scanners open links, and must not confirm anything.
    token = request.query_params.get("token", "")[:200]
    return render(request, "verify_email.html", token=token, done=None)


@router.post("/verify-email", response_class=HTMLResponse)
async def verify_email(request: Request, who: Who) -> Response:
    form = await read_form(request, who)
    token = field_text(form, "token", max_chars=200)
    done = await invoke(request, "gateway.users.verify_email", {"token": token}, who.principal)
    return render(request, "verify_email.html", token="", done=done)


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    org: Any = None
    if who.principal.org:
        try:
            org = await invoke(
                request, "gateway.orgs.show", {"org_id": who.principal.org}, who.principal
            )
        except ShieldwallError as err:
            org = {"error": err}
    return render(
        request,
        "account.html",
        who=who.principal,
        tier_words=TIERS.get(int(who.principal.tier), ""),
        org=org,
    )
