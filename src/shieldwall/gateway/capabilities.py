"""The gateway's own capabilities: listing capabilities and managing API keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.types import (
    Capability,
    CapabilityId,
    InvocationContext,
    Tier,
)
from shieldwall.gateway.principals import ApiKeys
from shieldwall.gateway.registry import CapabilityRegistry


class _Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    tier: Tier = Tier.VERIFIED_INDIVIDUAL


class KeyRevoke(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=32)


def gateway_capabilities(registry: CapabilityRegistry, keys: ApiKeys) -> list[Capability[Any]]:
    def list_capabilities(_req: BaseModel, _ctx: InvocationContext) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id,
                "description": c.description,
                "min_tier": int(c.min_tier),
                "touches_external": c.touches_external,
                "writes": c.writes,
                "input_schema": c.input_model.model_json_schema(),
            }
            for c in registry
        ]

    def create_key(req: KeyCreate, _ctx: InvocationContext) -> dict[str, Any]:
        principal, secret = keys.create(name=req.name, tier=req.tier)
        return {
            "id": principal.id.removeprefix("key:"),
            "principal": principal.id,
            "tier": int(principal.tier),
            "key": secret,
        }

    def list_keys(_req: BaseModel, _ctx: InvocationContext) -> list[dict[str, Any]]:
        return [
            {
                "id": k.id,
                "name": k.name,
                "tier": int(k.tier),
                "created_at": k.created_at.isoformat(),
                "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None,
            }
            for k in keys.list()
        ]

    def revoke_key(req: KeyRevoke, _ctx: InvocationContext) -> dict[str, Any]:
        keys.revoke(req.id)
        return {"id": req.id, "revoked": True}

    return [
        Capability(
            id=CapabilityId("gateway.capabilities"),
            min_tier=Tier.PUBLIC,
            description="List the capabilities and their input schemas.",
            input_model=_Empty,
            handler=list_capabilities,
        ),
        Capability(
            id=CapabilityId("gateway.keys.create"),
            min_tier=Tier.VETTED_DEFENDER,
            description="Create an API key of a given tier (the secret is shown once).",
            input_model=KeyCreate,
            handler=create_key,
            writes=True,
        ),
        Capability(
            id=CapabilityId("gateway.keys.list"),
            min_tier=Tier.VETTED_DEFENDER,
            description="List API keys (never their secrets).",
            input_model=_Empty,
            handler=list_keys,
        ),
        Capability(
            id=CapabilityId("gateway.keys.revoke"),
            min_tier=Tier.VETTED_DEFENDER,
            description="Revoke an API key at once.",
            input_model=KeyRevoke,
            handler=revoke_key,
            writes=True,
        ),
    ]
