"""The engine against an obviously-correct reference, on random rules and random events.

The engine is fast because of what it does not do: rules are indexed by channel and event id, a
literal prefilter (Aho-Corasick over each field) picks the few rules worth running, and value
lists are grouped into set lookups, ``endswith`` tuples and automata. None of this may change a
result. Hypothesis writes random Sigma rules from a small grammar (a few fields; values from a
tiny alphabet with ``*``, ``?`` and ``\\``; contains, startswith, endswith, all, cased, re,
exists; keywords; lists of maps; and / or / not / ``1 of`` / ``all of`` conditions) and random
events (missing fields, strings, integers, lists; Sysmon 1 and 3, Security 4624 and 4688, the
latter holding a process creation in its own field names, which ``category: process_creation``
rules read through a mapping), and compares ``Engine.match`` with
:func:`reference_match` below: a direct, slow reading of the Sigma specification that shares no
code with the engine. Several rules are compiled into one engine so that they share the
prefilter's automata, as SigmaHQ's rules do.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from shieldwall.detect.engine import Engine, Selection, compile_rules
from shieldwall.detect.events import Event, EventSource, LogFormat
from shieldwall.detect.readers.windows import windows_logsource
from shieldwall.detect.sigma import load_rules

#: Fields whose event values may be strings, integers or lists of them.
FIELDS = ("Image", "CommandLine", "User")
SYSMON = "Microsoft-Windows-Sysmon/Operational"
LOGSOURCES = {
    "security": {"service": "security"},
    "process_creation": {"category": "process_creation"},
}
#: Fields whose event values are one string or one integer (numeric comparisons and field
#: references are checked on these; their meaning on lists is covered in test_engine_matching).
SCALARS = ("Count", "Target", "ParentImage")
EVENT_IDS = (1, 3, 4624, 4688)
#: The kinds of events: (channel, event id).
KINDS = (("Security", 4624), ("Security", 4688), (SYSMON, 1), (SYSMON, 3))
#: Rule values: letters (one upper case), a digit, and the three characters with a meaning.
VALUE_CHARS = "abA1*?\\"
#: Event text: the same, without the meanings (a "*" in an event is just a star).
TEXT_CHARS = "abcAB1*?\\-"
T0 = datetime(2024, 6, 1, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# The reference: Sigma read literally (spec: "String Wildcard", "Escaping", modifiers, keywords,
# conditions). Slow and simple on purpose.

STAR = object()
QMARK = object()


def sigma_tokens(value: str) -> list[Any]:
    """A Sigma string as text characters and wildcards. A backslash escapes ``*``, ``?`` and
    itself; before any other character (or at the end) it is a plain backslash."""
    out: list[Any] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value) and value[i + 1] in "*?\\":
            out.append(value[i + 1])
            i += 2
            continue
        out.append(STAR if c == "*" else QMARK if c == "?" else c)
        i += 1
    return out


def glob_matches(tokens: list[Any], text: str, *, cased: bool) -> bool:
    """Whether the whole of ``text`` is matched: ``*`` any run of characters, ``?`` exactly one,
    other characters themselves (compared case-insensitively unless ``cased``)."""
    if not cased:
        text = text.lower()
        tokens = [t.lower() if isinstance(t, str) else t for t in tokens]
    # classic two-pointer wildcard matching, no regular expressions
    t = p = 0
    star_p, star_t = -1, 0
    while t < len(text):
        if p < len(tokens) and (tokens[p] is QMARK or tokens[p] == text[t]):
            t += 1
            p += 1
        elif p < len(tokens) and tokens[p] is STAR:
            star_p, star_t = p, t
            p += 1
        elif star_p >= 0:
            p = star_p + 1
            star_t += 1
            t = star_t
        else:
            return False
    while p < len(tokens) and tokens[p] is STAR:
        p += 1
    return p == len(tokens)


def texts_of(value: Any) -> list[str]:
    """A field value as the texts it holds: a string, an integer's digits, or a list's items."""
    if value is None:
        return []
    if isinstance(value, list):
        return [t for item in value for t in texts_of(item)]
    return [value if isinstance(value, str) else str(value)]


@dataclass(frozen=True)
class Item:
    """One ``field|modifiers: values`` of a selection map (field None: keywords)."""

    field: str | None
    modifiers: tuple[str, ...]
    values: tuple[Any, ...]
    as_list: bool

    def key(self) -> str:
        return "|".join([self.field or "", *self.modifiers])

    def yaml_value(self) -> Any:
        return list(self.values) if self.as_list else self.values[0]


def number(value: Any) -> float | None:
    """A field value as a number: an integer, or a string that is a decimal number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


COMPARE: Mapping[str, Callable[[float, float], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def value_matches(
    item: Item, value: Any, fields: Mapping[str, Any], everything: Mapping[str, Any]
) -> bool:
    """``fields``: the event in the rule's field names; ``everything``: the event as it is
    (keywords search every value of it)."""
    mods = item.modifiers
    if "exists" in mods:
        return (item.field in fields) is value
    if "fieldref" in mods:
        left, right = fields.get(item.field or ""), fields.get(value)
        if left is None or right is None:
            return False
        left, right = str(left).lower(), str(right).lower()
        if "startswith" in mods:
            return left.startswith(right)
        if "endswith" in mods:
            return left.endswith(right)
        return left == right
    if mods and mods[0] in COMPARE:
        got = number(fields.get(item.field or ""))
        return got is not None and COMPARE[mods[0]](got, value)
    if isinstance(value, int) and item.field != "EventID":
        return number(fields.get(item.field or "")) == value
    if item.field == "EventID" and isinstance(value, int):
        return any(t == str(value) for t in texts_of(fields.get("EventID")))
    texts = texts_of(fields.get(item.field)) if item.field else all_texts(everything)
    if "re" in mods:
        flags = re.IGNORECASE if "i" in mods else 0
        return any(re.search(value, t, flags) for t in texts)
    tokens = sigma_tokens(value)
    if item.field is None or "contains" in mods:
        tokens = [STAR, *tokens, STAR]
    elif "startswith" in mods:
        tokens = [*tokens, STAR]
    elif "endswith" in mods:
        tokens = [STAR, *tokens]
    return any(glob_matches(tokens, t, cased="cased" in mods) for t in texts)


def all_texts(fields: Mapping[str, Any]) -> list[str]:
    return [t for value in fields.values() for t in texts_of(value)]


def item_matches(
    item: Item, fields: Mapping[str, Any], everything: Mapping[str, Any] | None = None
) -> bool:
    results = [value_matches(item, v, fields, everything or fields) for v in item.values]
    return all(results) if "all" in item.modifiers else any(results)


Selection_ = list[Any]  # a list of maps (each a list of Items) or a keyword Item


def selection_matches(
    selection: Selection_, fields: Mapping[str, Any], everything: Mapping[str, Any]
) -> bool:
    """A map is AND of its items; a list of maps is OR; keywords are one Item."""
    return any(
        item_matches(part, fields, everything)
        if isinstance(part, Item)
        else all(item_matches(i, fields, everything) for i in part)
        for part in selection
    )


Condition = Callable[[Mapping[str, bool]], bool]


@dataclass(frozen=True)
class RuleSpec:
    rule_id: str
    #: "security" (``service: security``) or "process_creation" (Sysmon 1 and Security 4688)
    logsource: str
    selections: dict[str, Selection_]
    conditions: tuple[str, ...]
    evaluators: tuple[Condition, ...]

    def document(self) -> dict[str, Any]:
        detection: dict[str, Any] = {}
        for name, selection in self.selections.items():
            if len(selection) == 1 and isinstance(selection[0], Item):
                item = selection[0]
                detection[name] = (
                    list(item.values) if not item.modifiers else {item.key(): list(item.values)}
                )
            else:
                maps = [{i.key(): i.yaml_value() for i in part} for part in selection]
                detection[name] = maps[0] if len(maps) == 1 else maps
        detection["condition"] = (
            self.conditions[0] if len(self.conditions) == 1 else list(self.conditions)
        )
        return {
            "title": f"Random rule {self.rule_id}",
            "id": self.rule_id,
            "status": "test",
            "level": "medium",
            "logsource": {"product": "windows", **LOGSOURCES[self.logsource]},
            "detection": detection,
        }


#: Security 4688 writes a process creation under its own names (Sysmon's name -> 4688's).
NAMES_4688 = {
    "Image": "NewProcessName",
    "ParentImage": "ParentProcessName",
    "User": "SubjectUserName",
}


def reference_match(rule: RuleSpec, event: Event) -> bool:
    """Whether the rule's logsource covers the event, and its conditions hold on it."""
    fields = event.fields
    if rule.logsource == "security":
        if event.channel != "Security":
            return False
    elif (event.channel, event.event_id) == ("Security", 4688):
        # process_creation on 4688: the rule's names are read from 4688's
        view = {k: v for k, v in fields.items() if k not in NAMES_4688}
        view.update({k: fields[m] for k, m in NAMES_4688.items() if m in fields})
        fields = view
    elif (event.channel, event.event_id) != (SYSMON, 1):
        return False
    truth = {
        name: selection_matches(sel, fields, event.fields) for name, sel in rule.selections.items()
    }
    return any(evaluate(truth) for evaluate in rule.evaluators)


# ---------------------------------------------------------------------------------------------
# Random rules

rule_values = st.text(alphabet=VALUE_CHARS, max_size=5)
regex_atoms = st.sampled_from(["a", "b", "A", "1", ".", "[ab]", "(a|b)", r"\\", r"\*"])
regexes = st.builds(
    lambda start, pieces, end: start + "".join(a + q for a, q in pieces) + end,
    st.sampled_from(["", "^"]),
    st.lists(
        st.tuples(regex_atoms, st.sampled_from(["", "", "*", "+", "?"])), min_size=1, max_size=4
    ),
    st.sampled_from(["", "$"]),
)


@st.composite
def items(draw: st.DrawFn) -> Item:
    kind = draw(
        st.sampled_from(
            ["string", "string", "string", "re", "exists", "eventid", "number", "compare", "ref"]
        )
    )
    if kind == "number":
        return Item("Count", (), (draw(st.integers(-2, 12)),), as_list=False)
    if kind == "compare":
        op = draw(st.sampled_from(sorted(COMPARE)))
        return Item(draw(st.sampled_from(SCALARS)), (op,), (draw(st.integers(-2, 12)),), False)
    if kind == "ref":
        left, right = draw(st.lists(st.sampled_from(SCALARS), min_size=2, max_size=2, unique=True))
        where: tuple[str, ...] = draw(st.sampled_from([(), ("startswith",), ("endswith",)]))
        return Item(left, ("fieldref", *where), (right,), as_list=False)
    if kind == "eventid":
        ids = draw(st.lists(st.sampled_from(EVENT_IDS), min_size=1, max_size=3, unique=True))
        return Item("EventID", (), tuple(ids), as_list=len(ids) > 1)
    field = draw(st.sampled_from(FIELDS + SCALARS))
    if kind == "exists":
        return Item(field, ("exists",), (draw(st.booleans()),), as_list=False)
    if kind == "re":
        patterns = draw(st.lists(regexes, min_size=1, max_size=3))
        flags: tuple[str, ...] = ("re", "i") if draw(st.booleans()) else ("re",)
        return Item(field, flags, tuple(patterns), as_list=len(patterns) > 1)
    position = draw(st.sampled_from(["", "contains", "startswith", "endswith"]))
    values = draw(st.lists(rule_values, min_size=1, max_size=6))
    mods = tuple(
        m
        for m in (
            position,
            "all" if len(values) > 1 and draw(st.booleans()) else "",
            "cased" if draw(st.integers(0, 4)) == 0 else "",
        )
        if m
    )
    return Item(field, mods, tuple(values), as_list=len(values) > 1 or draw(st.booleans()))


@st.composite
def selections(draw: st.DrawFn) -> Selection_:
    shape = draw(st.sampled_from(["map", "map", "maps", "keywords"]))
    if shape == "keywords":
        words = draw(st.lists(rule_values.filter(bool), min_size=1, max_size=3))
        return [Item(None, (), tuple(words), as_list=True)]

    def one_map() -> list[Item]:
        found = draw(st.lists(items(), min_size=1, max_size=3))
        by_key: dict[str, Item] = {}
        for item in found:  # a map cannot hold one key twice
            by_key.setdefault(item.key(), item)
        return list(by_key.values())

    count = 1 if shape == "map" else draw(st.integers(2, 3))
    return [one_map() for _ in range(count)]


@st.composite
def conditions(draw: st.DrawFn, names: list[str], depth: int = 0) -> tuple[str, Condition]:
    visible = [n for n in names if not n.startswith("_")]
    sel = [n for n in names if n.startswith("sel_")]
    choices = ["name", "name", "1 of sel", "all of sel"]
    if visible:
        choices += ["1 of them", "all of them"]
    if depth < 3:
        choices += ["not", "and", "or", "and", "or"]
    kind = draw(st.sampled_from(choices))
    if kind == "name":
        name = draw(st.sampled_from(names))
        return name, lambda t: t[name]
    if kind == "1 of sel":
        return "1 of sel_*", lambda t: any(t[n] for n in sel)
    if kind == "all of sel":
        return "all of sel_*", lambda t: all(t[n] for n in sel)
    if kind == "1 of them":
        return "1 of them", lambda t: any(t[n] for n in visible)
    if kind == "all of them":
        return "all of them", lambda t: all(t[n] for n in visible)
    left_text, left = draw(conditions(names, depth + 1))
    if kind == "not":
        return f"not ({left_text})", lambda t: not left(t)
    right_text, right = draw(conditions(names, depth + 1))
    if kind == "and":
        return f"({left_text}) and ({right_text})", lambda t: left(t) and right(t)
    return f"({left_text}) or ({right_text})", lambda t: left(t) or right(t)


@st.composite
def rule_specs(draw: st.DrawFn) -> RuleSpec:
    extra = draw(
        st.lists(st.sampled_from(["sel_1", "sel_2", "filter_1", "_aux"]), max_size=3, unique=True)
    )
    names = ["sel_0", *extra]
    chosen = {name: draw(selections()) for name in names}
    found = [draw(conditions(names)) for _ in range(draw(st.integers(1, 2)))]
    return RuleSpec(
        rule_id=str(uuid.UUID(int=draw(st.integers(0, 2**64)), version=4)),
        logsource=draw(st.sampled_from(sorted(LOGSOURCES))),
        selections=chosen,
        conditions=tuple(text for text, _ in found),
        evaluators=tuple(evaluate for _, evaluate in found),
    )


# ---------------------------------------------------------------------------------------------
# Random events

event_texts = st.text(alphabet=TEXT_CHARS, max_size=8)
field_values = st.one_of(
    event_texts,
    event_texts,
    st.integers(0, 120),
    st.lists(st.one_of(event_texts, st.integers(0, 20)), max_size=3),
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    channel, event_id = draw(st.sampled_from(KINDS))
    fields: dict[str, Any] = {
        "EventID": draw(st.sampled_from([event_id, str(event_id)])),
        "Channel": channel,
        "Computer": "WS1",
    }
    for name, values in [(n, field_values) for n in FIELDS] + [
        (n, st.one_of(event_texts, st.integers(-3, 14))) for n in SCALARS
    ]:
        if draw(st.booleans()):
            # a Security event may hold a name under 4688's spelling or Sysmon's
            own = channel == "Security" and name in NAMES_4688 and draw(st.booleans())
            fields[NAMES_4688[name] if own else name] = draw(values)
    return Event(
        timestamp=T0,
        host="WS1",
        format=LogFormat.EVTX,
        logsource=windows_logsource(channel),
        source=EventSource(file="events.evtx", record=1),
        channel=channel,
        event_id=event_id,
        fields=fields,
    )


def compile_specs(specs: list[RuleSpec]) -> Engine:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for index, spec in enumerate(specs):
            text = yaml.safe_dump(spec.document(), sort_keys=False, allow_unicode=True)
            (root / f"rule_{index}.yml").write_text(text, encoding="utf-8")
        load = load_rules(root)
        assert load.failures == [], load.failures
        engine, report = compile_rules(load, Selection())
    assert report.failures == [], report.failures
    assert len(engine.rules) == len(specs)
    return engine


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    specs=st.lists(rule_specs(), min_size=1, max_size=4, unique_by=lambda s: s.rule_id),
    batch=st.lists(events(), min_size=1, max_size=8),
)
def test_engine_matches_the_reference(specs: list[RuleSpec], batch: list[Event]) -> None:
    for spec in specs:
        note(yaml.safe_dump(spec.document(), sort_keys=False))
    engine = compile_specs(specs)
    for event in batch:
        got = {alert.rule.id for alert in engine.match(event)}
        want = {s.rule_id for s in specs if reference_match(s, event)}
        assert got == want, f"event fields {dict(event.fields)!r}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(rule_specs(), min_size=2, max_size=5, unique_by=lambda s: s.rule_id))
def test_rules_compiled_together_match_as_when_compiled_alone(specs: list[RuleSpec]) -> None:
    """The shared prefilter must not let one rule's literals hide another rule: every rule in
    a set of rules fires exactly when it fires alone (on events written to hit its literals)."""
    together = compile_specs(specs)
    alone = {s.rule_id: compile_specs([s]) for s in specs}
    probes = [literal_event(s) for s in specs]
    for event in probes:
        got = {a.rule.id for a in together.match(event)}
        want = {rid for rid, engine in alone.items() if engine.match(event)}
        assert got == want, f"event fields {dict(event.fields)!r}"


def literal_event(spec: RuleSpec) -> Event:
    """An event whose fields hold the plain text of the rule's string values (wildcards taken
    as nothing), so that rules are likely to match and the prefilter has literals to find."""
    channel, event_id = ("Security", 4688) if spec.logsource == "security" else (SYSMON, 1)
    fields: dict[str, Any] = {"EventID": event_id, "Channel": channel, "Computer": "WS1"}
    for selection in spec.selections.values():
        for part in selection:
            for item in [part] if isinstance(part, Item) else part:
                plain = not {"re", "exists", "fieldref", *COMPARE} & set(item.modifiers)
                if item.field in FIELDS + SCALARS and plain and isinstance(item.values[0], str):
                    tokens = sigma_tokens(str(item.values[0]))
                    fields[item.field] = "".join(t for t in tokens if isinstance(t, str))
    return Event(
        timestamp=T0,
        host="WS1",
        format=LogFormat.EVTX,
        logsource=windows_logsource(channel),
        source=EventSource(file="events.evtx", record=1),
        channel=channel,
        event_id=event_id,
        fields=fields,
    )


# ---------------------------------------------------------------------------------------------
# The reference checks itself against cases worked out by hand, so that a wrong reference cannot
# pass for a right engine.


def test_reference_wildcards_and_escapes() -> None:
    cases = [
        ("a*b", "aXXb", True),
        ("a*b", "ab", True),
        ("a?b", "ab", False),
        ("a?b", "aXb", True),
        ("a\\*b", "a*b", True),
        ("a\\*b", "aXb", False),
        ("a\\\\*", "a\\anything", True),
        ("a\\\\*", "aX", False),
        ("a\\b", "a\\b", True),
        ("a\\", "a\\", True),
        ("*", "", True),
        ("", "", True),
        ("", "a", False),
        ("AB", "ab", True),
    ]
    for value, text, expected in cases:
        assert glob_matches(sigma_tokens(value), text, cased=False) is expected, (value, text)
    assert not glob_matches(sigma_tokens("AB"), "ab", cased=True)


def test_reference_items() -> None:
    fields = {"Image": ["x", "C:\\a\\B.exe"], "User": 42, "EventID": "4688"}
    assert item_matches(Item("Image", ("endswith",), ("\\b.exe",), False), fields)
    assert not item_matches(Item("Image", ("endswith", "cased"), ("\\b.exe",), False), fields)
    assert item_matches(Item("User", ("startswith",), ("4",), False), fields)
    assert item_matches(Item("Image", ("contains", "all"), ("x", "a\\b"), True), fields)
    assert not item_matches(Item("Image", ("contains", "all"), ("x", "zz"), True), fields)
    assert item_matches(Item("EventID", (), (1, 4688), True), fields)
    assert item_matches(Item(None, (), ("88",), True), fields)
    assert item_matches(Item("Image", ("re", "i"), ("b\\.EXE$",), False), fields)
    assert item_matches(Item("CommandLine", ("exists",), (False,), False), fields)


# ---------------------------------------------------------------------------------------------
# Placeholders (spec: "Placeholders"): a value given for a placeholder is a Sigma value of its
# own (pySigma's ValueListPlaceholderTransformation parses it, wildcards included: the spec's
# example replaces %Servers% with the pattern ``srv*``); an unresolved one is a wildcard.

PLACEHOLDERS = ("P1", "P2")
expand_texts = st.text(alphabet="abA1*?", max_size=3)


@st.composite
def expand_values(draw: st.DrawFn) -> list[str]:
    """A value as pieces: plain text, or ``%P1%`` / ``%P2%``."""
    pieces = draw(
        st.lists(st.one_of(expand_texts, st.sampled_from(PLACEHOLDERS)), min_size=1, max_size=4)
    )
    assume(any(p in PLACEHOLDERS for p in pieces))
    return pieces


def expand_tokens(pieces: list[str], given: Mapping[str, list[str]]) -> list[list[Any]]:
    """Every variant of a value: each given placeholder replaced by each of its values (parsed
    as a Sigma value), each unresolved one by ``*``."""
    variants: list[list[Any]] = [[]]
    for piece in pieces:
        if piece not in PLACEHOLDERS:
            variants = [[*v, *sigma_tokens(piece)] for v in variants]
        elif given.get(piece):
            variants = [[*v, *sigma_tokens(text)] for v in variants for text in given[piece]]
        else:
            variants = [[*v, STAR] for v in variants]
    return variants


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=expand_values(),
    position=st.sampled_from(["", "contains", "startswith", "endswith"]),
    given_values=st.dictionaries(
        st.sampled_from(PLACEHOLDERS),
        st.lists(st.text(alphabet="abA1*?", min_size=1, max_size=3), min_size=1, max_size=2),
    ),
    texts=st.lists(st.text(alphabet="abcA1*?", max_size=7), min_size=1, max_size=6),
)
def test_placeholders_match_the_reference(
    pieces: list[str],
    position: str,
    given_values: dict[str, list[str]],
    texts: list[str],
) -> None:
    value = "".join(f"%{p}%" if p in PLACEHOLDERS else p for p in pieces)
    key = "|".join(["User", "expand", *([position] if position else [])])
    doc = {
        "title": "Placeholder rule",
        "id": "9d3c8f6e-5b4a-4c2d-8e1f-0a9b8c7d6e5f",
        "logsource": {"product": "windows", "service": "security"},
        "detection": {"sel": {key: value}, "condition": "sel"},
    }
    note(yaml.safe_dump(doc))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "rule.yml").write_text(yaml.safe_dump(doc), encoding="utf-8")
        load = load_rules(Path(tmp))
    assert load.failures == []
    engine, _ = compile_rules(load, Selection(placeholders=given_values))
    variants = expand_tokens(pieces, given_values)
    if position in ("contains", "endswith"):
        variants = [[STAR, *v] for v in variants]
    if position in ("contains", "startswith"):
        variants = [[*v, STAR] for v in variants]
    for text in texts:
        event = Event(
            timestamp=T0,
            host="WS1",
            format=LogFormat.EVTX,
            logsource=windows_logsource("Security"),
            source=EventSource(file="Security.evtx", record=1),
            channel="Security",
            event_id=4624,
            fields={"EventID": 4624, "Channel": "Security", "User": text},
        )
        want = any(glob_matches(v, text, cased=False) for v in variants)
        assert bool(engine.match(event)) is want, text


def test_placeholder_values_are_sigma_values(tmp_path: Path) -> None:
    """The spec's own example: %Servers% "is replaced with the pattern srv*"."""
    doc = {
        "title": "Logon to a server",
        "logsource": {"product": "windows", "service": "security"},
        "detection": {"sel": {"Computer|expand": "%Servers%"}, "condition": "sel"},
    }
    (tmp_path / "rule.yml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    engine, _ = compile_rules(load_rules(tmp_path), Selection(placeholders={"Servers": ["srv*"]}))

    def logon(host: str) -> Event:
        return Event(
            timestamp=T0,
            host=host,
            format=LogFormat.EVTX,
            logsource=windows_logsource("Security"),
            source=EventSource(file="Security.evtx", record=1),
            channel="Security",
            event_id=4624,
            fields={"EventID": 4624, "Channel": "Security", "Computer": host},
        )

    assert engine.match(logon("SRV-DB01"))
    assert not engine.match(logon("ws-17"))


def test_reference_logsources() -> None:
    spec = RuleSpec(
        rule_id="x",
        logsource="process_creation",
        selections={"sel_0": [[Item("Image", ("endswith",), ("\\w.exe",), False)]]},
        conditions=("sel_0",),
        evaluators=(lambda t: t["sel_0"],),
    )

    def event(channel: str, event_id: int, fields: dict[str, Any]) -> Event:
        return Event(
            timestamp=T0,
            host=None,
            format=LogFormat.EVTX,
            logsource=windows_logsource(channel),
            source=EventSource(file="x", record=1),
            channel=channel,
            event_id=event_id,
            fields=fields,
        )

    assert reference_match(spec, event(SYSMON, 1, {"Image": "c:\\w.exe"}))
    assert not reference_match(spec, event(SYSMON, 3, {"Image": "c:\\w.exe"}))
    assert reference_match(spec, event("Security", 4688, {"NewProcessName": "c:\\w.exe"}))
    assert not reference_match(spec, event("Security", 4688, {"Image": "c:\\w.exe"}))
    assert not reference_match(spec, event("Security", 4624, {"NewProcessName": "c:\\w.exe"}))
