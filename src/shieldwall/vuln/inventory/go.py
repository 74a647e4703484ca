"""Go modules: ``go.mod`` (the versions the build selects, since Go 1.17 every module of the
build is listed there) and ``go.sum`` (when it is all there is: the highest version of each
module it names, as minimal version selection would pick at most).

``replace`` directives are applied: a module replaced by another module is checked as that
module; one replaced by a local directory is listed as not checkable.
"""

from __future__ import annotations

import re

from shieldwall.vuln.inventory._util import checked, fail, physical_lines, skipped
from shieldwall.vuln.inventory.model import Ecosystem, Inventory
from shieldwall.vuln.semver import InvalidSemVerError, SemVer

GO = Ecosystem.GO
_HINT = "Run `go mod tidy` to rewrite it."
_MODULE_PATH = re.compile(r"^[A-Za-z0-9._~/+-]+$")
_DIRECTIVES = {
    "module",
    "go",
    "toolchain",
    "godebug",
    "require",
    "replace",
    "exclude",
    "retract",
    "tool",
    "ignore",
}


def _tokens(line: str) -> list[str]:
    """Split a go.mod line into tokens (quoted strings kept whole), comments dropped."""
    out: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch.isspace():
            i += 1
        elif line.startswith("//", i):
            break
        elif ch in '"`':
            end = line.find(ch, i + 1)
            if end < 0:
                raise ValueError("unterminated string")
            out.append(line[i + 1 : end])
            i = end + 1
        else:
            j = i
            while j < len(line) and not line[j].isspace() and not line.startswith("//", j):
                j += 1
            out.append(line[i:j])
            i = j
    return out


def parse_go_mod(file: str, text: str) -> Inventory:
    fmt = "go_mod"
    requires: list[tuple[int, str, str, bool]] = []  # (line, path, version, indirect)
    replaces: dict[tuple[str, str | None], tuple[int, str, str | None]] = {}
    block: str | None = None
    module_seen = False
    for number, raw in enumerate(physical_lines(text), start=1):
        try:
            toks = _tokens(raw)
        except ValueError as exc:
            raise fail(file, number, str(exc), fmt=fmt, hint=_HINT) from exc
        if not toks:
            continue
        if block is not None:
            if toks == [")"]:
                block = None
                continue
            verb, args = block, toks
        else:
            verb, args = toks[0], toks[1:]
            if verb not in _DIRECTIVES:
                raise fail(file, number, f"unknown directive {verb[:40]!r}", fmt=fmt, hint=_HINT)
            if args == ["("]:
                block = verb
                continue
        indirect = "// indirect" in raw
        if verb == "module":
            module_seen = True
        elif verb == "require":
            if len(args) != 2 or not _MODULE_PATH.match(args[0]):
                raise fail(
                    file, number, "require needs a module path and a version", fmt=fmt, hint=_HINT
                )
            requires.append((number, args[0], args[1], indirect))
        elif verb == "replace":
            if "=>" not in args:
                raise fail(file, number, "replace needs `=>`", fmt=fmt, hint=_HINT)
            k = args.index("=>")
            old, new = args[:k], args[k + 1 :]
            if len(old) not in (1, 2) or len(new) not in (1, 2):
                raise fail(
                    file, number, "replace: OLD [VERSION] => NEW [VERSION]", fmt=fmt, hint=_HINT
                )
            replaces[(old[0], old[1] if len(old) == 2 else None)] = (
                number,
                new[0],
                new[1] if len(new) == 2 else None,
            )
    if block is not None:
        raise fail(
            file, text.count("\n") + 1, f"the {block} ( block is not closed", fmt=fmt, hint=_HINT
        )
    if not module_seen:
        raise fail(file, 1, "a go.mod starts with a module directive", fmt=fmt, hint=_HINT)
    inv = Inventory(source=file, files=[file], format="go.mod")
    for number, path, version, indirect in requires:
        where = f"{file}:{number}"
        rep = replaces.get((path, version)) or replaces.get((path, None))
        if rep is not None:
            rline, new_path, new_version = rep
            if new_version is None:  # a local directory
                inv.add(
                    skipped(
                        GO,
                        path,
                        where,
                        f"replaced by the local directory {new_path[:80]} ({file}:{rline})",
                        direct=not indirect,
                    )
                )
                continue
            path, version = new_path, new_version
            where = f"{where} (replaced at {file}:{rline})"
        inv.add(checked(GO, path, version, where, direct=not indirect))
    return inv


def parse_go_sum(file: str, text: str) -> Inventory:
    fmt = "go_sum"
    best: dict[str, tuple[SemVer, str, int]] = {}
    bad: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(physical_lines(text), start=1):
        if not raw.strip():
            continue
        parts = raw.split()
        if len(parts) != 3 or not parts[2].startswith("h1:") or not _MODULE_PATH.match(parts[0]):
            raise fail(file, number, "expected `module version h1:hash`", fmt=fmt, hint=_HINT)
        path, version = parts[0], parts[1].removesuffix("/go.mod")
        try:
            parsed = SemVer.parse(version)
        except InvalidSemVerError:
            bad.setdefault(path, (version, number))
            continue
        if path not in best or best[path][0] < parsed:
            best[path] = (parsed, version, number)
    inv = Inventory(source=file, files=[file], format="go.sum")
    for path, (_, version, number) in sorted(best.items()):
        inv.add(checked(GO, path, version, f"{file}:{number}"))
    for path, (version, number) in sorted(bad.items()):
        if path not in best:
            inv.add(skipped(GO, path, f"{file}:{number}", f"not a Go version ({version[:80]})"))
    return inv
