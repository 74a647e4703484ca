"""MITRE ATT&CK names for what detect finds: techniques, tactics, and the matrix's column order.

The base table is ``data/attack.json``, extracted from MITRE's Enterprise ATT&CK 18.1 bundle by
``scripts/build_attack_table.py`` (its header carries MITRE's terms of use). SigmaHQ already tags
rules with ATT&CK v19 (28 April 2026), which 18.1 does not know. v19 split the Defense Evasion
tactic in two: TA0005 was renamed **Stealth** and a new tactic, **Defense Impairment**
(TA0112), took the techniques that disable or tamper with defenses; T1562 "Impair Defenses"
and its sub-techniques, and T1070.001/.002 (log clearing), were revoked and replaced by T1685
"Disable or Modify Tools", T1686 "Disable or Modify System Firewall", T1688, T1689 and T1690.
The explicit tables below carry those additions, each with the 18.1 technique it replaces
(MITRE's revoked-by relationships of v19, as published in Yamato Security's WELA remap table),
so that:

* every v19 tag resolves to a name and a tactic (``tests/eval`` checks every ``attack.*`` tag
  SigmaHQ uses);
* a technique can be written for either version (:meth:`Attack.technique_for`): an ATT&CK
  Navigator layer for 18 gets ``T1562.001`` where the rule said ``T1685``;
* tactics are canonical in v19 terms everywhere (``defense-evasion`` is read as ``stealth``,
  a technique v19 moved is under ``defense-impairment``), and :func:`tactic_in_18` gives the
  closest 18.1 tactic (both new tactics were parts of ``defense-evasion``).

Nothing is read at import time: :func:`load_attack` reads the table on first use and caches it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

NavigatorVersion = Literal["18", "19"]

# -- ATT&CK v19 ---------------------------------------------------------------------------------

#: The Enterprise tactics of v19, in the matrix's column order: (id, short name, name).
V19_TACTICS: tuple[tuple[str, str, str], ...] = (
    ("TA0043", "reconnaissance", "Reconnaissance"),
    ("TA0042", "resource-development", "Resource Development"),
    ("TA0001", "initial-access", "Initial Access"),
    ("TA0002", "execution", "Execution"),
    ("TA0003", "persistence", "Persistence"),
    ("TA0004", "privilege-escalation", "Privilege Escalation"),
    ("TA0005", "stealth", "Stealth"),
    ("TA0112", "defense-impairment", "Defense Impairment"),
    ("TA0006", "credential-access", "Credential Access"),
    ("TA0007", "discovery", "Discovery"),
    ("TA0008", "lateral-movement", "Lateral Movement"),
    ("TA0009", "collection", "Collection"),
    ("TA0011", "command-and-control", "Command and Control"),
    ("TA0010", "exfiltration", "Exfiltration"),
    ("TA0040", "impact", "Impact"),
)

#: Older tactic short names and what v19 calls them (TA0005 kept its id, changed its name).
TACTIC_ALIASES: Mapping[str, str] = {"defense-evasion": "stealth"}

#: The closest 18.1 tactic of each v19 tactic that 18.1 lacks: both halves of the split were
#: Defense Evasion (every technique v19 moved to Defense Impairment was a defense-evasion
#: technique in 18.1, e.g. T1562.* and T1070.001/.002).
TACTICS_IN_18: Mapping[str, str] = {
    "stealth": "defense-evasion",
    "defense-impairment": "defense-evasion",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _V19Technique:
    name: str
    tactics: tuple[str, ...]
    replaces: str  # the 18.1 technique it revoked (for an 18 Navigator layer)


_IMPAIR = ("defense-impairment",)

#: Techniques v19 added, named as MITRE names them where the name is published, otherwise
#: after the 18.1 technique they replace.
V19_TECHNIQUES: Mapping[str, _V19Technique] = {
    "T1685": _V19Technique(name="Disable or Modify Tools", tactics=_IMPAIR, replaces="T1562.001"),
    "T1685.001": _V19Technique(
        name="Disable or Modify Windows Event Log", tactics=_IMPAIR, replaces="T1562.002"
    ),
    "T1685.002": _V19Technique(
        name="Disable or Modify Cloud Log", tactics=_IMPAIR, replaces="T1562.008"
    ),
    "T1685.003": _V19Technique(
        name="Modify or Spoof Tool UI", tactics=_IMPAIR, replaces="T1562.011"
    ),
    "T1685.004": _V19Technique(
        name="Disable or Modify Linux Audit System Log", tactics=_IMPAIR, replaces="T1562.012"
    ),
    "T1685.005": _V19Technique(
        name="Clear Windows Event Logs", tactics=_IMPAIR, replaces="T1070.001"
    ),
    "T1685.006": _V19Technique(
        name="Clear Linux or Mac System Logs", tactics=_IMPAIR, replaces="T1070.002"
    ),
    "T1686": _V19Technique(
        name="Disable or Modify System Firewall", tactics=_IMPAIR, replaces="T1562.004"
    ),
    "T1686.001": _V19Technique(
        name="Disable or Modify Cloud Firewall", tactics=_IMPAIR, replaces="T1562.007"
    ),
    "T1686.002": _V19Technique(
        name="Network Device Firewall", tactics=_IMPAIR, replaces="T1562.013"
    ),
    "T1686.003": _V19Technique(name="Windows Host Firewall", tactics=_IMPAIR, replaces="T1562.004"),
    "T1688": _V19Technique(name="Safe Mode Boot", tactics=_IMPAIR, replaces="T1562.009"),
    "T1689": _V19Technique(name="Downgrade Attack", tactics=_IMPAIR, replaces="T1562.010"),
    "T1690": _V19Technique(
        name="Prevent Command History Logging", tactics=_IMPAIR, replaces="T1562.003"
    ),
    "T1684.001": _V19Technique(name="Impersonation", tactics=("stealth",), replaces="T1656"),
    "T1684.002": _V19Technique(name="Email Spoofing", tactics=("stealth",), replaces="T1672"),
}

#: 18.1 techniques that v19 revoked, and the v19 technique that replaced each.
V19_REPLACED: Mapping[str, str] = {
    "T1562": "T1685",
    "T1562.001": "T1685",
    "T1562.002": "T1685.001",
    "T1562.003": "T1690",
    "T1562.004": "T1686",
    "T1562.006": "T1685",
    "T1562.007": "T1686.001",
    "T1562.008": "T1685.002",
    "T1562.009": "T1688",
    "T1562.010": "T1689",
    "T1562.011": "T1685.003",
    "T1562.012": "T1685.004",
    "T1562.013": "T1686.002",
    "T1070.001": "T1685.005",
    "T1070.002": "T1685.006",
    "T1656": "T1684.001",
    "T1672": "T1684.002",
}

_TECHNIQUE_ID = re.compile(r"^T\d{4}(?:\.\d{3})?$")
_TACTIC_ID = re.compile(r"^TA\d{4}$")
#: Tag kinds that are ATT&CK but neither technique nor tactic: groups, software, data sources,
#: campaigns, mitigations.
_OTHER_KIND = re.compile(r"^(?:g|s|ds|c|m)\d{4}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Tactic:
    id: str
    shortname: str
    name: str
    #: The column of the Enterprise matrix (v19), from 0.
    order: int

    @property
    def url(self) -> str:
        return f"https://attack.mitre.org/tactics/{self.id}/"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "shortname": self.shortname, "name": self.name}


@dataclass(frozen=True, slots=True, kw_only=True)
class Technique:
    id: str
    name: str
    #: The parent technique's name, for a sub-technique.
    parent_name: str | None = None
    #: Canonical (v19) tactic short names, in matrix order.
    tactics: tuple[str, ...] = ()
    deprecated: bool = False
    #: The id that names this technique in ATT&CK 18.1 and in v19.
    id_18: str
    id_19: str

    @property
    def full_name(self) -> str:
        return f"{self.parent_name}: {self.name}" if self.parent_name else self.name

    @property
    def url(self) -> str:
        return f"https://attack.mitre.org/techniques/{self.id.replace('.', '/')}/"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.full_name,
            "tactics": list(self.tactics),
            "url": self.url,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class AttackTags:
    """What a rule's ``attack.*`` tags name."""

    techniques: tuple[Technique, ...] = ()
    tactics: tuple[Tactic, ...] = ()
    #: ``attack.*`` tags that name no technique or tactic this table knows.
    unresolved: tuple[str, ...] = ()
    #: Group, software and data-source tags (``attack.g0007``): known kinds, not mapped here.
    other: tuple[str, ...] = ()


def tactic_in_18(shortname: str) -> str:
    """The 18.1 short name closest to a (canonical or older) tactic short name."""
    return TACTICS_IN_18.get(shortname, shortname)


class Attack:
    """The lookup table. Build with :func:`load_attack` (cached) or from a parsed table."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        self.version = str(table["attack_version"])
        self.domain = str(table.get("domain", "enterprise-attack"))
        self.terms_of_use = str(table.get("_terms_of_use", ""))
        self._tactics = tuple(
            Tactic(id=tid, shortname=short, name=name, order=n)
            for n, (tid, short, name) in enumerate(V19_TACTICS)
        )
        self._tactic_by_key: dict[str, Tactic] = {}
        for tactic in self._tactics:
            for key in (tactic.id, tactic.shortname, tactic.name):
                self._tactic_by_key[_tactic_key(key)] = tactic
        for old, new in TACTIC_ALIASES.items():
            self._tactic_by_key[_tactic_key(old)] = self._tactic_by_key[new]
        self._tactic_by_key[_tactic_key("Defense Evasion")] = self._tactic_by_key["stealth"]
        for tid, short, _name in table.get("tactics", ()):
            canonical = TACTIC_ALIASES.get(short, short)
            if _tactic_key(canonical) in self._tactic_by_key:
                self._tactic_by_key.setdefault(_tactic_key(tid), self._tactic_by_key[canonical])

        raw: Mapping[str, Sequence[Any]] = table["techniques"]
        self._revoked: Mapping[str, str] = dict(table.get("revoked", {}))
        self._techniques: dict[str, Technique] = {}
        for tid, entry in raw.items():
            name, tactics = str(entry[0]), [str(t) for t in entry[1]]
            v19 = V19_REPLACED.get(tid)
            if v19 is not None and v19 in V19_TECHNIQUES:
                tactics = list(V19_TECHNIQUES[v19].tactics)
            parent = raw.get(tid.split(".")[0]) if "." in tid else None
            self._techniques[tid] = Technique(
                id=tid,
                name=name,
                parent_name=str(parent[0]) if parent else None,
                tactics=self.ordered(tactics),
                deprecated="d" in entry[2:],
                id_18=tid,
                id_19=v19 or tid,
            )
        for tid, extra in V19_TECHNIQUES.items():
            parent_id = tid.split(".")[0]
            parent_name: str | None = None
            if "." in tid:
                parent_v19 = V19_TECHNIQUES.get(parent_id)
                parent_name = parent_v19.name if parent_v19 else None
            self._techniques[tid] = Technique(
                id=tid,
                name=extra.name,
                parent_name=parent_name,
                tactics=self.ordered(extra.tactics),
                id_18=extra.replaces,
                id_19=tid,
            )

    # -- tactics -----------------------------------------------------------------------------
    @property
    def tactics(self) -> tuple[Tactic, ...]:
        """The Enterprise matrix's columns (v19)."""
        return self._tactics

    def tactic(self, name: str) -> Tactic | None:
        """A tactic by short name (either version, ``_`` or ``-``), display name or TA id."""
        return self._tactic_by_key.get(_tactic_key(name))

    def ordered(self, tactics: Iterable[str]) -> tuple[str, ...]:
        """Canonical short names, deduplicated, in matrix order; unknown names last, as given."""
        known: dict[str, Tactic] = {}
        unknown: list[str] = []
        for name in tactics:
            tactic = self.tactic(name)
            if tactic is not None:
                known[tactic.shortname] = tactic
            elif name not in unknown:
                unknown.append(name)
        return (*(t.shortname for t in sorted(known.values(), key=lambda t: t.order)), *unknown)

    # -- techniques --------------------------------------------------------------------------
    def technique(self, technique_id: str) -> Technique | None:
        """A technique by id (any case). A revoked 18.1 id gives the technique that replaced
        it; a v19 id gives the v19 technique."""
        tid = technique_id.strip().upper()
        if not _TECHNIQUE_ID.match(tid):
            return None
        found = self._techniques.get(tid)
        if found is None and tid in self._revoked:
            found = self._techniques.get(self._revoked[tid])
        return found

    def technique_for(self, technique_id: str, version: NavigatorVersion) -> str | None:
        """The id that names this technique in ATT&CK ``version`` ("18" or "19")."""
        found = self.technique(technique_id)
        if found is None:
            return None
        return found.id_18 if version == "18" else found.id_19

    def tactics_of(self, technique_ids: Iterable[str]) -> tuple[str, ...]:
        """The tactics the given techniques belong to, in matrix order."""
        names: list[str] = []
        for tid in technique_ids:
            found = self.technique(tid)
            if found is not None:
                names.extend(found.tactics)
        return self.ordered(names)

    def resolve_tags(self, tags: Iterable[str]) -> AttackTags:
        """Sort a rule's tags into the techniques and tactics they name."""
        techniques: dict[str, Technique] = {}
        tactics: dict[str, Tactic] = {}
        unresolved: list[str] = []
        other: list[str] = []
        for tag in tags:
            lowered = tag.strip().lower()
            if not lowered.startswith("attack."):
                continue
            name = lowered.removeprefix("attack.")
            if re.match(r"^t\d{4}(?:\.\d{3})?$", name):
                found = self.technique(name)
                if found is None:
                    unresolved.append(tag)
                else:
                    techniques.setdefault(found.id, found)
            elif _OTHER_KIND.match(name):
                other.append(tag)
            else:
                tactic = self.tactic(name)
                if tactic is None:
                    unresolved.append(tag)
                else:
                    tactics.setdefault(tactic.shortname, tactic)
        return AttackTags(
            techniques=tuple(techniques.values()),
            tactics=tuple(sorted(tactics.values(), key=lambda t: t.order)),
            unresolved=tuple(unresolved),
            other=tuple(other),
        )


def _tactic_key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


@cache
def load_attack() -> Attack:
    """The table shipped with Shieldwall (read once, on first use)."""
    text = resources.files("shieldwall.detect").joinpath("data/attack.json").read_text("utf-8")
    return Attack(json.loads(text))
