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


def test_groups_addressing_search_sightings_and_delete(runtime: Runtime, tmp_path: Path) -> None:
    """The commands of the README's hub section, as the hub operator."""
    session = FakeSession(door=runtime.gateway, principal=LOCAL_OWNER)
    runner = CliRunner()

    def run(*args: str) -> str:
        done = runner.invoke(app, list(args), obj=session)
        assert done.exit_code == 0, done.output
        return done.output

    run("collection", "create", "water-isac", "--tlp", "amber")
    assert "Created group water" in run("group", "create", "water")
    assert "water: o-north" in run("group", "add", "water", "o-north", "--write")
    assert "o-north, o-south" in run("group", "add", "water", "o-south")
    assert "water\t" in run("group", "list")
    assert "o-south" not in run("group", "remove", "water", "o-south")
    shown = run("collection", "address", "water-isac", "--group", "water")
    assert "AMBER to o-north" in shown
    assert "RED to user:u1" in run("collection", "address", "water-isac", "--person", "user:u1")
    wrong = runner.invoke(app, ["collection", "address", "water-isac"], obj=session)
    assert wrong.exit_code != 0
    ind = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": "indicator--0f6e3c8f-5a9e-4b1c-9d2e-7a8b9c0d1e2f",
        "created": "2024-01-01T00:00:00.000Z",
        "modified": "2024-01-01T00:00:00.000Z",
        "pattern": "[domain-name:value = 'pump-control.example']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
    }
    bundle = tmp_path / "b.json"
    bundle.write_text(json.dumps({"type": "bundle", "objects": [ind]}))
    run("import", str(bundle), "--collection", "water-isac")
    hits = [json.loads(line) for line in run("search", "pump-control.example").splitlines()]
    assert [h["object"]["id"] for h in hits] == [ind["id"]]
    seen = ["--first-seen", "2024-05-01T00:00:00Z", "--last-seen", "2024-05-02T00:00:00Z"]
    run("sighting", "record", ind["id"], *seen, "--count", "2")
    assert f"{ind['id']}: 2 in 1 sighting(s)" in run("sighting", "count", ind["id"])
    assert "1 version(s) deleted." in run("delete", ind["id"], "--collection", "water-isac")
    assert run("search", "pump-control.example").strip() == ""
