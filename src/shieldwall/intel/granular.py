"""Granular TLP markings (STIX 2.1 section 7.2.3): what a recipient without clearance for a
marked property is served instead.

Policy:

- A property (or list item) under a granular TLP marking is handled at the stricter of that
  marking and the object's own level. A granular marking can narrow who reads a property, never
  widen it: whether the object is served at all is decided by its object-level TLP alone, and a
  granular marking no stricter than that level changes nothing. A recipient is cleared for a
  stricter granular level by the same rule as for objects (``tlp.readable_levels``, and RED
  for whoever added the object).
- For a recipient without clearance, the selected content is removed: a property, a list item
  (several items of one list go together, so the indexes of the others stay right), a
  dictionary key. An external reference or kill chain phase left without what STIX requires of
  it goes whole; within any other list item, or within an extension, the whole item or
  extension goes. A list or dictionary left empty goes too (STIX forbids empty ones).
- The object is withheld from that recipient when what would go is one the object cannot lose:
  a property STIX requires of its type (``name``, ``pattern``, ...), one of a group it needs at
  least one of (``result``/``analysis_sco_refs``, ...), its identity and dates, or its markings.
  An object without them is not valid STIX; a recipient is better served nothing than an
  object that only looks complete.
- The granular markings the recipient is not cleared for are dropped from what is served (they
  select nothing any more); the others (``lang`` ones, non-TLP markings, TLP levels the
  recipient is cleared for) stay, their selectors renumbered where list items before them
  went, and dropped where what they selected went.

Not TLP markings (``lang``, statements, other marking definitions) are not access control and
are kept as they are. Removal alone cannot make anything else invalid (a timestamp, a
reference, a pattern): what is served passes intake validation and the ``stix2`` library, which
the property tests hold it to. Only the containers that lose something are rebuilt; the rest
is shared with the object given, which is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from shieldwall.intel.tlp import KNOWN_IDS, Tlp
from shieldwall.intel.validate import (
    REQUIRED,
    SCO_TYPES,
    Selector,
    parse_selector,
    unresolved,
)

__all__ = ["prune", "redact", "tlp_levels"]

# What no object may lose: its identity, dates and markings.
_CORE = frozenset({"type", "id", "spec_version", "created", "modified"})
_HANDLING = frozenset({"object_marking_refs", "granular_markings"})
# Properties a type needs at least one of, or that depend on each other (STIX 2.1; the
# constraints the ``stix2`` library checks): any of them goes, the object is withheld.
_GROUPS: dict[str, frozenset[str]] = {
    "artifact": frozenset({"payload_bin", "url", "hashes"}),
    "email-message": frozenset({"body", "body_multipart"}),
    "extension-definition": frozenset({"name", "schema", "version", "extension_types"}),
    "file": frozenset({"hashes", "name"}),
    "language-content": frozenset({"object_ref", "contents"}),
    "location": frozenset({"region", "country", "latitude", "longitude", "precision"}),
    "malware": frozenset({"name"}),
    "malware-analysis": frozenset({"result", "analysis_sco_refs"}),
    "marking-definition": frozenset({"name", "definition_type", "definition", "extensions"}),
    "network-traffic": frozenset({"src_ref", "dst_ref"}),
    "observed-data": frozenset({"objects", "object_refs"}),
}
# Types that need at least one property of their own: they lose none.
_WHOLE = frozenset({"process", "x509-certificate"})
_KNOWN_TYPES = frozenset(REQUIRED) | SCO_TYPES | frozenset(_GROUPS)
# Lists of records whose items may lose a property and stay, while what they keep is valid.
_RECORDS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    "external_references": lambda r: (
        "source_name" in r and any(k in r for k in ("description", "external_id", "url"))
    ),
    "kill_chain_phases": lambda r: "kill_chain_name" in r and "phase_name" in r,
}


class _Gone:
    """Marks removed content until the object is compacted."""


_GONE = _Gone()


def tlp_levels(obj: Mapping[str, Any]) -> frozenset[Tlp]:
    """The TLP levels of the object's granular markings."""
    markings = obj.get("granular_markings")
    if not isinstance(markings, list):
        return frozenset()
    return frozenset(
        KNOWN_IDS[ref.lower()]
        for m in markings
        if isinstance(m, Mapping)
        and isinstance(ref := m.get("marking_ref"), str)
        and ref.lower() in KNOWN_IDS
    )


def _protected(obj: Mapping[str, Any]) -> frozenset[str]:
    kind = str(obj.get("type"))
    if kind in _WHOLE:
        return frozenset(obj)
    keep = _CORE | _HANDLING | frozenset(REQUIRED.get(kind, ())) | _GROUPS.get(kind, frozenset())
    if kind not in _KNOWN_TYPES:  # a custom object's definition lives in its extensions
        keep |= {"extensions"}
    return keep


def _target(path: Selector) -> tuple[Selector, Selector | None]:
    """What goes for a selected path, and the record item to check afterwards (if any)."""
    if path[0] == "extensions" and len(path) > 2:
        return path[:2], None
    for n, step in enumerate(path):
        if isinstance(step, int) and n + 1 < len(path):  # inside a list item
            if n == 1 and path[0] in _RECORDS:
                return path, path[: n + 1]
            return path[: n + 1], None
    return path, None


def _get(root: Any, path: Selector) -> Any:
    value = root
    for step in path:
        value = value[step]
    return value


def _compact(
    value: Any,
    path: Selector,
    gone: set[Selector],
    touched: set[Selector],
    moved: dict[Selector, dict[int, int]],
) -> Any:
    """``value`` without the content at the ``gone`` paths; a list or dictionary that loses
    all it held goes too (``_GONE``). Only the ``touched`` containers (those holding a gone
    path) are rebuilt; the rest is shared. ``moved`` gets, per list that lost items, where
    each kept item went."""
    if path not in touched:
        return value
    if isinstance(value, dict):
        kept = {
            key: item
            for key, item in (
                (k, _compact(v, (*path, k), gone, touched, moved))
                for k, v in value.items()
                if (*path, k) not in gone
            )
            if item is not _GONE
        }
        return _GONE if value and not kept else kept
    if isinstance(value, list):
        items: list[Any] = []
        where: dict[int, int] = {}
        for n, item in enumerate(value):
            if (*path, n) not in gone:
                item = _compact(item, (*path, n), gone, touched, moved)
                if item is not _GONE:
                    where[n] = len(items)
                    items.append(item)
        if len(items) != len(value):
            moved[path] = where
        return _GONE if value and not items else items
    return value


def _renumber(path: Selector, moved: Mapping[Selector, Mapping[int, int]]) -> Selector | None:
    out: list[str | int] = []
    for n, step in enumerate(path):
        if isinstance(step, int) and (where := moved.get(path[:n])) is not None:
            if step not in where:
                return None
            step = where[step]
        out.append(step)
    return tuple(out)


def _text(path: Selector) -> str:
    return ".".join(f"[{s}]" if isinstance(s, int) else s for s in path)


def prune(
    obj: Mapping[str, Any],
    paths: Iterable[Selector],
    *,
    drop: frozenset[int] = frozenset(),
    keep: frozenset[str] = frozenset(),
) -> dict[str, Any] | None:
    """A copy of ``obj`` without the content at ``paths`` (each resolving in ``obj``), its
    granular markings at the indexes ``drop`` dropped and the others' selectors renumbered;
    None when the object may not lose what would go (see the module's policy; ``keep``: more
    properties it may not lose)."""
    protected = _protected(obj) | keep
    gone: set[Selector] = set()
    records: set[Selector] = set()
    for path in paths:
        if path[0] in _HANDLING or path[0] in _CORE:
            return None
        target, record = _target(path)
        gone.add(target)
        if record is not None:
            records.add(record)
    for record in records:  # a record item left without what it needs goes whole
        item = _get(obj, record)
        if isinstance(item, Mapping):
            rest = {k: v for k, v in item.items() if (*record, k) not in gone}
            if not _RECORDS[str(record[0])](rest):
                gone.add(record)
    touched = {t[:n] for t in gone for n in range(len(t))} | {()}
    moved: dict[Selector, dict[int, int]] = {}
    served = _compact(obj, (), gone, touched, moved)
    if not isinstance(served, dict) or any(k in obj and k not in served for k in protected):
        return None
    markings: list[dict[str, Any]] = []
    for n, marking in enumerate(obj.get("granular_markings") or ()):
        if n in drop or not isinstance(marking, Mapping):
            continue
        selectors: list[str] = []
        for text in marking.get("selectors") or ():
            parsed = parse_selector(text) if isinstance(text, str) else None
            if parsed is None or parsed[0] == "granular_markings":  # renumbered: not kept
                continue
            moved_to = _renumber(parsed, moved)
            if moved_to is not None and unresolved(served, moved_to) is None:
                selectors.append(_text(moved_to))
        if selectors:
            markings.append({**marking, "selectors": selectors})
    served.pop("granular_markings", None)
    if markings:
        served["granular_markings"] = markings
    return served


def redact(obj: dict[str, Any], *, cleared: Callable[[Tlp], bool]) -> dict[str, Any] | None:
    """The object as served to a recipient cleared for the TLP levels ``cleared`` accepts:
    ``obj`` itself when no granular marking withholds anything from them, a redacted copy, or
    None when the object is withheld from them whole (the module's policy)."""
    markings = obj.get("granular_markings")
    if not isinstance(markings, list):
        return obj
    paths: list[Selector] = []
    drop: set[int] = set()
    for n, marking in enumerate(markings):
        ref = marking.get("marking_ref") if isinstance(marking, Mapping) else None
        level = KNOWN_IDS.get(ref.lower()) if isinstance(ref, str) else None
        if level is None or cleared(level):
            continue
        drop.add(n)
        for text in marking.get("selectors") or ():
            path = parse_selector(text) if isinstance(text, str) else None
            if path is None or unresolved(obj, path) is not None:
                return None  # stored before selectors were checked: nothing is sure
            paths.append(path)
    if not drop:
        return obj
    return prune(obj, paths, drop=frozenset(drop))
