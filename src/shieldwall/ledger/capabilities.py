"""The ledger's capabilities. Reads are public and recorded only when refused (AuditMode);
appending is a recorded write of a verified individual or above."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shieldwall.core.types import AuditMode, Capability, CapabilityId, InvocationContext, Tier
from shieldwall.ledger.log import Ledger

MAX_PAGE = 10_000


class AppendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: dict[str, Any] = Field(description="The JSON object to record.")


class EntryRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    index: int = Field(ge=0)


class EntriesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: int = Field(default=0, ge=0)
    end: int | None = Field(default=None, ge=0)


class InclusionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    index: int = Field(ge=0)
    tree_size: int | None = Field(default=None, ge=0)


class ConsistencyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    old_size: int = Field(ge=0)
    new_size: int | None = Field(default=None, ge=0)


class _Empty(BaseModel):
    model_config = ConfigDict(extra="forbid")


def ledger_capabilities(ledger: Ledger) -> list[Capability[Any]]:
    def append(req: AppendRequest, ctx: InvocationContext) -> dict[str, Any]:
        # Wrapped, so that no one can append something that reads like a gateway decision.
        index = ledger.append(
            {
                "kind": "record",
                "v": 1,
                "principal": ctx.principal.id,
                "decision_index": ctx.decision_index,
                "body": req.body,
            }
        )
        return {"index": index}

    def checkpoint(_req: BaseModel, _ctx: InvocationContext) -> dict[str, Any]:
        return {"checkpoint": ledger.checkpoint()}

    def public_key(_req: BaseModel, _ctx: InvocationContext) -> dict[str, Any]:
        return {"public_key": ledger.public_key, "origin": ledger.origin}

    def entry(req: EntryRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return {"index": req.index, "entry": json.loads(ledger.entry(req.index))}

    def entries(req: EntriesRequest, _ctx: InvocationContext) -> dict[str, Any]:
        end = ledger.size() if req.end is None else req.end
        end = min(end, req.start + MAX_PAGE)
        bodies = list(ledger.entries(req.start, end)) if end > req.start else []
        return {
            "start": req.start,
            "end": req.start + len(bodies),
            "entries": [json.loads(b) for b in bodies],
        }

    def prove(req: InclusionRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return ledger.inclusion_proof(req.index, req.tree_size).to_json()

    def consistency(req: ConsistencyRequest, _ctx: InvocationContext) -> dict[str, Any]:
        return ledger.consistency_proof(req.old_size, req.new_size).to_json()

    def read(cid: str, description: str, model: type[BaseModel], handler: Any) -> Capability[Any]:
        return Capability(
            id=CapabilityId(cid),
            description=description,
            min_tier=Tier.PUBLIC,
            input_model=model,
            handler=handler,
            audit=AuditMode.REFUSALS,
        )

    return [
        Capability(
            id=CapabilityId("ledger.append"),
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            description="Record a JSON object in the transparency ledger.",
            input_model=AppendRequest,
            handler=append,
            writes=True,
        ),
        read("ledger.checkpoint", "The current signed checkpoint (C2SP).", _Empty, checkpoint),
        read("ledger.public_key", "The key that verifies checkpoints.", _Empty, public_key),
        read("ledger.entry", "One ledger entry by index.", EntryRequest, entry),
        read("ledger.entries", f"Up to {MAX_PAGE} entries from start.", EntriesRequest, entries),
        read("ledger.prove", "An inclusion proof for one entry.", InclusionRequest, prove),
        read(
            "ledger.consistency",
            "A consistency proof between two tree sizes.",
            ConsistencyRequest,
            consistency,
        ),
    ]
