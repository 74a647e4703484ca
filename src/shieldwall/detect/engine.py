"""The Sigma engine: rules compiled once into Python matchers, events matched in one pass.

Why our own engine and not a pySigma backend to SQL (Zircolite's design, one table scan per
rule): a scan per rule costs ``rules x events``; here each event meets only the rules indexed
under its ``(channel, event id)`` (about 1,400 of SigmaHQ's 3,100 Windows rules are
process-creation rules, most events meet a few dozen), and a rule's value lists become one
``str.endswith(tuple)`` / set lookup / literal scan instead of one comparison per value.
pySigma still parses every rule and its condition (sigma.py, into the IR of sigma_ir.py); this
module compiles that IR: it is the "backend". An Aho-Corasick prefilter over the literals a
rule cannot match without picks, per event, the few rules worth evaluating.

Semantics follow the Sigma specification (v2.1):

- Strings match case-insensitively unless ``|cased``; ``*`` and ``?`` are wildcards; a value
  list is OR, ``|all`` makes it AND; expansions (``windash``, ``base64offset``) are OR.
- ``re`` is an unanchored search with the rule's flags (``i``, ``m``, ``s``).
- ``null`` matches a missing or empty field; ``exists`` tests presence; ``cidr`` parses the
  field as an IP; ``gt``/``gte``/``lt``/``lte`` compare numbers; ``fieldref`` compares two
  fields; keywords search the raw line (``_raw``) or, without one, every field value.
- Placeholders (``|expand``) take the values a caller supplies; an unresolved placeholder is a
  wildcard, like pySigma's ``WildcardPlaceholderTransformation`` (documented, not silent: the
  compile notes list such rules).
- Filters (meta rules) are ANDed onto the rules they name whose logsource they cover, as
  pySigma's ``SigmaFilter.apply_on_rule`` does.
- Correlations (event_count, value_count, temporal, temporal_ordered, value_sum, value_avg,
  value_percentile, value_median) run over the matches of their rules, grouped by their
  ``group-by`` fields, in real sliding windows sorted by event time.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

import ahocorasick
from sigma.correlations import (
    CorrelationConditionAND,
    CorrelationConditionItem,
    CorrelationConditionNOT,
    CorrelationConditionOR,
    SigmaCorrelationConditionOperator,
    SigmaCorrelationRule,
    SigmaCorrelationType,
    SigmaExtendedCorrelationCondition,
    SigmaRuleReference,
)

from shieldwall.detect.alerts import Alert, Level, RuleInfo, attack_from_tags
from shieldwall.detect.events import Event
from shieldwall.detect.logsources import Target, targets
from shieldwall.detect.sigma import RuleFailure, RuleLoad
from shieldwall.detect.sigma_ir import MULTI, SINGLE, RuleIR

#: A compiled condition: (event fields, per-event cache of lower-cased values) -> matched?
Matcher = Callable[[Mapping[str, Any], dict[str, Any]], bool]
#: Prefilter keys: (field, lower-case literal the field must contain) or, for fields in
#: EXACT_FIELDS, (field, EXACT + the value it must equal).
Need = frozenset[tuple[str, str]]
EXACT: Final = "\x00"
EXACT_FIELDS: Final = frozenset({"EventID"})
#: Value lists at least this long are scanned with one automaton.
AUTOMATON_FROM: Final = 4
#: Literals shorter than this select too little to be worth a prefilter key.
MIN_LITERAL: Final = 3

RAW_FIELD: Final = "_raw"
#: The pseudo field of keyword searches: every value of the event (or its raw line), joined.
ALL_TEXT: Final = "\x00text"
_MISSING: Final = object()
#: Fields an alert always carries when the event has them (besides the ones its rule reads).
IDENTITY_FIELDS: Final = (
    "EventID",
    "Channel",
    "Computer",
    "Provider_Name",
    "User",
    "SubjectUserName",
    "TargetUserName",
    "Image",
    "CommandLine",
    "ParentImage",
    "ParentCommandLine",
    "TargetFilename",
    "TargetObject",
    "DestinationIp",
    "SourceIp",
    "c-ip",
    "cs-uri-query",
)
_USER_FIELDS: Final = ("User", "TargetUserName", "SubjectUserName", "user", "userIdentity.arn")


class CompileError(Exception):
    """A rule pySigma parsed but that this engine cannot evaluate (reason in the message)."""


# --------------------------------------------------------------------------------------------
# Field access


def _lower_of(fields: Mapping[str, Any], name: str, cache: dict[str, Any]) -> Any:
    """The field's value as lower-case text (a tuple of them for a list), None when absent."""
    found = cache.get(name, _MISSING)
    if found is not _MISSING:
        return found
    value = fields.get(name)
    out: Any
    if value is None:
        out = _joined_lower(fields) if name == ALL_TEXT else None
    elif value.__class__ is str:
        out = value.lower()
    elif isinstance(value, list | tuple):
        out = tuple(_text(v).lower() for v in value if v is not None)
    else:
        out = _text(value).lower()
    cache[name] = out
    return out


def _joined_lower(fields: Mapping[str, Any]) -> str:
    """All the event's text, lower-cased, values separated by NUL (which no keyword holds):
    what keyword (full-text) rules search, in one string."""
    return "\x00".join(_all_text(fields)).lower()


def _raw_of(fields: Mapping[str, Any], name: str) -> Any:
    """Like :func:`_lower_of` without lower-casing (for ``|cased`` values)."""
    value = fields.get(name)
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, list | tuple):
        return tuple(_text(v) for v in value if v is not None)
    return _text(value)


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value if isinstance(value, str) else str(value)


def _any_text(got: Any, test: Callable[[str], bool]) -> bool:
    if got is None:
        return False
    if got.__class__ is str:
        return test(got)
    return any(test(v) for v in got)


# --------------------------------------------------------------------------------------------
# String values


@dataclass(slots=True)
class _StringSet:
    """The string values of one field under one OR: matched together."""

    equals: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    suffixes: list[str] = field(default_factory=list)
    contains: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)

    def add(self, parts: Sequence[str | int], *, lower: bool) -> None:
        """Add one value: text parts and wildcards (MULTI ``*``, SINGLE ``?``)."""

        def text(items: Sequence[str | int]) -> str:
            joined = "".join(str(p) for p in items)
            return joined.lower() if lower else joined

        if all(isinstance(p, str) for p in parts):
            self.equals.add(text(parts))
            return
        inner = parts[1:-1]
        only_str = all(isinstance(p, str) for p in inner)
        if len(parts) >= 2 and parts[0] == MULTI and parts[-1] == MULTI and only_str:
            self.contains.append(text(inner))
        elif parts[-1] == MULTI and all(isinstance(p, str) for p in parts[:-1]):
            self.prefixes.append(text(parts[:-1]))
        elif parts[0] == MULTI and all(isinstance(p, str) for p in parts[1:]):
            self.suffixes.append(text(parts[1:]))
        else:
            self.patterns.append(_glob_regex(parts))

    def matcher(self, *, lower: bool) -> Callable[[str], bool]:
        equals = frozenset(self.equals)
        prefixes = tuple(self.prefixes)
        suffixes = tuple(self.suffixes)
        contains = tuple(dict.fromkeys(self.contains))
        flags = re.DOTALL | (re.IGNORECASE if lower else 0)
        pattern = (
            re.compile("|".join(f"(?:{p})" for p in self.patterns), flags)
            if self.patterns
            else None
        )
        if "" in contains:  # "*" alone or "**": anything
            return lambda s: True
        checks: list[Callable[[str], bool]] = []
        if equals:
            checks.append(equals.__contains__)
        if prefixes:
            checks.append(lambda s: s.startswith(prefixes))
        if suffixes:
            checks.append(lambda s: s.endswith(suffixes))
        if len(contains) == 1:
            needle = contains[0]
            checks.append(lambda s: needle in s)
        elif len(contains) < AUTOMATON_FROM:
            checks.append(lambda s: any(n in s for n in contains))
        elif contains:  # one Aho-Corasick pass instead of one scan per value
            automaton = ahocorasick.Automaton()
            for needle in contains:
                automaton.add_word(needle, None)
            automaton.make_automaton()
            scan = automaton.iter
            checks.append(lambda s: next(scan(s), None) is not None)
        if pattern is not None:
            fullmatch = pattern.fullmatch
            checks.append(lambda s: fullmatch(s) is not None)
        if len(checks) == 1:
            return checks[0]
        return lambda s: any(check(s) for check in checks)


def _glob_regex(parts: Sequence[str | int]) -> str:
    out = []
    for part in parts:
        if part == MULTI:
            out.append(".*")
        elif part == SINGLE:
            out.append(".")
        else:
            out.append(re.escape(str(part)))
    return "".join(out)


def _glob_parts(text: str) -> list[Any]:
    """A placeholder value is a Sigma value: ``*`` and ``?`` are wildcards, ``\\`` escapes."""
    out: list[Any] = []
    chars: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            chars.append(char if char in "*?\\" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "*?":
            if chars:
                out.append("".join(chars))
                chars = []
            out.append(MULTI if char == "*" else SINGLE)
        else:
            chars.append(char)
    if escaped:
        chars.append("\\")
    if chars:
        out.append("".join(chars))
    return out


def _string_parts(
    parts: Sequence[Any], placeholders: Mapping[str, Sequence[str]]
) -> list[list[Any]]:
    """The value's variants: each placeholder replaced by each of its values (a product), or by
    a wildcard when no value was supplied; adjacent text merged, repeated ``*`` collapsed."""
    if not any(isinstance(p, dict) for p in parts):
        variants: list[list[Any]] = [list(parts)]
    else:
        variants = [[]]
        for part in parts:
            if isinstance(part, dict):
                values = placeholders.get(part["ph"])
                if not values:
                    variants = [[*v, MULTI] for v in variants]
                else:
                    variants = [[*v, *_glob_parts(text)] for v in variants for text in values]
            else:
                variants = [[*v, part] for v in variants]
    merged: list[list[Any]] = []
    for variant in variants:
        out: list[Any] = []
        for part in variant:
            if isinstance(part, str) and out and isinstance(out[-1], str):
                out[-1] += part
            elif part == MULTI and out and out[-1] == MULTI:
                continue
            else:
                out.append(part)
        merged.append(out)
    return merged


# --------------------------------------------------------------------------------------------
# Compiling conditions (IR, see sigma_ir.py)


@dataclass(slots=True)
class _Compiler:
    fieldmap: Mapping[str, str]
    placeholders: Mapping[str, Sequence[str]]
    fields_used: list[str] = field(default_factory=list)
    unresolved: set[str] = field(default_factory=set)

    def name(self, sigma_field: str) -> str:
        mapped = self.fieldmap.get(sigma_field, sigma_field)
        if mapped not in self.fields_used:
            self.fields_used.append(mapped)
        return mapped

    def need(self, node: Any) -> Need | None:
        """Keys one of which an event must have for ``node`` to match, or None when no such
        set is known. The prefilter runs a rule only when one of its keys is present."""
        kind = node[0]
        if kind == "and":
            options = [n for n in (self.need(a) for a in node[1]) if n is not None]
            return max(options, key=_selectivity) if options else None
        if kind == "or":
            out: set[tuple[str, str]] = set()
            for arg in node[1]:
                found = self.need(arg)
                if found is None:
                    return None
                out |= found
            return frozenset(out)
        if kind == "num" and node[1] in EXACT_FIELDS:
            name = self.fieldmap.get(node[1], node[1])
            return frozenset({(name, EXACT + str(node[2]))})
        if kind == "str":
            name = ALL_TEXT if node[1] is None else self.fieldmap.get(node[1], node[1])
            keys = set()
            for parts in _string_parts(node[3], self.placeholders):
                literal = max((p for p in parts if isinstance(p, str)), key=len, default="")
                if len(literal) < MIN_LITERAL:
                    return None
                keys.add((name, literal.lower()))
            return frozenset(keys)
        return None  # NOT, keywords, other values: no key is necessary

    def compile(self, node: Any) -> Matcher:
        kind = node[0]
        if kind == "and":
            parts = [self.compile(a) for a in node[1]]
            if len(parts) == 2:
                a, b = parts
                return lambda f, c: a(f, c) and b(f, c)
            return lambda f, c: all(p(f, c) for p in parts)
        if kind == "or":
            return self._or(node[1])
        if kind == "not":
            inner = self.compile(node[1])
            return lambda f, c: not inner(f, c)
        if kind == "str":
            _, sigma_field, cased, parts = node
            if sigma_field is None:
                return self._keywords([parts], cased=cased)
            return self._strings(sigma_field, [parts], cased=cased)
        if kind == "re" and node[1] is None:
            search = _compile_regex(node[2], node[3]).search
            return lambda f, c: any(search(t) is not None for t in _all_text(f))
        return self._value(node)

    def _or(self, args: Sequence[Any]) -> Matcher:
        # String values of one field under one OR are matched together (one set lookup, one
        # endswith over a tuple, ...): this is most of SigmaHQ's value lists.
        grouped: dict[tuple[str | None, bool], list[Sequence[Any]]] = {}
        rest: list[Any] = []
        for arg in args:
            if arg[0] == "str":
                grouped.setdefault((arg[1], bool(arg[2])), []).append(arg[3])
            else:
                rest.append(arg)
        parts: list[Matcher] = [
            self._strings(fld, values, cased=cased)
            if fld is not None
            else self._keywords(values, cased=cased)
            for (fld, cased), values in grouped.items()
        ]
        parts.extend(self.compile(a) for a in rest)
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            a, b = parts
            return lambda f, c: a(f, c) or b(f, c)
        return lambda f, c: any(p(f, c) for p in parts)

    def _string_set(self, values: Iterable[Sequence[Any]], *, lower: bool) -> _StringSet:
        strings = _StringSet()
        for parts in values:
            for part in parts:
                if isinstance(part, dict) and not self.placeholders.get(part["ph"]):
                    self.unresolved.add(part["ph"])
            for variant in _string_parts(parts, self.placeholders):
                strings.add(variant, lower=lower)
        return strings

    def _strings(
        self, sigma_field: str, values: Sequence[Sequence[Any]], *, cased: bool
    ) -> Matcher:
        name = self.name(sigma_field)
        test = self._string_set(values, lower=not cased).matcher(lower=not cased)
        if cased:
            return lambda f, c: _any_text(_raw_of(f, name), test)

        def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
            got = c.get(name, _MISSING)
            if got is _MISSING:
                got = _lower_of(f, name, c)
            if got.__class__ is str:
                return test(got)
            return got is not None and any(test(v) for v in got)

        return match

    def _value(self, node: Any) -> Matcher:
        kind, sigma_field = node[0], node[1]
        name = self.name(sigma_field)
        if kind == "num":
            return _number_matcher(name, node[2])
        if kind == "bool":
            return _bool_matcher(name, bool(node[2]))
        if kind == "null":
            return lambda f, c: f.get(name) in (None, "")
        if kind == "exists":
            wanted = bool(node[2])
            return lambda f, c: (name in f) is wanted  # present, even with a null value
        if kind == "re":
            search = _compile_regex(node[2], node[3]).search
            return lambda f, c: _any_text(_raw_of(f, name), lambda s: search(s) is not None)
        if kind == "cmp":
            return _compare_matcher(name, node[2], float(node[3]))
        if kind == "cidr":
            return _cidr_matcher(name, node[2])
        if kind == "ref":
            return _fieldref_matcher(name, self.name(node[2]), bool(node[3]), bool(node[4]))
        raise CompileError(f"unknown condition node {kind!r} on field {sigma_field!r}")

    def _keywords(self, values: Sequence[Sequence[Any]], *, cased: bool) -> Matcher:
        # A keyword matches anywhere in the text: wrap it in wildcards unless it has its own.
        wrapped = []
        for value in values:
            parts: list[Any] = list(value)
            if not parts or parts[0] != MULTI:
                parts.insert(0, MULTI)
            if parts[-1] != MULTI:
                parts.append(MULTI)
            wrapped.append(parts)
        strings = self._string_set(wrapped, lower=not cased)
        test = strings.matcher(lower=not cased)
        if not cased and not strings.patterns and "\x00" not in "".join(strings.contains):
            # only literals: one search of the joined text (NUL never joins a literal's halves)
            return lambda f, c: test(_lower_of(f, ALL_TEXT, c))
        key = RAW_FIELD + ("*" if cased else "*lower")

        def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
            texts = c.get(key, _MISSING)
            if texts is _MISSING:
                texts = tuple(t if cased else t.lower() for t in _all_text(f))
                c[key] = texts
            return any(test(t) for t in texts)

        return match


def _selectivity(need: Need) -> tuple[int, int]:
    """Higher is rarer: the shortest literal (an exact value counts as 6), then fewer keys."""
    shortest = min((6 if lit.startswith(EXACT) else len(lit)) for _, lit in need)
    return (min(shortest, 12), -len(need))


def _all_text(fields: Mapping[str, Any]) -> Iterator[str]:
    raw = fields.get(RAW_FIELD)
    if isinstance(raw, str):
        yield raw
        return
    for value in fields.values():
        if isinstance(value, str):
            yield value
        elif isinstance(value, list | tuple):
            yield from (_text(v) for v in value if v is not None)
        elif value is not None:
            yield _text(value)


def _bool_matcher(name: str, wanted: bool) -> Matcher:
    text = "true" if wanted else "false"

    def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
        got = f.get(name)
        if isinstance(got, bool):
            return got is wanted
        return got is not None and _text(got).strip().lower() == text

    return match


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    try:
        return float(int(text, 0)) if text.lower().startswith("0x") else float(text)
    except ValueError:
        return None


def _number_matcher(name: str, number: int | float) -> Matcher:
    text = str(number)
    wanted = float(number)

    def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
        got = f.get(name)
        if got is None:
            return False
        if got.__class__ is int:
            return bool(got == number)
        if got.__class__ is str:
            return got == text or _as_number(got) == wanted
        if isinstance(got, list | tuple):
            return any(_as_number(v) == wanted for v in got)
        return _as_number(got) == wanted

    return match


_RE_FLAGS: Final = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


def _compile_regex(pattern: str, flags: str) -> re.Pattern[str]:
    bits = 0
    for flag in flags:
        bits |= _RE_FLAGS[flag]
    try:
        return re.compile(pattern, bits)
    except re.error as exc:
        raise CompileError(f"invalid regular expression {pattern!r}: {exc}") from exc


_COMPARE: Final[Mapping[str, Callable[[float, float], bool]]] = {
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "neq": lambda a, b: a != b,
}


def _compare_matcher(name: str, op_name: str, bound: float) -> Matcher:
    op = _COMPARE[op_name]

    def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
        value = f.get(name)
        if isinstance(value, list | tuple):
            return any((n := _as_number(v)) is not None and op(n, bound) for v in value)
        got = _as_number(value)
        return got is not None and op(got, bound)

    return match


def _cidr_matcher(name: str, cidr: str) -> Matcher:
    network = ipaddress.ip_network(cidr, strict=False)

    def inside(text: str) -> bool:
        try:
            address = ipaddress.ip_address(text.strip().strip("[]"))
        except ValueError:
            return False
        if address in network:
            return True
        # Windows writes IPv4 peers as ::ffff:a.b.c.d (4624/4625 IpAddress)
        mapped = getattr(address, "ipv4_mapped", None)
        return mapped is not None and mapped in network

    return lambda f, c: _any_text(_raw_of(f, name), inside)


def _fieldref_matcher(name: str, other: str, starts_with: bool, ends_with: bool) -> Matcher:
    def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
        left = _lower_of(f, name, c)
        right = _lower_of(f, other, c)
        if not isinstance(left, str) or not isinstance(right, str):
            return False
        if starts_with and ends_with:  # pySigma's fieldref|contains sets both
            return right in left
        if starts_with:
            return left.startswith(right)
        if ends_with:
            return left.endswith(right)
        return left == right

    return match


# --------------------------------------------------------------------------------------------
# Rules


def rule_info(rule: RuleIR) -> RuleInfo:
    techniques, tactics = attack_from_tags(rule.tags)
    return RuleInfo(
        id=rule.id,
        title=rule.title,
        level=Level.parse(rule.level),
        status=rule.status,
        description=rule.description,
        author=rule.author,
        path=rule.path,
        tags=rule.tags,
        techniques=techniques,
        tactics=tactics,
        references=rule.references,
        falsepositives=rule.falsepositives,
    )


def correlation_info(rule: SigmaCorrelationRule) -> RuleInfo:
    tags = tuple(str(t) for t in rule.tags)
    techniques, tactics = attack_from_tags(tags)
    source = rule.source.path if rule.source is not None else None
    return RuleInfo(
        id=str(rule.id) if rule.id else (rule.name or rule.title),
        title=rule.title,
        level=Level.parse(rule.level.name if rule.level is not None else None),
        status=rule.status.name.lower() if rule.status is not None else None,
        description=rule.description,
        author=rule.author,
        path=str(source) if source is not None else None,
        tags=tags,
        techniques=techniques,
        tactics=tactics,
        references=tuple(rule.references),
        falsepositives=tuple(getattr(rule, "falsepositives", None) or ()),
        kind="correlation",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class CompiledRule:
    info: RuleInfo
    name: str | None
    #: One matcher per target (the field names differ per target), and its prefilter keys.
    targets: tuple[tuple[Target, Matcher, Need | None], ...]
    fields: tuple[str, ...]
    #: False when only correlations use the rule (Sigma: ``generate: false``).
    generate: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """Noise control: which rules run."""

    min_level: Level = Level.INFORMATIONAL
    #: Rule statuses to run (None = all); SigmaHQ's are stable, test, experimental, deprecated,
    #: unsupported.
    statuses: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()
    placeholders: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def keeps(self, info: RuleInfo) -> bool:
        if info.level < self.min_level or info.id in self.exclude:
            return False
        return self.statuses is None or (info.status or "") in self.statuses


@dataclass(slots=True)
class CompileReport:
    """What compiling found besides the rules: failures, notes, and rules left out."""

    failures: list[RuleFailure] = field(default_factory=list)
    #: Rules that compiled but that no reader's events can reach (e.g. ``product: azure``).
    unreachable: dict[str, list[str]] = field(default_factory=dict)
    #: Rules using a placeholder with no value given (matched as a wildcard).
    placeholders: dict[str, list[str]] = field(default_factory=dict)
    selected_out: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "failures": [f.to_json() for f in self.failures],
            "no_mapping": {k: len(v) for k, v in sorted(self.unreachable.items())},
            "placeholders_as_wildcards": {k: sorted(v) for k, v in self.placeholders.items()},
            "selected_out": self.selected_out,
        }


@dataclass(frozen=True, slots=True)
class _Match:
    timestamp: datetime
    group: tuple[Any, ...]
    value: Any
    rule: str
    alert: Alert


@dataclass(slots=True)
class _Correlation:
    info: RuleInfo
    rule: SigmaCorrelationRule
    refs: dict[str, str]  # reference as written -> compiled rule key
    group_by: tuple[str, ...]
    matches: list[_Match] = field(default_factory=list)


#: A rule under one of its targets, with its matcher and prefilter keys.
_Entry = tuple[CompiledRule, Target, Matcher, Need | None]


@dataclass(slots=True)
class _Bucket:
    """The rules one kind of event meets, with the prefilter that picks the few to run."""

    rules: tuple[tuple[CompiledRule, Matcher, Mapping[str, str]], ...]
    always: frozenset[int]
    automata: tuple[tuple[str, Any], ...]
    exact: tuple[tuple[str, dict[str, tuple[int, ...]]], ...]

    @classmethod
    def build(cls, entries: Sequence[_Entry]) -> _Bucket:
        always: set[int] = set()
        literals: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        exact: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for index, (_rule, _target, _matcher, need) in enumerate(entries):
            if need is None:
                always.add(index)
                continue
            for name, literal in need:
                if literal.startswith(EXACT):
                    exact[name][literal.removeprefix(EXACT)].append(index)
                else:
                    literals[name][literal].append(index)
        automata = []
        for name, words in literals.items():
            automaton = ahocorasick.Automaton()
            for word, indexes in words.items():
                automaton.add_word(word, tuple(indexes))
            automaton.make_automaton()
            automata.append((name, automaton))
        return cls(
            rules=tuple((rule, matcher, target.fields) for rule, target, matcher, _ in entries),
            always=frozenset(always),
            automata=tuple(automata),
            exact=tuple(
                (name, {value: tuple(ix) for value, ix in table.items()})
                for name, table in exact.items()
            ),
        )

    def candidates(
        self, fields: Mapping[str, Any], cache: dict[str, Any]
    ) -> Iterator[tuple[CompiledRule, Matcher, Mapping[str, str]]]:
        hit = set(self.always)
        for name, automaton in self.automata:
            got = cache.get(name, _MISSING)
            if got is _MISSING:
                got = _lower_of(fields, name, cache)
            if got is None:
                continue
            if got.__class__ is str:
                for _end, indexes in automaton.iter(got):
                    hit.update(indexes)
            else:
                for text in got:
                    for _end, indexes in automaton.iter(text):
                        hit.update(indexes)
        for name, table in self.exact:
            value = fields.get(name)
            if value is not None:
                found = table.get(value if value.__class__ is str else _text(value))
                if found:
                    hit.update(found)
        rules = self.rules
        for index in sorted(hit):
            yield rules[index]


class Engine:
    """Compiled rules, indexed for one pass over events. Not thread-safe; one per run."""

    def __init__(self, rules: list[CompiledRule], correlations: list[_Correlation]) -> None:
        self.rules = rules
        self._correlations = correlations
        self._by_channel: dict[tuple[str, int | None], list[_Entry]] = defaultdict(list)
        self._other: list[_Entry] = []
        self._memo: dict[tuple[Any, ...], _Bucket] = {}
        for rule in rules:
            for target, matcher, need in rule.targets:
                entry = (rule, target, matcher, need)
                if target.channel is None:
                    self._other.append(entry)
                elif target.event_ids:
                    for event_id in target.event_ids:
                        self._by_channel[(target.channel, event_id)].append(entry)
                else:
                    self._by_channel[(target.channel, None)].append(entry)
        self._feeds: dict[str, list[_Correlation]] = defaultdict(list)
        for corr in correlations:
            for key in dict.fromkeys(corr.refs.values()):
                self._feeds[key].append(corr)
        self.events = 0

    @property
    def correlation_count(self) -> int:
        return len(self._correlations)

    def _bucket(self, event: Event) -> _Bucket:
        if event.channel is not None:
            key: tuple[Any, ...] = (event.channel.lower(), event.event_id)
        else:
            ls = event.logsource
            key = (None, ls.product, ls.service, ls.category, ls.extra_services, event.format)
        found = self._memo.get(key)
        if found is not None:
            return found
        entries: list[_Entry] = []
        if event.channel is not None:
            channel, event_id = key[0], key[1]
            entries.extend(self._by_channel.get((channel, event_id), ()))
            entries.extend(self._by_channel.get((channel, None), ()))
            entries.extend(self._by_channel.get(("*", None), ()))
        else:
            ls = event.logsource
            entries.extend(
                entry
                for entry in self._other
                if ls.matches(
                    product=entry[1].product, service=entry[1].service, category=entry[1].category
                )
            )
        bucket = _Bucket.build(entries)
        self._memo[key] = bucket
        return bucket

    def candidates(self, event: Event) -> int:
        """How many rules the event's bucket holds (before the prefilter)."""
        return len(self._bucket(event).rules)

    def match(self, event: Event) -> list[Alert]:
        """The alerts of one event (correlation alerts come from :meth:`finish`)."""
        self.events += 1
        fields = event.fields
        cache: dict[str, Any] = {}
        alerts: list[Alert] = []
        for rule, matcher, fieldmap in self._bucket(event).candidates(fields, cache):
            if not matcher(fields, cache):
                continue
            alert = _alert(rule, event)
            feeds = self._feeds.get(rule.info.id)
            stamp = event.timestamp
            if feeds and stamp is not None:
                for corr in feeds:
                    corr.matches.append(_feed(corr, rule, event, alert, stamp, fieldmap))
            if rule.generate:
                alerts.append(alert)
        return alerts

    def finish(self) -> list[Alert]:
        """The correlation alerts, once every event has been matched."""
        out: list[Alert] = []
        produced: dict[str, list[Alert]] = {}
        for corr in self._correlations:
            for key, alerts in produced.items():
                if key in corr.refs.values():
                    for alert in alerts:
                        if alert.timestamp is not None:
                            group = _group_of(corr, alert.group)
                            corr.matches.append(_Match(alert.timestamp, group, None, key, alert))
            fired = _evaluate(corr)
            produced[corr.info.id] = fired
            if corr.rule.name:
                produced[corr.rule.name] = fired
            out.extend(fired)
        return out


def _alert(rule: CompiledRule, event: Event) -> Alert:
    fields = event.fields
    evidence: dict[str, Any] = {}
    for name in (*rule.fields, *IDENTITY_FIELDS):
        if name in fields and name not in evidence:
            value = fields[name]
            if value is not None and value != "":
                evidence[name] = value
    user = next((str(fields[u]) for u in _USER_FIELDS if fields.get(u)), None)
    return Alert(
        rule=rule.info,
        timestamp=event.timestamp,
        host=event.host,
        source=event.source,
        user=user,
        fields=evidence,
    )


def _field_for(corr: _Correlation, ref_key: str, name: str) -> str:
    alias = corr.rule.aliases.aliases.get(name) if corr.rule.aliases else None
    if alias is None:
        return name
    for ref, rule_key in corr.refs.items():
        if rule_key != ref_key:
            continue
        for alias_ref, field_name in alias.mapping.items():
            if alias_ref.reference == ref:
                return field_name
    return name


def _feed(
    corr: _Correlation,
    rule: CompiledRule,
    event: Event,
    alert: Alert,
    stamp: datetime,
    fieldmap: Mapping[str, str],
) -> _Match:
    """The match a correlation keeps: its group-by values and measured field, read under the
    event's own field names (Security 4688's ``SubjectUserName`` for Sigma's ``User``)."""

    def read(sigma_field: str) -> Any:
        name = _field_for(corr, rule.info.id, sigma_field)
        return event.fields.get(fieldmap.get(name, name))

    group = tuple(_group_value(read(g)) for g in corr.group_by)
    value: Any = None
    condition = corr.rule.condition
    if not isinstance(condition, SigmaExtendedCorrelationCondition) and condition.fieldref:
        refs = condition.fieldref if isinstance(condition.fieldref, list) else [condition.fieldref]
        value = tuple(read(r) for r in refs)
        if len(value) == 1:
            value = value[0]
    return _Match(stamp, group, value, rule.info.id, alert)


def _group_value(value: Any) -> Any:
    """A hashable, case-folded form of a field value (lists become tuples)."""
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, list | tuple):
        return tuple(_group_value(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _group_value(v)) for k, v in value.items()))
    return value


def _group_of(corr: _Correlation, group: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(_group_value(group.get(g)) for g in corr.group_by)


def _ordered(correlations: list[_Correlation]) -> list[_Correlation]:
    """Correlations that feed on other correlations come after them (a topological order;
    a cycle, which Sigma does not allow, keeps the rest in file order)."""
    keys = {c.info.id: c for c in correlations}
    keys.update({c.rule.name: c for c in correlations if c.rule.name})
    done: list[_Correlation] = []
    visiting: set[int] = set()

    def visit(corr: _Correlation) -> None:
        if corr in done or id(corr) in visiting:
            return
        visiting.add(id(corr))
        for key in corr.refs.values():
            before = keys.get(key)
            if before is not None and before is not corr:
                visit(before)
        done.append(corr)

    for corr in correlations:
        visit(corr)
    return done


_OPS: Final[Mapping[SigmaCorrelationConditionOperator, Callable[[float, float], bool]]] = {
    SigmaCorrelationConditionOperator.LT: lambda a, b: a < b,
    SigmaCorrelationConditionOperator.LTE: lambda a, b: a <= b,
    SigmaCorrelationConditionOperator.GT: lambda a, b: a > b,
    SigmaCorrelationConditionOperator.GTE: lambda a, b: a >= b,
    SigmaCorrelationConditionOperator.EQ: lambda a, b: a == b,
    SigmaCorrelationConditionOperator.NEQ: lambda a, b: a != b,
}


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _measure(corr: _Correlation, window: Sequence[_Match]) -> float:
    kind = corr.rule.type
    if kind is SigmaCorrelationType.EVENT_COUNT:
        return float(len(window))
    if kind is SigmaCorrelationType.VALUE_COUNT:
        return float(len({_group_value(m.value) for m in window if m.value is not None}))
    numbers = [n for n in (_as_number(m.value) for m in window) if n is not None]
    if not numbers:
        return math.nan
    if kind is SigmaCorrelationType.VALUE_SUM:
        return sum(numbers)
    if kind is SigmaCorrelationType.VALUE_AVG:
        return sum(numbers) / len(numbers)
    if kind is SigmaCorrelationType.VALUE_MEDIAN:
        return _percentile(numbers, 50)
    condition = corr.rule.condition
    pct = getattr(condition, "percentile", None) or 50
    return _percentile(numbers, float(pct))


def _temporal_ok(corr: _Correlation, window: Sequence[_Match]) -> bool:
    """Temporal: the condition counts the distinct rules seen in the window (pySigma's default
    is all of them); temporal_ordered counts those seen in the listed order."""
    condition = corr.rule.condition
    if corr.rule.type is SigmaCorrelationType.TEMPORAL_ORDERED:
        order = list(dict.fromkeys(corr.refs.values()))
        position = 0
        for match in window:
            if position < len(order) and match.rule == order[position]:
                position += 1
        if isinstance(condition, SigmaExtendedCorrelationCondition):
            return position == len(order)
        return _OPS[condition.op](position, condition.count)
    present = {m.rule for m in window}
    if isinstance(condition, SigmaExtendedCorrelationCondition):
        return _extended(condition._parsed, corr.refs, present)
    wanted = set(corr.refs.values())
    return _OPS[condition.op](len(present & wanted), condition.count)


def _extended(node: Any, refs: Mapping[str, str], present: set[str]) -> bool:
    if isinstance(node, SigmaRuleReference):
        return refs.get(node.reference) in present
    if isinstance(node, CorrelationConditionAND):
        return all(_extended(a, refs, present) for a in node.args)
    if isinstance(node, CorrelationConditionOR):
        return any(_extended(a, refs, present) for a in node.args)
    if isinstance(node, CorrelationConditionNOT):
        return not _extended(node.args[0], refs, present)
    if isinstance(node, CorrelationConditionItem):
        raise CompileError(f"unsupported correlation condition {type(node).__name__}")
    return refs.get(str(node)) in present


def _evaluate(corr: _Correlation) -> list[Alert]:
    """Slide a window of the correlation's timespan over each group's matches (sorted by
    time); fire when the condition holds, then start again after the firing event so one burst
    makes one alert."""
    span = corr.rule.timespan.seconds
    groups: dict[tuple[Any, ...], list[_Match]] = defaultdict(list)
    for match in corr.matches:
        groups[match.group].append(match)
    temporal = corr.rule.type in (
        SigmaCorrelationType.TEMPORAL,
        SigmaCorrelationType.TEMPORAL_ORDERED,
    )
    out: list[Alert] = []
    for group, matches in groups.items():
        matches.sort(key=lambda m: m.timestamp)
        window: deque[_Match] = deque()
        for match in matches:
            window.append(match)
            while (match.timestamp - window[0].timestamp).total_seconds() > span:
                window.popleft()
            if temporal:
                fired = _temporal_ok(corr, window)
                measured = float(len({m.rule for m in window}))
            else:
                condition = corr.rule.condition
                if isinstance(condition, SigmaExtendedCorrelationCondition):
                    raise CompileError("an extended condition needs a temporal correlation")
                measured = _measure(corr, window)
                fired = not math.isnan(measured) and _OPS[condition.op](measured, condition.count)
            if fired:
                out.append(_correlation_alert(corr, group, measured, list(window)))
                window.clear()
    out.sort(key=lambda a: (a.timestamp is None, a.timestamp))
    return out


def _correlation_alert(
    corr: _Correlation, group: tuple[Any, ...], measured: float, window: list[_Match]
) -> Alert:
    last = window[-1].alert
    hosts = [m.alert.host for m in window if m.alert.host]
    return Alert(
        rule=corr.info,
        timestamp=window[-1].timestamp,
        host=hosts[-1] if hosts else None,
        source=last.source,
        user=last.user,
        fields=dict(last.fields),
        related=tuple(m.alert.source for m in window),
        group={
            **dict(zip(corr.group_by, group, strict=True)),
            "value": measured,
            "first": window[0].timestamp.isoformat(),
            "rules": sorted({m.rule for m in window}),
        },
    )


def _references(corr: SigmaCorrelationRule) -> list[str]:
    """The rules a correlation names: its ``rules`` list, or those its condition names."""
    if corr.rules:
        return [r.reference for r in corr.rules]
    if isinstance(corr.condition, SigmaExtendedCorrelationCondition):
        return list(corr.condition.get_referenced_rules())
    return []


def compile_rules(
    load: RuleLoad, selection: Selection | None = None
) -> tuple[Engine, CompileReport]:
    """Compile the loaded rules (filters applied first) into an :class:`Engine`."""
    selection = selection or Selection()
    report = CompileReport()
    running = []
    for corr_rule in load.correlations:
        info = correlation_info(corr_rule)
        if selection.keeps(info):
            running.append((corr_rule, info))
        else:
            report.selected_out += 1
    referenced = {ref for corr_rule, _ in running for ref in _references(corr_rule)}
    compiled: list[CompiledRule] = []
    by_ref: dict[str, str] = {}
    for rule in load.rules:
        info = rule_info(rule)
        used_by_correlation = info.id in referenced or (rule.name or "") in referenced
        if not selection.keeps(info) and not used_by_correlation:
            report.selected_out += 1
            continue
        conditions = list(rule.conditions)
        for sigma_filter in load.filters:
            if sigma_filter.applies_to(rule):
                conditions = [["and", [c, sigma_filter.condition]] for c in conditions]
        try:
            one = _compile_rule(rule, info, conditions, selection, report)
        except (CompileError, ValueError, TypeError, KeyError, IndexError) as exc:
            report.failures.append(RuleFailure(path=rule.path, reason=f"cannot compile: {exc}"))
            continue
        if one is None:
            continue
        compiled.append(one)
        by_ref[info.id] = info.id
        if rule.name:
            by_ref[rule.name] = info.id
    correlations: list[_Correlation] = []
    corr_keys = {
        key: str(c.id) if c.id else (c.name or c.title)
        for c, _ in running
        for key in (str(c.id) if c.id else None, c.name)
        if key
    }
    for corr_rule, info in running:
        refs: dict[str, str] = {}
        missing = []
        for ref in _references(corr_rule):
            target = by_ref.get(ref) or corr_keys.get(ref)
            if target is None:
                missing.append(ref)
            else:
                refs[ref] = target
        if missing or not refs:
            report.failures.append(
                RuleFailure(
                    path=info.path or info.id,
                    reason="correlation refers to rules that are not loaded: "
                    + (", ".join(missing) or "(none named)"),
                )
            )
            continue
        correlations.append(
            _Correlation(
                info=info, rule=corr_rule, refs=refs, group_by=tuple(corr_rule.group_by or ())
            )
        )
    # A rule used only by correlations with ``generate: false`` does not alert on its own
    # (Sigma v2); one whose correlations do not run (excluded, failed) alerts as usual.
    feeding: dict[str, bool] = {}
    for corr in correlations:
        for key in corr.refs.values():
            feeding[key] = feeding.get(key, False) or bool(corr.rule.generate)
    compiled = [
        replace(rule, generate=selection.keeps(rule.info) and feeding[rule.info.id])
        if rule.info.id in feeding
        else rule
        for rule in compiled
        if rule.info.id in feeding or selection.keeps(rule.info)
    ]
    return Engine(compiled, _ordered(correlations)), report


def _compile_rule(
    rule: RuleIR,
    info: RuleInfo,
    conditions: list[Any],
    selection: Selection,
    report: CompileReport,
) -> CompiledRule | None:
    found, why = targets(rule.product, rule.category, rule.service)
    if not found:
        report.unreachable.setdefault(why or "no logsource", []).append(info.id)
        return None
    compiled: list[tuple[Target, Matcher, Need | None]] = []
    fields_used: list[str] = []
    unresolved: set[str] = set()
    for target in found:
        compiler = _Compiler(fieldmap=target.fields, placeholders=selection.placeholders)
        needs = [compiler.need(c) for c in conditions]
        need: Need | None = None
        if all(n is not None for n in needs):
            need = frozenset(k for n in needs if n is not None for k in n)
        compiled.append((target, _lazy(compiler, conditions), need))
        for name in _fields_of(conditions, target.fields):
            if name not in fields_used:
                fields_used.append(name)
        unresolved |= _placeholders_of(conditions, selection.placeholders)
    for name in unresolved:
        report.placeholders.setdefault(name, []).append(info.id)
    return CompiledRule(
        info=info, name=rule.name, targets=tuple(compiled), fields=tuple(fields_used)
    )


def _lazy(compiler: _Compiler, conditions: list[Any]) -> Matcher:
    """The rule's matcher, built on its first use: behind the prefilter most rules of a run
    never meet a candidate event, and building matchers is most of compiling."""
    built: list[Matcher] = []

    def match(f: Mapping[str, Any], c: dict[str, Any]) -> bool:
        if not built:
            parts = [compiler.compile(cond) for cond in conditions]
            # several conditions in one rule are OR-ed (Sigma 1.0)
            built.append(parts[0] if len(parts) == 1 else _any_of(parts))
        return built[0](f, c)

    return match


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if node[0] in ("and", "or"):
        for arg in node[1]:
            yield from _walk(arg)
    elif node[0] == "not":
        yield from _walk(node[1])


def _fields_of(conditions: list[Any], fieldmap: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for condition in conditions:
        for node in _walk(condition):
            if node[0] not in ("and", "or", "not") and isinstance(node[1], str):
                for name in (node[1], node[2] if node[0] == "ref" else None):
                    mapped = fieldmap.get(name, name) if name else None
                    if mapped and mapped not in out:
                        out.append(mapped)
    return out


def _placeholders_of(conditions: list[Any], given: Mapping[str, Sequence[str]]) -> set[str]:
    return {
        part["ph"]
        for condition in conditions
        for node in _walk(condition)
        if node[0] == "str"
        for part in node[3]
        if isinstance(part, dict) and not given.get(part["ph"])
    }


def _any_of(parts: list[Matcher]) -> Matcher:
    return lambda f, c: any(p(f, c) for p in parts)
