"""HTTP routes of the gateway, under /api/v1/gateway. Every route goes through the door; the
request bodies are the capabilities' own input models, so OpenAPI shows their schemas."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.errors import InputError
from shieldwall.core.http import bearer_token, current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal
from shieldwall.gateway.capabilities import (
    AttestRequest,
    ClaimRef,
    ClaimRequest,
    DecideRequest,
    Disable,
    Enable,
    KeyCreate,
    Login,
    MemberAdd,
    OrgCreate,
    ScreenRequest,
    TokenRequest,
    UserCreate,
)

router = APIRouter(prefix="/api/v1/gateway", tags=["gateway"])


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=2000)


Gate = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]


@router.get("/capabilities", summary="Every capability, its minimum tier and input schema.")
def list_capabilities(gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.capabilities", {}, who).result


@router.get("/decisions", summary="The newest decisions in the ledger.")
def list_decisions(
    gate: Gate,
    who: Who,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    capability: str | None = None,
) -> Any:
    return gate.invoke("gateway.decisions", {"limit": limit, "capability": capability}, who).result


@router.post("/screen", summary="Screen a text: benign, dual_use or malicious.")
def screen(body: ScreenRequest, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.screen", body, who).result


@router.post("/decide", summary="What the gateway would decide (a dry run).")
def decide(body: DecideRequest, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.decide", body, who).result


@router.post("/users", status_code=201, summary="Open an account.")
def create_user(body: UserCreate, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.users.create", body, who).result


@router.post("/users/verify-email", summary="Confirm an e-mail address.")
def verify_email(body: TokenRequest, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.users.verify_email", body, who).result


@router.get("/verify-email", summary="Confirm an e-mail address (the link in the mail).")
def verify_email_link(gate: Gate, who: Who, token: Annotated[str, Query(max_length=200)]) -> Any:
    return gate.invoke("gateway.users.verify_email", {"token": token}, who).result


@router.post("/login", summary="Exchange an e-mail and password for an API key.")
def login(body: Login, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.users.login", body, who).result


@router.post("/logout", summary="Sign out: revoke the API key this request is made with.")
def logout(request: Request, gate: Gate, who: Who) -> Any:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise InputError(
            "signing out needs the key to revoke, and this request carries none",
            code="gateway.logout_without_key",
            hint="Send the key to sign out in 'Authorization: Bearer <key>'.",
        )
    return gate.invoke("gateway.users.logout", {"key": token}, who).result


@router.post("/orgs", status_code=201, summary="Create an organisation.")
def create_org(body: OrgCreate, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.orgs.create", body, who).result


@router.get("/orgs/{org_id}", summary="An organisation and its proven domains.")
def show_org(org_id: str, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.orgs.show", {"org_id": org_id}, who).result


@router.post("/orgs/{org_id}/approve", summary="Approve an organisation (hub admins).")
def approve_org(org_id: str, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.orgs.approve", {"org_id": org_id}, who).result


@router.post("/orgs/members", summary="Add a member to an organisation.")
def add_member(body: MemberAdd, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.orgs.add_member", body, who).result


@router.post("/assets/claims", status_code=201, summary="Start proving a domain.")
def claim_asset(body: ClaimRequest, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.assets.claim", body, who).result


@router.post("/assets/claims/{claim_id}/verify", summary="Check a domain challenge now.")
def verify_asset(claim_id: str, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.assets.verify", ClaimRef(claim_id=claim_id), who).result


@router.get("/assets", summary="Assets claimed and proven by you or your organisation.")
def list_assets(gate: Gate, who: Who, owner: str = "me") -> Any:
    return gate.invoke("gateway.assets.list", {"owner": owner}, who).result


@router.post("/assets/attest", status_code=201, summary="Attest an IP range (admins).")
def attest_asset(body: AttestRequest, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.assets.attest", body, who).result


@router.post("/keys", status_code=201, summary="Create an API key.")
def create_key(body: KeyCreate, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.keys.create", body, who).result


@router.get("/keys", summary="List API keys.")
def list_keys(gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.keys.list", {}, who).result


@router.delete("/keys/{key_id}", summary="Revoke an API key.")
def revoke_key(key_id: str, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.keys.revoke", {"id": key_id}, who).result


@router.get("/approvals", summary="Held requests you asked for or may approve.")
def list_approvals(
    gate: Gate, who: Who, status: Literal["pending", "approved", "rejected", "all"] = "pending"
) -> Any:
    return gate.invoke("gateway.approvals.list", {"status": status}, who).result


@router.post("/approvals/{approval_id}/approve", summary="Approve a held request.")
def approve(approval_id: str, gate: Gate, who: Who, body: Answer | None = None) -> Any:
    reason = body.reason if body else ""
    return gate.invoke(
        "gateway.approvals.approve", {"id": approval_id, "reason": reason}, who
    ).result


@router.post("/approvals/{approval_id}/reject", summary="Reject a held request.")
def reject(approval_id: str, gate: Gate, who: Who, body: Answer | None = None) -> Any:
    reason = body.reason if body else ""
    return gate.invoke(
        "gateway.approvals.reject", {"id": approval_id, "reason": reason}, who
    ).result


@router.post("/disable", summary="Kill switch: disable a capability or a principal.")
def disable(body: Disable, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.disable", body, who).result


@router.post("/enable", summary="Lift a kill switch.")
def enable(body: Enable, gate: Gate, who: Who) -> Any:
    return gate.invoke("gateway.enable", body, who).result
