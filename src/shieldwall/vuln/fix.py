"""Fix plans: for each vulnerable dependency, the smallest upgrade that clears every advisory,
written back into the file it came from, with a unified diff, then scanned again.

Planning (like pip-audit's fix loop, but choosing instead of taking the first fix): the
candidates are the ``fixed`` versions of every advisory naming the package; each candidate
above the current version is re-checked against *all* of the package's advisories (an upgrade
can bring new ones), and the smallest clean one of the same major version wins; if only a
major jump is clean, that is said. If no candidate is clean, the one leaving the fewest
advisories is proposed and what remains is listed.

Writing: requirements pins (and the constraints file that pins them), ``pyproject.toml`` (a
pin, or the lower bound of a range when the scanned file is ``poetry.lock``/``uv.lock``/
``pylock.toml``: re-lock afterwards), and npm ``package-lock.json`` v2/v3 in place when every
package depending on the upgraded one still accepts the new version (its ``package.json`` range
is raised for a direct dependency). Anything else is planned and explained, not written.

Nothing here proves that the new set installs together: that needs a resolver with the package
index (``shieldwall vuln fix --prove`` asks pip's); results say "not proven" otherwise.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

from shieldwall.core.errors import InputError
from shieldwall.vuln.inventory import Dependency, Ecosystem, Inventory, parse_manifest
from shieldwall.vuln.inventory._util import physical_lines_keepends
from shieldwall.vuln.inventory.python import parse_pyproject
from shieldwall.vuln.npm_range import InvalidRangeError, NpmRange
from shieldwall.vuln.osv import (
    Advisory,
    AdvisorySource,
    Finding,
    normalize_name,
    scan_inventory,
    vulns_of,
)
from shieldwall.vuln.semver import SemVer
from shieldwall.vuln.versions import Ordered, is_prerelease, major_of, parse_version

NOT_PROVEN = (
    "not proven: no resolver was asked whether the new set installs together "
    "(run `shieldwall vuln fix --prove` where pip can reach its package index)"
)
NOT_PROVEN_NPM = (
    "not proven: the new versions' own dependencies and integrity hashes are not known "
    "offline; run `npm install --package-lock-only --ignore-scripts` to let npm's resolver "
    "complete and check the lockfile"
)
_LOCATION = re.compile(
    r"^(?P<file>.*?):(?P<line>\d+)(?: \(pinned by (?P<cfile>.*):(?P<cline>\d+)\))?"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Upgrade:
    """The plan for one vulnerable dependency."""

    dependency: Dependency
    findings: tuple[Finding, ...]
    target: str | None
    clears: tuple[str, ...]
    remaining: tuple[str, ...]
    major: bool = False
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        d = self.dependency
        return {
            "name": d.name,
            "ecosystem": str(d.ecosystem),
            "from": d.version,
            "to": self.target,
            "location": d.location,
            "major": self.major,
            "clears": list(self.clears),
            "remaining": list(self.remaining),
            "note": self.note,
        }


def _candidates(eco: str, name: str, advisories: Sequence[Advisory], current: Ordered) -> list[str]:
    seen: dict[str, Ordered] = {}
    for adv in advisories:
        if adv.withdrawn:
            continue
        for a in adv.affected:
            if a.ecosystem != eco or a.name != normalize_name(eco, name):
                continue
            for rng in a.ranges:
                if rng.type == "GIT":
                    continue
                for kind, value in rng.events:
                    if kind != "fixed" or value in seen:
                        continue
                    try:
                        parsed = parse_version(eco, value)
                    except InputError:
                        continue
                    if current < parsed:
                        seen[value] = parsed
    # final releases first (in order), prereleases only after them, unless already on one
    stable_first = not is_prerelease(current)
    return sorted(seen, key=lambda v: (stable_first and is_prerelease(seen[v]), seen[v]))


def plan_upgrade(
    dep: Dependency,
    findings: Sequence[Finding],
    advisories: Sequence[Advisory],
    *,
    allowed: Callable[[str], bool] | None = None,
) -> Upgrade:
    """The smallest clean upgrade of ``dep`` (``allowed(version_text) -> bool`` narrows the
    candidates, e.g. to what every npm dependent accepts)."""
    eco = str(dep.ecosystem)
    current = parse_version(eco, dep.version or "")
    ids = tuple(f.id for f in findings)
    best: tuple[int, str, tuple[str, ...]] | None = None  # (remaining count, version, remaining)
    first_clean: str | None = None
    same_major_clean: str | None = None
    for cand in _candidates(eco, dep.name, advisories, current):
        if allowed is not None and not allowed(cand):
            continue
        probe = replace(dep, version=cand)
        left = vulns_of(eco, probe, advisories)
        if not left:
            parsed = parse_version(eco, cand)
            if first_clean is not None and is_prerelease(parsed):
                break  # a final release already clears them: no prerelease over it
            first_clean = first_clean or cand
            if major_of(parsed) == major_of(current):
                same_major_clean = cand
                break
            continue
        left_ids = tuple(sorted({f.id for f in left} | {a for f in left for a in f.aliases}))
        if best is None or len(left) < best[0]:
            best = (len(left), cand, left_ids)
    if same_major_clean or first_clean:
        target = same_major_clean or first_clean
        major = same_major_clean is None
        note = (
            f"only a major upgrade (to {target}) clears every advisory"
            if major
            else "clears every known advisory"
        )
        if target and is_prerelease(parse_version(eco, target)) and not is_prerelease(current):
            note += (
                " (a prerelease: the advisories name no final release with the fix; prefer the "
                "first final release after it)"
            )
        return Upgrade(
            dependency=dep,
            findings=tuple(findings),
            target=target,
            clears=ids,
            remaining=(),
            major=major,
            note=note,
        )
    if best is None:
        note = "no fixed version is known for these advisories"
        if allowed is not None:
            note = "no fixed version is accepted by every package that depends on it"
        return Upgrade(
            dependency=dep,
            findings=tuple(findings),
            target=None,
            clears=(),
            remaining=ids,
            note=note,
        )
    _, target, left_ids = best
    still = tuple(i for i in ids if i in left_ids)
    return Upgrade(
        dependency=dep,
        findings=tuple(findings),
        target=target,
        clears=tuple(i for i in ids if i not in left_ids),
        remaining=still or left_ids,
        major=major_of(parse_version(eco, target)) != major_of(current),
        note="no release clears every advisory; this one clears the most",
    )


# -- writers -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Edits:
    files: dict[str, str]
    changed: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        return self.changed.get(name, self.files.get(name))

    def set(self, name: str, text: str) -> None:
        self.changed[name] = text


def _pin_pattern(old: str) -> re.Pattern[str]:
    return re.compile(r"(===?)(\s*)" + re.escape(old) + r"(?![0-9A-Za-z.+!_-])")


def _edit_requirements(edits: _Edits, up: Upgrade) -> str | None:
    """Rewrite the pin; returns None when written, else why not."""
    m = _LOCATION.match(up.dependency.location)
    if m is None:
        return "its location is unknown"
    file, line = (m["cfile"], int(m["cline"])) if m["cfile"] else (m["file"], int(m["line"]))
    text = edits.text(file)
    if text is None:
        return f"{file} was not given"
    lines = physical_lines_keepends(text)
    start = line - 1
    end = start
    while end < len(lines) - 1 and lines[end].rstrip("\r\n").endswith("\\"):
        end += 1
    if start >= len(lines):
        return f"{file}:{line} is past the end of the file"
    pat = _pin_pattern(up.dependency.version or "")
    span = "".join(lines[start : end + 1])
    if "--hash" in span:
        joined = " ".join(p.rstrip("\r\n").rstrip("\\").strip() for p in lines[start : end + 1])
        spec = re.split(r"\s--hash", " " + joined, maxsplit=1)[0].strip()
        new_spec, n = pat.subn(lambda mm: f"{mm[1]}{mm[2]}{up.target}", spec, count=1)
        if not n:
            return f"no =={up.dependency.version} pin at {file}:{line}"
        newline = "\r\n" if lines[end].endswith("\r\n") else "\n"
        lines[start : end + 1] = [new_spec + newline]
        edits.notes.append(
            f"{file}:{line}: the --hash values of {up.dependency.name} were removed (they were "
            f"for {up.dependency.version}); regenerate them, e.g. `pip-compile --generate-hashes`"
        )
    else:
        new, n = pat.subn(lambda mm: f"{mm[1]}{mm[2]}{up.target}", lines[start], count=1)
        if not n:
            return f"no =={up.dependency.version} pin at {file}:{line}"
        lines[start] = new
    edits.set(file, "".join(lines))
    return None


def _replace_on_line(text: str, line: int, pattern: re.Pattern[str], repl: Any) -> str | None:
    lines = physical_lines_keepends(text)
    if not 0 < line <= len(lines):
        return None
    new, n = pattern.subn(repl, lines[line - 1], count=1)
    if not n:
        return None
    lines[line - 1] = new
    return "".join(lines)


def _edit_pyproject_pin(edits: _Edits, up: Upgrade) -> str | None:
    m = _LOCATION.match(up.dependency.location)
    if m is None:
        return "its location is unknown"
    file, line = m["file"], int(m["line"])
    text = edits.text(file)
    if text is None:
        return f"{file} was not given"
    old = re.escape(up.dependency.version or "")
    pattern = re.compile(r"(===?\s*|([\"'])(?:==)?)" + old + r"(?![0-9A-Za-z.+!_-])")
    new = _replace_on_line(text, line, pattern, lambda mm: f"{mm[1]}{up.target}")
    if new is None:
        return f"no pin of {up.dependency.version} at {file}:{line}"
    edits.set(file, new)
    return None


def _raised_pep508(spec: str, target: str) -> tuple[str, bool]:
    """``spec`` with its lower bounds replaced by ``>=target`` (upper bounds kept when they
    still admit it); (new spec, whether an upper bound had to go)."""
    req = Requirement(spec)
    keep = []
    dropped_upper = False
    for s in req.specifier:
        if s.operator in ("<", "<=", "!="):
            if s.contains(target, prereleases=True):
                keep.append(str(s))
            else:
                dropped_upper = True
    spec_set = SpecifierSet(",".join([f">={target}", *keep]))
    out = req.name + (f"[{','.join(sorted(req.extras))}]" if req.extras else "") + str(spec_set)
    if req.marker:
        out += f" ; {req.marker}"
    return out, dropped_upper


_QUOTED = re.compile(r"([\"'])([^\"']*)\1")


def _raise_on_line(current: str, d: Dependency, target: str, notes: list[str]) -> str | None:
    """One pyproject line with the constraint of ``d`` raised to ``target``."""
    for q in _QUOTED.finditer(current):  # PEP 621 / PEP 735: "name[extra]>=1.0 ; marker"
        try:
            req = Requirement(q.group(2))
        except (InvalidRequirement, ValueError):
            continue
        if normalize_name("PyPI", req.name) != d.name:
            continue
        new_value, dropped = _raised_pep508(q.group(2), target)
        if dropped:
            notes.append(f"{d.location}: an upper bound of {d.name} was removed to admit {target}")
        return current[: q.start(2)] + new_value + current[q.end(2) :]
    # Poetry: name = "^1.2" or name = { version = "^1.2", ... }
    eq = current.find("=")
    m = _QUOTED.search(current, eq + 1) if eq >= 0 else None
    if "version" in current[eq + 1 :]:
        m = re.compile(r"version\s*=\s*([\"'])([^\"']*)\1").search(current)
    if m is None:
        return None
    value = m.group(2).strip()
    if value.startswith("^"):
        new_value = f"^{target}"
    elif value.startswith("~"):
        new_value = f"~{target}"
    else:
        new_value = f">={target}"
    return current[: m.start(2)] + new_value + current[m.end(2) :]


def _edit_pyproject_constraint(edits: _Edits, up: Upgrade, pyproject: str) -> str | None:
    """Raise the pyproject.toml constraint of a direct dependency to admit only ``target`` and
    later (the lockfile must be regenerated to apply it)."""
    text = edits.text(pyproject)
    if text is None:
        return "it is not a direct dependency in a pyproject.toml given with the lockfile"
    direct = [
        d for d in parse_pyproject(pyproject, text).dependencies if d.name == up.dependency.name
    ]
    if not direct:
        return (
            "a transitive dependency: add the constraint "
            f"`{up.dependency.name}>={up.target}` and re-lock"
        )
    target = up.target or ""
    for d in direct:
        line = int(d.location.rsplit(":", 1)[1])
        lines = physical_lines_keepends(text)
        current = lines[line - 1]
        new_line = _raise_on_line(current, d, target, edits.notes)
        if new_line is None:
            return f"cannot find the constraint at {d.location}"
        lines[line - 1] = new_line
        text = "".join(lines)
    edits.set(pyproject, text)
    edits.notes.append(
        f"{pyproject}: re-lock to apply the new constraints (e.g. `uv lock` or `poetry lock`)"
    )
    return None


# -- npm package-lock.json in place ----------------------------------------------------------


def _npm_name(path: str, entry: Mapping[str, Any]) -> str:
    name = entry.get("name")
    return name if isinstance(name, str) else path.rpartition("node_modules/")[2]


def _resolve(packages: Mapping[str, Any], from_path: str, name: str) -> str | None:
    base = from_path
    while True:
        cand = f"{base}/node_modules/{name}" if base else f"node_modules/{name}"
        if cand in packages:
            return cand
        if not base:
            return None
        idx = base.rfind("node_modules/")
        base = base[:idx].rstrip("/") if idx > 0 else ""


_DEP_FIELDS = ("dependencies", "optionalDependencies", "peerDependencies")


def npm_dependents(packages: Mapping[str, Any]) -> dict[str, list[tuple[str, str, str]]]:
    """node path -> [(dependent path, field, range)] by Node's resolution over the lock's paths."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for path, entry in packages.items():
        if not isinstance(entry, dict):
            continue
        for fld in _DEP_FIELDS:
            deps = entry.get(fld)
            if not isinstance(deps, dict):
                continue
            for name, rng in deps.items():
                if not isinstance(rng, str):
                    continue
                node = _resolve(packages, path, name)
                if node is not None:
                    out.setdefault(node, []).append((path, fld, rng))
    return out


def _accepts(rng: str, version: str) -> bool:
    try:
        return NpmRange.parse(rng).satisfied_by(SemVer.parse(version))
    except (InvalidRangeError, InputError):
        return False


@dataclass(slots=True)
class _NpmLock:
    file: str
    doc: dict[str, Any]
    indent: int | str
    dependents: dict[str, list[tuple[str, str, str]]]

    @property
    def packages(self) -> dict[str, Any]:
        p = self.doc.get("packages")
        return p if isinstance(p, dict) else {}

    def nodes(self, name: str, version: str) -> list[str]:
        return [
            p
            for p, e in self.packages.items()
            if p and isinstance(e, dict) and _npm_name(p, e) == name and e.get("version") == version
        ]


def _load_npm_lock(file: str, text: str) -> _NpmLock | None:
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("packages"), dict):
        return None
    second = text.split("\n", 2)[1] if text.count("\n") >= 2 else "  "
    ws = second[: len(second) - len(second.lstrip())]
    indent: int | str = "\t" if ws.startswith("\t") else (len(ws) or 2)
    return _NpmLock(file=file, doc=doc, indent=indent, dependents=npm_dependents(doc["packages"]))


def npm_allowed(lock: _NpmLock, dep: Dependency) -> Callable[[str], bool]:
    """Whether a candidate version is accepted by every non-root package depending on ``dep``
    (the root's own ranges live in package.json, which the fix may raise)."""
    nodes = lock.nodes(dep.name, dep.version or "")

    def allowed(version: str) -> bool:
        return all(
            _accepts(rng, version)
            for node in nodes
            for (parent, _fld, rng) in lock.dependents.get(node, [])
            if parent != ""
        )

    return allowed


def _tarball(resolved: str, name: str, old: str, new: str) -> str | None:
    base = name.rpartition("/")[2]
    suffix = f"/-/{base}-{old}.tgz"
    if resolved.endswith(suffix):
        return resolved[: -len(suffix)] + f"/-/{base}-{new}.tgz"
    return None


def _edit_npm(edits: _Edits, lock: _NpmLock, up: Upgrade, package_json: str | None) -> str | None:
    dep, target = up.dependency, up.target or ""
    nodes = lock.nodes(dep.name, dep.version or "")
    if not nodes:
        return "its entries were not found in the lockfile"
    blocked = [
        f"{parent or 'the root'} needs {rng}"
        for node in nodes
        for parent, _fld, rng in lock.dependents.get(node, [])
        if parent != "" and not _accepts(rng, target)
    ]
    if blocked:
        return "not in place: " + "; ".join(sorted(set(blocked))[:3])
    for node in nodes:
        entry = lock.packages[node]
        entry["version"] = target
        if isinstance(entry.get("resolved"), str):
            tarball = _tarball(entry["resolved"], dep.name, dep.version or "", target)
            if tarball:
                entry["resolved"] = tarball
            else:
                entry.pop("resolved")
        entry.pop("integrity", None)
        # the lockfile v2 mirror of the tree for npm 6
        legacy: Any = lock.doc
        for part in node.split("node_modules/")[1:]:
            legacy = (
                legacy.get("dependencies", {}).get(part.rstrip("/"))
                if isinstance(legacy, dict)
                else None
            )
        if isinstance(legacy, dict) and "version" in legacy:
            legacy["version"] = target
            if isinstance(legacy.get("resolved"), str):
                tarball = _tarball(legacy["resolved"], dep.name, dep.version or "", target)
                if tarball:
                    legacy["resolved"] = tarball
                else:
                    legacy.pop("resolved")
            legacy.pop("integrity", None)
        for parent, fld, rng in lock.dependents.get(node, []):
            if parent == "" and not _accepts(rng, target):
                exact = rng.strip().lstrip("=v")
                new_range = target if re.fullmatch(r"\d+\.\d+\.\d+\S*", exact) else f"^{target}"
                lock.packages[""][fld][dep.name] = new_range
                if package_json is None:
                    edits.notes.append(
                        f"package.json was not given: raise {dep.name} to {new_range} there too"
                    )
                    continue
                pj = edits.text(package_json) or ""
                pat = re.compile(
                    r"(\"" + re.escape(dep.name) + r"\"\s*:\s*\")" + re.escape(rng) + r"\""
                )
                new_pj, n = pat.subn(r"\g<1>" + new_range.replace("\\", "") + '"', pj, count=1)
                if n:
                    edits.set(package_json, new_pj)
    edits.set(lock.file, json.dumps(lock.doc, indent=lock.indent, ensure_ascii=False) + "\n")
    return None


# -- the whole fix ---------------------------------------------------------------------------


def unified_diff(before: Mapping[str, str], after: Mapping[str, str]) -> str:
    out: list[str] = []
    for name in sorted(after):
        old = before.get(name, "")
        out.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                after[name].splitlines(keepends=True),
                fromfile=f"a/{name.lstrip('/')}",
                tofile=f"b/{name.lstrip('/')}",
            )
        )
    text = "".join(out)
    return text if not text or text.endswith("\n") else text + "\n"


def _sibling(root: str, name: str, files: Mapping[str, str]) -> str | None:
    cand = os.path.join(os.path.dirname(root), name)
    return cand if cand in files else None


def fix_inventory(
    root: str,
    files: Mapping[str, str],
    source: AdvisorySource,
    *,
    inventory: Inventory | None = None,
) -> dict[str, Any]:
    """Plan and write the upgrades for ``files[root]``; returns the plan, the new file texts,
    their diff, and the scan before and after."""
    inv = inventory or parse_manifest(root, files)
    before = scan_inventory(inv, source)
    edits = _Edits(files=dict(files))
    lock = _load_npm_lock(root, files[root]) if inv.format == "package-lock" else None
    upgrades: list[dict[str, Any]] = []
    by_eco: dict[str, list[tuple[Dependency, list[Finding]]]] = {}
    for dep, row in zip(inv.dependencies, before["dependencies"], strict=True):
        if row["vulns"]:
            found = [
                Finding(**{k: _tuple(v) for k, v in f.items() if k in _FINDING_FIELDS})
                for f in row["vulns"]
            ]
            by_eco.setdefault(str(dep.ecosystem), []).append((dep, found))
    for eco, items in by_eco.items():
        advisories = source.advisories_for(eco, (d.name for d, _ in items))
        for dep, found in items:
            advs = advisories.get(normalize_name(eco, dep.name), [])
            up = plan_upgrade(dep, found, advs, allowed=npm_allowed(lock, dep) if lock else None)
            if lock is not None and up.target is None:
                general = plan_upgrade(dep, found, advs)
                if general.target is not None:
                    up = replace(
                        general,
                        note=f"{general.note}, but not in place: "
                        + "; ".join(
                            sorted(
                                {
                                    f"{p or 'the root'} needs {r}"
                                    for n in lock.nodes(dep.name, dep.version or "")
                                    for p, _f, r in lock.dependents.get(n, [])
                                    if p and not _accepts(r, general.target)
                                }
                            )[:3]
                        ),
                    )
                    upgrades.append({**up.to_json(), "written": False, "unactionable": True})
                    continue
            why = _write(edits, inv, root, files, up, lock) if up.target else up.note
            row = up.to_json()
            row["written"] = why is None
            if why is not None and up.target:
                row["not_written"] = why
            upgrades.append(row)
    changed = {k: v for k, v in edits.changed.items() if v != files.get(k)}
    after_files = {**files, **changed}
    after = scan_inventory(parse_manifest(root, after_files), source) if root in changed else None
    remaining = sorted({i for u in upgrades for i in u["remaining"]})
    return {
        "source": root,
        "format": inv.format,
        "advisories": source.describe(),
        "upgrades": upgrades,
        "files": changed,
        "diff": unified_diff(files, changed),
        "notes": edits.notes,
        "before": before["summary"],
        "after": after["summary"] if after else None,
        "after_vulns": [
            {"name": d["name"], "version": d["version"], "ids": [v["id"] for v in d["vulns"]]}
            for d in (after["dependencies"] if after else [])
            if d["vulns"]
        ],
        "unfixable": remaining,
        "errors": before["errors"] + (after["errors"] if after else []),
        "resolution": NOT_PROVEN_NPM if lock is not None else NOT_PROVEN,
    }


_FINDING_FIELDS = {"id", "aliases", "fixed_in", "severity", "summary"}


def _tuple(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def _write(
    edits: _Edits,
    inv: Inventory,
    root: str,
    files: Mapping[str, str],
    up: Upgrade,
    lock: _NpmLock | None,
) -> str | None:
    fmt = inv.format
    if fmt == "requirements":
        return _edit_requirements(edits, up)
    if fmt == "pyproject.toml":
        return _edit_pyproject_pin(edits, up)
    if (
        fmt in ("poetry.lock", "uv.lock", "pylock.toml")
        and up.dependency.ecosystem is Ecosystem.PYPI
    ):
        pyproject = _sibling(root, "pyproject.toml", files)
        if pyproject is None:
            return (
                f"no pyproject.toml beside {root}: raise {up.dependency.name} to "
                f">={up.target} and re-lock"
            )
        return _edit_pyproject_constraint(edits, up, pyproject)
    if lock is not None:
        return _edit_npm(edits, lock, up, _sibling(root, "package.json", files))
    return (
        f"Shieldwall does not write {fmt} files: upgrade {up.dependency.name} to {up.target} "
        "with its package manager"
    )
