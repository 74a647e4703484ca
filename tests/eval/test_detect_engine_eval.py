"""The Sigma engine on real data: SigmaHQ's own regression cases, and detection coverage of
EVTX-ATTACK-SAMPLES by tactic folder."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from shieldwall.detect.engine import compile_rules
from shieldwall.detect.readers import ReadReport, read_paths
from shieldwall.detect.sigma import load_rules

pytestmark = pytest.mark.eval

#: Cases where SigmaHQ's info.yml expects fewer matches than the rule, as written in this
#: snapshot, gives. Checked by hand against the events: every extra event satisfies the rule
#: (Zircolite reports the same four as "over"). We hold our count to the verified number so
#: that any change shows, and name why.
SIGMAHQ_UNDERCOUNTS = {
    # 3 of the 5 records have TargetFilename containing \AnyDesk\user.conf (.new, ~RF...TMP).
    "rules/windows/file/file_event/file_event_win_anydesk_artefact.yml": 3,
    # AutoShareServer and AutoShareWks are both set to 0: both match the endswith list.
    "rules/windows/registry/registry_set/registry_set_disable_administrative_share.yml": 2,
    # Three dropped dump-tool files, each in the rule's list.
    "rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files.yml": 3,
    # Three zone-map registry values set, each matching the rule.
    "rules/windows/registry/registry_set/registry_set_change_security_zones.yml": 3,
}


def _cases(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "detect" / "ground-truth" / "sigmahq_regression_tests.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sigmahq_regression_cases(shared_data: Path) -> None:
    base = shared_data / "detect"
    exact = over = 0
    wrong: list[str] = []
    for case in _cases(shared_data):
        load = load_rules(base / "sigma" / case["rule_path"])
        assert not load.failures, load.failures
        engine, report = compile_rules(load)
        assert not report.failures, report.failures
        count = 0
        for event in read_paths([base / case["test_file"]], report=ReadReport()):
            count += sum(1 for a in engine.match(event) if a.rule.id == case["rule_id"])
        count += sum(1 for a in engine.finish() if a.rule.id == case["rule_id"])
        expected = case["expected_match_count"]
        verified = SIGMAHQ_UNDERCOUNTS.get(case["rule_path"])
        if verified is not None:
            ok = count == verified
            over += ok
        elif expected.startswith(">="):
            ok = count >= int(expected[2:])
            exact += ok
        else:
            ok = count == int(expected)
            exact += ok
        if not ok:
            wrong.append(f"{case['rule_path']}: expected {expected}, got {count}")
    print(f"{exact} exact + {over} verified over SigmaHQ's count, of {exact + over + len(wrong)}")
    assert not wrong, "\n".join(wrong)
    assert exact + over == 202


def test_attack_samples_detected_by_tactic(shared_data: Path) -> None:
    """Share of EVTX-ATTACK-SAMPLES files (per tactic folder) with at least one alert from
    SigmaHQ's rules/ — a coverage figure, printed; the floor guards against regressions."""
    base = shared_data / "detect"
    engine, _ = compile_rules(load_rules(base / "sigma" / "rules"))
    labels = base / "ground-truth" / "evtx_attack_samples_labels.csv"
    with labels.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["tactic_folder"]]
    hit: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for row in rows:
        events = read_paths([base / row["file"]], report=ReadReport())
        alerted = any(engine.match(e) for e in events)
        total[row["tactic_folder"]] += 1
        hit[row["tactic_folder"]] += alerted
    for tactic in sorted(total):
        print(f"{tactic:25} {hit[tactic]:3}/{total[tactic]:3} files with an alert")
    share = sum(hit.values()) / sum(total.values())
    print(f"all tactics: {share:.1%}")
    assert share >= 0.6
