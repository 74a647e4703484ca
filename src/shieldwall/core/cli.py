"""What every package's Typer group uses to reach the door (``cli/main.py`` sets ``ctx.obj``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import typer

from shieldwall.core.ports import Session


def invoke(ctx: typer.Context, capability: str, request: Mapping[str, Any]) -> Any:
    """Run ``capability`` through the door as the session's principal; return its result."""
    session = cast(Session, ctx.obj)
    return session.door.invoke(capability, request, session.principal).result
