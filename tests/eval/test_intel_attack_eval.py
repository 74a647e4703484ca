"""ATT&CK and CAPEC from ../shared/data imported as reference collections through the door,
every ATT&CK tag of the SigmaHQ rules resolved against them (v19 tags through the alias
table), and the OASIS example bundles judged alike by intake and by the stix2 library."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import stix2
from typer.testing import CliRunner

from shieldwall.core.errors import InputError
from shieldwall.core.ports import Door
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.intel.cli import app
from shieldwall.intel.validate import check_object
from shieldwall.runtime import Runtime, open_runtime

pytestmark = pytest.mark.eval

BUNDLES = [
    "enterprise-attack-18.1-stix20-reassembled.zip",
    "ics-attack-18.1.zip",
    "mobile-attack-17.1.zip",
    "capec-stix21-reassembled.zip",
]


@dataclass
class Session:
    door: Door
    principal: Principal


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Runtime]:
    runtime = open_runtime(Settings(home=tmp_path_factory.mktemp("attack") / "home"))
    session = Session(door=runtime.gateway, principal=LOCAL_OWNER)
    for name in BUNDLES:
        made = CliRunner().invoke(
            app, ["attack", "import", str(shared_data / "intel" / name)], obj=session
        )
        assert made.exit_code == 0, made.output
        assert " 0 rejected." in made.output, made.output
        print(made.output.strip())
    yield runtime
    runtime.close()


def test_every_sigma_attack_tag_resolves(hub: Runtime, shared_data: Path) -> None:
    tags: Counter[str] = Counter()
    for rule in (shared_data / "detect" / "sigma").rglob("*.yml"):
        text = rule.read_text(errors="replace")
        tags.update(re.findall(r"^\s*-\s*(attack\.[A-Za-z0-9_.-]+)\s*$", text, re.MULTILINE))
    assert tags, "no ATT&CK tags found in the Sigma rules"
    names = sorted(tags)
    resolved: dict[str, Any] = {}
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        got = hub.gateway.invoke("intel.attack.resolve", {"tags": chunk}, LOCAL_OWNER).result
        resolved |= {row["tag"]: row for row in got["tags"]}
    missing = {t: tags[t] for t in names if resolved[t]["resolved"] is None}
    aliased = sum(tags[t] for t in names if resolved[t]["alias_of"])
    print(
        f"{len(names)} distinct ATT&CK tags ({sum(tags.values())} uses); "
        f"{aliased} uses resolved through the v19 alias table; unresolved: {missing}"
    )
    assert not missing
    assert resolved["attack.stealth"]["resolved"]["name"] == "Defense Evasion"


def stix2_accepts(obj: Any) -> bool:
    try:
        stix2.parse(copy.deepcopy(obj), allow_custom=True)
    except Exception:
        return False
    return True


def test_oasis_examples_judged_alike(shared_data: Path) -> None:
    judged = 0
    for path in sorted((shared_data / "intel" / "oasis-examples").glob("*.json")):
        for obj in json.loads(path.read_text())["objects"]:
            try:
                check_object(obj)
                ours = True
            except InputError:
                ours = False
            assert ours == stix2_accepts(obj), (path.name, obj.get("id"))
            judged += 1
    print(f"{judged} OASIS example objects judged alike by intake and stix2")
    assert judged > 50
