"""The deterministic playbook: a few hunts over normalized events, and what to do about what is
found, keyed by ATT&CK tactic and technique.

The hunts are not a detection engine (Sigma rules in ``detect`` are); they are the questions an
analyst asks first of raw events handed to an investigation when no incident exists yet: who
touched LSASS, what ran from a download folder, was a log cleared. Each names its ATT&CK
technique so the recommendations below apply. Events are the JSON shape ``detect`` produces
(``event_id``, ``channel``, ``fields`` with EVTX/Sysmon field names, ``source``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from shieldwall.core.types import Severity

Event = Mapping[str, Any]
MAX_HIT_EVENTS: Final = 20


def _fields(event: Event) -> Mapping[str, Any]:
    fields = event.get("fields")
    return fields if isinstance(fields, Mapping) else {}


def event_id(event: Event) -> int | None:
    value = event.get("event_id")
    if value is None:
        value = _fields(event).get("EventID")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def field(event: Event, *names: str) -> str:
    fields = _fields(event)
    for name in names:
        value = fields.get(name)
        if value is not None and value != "":
            return str(value)
    return ""


def _channel(event: Event) -> str:
    value = event.get("channel") or _fields(event).get("Channel") or ""
    return str(value).lower()


_USER_WRITABLE: Final = (
    "\\users\\",
    "\\appdata\\",
    "\\temp\\",
    "\\downloads\\",
    "\\programdata\\",
    "\\perflogs\\",
    "\\windows\\tasks\\",
)
_CREDENTIAL_TOOLS: Final = re.compile(
    r"mimikatz|sekurlsa::|lsadump::|kerberos::|privilege::debug|comsvcs(?:\.dll)?\W+(?:#\s*24|"
    r"minidump)|procdump(?:64)?(?:\.exe)?\s.*\blsass|\bnanodump\b|\bpypykatz\b|"
    r"reg(?:\.exe)?\s+save\s+hklm\\(?:sam|security)",
    re.IGNORECASE,
)
_ENCODED_POWERSHELL: Final = re.compile(
    r"\s[-/]e(?:nc(?:odedcommand)?|c)?\s+[A-Za-z0-9+/=]{20,}", re.IGNORECASE
)


def user_writable(path: str) -> bool:
    """Whether a Windows path is in a folder an ordinary user can write to."""
    lowered = path.lower()
    return any(part in lowered for part in _USER_WRITABLE)


def _lsass_target(event: Event) -> bool:
    return event_id(event) == 10 and field(event, "TargetImage").lower().endswith("\\lsass.exe")


def _lsass_unbacked(event: Event) -> bool:
    return _lsass_target(event) and "unknown(" in field(event, "CallTrace").lower()


def _lsass_from_user_path(event: Event) -> bool:
    return _lsass_target(event) and user_writable(field(event, "SourceImage"))


def _process_start(event: Event) -> bool:
    return event_id(event) in (1, 4688)


def _credential_tool(event: Event) -> bool:
    return _process_start(event) and bool(
        _CREDENTIAL_TOOLS.search(field(event, "CommandLine", "ProcessCommandLine"))
    )


def _encoded_powershell(event: Event) -> bool:
    image = field(event, "Image", "NewProcessName").lower()
    return (
        _process_start(event)
        and image.endswith(("\\powershell.exe", "\\pwsh.exe"))
        and bool(_ENCODED_POWERSHELL.search(field(event, "CommandLine", "ProcessCommandLine")))
    )


def _user_path_execution(event: Event) -> bool:
    image = field(event, "Image", "NewProcessName").lower()
    return (
        event_id(event) == 1
        and any(part in image for part in ("\\downloads\\", "\\appdata\\local\\temp\\"))
        and image.endswith((".exe", ".scr", ".com", ".pif"))
    )


def _log_cleared(event: Event) -> bool:
    eid = event_id(event)
    return eid == 1102 or (eid == 104 and _channel(event) == "system")


def _service_installed(event: Event) -> bool:
    eid = event_id(event)
    return eid == 4697 or (eid == 7045 and _channel(event) == "system")


@dataclass(frozen=True, slots=True, kw_only=True)
class Hunt:
    id: str
    title: str
    technique: str
    tactic: str
    severity: Severity
    why: str
    test: Callable[[Event], bool]


HUNTS: Final[tuple[Hunt, ...]] = (
    Hunt(
        id="lsass-access-unbacked",
        title="LSASS memory opened from code not backed by a file on disk",
        technique="T1003.001",
        tactic="credential-access",
        severity=Severity.HIGH,
        why="the call stack of the access to lsass.exe runs through UNKNOWN memory, the mark of "
        "injected code (Meterpreter, Cobalt Strike) reading credentials",
        test=_lsass_unbacked,
    ),
    Hunt(
        id="lsass-access-user-path",
        title="LSASS memory opened by a program in a user-writable folder",
        technique="T1003.001",
        tactic="credential-access",
        severity=Severity.HIGH,
        why="programs that legitimately read lsass.exe live in system folders; one run from a "
        "user, temp or download folder is how credential dumpers usually arrive",
        test=_lsass_from_user_path,
    ),
    Hunt(
        id="credential-tool-command",
        title="A credential-dumping command line",
        technique="T1003",
        tactic="credential-access",
        severity=Severity.HIGH,
        why="the command line names a known credential-dumping tool or technique "
        "(mimikatz, comsvcs MiniDump, procdump of lsass, reg save of SAM/SECURITY)",
        test=_credential_tool,
    ),
    Hunt(
        id="encoded-powershell",
        title="PowerShell started with an encoded command",
        technique="T1059.001",
        tactic="execution",
        severity=Severity.MEDIUM,
        why="encoding hides the command from a reader of the log; administrators rarely need it",
        test=_encoded_powershell,
    ),
    Hunt(
        id="user-path-execution",
        title="A program started from a download or temp folder",
        technique="T1204.002",
        tactic="execution",
        severity=Severity.MEDIUM,
        why="a user opening a malicious file is the most common first step of an intrusion",
        test=_user_path_execution,
    ),
    Hunt(
        id="log-cleared",
        title="An event log was cleared",
        technique="T1070.001",
        tactic="defense-evasion",
        severity=Severity.HIGH,
        why="clearing logs removes the evidence of what happened before",
        test=_log_cleared,
    ),
    Hunt(
        id="service-installed",
        title="A service was installed",
        technique="T1543.003",
        tactic="persistence",
        severity=Severity.MEDIUM,
        why="a new service survives a reboot and runs as SYSTEM; PsExec and most loaders use one",
        test=_service_installed,
    ),
    Hunt(
        id="scheduled-task-created",
        title="A scheduled task was created",
        technique="T1053.005",
        tactic="persistence",
        severity=Severity.MEDIUM,
        why="scheduled tasks are a common way to run again later",
        test=lambda e: event_id(e) == 4698,
    ),
    Hunt(
        id="account-created",
        title="A local or domain account was created",
        technique="T1136",
        tactic="persistence",
        severity=Severity.MEDIUM,
        why="an attacker's own account keeps access after passwords are reset",
        test=lambda e: event_id(e) == 4720,
    ),
)

FAILED_LOGON_BURST: Final = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class HuntHit:
    hunt: Hunt
    count: int
    events: tuple[Event, ...]
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "hunt": self.hunt.id,
            "title": self.hunt.title,
            "technique": self.hunt.technique,
            "tactic": self.hunt.tactic,
            "severity": str(self.hunt.severity),
            "count": self.count,
            "detail": self.detail,
            "sources": [e.get("source") for e in self.events if e.get("source")],
        }


_FAILED_LOGONS = Hunt(
    id="failed-logon-burst",
    title="Many failed logons from one source",
    technique="T1110",
    tactic="credential-access",
    severity=Severity.MEDIUM,
    why="repeated failures from one address are password guessing or spraying",
    test=lambda e: False,
)
_SSH_FAILED = re.compile(r"Failed password for (?:invalid user )?\S+ from (\S+)")


def _failed_logon_source(event: Event) -> str | None:
    if event_id(event) == 4625:
        return field(event, "IpAddress", "WorkstationName") or None
    match = _SSH_FAILED.search(field(event, "message", "Message"))
    return match.group(1) if match else None


def run_hunts(events: Iterable[Event]) -> list[HuntHit]:
    """Each hunt that matched, with how many events and the first few of them."""
    hits: dict[str, list[Event]] = {}
    counts: Counter[str] = Counter()
    failed: dict[str, list[Event]] = {}
    for event in events:
        for hunt in HUNTS:
            if hunt.test(event):
                counts[hunt.id] += 1
                kept = hits.setdefault(hunt.id, [])
                if len(kept) < MAX_HIT_EVENTS:
                    kept.append(event)
        source = _failed_logon_source(event)
        if source and source not in ("-", "::1", "127.0.0.1"):
            failed.setdefault(source, []).append(event)
    out = [
        HuntHit(hunt=hunt, count=counts[hunt.id], events=tuple(hits[hunt.id]))
        for hunt in HUNTS
        if hunt.id in hits
    ]
    for source, burst in sorted(failed.items(), key=lambda item: -len(item[1])):
        if len(burst) >= FAILED_LOGON_BURST:
            out.append(
                HuntHit(
                    hunt=_FAILED_LOGONS,
                    count=len(burst),
                    events=tuple(burst[:MAX_HIT_EVENTS]),
                    detail=f"{len(burst)} failed logons from {source}",
                )
            )
    return out


# -- what to do ----------------------------------------------------------------------------------

TACTIC_ACTIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "reconnaissance": (
        "Check what the scanning could see from outside: exposed services and their versions.",
    ),
    "resource-development": (
        "Record the attacker's infrastructure (domains, addresses, file hashes) as indicators.",
    ),
    "initial-access": (
        "Find how the attacker got in (the e-mail, the download, the exposed service) and who "
        "else received or exposed the same.",
    ),
    "execution": (
        "Collect the file that ran, with its hash, before it is deleted; block the hash and "
        "look for it on other hosts.",
    ),
    "persistence": (
        "Collect, then remove, what makes the attacker come back (service, scheduled task, run "
        "key, new account); check other hosts for the same.",
    ),
    "privilege-escalation": (
        "Treat everything the elevated process could reach as exposed; find how it was elevated.",
    ),
    "defense-evasion": (
        "Assume the logs of the affected hosts are incomplete; use other sources (network, EDR, "
        "backups of the logs) for the missing time.",
    ),
    "stealth": (
        "Assume the logs of the affected hosts are incomplete; use other sources (network, EDR, "
        "backups of the logs) for the missing time.",
    ),
    "defense-impairment": (
        "Re-enable and verify the security tooling that was turned off, then look for what "
        "happened while it was off.",
    ),
    "credential-access": (
        "Reset the passwords of every account that was logged on to the affected hosts, "
        "privileged ones first, after the attacker's access is cut off.",
        "Enable LSA protection (RunAsPPL) and Credential Guard where supported.",
    ),
    "discovery": (
        "Discovery usually comes right before lateral movement: check logons from the affected "
        "hosts to other hosts in the hours after.",
    ),
    "lateral-movement": (
        "Isolate the source and destination hosts; review remote logons (type 3 and 10) and "
        "admin-share access between them.",
    ),
    "collection": ("Establish what data was gathered, from where, and where it was staged.",),
    "command-and-control": (
        "Block the attacker's destinations at the egress and look for the same destinations "
        "from other hosts.",
    ),
    "exfiltration": (
        "Establish what left, when and to where; preserve the evidence; check notification "
        "duties (GDPR art. 33: 72 hours).",
    ),
    "impact": (
        "Isolate the affected hosts and restore from offline backups; take advice before any "
        "ransom decision.",
    ),
}

TECHNIQUE_ACTIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "T1003": (
        "Credentials were likely taken from memory: assume every credential cached on the host "
        "is known to the attacker.",
    ),
    "T1003.001": (
        "Credentials were likely read from LSASS memory: assume every credential cached on the "
        "host is known to the attacker, and isolate the host before resetting them.",
    ),
    "T1110": (
        "Lock out or rate-limit the targeted accounts, block the source, and require MFA for "
        "remote logons.",
    ),
    "T1566": (
        "Search every mailbox for the same message, remove it, and reset the credentials of "
        "anyone who clicked or replied.",
    ),
    "T1059.001": ("Turn on PowerShell script block logging to see the decoded commands.",),
    "T1070.001": ("Forward logs off the host so that clearing them no longer erases evidence.",),
    "T1078": ("Review recent logons of the account from unusual places and times.",),
    "T1190": ("Patch or take offline the exposed application; check it for web shells.",),
    "T1486": ("Isolate at once: encryption spreads over shares; restore from offline backups.",),
    "T1204.002": ("Find where the file came from (mail, browser download) and who else got it.",),
}

ALWAYS: Final = (
    "Preserve the evidence: export the affected hosts' logs before they roll over, and keep "
    "this report with its ledger references.",
)


def recommended_actions(techniques: Sequence[str], tactics: Sequence[str]) -> list[tuple[str, str]]:
    """(action, why) pairs for what was found, most specific first, without repeats."""
    out: dict[str, str] = {}
    for technique in techniques:
        for key in (technique, technique.split(".")[0]):
            for action in TECHNIQUE_ACTIONS.get(key, ()):
                out.setdefault(action, f"ATT&CK {technique}")
    for tactic in tactics:
        for action in TACTIC_ACTIONS.get(tactic, ()):
            out.setdefault(action, f"tactic {tactic}")
    for action in ALWAYS:
        out.setdefault(action, "every investigation")
    return list(out.items())
