"""`shieldwall vuln code` and `shieldwall vuln patch` (added to the vuln group by
:func:`register`).

Exit codes: ``code``: 0 no findings, 1 findings, 2 bad input or an analyser that could not run
(a scan that did not happen never looks clean). ``patch``: 0 every chosen finding was patched
and validated, 1 some were not, 2 bad input.
"""

from __future__ import annotations

import json
import shlex
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from shieldwall.core.cli import invoke as _call
from shieldwall.vuln.code.capabilities import progress_hook


class CodeFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"


class PatchFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class Analyser(StrEnum):
    SEMGREP = "semgrep"
    BANDIT = "bandit"


class Provider(StrEnum):
    LOCAL = "local"
    OPENAI = "openai"
    COMPATIBLE = "compatible"


def _print(err: Console, text: str) -> None:
    err.print(text, markup=False, highlight=False)


def _findings_table(result: dict[str, Any]) -> Table:
    table = Table(title=f"Code findings in {result['root']}")
    for column in ("id", "severity", "CWE", "rule", "where", "code"):
        table.add_column(column, overflow="fold")
    for f in result["findings"]:
        loc = f["location"]
        rule = f["rule"] + (
            f" (+{', '.join(f['also_reported_by'])})" if f["also_reported_by"] else ""
        )
        table.add_row(
            f["id"],
            f"{f['severity']} / {f['confidence']}",
            ", ".join(f["cwe"]),
            rule,
            f"{loc['file']}:{loc['line']}:{loc['column']}",
            f["snippet"].strip()[:100],
        )
    return table


def _write(output: Path | None, text: str) -> None:
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


def code(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A directory or a .py/.js/.ts file.")],
    fmt: Annotated[CodeFormat, typer.Option("--format", help="table, json or sarif.")] = (
        CodeFormat.TABLE
    ),
    output: Annotated[Path | None, typer.Option("--output", help="Write here, not stdout.")] = None,
    analyser: Annotated[
        list[Analyser] | None,
        typer.Option("--analyser", help="Run only this analyser (repeatable). Default: both."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Find insecure code with Bandit and Semgrep (Shieldwall's rule pack, offline). Exit 1 if
    anything is found; 2 if an analyser could not run."""
    err = Console(stderr=True)
    names = [str(a) for a in analyser] if analyser else ["semgrep", "bandit"]
    request = {"path": str(path.resolve()), "analysers": names, "sarif": fmt is CodeFormat.SARIF}
    status = err.status("analysing", spinner="dots") if err.is_terminal and not quiet else None
    with status if status is not None else _Null():
        token = progress_hook.set(status.update if status is not None else None)
        try:
            result = _call(ctx, "vuln.code", request)
        finally:
            progress_hook.reset(token)
    if fmt is CodeFormat.SARIF:
        _write(output, json.dumps(result["sarif"], indent=2))
    elif fmt is CodeFormat.JSON:
        _write(output, json.dumps(result, indent=2))
    else:
        out = Console(file=output.open("w", encoding="utf-8")) if output else Console()
        if result["findings"]:
            out.print(_findings_table(result))
        if output:
            out.file.close()
    for a in result["analysers"]:
        if a["status"] == "ran":
            _print(
                err,
                f"{a['name']} {a['version'] or ''} on {a['runtime'] or '-'}: {a['files']} files",
            )
    for skip in result["skipped"]:
        _print(err, f"skipped by {skip['analyser']}: {skip['file']}: {skip['reason']}")
    for w in result["warnings"]:
        _print(err, f"warning: {w}")
    for e in result["errors"]:
        _print(err, f"error: {e}")
    s = result["summary"]
    sev = ", ".join(f"{n} {k}" for k, n in s["by_severity"].items())
    _print(
        err,
        f"{s['findings']} findings{f' ({sev})' if sev else ''} in {s['files']} files; "
        f"{s['partially_skipped']} files skipped by at least one analyser, {s['skipped']} by all.",
    )
    if result["errors"]:
        raise typer.Exit(code=2)
    if result["findings"]:
        raise typer.Exit(code=1)


class _Null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def patch(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The project directory.")],
    finding: Annotated[
        list[str] | None,
        typer.Option("--finding", help="A finding id from `vuln code` (repeatable)."),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Patch every finding.")] = False,
    provider: Annotated[
        Provider | None, typer.Option("--provider", help="local (templates), openai or compatible.")
    ] = None,
    test_command: Annotated[
        str | None, typer.Option("--test-command", help="How to run the tests (default: detected).")
    ] = None,
    no_tests: Annotated[bool, typer.Option("--no-tests", help="Do not run tests.")] = False,
    attempts: Annotated[
        int, typer.Option("--attempts", min=1, max=5, help="Tries per finding.")
    ] = 3,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the patch; write nothing.")
    ] = False,
    analyser: Annotated[
        list[Analyser] | None, typer.Option("--analyser", help="Analysers for the re-scan.")
    ] = None,
    fmt: Annotated[PatchFormat, typer.Option("--format", help="table or json.")] = (
        PatchFormat.TABLE
    ),
) -> None:
    """Patch code findings: propose, apply to a scratch copy, run the tests, re-scan; keep a
    patch only when the tests pass and the finding is gone."""
    err = Console(stderr=True)
    request: dict[str, Any] = {
        "path": str(path.resolve()),
        "findings": list(finding or []),
        "all": every,
        "provider": str(provider) if provider else None,
        "attempts": attempts,
        "dry_run": dry_run,
        "no_tests": no_tests,
        "analysers": [str(a) for a in analyser] if analyser else ["semgrep", "bandit"],
    }
    if test_command:
        request["test_command"] = shlex.split(test_command)
    status = err.status("patching", spinner="dots") if err.is_terminal else None
    with status if status is not None else _Null():
        token = progress_hook.set(status.update if status is not None else None)
        try:
            result = _call(ctx, "vuln.patch", request)
        finally:
            progress_hook.reset(token)
    if fmt is PatchFormat.JSON:
        typer.echo(json.dumps(result, indent=2))
    else:
        for r in result["results"]:
            f = r["finding"]
            head = f"{f['id']} {f['rule']} at {f['location']['file']}:{f['location']['line']}"
            typer.echo(f"{head}: {r['outcome']}" + (" (written)" if r["written"] else ""))
            if r["diff"]:
                typer.echo(r["diff"].rstrip("\n"))
            for c in r["caveats"]:
                typer.echo(f"  caveat: {c}")
            if r["outcome"] == "not_patched":
                typer.echo(f"  why: {r['reason']}")
    base = result["baseline_tests"]
    if base and not base["passed"]:
        _print(
            err, "warning: the project's tests fail without any change; nothing can be validated"
        )
    if not result["test_command"]:
        _print(err, "warning: no tests found (give --test-command); patches are not validated")
    s = result["summary"]
    _print(
        err,
        f"found {s['found']}, patched {s['patched']}, validated {s['validated']}; "
        f"{'dry run: nothing written' if result['dry_run'] else str(s['written']) + ' written'}.",
    )
    if s["validated"] < s["found"]:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add `code` and `patch` to the `vuln` command group."""
    app.command("code")(code)
    app.command("patch")(patch)
