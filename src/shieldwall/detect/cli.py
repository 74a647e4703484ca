"""`shieldwall detect ...`: check Sigma rules, read logs into normalized events.

Exit codes: 0 all good, 1 findings (rules that did not load), 2 bad input. Every command goes
through the door.
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
from shieldwall.detect.capabilities import MAX_EVENTS, progress_hook
from shieldwall.detect.readers import ReadReport, expand_paths

app = typer.Typer(
    help="Find threats in logs: read Windows EVTX, JSON lines, syslog/auth.log and web access "
    "logs; check Sigma rules.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Sigma rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class EventFormat(StrEnum):
    JSONL = "jsonl"
    TABLE = "table"


@rules_app.command("check")
def rules_check(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="DIR_OR_ZIP", help="Rule directory or zip.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Load every rule; list each one that does not load, with its reason. Exit 1 if any."""
    result = _call(ctx, "detect.rules.check", {"path": str(path)})
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        for failure in result["failures"]:
            where = failure["path"]
            if failure["line"] is not None:
                where += f":{failure['line']}"
                if failure["column"]:
                    where += f":{failure['column']}"
            typer.echo(f"NOT LOADED {where}: {failure['reason']}")
        typer.echo(
            f"{result['loaded']} of {result['loaded'] + result['failed']} loaded "
            f"({result['load_rate']:.2%}) from {result['files']} files: {result['rules']} rules, "
            f"{result['correlations']} correlations, {result['filters']} filters; "
            f"{result['failed']} not loaded."
        )
    if result["failed"]:
        raise typer.Exit(code=1)


def _table(events: list[dict[str, Any]]) -> Table:
    table = Table(show_lines=False)
    for column in ("timestamp", "host", "channel / source", "id", "summary", "at"):
        table.add_column(column, overflow="fold")
    for e in events:
        fields = e["fields"]
        summary = (
            fields.get("CommandLine")
            or fields.get("message")
            or fields.get("cs-uri")
            or fields.get("Image")
            or ""
        )
        src = e["source"]
        at = f"{Path(src['file']).name}{'!' + src['member'] if src.get('member') else ''}"
        table.add_row(
            e["timestamp"] or "",
            e["host"] or "",
            e["channel"] or "/".join(e["logsource"].values()),
            "" if e["event_id"] is None else str(e["event_id"]),
            str(summary)[:120],
            f"{at}:{src['record']}",
        )
    return table


@app.command()
def events(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Files, dirs or zips.")],
    fmt: Annotated[EventFormat, typer.Option("--format", help="jsonl or table.")] = (
        EventFormat.JSONL
    ),
    limit: Annotated[
        int, typer.Option("--limit", min=0, max=MAX_EVENTS, help="Print at most N events.")
    ] = 1000,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Read logs and print normalized events (format detected from content). Skipped lines
    and unreadable files are reported on stderr."""
    err = Console(stderr=True)
    total = sum(p.stat().st_size for p in expand_paths(paths))
    progress = Progress(
        TextColumn("reading"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}% {task.fields[events]:,} events"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    task = progress.add_task("read", total=total or 1, events=0)

    def on_file(_path: Path, size: int, report: ReadReport) -> None:
        progress.update(task, advance=size, events=report.events)

    token = progress_hook.set(on_file)
    try:
        with progress:
            result = _call(ctx, "detect.events", {"paths": [str(p) for p in paths], "limit": limit})
    finally:
        progress_hook.reset(token)
    if fmt is EventFormat.JSONL:
        for event in result["events"]:
            typer.echo(json.dumps(event, ensure_ascii=False, default=str))
    else:
        Console().print(_table(result["events"]))
    report = result["report"]
    for error in report["errors"]:
        err.print(f"skipped {error['location']}: {error['message']}", markup=False, highlight=False)
    err.print(
        f"{report['events']:,} events from {report['files']} files"
        + (f", stopped after the first {len(result['events']):,}" if result["truncated"] else "")
        + f"; {report['skipped']} lines/records skipped, "
        f"{report['failed_files']} files unreadable.",
        markup=False,
        highlight=False,
    )
