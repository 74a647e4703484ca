"""`shieldwall gateway …`: the door's own controls, through the door."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from shieldwall.core.cli import invoke as _call
from shieldwall.core.types import Tier

app = typer.Typer(
    help="The one door: screening, decisions, identities, keys, approvals.", no_args_is_help=True
)
key_app = typer.Typer(help="API keys for the HTTP API.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations and their proven assets.", no_args_is_help=True)
approvals_app = typer.Typer(help="Requests held for an approver.", no_args_is_help=True)
app.add_typer(key_app, name="key")
app.add_typer(user_app, name="user")
app.add_typer(org_app, name="org")
app.add_typer(approvals_app, name="approvals")

Format = Annotated[Literal["text", "json"], typer.Option("--format", help="text or json")]


def _json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2))


def _table(columns: list[str], rows: list[list[str]]) -> None:
    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


@app.command()
def capabilities(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON with input schemas.")] = False,
) -> None:
    """List every capability, its minimum tier and what it touches."""
    caps = _call(ctx, "gateway.capabilities", {})
    if as_json:
        _json(caps)
        return
    _table(
        ["capability", "min tier", "writes", "external", "description"],
        [
            [
                c["id"],
                str(c["min_tier"]),
                "yes" if c["writes"] else "",
                "yes" if c["touches_external"] else "",
                c["description"],
            ]
            for c in caps
        ],
    )


@app.command()
def screen(
    ctx: typer.Context,
    text: Annotated[str, typer.Option(help="The request text.")],
    fmt: Format = "text",
) -> None:
    """Screen a text for misuse: benign, dual_use or malicious."""
    found = _call(ctx, "gateway.screen", {"text": text})
    if fmt == "json":
        _json(found)
    else:
        typer.echo(
            f"{found['label']} (score {found['score']:.2f}"
            + (f", tactic {found['tactic']})" if found["tactic"] else ")")
        )


@app.command()
def decide(
    ctx: typer.Context,
    capability: Annotated[str, typer.Option(help="Capability id.")],
    tier: Annotated[int, typer.Option(min=0, max=3, help="The asking principal's tier.")],
    text: Annotated[str, typer.Option(help="The request's free text.")] = "",
    target: Annotated[str | None, typer.Option(help="The asset it would touch.")] = None,
    org: Annotated[str | None, typer.Option(help="Whose proven assets count.")] = None,
    fmt: Format = "text",
) -> None:
    """What the gateway would decide (a dry run: nothing runs)."""
    found = _call(
        ctx,
        "gateway.decide",
        {"capability": capability, "tier": tier, "text": text, "target": target, "org": org},
    )
    if fmt == "json":
        _json(found)
        return
    typer.echo(
        found["decision"] + (f" -> {found['downgraded_to']}" if found["downgraded_to"] else "")
    )
    for r in found["reasons"]:
        typer.echo(f"  {r['code']}: {r['message']}")


@app.command()
def decisions(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    capability: Annotated[str | None, typer.Option(help="Only this capability.")] = None,
    fmt: Format = "text",
) -> None:
    """The newest decisions in the ledger; prove any with `shieldwall ledger prove INDEX`."""
    found = _call(ctx, "gateway.decisions", {"limit": limit, "capability": capability})
    if fmt == "json":
        _json(found)
        return
    _table(
        ["index", "time", "principal", "capability", "decision", "reasons"],
        [
            [
                str(d["index"]),
                d["ts"],
                d["principal"]["id"],
                d["capability"],
                d["decision"],
                "; ".join(r["code"] for r in d["reasons"]),
            ]
            for d in found
        ],
    )


@app.command()
def disable(
    ctx: typer.Context,
    target: Annotated[
        str, typer.Argument(help="A capability id, or a principal id (key:…, user:…).")
    ],
    reason: Annotated[str, typer.Option(help="Why; recorded in the ledger.")],
) -> None:
    """Kill switch: refuse a capability or a principal from now on."""
    kind = "principal" if target.split(":", 1)[0] in ("key", "user", "anon") else "capability"
    _call(ctx, "gateway.disable", {"kind": kind, "target": target, "reason": reason})
    typer.echo(f"disabled {kind} {target}")


@app.command()
def enable(ctx: typer.Context, target: Annotated[str, typer.Argument()]) -> None:
    """Lift a kill switch."""
    kind = "principal" if target.split(":", 1)[0] in ("key", "user", "anon") else "capability"
    done = _call(ctx, "gateway.enable", {"kind": kind, "target": target})
    typer.echo(f"enabled {kind} {target}" if done["enabled"] else f"{target} was not disabled")


@key_app.command("create")
def key_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    tier: Annotated[int, typer.Option(min=0, max=3, help="Tier (a user's key: the ceiling).")] = 1,
    user: Annotated[str | None, typer.Option(help="Bind the key to this user id.")] = None,
) -> None:
    """Create an API key; its secret is printed once, on the last line."""
    made = _call(ctx, "gateway.keys.create", {"name": name, "tier": Tier(tier), "user_id": user})
    typer.echo(
        f"created key {made['id']} for {made['principal']} (tier {made['tier']}); "
        "store the secret now:",
        err=True,
    )
    typer.echo(made["key"])


@key_app.command("list")
def key_list(ctx: typer.Context) -> None:
    """List API keys (never their secrets)."""
    _table(
        ["id", "name", "tier", "created", "revoked"],
        [
            [k["id"], k["name"], str(k["tier"]), k["created_at"], k["revoked_at"] or ""]
            for k in _call(ctx, "gateway.keys.list", {})
        ],
    )


@key_app.command("revoke")
def key_revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke an API key at once."""
    _call(ctx, "gateway.keys.revoke", {"id": key_id})
    typer.echo(f"revoked {key_id}")


@user_app.command("create")
def user_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option()],
    password: Annotated[bool, typer.Option("--password", help="Prompt for a password.")] = False,
) -> None:
    """Open an account; a verification token is mailed (SHIELDWALL_SMTP_HOST)."""
    secret = (
        typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    )
    made = _call(ctx, "gateway.users.create", {"email": email, "name": name, "password": secret})
    typer.echo(
        f"created user {made['user_id']} ({made['email']}), tier 0 until the e-mail "
        "address is confirmed"
    )


@user_app.command("verify-email")
def user_verify(ctx: typer.Context, token: Annotated[str, typer.Argument()]) -> None:
    """Confirm an e-mail address with the token that was mailed."""
    done = _call(ctx, "gateway.users.verify_email", {"token": token})
    typer.echo(f"{done['user_id']}: e-mail confirmed, tier {done['tier']}")


@user_app.command("show")
def user_show(ctx: typer.Context, user_id: Annotated[str, typer.Argument()]) -> None:
    """Show an account and the tier it has earned."""
    _json(_call(ctx, "gateway.users.show", {"user_id": user_id}))


@user_app.command("vet")
def user_vet(ctx: typer.Context, user_id: Annotated[str, typer.Argument()]) -> None:
    """Vet a user as a defender (tier 3)."""
    done = _call(ctx, "gateway.users.vet", {"user_id": user_id})
    typer.echo(f"{done['user_id']} vetted, tier {done['tier']}")


@user_app.command("key")
def user_key(
    ctx: typer.Context,
    user_id: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "cli",
) -> None:
    """An API key for a user: it carries the tier the user has earned, at each request."""
    key_create(ctx, name=name, tier=3, user=user_id)


@org_app.command("create")
def org_create(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Create an organisation."""
    made = _call(ctx, "gateway.orgs.create", {"name": name})
    typer.echo(
        f"created organisation {made['org_id']} ({made['name']}); a hub admin must "
        "approve it and it must prove a domain before its members reach tier 2"
    )


@org_app.command("approve")
def org_approve(ctx: typer.Context, org_id: Annotated[str, typer.Argument()]) -> None:
    """Approve an organisation (hub admins)."""
    done = _call(ctx, "gateway.orgs.approve", {"org_id": org_id})
    typer.echo(f"{done['org_id']} approved")


@org_app.command("add-member")
def org_add_member(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument()],
    user_id: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="member, approver or admin")] = "member",
) -> None:
    """Add a user to an organisation."""
    _call(ctx, "gateway.orgs.add_member", {"org_id": org_id, "user_id": user_id, "role": role})
    typer.echo(f"{user_id} is now {role} of {org_id}")


@org_app.command("show")
def org_show(ctx: typer.Context, org_id: Annotated[str, typer.Argument()]) -> None:
    """Show an organisation and its proven domains."""
    _json(_call(ctx, "gateway.orgs.show", {"org_id": org_id}))


@org_app.command("verify-domain")
def org_verify_domain(
    ctx: typer.Context,
    owner: Annotated[str, typer.Argument(help="An organisation id, or 'me'.")],
    domain: Annotated[str, typer.Argument()],
    method: Annotated[
        str, typer.Option(help="dns (a TXT record) or http (a well-known file)")
    ] = "dns",
) -> None:
    """Prove a domain: the first run says what to publish, the next run checks it."""
    claims = _call(ctx, "gateway.assets.list", {"owner": owner})
    wanted = domain.strip().rstrip(".").lower()
    pending = [
        c
        for c in claims
        if c["value"] == wanted and c["status"] in ("pending", "failed") and c["method"] == method
    ]
    if any(c["value"] == wanted and c["status"] == "verified" for c in claims):
        typer.echo(f"{wanted} is already proven for {owner}")
        return
    if not pending:
        made = _call(
            ctx, "gateway.assets.claim", {"owner": owner, "domain": domain, "method": method}
        )
        publish = made["publish"]
        if method == "dns":
            typer.echo(
                f"Publish this TXT record, then run this command again:\n"
                f'  {publish["dns_txt_name"]}  TXT  "{publish["dns_txt_value"]}"'
            )
        else:
            typer.echo(
                f"Serve this body at {publish['http_url']}, then run this command "
                f"again:\n  {publish['http_body']}"
            )
        raise typer.Exit(code=1)
    done = _call(ctx, "gateway.assets.verify", {"claim_id": pending[-1]["claim_id"]})
    typer.echo(
        f"{done['value']} is proven for {owner} (evidence: ledger entry {done['evidence_index']})"
    )


@org_app.command("assets")
def org_assets(
    ctx: typer.Context,
    owner: Annotated[str, typer.Argument(help="An organisation id, or 'me'.")] = "me",
    fmt: Format = "text",
) -> None:
    """Assets claimed and proven for an owner."""
    found = _call(ctx, "gateway.assets.list", {"owner": owner})
    if fmt == "json":
        _json(found)
        return
    _table(
        ["claim", "asset", "method", "status", "verified", "evidence"],
        [
            [
                c["claim_id"],
                c["value"],
                c["method"],
                c["status"],
                c["verified_at"] or "",
                str(c["evidence_index"] if c["evidence_index"] is not None else ""),
            ]
            for c in found
        ],
    )


@approvals_app.command("list")
def approvals_list(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all")] = "pending",
    fmt: Format = "text",
) -> None:
    """Held requests you asked for or may approve."""
    found = _call(ctx, "gateway.approvals.list", {"status": status})
    if fmt == "json":
        _json(found)
        return
    _table(
        ["id", "capability", "requester", "tier", "status", "held at"],
        [
            [a["id"], a["capability"], a["requester"], str(a["tier"]), a["status"], a["created_at"]]
            for a in found
        ],
    )


@approvals_app.command("approve")
def approvals_approve(
    ctx: typer.Context,
    approval_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why; recorded in the ledger.")] = "",
) -> None:
    """Approve a held request; it runs now, as the requester asked."""
    done = _call(ctx, "gateway.approvals.approve", {"id": approval_id, "reason": reason})
    typer.echo(
        f"{approval_id} approved; it ran (outcome in ledger entry {done.get('outcome_index')})"
    )


@approvals_app.command("reject")
def approvals_reject(
    ctx: typer.Context,
    approval_id: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option(help="Why; recorded in the ledger.")] = "",
) -> None:
    """Reject a held request."""
    _call(ctx, "gateway.approvals.reject", {"id": approval_id, "reason": reason})
    typer.echo(f"{approval_id} rejected")
