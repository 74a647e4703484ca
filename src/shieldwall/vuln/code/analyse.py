"""One code scan: collect the files, run each analyser, normalize, fingerprint and merge.

A scan never looks clean when it was not: an analyser that was asked for and could not run is
an error in the report (the CLI exits 2), and every file an analyser did not read is listed with
the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from shieldwall.core.errors import InputError
from shieldwall.vuln.code.bandit import run_bandit
from shieldwall.vuln.code.files import SourceTree, collect
from shieldwall.vuln.code.model import (
    AnalyserOutcome,
    AnalyserStatus,
    CodeReport,
    RawFinding,
    RuleInfo,
    SkippedFile,
    fingerprint_findings,
    merge_duplicates,
)
from shieldwall.vuln.code.pythons import Interpreters
from shieldwall.vuln.code.semgrep import pack_rules, run_semgrep

ANALYSERS = ("semgrep", "bandit")
Progress = Callable[[str], None]


def analyse_tree(
    tree: SourceTree,
    *,
    analysers: Sequence[str] = ANALYSERS,
    interpreters: Interpreters | None = None,
    semgrep: str | None = None,
    progress: Progress | None = None,
    label: str | None = None,
) -> CodeReport:
    unknown = sorted(set(analysers) - set(ANALYSERS))
    if unknown or not analysers:
        raise InputError(
            f"unknown analyser {', '.join(unknown) or '(none chosen)'}",
            code="vuln.code.analyser",
            hint=f"Choose from {', '.join(ANALYSERS)}.",
        )
    jobs: list[Callable[[], AnalyserOutcome]] = []
    if "semgrep" in analysers:
        jobs.append(lambda: run_semgrep(tree, executable=semgrep, progress=progress))
    if "bandit" in analysers:
        pythons = interpreters or Interpreters()
        jobs.append(lambda: run_bandit(tree, interpreters=pythons, progress=progress))
    # Both run as child processes: two threads overlap them (Semgrep starts slowly).
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        outcomes: list[AnalyserOutcome] = list(pool.map(lambda job: job(), jobs))
    raw: list[RawFinding] = [f for o in outcomes for f in o.findings]
    lines_of = {p: tree.lines(p) for p in {r.location.path for r in raw}}
    findings = merge_duplicates(fingerprint_findings(raw, lines_of=lines_of), prefer="semgrep")
    rules: dict[str, RuleInfo] = dict(pack_rules()) if "semgrep" in analysers else {}
    for r in raw:
        rules.setdefault(r.rule.id, r.rule)
    runs = tuple(run for o in outcomes for run in o.runs)
    errors = [
        f"{run.name} {run.status}: {run.message}" + (f" ({run.hint})" if run.hint else "")
        for run in runs
        if run.status is not AnalyserStatus.RAN
    ]
    skipped: list[SkippedFile] = [*tree.skipped, *(s for o in outcomes for s in o.skipped)]
    read_by_any = set().union(*(o.analysed for o in outcomes)) if outcomes else set()
    skipped.extend(
        SkippedFile(path=path, analyser="shieldwall", reason="no analyser read this file")
        for path in sorted(tree.files)
        if path not in read_by_any
    )
    warnings: list[str] = []
    bandit_skips = [s for s in skipped if s.analyser == "bandit"]
    if bandit_skips:
        newer = sum(1 for s in bandit_skips if s.needs_python)
        covered = sum(1 for s in bandit_skips if s.path in read_by_any)
        warnings.append(
            f"Bandit could not analyse {len(bandit_skips)} Python files"
            + (f" ({newer} need a newer Python than any that could run Bandit)" if newer else "")
            + f"; {covered} of them were read by Semgrep"
        )
    return CodeReport(
        root=label or str(tree.root),
        files=tree.counts(),
        findings=tuple(findings),
        rules=rules,
        skipped=tuple(sorted(skipped, key=lambda s: (s.path, s.analyser))),
        analysers=runs,
        errors=tuple(errors),
        warnings=tuple(warnings),
    )


def analyse(
    target: Path,
    *,
    analysers: Sequence[str] = ANALYSERS,
    interpreters: Interpreters | None = None,
    semgrep: str | None = None,
    progress: Progress | None = None,
) -> CodeReport:
    """Analyse a directory or one file with the chosen analysers (default: both)."""
    return analyse_tree(
        collect(target),
        analysers=analysers,
        interpreters=interpreters,
        semgrep=semgrep,
        progress=progress,
    )
