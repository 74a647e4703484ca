"""What an inventory is: the dependencies a manifest or lockfile names, each with a package URL,
and the ones that cannot be checked (kept as values with a reason, never silently dropped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from packageurl import PackageURL


class Ecosystem(StrEnum):
    """OSV ecosystem names."""

    PYPI = "PyPI"
    NPM = "npm"


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependency:
    """One package at one version (``version`` is None when it cannot be checked)."""

    name: str
    version: str | None
    ecosystem: Ecosystem
    location: str  # file:line where it was found
    skip_reason: str | None = None
    marker: str | None = None

    @property
    def purl(self) -> str:
        match self.ecosystem:
            case Ecosystem.PYPI:
                p = PackageURL(type="pypi", name=self.name, version=self.version)
            case Ecosystem.NPM:
                ns, _, name = self.name.rpartition("/")
                p = PackageURL(type="npm", namespace=ns or None, name=name, version=self.version)
        return p.to_string()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "ecosystem": str(self.ecosystem),
            "purl": self.purl,
            "location": self.location,
        }
        if self.marker:
            out["marker"] = self.marker
        if self.skip_reason:
            out["skip_reason"] = self.skip_reason
        return out


@dataclass(slots=True, kw_only=True)
class Inventory:
    """The dependencies of one manifest (and the files it includes)."""

    source: str
    dependencies: list[Dependency] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def checkable(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.version is not None]

    @property
    def skipped(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.version is None]
