"""The Semgrep adapter: Semgrep run offline with Shieldwall's own rule pack (``rules/``).

Semgrep is found at ``SHIELDWALL_SEMGREP``, else in the tool environment ``make`` creates inside
the running virtual environment (``<sys.prefix>/tools/semgrep/bin/semgrep``; Semgrep pins
``click~=8.4.2`` and ``opentelemetry-api~=1.37.0``, which conflict with FastAPI's own pins, so it
cannot share Shieldwall's environment), else as ``semgrep`` on ``PATH``. It runs with
``--metrics=off``, no version check, a local config only, and its settings and log files in a
temporary directory: nothing leaves the machine. The semgrep-rules repository is not used (its
licence forbids bundling it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from shieldwall.core.errors import InternalError
from shieldwall.core.types import Severity
from shieldwall.vuln.code.files import MAX_FILE_BYTES, SourceTree
from shieldwall.vuln.code.model import (
    AnalyserOutcome,
    AnalyserRun,
    AnalyserStatus,
    CodeLocation,
    Confidence,
    Language,
    RawFinding,
    RuleInfo,
    SkippedFile,
)

NAME = "semgrep"
CHUNK = 2000
_LANGS = {Language.PYTHON, Language.JAVASCRIPT, Language.TYPESCRIPT}
_SEVERITY = {
    "INFO": Severity.LOW,
    "WARNING": Severity.MEDIUM,
    "ERROR": Severity.HIGH,
}

Progress = Callable[[str], None]


def rules_dir() -> Path:
    """The directory of Shieldwall's rule pack (one YAML file per language)."""
    return Path(str(resources.files("shieldwall.vuln.code").joinpath("rules")))


@cache
def pack_rules() -> dict[str, RuleInfo]:
    """Every rule of the pack, by id, with its CWE, severity, confidence and help."""
    out: dict[str, RuleInfo] = {}
    for path in sorted(rules_dir().glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in doc.get("rules", []):
            meta = rule.get("metadata") or {}
            rid = str(rule["id"])
            if rid in out:
                raise InternalError(f"rule {rid} is defined twice in the rule pack")
            out[rid] = RuleInfo(
                id=rid,
                analyser=NAME,
                name=str(meta.get("name") or rid.rsplit(".", 1)[-1]),
                summary=str(meta.get("summary") or rule.get("message", rid)).strip(),
                help=str(meta.get("help") or rule.get("message", "")).strip(),
                cwe=tuple(str(c) for c in meta.get("cwe", [])),
                severity=Severity(
                    meta.get("shieldwall-severity")
                    or _SEVERITY.get(str(rule.get("severity")), Severity.MEDIUM)
                ),
                confidence=Confidence(str(meta.get("confidence", "medium")).lower()),
                help_uri=meta.get("references", [None])[0],
                fix_template=meta.get("fix-template"),
            )
    return out


def find_semgrep(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    explicit = env.get("SHIELDWALL_SEMGREP")
    if explicit:
        return explicit
    bundled = Path(sys.prefix) / "tools" / "semgrep" / "bin" / "semgrep"
    if bundled.is_file():
        return str(bundled)
    return shutil.which("semgrep", path=env.get("PATH"))


def _language(path: str) -> Language:
    if path.endswith((".ts", ".tsx")):
        return Language.TYPESCRIPT
    if path.endswith((".py", ".pyw")):
        return Language.PYTHON
    return Language.JAVASCRIPT


def _pack_id(check_id: str, known: Mapping[str, RuleInfo]) -> str | None:
    """Semgrep prefixes rule ids with the config's path; find ours by its suffix."""
    for rid in known:
        if check_id == rid or check_id.endswith("." + rid):
            return rid
    return None


def run_semgrep(
    tree: SourceTree,
    *,
    executable: str | None = None,
    timeout_s: float = 900.0,
    jobs: int = 1,
    progress: Progress | None = None,
) -> AnalyserOutcome:
    """Our rule pack over the tree's Python, JavaScript and TypeScript files."""
    exe = executable or find_semgrep()
    if exe is None or (not Path(exe).exists() and shutil.which(exe) is None):
        return AnalyserOutcome(
            runs=(
                AnalyserRun(
                    name=NAME,
                    status=AnalyserStatus.UNAVAILABLE,
                    message="Semgrep was not found"
                    + (f" at {exe}" if exe else " (SHIELDWALL_SEMGREP, the tool venv, PATH)"),
                    hint="`make` installs it into .venv/tools/semgrep; or pipx install semgrep; "
                    "or set SHIELDWALL_SEMGREP to its path",
                ),
            )
        )
    rels = tree.by_language(*_LANGS)
    known = pack_rules()
    with tempfile.TemporaryDirectory(prefix="shieldwall-semgrep-") as tmp:
        env = {
            **os.environ,
            "SEMGREP_SETTINGS_FILE": str(Path(tmp) / "settings.yml"),
            "SEMGREP_LOG_FILE": str(Path(tmp) / "semgrep.log"),
            "SEMGREP_VERSION_CACHE_PATH": str(Path(tmp) / "version"),
            "SEMGREP_ENABLE_VERSION_CHECK": "0",
            "SEMGREP_SEND_METRICS": "off",
        }
        ver: str | None = None
        if not rels:
            return AnalyserOutcome(
                runs=(AnalyserRun(name=NAME, status=AnalyserStatus.RAN, version=ver),)
            )
        if progress:
            progress(f"semgrep: {len(rels)} files, {len(known)} rules")
        results: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        scanned: set[str] = set()
        for start in range(0, len(rels), CHUNK):
            chunk = rels[start : start + CHUNK]
            argv = [
                exe,
                "scan",
                "--config",
                str(rules_dir()),
                "--json",
                "--metrics=off",
                "--disable-version-check",
                "--no-git-ignore",
                "--quiet",
                "--jobs",
                str(jobs),
                "--timeout",
                "30",
                "--max-target-bytes",
                str(MAX_FILE_BYTES),
                "--",
                *chunk,
            ]
            try:
                done = subprocess.run(  # noqa: S603 - the configured Semgrep, offline
                    argv,
                    capture_output=True,
                    text=True,
                    timeout=timeout_s,
                    cwd=tree.root,
                    env=env,
                    check=False,
                )
                data = json.loads(done.stdout)
                if not isinstance(data, dict) or "results" not in data:
                    raise ValueError("no results in Semgrep's output")
            except (OSError, subprocess.SubprocessError, ValueError) as exc:
                tail = ""
                if isinstance(exc, ValueError):
                    tail = ": " + (done.stderr.strip()[-400:] or "no output")
                return AnalyserOutcome(
                    runs=(
                        AnalyserRun(
                            name=NAME,
                            status=AnalyserStatus.FAILED,
                            version=ver,
                            message=f"Semgrep could not run here ({exc}){tail}",
                            hint="run it by hand with --metrics=off to see why; "
                            "set SHIELDWALL_SEMGREP to a working semgrep",
                        ),
                    )
                )
            ver = str(data.get("version") or "") or ver
            results += [r for r in data.get("results") or [] if isinstance(r, dict)]
            errors += [e for e in data.get("errors") or [] if isinstance(e, dict)]
            paths = data.get("paths") or {}
            scanned |= {str(p) for p in paths.get("scanned") or []}
    findings: list[RawFinding] = []
    for r in results:
        rid = _pack_id(str(r.get("check_id", "")), known)
        path = str(r.get("path", ""))
        if rid is None or path not in tree.files:
            continue
        start_pos, end_pos = r.get("start") or {}, r.get("end") or {}
        extra = r.get("extra") or {}
        line = int(start_pos.get("line", 1))
        col = int(start_pos.get("col", 1))
        findings.append(
            RawFinding(
                rule=known[rid],
                message=str(extra.get("message") or known[rid].summary).strip(),
                location=CodeLocation(
                    path=path,
                    line=line,
                    column=col,
                    end_line=int(end_pos.get("line", line)),
                    end_column=int(end_pos.get("col", col)),
                ),
                language=_language(path),
            )
        )
    skipped: list[SkippedFile] = []
    partial: dict[str, str] = {}
    for e in errors:
        where = e.get("path")
        raw_kind = e.get("type", "error")
        kind = str(raw_kind[0]) if isinstance(raw_kind, list) and raw_kind else str(raw_kind)
        if isinstance(where, str) and where in tree.files:
            partial.setdefault(where, f"{kind}: {str(e.get('message', '')).strip()[:200]}")
    for path in rels:
        if path not in scanned:
            skipped.append(
                SkippedFile(
                    path=path,
                    analyser=NAME,
                    reason=partial.get(path, "Semgrep did not scan it"),
                )
            )
        elif path in partial:
            skipped.append(
                SkippedFile(
                    path=path,
                    analyser=NAME,
                    reason=f"only partly analysed: {partial[path]}",
                )
            )
    n_ok = len([p for p in rels if p in scanned])
    return AnalyserOutcome(
        runs=(
            AnalyserRun(
                name=NAME,
                status=AnalyserStatus.RAN,
                version=ver,
                runtime=f"{Path(exe).name} (offline, --metrics=off, {len(known)} rules)",
                files=n_ok,
            ),
        ),
        findings=tuple(findings),
        skipped=tuple(skipped),
        analysed=frozenset(p for p in rels if p in scanned),
    )
