"""Inventory: what a manifest or lockfile says is installed. One module per family of formats.

``parse_manifest(root, files)`` is pure (text in, inventory out) so the scan capability needs no
filesystem access; ``read_manifest(path)`` and ``discover(path)`` are the one place that reads
files, for the CLI.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path

from shieldwall.core.errors import InputError, NotFoundError, ParseError
from shieldwall.vuln.inventory.cargo import parse_cargo_lock
from shieldwall.vuln.inventory.environment import PREFIX as ENVIRONMENT_PREFIX
from shieldwall.vuln.inventory.environment import parse_environment, snapshot_environment
from shieldwall.vuln.inventory.go import parse_go_mod, parse_go_sum
from shieldwall.vuln.inventory.js import parse_pnpm_lock, parse_yarn_lock
from shieldwall.vuln.inventory.model import (
    CHECKABLE,
    Dependency,
    Ecosystem,
    Inventory,
    from_purl,
    purl_for,
)
from shieldwall.vuln.inventory.npm_lock import parse_package_lock
from shieldwall.vuln.inventory.php import parse_composer_lock
from shieldwall.vuln.inventory.python import (
    parse_pipfile_lock,
    parse_poetry_lock,
    parse_pylock,
    parse_pyproject,
    parse_uv_lock,
)
from shieldwall.vuln.inventory.requirements import NOT_PINNED, includes, parse_requirements
from shieldwall.vuln.inventory.ruby import parse_gemfile_lock
from shieldwall.vuln.inventory.sbom import parse_cyclonedx, parse_spdx

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 250
MAX_DISCOVERED = 200
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "vendor", "target", ".tox"}


class ManifestFormat(StrEnum):
    REQUIREMENTS = "requirements"
    PYPROJECT = "pyproject.toml"
    POETRY_LOCK = "poetry.lock"
    UV_LOCK = "uv.lock"
    PIPFILE_LOCK = "Pipfile.lock"
    PYLOCK = "pylock.toml"
    PACKAGE_LOCK = "package-lock"
    YARN_LOCK = "yarn.lock"
    PNPM_LOCK = "pnpm-lock.yaml"
    GO_MOD = "go.mod"
    GO_SUM = "go.sum"
    CARGO_LOCK = "Cargo.lock"
    GEMFILE_LOCK = "Gemfile.lock"
    COMPOSER_LOCK = "composer.lock"
    CYCLONEDX = "cyclonedx"
    SPDX = "spdx"
    ENVIRONMENT = "environment"


_BY_NAME = {
    "pyproject.toml": ManifestFormat.PYPROJECT,
    "poetry.lock": ManifestFormat.POETRY_LOCK,
    "uv.lock": ManifestFormat.UV_LOCK,
    "pipfile.lock": ManifestFormat.PIPFILE_LOCK,
    "pylock.toml": ManifestFormat.PYLOCK,
    "package-lock.json": ManifestFormat.PACKAGE_LOCK,
    "npm-shrinkwrap.json": ManifestFormat.PACKAGE_LOCK,
    "yarn.lock": ManifestFormat.YARN_LOCK,
    "pnpm-lock.yaml": ManifestFormat.PNPM_LOCK,
    "go.mod": ManifestFormat.GO_MOD,
    "go.sum": ManifestFormat.GO_SUM,
    "cargo.lock": ManifestFormat.CARGO_LOCK,
    "gemfile.lock": ManifestFormat.GEMFILE_LOCK,
    "composer.lock": ManifestFormat.COMPOSER_LOCK,
}
_PYLOCK = re.compile(r"^pylock\.[^.]+\.toml$")

_PARSERS: dict[ManifestFormat, Callable[[str, str], Inventory]] = {
    ManifestFormat.PYPROJECT: parse_pyproject,
    ManifestFormat.POETRY_LOCK: parse_poetry_lock,
    ManifestFormat.UV_LOCK: parse_uv_lock,
    ManifestFormat.PIPFILE_LOCK: parse_pipfile_lock,
    ManifestFormat.PYLOCK: parse_pylock,
    ManifestFormat.PACKAGE_LOCK: parse_package_lock,
    ManifestFormat.YARN_LOCK: parse_yarn_lock,
    ManifestFormat.PNPM_LOCK: parse_pnpm_lock,
    ManifestFormat.GO_MOD: parse_go_mod,
    ManifestFormat.GO_SUM: parse_go_sum,
    ManifestFormat.CARGO_LOCK: parse_cargo_lock,
    ManifestFormat.GEMFILE_LOCK: parse_gemfile_lock,
    ManifestFormat.COMPOSER_LOCK: parse_composer_lock,
    ManifestFormat.CYCLONEDX: parse_cyclonedx,
    ManifestFormat.SPDX: parse_spdx,
    ManifestFormat.ENVIRONMENT: parse_environment,
}


def detect_format(name: str, text: str) -> ManifestFormat:
    """The format of ``name`` by its file name, or for ``*.json`` by its content."""
    if name.startswith(ENVIRONMENT_PREFIX):
        return ManifestFormat.ENVIRONMENT
    base = os.path.basename(name).lower()
    if base in _BY_NAME:
        return _BY_NAME[base]
    if _PYLOCK.match(base):
        return ManifestFormat.PYLOCK
    if base.endswith((".txt", ".in")) or "requirements" in base or "constraints" in base:
        return ManifestFormat.REQUIREMENTS
    if base.endswith(".json"):
        head = text[:8192]
        if '"bomFormat"' in head and "CycloneDX" in head:
            return ManifestFormat.CYCLONEDX
        if '"spdxVersion"' in head:
            return ManifestFormat.SPDX
        if '"lockfileVersion"' in head:
            return ManifestFormat.PACKAGE_LOCK
    raise ParseError(
        f"cannot tell what kind of manifest {base[:120]!r} is",
        code="vuln.inventory.unknown_format",
        location=f"{name}:1",
        hint="Shieldwall reads requirements files, pyproject.toml, poetry.lock, uv.lock, "
        "Pipfile.lock, pylock.toml, package-lock.json, yarn.lock, pnpm-lock.yaml, go.mod, go.sum, "
        "Cargo.lock, Gemfile.lock, composer.lock and CycloneDX / SPDX JSON SBOMs.",
    )


def parse_manifest(root: str, files: Mapping[str, str]) -> Inventory:
    """Parse ``files[root]`` (and, for requirements, the files it includes)."""
    if root not in files:
        raise InputError(f"{root!r} is not among the files given", code="vuln.inventory.root")
    fmt = detect_format(root, files[root])
    if fmt is ManifestFormat.REQUIREMENTS:
        inv = parse_requirements(root, files)
        inv.format = "requirements"
        return inv
    inv = _PARSERS[fmt](root, files[root])
    inv.format = inv.format or str(fmt)
    return inv


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{path} is {size:,} bytes, more than the {MAX_FILE_BYTES:,} allowed",
                code="vuln.inventory.too_large",
            )
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise NotFoundError(
            f"{path} does not exist", code="vuln.inventory.not_found", location=str(path)
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read {path}: {exc}", code="vuln.inventory.unreadable", location=str(path)
        ) from exc


def _with_includes(root: str, files: dict[str, str]) -> None:
    todo = [root]
    while todo and len(files) < MAX_FILES:
        current = todo.pop()
        for _kind, target in includes(current, files[current]):
            if target not in files and Path(target).is_file():
                files[target] = _read(Path(target))
                todo.append(target)


# Within one folder a lockfile says more than its manifest: the manifest is left out.
_SHADOWED_BY = {
    "pyproject.toml": ("poetry.lock", "uv.lock", "Pipfile.lock", "pylock.toml"),
    "go.sum": ("go.mod",),
    "requirements.in": ("requirements.txt",),
}


def _known(name: str) -> bool:
    low = name.lower()
    return (
        low in _BY_NAME
        or bool(_PYLOCK.match(low))
        or (low.endswith(".txt") and "requirements" in low)
        or low.endswith((".cdx.json", ".spdx.json"))
        or low in ("bom.json", "sbom.json")
    )


def discover(folder: Path) -> list[Path]:
    """The manifests and lockfiles under ``folder`` (not inside node_modules, .git, virtual
    environments or vendored trees), a lockfile taking its manifest's place."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        names = set(filenames)
        for name in sorted(filenames):
            if not _known(name):
                continue
            if any(s in names for s in _SHADOWED_BY.get(name, ())):
                continue
            found.append(Path(dirpath) / name)
            if len(found) > MAX_DISCOVERED:
                raise InputError(
                    f"{folder} holds more than {MAX_DISCOVERED} manifests",
                    code="vuln.inventory.too_many",
                    hint="Scan a smaller folder, or name the manifest files.",
                )
    return found


def read_manifest(path: Path) -> tuple[str, dict[str, str]]:
    """Read a manifest and, for requirements files, every file it includes (``-r``/``-c``).
    A missing include is left out here and reported by the parser with its file:line."""
    roots, files = read_manifests([path])
    return roots[0], files


def read_manifests(paths: list[Path]) -> tuple[list[str], dict[str, str]]:
    """Read manifests (a folder: every manifest found in it) -> (roots, file name -> text)."""
    roots: list[str] = []
    files: dict[str, str] = {}
    for path in paths:
        targets = [path]
        if path.is_dir():
            targets = discover(path)
            if not targets:
                raise NotFoundError(
                    f"{path} holds no manifest or lockfile Shieldwall reads",
                    code="vuln.inventory.not_found",
                    hint="Name the manifest file itself.",
                )
        for target in targets:
            root = os.path.normpath(str(target))
            if root in files:
                continue
            files[root] = _read(target)
            roots.append(root)
            if detect_format(root, files[root]) is ManifestFormat.REQUIREMENTS:
                _with_includes(root, files)
    if len(files) > MAX_FILES:
        raise InputError(
            f"more than {MAX_FILES} files to scan at once", code="vuln.inventory.too_many"
        )
    return roots, files


__all__ = [
    "CHECKABLE",
    "ENVIRONMENT_PREFIX",
    "NOT_PINNED",
    "Dependency",
    "Ecosystem",
    "Inventory",
    "ManifestFormat",
    "detect_format",
    "discover",
    "from_purl",
    "parse_manifest",
    "parse_package_lock",
    "parse_requirements",
    "purl_for",
    "read_manifest",
    "read_manifests",
    "snapshot_environment",
]
