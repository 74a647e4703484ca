"""``Cargo.lock`` (versions 1 to 4): every crate of the build. Crates without a ``source`` are
the workspace's own; git sources are listed as not checkable."""

from __future__ import annotations

from shieldwall.vuln.inventory._util import as_str, checked, fail, load_toml, skipped
from shieldwall.vuln.inventory.model import Ecosystem, Inventory
from shieldwall.vuln.inventory.python import _entries

CRATES = Ecosystem.CRATES
_HINT = "Regenerate it with `cargo generate-lockfile`."


def parse_cargo_lock(file: str, text: str) -> Inventory:
    fmt = "cargo_lock"
    doc = load_toml(file, text, fmt=fmt, hint=_HINT)
    inv = Inventory(source=file, files=[file], format="Cargo.lock")
    for line, item in _entries(file, text, doc, "package", fmt):
        where = f"{file}:{line}"
        name, version = as_str(item.get("name")), as_str(item.get("version"))
        if not name or version is None:
            raise fail(file, line, "a package needs a name and a version", fmt=fmt, hint=_HINT)
        source = item.get("source")
        if source is None:
            inv.add(skipped(CRATES, name, where, "a crate of this workspace, not a release"))
            continue
        if not isinstance(source, str):
            raise fail(file, line, f"package {name[:80]!r}: source must be a string", fmt=fmt)
        if not source.startswith(("registry+", "sparse+")):
            kind = source.split("+", 1)[0]
            inv.add(skipped(CRATES, name, where, f"from a {kind} source, cannot be checked"))
            continue
        inv.add(checked(CRATES, name, version, where))
    return inv
