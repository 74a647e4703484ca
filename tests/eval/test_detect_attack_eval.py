"""ATT&CK on real data: every attack.* tag SigmaHQ uses resolves (18.1 plus the v19 table),
and the committed table is exactly what the build script makes from the 18.1 bundle."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from shieldwall.detect.attack import load_attack

pytestmark = pytest.mark.eval

REPO = Path(__file__).resolve().parents[2]
RULE_SETS = ("rules", "rules-emerging-threats", "rules-threat-hunting")


def _tags(root: Path) -> Counter[str]:
    tags: Counter[str] = Counter()
    for path in sorted(root.rglob("*.yml")):
        for doc in yaml.safe_load_all(path.read_text("utf-8", errors="replace")):
            if isinstance(doc, dict):
                tags.update(str(t) for t in doc.get("tags") or () if str(t).startswith("attack."))
    return tags


@pytest.mark.parametrize("rule_set", RULE_SETS)
def test_every_attack_tag_sigmahq_uses_resolves(shared_data: Path, rule_set: str) -> None:
    tags = _tags(shared_data / "detect" / "sigma" / rule_set)
    assert tags, f"no attack.* tags found under {rule_set}"
    resolved = load_attack().resolve_tags(tags)
    known = len(resolved.techniques) + len(resolved.tactics) + len(resolved.other)
    v19 = [t for t in tags if t.lower().startswith(("attack.t1685", "attack.t1686"))]
    print(f"{rule_set}: {len(tags)} distinct attack tags, {sum(tags.values())} uses, "
          f"{known} resolved, {len(v19)} are ATT&CK v19 technique ids")  # fmt: skip
    assert resolved.unresolved == ()


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_attack_table", REPO / "scripts" / "build_attack_table.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_attack_table", module)
    spec.loader.exec_module(module)
    return module


def test_the_committed_table_is_what_the_script_builds(shared_data: Path) -> None:
    script = _build_script()
    bundle = shared_data / "intel" / "enterprise-attack-18.1-stix20-reassembled.zip"
    built = script.render(script.build(bundle))
    committed = resources.files("shieldwall.detect").joinpath("data/attack.json").read_bytes()
    assert built == committed, "run scripts/build_attack_table.py"
