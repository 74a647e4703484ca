"""HTTP routes of the ledger, under /api/v1/ledger. Every route goes through the door."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import PlainTextResponse

from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal

router = APIRouter(prefix="/api/v1/ledger", tags=["ledger"])

DoorDep = Annotated[Door, Depends(door)]
Who = Annotated[Principal, Depends(current_principal)]


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    summary="The current signed checkpoint (C2SP tlog-checkpoint, text/plain).",
)
def get_checkpoint(gate: DoorDep, who: Who) -> str:
    return str(gate.invoke("ledger.checkpoint", {}, who).result["checkpoint"])


@router.get(
    "/public-key", response_class=PlainTextResponse, summary="The verifier key for checkpoints."
)
def get_public_key(gate: DoorDep, who: Who) -> str:
    return str(gate.invoke("ledger.public_key", {}, who).result["public_key"]) + "\n"


@router.get("/entries/{index}", summary="One entry.")
def get_entry(index: int, gate: DoorDep, who: Who) -> Any:
    return gate.invoke("ledger.entry", {"index": index}, who).result


@router.get("/proof/inclusion", summary="Inclusion proof (RFC 9162).")
def get_inclusion(
    gate: DoorDep,
    who: Who,
    index: Annotated[int, Query(ge=0)],
    tree_size: Annotated[int | None, Query(ge=0)] = None,
) -> Any:
    return gate.invoke("ledger.prove", {"index": index, "tree_size": tree_size}, who).result


@router.get("/proof/consistency", summary="Consistency proof (RFC 9162).")
def get_consistency(
    gate: DoorDep,
    who: Who,
    first: Annotated[int, Query(ge=0)],
    second: Annotated[int | None, Query(ge=0)] = None,
) -> Any:
    return gate.invoke("ledger.consistency", {"old_size": first, "new_size": second}, who).result


@router.post("/entries", status_code=201, summary="Record a JSON object (tier 1 and above).")
def post_entry(body: dict[str, Any], gate: DoorDep, who: Who) -> Any:
    return gate.invoke("ledger.append", {"body": body}, who).result
