"""Code analysis scored on CyberSecEval's labelled insecure code, and its SARIF checked
against the SARIF 2.1.0 schema (../shared/data/vuln)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from shieldwall.vuln.code.analyse import analyse_tree
from shieldwall.vuln.code.files import collect
from shieldwall.vuln.code.model import CodeReport
from shieldwall.vuln.code.sarif import to_sarif
from shieldwall.vuln.code.scoring import Sample, load_samples, score, skipped_files
from shieldwall.vuln.code.semgrep import find_semgrep

pytestmark = pytest.mark.eval


@pytest.fixture(scope="module")
def corpus(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Sample], CodeReport, CodeReport]:
    if find_semgrep() is None:
        pytest.skip("Semgrep is not installed (run `make`)")
    root = tmp_path_factory.mktemp("cyberseceval")
    samples = load_samples(
        shared_data / "vuln" / "cyberseceval.zip", root, languages=["python", "javascript"]
    )
    tree = collect(root)
    return (
        samples,
        analyse_tree(tree, analysers=["semgrep"]),
        analyse_tree(tree, analysers=["bandit"]),
    )


def _print(name: str, report: CodeReport, samples: list[Sample], language: str) -> float:
    s = score(samples, report.findings, language=language)
    print(f"\n{name} on {language}: TPR {s.tpr:.3f} FPR {s.fpr:.3f} TPR-FPR {s.tpr - s.fpr:.3f}")
    for f in s.families:
        print(f"  {f.family:18} TPR {f.tpr:.3f} ({f.tp}/{f.positives})  FPR {f.fpr:.3f}")
    return s.tpr - s.fpr


def test_our_pack_scores_per_cwe_family(
    corpus: tuple[list[Sample], CodeReport, CodeReport],
) -> None:
    samples, ours, bandit = corpus
    assert len(samples) > 500
    assert not ours.errors
    assert not bandit.errors
    ours_py = _print("shieldwall pack", ours, samples, "python")
    bandit_py = _print("bandit defaults", bandit, samples, "python")
    ours_js = _print("shieldwall pack", ours, samples, "javascript")
    print(f"bandit could not parse {skipped_files(bandit, 'bandit')} of the Python files")
    assert ours_py >= 0.6
    assert ours_py > bandit_py
    assert ours_js >= 0.1
    python = score(samples, ours.findings, language="python")
    for family in ("os-command", "sql-injection", "deserialization", "weak-crypto"):
        (f,) = [f for f in python.families if f.family == family]
        assert f.tpr >= 0.75, family
        assert f.fpr <= 0.02, family


def test_bandit_reports_every_file_it_could_not_parse(
    corpus: tuple[list[Sample], CodeReport, CodeReport],
) -> None:
    samples, _, bandit = corpus
    python = {s.name for s in samples if s.language == "python"}
    skipped = {s.path for s in bandit.skipped if s.analyser == "bandit"}
    analysed = {r.files for r in bandit.analysers}
    assert skipped <= python
    assert skipped  # CyberSecEval holds Python 2 and cut-off fragments
    assert sum(analysed) + len(skipped) == len(python)


def test_sarif_validates_against_the_sarif_2_1_0_schema(
    shared_data: Path, corpus: tuple[list[Sample], CodeReport, CodeReport]
) -> None:
    schema = json.loads((shared_data / "vuln" / "schemas" / "sarif-schema-2.1.0.json").read_text())
    _, ours, bandit = corpus
    for report in (ours, bandit):
        log = json.loads(json.dumps(to_sarif(report)))
        validator = jsonschema.validators.validator_for(schema)(schema)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        assert errors == [], errors[0].message if errors else ""
        assert log["runs"][0]["results"]
