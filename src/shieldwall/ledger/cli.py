"""`shieldwall ledger …`: every command but `verify` goes through the door."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from shieldwall.core.cli import invoke as _call
from shieldwall.core.errors import InputError
from shieldwall.ledger.hashing import canonical_json, parse_json_object
from shieldwall.ledger.offline import verify_offline

app = typer.Typer(
    help="The transparency ledger: append, checkpoint, prove, verify.", no_args_is_help=True
)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2))


@app.command()
def append(
    ctx: typer.Context,
    json_text: Annotated[str, typer.Option("--json", help="One JSON object to record.")],
) -> None:
    """Record a JSON object; prints the new entry's index."""
    body = parse_json_object(json_text, source="--json")
    typer.echo(_call(ctx, "ledger.append", {"body": body})["index"])


@app.command()
def checkpoint(ctx: typer.Context) -> None:
    """Print the current signed checkpoint (C2SP tlog-checkpoint)."""
    typer.echo(_call(ctx, "ledger.checkpoint", {})["checkpoint"], nl=False)


@app.command("public-key")
def public_key(ctx: typer.Context) -> None:
    """Print the verifier key (all an offline verifier needs)."""
    typer.echo(_call(ctx, "ledger.public_key", {})["public_key"])


@app.command()
def prove(
    ctx: typer.Context,
    index: Annotated[int, typer.Argument(help="The entry's index.")],
    size: Annotated[int | None, typer.Option(help="Tree size (default: current).")] = None,
) -> None:
    """Inclusion proof of entry INDEX, as JSON."""
    _print_json(_call(ctx, "ledger.prove", {"index": index, "tree_size": size}))


@app.command()
def consistency(
    ctx: typer.Context,
    old_size: Annotated[int, typer.Argument()],
    new_size: Annotated[int | None, typer.Argument()] = None,
) -> None:
    """Consistency proof from OLD_SIZE to NEW_SIZE (default: current), as JSON."""
    _print_json(_call(ctx, "ledger.consistency", {"old_size": old_size, "new_size": new_size}))


@app.command()
def entry(ctx: typer.Context, index: Annotated[int, typer.Argument()]) -> None:
    """Print one entry as JSON."""
    _print_json(_call(ctx, "ledger.entry", {"index": index})["entry"])


@app.command()
def entries(
    ctx: typer.Context,
    start: Annotated[int, typer.Option(help="First index.")] = 0,
    end: Annotated[int | None, typer.Option(help="Stop before this index (default: size).")] = None,
) -> None:
    """Print entries, one canonical JSON object a line (the input of `verify --entries`)."""
    pos = start
    while True:
        page = _call(ctx, "ledger.entries", {"start": pos, "end": end})
        for item in page["entries"]:
            typer.echo(canonical_json(item, max_bytes=1 << 30).decode())
        if page["end"] == pos or (end is not None and page["end"] >= end):
            return
        pos = page["end"]


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read the {what} file {path}: {exc}",
            code="input.unreadable",
            location=str(path),
        ) from exc


@app.command()
def verify(
    public_key_file: Annotated[Path, typer.Option("--public-key", help="Verifier key file.")],
    checkpoint_file: Annotated[Path, typer.Option("--checkpoint", help="Signed checkpoint.")],
    entries_file: Annotated[
        Path | None,
        typer.Option(
            "--entries", help="Entries, one JSON a line, from `shieldwall ledger entries`."
        ),
    ] = None,
) -> None:
    """Verify a checkpoint offline: exit 0 if it holds (and the entries match), 1 if not.

    Needs no data directory: it is what anyone outside can run against a published log.
    """
    key = _read(public_key_file, "public key")
    note = _read(checkpoint_file, "checkpoint")
    if entries_file is None:
        report = verify_offline(public_key=key, checkpoint=note)
    else:
        with entries_file.open(encoding="utf-8") as lines:
            report = verify_offline(public_key=key, checkpoint=note, entries=lines)
    cp = report.checkpoint
    msg = f"OK: checkpoint of {cp.origin} at size {cp.size} is signed by the key"
    if report.entries_checked is not None:
        msg += f"; the {report.entries_checked} entries reproduce its root"
        if report.extra_entries:
            msg += f" ({report.extra_entries} later entries are not covered by it)"
    sys.stdout.write(msg + "\n")
