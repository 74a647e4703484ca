"""`shieldwall protect ...`: check a link, a message or a password; a checkup; the brand registry.

Exit codes: 0 safe, 1 suspicious or dangerous, 2 bad input. Every command goes through the door.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from shieldwall.core.cli import invoke as _call
from shieldwall.core.errors import InputError
from shieldwall.protect.checkup import QUESTIONS, Answer, render_plan
from shieldwall.protect.email import MAX_EMAIL_BYTES
from shieldwall.protect.password import MAX_PASSWORD_CHARS
from shieldwall.protect.verdict import Assessment, Signal, Verdict

app = typer.Typer(
    help="Protect yourself: check a link, a text message or a password, offline and in plain "
    "words; a security checkup; the brand registry.",
    no_args_is_help=True,
)
brands_app = typer.Typer(
    help="The registry of brands and their real domains.", no_args_is_help=True
)
password_app = typer.Typer(
    help="Check a password against breach data (only 5 characters of its SHA-1 hash leave this "
    "computer) and estimate its strength. Prompts without echo, or reads one line from stdin.",
    invoke_without_command=True,
)
app.add_typer(brands_app, name="brands")
app.add_typer(password_app, name="password")


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


FormatOpt = Annotated[Format, typer.Option("--format", help="text for people, json for tools.")]


def _assessment(result: dict[str, Any]) -> Assessment:
    return Assessment(
        verdict=Verdict(result["verdict"]),
        score=float(result["score"]),
        reasons=tuple(
            Signal(signal=r["signal"], detail=r["detail"], weight=float(r["weight"]))
            for r in result["reasons"]
        ),
        advice=tuple(result["advice"]),
    )


def _report(result: dict[str, Any], *, fmt: Format, subject: str) -> None:
    """Print a verdict and exit 1 unless it is safe."""
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        from shieldwall.protect.verdict import render_text

        typer.echo(render_text(_assessment(result), subject=subject))
    if result["verdict"] != Verdict.SAFE:
        raise typer.Exit(code=1)


@app.command()
def url(
    ctx: typer.Context,
    link: Annotated[str, typer.Argument(metavar="URL", help="The link to check (never opened).")],
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Check a link without opening it."""
    result = _call(ctx, "protect.url", {"url": link})
    _report(result, fmt=fmt, subject=result.get("url", {}).get("host_unicode") or link)


@app.command()
def message(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The message text; '-' reads it from stdin.")],
    sender: Annotated[
        str | None, typer.Option("--sender", help="Who sent it (number, name or e-mail).")
    ] = None,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Check a text or chat message, and every link in it."""
    body = sys.stdin.read() if text == "-" else text
    result = _call(ctx, "protect.message", {"text": body, "sender": sender})
    _report(result, fmt=fmt, subject="message")


@app.command()
def email(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE.eml", help="The saved message; '-' reads stdin.")
    ],
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Also check the sender's SPF and DMARC records over DNS (needs a network; "
            "never opens the message's links).",
        ),
    ] = False,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Check an e-mail: sender, authentication, links, attachments and wording."""
    try:
        if str(file) == "-":
            data = sys.stdin.buffer.read(MAX_EMAIL_BYTES + 1)
        else:
            with file.open("rb") as fh:
                data = fh.read(MAX_EMAIL_BYTES + 1)
    except OSError as exc:
        raise InputError(
            f"cannot read {file}: {exc}", code="input.unreadable", location=str(file)
        ) from exc
    if len(data) > MAX_EMAIL_BYTES:
        raise InputError(
            f"{file} is larger than {MAX_EMAIL_BYTES >> 20} MiB",
            code="protect.email.too_large",
            hint="Check the message without its large attachments.",
        )
    request: dict[str, Any] = {"raw": data.decode("utf-8", errors="replace")}
    if live:
        request["live"] = True
    result = _call(ctx, "protect.email", request)
    subject = result.get("email", {}).get("subject") or str(file)
    _report(result, fmt=fmt, subject=f"e-mail '{subject}'")


def _read_password() -> str:
    if sys.stdin.isatty():
        value = typer.prompt("Password to check", hide_input=True)
    else:
        value = sys.stdin.readline(MAX_PASSWORD_CHARS + 2).rstrip("\r\n")
    if not value:
        raise InputError("no password was given", code="protect.password.empty")
    if len(value) > MAX_PASSWORD_CHARS:
        raise InputError(
            f"the password is longer than {MAX_PASSWORD_CHARS} characters",
            code="protect.password.too_long",
        )
    return str(value)


@password_app.callback()
def password(
    ctx: typer.Context,
    offline_store: Annotated[
        Path | None,
        typer.Option(
            "--offline-store",
            help="A range store built by `protect password import` (default: the data "
            "directory's, if any, else the configured range API).",
            file_okay=False,
        ),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Never use the network: offline store or none.")
    ] = False,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Check a password (when no subcommand is given)."""
    if ctx.invoked_subcommand is not None:
        return
    request: dict[str, Any] = {"password": _read_password()}
    if offline_store is not None:
        request["offline_store"] = str(offline_store)
    elif offline:
        request["source"] = "offline"
    result = _call(ctx, "protect.password", request)
    _report(result, fmt=fmt, subject="password")


@password_app.command("import")
def password_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="A Pwned Passwords file: one 'SHA1:COUNT' line per hash."),
    ],
) -> None:
    """Build the offline breach range store (replaces the previous one, all or nothing)."""
    result = _call(ctx, "protect.password.import", {"path": str(file)})
    typer.echo(
        f"Imported {result['hashes']:,} hashes into {result['prefixes']:,} ranges at "
        f"{result['store']}"
    )


def _ask(question: str) -> Answer:
    while True:
        reply = str(typer.prompt(f"{question} [yes/no/unsure]", default="unsure")).strip()
        try:
            return Answer(reply.lower())
        except ValueError:
            if reply.lower() in {"y", "n", "u"}:
                return {"y": Answer.YES, "n": Answer.NO, "u": Answer.UNSURE}[reply.lower()]
            typer.echo("Please answer yes, no or unsure.")


def _answer_option(help_text: str) -> Any:
    return typer.Option(help=help_text, case_sensitive=False)


@app.command()
def checkup(
    ctx: typer.Context,
    mfa: Annotated[Answer | None, _answer_option(QUESTIONS[0].ask)] = None,
    breached: Annotated[Answer | None, _answer_option(QUESTIONS[1].ask)] = None,
    password_manager: Annotated[Answer | None, _answer_option(QUESTIONS[2].ask)] = None,
    updates: Annotated[Answer | None, _answer_option(QUESTIONS[3].ask)] = None,
    recovery: Annotated[Answer | None, _answer_option(QUESTIONS[4].ask)] = None,
    device_lock: Annotated[Answer | None, _answer_option(QUESTIONS[5].ask)] = None,
    backups: Annotated[Answer | None, _answer_option(QUESTIONS[6].ask)] = None,
    interactive: Annotated[
        bool | None,
        typer.Option(
            "--interactive/--no-interactive",
            help="Ask the questions not given as options (default: when run in a terminal).",
        ),
    ] = None,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """A short questionnaire, then a prioritized plan in plain words."""
    answers: dict[str, Answer | None] = {
        "mfa": mfa,
        "breached": breached,
        "password_manager": password_manager,
        "updates": updates,
        "recovery": recovery,
        "device_lock": device_lock,
        "backups": backups,
    }
    ask = sys.stdin.isatty() if interactive is None else interactive
    if ask:
        for q in QUESTIONS:
            if answers[q.id] is None:
                answers[q.id] = _ask(q.ask)
    request = {k: (str(v) if v is not None else None) for k, v in answers.items()}
    result = _call(ctx, "protect.checkup", request)
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, indent=2))
    else:
        typer.echo(render_plan(result))


@brands_app.command("import")
def brands_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with columns brand,domain[,kind].")],
) -> None:
    """Register brands, link shorteners or free-mail domains (all rows or none)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {file}: {exc}", code="input.unreadable", location=str(file)
        ) from exc
    result = _call(ctx, "protect.brands.import", {"csv": text, "source": str(file)})
    typer.echo(f"{result['rows']} rows read, {result['added']} new entries added.")


@brands_app.command("list")
def brands_list(
    ctx: typer.Context,
    kind: Annotated[
        str | None, typer.Option(help="Only this kind: brand, shortener or freemail.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Only 'bundled', 'org', 'hub' (every hub) or 'hub:<host>' entries."),
    ] = None,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """List the registry: bundled entries, your organisation's, and those pulled from hubs."""
    result = _call(ctx, "protect.brands.list", {"kind": kind, "source": source})
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    width = max((len(e["source"]) for e in result["entries"]), default=7)
    for e in result["entries"]:
        shown = e["domain"] if e["unicode"] == e["domain"] else f"{e['domain']} ({e['unicode']})"
        typer.echo(f"{e['kind']:<9} {e['source']:<{width}} {e['brand']:<32} {shown}")
    typer.echo(f"{result['count']} entries")


@brands_app.command("remove")
def brands_remove(
    ctx: typer.Context,
    domain: Annotated[str, typer.Argument(help="The domain to remove.")],
    brand: Annotated[str | None, typer.Option(help="Only this brand's entry.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
) -> None:
    """Remove your organisation's entries for a domain (members pulling your feed lose them at
    their next sync)."""
    result = _call(ctx, "protect.brands.remove", {"domain": domain, "brand": brand, "kind": kind})
    typer.echo(f"{result['removed']} entries for {result['domain']} removed.")


MAX_REJECTS_SHOWN = 50


@brands_app.command("sync")
def brands_sync(
    ctx: typer.Context,
    hub: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="URL",
            help="The hub: https://hub.example.org (or its feed's URL); plain http:// only to "
            "this machine.",
        ),
    ],
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            envvar="SHIELDWALL_PROTECT_HUB_KEY",
            help="An API key the hub issued to your organisation (the variable keeps it out of "
            "your shell history).",
        ),
    ] = None,
    fmt: FormatOpt = Format.TEXT,
) -> None:
    """Pull a hub's shared brands: they replace that hub's previous entries (all at once).

    Entries that could make a look-alike of a bundled brand, or of your own, look official are
    rejected and listed; the exit code is then 1.
    """
    result = _call(ctx, "protect.brands.sync", {"url": hub, "key": key})
    rejected = result["rejected"]
    if fmt is Format.JSON:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif result["status"] == "not_modified":
        typer.echo(
            f"{result['source']}: not modified since the last pull (version "
            f"{str(result['version'])[:12]}); {result['stored']} entries kept."
        )
    else:
        typer.echo(
            f"{result['source']}: {result['received']} entries received, {result['accepted']} "
            f"accepted ({result['added']} added, {result['removed']} removed), {len(rejected)} "
            f"rejected; {result['stored']} entries from this hub now (version "
            f"{str(result['version'])[:12]})."
        )
        for r in rejected[:MAX_REJECTS_SHOWN]:
            typer.echo(
                f"  rejected #{r['index']}: '{r['brand']}' {r['domain']} ({r['kind'] or '?'}): "
                f"{r['reason']}"
            )
        if len(rejected) > MAX_REJECTS_SHOWN:
            more = len(rejected) - MAX_REJECTS_SHOWN
            typer.echo(f"  ... and {more} more (--format json lists them all)")
    if rejected:
        raise typer.Exit(code=1)
