"""Which events a Sigma rule's logsource covers, and under which field names.

A Sigma rule names an abstract logsource (``product: windows, category: process_creation``); the
logs hold channels and event ids. This module turns a rule's logsource into the concrete
:class:`Target` values it covers — a channel, a set of event ids, and a field-name map — so the
engine can index rules by ``(channel, event id)`` and never try a rule on an event it cannot
apply to.

Windows service -> channel comes from pySigma's own table (``sigma.pipelines.common``), so it
follows SigmaHQ. Category -> Sysmon event id is the table of pySigma-pipeline-sysmon (which
cannot be installed beside pySigma 2), written out here. Like Hayabusa, process_creation also
covers Security 4688, with its field names mapped to Sysmon's.

Linux: SigmaHQ writes its Linux category rules (``product: linux, category: process_creation``,
``file_event``, ``network_connection`` ...) in Sysmon for Linux's field names, so no names are
mapped. The readers give category events in those names: Sysmon for Linux lines of syslog by
their event ids (:data:`SYSMON_LINUX_CATEGORIES`), and auditd's syscalls put together
(``readers/auditd.py``: execs as process_creation, created files as file_event, connects as
network_connection). These events are a second view of records also read as such (the syslog
line, the audit records), so a Linux rule without a category (``product: linux`` with or
without a service) reaches only the events without one, and one record never gives the same
rule two alerts; a Linux category no reader gives is reported, not run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SYSMON_CHANNEL = "microsoft-windows-sysmon/operational"
SECURITY_CHANNEL = "security"

#: Sigma category -> Sysmon event ids (pySigma-pipeline-sysmon's table).
SYSMON_EVENT_IDS: Mapping[str, tuple[int, ...]] = {
    "process_creation": (1,),
    "file_change": (2,),
    "network_connection": (3,),
    "sysmon_status": (4, 16),
    "process_termination": (5,),
    "driver_load": (6,),
    "image_load": (7,),
    "create_remote_thread": (8,),
    "raw_access_thread": (9,),
    "process_access": (10,),
    "file_event": (11,),
    "registry_add": (12,),
    "registry_delete": (12,),
    "registry_set": (13,),
    "registry_rename": (14,),
    "registry_event": (12, 13, 14),
    "create_stream_hash": (15,),
    "pipe_created": (17, 18),
    "wmi_event": (19, 20, 21),
    "dns_query": (22,),
    "file_delete": (23, 26),
    "clipboard_capture": (24,),
    "process_tampering": (25,),
    "file_delete_detected": (26,),
    "file_block_executable": (27,),
    "file_block_shredding": (28,),
    "file_executable_detected": (29,),
    "sysmon_error": (255,),
}

#: Windows categories that live in a channel of their own (pySigma-pipeline-windows' table).
WINDOWS_CATEGORY_CHANNELS: Mapping[str, tuple[str, tuple[int, ...]]] = {
    "ps_module": ("powershell", (4103,)),
    "ps_script": ("powershell", (4104,)),
    "ps_classic_start": ("powershell-classic", (400,)),
    "ps_classic_provider_start": ("powershell-classic", (600,)),
    "ps_classic_script": ("powershell-classic", (800,)),
}

#: Security 4688 (process creation with command-line auditing) in Sysmon's field names.
SECURITY_4688_FIELDS: Mapping[str, str] = {
    "Image": "NewProcessName",
    "ParentImage": "ParentProcessName",
    "ProcessId": "NewProcessId",
    "User": "SubjectUserName",
    "LogonId": "SubjectLogonId",
    "IntegrityLevel": "MandatoryLabel",
}

#: Sysmon for Linux event id -> Sigma category. The names are SigmaHQ's for Linux (its
#: tests/logsource.json): RawAccessRead is ``raw_access_read``, not Windows' raw_access_thread.
SYSMON_LINUX_CATEGORIES: Mapping[int, str] = {
    1: "process_creation",
    3: "network_connection",
    4: "sysmon_status",
    5: "process_termination",
    9: "raw_access_read",
    10: "process_access",
    11: "file_event",
    16: "sysmon_status",
    23: "file_delete",
    255: "sysmon_error",
}
#: The Linux categories the readers give (auditd's are among them).
LINUX_CATEGORIES = frozenset(SYSMON_LINUX_CATEGORIES.values())
#: ``Target.category`` for "only events without a category" (LogSource.matches compares the
#: event's category, ``""`` when it has none, with the target's).
NO_CATEGORY = ""

#: What the readers produce outside Windows: products, and categories / services that come
#: without a product (web access logs). A rule for anything else (azure, okta, zeek, ...) can
#: never match these inputs; compiling reports it instead of running it silently.
READER_PRODUCTS = frozenset({"windows", "linux", "aws"})
READER_CATEGORIES = frozenset({"webserver"})
READER_SERVICES = frozenset({"apache", "nginx"})


def windows_channels(service: str) -> tuple[str, ...]:
    """The channels (lower case) of a Sigma Windows service, or () when unknown."""
    # imported here: sigma.pipelines pulls in jinja2 and more, which most commands never need
    from sigma.pipelines.common import windows_logsource_mapping

    found = windows_logsource_mapping.get(service)
    if found is None:
        return ()
    names = [found] if isinstance(found, str) else list(found)
    return tuple(n.lower() for n in names)


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One concrete source a rule applies to.

    Windows: ``channel`` (lower case) and ``event_ids`` (empty = any). Other products: the
    event's own logsource must agree with ``product`` / ``service`` / ``category`` (None =
    any; :data:`NO_CATEGORY` = only events without a category). ``fields`` renames Sigma
    field names to the names this source uses.
    """

    channel: str | None = None
    event_ids: frozenset[int] = frozenset()
    product: str | None = None
    service: str | None = None
    category: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)

    @property
    def windows(self) -> bool:
        return self.channel is not None


def targets(
    product: str | None, category: str | None, service: str | None
) -> tuple[list[Target], str | None]:
    """The targets of a rule's logsource, and why there are none when the list is empty."""
    product = product.lower() if product else None
    category = category.lower() if category else None
    service = service.lower() if service else None
    if product == "windows":
        return _windows_targets(category, service)
    if product == "linux":
        return _linux_targets(category, service)
    if product is None and category is None and service is None:
        return [], "the rule names no logsource"
    if product is not None and product not in READER_PRODUCTS:
        return [], f"no reader produces product {product!r}"
    if product is None and category is not None and category not in READER_CATEGORIES:
        return [], f"no reader produces category {category!r}"
    if product is None and category is None and service not in READER_SERVICES:
        return [], f"no reader produces service {service!r}"
    return [Target(product=product, category=category, service=service)], None


def _linux_targets(category: str | None, service: str | None) -> tuple[list[Target], str | None]:
    if category is None:  # the records as read, not the category events made from them
        return [Target(product="linux", service=service, category=NO_CATEGORY)], None
    if category not in LINUX_CATEGORIES:
        known = ", ".join(sorted(LINUX_CATEGORIES))
        return [], f"no Linux reader gives category {category!r} (they give: {known})"
    return [Target(product="linux", category=category, service=service)], None


def _windows_targets(category: str | None, service: str | None) -> tuple[list[Target], str | None]:
    if category is None and service is None:
        return [Target(channel="*")], None  # every Windows event
    out: list[Target] = []
    if category is not None:
        if category in WINDOWS_CATEGORY_CHANNELS:
            svc, ids = WINDOWS_CATEGORY_CHANNELS[category]
            out.extend(Target(channel=ch, event_ids=frozenset(ids)) for ch in windows_channels(svc))
        elif category in SYSMON_EVENT_IDS and service in (None, "sysmon"):
            out.append(
                Target(channel=SYSMON_CHANNEL, event_ids=frozenset(SYSMON_EVENT_IDS[category]))
            )
            if category == "process_creation":
                out.append(
                    Target(
                        channel=SECURITY_CHANNEL,
                        event_ids=frozenset({4688}),
                        fields=SECURITY_4688_FIELDS,
                    )
                )
        elif service is None:
            return [], f"no Windows log records category {category!r} (no mapping known)"
        if out:
            return out, None
    if service is None:
        return [], f"no Windows log records category {category!r} (no mapping known)"
    channels = windows_channels(service)
    if not channels:
        return [], f"unknown Windows service {service!r} (no channel known for it)"
    return [Target(channel=ch) for ch in channels], None
