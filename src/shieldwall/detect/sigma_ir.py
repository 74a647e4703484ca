"""pySigma's parsed rules -> a small intermediate form (IR) of plain lists, and back from JSON.

pySigma is our "frontend": it parses YAML, applies modifiers and parses conditions. Its output
is converted once into this IR, which the engine compiles into matchers; pySigma's own style
("a backend's convert can return an intermediate form, so a matcher can be a backend"). The IR
is plain JSON, so a rule set can be cached between runs: parsing SigmaHQ's 3,100 rules with
pySigma costs ~2 s of every run, reading them back from the cache ~0.1 s.

Nodes (lists, first item the kind):

- ``["and", [n, ...]]``, ``["or", [n, ...]]``, ``["not", n]``
- ``["str", field | None, cased, parts]``: parts are text, ``1`` (``*``), ``2`` (``?``) or
  ``{"ph": name}`` (a placeholder); field None is a keyword (full-text) search
- ``["num", field, n]``, ``["bool", field, b]``, ``["null", field]``, ``["exists", field, b]``
- ``["re", field | None, pattern, flags]`` (flags: a string of ``i``, ``m``, ``s``)
- ``["cmp", field, op, n]`` (op: lt, lte, gt, gte, neq), ``["cidr", field, network]``
- ``["ref", field, other_field, startswith, endswith]``

Expansions (windash, base64offset) become ``or`` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sigma.conditions import (
    ConditionAND,
    ConditionFieldEqualsValueExpression,
    ConditionNOT,
    ConditionOR,
    ConditionValueExpression,
)
from sigma.rule import SigmaRule
from sigma.types import (
    CompareOperators,
    Placeholder,
    SigmaBool,
    SigmaCasedString,
    SigmaCIDRExpression,
    SigmaCompareExpression,
    SigmaExists,
    SigmaExpansion,
    SigmaFieldReference,
    SigmaNull,
    SigmaNumber,
    SigmaRegularExpression,
    SigmaRegularExpressionFlag,
    SigmaString,
    SigmaType,
    SpecialChars,
)

#: Bump when the IR changes: cached rule sets of another version are parsed again.
IR_VERSION = 2
MULTI = 1
SINGLE = 2

_FLAGS = {
    SigmaRegularExpressionFlag.IGNORECASE: "i",
    SigmaRegularExpressionFlag.MULTILINE: "m",
    SigmaRegularExpressionFlag.DOTALL: "s",
}
_OPS = {
    CompareOperators.LT: "lt",
    CompareOperators.LTE: "lte",
    CompareOperators.GT: "gt",
    CompareOperators.GTE: "gte",
    CompareOperators.NEQ: "neq",
}


class UnsupportedError(ValueError):
    """A construct pySigma accepts that the engine cannot evaluate (reason in the message)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleIR:
    """A detection rule: its facts, its logsource and its conditions in IR."""

    id: str
    title: str
    level: str | None
    status: str | None
    description: str | None
    author: str | None
    path: str
    tags: tuple[str, ...]
    references: tuple[str, ...]
    falsepositives: tuple[str, ...]
    name: str | None
    product: str | None
    category: str | None
    service: str | None
    #: Several conditions in one rule are OR-ed (Sigma 1.0).
    conditions: tuple[Any, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "status": self.status,
            "description": self.description,
            "author": self.author,
            "path": self.path,
            "tags": list(self.tags),
            "references": list(self.references),
            "falsepositives": list(self.falsepositives),
            "name": self.name,
            "logsource": [self.product, self.category, self.service],
            "conditions": list(self.conditions),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RuleIR:
        product, category, service = data["logsource"]
        return cls(
            id=data["id"],
            title=data["title"],
            level=data["level"],
            status=data["status"],
            description=data["description"],
            author=data["author"],
            path=data["path"],
            tags=tuple(data["tags"]),
            references=tuple(data["references"]),
            falsepositives=tuple(data["falsepositives"]),
            name=data["name"],
            product=product,
            category=category,
            service=service,
            conditions=tuple(data["conditions"]),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class FilterIR:
    """A Sigma filter (meta rule): ANDed onto the rules it names whose logsource it covers."""

    title: str
    path: str
    product: str | None
    category: str | None
    service: str | None
    #: Rule ids or names, or None for "any".
    rules: tuple[str, ...] | None
    condition: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "path": self.path,
            "logsource": [self.product, self.category, self.service],
            "rules": None if self.rules is None else list(self.rules),
            "condition": self.condition,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FilterIR:
        product, category, service = data["logsource"]
        return cls(
            title=data["title"],
            path=data["path"],
            product=product,
            category=category,
            service=service,
            rules=None if data["rules"] is None else tuple(data["rules"]),
            condition=data["condition"],
        )

    def applies_to(self, rule: RuleIR) -> bool:
        for mine, theirs in (
            (self.product, rule.product),
            (self.category, rule.category),
            (self.service, rule.service),
        ):
            if mine is not None and (theirs or "").lower() != mine.lower():
                return False
        return self.rules is None or rule.id in self.rules or (rule.name or "") in self.rules


def rule_ir(rule: SigmaRule, trees: list[Any], path: str) -> RuleIR:
    """The IR of a parsed rule (``trees``: its parsed conditions)."""
    logsource = rule.logsource
    return RuleIR(
        id=str(rule.id) if rule.id else (rule.name or rule.title),
        title=rule.title,
        level=rule.level.name.lower() if rule.level is not None else None,
        status=rule.status.name.lower() if rule.status is not None else None,
        description=rule.description,
        author=rule.author,
        path=path,
        tags=tuple(str(t) for t in rule.tags),
        references=tuple(rule.references),
        falsepositives=tuple(getattr(rule, "falsepositives", None) or ()),
        name=rule.name,
        product=logsource.product,
        category=logsource.category,
        service=logsource.service,
        conditions=tuple(to_ir(t) for t in trees),
    )


def to_ir(node: Any) -> Any:
    """One parsed pySigma condition tree -> IR."""
    if isinstance(node, ConditionAND):
        return ["and", [to_ir(a) for a in node.args]]
    if isinstance(node, ConditionOR):
        return ["or", [to_ir(a) for a in node.args]]
    if isinstance(node, ConditionNOT):
        return ["not", to_ir(node.args[0])]
    if isinstance(node, ConditionFieldEqualsValueExpression):
        return _value(node.field, node.value)
    if isinstance(node, ConditionValueExpression):
        return _value(None, node.value)
    raise UnsupportedError(f"unsupported condition element {type(node).__name__}")


def _parts(value: SigmaString) -> list[Any]:
    out: list[Any] = []
    for part in value.s:
        if isinstance(part, Placeholder):
            out.append({"ph": part.name})
        elif part is SpecialChars.WILDCARD_MULTI:
            out.append(MULTI)
        elif part is SpecialChars.WILDCARD_SINGLE:
            out.append(SINGLE)
        else:
            out.append(str(part))
    return out


def _regex_pattern(value: SigmaRegularExpression) -> str:
    """The pattern for an unanchored search. pySigma writes ``re|startswith`` (endswith,
    contains) by adding ``.*`` after (before, around) the pattern, which assumes anchored
    matching; for a search, the side without ``.*`` must be anchored instead."""
    if value.regexp.original:
        return value.regexp.original
    text = value.regexp.to_plain()
    free_start = text.startswith(".*")
    free_end = text.endswith(".*") and not text.endswith("\\.*")
    core = text[2 if free_start else 0 : len(text) - 2 if free_end else len(text)]
    return ("" if free_start else "^") + f"(?:{core})" + ("" if free_end else r"\Z")


def _value(field: str | None, value: SigmaType) -> Any:
    if isinstance(value, SigmaString):
        return ["str", field, isinstance(value, SigmaCasedString), _parts(value)]
    if isinstance(value, SigmaExpansion):
        return ["or", [_value(field, v) for v in value.values]]
    if isinstance(value, SigmaRegularExpression):
        flags = "".join(sorted(_FLAGS[f] for f in value.flags))
        return ["re", field, _regex_pattern(value), flags]
    if isinstance(value, SigmaNumber):
        if field is None:  # a numeric keyword is searched as text
            return ["str", None, False, [str(value.number)]]
        return ["num", field, value.number]
    if field is None:
        raise UnsupportedError(f"keyword of type {type(value).__name__} is not supported")
    if isinstance(value, SigmaBool):
        return ["bool", field, value.boolean]
    if isinstance(value, SigmaNull):
        return ["null", field]
    if isinstance(value, SigmaExists):
        return ["exists", field, bool(value.exists)]
    if isinstance(value, SigmaCompareExpression):
        return ["cmp", field, _OPS[value.op], value.number.number]
    if isinstance(value, SigmaCIDRExpression):
        return ["cidr", field, str(value.network)]
    if isinstance(value, SigmaFieldReference):
        return ["ref", field, value.field, value.starts_with, value.ends_with]
    raise UnsupportedError(f"value type {type(value).__name__} of field {field!r} is not supported")
