"""The code capabilities: ``vuln.code`` (static analysis) and ``vuln.patch`` (validated patches).

``vuln.code`` takes either a local path, which only the local owner may name (a remote caller
naming server paths could read any file the server can), or the files' text in the request,
which any tier-1 principal may send (they are written to a temporary directory and analysed
there). ``vuln.patch`` runs the project's own tests and writes its files, so it is local-owner
only (the default policy also refuses it to API keys); tier 1 is its floor.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Engine

from shieldwall.ai.factory import provider_from_settings
from shieldwall.ai.local import LocalProvider
from shieldwall.ai.provider import ModelProvider
from shieldwall.core.clock import Clock, RandomIds, SystemClock
from shieldwall.core.errors import DeniedError, InputError
from shieldwall.core.settings import Settings
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, PrincipalKind, Tier
from shieldwall.vuln.code.analyse import analyse, analyse_tree
from shieldwall.vuln.code.files import MAX_FILE_BYTES, collect, write_tree
from shieldwall.vuln.code.fixes import CODE_PATCH
from shieldwall.vuln.code.patcher import (
    MAX_ATTEMPTS,
    Patcher,
    PatchResult,
    detect_test_command,
    select_findings,
    summary,
)
from shieldwall.vuln.code.sarif import to_sarif
from shieldwall.vuln.history import ScanHistory

M = TypeVar("M", bound=BaseModel)

MAX_REQUEST_FILES = 2_000
AnalyserName = Literal["semgrep", "bandit"]
ProviderName = Literal["local", "openai", "compatible"]
#: Set by a front end (the CLI's status line) around a door call.
progress_hook: ContextVar[Callable[[str], None] | None] = ContextVar(
    "vuln_code_progress", default=None
)


def _all_analysers() -> list[AnalyserName]:
    return ["semgrep", "bandit"]


class CodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str | None = Field(
        default=None, min_length=1, max_length=4096, description="A local file or directory."
    )
    files: dict[str, str] | None = Field(
        default=None,
        max_length=MAX_REQUEST_FILES,
        description="Relative file name -> source text, instead of a path.",
    )
    analysers: list[AnalyserName] = Field(default_factory=_all_analysers, min_length=1)
    sarif: bool = Field(default=False, description="Also return the report as SARIF 2.1.0.")

    @model_validator(mode="after")
    def _one_source(self) -> CodeRequest:
        if (self.path is None) == (self.files is None):
            raise ValueError("give either path or files")
        return self


class PatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1, max_length=4096, description="The project directory.")
    findings: list[str] = Field(default_factory=list, max_length=500)
    all: bool = Field(default=False, description="Patch every finding.")
    provider: ProviderName | None = Field(default=None, description="Default: the setting.")
    analysers: list[AnalyserName] = Field(default_factory=_all_analysers, min_length=1)
    test_command: list[str] | None = Field(
        default=None, description="argv of the project's tests; default: detected."
    )
    no_tests: bool = Field(default=False, description="Do not run tests (nothing is validated).")
    attempts: int = Field(default=3, ge=1, le=MAX_ATTEMPTS)
    timeout_s: float = Field(default=600.0, gt=0, le=3600)
    dry_run: bool = False

    @model_validator(mode="after")
    def _something(self) -> PatchRequest:
        if not self.findings and not self.all:
            raise ValueError("name at least one finding id, or set all")
        return self


def _local_only(ctx: InvocationContext, what: str) -> None:
    if ctx.principal.kind is not PrincipalKind.OWNER:
        raise DeniedError(
            f"{what} works on paths on this machine, which only its local owner may do",
            code="vuln.local_only",
            hint="Run it with the `shieldwall` command on the machine itself"
            + (", or send the files' text instead of a path." if what == "vuln.code" else "."),
        )


class CodeService:
    def __init__(self, *, provider_for: Callable[[str | None], ModelProvider]) -> None:
        self._provider_for = provider_for

    def code(self, req: CodeRequest, ctx: InvocationContext) -> dict[str, Any]:
        hook = progress_hook.get()
        if req.path is not None:
            _local_only(ctx, "vuln.code")
            report = analyse(Path(req.path), analysers=req.analysers, progress=hook)
        else:
            files = req.files or {}
            for name, text in files.items():
                if len(text) > MAX_FILE_BYTES:
                    raise InputError(f"{name} is too large", code="vuln.code.too_large")
            with tempfile.TemporaryDirectory(prefix="shieldwall-code-") as tmp:
                write_tree(Path(tmp), files)
                report = analyse_tree(
                    collect(Path(tmp)), analysers=req.analysers, progress=hook, label="(request)"
                )
        out = report.to_json()
        if req.sarif:
            out["sarif"] = to_sarif(report)
        return out

    def patch(self, req: PatchRequest, ctx: InvocationContext) -> dict[str, Any]:
        _local_only(ctx, "vuln.patch")
        root = Path(req.path).resolve()
        if not root.is_dir():
            raise InputError(
                f"{req.path} is not a directory",
                code="vuln.patch.not_a_project",
                hint="Give the project's directory: its tests run from there.",
            )
        provider = self._provider_for(req.provider)
        command = None if req.no_tests else (req.test_command or detect_test_command(root))
        patcher = Patcher(
            root=root,
            provider=provider,
            analysers=req.analysers,
            test_command=command,
            attempts=req.attempts,
            timeout_s=req.timeout_s,
            dry_run=req.dry_run,
            progress=progress_hook.get(),
        )
        report = patcher.scan()
        if report.errors:
            raise InputError(
                "the analysis could not run: " + "; ".join(report.errors),
                code="vuln.patch.scan_failed",
                hint="Fix the analysers first (`shieldwall vuln code PATH` shows the problem).",
            )
        pending = select_findings(report, req.findings, every=req.all)
        results: list[PatchResult] = []
        for finding in pending:
            current = finding
            if any(r.written for r in results):
                # earlier patches moved lines: find this finding again by its fingerprint
                fresh = {
                    f.fingerprint: f for f in patcher.scan(only={finding.location.path}).findings
                }
                if finding.fingerprint not in fresh:
                    continue  # an earlier patch removed it too
                current = fresh[finding.fingerprint]
            results.append(patcher.patch(current))
        baseline = patcher.baseline()
        return {
            "root": str(root),
            "provider": provider.name,
            "test_command": list(command) if command else None,
            "baseline_tests": baseline.to_json() if baseline else None,
            "dry_run": req.dry_run,
            "results": [r.to_json() for r in results],
            "summary": summary(results),
        }


def patch_provider(settings: Settings, name: str | None) -> ModelProvider:
    """The provider for patches: the local one answers the code-patch task from templates."""
    chosen = name or settings.ai_provider
    if chosen == "local":
        return LocalProvider(skills=(CODE_PATCH,))
    return provider_from_settings(settings.model_copy(update={"ai_provider": chosen}))


def _stored(
    kind: str, history: ScanHistory | None, handler: Callable[[M, InvocationContext], Any]
) -> Callable[[M, InvocationContext], Any]:
    """The handler, with its result kept in the scan history (``vuln history``) under ``kind``."""
    if history is None:
        return handler

    def run(req: M, ctx: InvocationContext) -> Any:
        result = handler(req, ctx)
        if isinstance(result, dict):
            result["scan_id"] = history.record(kind, ctx.principal, result)
        return result

    return run


def vuln_code_capabilities(
    *, settings: Settings, engine: Engine | None = None, clock: Clock | None = None
) -> list[Capability[Any]]:
    """``vuln.code`` and ``vuln.patch``; with ``engine``, their results are stored like scans."""
    svc = CodeService(provider_for=lambda name: patch_provider(settings, name))
    history = (
        ScanHistory(engine, clock=clock or SystemClock(), ids=RandomIds())
        if engine is not None
        else None
    )
    return [
        Capability(
            id=CapabilityId("vuln.code"),
            description="Static analysis of Python and JavaScript code with Bandit and Semgrep "
            "(Shieldwall's own rule pack, offline): findings with CWE, severity, confidence and "
            "location, and every file an analyser skipped. A local path is for the local owner "
            "only; anyone at tier 1 may send the files' text.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=CodeRequest,
            handler=_stored("code", history, svc.code),
        ),
        Capability(
            id=CapabilityId("vuln.patch"),
            description="Propose a patch for code findings with the model provider, apply it "
            "to a scratch copy, run the project's tests and re-run the analyser; keep it only if "
            "the tests pass and the finding is gone. Writes files: local owner only.",
            min_tier=Tier.VERIFIED_INDIVIDUAL,
            input_model=PatchRequest,
            handler=_stored("patch", history, svc.patch),
            writes=True,
        ),
    ]
