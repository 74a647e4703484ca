"""Sigma rule loading with pySigma: every rule either loads or is listed with its reason.

Rules come from directories (recursively) and zips. A file is parsed as YAML (safe loader),
then by pySigma with errors collected, then each detection's condition is parsed and converted
to the engine's IR (:mod:`shieldwall.detect.sigma_ir`), so that a rule counted as loaded is one
the engine can use. Nothing is dropped silently (Chainsaw's most common complaint):
:class:`RuleLoad` holds the loaded rules and a :class:`RuleFailure` for each other.

With a ``cache`` file, each rule file's IR is kept under the hash of its bytes, and a file seen
before is not parsed again (pySigma costs ~2 s a run for SigmaHQ's rules; the cache ~0.1 s).
Files holding correlation rules are always parsed again: the engine uses pySigma's objects.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import sigma
import sigma.modifiers as sigma_modifiers
import yaml
from sigma.collection import SigmaCollection
from sigma.correlations import SigmaCorrelationRule
from sigma.exceptions import SigmaError, SigmaRuleLocation
from sigma.rule import SigmaRule

from shieldwall.core.errors import NotFoundError, ParseError
from shieldwall.detect.sigma_ir import (
    IR_VERSION,
    FilterIR,
    RuleIR,
    UnsupportedError,
    rule_ir,
    to_ir,
)

MAX_RULE_BYTES = 1 << 20
# libyaml's safe loader when PyYAML was built with it: the pure-Python one spends ~2 ms a rule,
# three quarters of loading SigmaHQ's 3,100 rules.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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

    rules: list[RuleIR] = field(default_factory=list)
    correlations: list[SigmaCorrelationRule] = field(default_factory=list)
    filters: list[FilterIR] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)
    files: int = 0
    #: Files whose parse came from the cache.
    cached: int = 0

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


def _parse_file(name: str, data: bytes) -> RuleLoad:
    """One rule file -> its rules, filters, correlations and failures."""
    into = RuleLoad()
    if len(data) > MAX_RULE_BYTES:
        into.failures.append(RuleFailure(path=name, reason=f"larger than {MAX_RULE_BYTES} bytes"))
        return into
    try:
        docs = list(yaml.load_all(data.decode("utf-8-sig"), Loader=_SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        into.failures.append(_failure(name, exc))
        return into
    if not any(isinstance(d, dict) for d in docs):
        into.failures.append(RuleFailure(path=name, reason="no Sigma rule in this file"))
        return into
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
        return into
    reported: set[int] = set()
    for item in [*collection.rules, *collection.filters]:
        if item.errors:
            reported.update(id(e) for e in item.errors)
            into.failures.append(_merge(name, [_failure(name, e) for e in item.errors]))
            continue
        try:
            if isinstance(item, SigmaRule):
                trees = [condition.parse() for condition in item.detection.parsed_condition]
                into.rules.append(rule_ir(item, trees, name))
            elif isinstance(item, SigmaCorrelationRule):
                into.correlations.append(item)
            else:
                refs = item.filter.rules
                tree = item.filter.parsed_condition[0].parse()
                into.filters.append(
                    FilterIR(
                        title=item.title,
                        path=name,
                        product=item.logsource.product,
                        category=item.logsource.category,
                        service=item.logsource.service,
                        rules=None if isinstance(refs, str) else tuple(r.reference for r in refs),
                        condition=to_ir(tree),
                    )
                )
        except UnsupportedError as exc:
            into.failures.append(RuleFailure(path=name, reason=f"not supported: {exc}"))
        except (SigmaError, ValueError, IndexError) as exc:
            into.failures.append(_failure(name, exc))
    into.failures.extend(_failure(name, e) for e in collection.errors if id(e) not in reported)
    return into


def _spec_aliases() -> None:
    """The Sigma specification names ``utf16le`` as an alias of ``wide``; pySigma 2.0 knows only
    ``wide``. Registered on first load (not at import), idempotent."""
    sigma_modifiers.modifier_mapping.setdefault("utf16le", sigma_modifiers.SigmaWideModifier)


def _cache_key() -> str:
    return f"ir{IR_VERSION}-pysigma{getattr(sigma, '__version__', '')}"


def _read_cache(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}  # no cache yet, or a damaged one: parse everything again
    if not isinstance(data, dict) or data.get("key") != _cache_key():
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_cache(path: Path, files: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-cache-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(orjson.dumps({"key": _cache_key(), "files": files}))
        Path(tmp).replace(path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)  # a cache we cannot write only costs speed


def _entry(one: RuleLoad, digest: str) -> dict[str, Any]:
    return {
        "sha": digest,
        "rules": [r.to_json() for r in one.rules],
        "filters": [f.to_json() for f in one.filters],
        "failures": [f.to_json() for f in one.failures],
        "correlations": bool(one.correlations),
    }


def _from_entry(entry: dict[str, Any]) -> RuleLoad:
    return RuleLoad(
        rules=[RuleIR.from_json(r) for r in entry["rules"]],
        filters=[FilterIR.from_json(f) for f in entry["filters"]],
        failures=[
            RuleFailure(path=f["path"], reason=f["reason"], line=f["line"], column=f["column"])
            for f in entry["failures"]
        ],
    )


def load_rules(*paths: Path, cache: Path | None = None) -> RuleLoad:
    """Load every rule under ``paths`` (directories, zips or rule files). A missing path raises
    NotFoundError; a rule that does not load is a :class:`RuleFailure`, never an exception.
    ``cache`` is a file where parsed rules are kept between runs (created when missing)."""
    _spec_aliases()
    load = RuleLoad()
    old = _read_cache(cache)
    new: dict[str, Any] = {}
    changed = False
    for path in paths:
        for name, data, error in _rule_sources(path):
            load.files += 1
            if data is None:
                load.failures.append(RuleFailure(path=name, reason=error or "unreadable"))
                continue
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            entry = old.get(name)
            if entry is not None and entry.get("sha") == digest and not entry["correlations"]:
                one = _from_entry(entry)
                load.cached += 1
            else:
                one = _parse_file(name, data)
            if entry is not None and entry.get("sha") == digest:
                new[name] = entry
            else:
                new[name] = _entry(one, digest)
                changed = True
            load.rules.extend(one.rules)
            load.filters.extend(one.filters)
            load.correlations.extend(one.correlations)
            load.failures.extend(one.failures)
    if cache is not None and changed:
        _write_cache(cache, {**old, **new})
    return load
