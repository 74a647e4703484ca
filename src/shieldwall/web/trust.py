"""Trust and transparency: my organisation and its proven assets, the approvals waiting for
me, and the ledger explorer (the latest checkpoint, decisions, and an inclusion proof that the
page verifies itself, in the browser, with WebCrypto)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse

from shieldwall.core.errors import DeniedError, HeldError, NotFoundError, ShieldwallError
from shieldwall.web.account import login_redirect
from shieldwall.web.base import PageRoute, Visitor, invoke, read_form, redirect, render, visitor
from shieldwall.web.forms import decision_query, field_text, parse_index

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Who = Annotated[Visitor, Depends(visitor)]

MAX_NOTE_CHARS = 2000


# -- my organisation and its assets ------------------------------------------------------------


async def _org_page(request: Request, who: Visitor, *, status: int = 200, **extra: Any) -> Response:
    principal = who.principal
    org: Any = None
    org_assets: Any = None
    org_assets_note = ""
    if principal.org:
        org = await invoke(request, "gateway.orgs.show", {"org_id": principal.org}, principal)
        try:
            org_assets = await invoke(
                request, "gateway.assets.list", {"owner": principal.org}, principal
            )
        except DeniedError as err:
            org_assets_note = err.message
    mine = await invoke(request, "gateway.assets.list", {"owner": "me"}, principal)
    context: dict[str, Any] = {
        "org": org,
        "org_assets": org_assets,
        "org_assets_note": org_assets_note,
        "mine": mine,
        "principal": principal,
        "claimed": None,
        "checked": None,
        "error": None,
    }
    context.update(extra)
    return render(request, "org.html", status=status, **context)


@router.get("/org", response_class=HTMLResponse)
async def org_page(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    return await _org_page(request, who)


@router.post("/org", response_class=HTMLResponse)
async def org_create(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    try:
        name = field_text(form, "name", max_chars=200)
        await invoke(request, "gateway.orgs.create", {"name": name}, who.principal)
    except ShieldwallError as err:
        return await _org_page(request, who, status=err.http_status, error=err)
    return redirect(request, "/org")


@router.post("/org/claims", response_class=HTMLResponse)
async def claim(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    try:
        domain = field_text(form, "domain", max_chars=255)
        method = field_text(form, "method", max_chars=8, required=False) or "dns"
        owner = field_text(form, "owner", max_chars=64, required=False) or "me"
        made = await invoke(
            request,
            "gateway.assets.claim",
            {"owner": owner, "domain": domain, "method": method},
            who.principal,
        )
    except ShieldwallError as err:
        return await _org_page(request, who, status=err.http_status, error=err)
    return await _org_page(request, who, claimed=made)


@router.post("/org/claims/{claim_id}/verify", response_class=HTMLResponse)
async def verify_claim(claim_id: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    await read_form(request, who)
    try:
        checked = await invoke(
            request, "gateway.assets.verify", {"claim_id": claim_id[:32]}, who.principal
        )
    except ShieldwallError as err:
        return await _org_page(request, who, status=err.http_status, error=err)
    return await _org_page(request, who, checked=checked)


# -- approvals -------------------------------------------------------------------------------


async def _approvals_page(
    request: Request, who: Visitor, *, status: int = 200, **extra: Any
) -> Response:
    show = request.query_params.get("status", "pending")
    show = show if show in ("pending", "all") else "pending"
    items = await invoke(request, "gateway.approvals.list", {"status": show}, who.principal)
    context: dict[str, Any] = {
        "items": items,
        "show": show,
        "me": who.principal.id,
        "answered": None,
        "error": None,
    }
    context.update(extra)
    return render(request, "approvals.html", status=status, **context)


@router.get("/approvals", response_class=HTMLResponse)
async def approvals(request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    return await _approvals_page(request, who)


@router.post("/approvals/{approval_id}/{answer}", response_class=HTMLResponse)
async def answer(approval_id: str, answer: str, request: Request, who: Who) -> Response:
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    capability = {"approve": "gateway.approvals.approve", "reject": "gateway.approvals.reject"}
    try:
        if answer not in capability:
            raise NotFoundError(
                f"{answer[:20]!r} is not an answer",
                code="web.bad_answer",
                hint="Approve or reject.",
            )
        reason = field_text(form, "reason", max_chars=2000, required=False)
        done = await invoke(
            request, capability[answer], {"id": approval_id[:32], "reason": reason}, who.principal
        )
    except ShieldwallError as err:
        return await _approvals_page(request, who, status=err.http_status, error=err)
    return await _approvals_page(request, who, answered=done)


# -- the ledger explorer -----------------------------------------------------------------------


def _checkpoint_view(note: str, key: dict[str, Any]) -> dict[str, Any]:
    lines = note.split("\n")
    return {
        "note": note,
        "origin": lines[0] if lines else "",
        "size": int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 0,
        "root": lines[2] if len(lines) > 2 else "",
        "public_key": str(key["public_key"]),
    }


async def _ledger_page(
    request: Request, who: Visitor, *, status: int = 200, **extra: Any
) -> Response:
    query_error: ShieldwallError | None = None
    try:
        query = decision_query(request.query_params)
    except ShieldwallError as err:
        query_error = err
        query = decision_query({})
    note = await invoke(request, "ledger.checkpoint", {}, who.principal)
    key = await invoke(request, "ledger.public_key", {}, who.principal)
    decisions = await invoke(
        request,
        "gateway.decisions",
        {"limit": query.limit, "capability": query.capability, "before": query.before},
        who.principal,
    )
    older = min((d["index"] for d in decisions), default=None)
    context: dict[str, Any] = {
        "cp": _checkpoint_view(str(note["checkpoint"]), key),
        "decisions": decisions,
        "query": query,
        "older": older if older and len(decisions) == query.limit else None,
        "error": query_error,
        "recorded": None,
        "held": None,
    }
    context.update(extra)
    return render(request, "ledger.html", status=status, **context)


@router.get("/ledger", response_class=HTMLResponse)
async def ledger(request: Request, who: Who) -> Response:
    return await _ledger_page(request, who)


@router.get("/ledger/go")
async def ledger_go(request: Request, who: Who) -> Response:
    index = parse_index(request.query_params.get("index", ""))
    return redirect(request, f"/ledger/entries/{index}")


@router.post("/ledger/notes", response_class=HTMLResponse)
async def ledger_note(request: Request, who: Who) -> Response:
    """Record a note (``ledger.append``): a change made, a decision taken, for the record."""
    if not who.signed_in:
        return login_redirect(request)
    form = await read_form(request, who)
    try:
        text = field_text(form, "note", max_chars=MAX_NOTE_CHARS)
        done = await invoke(request, "ledger.append", {"body": {"note": text}}, who.principal)
    except HeldError as err:
        return await _ledger_page(request, who, status=202, held=err)
    except ShieldwallError as err:
        return await _ledger_page(request, who, status=err.http_status, error=err)
    return await _ledger_page(request, who, recorded=done)


@router.get("/ledger/entries/{index}", response_class=HTMLResponse)
async def ledger_entry(index: str, request: Request, who: Who) -> Response:
    at = parse_index(index)
    entry = await invoke(request, "ledger.entry", {"index": at}, who.principal)
    note = str((await invoke(request, "ledger.checkpoint", {}, who.principal))["checkpoint"])
    key = await invoke(request, "ledger.public_key", {}, who.principal)
    cp = _checkpoint_view(note, key)
    proof = await invoke(
        request, "ledger.prove", {"index": at, "tree_size": cp["size"]}, who.principal
    )
    return render(
        request,
        "entry.html",
        index=at,
        entry=entry["entry"],
        proof=proof,
        cp=cp,
        data={
            "index": at,
            "entry": entry["entry"],
            "proof": proof,
            "checkpoint": note,
            "public_key": cp["public_key"],
        },
    )
