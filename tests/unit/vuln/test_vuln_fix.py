"""Fix plans and the files they rewrite: the smallest clean upgrade, re-checked against every
advisory, written into requirements / pyproject / package-lock (+ package.json), then re-scanned."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest

from shieldwall.vuln.fix import NOT_PROVEN, fix_inventory, npm_dependents
from shieldwall.vuln.osv import Advisory, normalize_name, parse_record


class MemorySource:
    """An in-memory advisory source (the same Protocol as the database and the OSV API)."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.advisories = [parse_record(r) for r in records]

    def describe(self) -> str:
        return "memory"

    def imported(self, ecosystem: str) -> bool:
        return True

    def advisories_for(self, ecosystem: str, names: Iterable[str]) -> dict[str, list[Advisory]]:
        out: dict[str, list[Advisory]] = {normalize_name(ecosystem, n): [] for n in names}
        for adv in self.advisories:
            for a in adv.affected:
                if a.ecosystem == ecosystem and a.name in out and adv not in out[a.name]:
                    out[a.name].append(adv)
        return out


def adv(
    rid: str, name: str, *ranges: tuple[str, ...], eco: str = "PyPI", **extra: Any
) -> dict[str, Any]:
    """ranges: ("0", "1.2") means introduced 0, fixed 1.2; ("1.0", None) never fixed."""
    rtype = "ECOSYSTEM" if eco != "npm" else "SEMVER"
    events = []
    for r in ranges:
        events.append({"introduced": r[0]})
        if r[1] is not None:
            events.append({"fixed": r[1]})
    return {
        "id": rid,
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": eco, "name": name},
                "ranges": [{"type": rtype, "events": events}],
            }
        ],
        **extra,
    }


def test_smallest_same_major_upgrade_rechecked_against_every_advisory() -> None:
    source = MemorySource(
        [
            adv("A-1", "django", ("0", "3.1.10"), ("3.2", "3.2.5")),
            # 3.1.10 itself is hit by a later advisory fixed in 3.1.12
            adv("A-2", "django", ("3.1.10", "3.1.12")),
            adv("A-3", "flask", ("0", "2.0.0")),
        ]
    )
    files = {"r.txt": "django==3.1.9  # web\nflask==1.0 ; python_version > '3'\n"}
    out = fix_inventory("r.txt", files, source)
    ups = {u["name"]: u for u in out["upgrades"]}
    assert ups["django"]["to"] == "3.1.12"
    assert ups["django"]["major"] is False
    assert ups["flask"]["to"] == "2.0.0"
    assert ups["flask"]["major"] is True
    assert "only a major upgrade" in ups["flask"]["note"]
    assert out["files"]["r.txt"] == "django==3.1.12  # web\nflask==2.0.0 ; python_version > '3'\n"
    assert out["after"]["vulns"] == 0
    assert out["before"]["vulns"] == 2
    assert "-django==3.1.9  # web\n" in out["diff"]
    assert "+django==3.1.12  # web\n" in out["diff"]
    assert out["diff"].startswith("--- a/r.txt\n+++ b/r.txt\n")
    assert out["resolution"] == NOT_PROVEN


def test_no_clean_release_proposes_the_best_and_lists_what_remains() -> None:
    source = MemorySource(
        [
            adv("A-1", "pkg", ("0", "1.5")),
            adv("A-2", "pkg", ("0", None)),
            adv("A-3", "other", ("0", None)),
        ]
    )
    out = fix_inventory("r.txt", {"r.txt": "pkg==1.0\nother==1.0\n"}, source)
    ups = {u["name"]: u for u in out["upgrades"]}
    assert ups["pkg"]["to"] == "1.5"
    assert ups["pkg"]["remaining"] == ["A-2"]
    assert ups["pkg"]["clears"] == ["A-1"]
    assert ups["other"]["to"] is None
    assert ups["other"]["written"] is False
    assert out["unfixable"] == ["A-2", "A-3"]
    assert out["after"]["vulns"] == 2


def test_prefers_final_releases_and_flags_prerelease_only_fixes() -> None:
    source = MemorySource(
        [
            adv("A-1", "a", ("0", "2.0rc1")),
            adv("A-2", "b", ("0", "1.1rc1")),
            adv("A-3", "b", ("0", "1.1")),
        ]
    )
    out = fix_inventory("r.txt", {"r.txt": "a==1.0\nb==1.0\n"}, source)
    ups = {u["name"]: u for u in out["upgrades"]}
    assert ups["a"]["to"] == "2.0rc1"
    assert "prerelease" in ups["a"]["note"]
    assert ups["b"]["to"] == "1.1"


def test_hashes_and_constraints_files() -> None:
    source = MemorySource(
        [adv("A-1", "urllib3", ("0", "1.26.5")), adv("A-2", "idna", ("0", "3.7"))]
    )
    files = {
        "req.txt": (
            "-c c.txt\nurllib3\nidna==3.4 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
            "rich==13.0\n"
        ),
        "c.txt": "# pins\nurllib3==1.26.4\n",
    }
    out = fix_inventory("req.txt", files, source)
    assert out["files"]["c.txt"] == "# pins\nurllib3==1.26.5\n"
    assert out["files"]["req.txt"] == "-c c.txt\nurllib3\nidna==3.7\nrich==13.0\n"
    assert any("--hash" in n for n in out["notes"])
    assert out["after"]["vulns"] == 0


def test_pyproject_pins_and_lockfile_constraints() -> None:
    source = MemorySource(
        [adv("A-1", "flask", ("0", "2.2.5")), adv("A-2", "jinja2", ("0", "3.1.4"))]
    )
    pyproject = (
        '[project]\nname = "app"\ndependencies = [\n  "flask>=2.0,<3",\n  "rich",\n]\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\n'
    )
    lock = (
        '[[package]]\nname = "flask"\nversion = "2.0.1"\n\n'
        '[[package]]\nname = "jinja2"\nversion = "3.0.0"\n'
    )
    out = fix_inventory("poetry.lock", {"poetry.lock": lock, "pyproject.toml": pyproject}, source)
    ups = {u["name"]: u for u in out["upgrades"]}
    assert ups["flask"]["written"] is True
    assert '"flask<3,>=2.2.5"' in out["files"]["pyproject.toml"]
    assert ups["jinja2"]["written"] is False
    assert "transitive" in ups["jinja2"]["not_written"]
    assert out["after"] is None  # the lockfile itself changes only when re-locked
    assert any("re-lock" in n for n in out["notes"])

    pinned = (
        '[project]\ndependencies = ["flask==2.0.1"]\n[tool.poetry.dependencies]\njinja2 = "3.0.0"\n'
    )
    out = fix_inventory("pyproject.toml", {"pyproject.toml": pinned}, source)
    assert out["files"]["pyproject.toml"] == (
        '[project]\ndependencies = ["flask==2.2.5"]\n[tool.poetry.dependencies]\njinja2 = "3.1.4"\n'
    )
    assert out["after"]["vulns"] == 0


def _lock(packages: dict[str, Any]) -> str:
    return (
        json.dumps(
            {"name": "x", "lockfileVersion": 3, "requires": True, "packages": packages}, indent=2
        )
        + "\n"
    )


NPM_PACKAGES: dict[str, Any] = {
    "": {"name": "x", "dependencies": {"minimist": "1.2.0", "parent": "^1.0.0"}},
    "node_modules/minimist": {
        "version": "1.2.0",
        "resolved": "https://registry.npmjs.org/minimist/-/minimist-1.2.0.tgz",
        "integrity": "sha512-old",
    },
    "node_modules/parent": {
        "version": "1.0.0",
        "dependencies": {"lodash": "~4.17.0", "qs": "~6.5.2"},
    },
    "node_modules/lodash": {"version": "4.17.11"},
    "node_modules/qs": {"version": "6.5.2"},
}


def test_npm_in_place_respects_every_dependent_range() -> None:
    source = MemorySource(
        [
            adv("G-1", "minimist", ("0", "1.2.6"), eco="npm"),
            adv("G-2", "lodash", ("0", "4.17.21"), eco="npm"),
            adv("G-3", "qs", ("0", "6.10.3"), eco="npm"),
        ]
    )
    package_json = (
        '{\n  "dependencies": {\n    "minimist": "1.2.0",\n    "parent": "^1.0.0"\n  }\n}\n'
    )
    files = {"package-lock.json": _lock(NPM_PACKAGES), "package.json": package_json}
    out = fix_inventory("package-lock.json", files, source)
    ups = {u["name"]: u for u in out["upgrades"]}
    assert (ups["lodash"]["to"], ups["lodash"]["written"]) == ("4.17.21", True)
    assert (ups["minimist"]["to"], ups["minimist"]["written"]) == ("1.2.6", True)
    assert ups["qs"]["written"] is False
    assert ups.get("qs", {}).get("unactionable") is True
    assert "node_modules/parent needs ~6.5.2" in ups["qs"]["note"]
    lock = json.loads(out["files"]["package-lock.json"])
    m = lock["packages"]["node_modules/minimist"]
    assert m["version"] == "1.2.6"
    assert m["resolved"] == "https://registry.npmjs.org/minimist/-/minimist-1.2.6.tgz"
    assert "integrity" not in m
    assert lock["packages"][""]["dependencies"]["minimist"] == "1.2.6"  # an exact pin stays exact
    assert '"minimist": "1.2.6"' in out["files"]["package.json"]
    assert "npm install --package-lock-only" in out["resolution"]
    assert out["after"]["vulns"] == 1  # qs remains, and says why


def test_npm_dependents_follow_node_resolution() -> None:
    packages = {
        "": {"dependencies": {"a": "^1"}},
        "node_modules/a": {"version": "1.0.0", "dependencies": {"b": "^2"}},
        "node_modules/a/node_modules/b": {"version": "2.0.0"},
        "node_modules/b": {"version": "1.0.0"},
        "node_modules/c": {"version": "1.0.0", "dependencies": {"b": "^1"}},
    }
    deps = npm_dependents(packages)
    assert deps["node_modules/a/node_modules/b"] == [("node_modules/a", "dependencies", "^2")]
    assert deps["node_modules/b"] == [("node_modules/c", "dependencies", "^1")]


@pytest.mark.parametrize("fmt", ["yarn.lock", "Cargo.lock"])
def test_formats_not_written_are_planned_and_explained(fmt: str) -> None:
    texts = {
        "yarn.lock": 'lodash@^4:\n  version "4.17.11"\n',
        "Cargo.lock": '[[package]]\nname = "smallvec"\nversion = "1.6.0"\nsource = "registry+x"\n',
    }
    eco, name = ("npm", "lodash") if fmt == "yarn.lock" else ("crates.io", "smallvec")
    source = MemorySource([adv("X-1", name, ("0", "99.0.0"), eco=eco)])
    out = fix_inventory(fmt, {fmt: texts[fmt]}, source)
    [up] = out["upgrades"]
    assert (up["to"], up["written"]) == ("99.0.0", False)
    assert "package manager" in up["not_written"]
    assert out["files"] == {}
