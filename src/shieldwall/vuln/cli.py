"""`shieldwall vuln ...`: the local advisory database and dependency scans.

Exit codes: 0 clean, 1 vulnerabilities found, 2 bad input or a failed lookup (an empty advisory
database, a version that could not be checked). Every command goes through the door.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shieldwall.core.cli import invoke as _call
from shieldwall.vuln.inventory import read_manifest

app = typer.Typer(
    help="Find known-vulnerable dependencies against a local copy of OSV advisories.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="The local advisory database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class ScanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@db_app.command("import")
def db_import(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="FILE.zip...", help="OSV exports.")],
) -> None:
    """Import OSV per-ecosystem zip exports (e.g. PyPI.zip, npm.zip)."""
    err = Console(stderr=True)
    with err.status("importing advisories", spinner="dots"):
        result = _call(ctx, "vuln.db.import", {"paths": [str(p.resolve()) for p in paths]})
    for imp in result["imports"]:
        typer.echo(
            f"{imp['ecosystem']}: {imp['records']:,} advisories from {imp['source']} "
            f"({imp['withdrawn']} withdrawn, {imp['failed']} could not be read)"
        )
        for failure in imp["failures"]:
            typer.echo(f"  not imported {failure['member']}: {failure['reason']}")


@db_app.command("status")
def db_status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Advisories per ecosystem and when they were imported."""
    result = _call(ctx, "vuln.db.status", {})
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    if not result["ecosystems"]:
        typer.echo("The advisory database is empty: run `shieldwall vuln db import FILE.zip`.")
        return
    for e in result["ecosystems"]:
        typer.echo(
            f"{e['ecosystem']}: {e['records']:,} advisories ({e['withdrawn']} withdrawn, "
            f"{e['failed']} unreadable) for {e['packages']:,} packages; imported "
            f"{e['imported_at']} from {e['source']}"
        )


def _table(result: dict[str, Any]) -> Table:
    table = Table(title=f"Vulnerable dependencies in {result['source']}")
    for column in ("package", "version", "advisory", "aliases", "fix versions"):
        table.add_column(column, overflow="fold")
    for dep in result["dependencies"]:
        for v in dep["vulns"]:
            table.add_row(
                dep["name"],
                dep["version"],
                v["id"],
                ", ".join(v["aliases"]),
                ", ".join(v["fixed_in"]) or "none yet",
            )
    return table


@app.command()
def scan(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A requirements file or package-lock.json.")],
    offline: Annotated[
        bool, typer.Option("--offline", help="Only the local database (the only mode yet).")
    ] = False,
    fmt: Annotated[ScanFormat, typer.Option("--format", help="table or json.")] = (
        ScanFormat.TABLE
    ),
    output: Annotated[Path | None, typer.Option("--output", help="Write here, not stdout.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Check every pinned dependency against the advisory database. Exit 1 if any is
    vulnerable; 2 on bad input or when a lookup could not be made."""
    del offline  # slice 1 is offline only; the flag is accepted so scripts keep working later
    err = Console(stderr=True)
    root, files = read_manifest(path)
    progress = Progress(
        TextColumn("scanning {task.fields[name]}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    with progress:
        task = progress.add_task("scan", total=1, name=Path(root).name)
        result = _call(ctx, "vuln.scan", {"root": root, "files": files, "offline": True})
        progress.update(task, completed=1)
    if fmt is ScanFormat.JSON:
        text = json.dumps(result, indent=2)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
        else:
            typer.echo(text)
    else:
        out = Console(file=output.open("w", encoding="utf-8")) if output else Console()
        if result["summary"]["vulns"]:
            out.print(_table(result))
        for dep in result["dependencies"]:
            if dep.get("skip_reason"):
                out.print(
                    f"skipped {dep['name']} at {dep['location']}: {dep['skip_reason']}",
                    markup=False,
                    highlight=False,
                )
        if output:
            out.file.close()
    for e in result["errors"]:
        err.print(f"error at {e['location']}: {e['message']}", markup=False, highlight=False)
    for w in result["warnings"]:
        err.print(f"warning: {w}", markup=False, highlight=False)
    s = result["summary"]
    err.print(
        f"{s['vulns']} known vulnerabilities in {s['vulnerable']} of {s['checked']} checked "
        f"dependencies; {s['skipped']} not checkable; {len(result['errors'])} errors.",
        markup=False,
        highlight=False,
    )
    if result["errors"]:
        raise typer.Exit(code=2)
    if s["vulns"]:
        raise typer.Exit(code=1)
