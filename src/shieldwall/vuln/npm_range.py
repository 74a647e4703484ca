"""npm version ranges (node-semver's ``Range``), to tell whether an upgraded package still
satisfies every package that depends on it.

Supports ``||``, hyphen ranges (``1.2 - 2.3.4``), X-ranges (``1.x``, ``1.2``, ``*``, ``""``),
tilde, caret and the comparators ``< <= > >= =``, desugared as node-semver does (``^0.2.3`` is
``>=0.2.3 <0.3.0-0``). A prerelease satisfies a range only when one of its comparators has a
prerelease on the same ``major.minor.patch`` (node-semver without ``includePrerelease``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shieldwall.core.errors import InputError
from shieldwall.vuln.semver import SemVer

_PARTIAL = re.compile(
    r"^\s*v?=?\s*(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?"
    r"(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$"
)
_COMPARATOR = re.compile(r"^(<=|>=|<|>|=|\^|~>?)?\s*(.*)$")
MAX_RANGE_CHARS = 1024


class InvalidRangeError(InputError):
    """Not an npm version range (a git URL, a tag, a file path...)."""


@dataclass(frozen=True, slots=True)
class Comparator:
    op: str  # "<", "<=", ">", ">=", "=" or "" (any)
    version: SemVer | None

    def test(self, v: SemVer) -> bool:
        if self.version is None:
            return True
        match self.op:
            case "<":
                return v < self.version
            case "<=":
                return v <= self.version
            case ">":
                return v > self.version
            case ">=":
                return v >= self.version
            case _:
                return v == self.version


def _bad(text: str) -> InvalidRangeError:
    return InvalidRangeError(f"not an npm version range: {text[:80]!r}", code="vuln.npm.range")


def _sv(major: int, minor: int, patch: int, pre: tuple[int | str, ...] = ()) -> SemVer:
    return SemVer(major, minor, patch, pre)


_ZERO_PRE: tuple[int | str, ...] = (0,)


def _partial(text: str) -> tuple[int | None, int | None, int | None, tuple[int | str, ...]]:
    m = _PARTIAL.match(text)
    if m is None:
        raise _bad(text)

    def num(s: str | None) -> int | None:
        return None if s is None or s in "xX*" else int(s)

    major, minor, patch = num(m.group(1)), num(m.group(2)), num(m.group(3))
    if major is None:
        minor = patch = None
    elif minor is None:
        patch = None
    pre: tuple[int | str, ...] = ()
    if m.group(4) and patch is not None:
        pre = tuple(int(p) if p.isdigit() else p for p in m.group(4).split("."))
    return major, minor, patch, pre


def _desugar(token: str) -> list[Comparator]:
    m = _COMPARATOR.match(token)
    if m is None:  # pragma: no cover - the pattern matches every string
        raise _bad(token)
    op, rest = m.group(1) or "", m.group(2)
    major, minor, patch, pre = _partial(rest)
    if major is None:  # "*", "x", ">=*"
        if op in ("<", ">"):
            return [Comparator("<", _sv(0, 0, 0, _ZERO_PRE))]  # matches nothing
        return [Comparator("", None)]
    if op.startswith("~"):
        lo = _sv(major, minor or 0, patch or 0, pre)
        hi = (
            _sv(major + 1, 0, 0, _ZERO_PRE)
            if minor is None
            else _sv(major, minor + 1, 0, _ZERO_PRE)
        )
        return [Comparator(">=", lo), Comparator("<", hi)]
    if op == "^":
        lo = _sv(major, minor or 0, patch or 0, pre)
        if major > 0 or minor is None:
            hi = _sv(major + 1, 0, 0, _ZERO_PRE)
        elif minor > 0 or patch is None:
            hi = _sv(0, minor + 1, 0, _ZERO_PRE)
        else:
            hi = _sv(0, 0, patch + 1, _ZERO_PRE)
        return [Comparator(">=", lo), Comparator("<", hi)]
    if minor is None or patch is None:  # an X-range with or without an operator
        lo = _sv(major, minor or 0, 0)
        nxt = (
            _sv(major + 1, 0, 0, _ZERO_PRE)
            if minor is None
            else _sv(major, minor + 1, 0, _ZERO_PRE)
        )
        match op:
            case "" | "=":
                return [Comparator(">=", lo), Comparator("<", nxt)]
            case ">":
                return [Comparator(">=", _sv(nxt.major, nxt.minor, 0))]
            case ">=":
                return [Comparator(">=", lo)]
            case "<":
                return [Comparator("<", _sv(lo.major, lo.minor, 0, _ZERO_PRE))]
            case _:  # "<="
                return [Comparator("<", nxt)]
    return [Comparator(op or "=", _sv(major, minor, patch, pre))]


def _hyphen(lo_text: str, hi_text: str) -> list[Comparator]:
    lmaj, lmin, lpat, lpre = _partial(lo_text)
    out: list[Comparator] = []
    if lmaj is not None:
        out.append(Comparator(">=", _sv(lmaj, lmin or 0, lpat or 0, lpre)))
    hmaj, hmin, hpat, hpre = _partial(hi_text)
    if hmaj is None:
        return out or [Comparator("", None)]
    if hmin is None:
        out.append(Comparator("<", _sv(hmaj + 1, 0, 0, _ZERO_PRE)))
    elif hpat is None:
        out.append(Comparator("<", _sv(hmaj, hmin + 1, 0, _ZERO_PRE)))
    else:
        out.append(Comparator("<=", _sv(hmaj, hmin, hpat, hpre)))
    return out


@dataclass(frozen=True, slots=True)
class NpmRange:
    text: str
    sets: tuple[tuple[Comparator, ...], ...]

    @classmethod
    def parse(cls, text: str) -> NpmRange:
        if len(text) > MAX_RANGE_CHARS:
            raise _bad(text)
        spec = text.strip()
        if spec.startswith("npm:"):  # an alias: npm:real-name@^1.2.3
            spec = spec.rpartition("@")[2]
        sets: list[tuple[Comparator, ...]] = []
        for part in spec.split("||"):
            part = re.sub(r"(<=|>=|<|>|=|\^|~>?)\s+", r"\1", part.strip())
            hy = re.fullmatch(r"(\S+)\s+-\s+(\S+)", part)
            if hy:
                sets.append(tuple(_hyphen(hy.group(1), hy.group(2))))
                continue
            comps: list[Comparator] = []
            for token in part.split() or ["*"]:
                comps.extend(_desugar(token))
            sets.append(tuple(comps))
        return cls(text=text, sets=tuple(sets))

    def satisfied_by(self, v: SemVer) -> bool:
        for comps in self.sets:
            if not all(c.test(v) for c in comps):
                continue
            if not v.prerelease:
                return True
            for c in comps:
                w = c.version
                if (
                    w is not None
                    and w.prerelease
                    and w.prerelease != _ZERO_PRE
                    and (w.major, w.minor, w.patch) == (v.major, v.minor, v.patch)
                ):
                    return True
        return False
