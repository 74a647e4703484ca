"""Software bills of materials: CycloneDX JSON (1.2-1.6) and SPDX 2.x JSON. Each component or
package is read by its package URL; one without a purl, or of a type Shieldwall cannot order
(Maven, NuGet...), is listed as not checkable with that reason."""

from __future__ import annotations

import json
from typing import Any

from shieldwall.vuln.inventory._util import (
    MAX_DEPTH,
    LineFinder,
    checked,
    fail,
    line_of,
    load_json,
    skipped,
)
from shieldwall.vuln.inventory.model import CHECKABLE, Dependency, Ecosystem, Inventory, from_purl

_CDX_HINT = "Produce it with a CycloneDX tool (e.g. `cyclonedx-py environment`)."
_SPDX_HINT = "Produce it with an SPDX tool (e.g. `syft -o spdx-json`)."


def _from_purl(purl: str, file: str, line: int, label: str, fmt: str) -> Dependency:
    where = f"{file}:{line}"
    try:
        eco, name, version = from_purl(purl)
    except ValueError as exc:
        raise fail(file, line, f"{label}: not a package URL {purl[:80]!r}: {exc}", fmt=fmt) from exc
    if eco is None:  # a purl type with no OSV ecosystem here (deb, oci, generic...)
        return skipped(Ecosystem.UNKNOWN, purl, where, "a package type Shieldwall cannot check")
    if eco not in CHECKABLE:
        return skipped(eco, name, where, f"Shieldwall cannot order {eco} versions yet")
    if not version:
        return skipped(eco, name, where, "the SBOM gives no version")
    if eco is Ecosystem.PYPI:
        from packaging.utils import canonicalize_name

        name = canonicalize_name(name)
    return checked(eco, name, version, where)


def parse_cyclonedx(file: str, text: str) -> Inventory:
    fmt = "cyclonedx"
    doc = load_json(file, text, fmt=fmt, hint=_CDX_HINT)
    if not isinstance(doc, dict) or doc.get("bomFormat") != "CycloneDX":
        raise fail(
            file, 1, 'a CycloneDX JSON SBOM has "bomFormat": "CycloneDX"', fmt=fmt, hint=_CDX_HINT
        )
    inv = Inventory(source=file, files=[file], format="CycloneDX")
    finder = LineFinder(text)

    def walk(components: Any, depth: int) -> None:
        if components is None:
            return
        if not isinstance(components, list) or depth > MAX_DEPTH:
            raise fail(file, line_of(text, '"components"'), '"components" must be a list', fmt=fmt)
        for comp in components:
            if not isinstance(comp, dict):
                raise fail(
                    file, line_of(text, '"components"'), "a component must be an object", fmt=fmt
                )
            purl = comp.get("purl")
            label = str(comp.get("name", "?"))[:80]
            if isinstance(purl, str) and purl:
                line = finder.line(json.dumps(purl)[1:-1])
                inv.add(_from_purl(purl, file, line, label, fmt))
            elif comp.get("type") in ("library", "framework", None):
                line = line_of(text, json.dumps(label)) if label != "?" else 1
                inv.add(_no_purl(label, f"{file}:{line}"))
            walk(comp.get("components"), depth + 1)

    walk(doc.get("components"), 0)
    return inv


def _no_purl(label: str, where: str) -> Dependency:
    return Dependency(
        name=label,
        version=None,
        ecosystem=Ecosystem.UNKNOWN,
        location=where,
        skip_reason="no package URL in the SBOM, so its ecosystem is unknown; cannot be checked",
    )


def parse_spdx(file: str, text: str) -> Inventory:
    fmt = "spdx"
    doc = load_json(file, text, fmt=fmt, hint=_SPDX_HINT)
    if not isinstance(doc, dict) or not str(doc.get("spdxVersion", "")).startswith("SPDX-2"):
        raise fail(
            file,
            1,
            'an SPDX 2 JSON document has "spdxVersion": "SPDX-2.x"',
            fmt=fmt,
            hint=_SPDX_HINT,
        )
    packages = doc.get("packages") or []
    if not isinstance(packages, list):
        raise fail(file, line_of(text, '"packages"'), '"packages" must be a list', fmt=fmt)
    inv = Inventory(source=file, files=[file], format="SPDX")
    finder = LineFinder(text)
    for pkg in packages:
        if not isinstance(pkg, dict):
            raise fail(file, line_of(text, '"packages"'), "a package must be an object", fmt=fmt)
        label = str(pkg.get("name", "?"))[:80]
        refs = pkg.get("externalRefs") or []
        if not isinstance(refs, list):
            raise fail(
                file,
                line_of(text, json.dumps(label)),
                f"{label}: externalRefs must be a list",
                fmt=fmt,
            )
        purls: list[str] = [
            r["referenceLocator"]
            for r in refs
            if isinstance(r, dict)
            and r.get("referenceType") == "purl"
            and isinstance(r.get("referenceLocator"), str)
        ]
        spdx_id = str(pkg.get("SPDXID", ""))
        if not purls:
            if spdx_id.startswith("SPDXRef-DOCUMENT") or pkg.get("primaryPackagePurpose") in (
                "APPLICATION",
                "OPERATING-SYSTEM",
                "SOURCE",
                "FILE",
            ):
                continue  # the described thing itself, not a dependency
            line = line_of(text, json.dumps(spdx_id)) if spdx_id else 1
            inv.add(_no_purl(label, f"{file}:{line}"))
            continue
        for purl in purls:
            line = finder.line(json.dumps(purl)[1:-1])
            inv.add(_from_purl(purl, file, line, label, fmt))
    return inv
