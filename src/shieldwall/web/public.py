"""Pages for anyone, no account needed (tier 0): the landing page, "Is this a scam?", the
password check (hashed in the browser) and the security checkup."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from shieldwall.core.errors import InputError, ShieldwallError
from shieldwall.protect.checkup import QUESTION_IDS, QUESTIONS
from shieldwall.protect.email import MAX_EMAIL_BYTES
from shieldwall.protect.message import MAX_MESSAGE_CHARS
from shieldwall.protect.url import MAX_URL_CHARS
from shieldwall.web.base import PageRoute, Visitor, invoke, read_form, render, visitor
from shieldwall.web.forms import checkup_answers, decode_upload, field_text

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

MAX_UPLOAD_BYTES = MAX_EMAIL_BYTES + (64 << 10)  # the file plus the form around it

VERDICTS: dict[str, tuple[str, str]] = {
    "safe": (
        "No warning signs found",
        "Nothing here looks like a scam. That is not a guarantee: if it asks for money, a "
        "password or a code, check with the sender in another way you already trust.",
    ),
    "suspicious": (
        "Be careful: this looks suspicious",
        "Some signs point to a scam. Do not click, pay or reply until you have checked with "
        "the sender in another way you already trust.",
    ),
    "dangerous": (
        "This looks like a scam",
        "Several strong signs point to a scam. Do not click its links, do not pay, do not "
        "reply, and do not share codes or passwords.",
    ),
}


def _ledger_view(checkpoint: str, key: dict[str, Any]) -> dict[str, Any]:
    lines = checkpoint.split("\n")
    return {
        "checkpoint": checkpoint,
        "size": lines[1] if len(lines) > 1 else "?",
        "root": lines[2] if len(lines) > 2 else "",
        "public_key": str(key["public_key"]),
        "origin": str(key.get("origin", "")),
    }


@router.get("/", response_class=HTMLResponse)
async def landing(request: Request, who: Who) -> Response:
    checkpoint = await invoke(request, "ledger.checkpoint", {}, who.principal)
    key = await invoke(request, "ledger.public_key", {}, who.principal)
    return render(request, "index.html", ledger=_ledger_view(str(checkpoint["checkpoint"]), key))


def _check_page(
    request: Request,
    *,
    kind: str = "",
    result: Any = None,
    error: ShieldwallError | None = None,
    **form: str,
) -> Response:
    verdict = VERDICTS.get(str(result.get("verdict"))) if isinstance(result, dict) else None
    return render(
        request,
        "check.html",
        status=error.http_status if error is not None else 200,
        kind=kind,
        result=result,
        verdict=verdict,
        error=error,
        form=form,
        max_message=MAX_MESSAGE_CHARS,
        max_url=MAX_URL_CHARS,
    )


@router.get("/check", response_class=HTMLResponse)
async def check_form(request: Request, who: Who) -> Response:
    return _check_page(request)


@router.post("/check/message", response_class=HTMLResponse)
async def check_message(request: Request, who: Who) -> Response:
    form = await read_form(request, who)
    text = form.get("text") if isinstance(form.get("text"), str) else ""
    sender = form.get("sender") if isinstance(form.get("sender"), str) else ""
    try:
        text = field_text(form, "text", max_chars=MAX_MESSAGE_CHARS)
        sender = field_text(form, "sender", max_chars=320, required=False)
        payload: dict[str, Any] = {"text": text, "sender": sender or None}
        result = await invoke(request, "protect.message", payload, who.principal)
    except ShieldwallError as err:
        return _check_page(request, kind="message", error=err, text=str(text), sender=str(sender))
    return _check_page(request, kind="message", result=result, text=text, sender=sender)


@router.post("/check/url", response_class=HTMLResponse)
async def check_url(request: Request, who: Who) -> Response:
    form = await read_form(request, who)
    url = form.get("url") if isinstance(form.get("url"), str) else ""
    try:
        url = field_text(form, "url", max_chars=MAX_URL_CHARS)
        result = await invoke(request, "protect.url", {"url": url}, who.principal)
    except ShieldwallError as err:
        return _check_page(request, kind="url", error=err, url=str(url))
    return _check_page(request, kind="url", result=result, url=url)


@router.post("/check/email", response_class=HTMLResponse)
async def check_email(request: Request, who: Who) -> Response:
    form = await read_form(request, who, max_bytes=MAX_UPLOAD_BYTES)
    upload = form.get("eml")
    name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
    try:
        if not isinstance(upload, UploadFile) or not name:
            raise InputError(
                "no file was chosen", code="web.no_file", location="eml", hint="Choose a .eml file."
            )
        data = await upload.read(MAX_EMAIL_BYTES + 1)
        raw = decode_upload(data, name="eml", max_bytes=MAX_EMAIL_BYTES)
        result = await invoke(request, "protect.email", {"raw": raw}, who.principal)
    except ShieldwallError as err:
        return _check_page(request, kind="email", error=err, filename=name)
    return _check_page(request, kind="email", result=result, filename=name)


@router.get("/password", response_class=HTMLResponse)
async def password(request: Request, who: Who) -> Response:
    return render(request, "password.html")


@router.get("/checkup", response_class=HTMLResponse)
async def checkup_form(request: Request, who: Who) -> Response:
    return render(request, "checkup.html", questions=QUESTIONS, answers={}, result=None)


@router.post("/checkup", response_class=HTMLResponse)
async def checkup(request: Request, who: Who) -> Response:
    form = await read_form(request, who)
    answers = checkup_answers(form, QUESTION_IDS)
    result = await invoke(request, "protect.checkup", answers, who.principal)
    return render(request, "checkup.html", questions=QUESTIONS, answers=answers, result=result)
