"""SemVer 2.0.0 versions and their precedence, as OSV's SEMVER ranges use them (npm).

Small on purpose: parse ``MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`` (a leading ``v`` or ``=`` is
accepted, as npm does) and order by SemVer section 11; build metadata does not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from shieldwall.core.errors import InputError

_SEMVER = re.compile(
    r"^[v=]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
    re.ASCII,
)


class InvalidSemVerError(InputError):
    """A version string that is not SemVer 2.0.0."""


@total_ordering
@dataclass(frozen=True, slots=True)
class SemVer:
    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> SemVer:
        m = _SEMVER.match(text.strip())
        if m is None:
            raise InvalidSemVerError(
                f"not a SemVer version: {text[:80]!r}", code="vuln.semver.invalid"
            )
        pre: tuple[int | str, ...] = ()
        if m.group(4):
            pre = tuple(int(p) if p.isdigit() else p for p in m.group(4).split("."))
        return cls(int(m.group(1)), int(m.group(2)), int(m.group(3)), pre)

    def _key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        # A release sorts after all its prereleases; numeric identifiers sort before alphanumeric.
        ids = tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, ids)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, SemVer):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return core + ("-" + ".".join(str(p) for p in self.prerelease) if self.prerelease else "")
