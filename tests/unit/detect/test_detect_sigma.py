"""Sigma rule loading: nothing is dropped silently; correlations and filters counted apart."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from shieldwall.core.errors import NotFoundError
from shieldwall.detect.sigma import load_rules

GOOD = """\
title: Whoami
id: 5a3f7d5b-0f1d-4c1e-9e0a-5b0c9f5b3a11
status: test
logsource: {product: windows, category: process_creation}
detection:
  selection: {Image|endswith: '\\\\whoami.exe'}
  condition: selection
level: low
"""
CORRELATION = """\
title: Many whoami
correlation:
  type: event_count
  rules: [5a3f7d5b-0f1d-4c1e-9e0a-5b0c9f5b3a11]
  group-by: [Computer]
  timespan: 5m
  condition: {gte: 10}
"""
FILTER = """\
title: Not on the build server
logsource: {product: windows, category: process_creation}
filter:
  rules: [5a3f7d5b-0f1d-4c1e-9e0a-5b0c9f5b3a11]
  selection: {Computer: build01}
  condition: not selection
"""
BAD_YAML = "title: x\ndetection:\n  selection: [unclosed\n"
BAD_MODIFIER = GOOD.replace("endswith", "endswithh").replace("5a3f7d5b", "6a3f7d5b")
BAD_CONDITION = GOOD.replace("condition: selection", "condition: selection and and").replace(
    "5a3f7d5b", "7a3f7d5b"
)


def _tree(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "good.yml").write_text(GOOD)
    (root / "sub" / "corr.yml").write_text(CORRELATION)
    (root / "sub" / "filter.yaml").write_text(FILTER)
    (root / "sub" / "bad_yaml.yml").write_text(BAD_YAML)
    (root / "sub" / "bad_modifier.yml").write_text(BAD_MODIFIER)
    (root / "sub" / "bad_condition.yml").write_text(BAD_CONDITION)
    (root / "README.md").write_text("not a rule")
    return root


def test_every_rule_loads_or_is_listed_with_its_reason(tmp_path: Path) -> None:
    load = load_rules(_tree(tmp_path / "rules"))
    assert load.files == 6
    assert (len(load.rules), len(load.correlations), len(load.filters)) == (1, 1, 1)
    failed = {Path(f.path).name: f for f in load.failures}
    assert set(failed) == {"bad_yaml.yml", "bad_modifier.yml", "bad_condition.yml"}
    assert failed["bad_yaml.yml"].line == 4
    assert "endswithh" in failed["bad_modifier.yml"].reason
    assert failed["bad_condition.yml"].reason
    assert load.to_json()["load_rate"] == pytest.approx(3 / 6)


def test_rules_from_a_zip(tmp_path: Path) -> None:
    archive = tmp_path / "rules.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("r/good.yml", GOOD)
        zf.writestr("r/bad.yml", BAD_YAML)
        zf.writestr("r/notes.txt", "ignored")
    load = load_rules(archive)
    assert load.loaded == 1
    assert [f.path for f in load.failures] == [f"{archive}!r/bad.yml"]


def test_a_file_without_a_rule_is_listed(tmp_path: Path) -> None:
    (tmp_path / "empty.yml").write_text("just: a mapping\n")
    (tmp_path / "list.yml").write_text("- 1\n- 2\n")
    load = load_rules(tmp_path)
    assert load.loaded == 0
    assert len(load.failures) == 2


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_rules(tmp_path / "missing")
