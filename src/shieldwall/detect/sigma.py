"""Sigma rule loading with pySigma: every rule either loads or is listed with its reason.

Rules come from directories (recursively) and zips. A file is parsed as YAML (safe loader),
then by pySigma with errors collected, then each detection's condition is parsed, so that a rule
counted as loaded is one the engine can use. Nothing is dropped silently (Chainsaw's most common
complaint): :class:`RuleLoad` holds the loaded rules and a :class:`RuleFailure` for each other.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule
from sigma.exceptions import SigmaError, SigmaRuleLocation
from sigma.filters import SigmaFilter
from sigma.rule import SigmaRule

from shieldwall.core.errors import NotFoundError, ParseError

MAX_RULE_BYTES = 1 << 20
RULE_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleFailure:
    """A rule file (or one document in it) that did not load, and why."""

    path: str
    reason: str
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}" + (f":{self.column}" if self.column else "")

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column, "reason": self.reason}


@dataclass(slots=True)
class RuleLoad:
    """What loading found: rules, correlation rules, filters (meta rules) and failures."""

    rules: list[SigmaRule] = field(default_factory=list)
    correlations: list[SigmaCorrelationRule] = field(default_factory=list)
    filters: list[SigmaFilter] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
    files: int = 0

    @property
    def loaded(self) -> int:
        return len(self.rules) + len(self.correlations) + len(self.filters)

    @property
    def total(self) -> int:
        return self.loaded + len(self.failures)

    @property
    def load_rate(self) -> float:
        return self.loaded / self.total if self.total else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "loaded": self.loaded,
            "rules": len(self.rules),
            "correlations": len(self.correlations),
            "filters": len(self.filters),
            "failed": len(self.failures),
            "load_rate": round(self.load_rate, 6),
            "failures": [f.to_json() for f in self.failures],
        }


def _rule_sources(path: Path) -> Iterator[tuple[str, bytes | None, str | None]]:
    """(name, content or None, error) for every rule file under a directory or in a zip."""
    if path.is_dir():
        for file in sorted(path.rglob("*")):
            if file.is_file() and file.suffix.lower() in RULE_SUFFIXES:
                try:
                    with file.open("rb") as fh:
                        data = fh.read(MAX_RULE_BYTES + 1)
                except OSError as exc:
                    yield str(file), None, f"cannot read: {exc}"
                    continue
                yield str(file), data, None
        return
    if not path.is_file():
        raise NotFoundError(f"no such file or directory: {path}", code="detect.rules.not_found")
    if path.suffix.lower() in RULE_SUFFIXES:
        with path.open("rb") as fh:
            yield str(path), fh.read(MAX_RULE_BYTES + 1), None
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ParseError(
            f"neither a rule directory, a rule file nor a readable zip: {exc}",
            code="detect.rules.bad_source",
            location=str(path),
        ) from exc
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not info.filename.lower().endswith(RULE_SUFFIXES):
                continue
            name = f"{path}!{info.filename}"
            if info.file_size > MAX_RULE_BYTES:
                yield name, None, f"larger than {MAX_RULE_BYTES} bytes"
                continue
            try:
                with archive.open(info) as member:
                    yield name, member.read(MAX_RULE_BYTES + 1), None
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                yield name, None, f"cannot read from the zip: {exc}"


def _failure(name: str, error: Exception) -> RuleFailure:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        reason = f"invalid YAML: {error.problem or error}"
        return RuleFailure(path=name, reason=reason, line=mark.line + 1, column=mark.column + 1)
    if isinstance(error, SigmaError):
        src = error.source
        message = str(error.args[0]) if error.args else type(error).__name__
        return RuleFailure(
            path=name,
            reason=f"{type(error).__name__}: {message}",
            line=src.line if src is not None else None,
            column=src.char if src is not None else None,
        )
    return RuleFailure(path=name, reason=f"{type(error).__name__}: {error}")


def _merge(name: str, failures: list[RuleFailure]) -> RuleFailure:
    """One failure per rule, with every reason pySigma gave."""
    located = next((f for f in failures if f.line is not None), failures[0])
    reasons = list(dict.fromkeys(f.reason for f in failures))
    return RuleFailure(
        path=name, reason="; ".join(reasons), line=located.line, column=located.column
    )


def _load_file(name: str, data: bytes, into: RuleLoad) -> None:
    if len(data) > MAX_RULE_BYTES:
        into.failures.append(RuleFailure(path=name, reason=f"larger than {MAX_RULE_BYTES} bytes"))
        return
    try:
        docs = list(yaml.safe_load_all(data.decode("utf-8-sig")))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        into.failures.append(_failure(name, exc))
        return
    if not any(isinstance(d, dict) for d in docs):
        into.failures.append(RuleFailure(path=name, reason="no Sigma rule in this file"))
        return
    try:
        collection = SigmaCollection.from_dicts(
            docs,
            collect_errors=True,
            source=SigmaRuleLocation(Path(name)),
            collect_filters=True,
            resolve_references=False,
        )
    except (SigmaError, ValueError, TypeError, KeyError, AttributeError) as exc:
        into.failures.append(_failure(name, exc))
        return
    reported: set[int] = set()
    for item in [*collection.rules, *collection.filters]:
        if item.errors:
            reported.update(id(e) for e in item.errors)
            into.failures.append(_merge(name, [_failure(name, e) for e in item.errors]))
            continue
        if isinstance(item, SigmaRule):
            try:
                for condition in item.detection.parsed_condition:
                    condition.parse()
            except (SigmaError, ValueError) as exc:
                into.failures.append(_failure(name, exc))
                continue
            into.rules.append(item)
        elif isinstance(item, SigmaCorrelationRule):
            into.correlations.append(item)
        else:
            into.filters.append(item)
    into.failures.extend(_failure(name, e) for e in collection.errors if id(e) not in reported)


def load_rules(*paths: Path) -> RuleLoad:
    """Load every rule under ``paths`` (directories, zips or rule files). A missing path raises
    NotFoundError; a rule that does not load is a :class:`RuleFailure`, never an exception."""
    load = RuleLoad()
    for path in paths:
        for name, data, error in _rule_sources(path):
            load.files += 1
            if data is None:
                load.failures.append(RuleFailure(path=name, reason=error or "unreadable"))
                continue
            _load_file(name, data, load)
    return load
