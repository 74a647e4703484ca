"""MITRE ATT&CK as read-only reference collections, and ATT&CK tags resolved against them.

The ATT&CK releases come as STIX bundles (enterprise 18.1 in STIX 2.0, ICS and mobile in
2.1). A 2.0 object is brought to 2.1 the way STIX 2.1 section 1.5 allows for these types:
``spec_version`` is added, and a malware without ``is_family`` is a family (every ATT&CK
software entry is one).

Tags such as Sigma's ``attack.t1055.011``, ``attack.g0007`` or ``attack.defense_evasion``
resolve through the search terms of the imported objects. Rules written for ATT&CK v19 use
tactics that 18.1 does not have: v19 split Defense Evasion into Stealth and Defense
Impairment, so ``ALIASES`` maps both to 18.1's ``defense-evasion``, and ``TECHNIQUE_ALIASES``
maps the technique ids v19 added to the 18.1 techniques they came from (each result says so).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shieldwall.core.errors import InputError

MAX_BUNDLE = 512 << 20
# Tactic short names of newer ATT&CK releases -> the 18.1 tactic that holds their techniques.
ALIASES: dict[str, str] = {
    "stealth": "defense-evasion",
    "defense-impairment": "defense-evasion",
}
# Technique ids that ATT&CK v19 introduced when it split Impair Defenses (T1562) and parts of
# Indicator Removal (T1070) into the new Defense Impairment tactic -> the 18.1 technique that
# held the same behaviour. Inferred from the Sigma rules that carry the new ids (their titles
# and the 18.1 tags they carried before); to be replaced by MITRE's own crosswalk.
TECHNIQUE_ALIASES: dict[str, str] = {
    "t1685": "t1562.001",  # disable or modify tools
    "t1685.001": "t1562.002",  # disable Windows event logging
    "t1685.002": "t1562.008",  # disable or modify cloud logs
    "t1685.004": "t1562.012",  # disable or modify the Linux audit system
    "t1685.005": "t1070.001",  # clear Windows event logs
    "t1685.006": "t1070.002",  # clear Linux or Mac system logs
    "t1686": "t1562.004",  # disable or modify a system firewall
    "t1686.001": "t1562.007",  # disable or modify a cloud firewall
    "t1686.002": "t1562.004",  # network device firewall policy
    "t1686.003": "t1562.004",  # Windows firewall
    "t1689": "t1562",  # LSA protection settings
    "t1690": "t1562",  # hypervisor (ESXi) logging configuration
}
_TECHNIQUE = re.compile(r"^t\d{4}(?:\.\d{3})?$")
_GROUP_OR_SOFTWARE = re.compile(r"^[gsmc]\d{4}$")
_TACTIC_ID = re.compile(r"^ta\d{4}$")


def read_bundle(path: Path) -> list[Any]:
    """The objects of a STIX bundle file, or of the one JSON file in a zip."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".json")]
                if len(names) != 1:
                    raise InputError(
                        f"{path} should hold one JSON bundle, not {len(names)}",
                        code="intel.bad_bundle",
                        location=str(path),
                    )
                info = archive.getinfo(names[0])
                if info.file_size > MAX_BUNDLE:
                    raise InputError(f"{path} is too large", code="intel.too_large")
                data = archive.read(info)
        else:
            with path.open("rb") as fh:
                data = fh.read(MAX_BUNDLE + 1)
            if len(data) > MAX_BUNDLE:
                raise InputError(f"{path} is too large", code="intel.too_large")
        doc = json.loads(data)
    except (OSError, ValueError, RecursionError, zipfile.BadZipFile) as err:
        raise InputError(
            f"cannot read {path}: {err}", code="input.unreadable", location=str(path)
        ) from err
    if not isinstance(doc, dict) or not isinstance(doc.get("objects"), list):
        raise InputError(
            f"{path} is not a STIX bundle (no 'objects' list)",
            code="intel.bad_bundle",
            location=str(path),
        )
    return list(doc["objects"])


def upgrade(obj: Any) -> Any:
    """A STIX 2.0 ATT&CK object as STIX 2.1 (other values are returned as they are)."""
    if not isinstance(obj, Mapping) or obj.get("spec_version") not in (None, "2.0"):
        return obj
    out = dict(obj)
    out["spec_version"] = "2.1"
    if out.get("type") == "malware" and "is_family" not in out:
        out["is_family"] = True
    return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Tag:
    """An ATT&CK tag read as a search term."""

    tag: str
    term: str
    kind: str  # technique, tactic, group, software, ...
    alias_of: str | None = None


def parse_tag(tag: str) -> Tag | None:
    """``attack.t1055.011`` / ``attack.stealth`` / ... as a term; None if not an ATT&CK tag."""
    text = tag.strip().lower()
    if not text.startswith("attack."):
        return None
    body = text.removeprefix("attack.")
    if _TECHNIQUE.fullmatch(body):
        alias = TECHNIQUE_ALIASES.get(body)
        return Tag(tag=tag, term=alias or body, kind="technique", alias_of=body if alias else None)
    if re.fullmatch(r"ds\d{4}", body):
        return Tag(tag=tag, term=body, kind="data-source")
    if _TACTIC_ID.fullmatch(body):
        return Tag(tag=tag, term=body, kind="tactic")
    if _GROUP_OR_SOFTWARE.fullmatch(body):
        kinds = {"g": "group", "s": "software", "m": "mitigation", "c": "campaign"}
        return Tag(tag=tag, term=body, kind=kinds[body[0]])
    name = body.replace("_", "-")
    if not re.fullmatch(r"[a-z][a-z-]{1,60}", name):
        return None
    alias = ALIASES.get(name)
    return Tag(tag=tag, term=alias or name, kind="tactic", alias_of=name if alias else None)
