"""TLP 2.0 markings: the official marking definitions, an object's effective TLP, and who may
read what.

Slice 1 rules (per recipient): CLEAR anyone; GREEN any authenticated member (tier >= 1), never
anonymous callers; AMBER and AMBER+STRICT the owner organisation only (AMBER's "and those it
names" comes with sharing groups); RED only the principal who added the object (named
individuals come later). The local owner of the machine reads everything: they hold the
database file anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any

from shieldwall.core.errors import InputError
from shieldwall.core.types import Principal, PrincipalKind, Tier


class Tlp(IntEnum):
    """Ordered from least to most restrictive: ``max`` is the most restrictive."""

    CLEAR = 0
    GREEN = 1
    AMBER = 2
    AMBER_STRICT = 3
    RED = 4

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Tlp:
        key = text.strip().lower().removeprefix("tlp:")
        for tlp, label in _LABELS.items():
            if label == key:
                return tlp
        raise InputError(
            f"{text!r} is not a TLP level",
            code="intel.bad_tlp",
            hint="Use clear, green, amber, amber+strict or red.",
        )


_LABELS = {
    Tlp.CLEAR: "clear",
    Tlp.GREEN: "green",
    Tlp.AMBER: "amber",
    Tlp.AMBER_STRICT: "amber+strict",
    Tlp.RED: "red",
}

# The TLP 2.0 marking definitions published by OASIS (STIX 2.1 TLP 2.0 extension).
TLP2_IDS: dict[str, Tlp] = {
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": Tlp.CLEAR,
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": Tlp.GREEN,
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": Tlp.AMBER,
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": Tlp.AMBER_STRICT,
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": Tlp.RED,
}
# TLP 1.0 (STIX 2.1 section 7.2.1.4), mapped explicitly: WHITE is CLEAR.
TLP1_IDS: dict[str, Tlp] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": Tlp.CLEAR,
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": Tlp.GREEN,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": Tlp.AMBER,
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": Tlp.RED,
}
KNOWN_IDS: dict[str, Tlp] = {**TLP2_IDS, **TLP1_IDS}
_TLP1_WORDS = {Tlp.CLEAR: "white", Tlp.GREEN: "green", Tlp.AMBER: "amber", Tlp.RED: "red"}
# Look-alikes share the first group of an official id but are not it.
_PREFIXES = {k.split("--", 1)[1][:8]: k for k in KNOWN_IDS}
MARKING_ID = re.compile(
    r"^marking-definition--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[89abAB][0-9a-fA-F]{3}"
    r"-[0-9a-fA-F]{12}$"
)


def _reject(message: str, location: str) -> InputError:
    return InputError(message, code="intel.bad_marking", location=location)


def tlp_of_ref(ref: str, *, location: str = "object_marking_refs") -> Tlp | None:
    """The TLP a marking reference stands for; None for a non-TLP marking; InputError for a
    malformed reference or a look-alike of an official TLP id."""
    if not MARKING_ID.fullmatch(ref):
        raise _reject(f"{ref!r} is not a marking-definition id", location)
    ref = ref.lower()
    if ref in KNOWN_IDS:
        return KNOWN_IDS[ref]
    official = _PREFIXES.get(ref.split("--", 1)[1][:8])
    if official is not None:
        raise _reject(
            f"{ref} looks like the official TLP marking {official} but is not it", location
        )
    return None


def effective_tlp(refs: Iterable[str], *, default: Tlp) -> Tlp:
    """The most restrictive TLP among an object's ``object_marking_refs`` (default if none)."""
    found = [
        t
        for i, r in enumerate(refs)
        if (t := tlp_of_ref(r, location=f"object_marking_refs[{i}]")) is not None
    ]
    return max(found) if found else default


def check_marking_definition(obj: Mapping[str, Any]) -> None:
    """Reject an embedded marking definition that claims to be TLP under an id that is not an
    official one, or an official id whose content says another level."""
    mid = str(obj.get("id", "")).lower()
    name = str(obj.get("name", "")).lower()
    definition = obj.get("definition")
    claimed: str | None = None
    if obj.get("definition_type") == "tlp" and isinstance(definition, Mapping):
        claimed = str(definition.get("tlp", "")).lower()
    elif "tlp" in name or (
        isinstance(obj.get("extensions"), Mapping)
        and "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d" in obj["extensions"]
    ):
        claimed = name.removeprefix("tlp:")
    if mid not in KNOWN_IDS:
        if claimed is not None:
            raise _reject(
                f"{mid} defines a TLP marking but is not one of the official TLP ids", "id"
            )
        tlp_of_ref(mid, location="id")  # look-alike ids
        return
    level = KNOWN_IDS[mid]
    words = {level.label, _TLP1_WORDS.get(level, level.label)}
    if claimed is not None and claimed not in words:
        raise _reject(f"{mid} is TLP:{level.label.upper()} but its content says {claimed!r}", "id")


def may_read(
    principal: Principal,
    tlp: Tlp,
    *,
    owner_org: str | None,
    created_by: str | None = None,
) -> bool:
    """Whether this recipient may read an object (or collection) at this TLP."""
    if principal.kind is PrincipalKind.OWNER:
        return True
    match tlp:
        case Tlp.CLEAR:
            return True
        case Tlp.GREEN:
            return (
                principal.kind is not PrincipalKind.ANONYMOUS
                and principal.tier >= Tier.VERIFIED_INDIVIDUAL
            )
        case Tlp.AMBER | Tlp.AMBER_STRICT:
            return (
                principal.kind is not PrincipalKind.ANONYMOUS
                and principal.org is not None
                and principal.org == owner_org
            )
        case Tlp.RED:
            return created_by is not None and principal.id == created_by
