"""pip requirements files: pins, hashes, extras, markers, ``-r``/``-c`` includes, comments and
line continuations, following pip's own reading of the format (``pip._internal.req.req_file``).

A requirement that is not pinned to one version (``==``/``===`` without a wildcard, directly
or through a constraints file) is kept with the reason "not pinned, cannot be checked"; so are
editables, direct URLs and local paths. Anything pip itself would refuse raises ``ParseError``
with ``file:line``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from shieldwall.core.errors import ParseError
from shieldwall.vuln.inventory._util import physical_lines
from shieldwall.vuln.inventory.model import Dependency, Ecosystem, Inventory

NOT_PINNED = "not pinned, cannot be checked"
MAX_INCLUDE_DEPTH = 20

_COMMENT = re.compile(r"(^|\s+)#.*$")
_HASH = re.compile(r"^(sha256|sha384|sha512|md5|sha1|sha224):[0-9a-fA-F]+$")
# Options pip accepts on a line of their own that do not name a dependency (with a value or not).
_GLOBAL_WITH_VALUE = {
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
    "--no-binary",
    "--only-binary",
    "--use-feature",
}
_GLOBAL_FLAGS = {"--pre", "--prefer-binary", "--require-hashes", "--no-index"}
_INCLUDE = {"-r": "r", "--requirement": "r", "-c": "c", "--constraint": "c"}
_EDITABLE = {"-e", "--editable"}
_PER_REQUIREMENT = {"--hash", "--global-option", "--config-settings"}


@dataclass(frozen=True, slots=True)
class _Line:
    file: str
    number: int  # the first physical line of a logical line
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.number}"


def _logical_lines(file: str, text: str) -> Iterator[_Line]:
    """Join backslash continuations and drop comments and blank lines, as pip does."""
    buf: list[str] = []
    start = 0
    for number, raw in enumerate(physical_lines(text), start=1):
        if not buf:
            start = number
        if raw.endswith("\\") and not _COMMENT.match(raw):
            buf.append(raw[:-1])
            continue
        buf.append(raw)
        line = _COMMENT.sub("", "".join(buf)).strip()
        buf = []
        if line:
            yield _Line(file, start, line)
    if buf:
        line = _COMMENT.sub("", "".join(buf)).strip()
        if line:
            yield _Line(file, start, line)


def _split_option(line: _Line) -> tuple[str, str | None]:
    """``-r x``, ``-rx``, ``--requirement x``, ``--requirement=x`` -> (option, value)."""
    text = line.text
    if text.startswith("--"):
        name, sep, rest = text.partition("=")
        if not sep:
            name, _, rest = text.partition(" ")
        return name.strip(), rest.strip() or None
    name, rest = text[:2], text[2:].strip()
    return name, rest.lstrip("=").strip() or None


def _include_target(file: str, target: str) -> str:
    return os.path.normpath(os.path.join(os.path.dirname(file), target))


def includes(file: str, text: str) -> list[tuple[str, str]]:
    """The ``-r``/``-c`` files a requirements file names: (kind "r" or "c", resolved path)."""
    out: list[tuple[str, str]] = []
    for line in _logical_lines(file, text):
        if line.text.startswith("-"):
            name, value = _split_option(line)
            if name in _INCLUDE and value:
                out.append((_INCLUDE[name], _include_target(file, value)))
    return out


def _parse_requirement(line: _Line) -> tuple[Requirement | None, Dependency]:
    """One requirement line -> (the parsed requirement if it names a package, the dependency)."""
    tokens = line.text.split()
    arg_tokens: list[str] = []
    options = tokens
    for i, token in enumerate(tokens):
        if token.startswith("-"):
            options = tokens[i:]
            break
        arg_tokens.append(token)
    else:
        options = []
    i = 0
    while i < len(options):
        name, _, value = options[i].partition("=")
        if name not in _PER_REQUIREMENT:
            raise ParseError(
                f"option {name!r} is not allowed on a requirement line",
                code="vuln.inventory.requirements",
                location=line.where,
                hint="Only --hash, --global-option and --config-settings may follow a requirement.",
            )
        if not value:
            i += 1
            value = options[i] if i < len(options) else ""
        if name == "--hash" and not _HASH.match(value):
            raise ParseError(
                f"malformed --hash value {value[:80]!r}",
                code="vuln.inventory.requirements",
                location=line.where,
                hint="Write it as --hash=sha256:<hex digest>.",
            )
        i += 1
    spec = " ".join(arg_tokens)
    try:
        req = Requirement(spec)
    except (InvalidRequirement, ValueError) as exc:
        if any(c in spec for c in "/\\") or spec.startswith("."):
            dep = Dependency(
                name=spec,
                version=None,
                ecosystem=Ecosystem.PYPI,
                location=line.where,
                skip_reason="a local path or URL, cannot be checked",
            )
            return None, dep
        raise ParseError(
            f"not a valid requirement: {exc}",
            code="vuln.inventory.requirements",
            location=line.where,
            hint="Write it as name[extras]==version ; marker (PEP 508).",
        ) from exc
    name = canonicalize_name(req.name)
    marker = str(req.marker) if req.marker else None
    if req.url:
        reason = "a direct URL reference, cannot be checked"
        return req, Dependency(
            name=name,
            version=None,
            ecosystem=Ecosystem.PYPI,
            location=line.where,
            skip_reason=reason,
            marker=marker,
        )
    pins = [
        s.version for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version
    ]
    version = pins[0] if len(pins) == 1 else None
    return req, Dependency(
        name=name,
        version=version,
        ecosystem=Ecosystem.PYPI,
        location=line.where,
        skip_reason=None if version else NOT_PINNED,
        marker=marker,
    )


def parse_requirements(root: str, files: Mapping[str, str]) -> Inventory:
    """Parse ``root`` (a key of ``files``) and the files it includes (also keys of ``files``,
    by their path resolved against the including file's folder)."""
    inventory = Inventory(source=root)
    constraints: dict[str, Dependency] = {}
    requirements: list[Dependency] = []
    seen: set[str] = set()

    def visit(file: str, *, constraint: bool, depth: int, where: str | None) -> None:
        if file in seen:
            return
        if depth > MAX_INCLUDE_DEPTH:
            raise ParseError(
                "requirements files include each other too deeply",
                code="vuln.inventory.requirements",
                location=where,
            )
        if file not in files:
            raise ParseError(
                f"included file {file!r} could not be read",
                code="vuln.inventory.include_missing",
                location=where,
                hint="Check the path after -r/-c; it is relative to the including file.",
            )
        seen.add(file)
        inventory.files.append(file)
        for line in _logical_lines(file, files[file]):
            if line.text.startswith("-"):
                name, value = _split_option(line)
                if name in _INCLUDE:
                    if not value:
                        raise ParseError(
                            f"{name} needs a file name",
                            code="vuln.inventory.requirements",
                            location=line.where,
                        )
                    visit(
                        _include_target(file, value),
                        constraint=constraint or _INCLUDE[name] == "c",
                        depth=depth + 1,
                        where=line.where,
                    )
                elif name in _EDITABLE:
                    requirements.append(
                        Dependency(
                            name=value or "",
                            version=None,
                            ecosystem=Ecosystem.PYPI,
                            location=line.where,
                            skip_reason="an editable install, cannot be checked",
                        )
                    )
                elif name in _GLOBAL_FLAGS or (name in _GLOBAL_WITH_VALUE and value):
                    continue
                else:
                    raise ParseError(
                        f"unknown or incomplete option {line.text[:80]!r}",
                        code="vuln.inventory.requirements",
                        location=line.where,
                        hint="pip would refuse this line too.",
                    )
                continue
            req, dep = _parse_requirement(line)
            if constraint:
                if req is not None and dep.version is not None:
                    constraints.setdefault(dep.name, dep)
            else:
                requirements.append(dep)

    visit(root, constraint=False, depth=0, where=None)
    seen_deps: set[tuple[str, str | None]] = set()
    for dep in requirements:
        pinned = constraints.get(dep.name) if dep.skip_reason == NOT_PINNED else None
        if pinned is not None:
            dep = Dependency(
                name=dep.name,
                version=pinned.version,
                ecosystem=dep.ecosystem,
                location=f"{dep.location} (pinned by {pinned.location})",
                marker=dep.marker,
            )
        key = (dep.name, dep.version)
        if dep.version is not None and key in seen_deps:
            continue
        seen_deps.add(key)
        inventory.dependencies.append(dep)
    return inventory
