"""``composer.lock``: ``packages`` and ``packages-dev``. Development branches (``dev-main``,
``1.x-dev``) are not releases and are listed as not checkable."""

from __future__ import annotations

import json

from shieldwall.vuln.inventory._util import (
    LineFinder,
    as_str,
    checked,
    fail,
    line_of,
    load_json,
    skipped,
)
from shieldwall.vuln.inventory.model import Ecosystem, Inventory

PACKAGIST = Ecosystem.PACKAGIST
_HINT = "Regenerate it with `composer update --lock`."


def parse_composer_lock(file: str, text: str) -> Inventory:
    fmt = "composer_lock"
    doc = load_json(file, text, fmt=fmt, hint=_HINT)
    if not isinstance(doc, dict) or "packages" not in doc:
        raise fail(file, 1, 'a composer.lock is a JSON object with "packages"', fmt=fmt, hint=_HINT)
    inv = Inventory(source=file, files=[file], format="composer.lock")
    for section in ("packages", "packages-dev"):
        items = doc.get(section) or []
        finder = LineFinder(text, text.find(json.dumps(section)))
        if not isinstance(items, list):
            raise fail(
                file, line_of(text, json.dumps(section)), f"{section!r} must be a list", fmt=fmt
            )
        for item in items:
            name = as_str(item.get("name")) if isinstance(item, dict) else None
            if not isinstance(item, dict) or not name:
                raise fail(
                    file,
                    line_of(text, json.dumps(section)),
                    f"an entry of {section!r} has no name",
                    fmt=fmt,
                )
            line = finder.line(f'"name": {json.dumps(name)}')
            where = f"{file}:{line}"
            version = as_str(item.get("version"))
            if version is None:
                raise fail(file, line, f"package {name[:80]!r} has no version", fmt=fmt, hint=_HINT)
            dev = section == "packages-dev"
            if version.startswith("dev-") or version.endswith("-dev"):
                inv.add(
                    skipped(
                        PACKAGIST,
                        name,
                        where,
                        f"a development branch ({version[:80]}), cannot be checked",
                        dev=dev,
                    )
                )
                continue
            inv.add(checked(PACKAGIST, name, version, where, dev=dev))
    return inv
