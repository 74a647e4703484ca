"""The Bandit adapter: Bandit's default tests, run on a Python at least as new as the code.

Bandit runs as a child process (``python -c BOOT SITE_DIR bandit-args``), with the directory
that holds the installed ``bandit`` package appended to ``sys.path``; so the same installation
runs on any newer Python here (its dependencies are pure Python, or have pure-Python fallbacks).
Files Bandit could not parse are probed on each newer interpreter (oldest first) and analysed
again by Bandit on the first that parses them; what no interpreter parses is reported as
skipped, with the parser's message.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from shieldwall.core.types import Severity
from shieldwall.vuln.code.files import SourceTree
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
from shieldwall.vuln.code.pythons import Interpreter, Interpreters, current

NAME = "bandit"
CHUNK = 500
_BOOT = (
    "import sys; sys.path.append(sys.argv.pop(1)); sys.argv[0] = 'bandit'; "
    "from bandit.cli.main import main; main()"
)
# What each Bandit test is about, where its CWE says it poorly (B506 yaml.load is CWE-20 in
# Bandit, B307 eval CWE-78), so that its findings merge with the rule pack's on the same line.
FAMILIES = {
    **dict.fromkeys(("B102", "B307", "B201", "B701", "B702", "B704"), "code-injection"),
    **dict.fromkeys(("B301", "B302", "B403", "B506", "B614"), "deserialization"),
    **dict.fromkeys(("B303", "B304", "B305", "B324", "B413", "B505"), "weak-crypto"),
    **dict.fromkeys(("B105", "B106", "B107"), "hard-coded-secret"),
    **dict.fromkeys(("B501", "B502", "B503", "B504", "B507", "B323"), "tls"),
    **dict.fromkeys(("B404", "B602", "B603", "B604", "B605", "B606", "B607", "B609"), "os-command"),
    **dict.fromkeys(("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"), "xxe"),
    **dict.fromkeys(("B405", "B406", "B407", "B408", "B409", "B410"), "xxe"),
    "B608": "sql-injection",
    "B610": "sql-injection",
    "B611": "sql-injection",
    "B311": "weak-random",
    "B202": "path-traversal",
    "B108": "CWE-377",
    "B306": "CWE-377",
    "B103": "CWE-732",
}
_TEST_PATH = re.compile(
    r"(^|/)(tests?|testing)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$"
)
_LEVELS = {"LOW": Severity.LOW, "MEDIUM": Severity.MEDIUM, "HIGH": Severity.HIGH}
_CONFIDENCE = {"LOW": Confidence.LOW, "MEDIUM": Confidence.MEDIUM, "HIGH": Confidence.HIGH}

Progress = Callable[[str], None]


def _site_dir() -> Path | None:
    spec = importlib.util.find_spec("bandit")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).parent


def _version() -> str | None:
    try:
        return version("bandit")
    except PackageNotFoundError:
        return None


def _parse_error(path: Path) -> str | None:
    try:
        ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as exc:
        return f"{type(exc).__name__}: {exc.msg} (line {exc.lineno})"
    except (ValueError, OSError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class _BanditFailed(Exception):
    pass


def _run_once(
    interp: Interpreter, site: Path, paths: Sequence[Path], *, timeout_s: float
) -> dict[str, Any]:
    """Bandit's JSON report for ``paths`` (absolute) on ``interp``, merged across chunks."""
    merged: dict[str, Any] = {"results": [], "errors": [], "metrics": {}}
    with tempfile.TemporaryDirectory(prefix="shieldwall-bandit-") as tmp:
        out = Path(tmp) / "bandit.json"
        for start in range(0, len(paths), CHUNK):
            chunk = [str(p) for p in paths[start : start + CHUNK]]
            argv = [interp.path, "-I", "-c", _BOOT, str(site), "-f", "json", "-o", str(out), "-q"]
            try:
                done = subprocess.run(  # noqa: S603 - Bandit on a Python found on this machine
                    [*argv, *chunk],
                    capture_output=True,
                    text=True,
                    timeout=timeout_s,
                    check=False,
                    cwd=tmp,
                )
            except subprocess.TimeoutExpired as exc:
                raise _BanditFailed(f"Bandit took longer than {timeout_s:g} s") from exc
            except OSError as exc:
                raise _BanditFailed(f"Bandit could not be started: {exc}") from exc
            try:
                data = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                tail = (done.stderr or done.stdout).strip()[-400:]
                raise _BanditFailed(
                    f"Bandit exited {done.returncode} without a report: {tail or exc}"
                ) from exc
            out.unlink()
            if not isinstance(data, dict):
                raise _BanditFailed("Bandit's report is not a JSON object")
            merged["results"] += [r for r in data.get("results") or [] if isinstance(r, dict)]
            merged["errors"] += [e for e in data.get("errors") or [] if isinstance(e, dict)]
            metrics = data.get("metrics")
            if isinstance(metrics, dict):
                merged["metrics"].update(metrics)
    return merged


def _rule(result: dict[str, Any]) -> RuleInfo:
    test_id = str(result.get("test_id") or "B000")
    test_name = str(result.get("test_name") or test_id)
    cwe_raw = result.get("issue_cwe")
    cwe_id = cwe_raw.get("id") if isinstance(cwe_raw, dict) else None
    cwe = (f"CWE-{cwe_id}",) if isinstance(cwe_id, int) and cwe_id > 0 else ()
    text = str(result.get("issue_text") or test_name)
    more = result.get("more_info")
    return RuleInfo(
        id=f"bandit.{test_id}",
        analyser=NAME,
        name=test_name,
        summary=f"Bandit {test_id} ({test_name})",
        help=f"{text}\n\nBandit test {test_id} `{test_name}`"
        + (f"; see {more}" if isinstance(more, str) else "")
        + ".",
        cwe=cwe,
        severity=_LEVELS.get(str(result.get("issue_severity")), Severity.MEDIUM),
        confidence=_CONFIDENCE.get(str(result.get("issue_confidence")), Confidence.MEDIUM),
        help_uri=more if isinstance(more, str) else None,
        family=FAMILIES.get(test_id),
    )


def _findings(
    data: dict[str, Any], tree: SourceTree, rules: dict[str, RuleInfo]
) -> list[RawFinding]:
    out: list[RawFinding] = []
    root = tree.root
    for r in data["results"]:
        try:
            rel = Path(str(r["filename"])).resolve().relative_to(root).as_posix()
            line = int(r["line_number"])
        except (KeyError, ValueError, TypeError):
            continue
        if rel not in tree.files:
            continue
        if r.get("test_id") == "B101" and _TEST_PATH.search(rel):
            continue  # assert is how tests check things: Bandit's own docs say to skip it there
        rule = rules.setdefault(f"bandit.{r.get('test_id')}", _rule(r))
        col = r.get("col_offset")
        end_col = r.get("end_col_offset")
        line_range = r.get("line_range")
        end_line = line
        if isinstance(line_range, list) and line_range and isinstance(line_range[-1], int):
            end_line = max(line, line_range[-1])
        column = col + 1 if isinstance(col, int) and col >= 0 else 1
        out.append(
            RawFinding(
                rule=rule,
                message=str(r.get("issue_text") or rule.summary),
                location=CodeLocation(
                    path=rel,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_col + 1 if isinstance(end_col, int) and end_col >= 0 else column,
                ),
                language=Language.PYTHON,
                severity=_LEVELS.get(str(r.get("issue_severity"))),
                confidence=_CONFIDENCE.get(str(r.get("issue_confidence"))),
            )
        )
    return out


def _not_analysed(data: dict[str, Any], paths: Sequence[Path]) -> set[Path]:
    reported = {str(Path(k)) for k in data["metrics"] if k != "_totals"}
    errored = {str(Path(str(e.get("filename")))) for e in data["errors"]}
    return {p for p in paths if str(p) in errored or str(p) not in reported}


def run_bandit(
    tree: SourceTree,
    *,
    interpreters: Interpreters,
    timeout_s: float = 600.0,
    progress: Progress | None = None,
) -> AnalyserOutcome:
    """Bandit's default tests over the tree's Python files."""
    rels = tree.by_language(Language.PYTHON)
    site = _site_dir()
    if site is None:
        return AnalyserOutcome(
            runs=(
                AnalyserRun(
                    name=NAME,
                    status=AnalyserStatus.UNAVAILABLE,
                    message="Bandit is not installed in Shieldwall's environment",
                    hint="pip install 'shieldwall[code]' (or pip install bandit)",
                ),
            )
        )
    ver = _version()
    if not rels:
        return AnalyserOutcome(
            runs=(AnalyserRun(name=NAME, status=AnalyserStatus.RAN, version=ver),)
        )
    rules: dict[str, RuleInfo] = {}
    findings: list[RawFinding] = []
    runs: list[AnalyserRun] = []
    analysed: set[str] = set()
    to_rel = {tree.root / r: r for r in rels}
    first = current()
    if progress:
        progress(f"bandit: {len(rels)} Python files on {first.describe()}")
    try:
        data = _run_once(first, site, list(to_rel), timeout_s=timeout_s)
    except _BanditFailed as exc:
        return AnalyserOutcome(
            runs=(
                AnalyserRun(
                    name=NAME,
                    status=AnalyserStatus.FAILED,
                    version=ver,
                    runtime=first.describe(),
                    message=str(exc),
                ),
            )
        )
    findings += _findings(data, tree, rules)
    left = _not_analysed(data, list(to_rel))
    analysed |= {to_rel[p] for p in to_rel if p not in left}
    runs.append(
        AnalyserRun(
            name=NAME,
            status=AnalyserStatus.RAN,
            version=ver,
            runtime=first.describe(),
            files=len(to_rel) - len(left),
        )
    )
    why: dict[Path, str] = {p: _parse_error(p) or "Bandit did not analyse it" for p in left}
    tried = [first]
    skipped: list[SkippedFile] = []
    for interp in interpreters.newer_than(first.version) if left else []:
        if not left:
            break
        parsed = interpreters.probe(interp, sorted(left))
        fits = sorted(p for p in left if parsed.get(str(p)) is None)
        tried.append(interp)
        for p in left:
            reason = parsed.get(str(p))
            if reason is not None:
                why[p] = reason
        if not fits:
            continue
        if progress:
            progress(f"bandit: {len(fits)} files that need {interp.describe()}")
        try:
            more = _run_once(interp, site, fits, timeout_s=timeout_s)
        except _BanditFailed as exc:
            runs.append(
                AnalyserRun(
                    name=NAME,
                    status=AnalyserStatus.FAILED,
                    version=ver,
                    runtime=interp.describe(),
                    message=str(exc),
                )
            )
            skipped.extend(
                SkippedFile(
                    path=to_rel[p],
                    analyser=NAME,
                    reason=f"needs Python {interp.short}+, and Bandit failed there: {exc}",
                    needs_python=interp.short,
                )
                for p in fits
            )
            left -= set(fits)
            continue
        findings += _findings(more, tree, rules)
        still = _not_analysed(more, fits)
        done_here = [p for p in fits if p not in still]
        analysed |= {to_rel[p] for p in done_here}
        runs.append(
            AnalyserRun(
                name=NAME,
                status=AnalyserStatus.RAN,
                version=ver,
                runtime=interp.describe(),
                files=len(done_here),
                message=f"files whose syntax needs Python {interp.short}+",
            )
        )
        skipped.extend(
            SkippedFile(
                path=to_rel[p],
                analyser=NAME,
                reason=f"parses on Python {interp.short}, but Bandit did not analyse it there",
                needs_python=interp.short,
            )
            for p in still
        )
        left -= set(fits)
    versions = ", ".join(".".join(map(str, i.version)) for i in tried)
    note = "" if len(tried) > 1 else "; no newer Python was found here (see SHIELDWALL_PYTHONS)"
    skipped.extend(
        SkippedFile(
            path=to_rel[p],
            analyser=NAME,
            reason=f"does not parse on Python {versions}: {why[p]}{note}",
        )
        for p in sorted(left)
    )
    return AnalyserOutcome(
        runs=tuple(runs),
        findings=tuple(findings),
        skipped=tuple(skipped),
        analysed=frozenset(analysed),
    )
