"""`shieldwall intel ...` through the door, with the local owner as the CLI's principal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shieldwall.core.ports import Door
from shieldwall.core.settings import Settings
from shieldwall.core.types import LOCAL_OWNER, Principal
from shieldwall.intel.cli import app
from shieldwall.runtime import Runtime, open_runtime


@dataclass
class FakeSession:
    door: Door
    principal: Principal


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = open_runtime(Settings(home=tmp_path / "home"))
    yield rt
    rt.close()


def test_create_import_export(runtime: Runtime, tmp_path: Path) -> None:
    session = FakeSession(door=runtime.gateway, principal=LOCAL_OWNER)
    runner = CliRunner()
    made = runner.invoke(app, ["collection", "create", "feeds", "--tlp", "green"], obj=session)
    assert made.exit_code == 0, made.output
    assert "TLP:GREEN" in made.output
    good = {
        "type": "malware",
        "spec_version": "2.1",
        "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "name": "x",
        "is_family": False,
    }
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"type": "bundle", "objects": [good, {"type": "bad"}]}))
    imported = runner.invoke(app, ["import", str(bundle), "--collection", "feeds"], obj=session)
    assert imported.exit_code == 1  # one object rejected
    assert "1 of 2 objects added" in imported.output
    exported = runner.invoke(app, ["export", "--collection", "feeds"], obj=session)
    assert exported.exit_code == 0
    assert json.loads(exported.output)["objects"] == [good]
    taken = runner.invoke(app, ["collection", "create", "feeds"], obj=session)
    assert taken.exit_code != 0
