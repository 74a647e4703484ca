"""The gateway's own capabilities: capabilities and decisions, screening, identities,
organisations, API keys, approvals and the kill switch. Like every capability they are
invoked through the door, so each of these administrative acts is itself in the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.errors import DeniedError, InputError, NotFoundError
from shieldwall.core.types import (
    AuditMode,
    Capability,
    CapabilityId,
    InvocationContext,
    OrgId,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.gateway.control import Approvals, KillSwitch
from shieldwall.gateway.door import Gateway
from shieldwall.gateway.identity import Identities, Role
from shieldwall.gateway.ownership import AssetClaim, AssetClaims
from shieldwall.gateway.principals import ApiKeys
from shieldwall.gateway.registry import CapabilityRegistry
from shieldwall.gateway.screening import Screener
from shieldwall.ledger.log import Ledger


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Empty(_Strict):
    pass


class KeyCreate(_Strict):
    name: str = Field(min_length=1, max_length=200)
    tier: Tier = Tier.VERIFIED_INDIVIDUAL
    user_id: str | None = None


class KeyRevoke(_Strict):
    id: str = Field(min_length=1, max_length=32)


class ScreenRequest(_Strict):
    text: str = Field(max_length=100_000)


class DecideRequest(_Strict):
    capability: str = Field(min_length=1, max_length=100)
    tier: Tier
    text: str = Field(default="", max_length=100_000)
    target: str | None = Field(default=None, max_length=255)
    org: str | None = None


class UserCreate(_Strict):
    email: str = Field(min_length=3, max_length=320)
    name: str = Field(min_length=1, max_length=200)
    password: str | None = Field(default=None, min_length=12, max_length=1024)


class TokenRequest(_Strict):
    token: str = Field(min_length=8, max_length=200)


class Login(_Strict):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    key_name: str = Field(default="login", min_length=1, max_length=200)


class Logout(_Strict):
    key: str = Field(min_length=1, max_length=200)


class UserRef(_Strict):
    user_id: str = Field(min_length=1, max_length=32)


class OrgCreate(_Strict):
    name: str = Field(min_length=1, max_length=200)


class OrgRef(_Strict):
    org_id: str = Field(min_length=1, max_length=32)


class MemberAdd(_Strict):
    org_id: str = Field(min_length=1, max_length=32)
    user_id: str = Field(min_length=1, max_length=32)
    role: Literal["member", "approver", "admin"] = "member"


class ApprovalList(_Strict):
    status: Literal["pending", "approved", "rejected", "all"] = "pending"


class ApprovalAnswer(_Strict):
    id: str = Field(min_length=1, max_length=32)
    reason: str = Field(default="", max_length=2000)


class Disable(_Strict):
    kind: Literal["capability", "principal"]
    target: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=2000)


class Enable(_Strict):
    kind: Literal["capability", "principal"]
    target: str = Field(min_length=1, max_length=100)


class ClaimRequest(_Strict):
    owner: str = Field(min_length=1, max_length=64, description="An org id, or 'me'.")
    domain: str = Field(min_length=1, max_length=255)
    method: Literal["dns", "http"] = "dns"


class ClaimRef(_Strict):
    claim_id: str = Field(min_length=1, max_length=32)


class AssetsRequest(_Strict):
    owner: str = Field(default="me", min_length=1, max_length=64)


class AttestRequest(_Strict):
    owner: str = Field(min_length=1, max_length=64)
    cidr: str = Field(min_length=1, max_length=64)


def _claim_json(c: AssetClaim) -> dict[str, Any]:
    out: dict[str, Any] = {
        "claim_id": c.id,
        "owner": c.owner_id,
        "kind": str(c.kind),
        "value": c.value,
        "method": str(c.method),
        "status": str(c.status),
        "verified_at": c.verified_at.isoformat() if c.verified_at else None,
        "evidence_index": c.evidence_index,
    }
    if str(c.status) in ("pending", "failed"):  # a failed check may be retried
        out["publish"] = (
            {"dns_txt_name": c.dns_name, "dns_txt_value": c.key_authorization}
            if str(c.method) == "dns"
            else {"http_url": c.http_url, "http_body": c.key_authorization}
        )
    return out


class DecisionsRequest(_Strict):
    limit: int = Field(default=20, ge=1, le=1000)
    capability: str | None = None
    before: int | None = Field(default=None, ge=0)


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayServices:
    registry: CapabilityRegistry
    gateway: Gateway
    keys: ApiKeys
    identities: Identities
    approvals: Approvals
    killswitch: KillSwitch
    ledger: Ledger
    screener: Screener | None
    assets: AssetClaims


def _cap(
    cid: str, tier: Tier, description: str, model: type[BaseModel], handler: Any, **kw: Any
) -> Capability[Any]:
    return Capability(
        id=CapabilityId(cid),
        min_tier=tier,
        description=description,
        input_model=model,
        handler=handler,
        **kw,
    )


def gateway_capabilities(s: GatewayServices) -> list[Capability[Any]]:
    def list_capabilities(_req: _Empty, _ctx: InvocationContext) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id,
                "description": c.description,
                "min_tier": int(c.min_tier),
                "touches_external": c.touches_external,
                "writes": c.writes,
                "input_schema": c.input_model.model_json_schema(),
            }
            for c in s.registry
        ]

    def screen(req: ScreenRequest, _ctx: InvocationContext) -> dict[str, Any]:
        if s.screener is None:
            raise InputError("no misuse screener is configured", code="gateway.no_screener")
        found = s.screener.screen(req.text)
        return {"label": found.label, "score": round(found.score, 4), "tactic": found.tactic}

    def decide(req: DecideRequest, ctx: InvocationContext) -> dict[str, Any]:
        cap = s.registry.get(req.capability)
        if cap is None:
            raise NotFoundError(
                f"there is no capability {req.capability!r}", code="gateway.no_capability"
            )
        who = Principal(
            id=PrincipalId(f"preview:tier{int(req.tier)}"),
            kind=PrincipalKind.API_KEY,
            tier=req.tier,
            org=OrgId(req.org) if req.org else None,
        )
        found = s.screener.screen(req.text) if s.screener and req.text.strip() else None
        decision = s.gateway.decide(cap, who, found, target=req.target, charge_quota=False)
        return {
            "decision": str(decision.kind),
            "reasons": [{"code": r.code, "message": r.message} for r in decision.reasons],
            "downgraded_to": decision.downgraded_to,
            "screening": None
            if found is None
            else {"label": found.label, "score": round(found.score, 4), "tactic": found.tactic},
        }

    def create_key(req: KeyCreate, ctx: InvocationContext) -> dict[str, Any]:
        if req.user_id is not None:
            s.identities.get_user(req.user_id)
        org_id = s.identities.primary_org(req.user_id) if req.user_id else None
        principal, secret = s.keys.create(
            name=req.name, tier=req.tier, user_id=req.user_id, org_id=org_id
        )
        return {
            "principal": principal.id,
            "tier": int(principal.tier),
            "key": secret,
            "id": secret.split("_")[1],
        }

    def list_keys(_req: _Empty, _ctx: InvocationContext) -> list[dict[str, Any]]:
        return [
            {
                "id": k.id,
                "name": k.name,
                "tier": int(k.tier),
                "created_at": k.created_at.isoformat(),
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            }
            for k in s.keys.list()
        ]

    def revoke_key(req: KeyRevoke, _ctx: InvocationContext) -> dict[str, Any]:
        s.keys.revoke(req.id)
        return {"id": req.id, "revoked": True}

    def user_create(req: UserCreate, _ctx: InvocationContext) -> dict[str, Any]:
        made = s.identities.create_user(email=req.email, name=req.name, password=req.password)
        s.identities.start_email_verification(made.id)
        return {
            "user_id": made.id,
            "email": made.email,
            "tier": 0,
            "next": "confirm the e-mail address with the token we sent",
        }

    def verify_email(req: TokenRequest, _ctx: InvocationContext) -> dict[str, Any]:
        account = s.identities.verify_email(req.token)
        return {
            "user_id": account.id,
            "email_verified": True,
            "tier": int(s.identities.tier_of(account.id)),
        }

    def login(req: Login, _ctx: InvocationContext) -> dict[str, Any]:
        account = s.identities.check_password(req.email, req.password)
        principal, secret = s.keys.create(
            name=req.key_name,
            tier=Tier.VETTED_DEFENDER,
            user_id=account.id,
            org_id=s.identities.primary_org(account.id),
        )
        return {"principal": principal.id, "tier": int(principal.tier), "key": secret}

    def logout(req: Logout, _ctx: InvocationContext) -> dict[str, Any]:
        return {"id": s.keys.revoke_token(req.key), "revoked": True}

    def user_show(req: UserRef, _ctx: InvocationContext) -> dict[str, Any]:
        account = s.identities.get_user(req.user_id)
        return {
            "user_id": account.id,
            "email": account.email,
            "name": account.name,
            "email_verified": account.email_verified,
            "vetted": account.vetted,
            "tier": int(s.identities.tier_of(account.id)),
            "org": s.identities.primary_org(account.id),
        }

    def vet(req: UserRef, ctx: InvocationContext) -> dict[str, Any]:
        account = s.identities.vet(req.user_id, by=ctx.principal)
        return {
            "user_id": account.id,
            "vetted": True,
            "tier": int(s.identities.tier_of(account.id)),
        }

    def org_create(req: OrgCreate, ctx: InvocationContext) -> dict[str, Any]:
        info = s.identities.create_org(name=req.name, creator=ctx.principal)
        return {"org_id": info.id, "name": info.name, "approved": info.approved}

    def org_approve(req: OrgRef, ctx: InvocationContext) -> dict[str, Any]:
        info = s.identities.approve_org(req.org_id, by=ctx.principal)
        return {
            "org_id": info.id,
            "approved": info.approved,
            "verified_domains": list(info.verified_domains),
        }

    def org_show(req: OrgRef, _ctx: InvocationContext) -> dict[str, Any]:
        info = s.identities.get_org(req.org_id)
        return {
            "org_id": info.id,
            "name": info.name,
            "approved": info.approved,
            "verified_domains": list(info.verified_domains),
        }

    def member_add(req: MemberAdd, ctx: InvocationContext) -> dict[str, Any]:
        role: Role = req.role
        s.identities.add_member(req.org_id, req.user_id, role, by=ctx.principal)
        return {"org_id": req.org_id, "user_id": req.user_id, "role": role}

    def approvals_list(req: ApprovalList, ctx: InvocationContext) -> list[dict[str, Any]]:
        status = None if req.status == "all" else req.status
        mine = [
            a
            for a in s.approvals.list(status)
            if a.requester.id == ctx.principal.id
            or s.identities.can_approve_for(ctx.principal, a.requester.org)
        ]
        return [a.summary() for a in mine]

    def answer(approve: bool) -> Any:
        def handler(req: ApprovalAnswer, ctx: InvocationContext) -> dict[str, Any]:
            done = s.gateway.approve(req.id, ctx.principal, approve=approve, reason=req.reason)
            out: dict[str, Any] = {"id": req.id, "status": "approved" if approve else "rejected"}
            if done is not None:
                out["result"] = done.result
                out["outcome_index"] = done.outcome_index
            return out

        return handler

    def disable(req: Disable, ctx: InvocationContext) -> dict[str, Any]:
        if req.kind == "capability" and req.target.startswith("gateway."):
            raise DeniedError(
                "the gateway's own capabilities cannot be switched off",
                code="gateway.cannot_disable",
                hint="Disable the principal instead, or stop the server.",
            )
        s.killswitch.disable(req.kind, req.target, reason=req.reason, by=ctx.principal.id)
        return {"kind": req.kind, "target": req.target, "disabled": True}

    def enable(req: Enable, _ctx: InvocationContext) -> dict[str, Any]:
        return {
            "kind": req.kind,
            "target": req.target,
            "enabled": s.killswitch.enable(req.kind, req.target),
        }

    def decisions(req: DecisionsRequest, _ctx: InvocationContext) -> list[dict[str, Any]]:
        """The newest decision entries, read backwards from the end of the log."""
        end = s.ledger.size() if req.before is None else min(req.before, s.ledger.size())
        found: list[dict[str, Any]] = []
        while end > 0 and len(found) < req.limit:
            start = max(0, end - 500)
            page = list(s.ledger.entries(start, end))
            for offset in range(len(page) - 1, -1, -1):
                entry = json.loads(page[offset])
                if entry.get("kind") != "decision":
                    continue
                if req.capability and entry.get("capability") != req.capability:
                    continue
                found.append({"index": start + offset, **entry})
                if len(found) == req.limit:
                    break
            end = start
        return found

    def owner_for(owner: str, who: Principal) -> str:
        if owner == "me":
            return who.id
        if not s.identities.is_admin(who.id, owner):
            raise DeniedError(
                f"{who.id} is not an admin of {owner}",
                code="gateway.not_org_admin",
                hint="Only an organisation's admins claim its assets.",
            )
        return owner

    def claim(req: ClaimRequest, ctx: InvocationContext) -> dict[str, Any]:
        made = s.assets.claim(
            owner_id=owner_for(req.owner, ctx.principal),
            account_id=ctx.principal.id,
            kind="domain",
            value=req.domain,
            method=req.method,
        )
        return _claim_json(made)

    def verify_claim(req: ClaimRef, ctx: InvocationContext) -> dict[str, Any]:
        return _claim_json(s.assets.verify(req.claim_id, ctx.principal.id))

    def list_assets(req: AssetsRequest, ctx: InvocationContext) -> list[dict[str, Any]]:
        return [_claim_json(c) for c in s.assets.list(owner_for(req.owner, ctx.principal))]

    def attest(req: AttestRequest, ctx: InvocationContext) -> dict[str, Any]:
        return _claim_json(
            s.assets.attest(owner_id=req.owner, value=req.cidr, attested_by=ctx.principal.id)
        )

    def revoke_claim(req: ClaimRef, ctx: InvocationContext) -> dict[str, Any]:
        found = s.assets.get(req.claim_id)
        owner_for(found.owner_id if found.owner_id != ctx.principal.id else "me", ctx.principal)
        return _claim_json(s.assets.revoke(req.claim_id, by=ctx.principal.id))

    public_read = {"audit": AuditMode.REFUSALS}
    return [
        _cap(
            "gateway.capabilities",
            Tier.PUBLIC,
            "List the capabilities and their input schemas.",
            _Empty,
            list_capabilities,
            **public_read,
        ),
        _cap(
            "gateway.decisions",
            Tier.PUBLIC,
            "The newest decisions in the ledger (prove one with `ledger prove INDEX`).",
            DecisionsRequest,
            decisions,
            **public_read,
        ),
        _cap(
            "gateway.screen",
            Tier.PUBLIC,
            "Screen a text for misuse: benign, dual_use or malicious.",
            ScreenRequest,
            screen,
        ),
        _cap(
            "gateway.decide",
            Tier.PUBLIC,
            "What the gateway would decide for a principal of a given tier (a dry run).",
            DecideRequest,
            decide,
        ),
        _cap(
            "gateway.users.create",
            Tier.PUBLIC,
            "Open an account; a verification token goes to the e-mail address.",
            UserCreate,
            user_create,
            writes=True,
            secret_fields=("password",),
        ),
        _cap(
            "gateway.users.verify_email",
            Tier.PUBLIC,
            "Confirm an e-mail address with its token.",
            TokenRequest,
            verify_email,
            writes=True,
        ),
        _cap(
            "gateway.users.login",
            Tier.PUBLIC,
            "Exchange an e-mail and password for an API key.",
            Login,
            login,
            writes=True,
            secret_fields=("password",),
        ),
        _cap(
            "gateway.users.logout",
            Tier.PUBLIC,
            "Sign out: revoke the API key given (a login's key), so it opens nothing again.",
            Logout,
            logout,
            writes=True,
            secret_fields=("key",),
        ),
        _cap(
            "gateway.users.show",
            Tier.VETTED_DEFENDER,
            "Show an account and its tier.",
            UserRef,
            user_show,
        ),
        _cap(
            "gateway.users.vet",
            Tier.VETTED_DEFENDER,
            "Vet a user as a defender (tier 3); hub admins only.",
            UserRef,
            vet,
            writes=True,
        ),
        _cap(
            "gateway.orgs.create",
            Tier.VERIFIED_INDIVIDUAL,
            "Create an organisation; its creator becomes its admin.",
            OrgCreate,
            org_create,
            writes=True,
        ),
        _cap(
            "gateway.orgs.approve",
            Tier.VETTED_DEFENDER,
            "Approve an organisation; hub admins only.",
            OrgRef,
            org_approve,
            writes=True,
        ),
        _cap(
            "gateway.orgs.show",
            Tier.VERIFIED_INDIVIDUAL,
            "Show an organisation and its proven domains.",
            OrgRef,
            org_show,
        ),
        _cap(
            "gateway.orgs.add_member",
            Tier.VERIFIED_INDIVIDUAL,
            "Add a member, approver or admin to an organisation (its admins only).",
            MemberAdd,
            member_add,
            writes=True,
        ),
        _cap(
            "gateway.assets.claim",
            Tier.VERIFIED_INDIVIDUAL,
            "Start proving a domain (DNS TXT or HTTP well-known challenge).",
            ClaimRequest,
            claim,
            writes=True,
        ),
        _cap(
            "gateway.assets.verify",
            Tier.VERIFIED_INDIVIDUAL,
            "Check a domain challenge now; the evidence goes into the ledger.",
            ClaimRef,
            verify_claim,
            writes=True,
        ),
        _cap(
            "gateway.assets.list",
            Tier.VERIFIED_INDIVIDUAL,
            "Assets claimed and proven by you or your organisation.",
            AssetsRequest,
            list_assets,
        ),
        _cap(
            "gateway.assets.attest",
            Tier.VETTED_DEFENDER,
            "Attest an IP range for an owner (admins).",
            AttestRequest,
            attest,
            writes=True,
        ),
        _cap(
            "gateway.assets.revoke",
            Tier.VERIFIED_INDIVIDUAL,
            "Withdraw an asset claim.",
            ClaimRef,
            revoke_claim,
            writes=True,
        ),
        _cap(
            "gateway.keys.create",
            Tier.VETTED_DEFENDER,
            "Create an API key (the secret is shown once), standalone or for a user.",
            KeyCreate,
            create_key,
            writes=True,
        ),
        _cap(
            "gateway.keys.list",
            Tier.VETTED_DEFENDER,
            "List API keys (never their secrets).",
            _Empty,
            list_keys,
        ),
        _cap(
            "gateway.keys.revoke",
            Tier.VETTED_DEFENDER,
            "Revoke an API key at once.",
            KeyRevoke,
            revoke_key,
            writes=True,
        ),
        _cap(
            "gateway.approvals.list",
            Tier.VERIFIED_INDIVIDUAL,
            "Held requests you asked for or may approve.",
            ApprovalList,
            approvals_list,
        ),
        _cap(
            "gateway.approvals.approve",
            Tier.VERIFIED_INDIVIDUAL,
            "Approve a held request (never your own); it then runs.",
            ApprovalAnswer,
            answer(True),
            writes=True,
        ),
        _cap(
            "gateway.approvals.reject",
            Tier.VERIFIED_INDIVIDUAL,
            "Reject a held request.",
            ApprovalAnswer,
            answer(False),
            writes=True,
        ),
        _cap(
            "gateway.disable",
            Tier.VETTED_DEFENDER,
            "Kill switch: disable a capability or a principal at once.",
            Disable,
            disable,
            writes=True,
        ),
        _cap(
            "gateway.enable",
            Tier.VETTED_DEFENDER,
            "Lift a kill switch.",
            Enable,
            enable,
            writes=True,
        ),
    ]
