"""Inventory: what a manifest or lockfile says is installed. One module per format.

``parse_manifest(root, files)`` is pure (text in, inventory out) so the scan capability needs no
filesystem access; ``read_manifest(path)`` is the one place that reads files, for the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from shieldwall.core.errors import InputError, NotFoundError, ParseError
from shieldwall.vuln.inventory.model import Dependency, Ecosystem, Inventory
from shieldwall.vuln.inventory.npm_lock import parse_package_lock
from shieldwall.vuln.inventory.requirements import NOT_PINNED, includes, parse_requirements

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 50


class ManifestFormat(StrEnum):
    REQUIREMENTS = "requirements"
    PACKAGE_LOCK = "package-lock"


def detect_format(name: str, text: str) -> ManifestFormat:
    base = os.path.basename(name).lower()
    if base in ("package-lock.json", "npm-shrinkwrap.json"):
        return ManifestFormat.PACKAGE_LOCK
    if base.endswith((".txt", ".in")) or "requirements" in base or "constraints" in base:
        return ManifestFormat.REQUIREMENTS
    if base.endswith(".json") and '"lockfileVersion"' in text[:4096]:
        return ManifestFormat.PACKAGE_LOCK
    raise ParseError(
        f"cannot tell what kind of manifest {base!r} is",
        code="vuln.inventory.unknown_format",
        location=name,
        hint="Slice 1 reads requirements files (*.txt, *.in) and package-lock.json.",
    )


def parse_manifest(root: str, files: Mapping[str, str]) -> Inventory:
    """Parse ``files[root]`` (and, for requirements, the files it includes)."""
    if root not in files:
        raise InputError(f"{root!r} is not among the files given", code="vuln.inventory.root")
    match detect_format(root, files[root]):
        case ManifestFormat.REQUIREMENTS:
            return parse_requirements(root, files)
        case ManifestFormat.PACKAGE_LOCK:
            return parse_package_lock(root, files[root])


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


def read_manifest(path: Path) -> tuple[str, dict[str, str]]:
    """Read a manifest and, for requirements files, every file it includes (``-r``/``-c``).
    A missing include is left out here and reported by the parser with its file:line."""
    if path.is_dir():
        for candidate in ("package-lock.json", "requirements.txt"):
            if (path / candidate).is_file():
                path = path / candidate
                break
        else:
            raise NotFoundError(
                f"{path} holds no package-lock.json or requirements.txt",
                code="vuln.inventory.not_found",
                hint="Name the manifest file itself.",
            )
    root = os.path.normpath(str(path))
    files = {root: _read(path)}
    if detect_format(root, files[root]) is ManifestFormat.REQUIREMENTS:
        todo = [root]
        while todo and len(files) < MAX_FILES:
            current = todo.pop()
            for _kind, target in includes(current, files[current]):
                if target not in files and Path(target).is_file():
                    files[target] = _read(Path(target))
                    todo.append(target)
    return root, files


__all__ = [
    "NOT_PINNED",
    "Dependency",
    "Ecosystem",
    "Inventory",
    "ManifestFormat",
    "detect_format",
    "parse_manifest",
    "parse_package_lock",
    "parse_requirements",
    "read_manifest",
]
