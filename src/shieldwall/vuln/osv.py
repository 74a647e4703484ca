"""OSV advisories: import per-ecosystem zip exports into the store, and match dependencies.

Matching follows the OSV schema exactly: a version is affected when it is in an ``affected``
entry's ``versions`` list or inside one of its ECOSYSTEM/SEMVER ranges, evaluated by sorting the
events and walking them (``introduced`` opens, ``fixed`` closes at, ``last_affected`` closes
after; ``limit`` caps the range). Versions are ordered by the ecosystem's own rules (PEP 440 for
PyPI, SemVer for npm). Withdrawn records are skipped; records that are aliases of each other are
merged into one finding. Records that do not parse are counted and listed, not fatal.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from packaging.utils import canonicalize_name
from sqlalchemy import Engine, delete, func, insert, select, tuple_

from shieldwall.core.clock import Clock
from shieldwall.core.errors import InputError, NotFoundError, ParseError
from shieldwall.core.types import Severity
from shieldwall.store.schema import vuln_advisory, vuln_import, vuln_package
from shieldwall.vuln.cvss import cvss3_base_score, level_of_score, level_of_word
from shieldwall.vuln.inventory.model import Dependency, Ecosystem, Inventory
from shieldwall.vuln.versions import Ordered as _Ordered
from shieldwall.vuln.versions import parse_version as parse_version

MAX_MEMBER_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 2_000_000
_RANGE_TYPES = {"ECOSYSTEM", "SEMVER", "GIT"}
_EVENTS = {"introduced", "fixed", "last_affected", "limit"}


class AdvisoryFormatError(ParseError):
    """An OSV record that does not follow the schema closely enough to be matched."""


class AdvisorySource(Protocol):
    """Where advisories come from: the local database, or the OSV API (``vuln.osv_api``)."""

    def describe(self) -> str: ...

    def imported(self, ecosystem: str) -> bool: ...

    def advisories_for(self, ecosystem: str, names: Iterable[str]) -> dict[str, list[Advisory]]:
        """Every advisory naming each package (normalized name -> advisories)."""
        ...


def normalize_name(ecosystem: str, name: str) -> str:
    """PEP 503 for PyPI; other ecosystems' names are compared as written."""
    return canonicalize_name(name) if ecosystem == Ecosystem.PYPI else name


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Range:
    type: str
    events: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Affected:
    ecosystem: str
    name: str  # normalized
    versions: tuple[str, ...] = ()
    ranges: tuple[Range, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Advisory:
    id: str
    modified: str
    aliases: tuple[str, ...] = ()
    withdrawn: str | None = None
    affected: tuple[Affected, ...] = ()
    severity: tuple[dict[str, str], ...] = ()
    summary: str = ""
    details: str = ""
    published: str = ""
    references: tuple[str, ...] = ()
    cwes: tuple[str, ...] = ()
    db_severity: str = ""  # database_specific.severity (GitHub's word), when given

    @property
    def score(self) -> float | None:
        scores = [cvss3_base_score(s["score"]) for s in self.severity]
        known = [x for x in scores if x is not None]
        return max(known) if known else None

    @property
    def level(self) -> Severity | None:
        score = self.score
        if score is not None:
            return level_of_score(score)
        return level_of_word(self.db_severity) if self.db_severity else None


def _fail(record_id: str, why: str) -> AdvisoryFormatError:
    return AdvisoryFormatError(why, code="vuln.osv.record", location=record_id)


def _strs(value: Any, what: str, rid: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(rid, f"{what} must be a list of strings")
    return tuple(value)


def parse_record(doc: Any) -> Advisory:
    """An OSV JSON record -> ``Advisory``; raises ``AdvisoryFormatError`` saying what is wrong."""
    if not isinstance(doc, dict):
        raise _fail("?", "a record is a JSON object")
    rid = doc.get("id")
    if not isinstance(rid, str) or not rid:
        raise _fail("?", "the record has no id")
    if not isinstance(doc.get("modified"), str):
        raise _fail(rid, "the record has no modified time")
    withdrawn = doc.get("withdrawn")
    if withdrawn is not None and not isinstance(withdrawn, str):
        raise _fail(rid, "withdrawn must be a time")
    affected_in = doc.get("affected") or []
    if not isinstance(affected_in, list):
        raise _fail(rid, "affected must be a list")
    affected: list[Affected] = []
    for a in affected_in:
        pkg = a.get("package") if isinstance(a, dict) else None
        if not isinstance(pkg, dict):
            raise _fail(rid, "an affected entry has no package")
        eco, name = pkg.get("ecosystem"), pkg.get("name")
        if not isinstance(eco, str) or not isinstance(name, str) or not eco or not name:
            raise _fail(rid, "an affected package needs an ecosystem and a name")
        ranges: list[Range] = []
        ranges_in = a.get("ranges") or []
        if not isinstance(ranges_in, list):
            raise _fail(rid, "ranges must be a list")
        for r in ranges_in:
            if not isinstance(r, dict) or r.get("type") not in _RANGE_TYPES:
                raise _fail(rid, "a range needs a type of ECOSYSTEM, SEMVER or GIT")
            events_in = r.get("events")
            if not isinstance(events_in, list) or not events_in:
                raise _fail(rid, "a range needs events")
            events: list[tuple[str, str]] = []
            for e in events_in:
                if not isinstance(e, dict) or len(e) != 1:
                    raise _fail(rid, "each event has exactly one of introduced/fixed/...")
                ((kind, value),) = e.items()
                if kind not in _EVENTS or not isinstance(value, str):
                    raise _fail(rid, f"unknown event {kind!r}")
                events.append((kind, value))
            ranges.append(Range(type=r["type"], events=tuple(events)))
        affected.append(
            Affected(
                ecosystem=eco,
                name=normalize_name(eco, name),
                versions=_strs(a.get("versions"), "versions", rid),
                ranges=tuple(ranges),
            )
        )
    severity = doc.get("severity") or []
    if not isinstance(severity, list):
        raise _fail(rid, "severity must be a list")
    sev = tuple(
        {"type": str(s.get("type", "")), "score": str(s.get("score", ""))}
        for s in severity
        if isinstance(s, dict)
    )
    summary = doc.get("summary")
    details = doc.get("details")
    published = doc.get("published")
    refs = doc.get("references") or []
    if not isinstance(refs, list):
        raise _fail(rid, "references must be a list")
    urls = tuple(r["url"] for r in refs if isinstance(r, dict) and isinstance(r.get("url"), str))[
        :8
    ]
    dbs = doc.get("database_specific")
    cwes: tuple[str, ...] = ()
    db_severity = ""
    if isinstance(dbs, dict):
        raw_cwes = dbs.get("cwe_ids")
        if isinstance(raw_cwes, list):
            cwes = tuple(c for c in raw_cwes if isinstance(c, str))[:10]
        if isinstance(dbs.get("severity"), str):
            db_severity = dbs["severity"]
    return Advisory(
        id=rid,
        modified=doc["modified"],
        aliases=_strs(doc.get("aliases"), "aliases", rid),
        withdrawn=withdrawn,
        affected=tuple(affected),
        severity=sev,
        summary=summary if isinstance(summary, str) else "",
        details=details[:4000] if isinstance(details, str) else "",
        published=published if isinstance(published, str) else "",
        references=urls,
        cwes=cwes,
        db_severity=db_severity,
    )


# -- matching --------------------------------------------------------------------------------


@dataclass(slots=True)
class RangeResult:
    affected: bool = False
    fixed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def range_affects(ecosystem: str, rng: Range, version: _Ordered) -> RangeResult:
    """OSV's evaluation of one ECOSYSTEM/SEMVER range (GIT ranges are not version ranges)."""
    out = RangeResult()
    zero: list[str] = []  # kinds of events at version "0" (introduced: "0")
    bounded: list[tuple[_Ordered, str]] = []
    limits: list[_Ordered | None] = []  # None: limit "*"
    try:
        for kind, value in rng.events:
            if kind == "introduced" and value == "0":
                zero.append(kind)
            elif kind == "limit":
                limits.append(None if value == "*" else parse_version(ecosystem, value))
            else:
                bounded.append((parse_version(ecosystem, value), kind))
    except InputError as exc:
        out.problems.append(f"range not evaluated: {exc.message}")
        return out
    if limits and not any(b is None or version < b for b in limits):
        return out
    affected = bool(zero)
    for bound, kind in sorted(bounded, key=lambda x: x[0]):
        if kind == "introduced":
            if not version < bound:
                affected = True
        elif kind == "fixed":
            if not version < bound:
                affected = False
        elif kind == "last_affected" and bound < version:
            affected = False
    out.affected = affected
    if affected:
        out.fixed = [v for k, v in rng.events if k == "fixed"]
    return out


def _in_versions(ecosystem: str, versions: Sequence[str], text: str, parsed: _Ordered) -> bool:
    if text in versions:
        return True
    if ecosystem != Ecosystem.PYPI:
        return False
    for v in versions:  # PEP 440 equality: 1.0 == 1.0.0
        try:
            if parse_version(ecosystem, v) == parsed:
                return True
        except InputError:
            continue
    return False


@dataclass(slots=True)
class Match:
    advisory: Advisory
    fixed: list[str]
    problems: list[str]


def match_advisory(adv: Advisory, dep: Dependency, parsed: _Ordered) -> Match | None:
    """Whether ``adv`` affects ``dep`` (at its parsed version); None when it does not."""
    if adv.withdrawn or dep.version is None:
        return None
    hit = False
    fixed: list[str] = []
    problems: list[str] = []
    eco = str(dep.ecosystem)
    for a in adv.affected:
        if a.ecosystem != eco or a.name != normalize_name(eco, dep.name):
            continue
        entry_hit = False
        for rng in a.ranges:
            if rng.type == "GIT":
                continue
            res = range_affects(eco, rng, parsed)
            problems.extend(f"{adv.id}: {p}" for p in res.problems)
            if res.affected:
                entry_hit = True
                fixed.extend(res.fixed)
        if not entry_hit and a.versions:
            entry_hit = _in_versions(eco, a.versions, dep.version, parsed)
            if entry_hit:
                fixed.extend(
                    v for r in a.ranges if r.type != "GIT" for k, v in r.events if k == "fixed"
                )
        hit = hit or entry_hit
    return Match(advisory=adv, fixed=fixed, problems=problems) if hit else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One vulnerability of one dependency: advisories that alias each other, merged."""

    id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]
    severity: tuple[dict[str, str], ...]
    summary: str = ""
    level: Severity | None = None
    score: float | None = None
    references: tuple[str, ...] = ()
    cwes: tuple[str, ...] = ()
    modified: str = ""
    published: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "aliases": list(self.aliases),
            "fixed_in": list(self.fixed_in),
            "severity": list(self.severity),
            "summary": self.summary,
            "level": str(self.level) if self.level else "unknown",
            "score": self.score,
            "references": list(self.references),
            "cwes": list(self.cwes),
            "modified": self.modified,
            "published": self.published,
        }


def _sort_versions(ecosystem: str, versions: Iterable[str]) -> tuple[str, ...]:
    def key(v: str) -> tuple[int, Any, str]:
        try:
            return (0, parse_version(ecosystem, v), v)
        except InputError:
            return (1, None, v)

    unique = sorted(set(versions))
    try:
        return tuple(sorted(unique, key=key))
    except TypeError:  # unparseable ones mixed in: they go last, by text
        return tuple(unique)


_LEVEL_RANK = {
    Severity.INFORMATIONAL: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


def merge_aliases(ecosystem: str, matches: Sequence[Match]) -> list[Finding]:
    """Group matches whose ids and aliases overlap (union-find), one finding per group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in matches:
        for alias in m.advisory.aliases:
            parent[find(alias)] = find(m.advisory.id)
    groups: dict[str, list[Match]] = {}
    for m in matches:
        groups.setdefault(find(m.advisory.id), []).append(m)
    findings: list[Finding] = []
    for group in groups.values():
        ids = sorted(m.advisory.id for m in group)
        names = {m.advisory.id for m in group} | {a for m in group for a in m.advisory.aliases}
        severity: list[dict[str, str]] = []
        for m in group:
            severity.extend(s for s in m.advisory.severity if s not in severity)
        scores = [m.advisory.score for m in group if m.advisory.score is not None]
        levels = [m.advisory.level for m in group if m.advisory.level is not None]
        refs: list[str] = []
        for m in group:
            refs.extend(r for r in m.advisory.references if r not in refs)
        findings.append(
            Finding(
                id=ids[0],
                aliases=tuple(sorted(names - {ids[0]})),
                fixed_in=_sort_versions(ecosystem, (v for m in group for v in m.fixed)),
                severity=tuple(severity),
                summary=next((m.advisory.summary for m in group if m.advisory.summary), ""),
                level=max(levels, key=_LEVEL_RANK.__getitem__) if levels else None,
                score=max(scores) if scores else None,
                references=tuple(refs[:8]),
                cwes=tuple(sorted({c for m in group for c in m.advisory.cwes})),
                modified=max(m.advisory.modified for m in group),
                published=min(
                    (m.advisory.published for m in group if m.advisory.published), default=""
                ),
            )
        )
    return sorted(findings, key=lambda f: f.id)


def _utc(ts: datetime) -> datetime:
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)  # SQLite drops the zone


# -- the local database ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportReport:
    source: str
    ecosystem: str
    records: int
    withdrawn: int
    failed: int
    failures: tuple[dict[str, str], ...]
    imported_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ecosystem": self.ecosystem,
            "records": self.records,
            "withdrawn": self.withdrawn,
            "failed": self.failed,
            "failures": list(self.failures),
            "imported_at": self.imported_at,
        }


class AdvisoryDB:
    """The advisories imported into the SQL store."""

    def describe(self) -> str:
        return "the local advisory database"

    def __init__(self, engine: Engine, *, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def import_zip(self, path: Path) -> ImportReport:
        """Replace one ecosystem's advisories with those of an OSV export zip."""
        try:
            data = path.read_bytes()
            zf = zipfile.ZipFile(path)
        except FileNotFoundError as exc:
            raise NotFoundError(
                f"{path} does not exist", code="vuln.db.not_found", location=str(path)
            ) from exc
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError(
                f"{path} is not a readable zip: {exc}",
                code="vuln.db.bad_zip",
                location=str(path),
                hint="Download an export such as https://osv-vulnerabilities.storage.googleapis"
                ".com/PyPI/all.zip",
            ) from exc
        rows: list[tuple[Advisory, str]] = []
        failures: list[dict[str, str]] = []
        with zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise InputError(f"{path} has too many members", code="vuln.db.too_large")
            for member in members:
                if member.file_size > MAX_MEMBER_BYTES:
                    failures.append({"member": member.filename, "reason": "record too large"})
                    continue
                try:
                    raw = zf.read(member).decode("utf-8")
                    adv = parse_record(json.loads(raw))
                except (UnicodeDecodeError, json.JSONDecodeError, zipfile.BadZipFile) as exc:
                    failures.append({"member": member.filename, "reason": f"not JSON: {exc}"})
                    continue
                except AdvisoryFormatError as exc:
                    failures.append({"member": member.filename, "reason": str(exc)})
                    continue
                rows.append((adv, raw))
        counts = Counter(a.ecosystem for adv, _ in rows for a in adv.affected)
        if not counts:
            raise InputError(
                f"{path} holds no usable OSV records ({len(failures)} failed)",
                code="vuln.db.empty_export",
                location=str(path),
            )
        ecosystem = counts.most_common(1)[0][0]
        now = self._clock.now()
        withdrawn = sum(1 for adv, _ in rows if adv.withdrawn)
        index = {
            (ecosystem, a.name, adv.id)
            for adv, _ in rows
            for a in adv.affected
            if a.ecosystem == ecosystem
        }
        with self._engine.begin() as conn:
            for table in (vuln_package, vuln_advisory, vuln_import):
                conn.execute(delete(table).where(table.c.ecosystem == ecosystem))
            seen: set[str] = set()
            batch = []
            for adv, raw in rows:
                if adv.id in seen:
                    continue
                seen.add(adv.id)
                batch.append(
                    {
                        "ecosystem": ecosystem,
                        "id": adv.id,
                        "modified": adv.modified[:40],
                        "withdrawn": adv.withdrawn[:40] if adv.withdrawn else None,
                        "raw": raw,
                    }
                )
            conn.execute(insert(vuln_advisory), batch)
            conn.execute(
                insert(vuln_package),
                [{"ecosystem": e, "name": n, "advisory_id": i} for e, n, i in sorted(index)],
            )
            conn.execute(
                insert(vuln_import),
                {
                    "ecosystem": ecosystem,
                    "source": path.name,
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "imported_at": now,
                    "records": len(batch),
                    "withdrawn": withdrawn,
                    "failed": len(failures),
                    "failures": json.dumps(failures),
                },
            )
        return ImportReport(
            source=path.name,
            ecosystem=ecosystem,
            records=len(batch),
            withdrawn=withdrawn,
            failed=len(failures),
            failures=tuple(failures),
            imported_at=now.isoformat(),
        )

    def status(self) -> list[dict[str, Any]]:
        with self._engine.connect() as conn:
            imports = conn.execute(select(vuln_import).order_by(vuln_import.c.ecosystem)).all()
            packages: dict[str, int] = dict(
                conn.execute(
                    select(
                        vuln_package.c.ecosystem, func.count(func.distinct(vuln_package.c.name))
                    ).group_by(vuln_package.c.ecosystem)
                ).all()
            )
        return [
            {
                "ecosystem": r.ecosystem,
                "source": r.source,
                "sha256": r.sha256,
                "imported_at": _utc(r.imported_at).isoformat(),
                "records": r.records,
                "withdrawn": r.withdrawn,
                "failed": r.failed,
                "packages": packages.get(r.ecosystem, 0),
            }
            for r in imports
        ]

    def imported(self, ecosystem: str) -> bool:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(vuln_import.c.records).where(vuln_import.c.ecosystem == ecosystem)
            ).first()
        return row is not None and row.records > 0

    def advisories_for(self, ecosystem: str, names: Iterable[str]) -> dict[str, list[Advisory]]:
        """Advisories by normalized package name, for the names asked about."""
        wanted = sorted({normalize_name(ecosystem, n) for n in names})
        out: dict[str, list[Advisory]] = {n: [] for n in wanted}
        if not wanted:
            return out
        with self._engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = conn.execute(
                    select(vuln_package.c.name, vuln_advisory.c.raw)
                    .join(
                        vuln_advisory,
                        tuple_(vuln_advisory.c.ecosystem, vuln_advisory.c.id)
                        == tuple_(vuln_package.c.ecosystem, vuln_package.c.advisory_id),
                    )
                    .where(vuln_package.c.ecosystem == ecosystem, vuln_package.c.name.in_(chunk))
                ).all()
                for name, raw in rows:
                    out[name].append(parse_record(json.loads(raw)))
        return out


# -- scanning --------------------------------------------------------------------------------


def vulns_of(
    ecosystem: str,
    dep: Dependency,
    advisories: Sequence[Advisory],
    warnings: list[str] | None = None,
) -> list[Finding]:
    """The findings of one dependency against its package's advisories (raises
    ``InputError`` when its version cannot be ordered)."""
    parsed = parse_version(ecosystem, dep.version or "")
    matches = []
    for adv in advisories:
        m = match_advisory(adv, dep, parsed)
        if m is not None:
            matches.append(m)
            if warnings is not None:
                warnings.extend(m.problems)
    return merge_aliases(ecosystem, matches)


def scan_inventory(inventory: Inventory, db: AdvisorySource) -> dict[str, Any]:
    """Match every dependency against an advisory source: the JSON the CLI contract names.

    A dependency that could not be checked by mistake (an ecosystem with no advisories in the
    source, a version that cannot be ordered) is an error, so the scan exits 2, never 0."""
    errors: list[dict[str, Any]] = []
    warnings: list[str] = []
    by_eco: dict[str, list[Dependency]] = {}
    for dep in inventory.checkable:
        by_eco.setdefault(str(dep.ecosystem), []).append(dep)
    missing = [eco for eco in by_eco if not db.imported(eco)]
    if missing and len(missing) == len(by_eco):
        eco = missing[0]
        raise InputError(
            f"{db.describe()} has no {eco} advisories, so nothing could be checked",
            code="vuln.db.empty",
            hint=f"Import the OSV export first: shieldwall vuln db import {eco}.zip",
        )
    findings: dict[int, list[Finding]] = {}
    for eco, deps in by_eco.items():
        if eco in missing:
            errors.append(
                {
                    "code": "vuln.db.empty",
                    "message": f"{db.describe()} has no {eco} advisories: {len(deps)} {eco} "
                    f"dependencies not checked (import {eco}.zip)",
                    "location": deps[0].location,
                }
            )
            continue
        advisories = db.advisories_for(eco, (d.name for d in deps))
        for dep in deps:
            try:
                found = vulns_of(
                    eco, dep, advisories.get(normalize_name(eco, dep.name), []), warnings
                )
            except InputError as exc:
                errors.append(
                    {
                        "code": "vuln.scan.version",
                        "message": f"{dep.name} {dep.version}: {exc.message}; not checked",
                        "location": dep.location,
                    }
                )
                continue
            findings[id(dep)] = found
    deps_out = []
    for dep in inventory.dependencies:
        row = dep.to_json()
        row["vulns"] = [f.to_json() for f in findings.get(id(dep), [])]
        deps_out.append(row)
    vulnerable = sum(1 for d in deps_out if d["vulns"])
    unchecked = sum(len(by_eco[e]) for e in missing)
    return {
        "source": inventory.source,
        "format": inventory.format,
        "advisories": db.describe(),
        "dependencies": deps_out,
        "errors": errors,
        "warnings": sorted(set(warnings)),
        "summary": {
            "dependencies": len(deps_out),
            "checked": len(inventory.checkable)
            - unchecked
            - sum(1 for e in errors if e["code"] == "vuln.scan.version"),
            "skipped": len(inventory.skipped),
            "vulnerable": vulnerable,
            "vulns": sum(len(d["vulns"]) for d in deps_out),
        },
    }
