"""``Gemfile.lock`` (Bundler): the gems under ``GEM`` are registry releases; those under
``GIT`` and ``PATH`` are listed as not checkable. A platform suffix (``1.13.10-x86_64-linux``)
is not part of the version, as Bundler reads it."""

from __future__ import annotations

import re

from shieldwall.vuln.inventory._util import checked, fail, physical_lines, skipped
from shieldwall.vuln.inventory.model import Ecosystem, Inventory

GEMS = Ecosystem.RUBYGEMS
_HINT = "Regenerate it with `bundle lock`."
_SPEC = re.compile(
    r"^ {4}(?P<name>[^ ()]+)(?: \((?P<version>[^-()]*)(?:-(?P<platform>[^()]*))?\))?$"
)
_DEP = re.compile(r"^ {6}\S")
_SECTIONS = {
    "GEM",
    "GIT",
    "PATH",
    "PLUGIN SOURCE",
    "PLATFORMS",
    "DEPENDENCIES",
    "RUBY VERSION",
    "BUNDLED WITH",
    "CHECKSUMS",
}


def parse_gemfile_lock(file: str, text: str) -> Inventory:
    fmt = "gemfile_lock"
    inv = Inventory(source=file, files=[file], format="Gemfile.lock")
    section: str | None = None
    in_specs = False
    for number, raw in enumerate(physical_lines(text), start=1):
        if not raw.strip():
            in_specs = False
            continue
        if not raw[0].isspace():
            section = raw.strip()
            if section not in _SECTIONS:
                raise fail(file, number, f"unknown section {section[:40]!r}", fmt=fmt, hint=_HINT)
            in_specs = False
            continue
        if section is None:
            raise fail(file, number, "an indented line before any section", fmt=fmt, hint=_HINT)
        if section not in ("GEM", "GIT", "PATH", "PLUGIN SOURCE"):
            continue
        if raw == "  specs:":
            in_specs = True
            continue
        if raw.startswith("  ") and not raw.startswith("    "):
            in_specs = False  # remote:, revision:, branch: ...
            continue
        if not in_specs:
            raise fail(file, number, "a gem listed outside `specs:`", fmt=fmt, hint=_HINT)
        if _DEP.match(raw):
            continue  # a dependency's requirement of the spec above
        m = _SPEC.match(raw)
        if m is None or m.group("version") is None:
            raise fail(
                file,
                number,
                f"expected `    name (version)`, got {raw.strip()[:80]!r}",
                fmt=fmt,
                hint=_HINT,
            )
        where = f"{file}:{number}"
        name, version = m.group("name"), m.group("version")
        if section != "GEM":
            inv.add(
                skipped(GEMS, name, where, f"from a {section.lower()} source, cannot be checked")
            )
            continue
        inv.add(checked(GEMS, name, version, where))
    return inv
