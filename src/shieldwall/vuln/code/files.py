"""Which files a code scan reads: source files by extension, minus vendored and generated
trees. Whatever is left out for a reason a user may not expect (too large, minified, not UTF-8)
is reported as a :class:`~shieldwall.vuln.code.model.SkippedFile`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from shieldwall.core.errors import InputError, NotFoundError
from shieldwall.vuln.code.model import Language, SkippedFile

MAX_FILES = 50_000
MAX_FILE_BYTES = 2_000_000
EXTENSIONS: Mapping[str, Language] = {
    ".py": Language.PYTHON,
    ".pyw": Language.PYTHON,
    ".js": Language.JAVASCRIPT,
    ".mjs": Language.JAVASCRIPT,
    ".cjs": Language.JAVASCRIPT,
    ".jsx": Language.JAVASCRIPT,
    ".ts": Language.TYPESCRIPT,
    ".tsx": Language.TYPESCRIPT,
}
# Dependencies, virtual environments, caches and build output: not the project's own code.
EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "site-packages",
        ".eggs",
        "dist",
        "build",
    }
)


@dataclass(slots=True)
class SourceTree:
    """The files of one scan: relative '/' paths -> language, and their text when read."""

    root: Path
    files: dict[str, Language] = field(default_factory=dict)
    skipped: list[SkippedFile] = field(default_factory=list)
    _lines: dict[str, list[str]] = field(default_factory=dict)

    def by_language(self, *languages: Language) -> list[str]:
        return sorted(p for p, lang in self.files.items() if lang in languages)

    def lines(self, path: str) -> list[str]:
        """The file's lines (without line ends); undecodable bytes are replaced."""
        cached = self._lines.get(path)
        if cached is None:
            text = (self.root / path).read_bytes().decode("utf-8", errors="replace")
            cached = self._lines[path] = text.splitlines()
        return cached

    def all_lines(self) -> dict[str, list[str]]:
        return {p: self.lines(p) for p in self.files}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for lang in self.files.values():
            out[str(lang)] = out.get(str(lang), 0) + 1
        return out


def _is_venv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def collect(target: Path, *, max_files: int = MAX_FILES) -> SourceTree:
    """The source files under ``target`` (a directory or one file)."""
    if not target.exists():
        raise NotFoundError(
            f"{target} does not exist", code="vuln.code.not_found", hint="Check the path."
        )
    target = target.resolve()
    if target.is_file():
        tree = SourceTree(root=target.parent)
        lang = EXTENSIONS.get(target.suffix.lower())
        if lang is None:
            raise InputError(
                f"{target.name} is not a Python, JavaScript or TypeScript file",
                code="vuln.code.language",
                hint=f"Scan a directory, or a file ending in {', '.join(sorted(EXTENSIONS))}.",
            )
        _add(tree, target, target.name, lang)
        return tree
    tree = SourceTree(root=target)
    for dirpath, dirnames, filenames in os.walk(target):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if d not in EXCLUDED_DIRS and not _is_venv(here / d)
        )
        for name in sorted(filenames):
            lang = EXTENSIONS.get(Path(name).suffix.lower())
            if lang is None:
                continue
            path = here / name
            if path.is_symlink():
                continue  # never follow links out of the tree
            rel = PurePosixPath(path.relative_to(target).as_posix()).as_posix()
            _add(tree, path, rel, lang)
            if len(tree.files) > max_files:
                raise InputError(
                    f"{target} holds more than {max_files:,} source files",
                    code="vuln.code.too_many_files",
                    hint="Scan a smaller directory (for example the package's own source).",
                )
    return tree


def _add(tree: SourceTree, path: Path, rel: str, lang: Language) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        tree.skipped.append(
            SkippedFile(
                path=rel,
                analyser="shieldwall",
                reason=f"larger than {MAX_FILE_BYTES:,} bytes ({size:,}); likely generated",
            )
        )
        return
    if rel.endswith((".min.js", ".min.mjs")):
        tree.skipped.append(SkippedFile(path=rel, analyser="shieldwall", reason="minified file"))
        return
    tree.files[rel] = lang


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` (relative path -> text) under ``root``, refusing paths that leave it."""
    for name, text in files.items():
        rel = PurePosixPath(name.replace("\\", "/"))
        if rel.is_absolute() or ".." in rel.parts or not rel.parts or name.startswith("/"):
            raise InputError(
                f"file name {name!r} must be a relative path inside the project",
                code="vuln.code.bad_name",
            )
        dest = root.joinpath(*rel.parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
