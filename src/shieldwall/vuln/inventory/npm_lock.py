"""npm ``package-lock.json`` (and ``npm-shrinkwrap.json``), lockfile versions 1, 2 and 3.

v2 and v3 list every installed package under ``packages`` keyed by its ``node_modules/`` path;
v1 nests ``dependencies``. Links (workspaces) are not registry packages and are left out;
a version that is not SemVer (a git or file reference) is kept with its reason.
"""

from __future__ import annotations

import json
from typing import Any

from shieldwall.core.errors import ParseError
from shieldwall.vuln.inventory._util import LineFinder
from shieldwall.vuln.inventory.model import Dependency, Ecosystem, Inventory
from shieldwall.vuln.semver import InvalidSemVerError, SemVer

NOT_REGISTRY = "not a registry version, cannot be checked"
MAX_DEPTH = 200


def _line_of(text: str, key: str) -> int:
    at = text.find(json.dumps(key))
    return 1 if at < 0 else text.count("\n", 0, at) + 1


def _fail(file: str, line: int, message: str) -> ParseError:
    return ParseError(
        message,
        code="vuln.inventory.npm_lock",
        location=f"{file}:{line}",
        hint="Regenerate the lockfile with `npm install --package-lock-only`.",
    )


def _dependency(name: str, version: str, where: str) -> Dependency:
    if version.startswith("npm:"):  # an alias: "npm:real-name@1.2.3"
        real, _, version = version[4:].rpartition("@")
        name = real or name
    try:
        SemVer.parse(version)
    except InvalidSemVerError:
        return Dependency(
            name=name,
            version=None,
            ecosystem=Ecosystem.NPM,
            location=where,
            skip_reason=(f"{NOT_REGISTRY} ({version[:80]})"),
        )
    return Dependency(name=name, version=version, ecosystem=Ecosystem.NPM, location=where)


def _name_from_path(path: str) -> str:
    _, _, name = path.rpartition("node_modules/")
    return name


def parse_package_lock(file: str, text: str) -> Inventory:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(file, exc.lineno, f"not valid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise _fail(file, 1, "JSON nested too deeply") from exc
    if not isinstance(doc, dict):
        raise _fail(file, 1, "a package-lock.json is a JSON object")
    version = doc.get("lockfileVersion")
    if version not in (1, 2, 3):
        raise _fail(file, _line_of(text, "lockfileVersion"), f"unknown lockfileVersion {version!r}")
    inventory = Inventory(source=file, files=[file])
    seen: set[tuple[str, str | None]] = set()

    def add(dep: Dependency) -> None:
        key = (dep.name, dep.version)
        if key not in seen:
            seen.add(key)
            inventory.dependencies.append(dep)

    packages = doc.get("packages")
    if version >= 2 and packages is not None:
        if not isinstance(packages, dict):
            raise _fail(file, _line_of(text, "packages"), '"packages" must be an object')
        finder = LineFinder(text)
        for path, entry in packages.items():
            if not isinstance(path, str) or path == "":
                continue
            line = finder.line(json.dumps(path))
            where = f"{file}:{line}"
            if not isinstance(entry, dict):
                raise _fail(file, line, f"entry {path[:80]!r} must be an object")
            if entry.get("link") is True or "node_modules/" not in path:
                continue  # a workspace link or the workspace folder itself
            name = entry.get("name", _name_from_path(path))
            ver = entry.get("version")
            if not isinstance(name, str) or not name or not isinstance(ver, str):
                raise _fail(file, line, f"entry {path[:80]!r} has no version")
            add(_dependency(name, ver, where))
        return inventory
    if version == 3:
        raise _fail(file, 1, 'a v3 lockfile needs "packages"')

    v1 = LineFinder(text)

    def walk(deps: Any, depth: int) -> None:
        if deps is None:
            return
        if not isinstance(deps, dict) or depth > MAX_DEPTH:
            raise _fail(file, 1, '"dependencies" must be an object of objects')
        for name, entry in deps.items():
            line = v1.line(json.dumps(name))
            if not isinstance(entry, dict) or not isinstance(entry.get("version"), str):
                raise _fail(file, line, f"dependency {name[:80]!r} has no version")
            add(_dependency(name, entry["version"], f"{file}:{line}"))
            walk(entry.get("dependencies"), depth + 1)

    walk(doc.get("dependencies"), 0)
    return inventory
