"""Validated patches: a provider proposes, Shieldwall checks, and only a proven patch is kept.

For each finding: ask the provider for a diff (the ``code-patch`` task), apply it to a scratch
copy of the project, run the project's own tests there, re-run the analyser on the changed
files, and accept the patch only if it applied, the tests pass, the finding is gone and no new
finding of the same or higher severity appeared. A rejected attempt's reason goes back to the
provider as feedback for the next attempt. Before any attempt the tests run once on an
unchanged copy: when they already fail, no patch can be validated, and the report says so
instead of blaming the patch.

Outcomes per finding (as AIxCC reports them): *found*; *patched* (a patch applied and the
re-scan no longer reports the finding); *validated* (patched, and the project's tests pass).
A diff never touches test files (a model that "fixes" a finding by editing the tests would
otherwise pass) and never leaves the project directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from shieldwall.ai.provider import ModelProvider
from shieldwall.core.errors import InputError, NotFoundError, ShieldwallError
from shieldwall.vuln.code.analyse import ANALYSERS, analyse_tree
from shieldwall.vuln.code.diff import FilePatch, PatchError, apply_to_text, extract_diff, parse_diff
from shieldwall.vuln.code.files import EXCLUDED_DIRS, SourceTree, collect
from shieldwall.vuln.code.fixes import CODE_PATCH, NO_PATCH
from shieldwall.vuln.code.model import SEVERITY_RANK, CodeFinding, CodeReport
from shieldwall.vuln.code.pythons import Interpreters

MAX_ATTEMPTS = 5
MAX_COPY_BYTES = 500_000_000
OUTPUT_TAIL = 2000
_TEST_FILE = re.compile(
    r"(^|/)(tests?|__tests__|spec)/|(^|/)test_[^/]*\.py$|_test\.py$|(^|/)conftest\.py$|"
    r"\.(test|spec)\.[cm]?[jt]sx?$"
)
_LINKED_DIRS = frozenset({"node_modules"})  # linked into the scratch copy, not copied
Progress = Callable[[str], None]


class Outcome(StrEnum):
    VALIDATED = "validated"  # patched and the project's tests pass
    PATCHED = "patched"  # the finding is gone, but no tests could confirm behaviour
    NOT_PATCHED = "not_patched"


@dataclass(frozen=True, slots=True, kw_only=True)
class TestRun:
    command: tuple[str, ...]
    exit_code: int | None  # None: timed out or could not start
    passed: bool
    output_tail: str

    def to_json(self) -> dict[str, Any]:
        return {
            "command": list(self.command),
            "exit_code": self.exit_code,
            "passed": self.passed,
            "output_tail": self.output_tail,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Attempt:
    number: int
    provider: str
    model: str
    diff: str
    accepted: bool
    reason: str
    tests: TestRun | None = None
    note: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt": self.number,
            "provider": self.provider,
            "model": self.model,
            "diff": self.diff,
            "accepted": self.accepted,
            "reason": self.reason,
            "tests": self.tests.to_json() if self.tests else None,
            "template": self.note or None,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PatchResult:
    finding: CodeFinding
    outcome: Outcome
    diff: str
    attempts: tuple[Attempt, ...]
    written: bool
    caveats: tuple[str, ...] = ()
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "finding": self.finding.to_json(),
            "outcome": str(self.outcome),
            "diff": self.diff,
            "written": self.written,
            "caveats": list(self.caveats),
            "reason": self.reason,
            "attempts": [a.to_json() for a in self.attempts],
        }


def _ignore(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in EXCLUDED_DIRS or n in _LINKED_DIRS}


def scratch_copy(root: Path, dest: Path) -> Path:
    """Copy ``root`` to ``dest`` without VCS data, virtual environments and caches;
    ``node_modules`` is linked, not copied. Refuses trees over MAX_COPY_BYTES."""
    total = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in EXCLUDED_DIRS and d not in _LINKED_DIRS]
        for name in filenames:
            try:
                total += (Path(dirpath) / name).lstat().st_size
            except OSError:
                continue
        if total > MAX_COPY_BYTES:
            raise InputError(
                f"{root} is larger than {MAX_COPY_BYTES // 1_000_000} MB without its caches",
                code="vuln.patch.too_large",
                hint="Run vuln patch on the package directory rather than a whole workspace.",
            )
    shutil.copytree(root, dest, symlinks=True, ignore=_ignore)
    for linked in _LINKED_DIRS:
        if (root / linked).is_dir():
            (dest / linked).symlink_to(root / linked, target_is_directory=True)
    return dest


def detect_test_command(root: Path) -> list[str] | None:
    """pytest when the project has Python tests, ``npm test`` when package.json has a test
    script; None when neither."""
    markers = ("pytest.ini", "conftest.py", "tox.ini")
    has_py_tests = any((root / m).exists() for m in markers) or any(
        (root / d).is_dir() for d in ("tests", "test")
    )
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and "[tool.pytest" in pyproject.read_text(errors="replace"):
        has_py_tests = True
    if not has_py_tests:
        has_py_tests = any(True for _ in root.glob("test_*.py")) or any(
            True for _ in root.glob("*_test.py")
        )
    if has_py_tests:
        return [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    package = root / "package.json"
    if package.is_file():
        try:
            scripts = json.loads(package.read_text(encoding="utf-8")).get("scripts") or {}
        except (ValueError, AttributeError):
            scripts = {}
        test = scripts.get("test") if isinstance(scripts, dict) else None
        if isinstance(test, str) and "no test specified" not in test:
            return ["npm", "test", "--silent"]
    return None


def run_tests(command: Sequence[str], cwd: Path, *, timeout_s: float) -> TestRun:
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(str(p) for p in (cwd / "src", cwd) if p.is_dir()),
    }
    try:
        done = subprocess.run(  # noqa: S603 - the owner's own test command, local-only
            list(command),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"")[-OUTPUT_TAIL:]
        tail = out.decode(errors="replace") if isinstance(out, bytes) else str(out)
        return TestRun(
            command=tuple(command),
            exit_code=None,
            passed=False,
            output_tail=f"timed out after {timeout_s:g} s\n{tail}",
        )
    except OSError as exc:
        return TestRun(
            command=tuple(command),
            exit_code=None,
            passed=False,
            output_tail=f"could not run: {exc}",
        )
    output = (done.stdout + done.stderr)[-OUTPUT_TAIL:]
    return TestRun(
        command=tuple(command),
        exit_code=done.returncode,
        passed=done.returncode == 0,
        output_tail=output,
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(slots=True)
class Patcher:
    """One patch session over one project directory."""

    root: Path
    provider: ModelProvider
    analysers: Sequence[str] = ANALYSERS
    test_command: Sequence[str] | None = None
    attempts: int = 3
    timeout_s: float = 600.0
    dry_run: bool = False
    interpreters: Interpreters | None = None
    semgrep: str | None = None
    progress: Progress | None = None
    _baseline: TestRun | None = None
    _baseline_done: bool = False
    _before: dict[tuple[str, ...], CodeReport] = field(default_factory=dict)

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def scan(self, root: Path | None = None, only: set[str] | None = None) -> CodeReport:
        tree = collect(root or self.root)
        if only is not None:
            tree = SourceTree(
                root=tree.root, files={p: lang for p, lang in tree.files.items() if p in only}
            )
        return analyse_tree(
            tree, analysers=self.analysers, interpreters=self.interpreters, semgrep=self.semgrep
        )

    def baseline(self) -> TestRun | None:
        if not self._baseline_done:
            self._baseline_done = True
            command = self.test_command
            if command:
                self._say("running the tests on an unchanged copy")
                with tempfile.TemporaryDirectory(prefix="shieldwall-patch-") as tmp:
                    copy = scratch_copy(self.root, Path(tmp) / "project")
                    self._baseline = run_tests(command, copy, timeout_s=self.timeout_s)
        return self._baseline

    def patch(self, finding: CodeFinding) -> PatchResult:
        baseline = self.baseline()
        path = finding.location.path
        source_path = self.root / path
        source = source_path.read_bytes().decode("utf-8", errors="surrogateescape")
        attempts: list[Attempt] = []
        feedback = ""
        for number in range(1, self.attempts + 1):
            self._say(f"{finding.id}: attempt {number} with the {self.provider.name} provider")
            payload: dict[str, Any] = {
                "finding": finding.to_json(),
                "source": source,
                "attempt": number,
                "feedback": feedback,
            }
            try:
                answer = self.provider.complete(CODE_PATCH.messages(payload), temperature=0.0)
            except ShieldwallError as exc:
                attempts.append(
                    Attempt(number=number, provider=self.provider.name, model="", diff="",
                            accepted=False, reason=f"the provider failed: {exc.message}")
                )  # fmt: skip
                break
            text = answer.text.strip()
            note = _template_note(text)
            if text.startswith(NO_PATCH) or not text:
                attempts.append(
                    Attempt(number=number, provider=answer.provider, model=answer.model, diff="",
                            accepted=False, reason=text or "the provider answered nothing",
                            note=note)
                )  # fmt: skip
                break
            verdict = self._try(finding, source, text, baseline)
            attempts.append(
                Attempt(number=number, provider=answer.provider, model=answer.model,
                        diff=verdict.diff, accepted=verdict.ok, reason=verdict.reason,
                        tests=verdict.tests, note=note)
            )  # fmt: skip
            if verdict.ok:
                outcome = Outcome.VALIDATED if verdict.tests else Outcome.PATCHED
                caveats = [str(note["caveat"])] if note.get("caveat") else []
                if verdict.tests is None:
                    caveats.append("no tests were found or given, so behaviour was not checked")
                written = False
                if not self.dry_run:
                    current = source_path.read_bytes().decode("utf-8", errors="surrogateescape")
                    if _sha(current) != _sha(source):
                        raise InputError(
                            f"{path} changed while it was being patched; nothing was written",
                            code="vuln.patch.conflict",
                        )
                    for fp, new_text in verdict.files.items():
                        (self.root / fp).write_bytes(new_text.encode("utf-8", "surrogateescape"))
                    written = True
                return PatchResult(
                    finding=finding,
                    outcome=outcome,
                    diff=verdict.diff,
                    attempts=tuple(attempts),
                    written=written,
                    caveats=tuple(caveats),
                    reason=verdict.reason,
                )
            feedback = verdict.reason
        return PatchResult(
            finding=finding,
            outcome=Outcome.NOT_PATCHED,
            diff="",
            attempts=tuple(attempts),
            written=False,
            reason=attempts[-1].reason if attempts else "no attempt was made",
        )

    def _try(
        self, finding: CodeFinding, source: str, answer: str, baseline: TestRun | None
    ) -> _Verdict:
        try:
            diff = extract_diff(answer)
            patches = parse_diff(diff)
        except PatchError as exc:
            return _Verdict(ok=False, reason=f"no usable diff: {exc}", diff=answer[:4000])
        for fp in patches:
            if fp.old_path is None or fp.new_path is None or fp.old_path != fp.new_path:
                return _Verdict(
                    ok=False, diff=diff, reason="the diff creates, deletes or renames a file"
                )
            if _TEST_FILE.search(PurePosixPath(fp.path).as_posix()):
                return _Verdict(
                    ok=False, diff=diff, reason=f"the diff changes a test file ({fp.path})"
                )
        with tempfile.TemporaryDirectory(prefix="shieldwall-patch-") as tmp:
            copy = scratch_copy(self.root, Path(tmp) / "project")
            files: dict[str, str] = {}
            try:
                for fp in patches:
                    target = copy / fp.path
                    if not target.is_file():
                        return _Verdict(
                            ok=False, diff=diff, reason=f"{fp.path} is not in the project"
                        )
                    original = (
                        source
                        if fp.path == finding.location.path
                        else target.read_text(encoding="utf-8", errors="surrogateescape")
                    )
                    files[fp.path] = _apply_all(original, [p for p in patches if p.path == fp.path])
                    target.write_bytes(files[fp.path].encode("utf-8", "surrogateescape"))
            except PatchError as exc:
                return _Verdict(ok=False, diff=diff, reason=f"the diff does not apply: {exc}")
            key = tuple(
                sorted(f"{p}:{_sha((self.root / p).read_text(errors='replace'))}" for p in files)
            )
            if key not in self._before:
                self._before[key] = self.scan(only=set(files))
            before = self._before[key]
            after = self.scan(root=copy, only=set(files))
            if after.errors:
                return _Verdict(
                    ok=False, diff=diff, reason="the re-scan failed: " + "; ".join(after.errors)
                )
            if any(f.fingerprint == finding.fingerprint for f in after.findings):
                return _Verdict(
                    ok=False, diff=diff, reason="the finding is still reported after the patch"
                )
            old = {f.fingerprint for f in before.findings}
            worse = [
                f for f in after.findings
                if f.fingerprint not in old
                and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[finding.severity]
            ]  # fmt: skip
            if worse:
                names = ", ".join(f"{f.rule} at {f.location}" for f in worse[:3])
                return _Verdict(
                    ok=False, diff=diff, reason=f"the patch brings new findings: {names}"
                )
            if not self.test_command:
                return _Verdict(
                    ok=True, diff=diff, reason="the finding is gone; no tests to run", files=files
                )
            if baseline is not None and not baseline.passed:
                return _Verdict(
                    ok=False,
                    diff=diff,
                    tests=baseline,
                    reason="the project's tests already fail without any change, so no patch "
                    "can be validated; fix the tests first",
                )
            self._say(f"{finding.id}: running the tests on the patched copy")
            tests = run_tests(self.test_command, copy, timeout_s=self.timeout_s)
            if not tests.passed:
                return _Verdict(
                    ok=False, diff=diff, tests=tests,
                    reason=f"the tests fail with the patch (exit {tests.exit_code}):\n"
                    + tests.output_tail[-800:],
                )  # fmt: skip
            return _Verdict(
                ok=True, diff=diff, tests=tests, files=files,
                reason="the finding is gone and the tests pass",
            )  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class _Verdict:
    ok: bool
    reason: str
    diff: str
    tests: TestRun | None = None
    files: dict[str, str] = field(default_factory=dict)


def _apply_all(text: str, patches: Sequence[FilePatch]) -> str:
    for p in patches:
        text = apply_to_text(text, p)
    return text


def _template_note(answer: str) -> dict[str, Any]:
    first = answer.partition("\n")[0]
    if first.startswith("shieldwall-fix: "):
        try:
            note = json.loads(first.removeprefix("shieldwall-fix: "))
        except ValueError:
            return {}
        return note if isinstance(note, dict) else {}
    return {}


def select_findings(report: CodeReport, ids: Sequence[str], *, every: bool) -> list[CodeFinding]:
    if every:
        return list(report.findings)
    chosen: list[CodeFinding] = []
    for raw in ids:
        found = report.finding(raw)
        if found is None:
            matches = [f.id for f in report.findings if f.fingerprint.startswith(raw.lower())]
            raise NotFoundError(
                f"no single finding has the id {raw!r}"
                + (f" (it matches {len(matches)})" if matches else ""),
                code="vuln.patch.no_finding",
                hint="Run `shieldwall vuln code PATH` and copy an id from its first column.",
            )
        chosen.append(found)
    return chosen


def summary(results: Sequence[PatchResult]) -> dict[str, int]:
    patched = [r for r in results if r.outcome is not Outcome.NOT_PATCHED]
    return {
        "found": len(results),
        "patched": len(patched),
        "validated": sum(1 for r in results if r.outcome is Outcome.VALIDATED),
        "written": sum(1 for r in results if r.written),
    }
