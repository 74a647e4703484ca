"""Shieldwall's rule pack against annotated cases: each `ruleid:` line is flagged by that rule
and no `ok:` line is; and every rule carries what the reports need."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from shieldwall.core.types import Severity
from shieldwall.vuln.code.files import collect
from shieldwall.vuln.code.semgrep import pack_rules, run_semgrep

CASES = Path(__file__).parent / "cases"
_ANNOTATION = re.compile(r"^\s*(?:#|//) (ruleid|ok): (.+)$")


def _expected(text: str) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    flagged: set[tuple[str, int]] = set()
    clean: set[tuple[str, int]] = set()
    for n, line in enumerate(text.splitlines(), start=1):
        m = _ANNOTATION.match(line)
        if m:
            bucket = flagged if m.group(1) == "ruleid" else clean
            bucket.update((rule.strip(), n + 1) for rule in m.group(2).split(","))
    return flagged, clean


@pytest.mark.parametrize(
    ("case", "name"),
    [
        ("python_cases.py.txt", "cases.py"),
        ("javascript_cases.js.txt", "cases.js"),
        ("react_cases.jsx.txt", "cases.jsx"),
    ],
)
def test_rules_flag_exactly_the_annotated_lines(
    semgrep_exe: str, tmp_path: Path, case: str, name: str
) -> None:
    shutil.copy(CASES / case, tmp_path / name)
    outcome = run_semgrep(collect(tmp_path), executable=semgrep_exe)
    assert [r.status for r in outcome.runs] == ["ran"], outcome.runs
    got = {(f.rule.id, f.location.line) for f in outcome.findings}
    flagged, clean = _expected((tmp_path / name).read_text())
    assert flagged, "the case file has no annotations"
    assert flagged - got == set(), "missed"
    assert got & clean == set(), "flagged a line marked ok"
    assert got - flagged - clean == set(), "flagged an unannotated line"


def test_every_rule_is_exercised_by_a_case() -> None:
    text = "".join(p.read_text() for p in CASES.glob("*_cases.*.txt"))
    flagged, _ = _expected(text)
    untested = set(pack_rules()) - {rule for rule, _ in flagged}
    assert untested == set()


def test_every_rule_has_cwe_severity_help_and_a_namespaced_id() -> None:
    rules = pack_rules()
    assert len(rules) >= 50
    for rid, rule in rules.items():
        assert rid.startswith(("shieldwall.python.", "shieldwall.js.")), rid
        assert rule.cwe, rid
        assert all(re.fullmatch(r"CWE-\d+", c) for c in rule.cwe), rid
        assert isinstance(rule.severity, Severity)
        assert rule.summary, rid
        assert rule.help, rid


def test_the_pack_covers_the_common_cwes() -> None:
    cwes = {c for rule in pack_rules().values() for c in rule.cwe}
    wanted = {"CWE-78", "CWE-89", "CWE-94", "CWE-95", "CWE-22", "CWE-502", "CWE-327", "CWE-328"}
    wanted |= {"CWE-798", "CWE-79", "CWE-918", "CWE-295", "CWE-338"}
    assert wanted <= cwes
