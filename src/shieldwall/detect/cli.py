"""`shieldwall detect ...`: check Sigma rules, read logs into normalized events.

Exit codes: 0 all good, 1 findings (rules that did not load), 2 bad input. Every command goes
through the door.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shieldwall.core.cli import invoke as _call
from shieldwall.detect.capabilities import MAX_EVENTS, progress_hook
from shieldwall.detect.hunt import hunt_lines, parse_indicator
from shieldwall.detect.readers import ReadReport, expand_paths

app = typer.Typer(
    help="Find threats in logs: read Windows EVTX, JSON lines, syslog/auth.log and web access "
    "logs; check Sigma rules.",
    no_args_is_help=True,
)
rules_app = typer.Typer(help="Sigma rules.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class AlertFormat(StrEnum):
    TABLE = "table"
    JSONL = "jsonl"
    CSV = "csv"
    HTML = "html"
    NAVIGATOR = "navigator"


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


def _read_progress(err: Console, paths: list[Path], *, quiet: bool, verb: str) -> Progress:
    progress = Progress(
        TextColumn(verb),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}% {task.fields[events]:,} events"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    return progress


def _alert_table(alerts: list[dict[str, Any]]) -> Table:
    table = Table(show_lines=False)
    for column in ("time", "level", "rule", "host", "user", "techniques", "evidence", "at"):
        table.add_column(column, overflow="fold")
    for a in alerts:
        fields = a["fields"]
        evidence = (
            fields.get("CommandLine")
            or fields.get("TargetFilename")
            or fields.get("TargetObject")
            or fields.get("Image")
            or fields.get("cs-uri-query")
            or ""
        )
        src = a["source"]
        at = f"{Path(src['file']).name}{'!' + src['member'] if src.get('member') else ''}"
        table.add_row(
            (a["timestamp"] or "")[:19],
            a["level"],
            a["rule_title"],
            a["host"] or "",
            a.get("user") or "",
            " ".join(a["techniques"]),
            str(evidence)[:100],
            f"{at}:{src['record']}",
        )
    return table


@app.command("run")
def run(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Files, dirs or zips.")],
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", metavar="DIR_OR_ZIP", help="Sigma rules (repeatable)."),
    ] = None,
    min_level: Annotated[
        str, typer.Option("--min-level", help="informational, low, medium, high or critical.")
    ] = "informational",
    statuses: Annotated[
        list[str] | None,
        typer.Option("--status", help="Only rules of this status (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Rule id to leave out (repeatable).")
    ] = None,
    fmt: Annotated[AlertFormat, typer.Option("--format", help="Output format.")] = (
        AlertFormat.TABLE
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
    allow: Annotated[
        list[str] | None,
        typer.Option(
            "--allow",
            metavar="FIELD=VALUE[;FIELD=VALUE]",
            help="Suppress alerts whose evidence matches (wildcards * ?; repeatable).",
        ),
    ] = None,
    store_events: Annotated[
        bool,
        typer.Option(
            "--store-events/--no-store-events",
            help="Keep the events (Parquet under the data directory) for later queries.",
        ),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Run Sigma rules over logs: alerts grouped into triaged incidents, stored and recorded.
    Exit 0 no alerts, 1 alerts found, 2 bad input."""
    err = Console(stderr=True)
    total = sum(p.stat().st_size for p in expand_paths(paths))
    progress = _read_progress(err, paths, quiet=quiet, verb="detecting")
    task = progress.add_task("detect", total=total or 1, events=0)

    def on_file(_path: Path, size: int, report: ReadReport) -> None:
        progress.update(task, advance=size, events=report.events)

    request = {
        "paths": [str(p) for p in paths],
        "rules": [str(r) for r in rules or []],
        "min_level": min_level,
        "statuses": statuses or None,
        "exclude": exclude or [],
        "allow": allow or [],
        "store_events": store_events,
        "format": fmt.value
        if fmt in (AlertFormat.CSV, AlertFormat.HTML, AlertFormat.NAVIGATOR)
        else "json",
    }
    token = progress_hook.set(on_file)
    try:
        with progress:
            result = _call(ctx, "detect.run", request)
    finally:
        progress_hook.reset(token)
    alerts = result["alerts"]
    if fmt is AlertFormat.TABLE:
        console = Console(file=output.open("w", encoding="utf-8")) if output else Console()
        if alerts:
            console.print(_incident_table(result["incidents"]))
            console.print(_alert_table(alerts))
    else:
        text = _render(fmt, result)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            typer.echo(text, nl=False)
    _print_summary(err, result["run"])
    if alerts:
        raise typer.Exit(code=1)


def _render(fmt: AlertFormat, result: dict[str, Any]) -> str:
    if fmt is AlertFormat.JSONL:
        return "".join(
            json.dumps(a, ensure_ascii=False, default=str) + "\n" for a in result["alerts"]
        )
    return str(result["rendered"])


def _incident_table(incidents: list[dict[str, Any]]) -> Table:
    table = Table(title="Incidents", show_lines=False)
    for column in ("priority", "level", "first seen", "hosts", "what happened", "alerts"):
        table.add_column(column, overflow="fold")
    for item in incidents:
        incident = item.get("incident", item)
        triage = item.get("triage", {})
        table.add_row(
            str(triage.get("priority", "")),
            str(incident.get("level", "")),
            str(incident.get("first_seen") or "")[:19],
            ", ".join(incident.get("hosts") or []),
            str(incident.get("title") or ""),
            str(incident.get("alert_count", "")),
        )
    return table


def _print_summary(err: Console, run: dict[str, Any]) -> None:
    rules = run["rules"]
    read = run["read"]
    for error in read["errors"]:
        err.print(f"skipped {error['location']}: {error['message']}", markup=False, highlight=False)
    levels = ", ".join(f"{n} {level}" for level, n in run["levels"].items() if n)
    err.print(
        f"{run['alerts']:,} alerts ({levels or 'none'}) from {run['events']:,} events in "
        f"{read['files']} files; {rules['compiled']:,} rules and {rules['correlations']} "
        f"correlations ran, {rules['failed']} rules not loaded"
        + (" (see `shieldwall detect rules check`)" if rules["failed"] else "")
        + _unreachable(rules.get("no_mapping") or {})
        + f"; {read['skipped']} records skipped, {read['failed_files']} files unreadable.",
        markup=False,
        highlight=False,
    )


def _unreachable(no_mapping: dict[str, int]) -> str:
    """`, N rules are for sources no reader produces (azure, macos, ...)` or nothing."""
    if not no_mapping:
        return ""
    top = sorted(no_mapping.items(), key=lambda item: -item[1])[:3]
    names = [m.group(1) for reason, _ in top if (m := re.search(r"'([^']+)'", reason))]
    return f", {sum(no_mapping.values()):,} rules are for sources no reader produces" + (
        f" ({', '.join(names)}, ...)" if names else ""
    )


class HuntFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command("hunt")
def hunt(
    ctx: typer.Context,
    indicators: Annotated[
        list[str],
        typer.Option(
            "--indicator",
            metavar="TYPE:VALUE",
            help="What to look for (repeatable): ipv4-addr:203.0.113.7, domain-name:evil.example, "
            "url:..., file-hash:SHA256HEX, email-addr:..., file-name:mimikatz.exe.",
        ),
    ],
    runs: Annotated[
        list[str] | None,
        typer.Option("--run", metavar="RUN_ID", help="Search only this run (repeatable)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events at or after (ISO 8601).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only events before.")] = None,
    fmt: Annotated[HuntFormat, typer.Option("--format", help="text or json.")] = HuntFormat.TEXT,
) -> None:
    """Retro-hunt: look for indicators in the stored events of earlier runs; every match is an
    alert, grouped into stored incidents. Exit 0 nothing found, 1 found, 2 bad input."""
    request = {
        "observables": [parse_indicator(text) for text in indicators],
        "run_ids": runs or [],
        "start": since,
        "end": until,
    }
    result = _call(ctx, "detect.hunt", request)
    if fmt is HuntFormat.JSON:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        for line in hunt_lines(result):
            typer.echo(line)
    if result["run"]["hit"]:
        raise typer.Exit(code=1)
