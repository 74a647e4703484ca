"""Linux category rules on real data: SigmaHQ's Linux process_creation, file_event and
network_connection rules all compile and reach events; OTRF's Linux atomics (auditd) are
detected, by a process_creation rule for the exec the records make up."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from shieldwall.detect.engine import Selection, compile_rules
from shieldwall.detect.run import RunOptions, run_detection
from shieldwall.detect.sigma import load_rules

pytestmark = pytest.mark.eval

RULE_FOLDERS = ("rules", "rules-threat-hunting", "rules-emerging-threats")
CATEGORIES = ("process_creation", "file_event", "network_connection")


def _linux_category_files(sigma: Path) -> Counter[str]:
    """How many rule files of each Linux category SigmaHQ holds, from their own YAML."""
    counts: Counter[str] = Counter()
    for folder in RULE_FOLDERS:
        for path in (sigma / folder).rglob("*.yml"):
            text = path.read_text(encoding="utf-8")
            if "linux" not in text:
                continue
            for doc in yaml.safe_load_all(text):
                source = doc.get("logsource", {}) if isinstance(doc, dict) else {}
                if source.get("product") == "linux" and source.get("category") in CATEGORIES:
                    counts[source["category"]] += 1
    return counts


def test_sigmahq_linux_category_rules_compile_and_are_reachable(shared_data: Path) -> None:
    sigma = shared_data / "detect" / "sigma"
    load = load_rules(*(sigma / folder for folder in RULE_FOLDERS))
    engine, report = compile_rules(load, Selection())
    compiled: Counter[str] = Counter()
    for rule in engine.rules:
        for target, _matcher, _need in rule.targets:
            if target.product == "linux" and target.category in CATEGORIES:
                compiled[target.category] += 1
    expected = _linux_category_files(sigma)
    print(f"Linux category rules compiled: {dict(compiled)} of {dict(expected)}")
    assert expected["process_creation"] > 100
    assert compiled == expected  # every one parses, compiles and has a target
    assert not [why for why in report.unreachable if "Linux" in why]


def test_otrf_linux_atomics_detected_through_process_creation(shared_data: Path) -> None:
    root = shared_data / "detect"
    with (root / "ground-truth" / "otrf_dataset_labels.csv").open(encoding="utf-8") as fh:
        labels = [row for row in csv.DictReader(fh) if "/atomic/linux/" in row["file"]]
    assert labels
    rules = root / "sigma" / "rules" / "linux"
    result = run_detection(
        [root / row["file"] for row in labels],
        RunOptions(rules=[rules]),
        now=lambda: datetime.now(tz=UTC),
    )
    assert result.read.skipped == 0
    for row in labels:
        found = [a for a in result.alerts if a.source.file == str(root / row["file"])]
        techniques = {t.upper() for a in found for t in a.rule.techniques}
        print(row["title"], sorted({a.rule.title for a in found}), sorted(techniques))
        assert row["attack_techniques"].upper() in techniques, row["title"]
    # the arp discovery is found by a Linux process_creation rule: only the exec event the
    # audit records make up has Image and CommandLine
    arp = next(row for row in labels if "arp" in row["file"])
    hits = [
        a
        for a in result.alerts
        if a.source.file == str(root / arp["file"])
        and "T1018" in {t.upper() for t in a.rule.techniques}
    ]
    assert any("Image" in a.fields or "CommandLine" in a.fields for a in hits)
