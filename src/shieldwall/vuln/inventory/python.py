"""Python manifests and lockfiles other than requirements files: ``pyproject.toml`` (PEP 621,
PEP 735 dependency groups, Poetry), ``poetry.lock``, ``uv.lock``, ``Pipfile.lock`` and
``pylock.toml`` (PEP 751).

A manifest names ranges, not versions: only exact pins (``==1.2.3``, Poetry's bare ``1.2.3``)
are checked; every other entry is listed as "not pinned". Lockfile entries that come from a
git repository, a local path or a URL are listed with that reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from shieldwall.vuln.inventory._util import (
    LineFinder,
    as_str,
    checked,
    fail,
    line_of,
    load_json,
    load_toml,
    skipped,
)
from shieldwall.vuln.inventory.model import Dependency, Ecosystem, Inventory

NOT_PINNED = "not pinned, cannot be checked"
PY = Ecosystem.PYPI


def _headers(text: str, header: str) -> list[int]:
    """Line numbers of each ``[[header]]`` array-of-tables entry, in order."""
    pat = re.compile(r"^[ \t]*\[\[[ \t]*" + re.escape(header) + r"[ \t]*\]\]", re.MULTILINE)
    return [text.count("\n", 0, m.start()) + 1 for m in pat.finditer(text)]


def _entries(
    file: str, text: str, doc: dict[str, Any], key: str, fmt: str
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, table) for each ``[[key]]`` entry; a wrong shape is an error at its line."""
    items = doc.get(key, [])
    if not isinstance(items, list):
        raise fail(file, line_of(text, key), f"{key!r} must be an array of tables", fmt=fmt)
    lines = _headers(text, key)
    for i, item in enumerate(items):
        line = lines[i] if i < len(lines) else line_of(text, key)
        if not isinstance(item, dict):
            raise fail(file, line, f"each {key!r} entry must be a table", fmt=fmt)
        yield line, item


def _name(file: str, line: int, item: dict[str, Any], fmt: str) -> str:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(file, line, "a package entry has no name", fmt=fmt)
    return canonicalize_name(name)


# -- poetry.lock -----------------------------------------------------------------------------


def parse_poetry_lock(file: str, text: str) -> Inventory:
    fmt = "poetry_lock"
    hint = "Regenerate it with `poetry lock`."
    doc = load_toml(file, text, fmt=fmt, hint=hint)
    inv = Inventory(source=file, files=[file], format="poetry.lock")
    for line, item in _entries(file, text, doc, "package", fmt):
        name = _name(file, line, item, fmt)
        where = f"{file}:{line}"
        groups = item.get("groups")
        dev = item.get("category") == "dev" or (
            isinstance(groups, list) and bool(groups) and "main" not in groups
        )
        source = item.get("source")
        kind = source.get("type") if isinstance(source, dict) else None
        if kind in ("git", "directory", "file", "url"):
            inv.add(
                skipped(PY, name, where, f"installed from a {kind}, cannot be checked", dev=dev)
            )
            continue
        version = as_str(item.get("version"))
        if version is None:
            raise fail(file, line, f"package {name!r} has no version", fmt=fmt, hint=hint)
        inv.add(checked(PY, name, version, where, dev=dev))
    return inv


# -- uv.lock ---------------------------------------------------------------------------------


def parse_uv_lock(file: str, text: str) -> Inventory:
    fmt = "uv_lock"
    hint = "Regenerate it with `uv lock`."
    doc = load_toml(file, text, fmt=fmt, hint=hint)
    if not isinstance(doc.get("version"), int):
        raise fail(file, 1, "a uv.lock starts with `version = N`", fmt=fmt, hint=hint)
    inv = Inventory(source=file, files=[file], format="uv.lock")
    for line, item in _entries(file, text, doc, "package", fmt):
        name = _name(file, line, item, fmt)
        where = f"{file}:{line}"
        source = item.get("source")
        if not isinstance(source, dict) or not source:
            raise fail(file, line, f"package {name!r} has no source", fmt=fmt, hint=hint)
        if "editable" in source or "virtual" in source:
            inv.add(skipped(PY, name, where, "the project itself (editable), not a release"))
            continue
        kind = (
            next(k for k in ("registry", "git", "url", "path", "directory") if k in source)
            if any(k in source for k in ("registry", "git", "url", "path", "directory"))
            else None
        )
        if kind is None:
            raise fail(file, line, f"package {name!r} has an unknown source", fmt=fmt, hint=hint)
        if kind != "registry":
            inv.add(skipped(PY, name, where, f"installed from a {kind}, cannot be checked"))
            continue
        version = as_str(item.get("version"))
        if version is None:
            raise fail(file, line, f"package {name!r} has no version", fmt=fmt, hint=hint)
        inv.add(checked(PY, name, version, where))
    return inv


# -- Pipfile.lock ----------------------------------------------------------------------------


def parse_pipfile_lock(file: str, text: str) -> Inventory:
    fmt = "pipfile_lock"
    hint = "Regenerate it with `pipenv lock`."
    doc = load_json(file, text, fmt=fmt, hint=hint)
    if not isinstance(doc, dict) or not isinstance(doc.get("_meta"), dict):
        raise fail(file, 1, 'a Pipfile.lock is a JSON object with "_meta"', fmt=fmt, hint=hint)
    inv = Inventory(source=file, files=[file], format="Pipfile.lock")
    for section in ("default", "develop"):
        entries = doc.get(section) or {}
        finder = LineFinder(text, text.find(json.dumps(section)))
        if not isinstance(entries, dict):
            raise fail(
                file, line_of(text, json.dumps(section)), f"{section!r} must be an object", fmt=fmt
            )
        for raw_name, entry in entries.items():
            line = finder.line(json.dumps(raw_name))
            where = f"{file}:{line}"
            if not isinstance(entry, dict):
                raise fail(file, line, f"entry {raw_name[:80]!r} must be an object", fmt=fmt)
            name = canonicalize_name(raw_name)
            dev = section == "develop"
            marker = as_str(entry.get("markers"))
            version = entry.get("version")
            if version is None:
                kind = next((k for k in ("git", "path", "file", "editable") if k in entry), None)
                if kind is None:
                    raise fail(file, line, f"entry {raw_name[:80]!r} has no version", fmt=fmt)
                inv.add(
                    skipped(PY, name, where, f"installed from a {kind}, cannot be checked", dev=dev)
                )
                continue
            if not isinstance(version, str) or not version.startswith("=="):
                raise fail(file, line, f"entry {raw_name[:80]!r}: version must be '==X'", fmt=fmt)
            inv.add(checked(PY, name, version[2:].lstrip("="), where, dev=dev, marker=marker))
    return inv


# -- pylock.toml (PEP 751) -------------------------------------------------------------------


def parse_pylock(file: str, text: str) -> Inventory:
    fmt = "pylock"
    hint = "See PEP 751; regenerate it with your locker (e.g. `pip lock`, `uv export`)."
    doc = load_toml(file, text, fmt=fmt, hint=hint)
    if not isinstance(doc.get("lock-version"), str):
        raise fail(file, line_of(text, "lock-version"), "pylock.toml needs lock-version", fmt=fmt)
    if not doc["lock-version"].startswith("1."):
        raise fail(
            file,
            line_of(text, "lock-version"),
            f"unsupported lock-version {doc['lock-version'][:20]!r}",
            fmt=fmt,
            hint=hint,
        )
    inv = Inventory(source=file, files=[file], format="pylock.toml")
    for line, item in _entries(file, text, doc, "packages", fmt):
        name = _name(file, line, item, fmt)
        where = f"{file}:{line}"
        marker = as_str(item.get("marker"))
        version = item.get("version")
        if version is None:
            kind = next((k for k in ("vcs", "directory", "archive") if k in item), "source")
            inv.add(skipped(PY, name, where, f"installed from a {kind} without a version"))
            continue
        if not isinstance(version, str):
            raise fail(file, line, f"package {name!r}: version must be a string", fmt=fmt)
        if "vcs" in item or "directory" in item:
            inv.add(
                skipped(PY, name, where, "installed from a vcs or directory, cannot be checked")
            )
            continue
        inv.add(checked(PY, name, version, where, marker=marker))
    return inv


# -- pyproject.toml --------------------------------------------------------------------------


def pep508_dependency(
    spec: str, where: str, *, file: str, line: int, dev: bool = False
) -> Dependency:
    """One PEP 508 string -> a dependency, pinned only by a single ``==``/``===``."""
    try:
        req = Requirement(spec)
    except (InvalidRequirement, ValueError) as exc:
        raise fail(
            file,
            line,
            f"not a valid requirement {spec[:80]!r}: {exc}",
            fmt="pyproject",
            hint="Write it as name[extras]==version ; marker (PEP 508).",
        ) from exc
    name = canonicalize_name(req.name)
    marker = str(req.marker) if req.marker else None
    extras = tuple(sorted(req.extras))
    if req.url:
        return Dependency(
            name=name,
            version=None,
            ecosystem=PY,
            location=where,
            skip_reason="a direct URL reference, cannot be checked",
            marker=marker,
            extras=extras,
            direct=True,
            dev=dev,
        )
    pins = [
        s.version for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version
    ]
    version = pins[0] if len(pins) == 1 else None
    return Dependency(
        name=name,
        version=version,
        ecosystem=PY,
        location=where,
        skip_reason=None if version else NOT_PINNED,
        marker=marker,
        extras=extras,
        direct=True,
        dev=dev,
    )


_POETRY_EXACT = re.compile(r"^\s*(?:==?)?\s*(\d[0-9A-Za-z.+!-]*)\s*$")


def _poetry_dependency(
    name: str, value: Any, where: str, *, file: str, line: int, dev: bool
) -> Dependency:
    cname = canonicalize_name(name)
    if isinstance(value, list):  # multiple-constraint form: never one pin
        return Dependency(
            name=cname,
            version=None,
            ecosystem=PY,
            location=where,
            skip_reason=NOT_PINNED,
            direct=True,
            dev=dev,
        )
    if isinstance(value, dict):
        for kind in ("git", "path", "url"):
            if kind in value:
                return skipped(
                    PY,
                    cname,
                    where,
                    f"installed from a {kind}, cannot be checked",
                    direct=True,
                    dev=dev,
                )
        value = value.get("version")
    if not isinstance(value, str):
        raise fail(
            file, line, f"dependency {name[:80]!r} has no version constraint", fmt="pyproject"
        )
    m = _POETRY_EXACT.match(value)
    if m is None:
        return Dependency(
            name=cname,
            version=None,
            ecosystem=PY,
            location=where,
            skip_reason=NOT_PINNED,
            direct=True,
            dev=dev,
        )
    dep = checked(PY, cname, m.group(1), where, direct=True, dev=dev)
    return dep


def _section_key_line(text: str, section: str, key: str) -> int:
    """The line of ``key =`` inside ``[section]`` (or of the section, or 1)."""
    header = re.search(
        r"^[ \t]*\[[ \t]*" + re.escape(section) + r"[ \t]*\][ \t]*$", text, re.MULTILINE
    )
    start = header.start() if header else 0
    m = re.compile(r"^[ \t]*[\"']?" + re.escape(key) + r"[\"']?[ \t]*=", re.MULTILINE).search(
        text, start
    )
    if m is None:
        return line_of(text, key, start)
    return text.count("\n", 0, m.start()) + 1


def _quoted_line(text: str, value: str, start: int = 0) -> int:
    for q in ('"', "'"):
        at = text.find(q + value + q, start)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return line_of(text, value, start)


def parse_pyproject(file: str, text: str) -> Inventory:
    fmt = "pyproject"
    doc = load_toml(file, text, fmt=fmt)
    inv = Inventory(source=file, files=[file], format="pyproject.toml")

    def strings(value: Any, what: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str | dict) for v in value):
            raise fail(
                file,
                line_of(text, what.split(".")[-1]),
                f"{what} must be a list of strings",
                fmt=fmt,
            )
        return [v for v in value if isinstance(v, str)]  # {include-group = ...} adds nothing new

    def add_pep508(specs: list[str], *, dev: bool) -> None:
        for spec in specs:
            line = _quoted_line(text, spec)
            inv.add(pep508_dependency(spec, f"{file}:{line}", file=file, line=line, dev=dev))

    project = doc.get("project")
    if project is not None and not isinstance(project, dict):
        raise fail(file, line_of(text, "[project]"), "[project] must be a table", fmt=fmt)
    if isinstance(project, dict):
        add_pep508(strings(project.get("dependencies"), "project.dependencies"), dev=False)
        optional = project.get("optional-dependencies") or {}
        if not isinstance(optional, dict):
            raise fail(
                file,
                line_of(text, "optional-dependencies"),
                "optional-dependencies must be a table",
                fmt=fmt,
            )
        for extra, specs in optional.items():
            add_pep508(strings(specs, f"optional-dependencies.{extra}"), dev=False)
    groups = doc.get("dependency-groups") or {}
    if not isinstance(groups, dict):
        raise fail(
            file, line_of(text, "dependency-groups"), "[dependency-groups] must be a table", fmt=fmt
        )
    for group, specs in groups.items():
        add_pep508(strings(specs, f"dependency-groups.{group}"), dev=True)

    tool = doc.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        sections: list[tuple[str, Any, bool]] = [
            ("tool.poetry.dependencies", poetry.get("dependencies"), False),
            ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"), True),
        ]
        pgroups = poetry.get("group") or {}
        if isinstance(pgroups, dict):
            for gname, g in pgroups.items():
                if isinstance(g, dict):
                    sections.append(
                        (f"tool.poetry.group.{gname}.dependencies", g.get("dependencies"), True)
                    )
        for section, deps, dev in sections:
            if deps is None:
                continue
            if not isinstance(deps, dict):
                raise fail(file, line_of(text, section), f"[{section}] must be a table", fmt=fmt)
            for name, value in deps.items():
                if name.lower() == "python":
                    continue  # the interpreter's range, not a package
                line = _section_key_line(text, section, name)
                inv.add(
                    _poetry_dependency(name, value, f"{file}:{line}", file=file, line=line, dev=dev)
                )
    if project is None and not isinstance(poetry, dict) and not groups:
        raise fail(
            file,
            1,
            "this pyproject.toml declares no dependencies ([project], [dependency-groups] or "
            "[tool.poetry])",
            fmt=fmt,
        )
    return inv
