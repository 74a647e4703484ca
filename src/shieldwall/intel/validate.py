"""Intake validation of STIX 2.1 objects: fast, ours, and held to the ``stix2`` library (the
oracle) in the tests.

Checked: the common properties (type, id and its agreement with the type, spec_version,
created/modified), each type's required properties (STIX 2.1 sections 4-6), every timestamp
property, every ``*_ref``/``*_refs`` identifier, the STIX pattern of an indicator
(``intel.pattern``), TLP markings (``intel.tlp``: no look-alike ids), and granular markings
(exactly one of ``marking_ref`` and ``lang``; every selector selects something in the object;
what they withhold from whom is ``intel.granular``). Whether a marking reference resolves needs
the store and is checked there. Unknown properties are kept (custom
``x_`` properties are common in shared intelligence).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shieldwall.core.errors import InputError
from shieldwall.intel.pattern import Comparison, parse_pattern
from shieldwall.intel.tlp import Tlp, check_marking_definition, effective_tlp, tlp_of_ref

_TYPE = re.compile(r"^[a-z][a-z0-9-]{1,248}[a-z0-9]$")
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_REF = re.compile(
    r"^([a-z][a-z0-9-]{1,248}[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
    r"-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
)
_TS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$", re.ASCII)
# STIX 2.1 cyber-observable types: no created/modified required.
SCO_TYPES = frozenset(
    {
        "artifact", "autonomous-system", "directory", "domain-name", "email-addr",
        "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
        "network-traffic", "process", "software", "url", "user-account", "windows-registry-key",
        "x509-certificate",
    }
)  # fmt: skip
# Required properties per type, beyond the common ones (STIX 2.1; indicator's valid_from too,
# which the spec requires and the stix2 library fills in).
REQUIRED: dict[str, tuple[str, ...]] = {
    "attack-pattern": ("name",),
    "campaign": ("name",),
    "course-of-action": ("name",),
    "grouping": ("context", "object_refs"),
    "identity": ("name",),
    "incident": ("name",),
    "indicator": ("pattern", "pattern_type", "valid_from"),
    "infrastructure": ("name",),
    "intrusion-set": ("name",),
    "malware": ("is_family",),
    "malware-analysis": ("product",),
    "note": ("content", "object_refs"),
    "observed-data": ("first_observed", "last_observed", "number_observed"),
    "opinion": ("opinion", "object_refs"),
    "report": ("name", "published", "object_refs"),
    "threat-actor": ("name",),
    "tool": ("name",),
    "vulnerability": ("name",),
    "relationship": ("relationship_type", "source_ref", "target_ref"),
    "sighting": ("sighting_of_ref",),
    "autonomous-system": ("number",),
    "directory": ("path",),
    "domain-name": ("value",),
    "email-addr": ("value",),
    "email-message": ("is_multipart",),
    "ipv4-addr": ("value",),
    "ipv6-addr": ("value",),
    "mac-addr": ("value",),
    "mutex": ("name",),
    "network-traffic": ("protocols",),
    "software": ("name",),
    "url": ("value",),
}
TIMESTAMPS = (
    "valid_from", "valid_until", "first_seen", "last_seen", "published", "first_observed",
    "last_observed", "start_time", "stop_time",
)  # fmt: skip
# (earlier, later): the later may not come before the earlier.
ORDERED = (
    ("valid_from", "valid_until"),
    ("first_seen", "last_seen"),
    ("first_observed", "last_observed"),
    ("start_time", "stop_time"),
)
# Which types a reference property may point at, where STIX 2.1 says so.
REF_TYPES: dict[str, frozenset[str]] = {
    "created_by_ref": frozenset({"identity"}),
    "sighting_of_ref": (frozenset(REQUIRED) - SCO_TYPES - {"relationship", "sighting"})
    | {"location"},
    "observed_data_refs": frozenset({"observed-data"}),
    "where_sighted_refs": frozenset({"identity", "location"}),
    "object_marking_refs": frozenset({"marking-definition"}),
}


def parse_timestamp(value: Any, *, location: str) -> int:
    """An RFC 3339 UTC timestamp (``Z``) as microseconds since the epoch."""
    bad = InputError(
        f"{value!r} is not an RFC 3339 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)",
        code="intel.bad_timestamp",
        location=location,
    )
    if not isinstance(value, str):
        raise bad
    m = _TS.fullmatch(value)
    if m is None:
        raise bad
    y, mo, d, h, mi, s, frac = m.groups()
    try:
        at = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s), tzinfo=UTC)
    except ValueError as err:
        raise bad from err
    micros = int((frac or "0")[:6].ljust(6, "0"))
    return int(at.timestamp()) * 1_000_000 + micros


_EPOCH = datetime(1970, 1, 1)


def format_timestamp(micros: int) -> str:
    # Naive arithmetic from the epoch and isoformat: half the cost of strftime on a tz-aware
    # datetime, and the same text (a test holds the two to it).
    return (_EPOCH + timedelta(microseconds=micros)).isoformat(timespec="microseconds") + "Z"


@dataclass(frozen=True, slots=True, kw_only=True)
class Checked:
    """What intake learned from one valid object."""

    id: str
    type: str
    spec_version: str
    modified_us: int
    marking_refs: tuple[str, ...]  # object and granular markings: each must resolve
    object_marking_refs: tuple[str, ...] = ()  # the object's own: its TLP (granular ones redact)
    comparisons: tuple[Comparison, ...] = ()


def _bad(message: str, location: str, code: str = "intel.bad_object") -> InputError:
    return InputError(message, code=code, location=location)


def _check_ref(value: Any, name: str, location: str) -> str:
    if not isinstance(value, str):
        raise _bad(f"{name} must be a STIX identifier", location)
    m = _REF.fullmatch(value)
    if m is None:
        raise _bad(f"{value!r} is not a STIX identifier (type--uuid)", location)
    allowed = REF_TYPES.get(name)
    if allowed is not None and m.group(1) not in allowed:
        raise _bad(f"{name} may not point at a {m.group(1)}", location)
    return value


def _check_refs(obj: Mapping[str, Any]) -> None:
    """Every ``*_ref``/``*_refs`` of the specification must hold identifiers; custom ``x_``
    properties are the producer's (ATT&CK's ``x_mitre_data_source_ref`` may be empty)."""
    for name, value in obj.items():
        if name.startswith("x_"):
            continue
        if name.endswith("_ref"):
            _check_ref(value, name, name)
        elif name.endswith("_refs"):
            if not isinstance(value, list) or not value:
                raise _bad(f"{name} must be a non-empty list of STIX identifiers", name)
            for i, item in enumerate(value):
                _check_ref(item, name, f"{name}[{i}]")


Selector = tuple[str | int, ...]
# A selector's components (STIX 2.1 section 7.2.3.1): a property name or dictionary key
# (the characters the specification allows in either), or a zero-based list index in brackets.
_SELECTOR_KEY = re.compile(r"[A-Za-z0-9_-]{1,250}", re.ASCII)
_SELECTOR_INDEX = re.compile(r"\[(0|[1-9][0-9]{0,8})\]", re.ASCII)
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", re.ASCII)


def parse_selector(text: str) -> Selector | None:
    """A granular marking's selector as its path (``external_references.[1].url`` is
    ``("external_references", 1, "url")``); None if it is not of the selector syntax."""
    if not text or len(text) > 5000:
        return None
    steps: list[str | int] = []
    for part in text.split("."):
        index = _SELECTOR_INDEX.fullmatch(part)
        if index is not None:
            steps.append(int(index.group(1)))
        elif _SELECTOR_KEY.fullmatch(part):
            steps.append(part)
        else:
            return None
    if isinstance(steps[0], int):  # the root is the object: a property comes first
        return None
    return tuple(steps)


def unresolved(obj: Any, path: Selector) -> str | None:
    """Why ``path`` selects nothing in ``obj`` (None: it selects something)."""
    value = obj
    for n, step in enumerate(path):
        where = ".".join(f"[{s}]" if isinstance(s, int) else s for s in path[:n]) or "the object"
        if isinstance(step, int):
            if not isinstance(value, list):
                return f"{where} is not a list"
            if step >= len(value):
                return f"{where} has {len(value)} items"
            value = value[step]
        else:
            if not isinstance(value, Mapping):
                return f"{where} is not an object"
            if step not in value:
                return f"{where} has no property {step}"
            value = value[step]
    return None


def _bad_selector(oid: str, message: str, location: str) -> InputError:
    return InputError(
        f"{oid}: {message}",
        code="intel.bad_selector",
        location=location,
        hint="Each selector names content present in the object, in the STIX 2.1 selector "
        "syntax: description, external_references.[0].url, kill_chain_phases.",
    )


def _check_granular(obj: Mapping[str, Any], oid: str) -> list[str]:
    """Granular markings (STIX 2.1 section 7.2.3): each has exactly one of ``marking_ref``
    (a marking definition, TLP ids checked as for object markings) and ``lang``, and
    non-empty ``selectors`` that each resolve in the object. The marking references (for
    the store to check they resolve)."""
    markings = obj.get("granular_markings")
    if markings is None:
        return []
    refs: list[str] = []
    if not isinstance(markings, list) or not markings:
        raise _bad("granular_markings must be a non-empty list", "granular_markings")
    for i, marking in enumerate(markings):
        where = f"granular_markings[{i}]"
        if not isinstance(marking, Mapping):
            raise _bad("a granular marking must be an object", where)
        selectors = marking.get("selectors")
        if not isinstance(selectors, list) or not selectors:
            raise _bad_selector(
                oid, "selectors must be a non-empty list of selectors", f"{where}.selectors"
            )
        for j, text in enumerate(selectors):
            at = f"{where}.selectors[{j}]"
            path = parse_selector(text) if isinstance(text, str) else None
            if path is None:
                raise _bad_selector(oid, f"{text!r} is not a selector", at)
            why = unresolved(obj, path)
            if why is not None:
                raise _bad_selector(oid, f"the selector {text!r} selects nothing: {why}", at)
        ref, lang = marking.get("marking_ref"), marking.get("lang")
        if (ref is None) == (lang is None):
            raise _bad(
                f"{oid}: a granular marking has exactly one of marking_ref and lang",
                where,
                "intel.bad_marking",
            )
        if lang is not None:
            if not isinstance(lang, str) or not _LANG.fullmatch(lang):
                raise _bad(f"{oid}: lang must be an RFC 5646 language tag", f"{where}.lang")
            continue
        at = f"{where}.marking_ref"
        ref = _check_ref(ref, "object_marking_refs", at)
        tlp_of_ref(ref, location=at)  # malformed ids and look-alikes of the TLP ids
        if ref.lower() == oid.lower():
            raise _bad(f"{oid}: a marking definition may not mark itself", at, "intel.bad_marking")
        refs.append(ref)
    return refs


def check_object(obj: Any) -> Checked:
    """Validate one STIX 2.1 object; InputError (with the property as its location) if it is
    not acceptable."""
    if not isinstance(obj, Mapping):
        raise InputError("a STIX object must be a JSON object", code="intel.bad_object")
    kind = obj.get("type")
    if not isinstance(kind, str) or not _TYPE.fullmatch(kind) or "--" in kind:
        raise _bad(f"{kind!r} is not a STIX type", "type")
    oid = obj.get("id")
    prefix = f"{kind}--"
    if (
        not isinstance(oid, str)
        or not oid.startswith(prefix)
        or not _UUID.fullmatch(oid[len(prefix) :])
    ):
        raise _bad(f"{oid!r} is not an id of the form {kind}--<uuid>", "id")
    if obj.get("spec_version") != "2.1":
        raise _bad('spec_version must be "2.1"', "spec_version")
    modified_us = 0
    if kind not in SCO_TYPES:
        created = parse_timestamp(obj.get("created"), location="created")
        modified_us = created
        if kind != "marking-definition" or "modified" in obj:
            modified_us = parse_timestamp(obj.get("modified"), location="modified")
            if modified_us < created:
                raise _bad("modified is earlier than created", "modified")
    for name in REQUIRED.get(kind, ()):
        if obj.get(name) is None:
            raise _bad(f"a {kind} needs the property {name}", name)
    if kind == "malware" and obj.get("is_family") is True and obj.get("name") is None:
        raise _bad("a malware family needs a name", "name")
    if kind == "malware-analysis" and "result" not in obj and "analysis_sco_refs" not in obj:
        raise _bad("a malware-analysis needs result or analysis_sco_refs", "result")
    stamps: dict[str, int] = {}
    for name in TIMESTAMPS:
        if name in obj and kind not in SCO_TYPES:
            stamps[name] = parse_timestamp(obj[name], location=name)
    for early, late in ORDERED:
        if early in stamps and late in stamps and stamps[late] < stamps[early]:
            raise _bad(f"{late} is earlier than {early}", late)
    if kind == "indicator" and stamps.get("valid_until", 1 << 62) <= stamps["valid_from"]:
        raise _bad("valid_until must be later than valid_from", "valid_until")
    _check_refs(obj)
    refs = obj.get("object_marking_refs", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise _bad(
            "object_marking_refs must be a list of marking-definition ids",
            "object_marking_refs",
            "intel.bad_marking",
        )
    effective_tlp(refs, default=Tlp.CLEAR)  # well-formed, no look-alikes
    granular = _check_granular(obj, oid)
    if kind == "marking-definition":
        check_marking_definition(obj)
    comparisons: tuple[Comparison, ...] = ()
    if kind == "indicator":
        pattern = obj["pattern"]
        if not isinstance(pattern, str):
            raise _bad("pattern must be a string", "pattern")
        if obj["pattern_type"] == "stix":
            comparisons = tuple(parse_pattern(pattern))
    return Checked(
        id=oid.lower(),
        type=kind,
        spec_version="2.1",
        modified_us=modified_us,
        marking_refs=tuple(dict.fromkeys([*refs, *granular])),
        object_marking_refs=tuple(refs),
        comparisons=comparisons,
    )
