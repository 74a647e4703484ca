"""`shieldwall investigate`: work a case with the investigation agent, through the door.

    shieldwall investigate INCIDENT_ID [--provider local|openai|compatible] [--max-steps N]
    shieldwall investigate --question TEXT [--evidence FILE]...

Progress goes to stderr as it happens; the report to stdout (text, or ``--json``). Evidence
files that are logs (EVTX, zip, JSON lines, .log) are read by ``detect.events`` on this machine;
any other file is handed in as text. Exit codes: 0 no findings, 1 findings, 2 bad input.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Final, cast

import typer
from rich.console import Console

from shieldwall.ai.agent.capabilities import MAX_EVIDENCE_CHARS
from shieldwall.ai.agent.engine import (
    DEFAULT_MAX_STEPS,
    DEFAULT_MAX_TOKENS,
    MAX_STEPS,
    MAX_TOKENS,
    short_arguments,
)
from shieldwall.ai.agent.progress import EventKind, ProgressEvent, progress_sink
from shieldwall.ai.agent.report import render_text
from shieldwall.core.errors import InputError
from shieldwall.core.ports import Session

LOG_SUFFIXES: Final = frozenset({".evtx", ".zip", ".jsonl", ".ndjson", ".json", ".log", ".gz"})
TEXT_NAMES: Final = frozenset({"package-lock.json"})


class ProviderChoice(StrEnum):
    LOCAL = "local"
    OPENAI = "openai"
    COMPATIBLE = "compatible"


def split_evidence(paths: list[Path]) -> tuple[list[dict[str, str]], list[str]]:
    """(text evidence, log paths): logs by suffix, size or binary content; the rest as text."""
    texts: list[dict[str, str]] = []
    logs: list[str] = []
    for path in paths:
        try:
            size = path.stat().st_size
            is_log = path.name.lower() not in TEXT_NAMES and (
                path.suffix.lower() in LOG_SUFFIXES or size > MAX_EVIDENCE_CHARS
            )
            raw = b"" if is_log else path.read_bytes()
        except OSError as exc:
            raise InputError(
                f"cannot read {path}: {exc.strerror or exc}",
                code="input.unreadable",
                location=str(path),
            ) from exc
        if is_log or b"\x00" in raw[:8192]:
            logs.append(str(path.resolve()))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        texts.append({"name": path.name, "text": text})
    return texts, logs


class _Printer:
    """Progress lines on stderr. Everything shown came from data or a model: printed without
    markup, so that text in a log cannot style (or hide) itself in the terminal."""

    def __init__(self, console: Console, *, quiet: bool) -> None:
        self._console = console
        self._quiet = quiet

    def _say(self, text: str, style: str = "") -> None:
        if not self._quiet:
            self._console.print(text, style=style or None, markup=False, highlight=False)

    def cancelled(self) -> bool:
        return False

    def emit(self, event: ProgressEvent) -> None:
        d: dict[str, Any] = dict(event.data)
        match event.kind:
            case EventKind.STARTED:
                self._say(
                    f"investigating as {d['principal']} with {d['provider']} ({d['model']}): "
                    f"{len(d['tools'])} tools, at most {d['max_steps']} steps",
                    "bold",
                )
            case EventKind.PLAN:
                steps = d.get("tools") or [f"{s['check']} {s['value']}" for s in d.get("steps", [])]
                self._say(
                    f"plan ({d['by']}): " + ("; ".join(map(str, steps)) or "nothing to check")
                )
            case EventKind.MODEL_TURN:
                if d.get("status") == "ok":
                    asks = ", ".join(d.get("tool_calls", [])) or "no tools (concluding)"
                    self._say(
                        f"model turn {d['turn']}: {d['tokens']:,} tokens "
                        f"({d['total_tokens']:,} in all); asks for {asks}",
                        "dim",
                    )
                else:
                    self._say(f"model turn {d['turn']}: {d.get('code')}", "yellow")
            case EventKind.TOOL_CALL:
                args = json.dumps(short_arguments(d["arguments"], 80), default=str)
                self._say(
                    f"[{d['step']}/{d['max_steps']}] {d['call']} {d['capability']} {args}"
                    + (f" (by {d['by']})" if d["by"] != "planner" else "")
                )
            case EventKind.TOOL_RESULT:
                where = (
                    f" (ledger #{d['decision_index']})"
                    if d.get("decision_index") is not None
                    else ""
                )
                if d["status"] == "ok":
                    self._say(f"    ok{where}", "green")
                else:
                    self._say(f"    {d['status']}{where}: {d.get('message', '')}", "yellow")
            case EventKind.GUARD:
                self._say(f"    guard refused {d['tool']}: {d.get('message', '')}", "red")
            case EventKind.PROPOSAL:
                pending = f" as {d['approval_id']}" if d.get("approval_id") else ""
                self._say(f"    proposed {d['capability']}: {d['status']}{pending}", "cyan")
            case EventKind.NOTE:
                self._say(f"note: {d['message']}", "dim")
            case EventKind.REPORT:
                pass


def investigate(
    ctx: typer.Context,
    incident_id: Annotated[
        str | None, typer.Argument(metavar="[INCIDENT_ID]", help="The incident to investigate.")
    ] = None,
    provider: Annotated[
        ProviderChoice | None,
        typer.Option(
            "--provider",
            help="local (default: a deterministic playbook, no network), openai or compatible "
            "(SHIELDWALL_AI_* settings).",
        ),
    ] = None,
    max_steps: Annotated[
        int, typer.Option("--max-steps", min=1, max=MAX_STEPS, help="At most N tool calls.")
    ] = DEFAULT_MAX_STEPS,
    max_tokens: Annotated[
        int,
        typer.Option("--max-tokens", min=1000, max=MAX_TOKENS, help="Model token budget."),
    ] = DEFAULT_MAX_TOKENS,
    question: Annotated[
        str | None, typer.Option("--question", "-q", help="What to find out.")
    ] = None,
    evidence: Annotated[
        list[Path] | None,
        typer.Option(
            "--evidence",
            "-e",
            exists=True,
            dir_okay=False,
            help="A file to investigate (e-mail, log, report); repeatable.",
        ),
    ] = None,
    share_to: Annotated[
        str | None,
        typer.Option("--share-to", help="Propose sharing malicious indicators to this collection."),
    ] = None,
    tools: Annotated[
        list[str] | None,
        typer.Option("--tool", help="Narrow the agent's tools to these capability globs."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    transcript: Annotated[
        Path | None,
        typer.Option("--transcript", dir_okay=False, help="Also write the transcript here."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress lines.")] = False,
) -> None:
    """Investigate an incident, a question or evidence with the AI agent. Every tool call is a
    capability invocation through the gateway, as you; changes are only proposed."""
    texts, logs = split_evidence(list(evidence or []))
    if not (incident_id or question or texts or logs):
        raise InputError(
            "nothing to investigate",
            code="agent.nothing",
            hint="Give an INCIDENT_ID, --question TEXT or --evidence FILE.",
        )
    request: dict[str, Any] = {
        "incident_id": incident_id,
        "question": question,
        "evidence": texts,
        "log_paths": logs,
        "provider": str(provider) if provider else None,
        "max_steps": max_steps,
        "max_tokens": max_tokens,
        "share_to": share_to,
        "tools": tools or None,
        "include_transcript": transcript is not None,
    }
    session = cast(Session, ctx.obj)
    err = Console(stderr=True, soft_wrap=True)
    token = progress_sink.set(_Printer(err, quiet=quiet))
    try:
        result = session.door.invoke("agent.investigate", request, session.principal).result
    finally:
        progress_sink.reset(token)
    if transcript is not None:
        transcript.write_text(json.dumps(result.pop("transcript"), indent=2, ensure_ascii=False))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(render_text(result))
    settings = getattr(ctx.obj, "settings", None)
    if result.get("transcript_file") and settings is not None and not quiet:
        stored = Path(settings.home) / "agent" / "transcripts" / result["transcript_file"]
        err.print(f"transcript: {stored}", markup=False, highlight=False)
    if result["findings"]:
        raise typer.Exit(code=1)
