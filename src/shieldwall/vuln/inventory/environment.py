"""The installed Python environment: every distribution ``importlib.metadata`` sees.

``snapshot_environment(python)`` is the CLI's side (it runs that interpreter, or reads this
one); ``parse_environment`` reads the snapshot as text, so the scan capability stays pure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from shieldwall.core.errors import InputError
from shieldwall.vuln.inventory._util import checked, fail, load_json
from shieldwall.vuln.inventory.model import Ecosystem, Inventory

PREFIX = "environment:"

_SCRIPT = """
import json, sys
from importlib import metadata
out = []
for d in metadata.distributions():
    name = d.metadata["Name"]
    if name:
        out.append({"name": name, "version": d.version, "path": str(getattr(d, "_path", ""))})
print(json.dumps({"python": sys.version.split()[0], "prefix": sys.prefix, "distributions": out}))
"""


def _here() -> dict[str, Any]:
    dists = []
    for d in metadata.distributions():
        name = d.metadata["Name"]
        if name:
            dists.append({"name": name, "version": d.version, "path": str(getattr(d, "_path", ""))})
    return {"python": sys.version.split()[0], "prefix": sys.prefix, "distributions": dists}


def snapshot_environment(python: Path | None = None, *, timeout: float = 60.0) -> tuple[str, str]:
    """(root name, snapshot text) of ``python``'s environment (this interpreter's if None)."""
    if python is None:
        doc = _here()
    else:
        try:
            done = subprocess.run(  # noqa: S603 - the local owner names their own interpreter
                [str(python), "-I", "-c", _SCRIPT],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(
                f"cannot run {python}: {exc}",
                code="vuln.inventory.environment",
                hint="Name a Python interpreter, e.g. .venv/bin/python.",
            ) from exc
        if done.returncode != 0:
            raise InputError(
                f"{python} failed to list its packages: {done.stderr.strip()[-300:]}",
                code="vuln.inventory.environment",
            )
        doc = json.loads(done.stdout)
    return f"{PREFIX}{doc['prefix']}", json.dumps(doc, indent=1)


def parse_environment(file: str, text: str) -> Inventory:
    fmt = "environment"
    doc = load_json(file, text, fmt=fmt)
    dists = doc.get("distributions") if isinstance(doc, dict) else None
    if not isinstance(dists, list):
        raise fail(file, 1, 'an environment snapshot has a "distributions" list', fmt=fmt)
    inv = Inventory(source=file, files=[file], format="environment")
    for i, d in enumerate(dists):
        if not isinstance(d, dict) or not isinstance(d.get("name"), str):
            raise fail(file, 1, f"distribution {i} has no name", fmt=fmt)
        version = d.get("version")
        if not isinstance(version, str):
            raise fail(file, 1, f"distribution {d['name'][:80]!r} has no version", fmt=fmt)
        where = str(d.get("path") or file)
        inv.add(checked(Ecosystem.PYPI, canonicalize_name(d["name"]), version, where))
    inv.dependencies.sort(key=lambda dep: dep.name)
    return inv
