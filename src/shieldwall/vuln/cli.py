"""`shieldwall vuln ...`: the local advisory database, dependency scans and fixes.

Exit codes: 0 clean, 1 vulnerabilities found (for ``fix``: some remain), 2 bad input or a
failed lookup (an empty advisory database, a version that could not be checked, an OSV API that
did not answer fully). Every command goes through the door; this module only reads and writes
the files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shieldwall.core.cli import invoke as _call
from shieldwall.core.errors import InputError
from shieldwall.vuln.capabilities import merge_scans
from shieldwall.vuln.code.cli import register as register_code_commands
from shieldwall.vuln.inventory import read_manifest, read_manifests, snapshot_environment
from shieldwall.vuln.report import to_cyclonedx, to_openvex, to_sarif

app = typer.Typer(
    help="Find known-vulnerable dependencies and fix them, against OSV advisories.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="The local advisory database.", no_args_is_help=True)
app.add_typer(db_app, name="db")
register_code_commands(app)  # `vuln code`, `vuln patch`


class ScanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    CYCLONEDX = "cyclonedx"
    OPENVEX = "openvex"


def render(result: dict[str, Any], fmt: ScanFormat, *, now: datetime, base: str | None) -> str:
    """A scan result as one of the machine formats (JSON text)."""
    match fmt:
        case ScanFormat.SARIF:
            doc = to_sarif(result, base=base)
        case ScanFormat.CYCLONEDX:
            doc = to_cyclonedx(result, now=now)
        case ScanFormat.OPENVEX:
            doc = to_openvex(result, now=now)
        case _:
            doc = result
    return json.dumps(doc, indent=2)


@db_app.command("import")
def db_import(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="FILE.zip...", help="OSV exports.")],
) -> None:
    """Import OSV per-ecosystem zip exports (e.g. PyPI.zip, npm.zip)."""
    err = Console(stderr=True, soft_wrap=True)
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
    if result.get("osv_api"):
        typer.echo(f"Online lookups (without --offline) use the OSV API at {result['osv_api']}.")
    if not result["ecosystems"]:
        typer.echo("The advisory database is empty: run `shieldwall vuln db import FILE.zip`.")
        return
    for e in result["ecosystems"]:
        typer.echo(
            f"{e['ecosystem']}: {e['records']:,} advisories ({e['withdrawn']} withdrawn, "
            f"{e['failed']} unreadable) for {e['packages']:,} packages; imported "
            f"{e['imported_at']} from {e['source']}"
        )


_LEVEL_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, "informational": 4}
_LEVEL_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}


def _short(location: str) -> str:
    """A location relative to the working folder when it is inside it."""
    cwd = os.getcwd() + os.sep
    return location[len(cwd) :] if location.startswith(cwd) else location


def _table(result: dict[str, Any]) -> Table:
    table = Table(title=f"Vulnerable dependencies in {result['source']}")
    for column in (
        "package",
        "version",
        "severity",
        "advisory",
        "aliases",
        "fix versions",
        "where",
    ):
        table.add_column(column, overflow="fold", no_wrap=column in ("advisory", "version"))
    rows = [(dep, v) for dep in result["dependencies"] for v in dep["vulns"]]
    rows.sort(key=lambda r: (_LEVEL_ORDER.get(r[1].get("level", ""), 5), r[0]["name"], r[1]["id"]))
    for dep, v in rows:
        level = v.get("level", "unknown")
        score = f" {v['score']:.1f}" if v.get("score") is not None else ""
        table.add_row(
            dep["name"],
            dep["version"],
            f"[{_LEVEL_STYLE.get(level, 'dim')}]{level}{score}[/]",
            v["id"],
            ", ".join(v["aliases"]),
            ", ".join(v["fixed_in"]) or "none yet",
            _short(dep["location"]),
        )
    return table


def _emit(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


@app.command()
def scan(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Manifests, lockfiles, SBOMs or folders (every manifest found in them)."
        ),
    ] = None,
    environment: Annotated[
        bool, typer.Option("--environment", help="Scan an installed Python environment.")
    ] = False,
    python: Annotated[
        Path | None,
        typer.Option("--python", help="The interpreter whose environment --environment scans."),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Only the local database, even if an OSV URL is set.")
    ] = False,
    fmt: Annotated[
        ScanFormat, typer.Option("--format", help="table, json, sarif, cyclonedx or openvex.")
    ] = ScanFormat.TABLE,
    output: Annotated[Path | None, typer.Option("--output", help="Write here, not stdout.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
) -> None:
    """Check every pinned dependency against the advisories. Exit 1 if any is vulnerable;
    2 on bad input or when a lookup could not be made."""
    err = Console(stderr=True, soft_wrap=True)
    files: dict[str, str] = {}
    roots: list[str] = []
    if paths:
        roots, files = read_manifests(list(paths))
    if environment:
        root, text = snapshot_environment(python)
        roots.append(root)
        files[root] = text
    if not roots:
        raise InputError(
            "nothing to scan", code="vuln.scan.nothing", hint="Name a manifest, or --environment."
        )
    progress = Progress(
        TextColumn("scanning {task.fields[name]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
    results: list[dict[str, Any]] = []
    with progress:
        task = progress.add_task("scan", total=len(roots), name="")
        for root in roots:
            progress.update(task, name=Path(root).name)
            # one manifest per call, so a folder shows its progress; includes travel along
            needed = {root: files[root]} | {k: v for k, v in files.items() if k not in roots}
            results.append(
                _call(ctx, "vuln.scan", {"roots": [root], "files": needed, "offline": offline})
            )
            progress.advance(task)
    result = merge_scans(results, ", ".join(str(p) for p in (paths or [])) or roots[0])
    now = (
        datetime.fromisoformat(result["scanned_at"])
        if "scanned_at" in result
        else datetime.now(UTC)
    )
    if fmt is ScanFormat.TABLE:
        out = Console(file=output.open("w", encoding="utf-8")) if output else Console()
        if not out.is_terminal:
            out.width = max(out.width, 160)  # files and pipes: keep advisory ids whole
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
    else:
        _emit(render(result, fmt, now=now, base=os.getcwd()), output)
    for e in result["errors"]:
        err.print(f"error at {e['location']}: {e['message']}", markup=False, highlight=False)
    for w in result["warnings"]:
        err.print(f"warning: {w}", markup=False, highlight=False)
    s = result["summary"]
    err.print(
        f"{s['vulns']} known vulnerabilities in {s['vulnerable']} of {s['checked']} checked "
        f"dependencies; {s['skipped']} not checkable; {len(result['errors'])} errors "
        f"(advisories: {result.get('advisories', 'local')}).",
        markup=False,
        highlight=False,
    )
    if result["errors"]:
        raise typer.Exit(code=2)
    if s["vulns"]:
        raise typer.Exit(code=1)


def prove_with_pip(root: str, files: dict[str, str], *, timeout: float = 300.0) -> str:
    """Ask pip's resolver whether the requirements ``files[root]`` (with its includes) install
    together, without installing: ``pip install --dry-run --ignore-installed --report``. It
    needs pip's package index (or pip's own find-links configuration)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        local = {}
        for name, text in files.items():
            rel = os.path.relpath(name, os.path.dirname(root) or ".")
            if rel.startswith(".."):
                rel = os.path.basename(name)
            target = base / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            local[name] = target
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--report",
            str(base / "report.json"),
            "-r",
            str(local[root]),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - our own interpreter's pip
                cmd, capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"not proven: pip could not run ({exc})"
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return "not proven: pip's resolver failed: " + " | ".join(tail)
        report = json.loads((base / "report.json").read_text())
        count = len(report.get("install", []))
        return f"proven: pip's resolver installs the new set together ({count} packages)"


def prove_with_npm(
    root: str, files: dict[str, str], upgrades: list[dict[str, Any]], *, timeout: float = 300.0
) -> str:
    """Ask npm's resolver whether the new package.json + package-lock.json hold together:
    ``npm install --package-lock-only --ignore-scripts`` in a scratch folder (nothing is
    installed, no script runs; it needs npm's registry), then check that every upgrade we
    wrote is the version npm's lock resolves."""
    folder = os.path.dirname(root)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("package.json", "package-lock.json"):
            text = files.get(os.path.normpath(os.path.join(folder, name)))
            if text is None:
                return f"not proven: no {name} beside {root}"
            (base / name).write_text(text, encoding="utf-8")
        npm = shutil.which("npm")
        if npm is None:
            return "not proven: npm is not available"
        cmd = [npm, "install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"]
        try:
            done = subprocess.run(  # noqa: S603 - npm from PATH, fixed arguments, scratch folder
                cmd, cwd=base, capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"not proven: npm could not run ({exc})"
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return "not proven: npm's resolver failed: " + " | ".join(tail)
        packages = json.loads((base / "package-lock.json").read_text()).get("packages", {})
        resolved: dict[str, set[str]] = {}
        for key, entry in packages.items():
            name = key.rpartition("node_modules/")[2]
            if name and isinstance(entry, dict) and isinstance(entry.get("version"), str):
                resolved.setdefault(name, set()).add(entry["version"])
        missing = [
            f"{u['name']} {u['to']}"
            for u in upgrades
            if u.get("written") and u.get("to") and u["to"] not in resolved.get(u["name"], set())
        ]
        if missing:
            return "not proven: npm's resolver chose other versions for " + ", ".join(missing)
        return f"proven: npm's resolver locks the new set together ({len(packages) - 1} packages)"


def _fix_files(path: Path) -> tuple[str, dict[str, str]]:
    root, files = read_manifest(path)
    folder = Path(root).parent
    for sibling in ("pyproject.toml", "package.json"):
        p = folder / sibling
        key = os.path.normpath(str(p))
        if p.is_file() and key not in files:
            files[key] = p.read_text(encoding="utf-8")
    return root, files


@app.command()
def fix(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A manifest or lockfile (or a folder holding one).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the unified diff; change no file.")
    ] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Only the local database.")] = False,
    prove: Annotated[
        bool,
        typer.Option(
            "--prove",
            help="Ask pip's or npm's resolver whether the new set installs together (needs "
            "their package index).",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
) -> None:
    """Upgrade each vulnerable dependency to the smallest version that clears every advisory,
    in the file it came from, then scan again. Exit 1 if vulnerabilities remain."""
    err = Console(stderr=True, soft_wrap=True)
    root, files = _fix_files(path)
    result = _call(ctx, "vuln.fix", {"root": root, "files": files, "offline": offline})
    if prove and result["files"] and result["format"] == "requirements":
        if shutil.which("pip") is None and not (Path(sys.executable).parent / "pip").exists():
            result["resolution"] = "not proven: pip is not available"
        else:
            result["resolution"] = prove_with_pip(root, {**files, **result["files"]})
    elif prove and result["files"] and result["format"] == "package-lock":
        result["resolution"] = prove_with_npm(
            root, {**files, **result["files"]}, result["upgrades"]
        )
    elif prove:
        result["resolution"] = (
            "not proven: --prove asks pip's resolver (requirements files) or npm's "
            "(package.json + package-lock.json)"
        )
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        for u in result["upgrades"]:
            target = u["to"] or "no fix"
            state = "written" if u["written"] else u.get("not_written") or u["note"]
            major = " (major upgrade)" if u["major"] else ""
            typer.echo(f"{u['name']} {u['from']} -> {target}{major}: {u['note']}; {state}")
        if result["diff"]:
            typer.echo(result["diff"], nl=False)
    if not dry_run:
        for name, text in result["files"].items():
            Path(name).write_text(text, encoding="utf-8")
            err.print(f"wrote {name}", markup=False, highlight=False)
    for note in result["notes"]:
        err.print(f"note: {note}", markup=False, highlight=False)
    for e in result["errors"]:
        err.print(f"error at {e['location']}: {e['message']}", markup=False, highlight=False)
    b, a = result["before"], result["after"]
    after = f"{a['vulns']} after" if a else "the scanned file is unchanged"
    err.print(
        f"{b['vulns']} known vulnerabilities before, {after}; "
        f"{len(result['unfixable'])} without a fix. {result['resolution']}",
        markup=False,
        highlight=False,
    )
    if result["errors"]:
        raise typer.Exit(code=2)
    remaining = a["vulns"] if a else b["vulns"]
    if remaining or result["unfixable"]:
        raise typer.Exit(code=1)


@app.command()
def history(
    ctx: typer.Context,
    scan_id: Annotated[str | None, typer.Argument(help="Show this stored scan in full.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
) -> None:
    """Stored scans and fix plans, newest first (or one of them, with its result)."""
    if scan_id:
        typer.echo(json.dumps(_call(ctx, "vuln.scans.get", {"id": scan_id}), indent=2))
        return
    result = _call(ctx, "vuln.scans.list", {"limit": limit})
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    if not result["scans"]:
        typer.echo("No stored scans yet.")
    for s in result["scans"]:
        typer.echo(
            f"{s['id']}  {s['created_at']}  {s['kind']:4}  {s['vulns']} vulns in {s['vulnerable']} "
            f"of {s['dependencies']} dependencies, {s['errors']} errors  {s['source']}"
        )
