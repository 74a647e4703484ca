"""HTTP routes of the gateway, under /api/v1/gateway."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from shieldwall.core.http import current_principal, door
from shieldwall.core.ports import Door
from shieldwall.core.types import Principal

router = APIRouter(prefix="/api/v1/gateway", tags=["gateway"])


@router.get("/capabilities", summary="Every capability, its minimum tier and input schema.")
def list_capabilities(
    gate: Annotated[Door, Depends(door)], who: Annotated[Principal, Depends(current_principal)]
) -> Any:
    return gate.invoke("gateway.capabilities", {}, who).result
