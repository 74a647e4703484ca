"""JavaScript lockfiles besides package-lock.json: ``yarn.lock`` (classic v1 and berry v2+)
and ``pnpm-lock.yaml`` (lockfile versions 5, 6 and 9).

Entries resolved from git, a path, a workspace or a tarball URL are not registry releases and
are listed with that reason.
"""

from __future__ import annotations

import re
from typing import Any

from shieldwall.vuln.inventory._util import (
    LineFinder,
    as_str,
    checked,
    fail,
    line_of,
    load_yaml,
    physical_lines,
    skipped,
)
from shieldwall.vuln.inventory.model import Ecosystem, Inventory

NPM = Ecosystem.NPM
_YARN_HINT = "Regenerate it with `yarn install`."
_PNPM_HINT = "Regenerate it with `pnpm install --lockfile-only`."


def _split_spec(spec: str) -> tuple[str, str]:
    """``@scope/name@range`` -> (``@scope/name``, ``range``)."""
    spec = spec.strip().strip('"').strip("'")
    at = spec.find("@", 1)
    if at < 0:
        return spec, ""
    return spec[:at], spec[at + 1 :]


# -- yarn.lock classic (v1) ------------------------------------------------------------------

_YARN_VALUE = re.compile(r'^\s+(\S+?)\s+"?([^"]*)"?\s*$')


def _unquote_specs(header: str) -> list[str]:
    out: list[str] = []
    for part in header.rstrip(":").split(","):
        part = part.strip()
        if len(part) >= 2 and part[0] == part[-1] == '"':
            part = part[1:-1]
        if part:
            out.append(part)
    return out


def parse_yarn_classic(file: str, text: str) -> Inventory:
    fmt = "yarn_lock"
    inv = Inventory(source=file, files=[file], format="yarn.lock")
    entry: tuple[int, list[str]] | None = None
    fields: dict[str, str] = {}

    def flush() -> None:
        if entry is None:
            return
        line, specs = entry
        where = f"{file}:{line}"
        name, rng = _split_spec(specs[0])
        if rng.startswith("npm:"):  # an alias: alias@npm:real@^1
            name, _ = _split_spec(rng[4:])
        if not name:
            raise fail(file, line, "an entry with no package name", fmt=fmt, hint=_YARN_HINT)
        version = fields.get("version")
        if version is None:
            raise fail(
                file, line, f"entry {specs[0][:80]!r} has no version", fmt=fmt, hint=_YARN_HINT
            )
        resolved = fields.get("resolved", "")
        if rng.startswith(("file:", "link:", "git", "github:", "http:", "https:")) or (
            resolved and not resolved.startswith("https://registry.") and ".git" in resolved
        ):
            inv.add(skipped(NPM, name, where, "not from the npm registry, cannot be checked"))
            return
        inv.add(checked(NPM, name, version, where))

    in_block = False
    for number, raw in enumerate(physical_lines(text), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            flush()
            fields = {}
            if not raw.rstrip().endswith(":"):
                raise fail(file, number, "expected `package@range:` here", fmt=fmt, hint=_YARN_HINT)
            specs = _unquote_specs(raw.rstrip())
            if not specs:
                raise fail(file, number, "an entry with no package name", fmt=fmt, hint=_YARN_HINT)
            entry = (number, specs)
            in_block = False
            continue
        if entry is None:
            raise fail(file, number, "an indented line outside any entry", fmt=fmt, hint=_YARN_HINT)
        indent = len(raw) - len(raw.lstrip())
        if indent == 2:
            stripped = raw.strip()
            if stripped.endswith(":"):
                in_block = True  # dependencies: / optionalDependencies:
                continue
            in_block = False
            m = _YARN_VALUE.match(raw)
            if m is None:
                raise fail(file, number, f"cannot read {stripped[:80]!r}", fmt=fmt, hint=_YARN_HINT)
            fields[m.group(1).strip('"')] = m.group(2)
        elif not in_block:
            raise fail(file, number, "unexpected indentation", fmt=fmt, hint=_YARN_HINT)
    flush()
    return inv


# -- yarn.lock berry (v2+, YAML) -------------------------------------------------------------


def parse_yarn_berry(file: str, text: str) -> Inventory:
    fmt = "yarn_lock"
    doc = load_yaml(file, text, fmt=fmt, hint=_YARN_HINT)
    if not isinstance(doc, dict) or not isinstance(doc.get("__metadata"), dict):
        raise fail(file, 1, "a yarn berry lockfile has __metadata", fmt=fmt, hint=_YARN_HINT)
    inv = Inventory(source=file, files=[file], format="yarn.lock")
    finder = LineFinder(text)
    for key, entry in doc.items():
        if key == "__metadata":
            continue
        skey = str(key)
        line = finder.line(skey.split(",")[0].strip())
        where = f"{file}:{line}"
        if not isinstance(entry, dict):
            raise fail(
                file, line, f"entry {skey[:80]!r} must be a mapping", fmt=fmt, hint=_YARN_HINT
            )
        resolution = as_str(entry.get("resolution"))
        version = entry.get("version")
        if resolution is None or version is None:
            raise fail(file, line, f"entry {skey[:80]!r} has no resolution or version", fmt=fmt)
        name, protocol_ref = _split_spec(resolution)
        protocol = protocol_ref.split(":", 1)[0] if ":" in protocol_ref else ""
        if protocol == "patch":  # patch:real@npm%3A1.2.3#... wraps a registry release
            inner = protocol_ref[len("patch:") :].split("#", 1)[0].replace("%3A", ":")
            name, protocol_ref = _split_spec(inner)
            protocol = protocol_ref.split(":", 1)[0]
        if protocol != "npm":
            reason = f"resolved by {protocol or 'an unknown protocol'}:, not the npm registry"
            inv.add(skipped(NPM, name, where, reason))
            continue
        inv.add(checked(NPM, name, str(version), where))
    return inv


def parse_yarn_lock(file: str, text: str) -> Inventory:
    if re.search(r"^__metadata:", text, re.MULTILINE):
        return parse_yarn_berry(file, text)
    return parse_yarn_classic(file, text)


# -- pnpm-lock.yaml --------------------------------------------------------------------------


def _pnpm_key(key: str, major: int) -> tuple[str, str]:
    """A ``packages`` key -> (name, version) for lockfile major version ``major``."""
    key = key.lstrip("/")
    if major < 6:  # /name/1.2.3 or /@scope/name/1.2.3_peer@1.0.0
        name, _, version = key.rpartition("/")
        return name, version.split("_", 1)[0]
    key = key.split("(", 1)[0]  # name@1.2.3(peer@1.0.0)
    name, version = _split_spec(key)
    return name, version


def parse_pnpm_lock(file: str, text: str) -> Inventory:
    fmt = "pnpm_lock"
    doc = load_yaml(file, text, fmt=fmt, hint=_PNPM_HINT)
    if not isinstance(doc, dict) or "lockfileVersion" not in doc:
        raise fail(file, 1, "a pnpm-lock.yaml has lockfileVersion", fmt=fmt, hint=_PNPM_HINT)
    raw_version = str(doc["lockfileVersion"])
    m = re.match(r"^(\d+)", raw_version)
    if m is None or int(m.group(1)) not in (5, 6, 7, 9):
        raise fail(
            file,
            line_of(text, "lockfileVersion"),
            f"unsupported lockfileVersion {raw_version[:20]!r}",
            fmt=fmt,
            hint=_PNPM_HINT,
        )
    major = int(m.group(1))
    packages: Any = doc.get("packages") or {}
    if not isinstance(packages, dict):
        raise fail(file, line_of(text, "packages:"), "packages must be a mapping", fmt=fmt)
    inv = Inventory(source=file, files=[file], format="pnpm-lock.yaml")
    finder = LineFinder(text, text.find("\npackages:"))
    for key, entry in packages.items():
        skey = str(key)
        line = finder.line(skey)
        where = f"{file}:{line}"
        if not isinstance(entry, dict):
            raise fail(
                file, line, f"entry {skey[:80]!r} must be a mapping", fmt=fmt, hint=_PNPM_HINT
            )
        name, version = _pnpm_key(skey, major)
        name = as_str(entry.get("name")) or name
        version = str(entry.get("version") or version)
        resolution = entry.get("resolution")
        dev = entry.get("dev") is True
        if isinstance(resolution, dict) and ("tarball" in resolution or "type" in resolution):
            tarball = str(resolution.get("tarball", ""))
            if resolution.get("type") in ("git", "directory") or (tarball and "/-/" not in tarball):
                inv.add(
                    skipped(
                        NPM, name, where, "not from the npm registry, cannot be checked", dev=dev
                    )
                )
                continue
        if not name or not version:
            raise fail(file, line, f"cannot read a name and version from {skey[:80]!r}", fmt=fmt)
        inv.add(checked(NPM, name, version, where, dev=dev))
    return inv
