"""Fix plans against osv-scanner's expected npm outcomes (../shared/data/vuln/osv-scanner-fix).

osv-scanner's in-place strategy upgrades a package inside its lockfile only to versions every
package depending on it still accepts; what it cannot reach that way it calls unactionable.
The advisories it used (GitHub's, 2026) are not in our data, so the test gives both tools the
same facts: for each vulnerability osv-scanner fixed, an advisory fixed at the version it chose;
for the others, an advisory with no fix (or, for an id it fixed on one copy of a package, the
same advisory). Then our planner and writer must make exactly its upgrades, leave exactly its
unactionable packages, and write a lockfile whose versions equal its lockfile's, node for node.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from shieldwall.vuln.fix import _accepts, fix_inventory, npm_dependents
from shieldwall.vuln.osv import Advisory, normalize_name, parse_record

pytestmark = pytest.mark.eval

FIX = Path("vuln/osv-scanner-fix/cmd/osv-scanner/fix")


class MemorySource:
    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.advisories = [parse_record(r) for r in records]

    def describe(self) -> str:
        return "advisories built from osv-scanner's outcome"

    def imported(self, ecosystem: str) -> bool:
        return True

    def advisories_for(self, ecosystem: str, names: Iterable[str]) -> dict[str, list[Advisory]]:
        out: dict[str, list[Advisory]] = {normalize_name(ecosystem, n): [] for n in names}
        for adv in self.advisories:
            for a in adv.affected:
                if a.ecosystem == ecosystem and a.name in out:
                    out[a.name].append(adv)
        return out


def _section(snapshot: str, title: str) -> str:
    start = snapshot.index(f"[{title}]\n") + len(title) + 3
    return snapshot[start : snapshot.index("\n---\n", start)]


@pytest.fixture(scope="module")
def expected(shared_data: Path) -> dict[str, Any]:
    snap = (shared_data / FIX / "__snapshots__/command_test.snap").read_text()
    plan = json.loads(
        _section(snap, "TestCommand/fix_non-interactive_json_in-place_package-lock.json - 1")
    )
    final = json.loads(
        _section(snap, "TestCommand/fix_non-interactive_in-place_package-lock.json - 3")
    )
    return {"plan": plan, "final": final}


def _records(plan: dict[str, Any]) -> list[dict[str, Any]]:
    fixed_at: dict[str, str] = {}
    for patch in plan["patches"]:
        [update] = patch["packageUpdates"]
        for v in patch["fixed"]:
            fixed_at[v["id"]] = update["versionTo"]
    by_id: dict[str, set[str]] = {}
    for v in plan["vulnerabilities"]:
        by_id.setdefault(v["id"], set()).update(p["name"] for p in v["packages"])
    records = []
    for vid, names in sorted(by_id.items()):
        events: list[dict[str, str]] = [{"introduced": "0"}]
        if vid in fixed_at:
            events.append({"fixed": fixed_at[vid]})
        records.append(
            {
                "id": vid,
                "modified": "2026-01-01T00:00:00Z",
                "affected": [
                    {
                        "package": {"ecosystem": "npm", "name": n},
                        "ranges": [{"type": "SEMVER", "events": events}],
                    }
                    for n in sorted(names)
                ],
            }
        )
    return records


def test_in_place_upgrades_match_osv_scanner(shared_data: Path, expected: dict[str, Any]) -> None:
    plan = expected["plan"]
    lock_path = shared_data / FIX / "testdata/in-place-npm/package-lock.json"
    text = lock_path.read_text()
    out = fix_inventory(
        "package-lock.json", {"package-lock.json": text}, MemorySource(_records(plan))
    )

    theirs = {
        (u["name"], u["versionFrom"], u["versionTo"])
        for p in plan["patches"]
        for u in p["packageUpdates"]
    }
    ours = {(u["name"], u["from"], u["to"]) for u in out["upgrades"] if u["written"]}
    their_unactionable = {
        (p["name"], p["version"])
        for v in plan["vulnerabilities"]
        if v.get("unactionable")
        for p in v["packages"]
    }
    our_unwritten = {(u["name"], u["from"]) for u in out["upgrades"] if not u["written"]}
    fixed_ids = sorted({i for u in out["upgrades"] if u["written"] for i in u["clears"]})
    their_fixed = sorted({v["id"] for p in plan["patches"] for v in p["fixed"]})
    print(f"\nosv-scanner upgrades {sorted(theirs)}\nours {sorted(ours)}")
    print(f"osv-scanner unactionable {sorted(their_unactionable)}")
    print(f"ours not written {sorted(our_unwritten)}")
    print(f"vulnerabilities fixed: osv-scanner {len(their_fixed)}, ours {len(fixed_ids)}")
    assert ours == theirs
    assert our_unwritten == their_unactionable
    assert fixed_ids == their_fixed

    written = json.loads(out["files"]["package-lock.json"])["packages"]
    final = expected["final"]["packages"]
    assert set(written) == set(final)
    diffs = {
        p: (written[p].get("version"), final[p].get("version"))
        for p in final
        if written[p].get("version") != final[p].get("version")
    }
    assert diffs == {}
    # the re-scan of our lockfile finds only what osv-scanner left
    assert {(d["name"], d["version"]) for d in out["after_vulns"]} == their_unactionable


def test_unactionable_packages_are_held_by_their_parents_ranges(
    shared_data: Path, expected: dict[str, Any]
) -> None:
    """Every package osv-scanner could not upgrade in place has a parent whose range stops short
    of the next major version, as our reading of the lockfile's dependents shows."""
    doc = json.loads((shared_data / FIX / "testdata/in-place-npm/package-lock.json").read_text())
    packages = doc["packages"]
    dependents = npm_dependents(packages)
    held = {}
    for v in expected["plan"]["vulnerabilities"]:
        if not v.get("unactionable"):
            continue
        for p in v["packages"]:
            nodes = [
                path
                for path, e in packages.items()
                if path.endswith(f"node_modules/{p['name']}") and e.get("version") == p["version"]
            ]
            assert nodes, p
            ranges = [(parent, rng) for n in nodes for parent, _f, rng in dependents.get(n, [])]
            bump = f"{int(p['version'].split('.')[0]) + 1}.0.0"
            assert any(parent and not _accepts(rng, bump) for parent, rng in ranges), (p, ranges)
            held[f"{p['name']}@{p['version']}"] = ranges
    print("\n" + "\n".join(f"{k}: held by {v}" for k, v in sorted(held.items())))
    assert len(held) >= 5
