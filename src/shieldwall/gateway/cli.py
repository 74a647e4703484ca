"""`shieldwall gateway …`: capabilities and API keys, through the door."""

from __future__ import annotations

import json
from typing import Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table

from shieldwall.core.ports import Session
from shieldwall.core.types import Tier

app = typer.Typer(help="The one door: capabilities, API keys.", no_args_is_help=True)
key_app = typer.Typer(help="API keys for the HTTP API.", no_args_is_help=True)
app.add_typer(key_app, name="key")


def _call(ctx: typer.Context, capability: str, request: dict[str, Any]) -> Any:
    session = cast(Session, ctx.obj)
    return session.door.invoke(capability, request, session.principal).result


@app.command()
def capabilities(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with input schemas.")] = False,
) -> None:
    """List every capability, its minimum tier and what it touches."""
    caps = _call(ctx, "gateway.capabilities", {})
    if as_json:
        typer.echo(json.dumps(caps, indent=2))
        return
    table = Table("capability", "min tier", "writes", "external", "description")
    for c in caps:
        table.add_row(
            c["id"],
            str(c["min_tier"]),
            "yes" if c["writes"] else "",
            "yes" if c["touches_external"] else "",
            c["description"],
        )
    Console().print(table)


@key_app.command("create")
def key_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    tier: Annotated[int, typer.Option(min=0, max=3, help="Trust tier 0-3.")] = 1,
) -> None:
    """Create an API key; its secret is printed once, on the last line."""
    made = _call(ctx, "gateway.keys.create", {"name": name, "tier": Tier(tier)})
    typer.echo(f"created key {made['id']} (tier {made['tier']}); store the secret now:", err=True)
    typer.echo(made["key"])


@key_app.command("list")
def key_list(ctx: typer.Context) -> None:
    """List API keys (never their secrets)."""
    table = Table("id", "name", "tier", "created", "revoked")
    for k in _call(ctx, "gateway.keys.list", {}):
        table.add_row(k["id"], k["name"], str(k["tier"]), k["created_at"], k["revoked_at"] or "")
    Console().print(table)


@key_app.command("revoke")
def key_revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke an API key at once."""
    _call(ctx, "gateway.keys.revoke", {"id": key_id})
    typer.echo(f"revoked {key_id}")
