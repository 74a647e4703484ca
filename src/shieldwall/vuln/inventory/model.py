"""What an inventory is: the dependencies a manifest or lockfile names, each with a package URL,
and the ones that cannot be checked (kept as values with a reason, never silently dropped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from packageurl import PackageURL


class Ecosystem(StrEnum):
    """OSV ecosystem names. The first six have a version ordering here (``vuln.versions``);
    the others come from SBOMs and are listed as not checkable."""

    PYPI = "PyPI"
    NPM = "npm"
    GO = "Go"
    CRATES = "crates.io"
    RUBYGEMS = "RubyGems"
    PACKAGIST = "Packagist"
    MAVEN = "Maven"
    NUGET = "NuGet"
    UNKNOWN = "unknown"  # an SBOM entry without a purl, or of a purl type with no ecosystem


CHECKABLE = frozenset(
    {
        Ecosystem.PYPI,
        Ecosystem.NPM,
        Ecosystem.GO,
        Ecosystem.CRATES,
        Ecosystem.RUBYGEMS,
        Ecosystem.PACKAGIST,
    }
)

# purl type <-> OSV ecosystem
PURL_TYPES: dict[str, Ecosystem] = {
    "pypi": Ecosystem.PYPI,
    "npm": Ecosystem.NPM,
    "golang": Ecosystem.GO,
    "cargo": Ecosystem.CRATES,
    "gem": Ecosystem.RUBYGEMS,
    "composer": Ecosystem.PACKAGIST,
    "maven": Ecosystem.MAVEN,
    "nuget": Ecosystem.NUGET,
}
_TYPE_OF = {eco: t for t, eco in PURL_TYPES.items()}
_SLASHED = {Ecosystem.NPM, Ecosystem.GO, Ecosystem.PACKAGIST}  # names with a namespace part


def purl_for(ecosystem: Ecosystem, name: str, version: str | None) -> str:
    """The package URL of ``name`` at ``version`` (npm scopes and Go paths as namespaces)."""
    if ecosystem is Ecosystem.UNKNOWN:
        if name.startswith("pkg:"):
            return name  # kept as the SBOM wrote it
        return PackageURL(type="generic", name=name or "unknown", version=version).to_string()
    ptype = _TYPE_OF[ecosystem]
    namespace: str | None = None
    if ecosystem in _SLASHED and "/" in name:
        namespace, _, name = name.rpartition("/")
    elif ecosystem is Ecosystem.MAVEN and ":" in name:
        namespace, _, name = name.partition(":")
    return PackageURL(type=ptype, namespace=namespace, name=name, version=version).to_string()


def from_purl(purl: str) -> tuple[Ecosystem | None, str, str | None]:
    """(ecosystem or None when the type has none here, package name as OSV writes it, version).
    Raises ``ValueError`` when ``purl`` is not a package URL."""
    p = PackageURL.from_string(purl)
    eco = PURL_TYPES.get(p.type)
    if eco is Ecosystem.MAVEN:
        name = f"{p.namespace}:{p.name}" if p.namespace else p.name
    else:
        name = f"{p.namespace}/{p.name}" if p.namespace else p.name
    return eco, name, p.version


@dataclass(frozen=True, slots=True, kw_only=True)
class Dependency:
    """One package at one version (``version`` is None when it cannot be checked)."""

    name: str
    version: str | None
    ecosystem: Ecosystem
    location: str  # file:line where it was found
    skip_reason: str | None = None
    marker: str | None = None
    extras: tuple[str, ...] = ()
    direct: bool | None = None  # None: the format does not say
    dev: bool = False

    @property
    def purl(self) -> str:
        return purl_for(self.ecosystem, self.name, self.version)

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
        if self.extras:
            out["extras"] = list(self.extras)
        if self.direct is not None:
            out["direct"] = self.direct
        if self.dev:
            out["dev"] = True
        if self.skip_reason:
            out["skip_reason"] = self.skip_reason
        return out


@dataclass(slots=True, kw_only=True)
class Inventory:
    """The dependencies of one manifest (and the files it includes)."""

    source: str
    dependencies: list[Dependency] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    format: str = ""
    _seen: set[tuple[str, str, str | None]] = field(default_factory=set, repr=False)

    @property
    def checkable(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.version is not None]

    @property
    def skipped(self) -> list[Dependency]:
        return [d for d in self.dependencies if d.version is None]

    def add(self, dep: Dependency) -> None:
        """Append unless the same (ecosystem, name, version) is already listed; entries that
        cannot be checked are always kept (each says why)."""
        key = (str(dep.ecosystem), dep.name, dep.version)
        if dep.version is not None and key in self._seen:
            return
        self._seen.add(key)
        self.dependencies.append(dep)
