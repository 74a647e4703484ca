"""TLP 2.0 markings: the official marking definitions, an object's effective TLP, and who may
read what.

Who reads what is decided per recipient by ``readable_levels`` (its docstring is the policy);
the store applies the same rule in SQL on every read path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Audience:
    """Who a collection addresses, besides the public and the community.

    ``owner_org`` is the organisation that owns the collection (None: the hub operator's own);
    ``orgs`` are the organisations it names for TLP:AMBER, directly or through its sharing
    groups (already expanded); ``people`` are the principals it names for TLP:RED.
    """

    owner_org: str | None
    orgs: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()


def _member_of(principal: Principal, org: str | None) -> bool:
    """Whether the principal speaks for ``org``; None is the hub operator's own organisation."""
    if org is None:
        return principal.kind is PrincipalKind.OWNER
    return principal.kind is PrincipalKind.API_KEY and principal.org == org


def verified(principal: Principal) -> bool:
    """Whether the principal may read anything beyond TLP:CLEAR at all: the operator, or an
    account whose e-mail is verified (tier >= 1); never an anonymous caller."""
    if principal.kind is PrincipalKind.ANONYMOUS:
        return False
    return principal.kind is PrincipalKind.OWNER or principal.tier >= Tier.VERIFIED_INDIVIDUAL


def readable_levels(principal: Principal, audience: Audience) -> frozenset[Tlp]:
    """The TLP levels this principal may read in a collection with this audience (RED objects
    are also readable by whoever added them: see ``may_read``).

    Policy (TLP 2.0, per recipient):

    - CLEAR: anyone, anonymous callers included.
    - GREEN: the community, i.e. members of a verified organisation (tier >= 2), plus every
      organisation the collection addresses.
    - AMBER: members of the owner organisation and of the organisations it names (directly or
      through sharing groups).
    - AMBER+STRICT: members of the owner organisation only.
    - RED: the individuals the collection names only (and the object's creator).

    The hub operator (the local owner) is no exception: they read CLEAR and GREEN, and AMBER,
    AMBER+STRICT or RED only in their own collections or where a collection names them. A hub
    that serves a hundred organisations must not quietly hand its operator the RED intelligence
    one member addressed to another; whoever holds the database file can still read it, which is
    why the file belongs on an encrypted disk.
    """
    levels = {Tlp.CLEAR}
    if not verified(principal):
        return frozenset(levels)
    owner = _member_of(principal, audience.owner_org)
    named = principal.org is not None and principal.org in audience.orgs
    if (
        owner
        or named
        or principal.tier >= Tier.VERIFIED_ORG
        or principal.kind is PrincipalKind.OWNER
    ):
        levels.add(Tlp.GREEN)
    if owner or named:
        levels.add(Tlp.AMBER)
    if owner:
        levels.add(Tlp.AMBER_STRICT)
    if principal.id in audience.people:
        levels.add(Tlp.RED)
    return frozenset(levels)


def may_read(
    principal: Principal, tlp: Tlp, *, audience: Audience, created_by: str | None = None
) -> bool:
    """Whether this recipient may read an object (or a collection) at this TLP."""
    if tlp is Tlp.RED and created_by is not None and principal.id == created_by:
        return verified(principal)
    return tlp in readable_levels(principal, audience)
