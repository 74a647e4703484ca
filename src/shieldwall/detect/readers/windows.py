"""Windows events from any source, in the field names of the EVTX reader.

SigmaHQ's Windows rules name fields as the event XML does: ``EventID``, ``Channel``,
``Computer``, ``Provider_Name`` from ``System``, and the ``EventData`` values under their own
names (``Image``, ``CommandLine``, ``SubjectUserName``). Whatever a Windows event was read from,
it leaves here with those names, so one rule matches them all:

- EVTX records (the ``evtx`` package's JSON: ``#attributes`` / ``#text``), and the same shape as
  ``evtx_dump`` writes it; XML converted by xmltodict (``@Name`` attributes, ``Data`` lists);
- Winlogbeat / Elastic Common Schema (``winlog.event_data.CommandLine`` -> ``CommandLine``,
  ``winlog.event_id`` -> ``EventID``, ``winlog.channel`` -> ``Channel``, ...), and the older
  Winlogbeat 6 layout (``event_data``, ``log_name``, ``computer_name``);
- flat JSON as NXLog and the OTRF Security-Datasets write it (``EventID``, ``Channel``,
  ``Hostname``, ``SourceName`` and the event data at the top level), and Microsoft Sentinel
  exports (``EventData`` as JSON or XML text).

The hot path (EVTX) avoids ABC ``isinstance`` checks: JSON gives plain dicts and lists.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import orjson

from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers._common import parse_iso

#: Windows channel (lower case) -> Sigma service, inverted from pySigma's
#: ``windows_logsource_mapping`` (a unit test keeps the two in step).
CHANNEL_SERVICES: Final[Mapping[str, str]] = {
    "security": "security",
    "application": "application",
    "system": "system",
    "microsoft-windows-sysmon/operational": "sysmon",
    "microsoft-windows-powershell/operational": "powershell",
    "powershellcore/operational": "powershell",
    "windows powershell": "powershell-classic",
    "microsoft-windows-taskscheduler/operational": "taskscheduler",
    "microsoft-windows-wmi-activity/operational": "wmi",
    "dns server": "dns-server",
    "microsoft-windows-dns-server/audit": "dns-server-audit",
    "microsoft-windows-dns-server/analytical": "dns-server-analytic",
    "microsoft-windows-driverframeworks-usermode/operational": "driver-framework",
    "microsoft-windows-ntlm/operational": "ntlm",
    "microsoft-windows-dhcp-server/operational": "dhcp",
    "msexchange management": "msexchange-management",
    "microsoft-windows-applocker/msi and script": "applocker",
    "microsoft-windows-applocker/exe and dll": "applocker",
    "microsoft-windows-applocker/packaged app-deployment": "applocker",
    "microsoft-windows-applocker/packaged app-execution": "applocker",
    "microsoft-windows-printservice/admin": "printservice-admin",
    "microsoft-windows-printservice/operational": "printservice-operational",
    "microsoft-windows-codeintegrity/operational": "codeintegrity-operational",
    "microsoft-windows-smbclient/security": "smbclient-security",
    "microsoft-windows-windows firewall with advanced security/firewall": "firewall-as",
    "microsoft-windows-bits-client/operational": "bits-client",
    "microsoft-windows-windows defender/operational": "windefend",
    "microsoft-windows-terminalservices-localsessionmanager/operational": (
        "terminalservices-localsessionmanager"
    ),
    "microsoft-servicebus-client/operational": "servicebus-client",
    "microsoft-servicebus-client/admin": "servicebus-client",
    "microsoft-windows-ldap-client/debug": "ldap",
    "microsoft-windows-security-mitigations/kernel mode": "security-mitigations",
    "microsoft-windows-security-mitigations/user mode": "security-mitigations",
    "microsoft-windows-diagnosis-scripted/operational": "diagnosis-scripted",
    "microsoft-windows-shell-core/operational": "shell-core",
    "openssh/operational": "openssh",
    "microsoft-windows-bitlocker/bitlocker management": "bitlocker",
    "microsoft-windows-vhdmp/operational": "vhdmp",
    "microsoft-windows-appxdeploymentserver/operational": "appxdeployment-server",
    "microsoft-windows-lsa/operational": "lsa-server",
    "microsoft-windows-appxpackaging/operational": "appxpackaging-om",
    "microsoft-windows-dns client events/operational": "dns-client",
    "microsoft-windows-appmodel-runtime/admin": "appmodel-runtime",
    "microsoft-windows-capi2/operational": "capi2",
    "microsoft-windows-certificateservicesclient-lifecycle-system/operational": (
        "certificateservicesclient-lifecycle-system"
    ),
    "microsoft-windows-application-experience/program-telemetry": "application-experience",
    "microsoft-windows-application-experience/program-compatibility-assistant": (
        "application-experience"
    ),
    "microsoft-windows-hyper-v-worker": "hyper-v-worker",
    "microsoft-iis-configuration/operational": "iis-configuration",
    "microsoft-windows-kernel-eventtracing": "kernel-event-tracing",
    "microsoft-windows-kernel-shimengine/operational": "kernel-shimengine",
    "microsoft-windows-kernel-shimengine/diagnostic": "kernel-shimengine",
    "microsoft-windows-ntfs/operational": "ntfs",
    "microsoft-windows-sense/operational": "sense",
}

SYSMON_CHANNEL: Final = "Microsoft-Windows-Sysmon/Operational"

#: System element -> attribute -> field name, where it is not ``<element>_<attribute>``.
_SYSTEM_ATTRS: Final[Mapping[str, Mapping[str, str]]] = {
    "TimeCreated": {"SystemTime": "TimeCreated"},
    "Execution": {"ProcessID": "ProcessID", "ThreadID": "ThreadID"},
}

_WINDOWS_ANY: Final = LogSource(product="windows")
_LOGSOURCES: dict[str, LogSource] = {}
_MAX_CACHED_CHANNELS: Final = 4096


def windows_logsource(channel: str | None) -> LogSource:
    """The Sigma logsource of a Windows channel (``product: windows``, its service)."""
    if channel is None:
        return _WINDOWS_ANY
    found = _LOGSOURCES.get(channel)
    if found is None:
        service = CHANNEL_SERVICES.get(channel.lower())
        found = LogSource(product="windows", service=service) if service else _WINDOWS_ANY
        if len(_LOGSOURCES) < _MAX_CACHED_CHANNELS:
            _LOGSOURCES[channel] = found
    return found


def to_int(value: Any) -> int | None:
    """An event id as an int (ints, digit strings, ``{"#text": ...}``), else None."""
    kind = value.__class__
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is str:
        text = value.strip()
        if text.isdigit() and len(text) < 12:  # isdigit also admits '²': int() may refuse it
            return int(text) if text.isascii() else None
        return None
    if kind is dict:
        return to_int(value.get("#text"))
    return None


# ---------------------------------------------------------------------------------------------
# The XML shape: EVTX records, evtx_dump JSON, xmltodict


_ATTR_NAMES: dict[str, dict[str, str]] = {}
_MAX_ATTR_NAMES: Final = 1024


def _attr_name(element: str, attr: str) -> str:
    """``<element>_<attribute>`` (or its special name), cached: the same few recur."""
    names = _ATTR_NAMES.get(element)
    if names is None:
        names = dict(_SYSTEM_ATTRS.get(element, {}))
        if len(_ATTR_NAMES) < _MAX_ATTR_NAMES:
            _ATTR_NAMES[element] = names
    name = names.get(attr)
    if name is None:
        name = f"{element}_{attr}"
        if len(names) < _MAX_ATTR_NAMES:
            names[attr] = name
    return name


def _system(out: dict[str, Any], system: dict[str, Any]) -> None:
    for key, value in system.items():
        if value.__class__ is not dict:
            if value is not None:
                out[key] = value
            continue
        for part, inner in value.items():
            if part == "#attributes":
                if inner.__class__ is dict:
                    names = _ATTR_NAMES.get(key)
                    for attr, attr_value in inner.items():
                        name = names.get(attr) if names is not None else None
                        out[name or _attr_name(key, attr)] = attr_value
            elif part == "#text":
                out[key] = inner
            elif part[:1] == "@":  # xmltodict
                out[_attr_name(key, part[1:])] = inner


def _named_data(out: dict[str, Any], item: Any, unnamed: list[Any]) -> None:
    """One ``<Data>`` element as a JSON value: ``{"@Name": n, "#text": v}`` (xmltodict) or a
    plain value (an unnamed ``<Data>``)."""
    if item.__class__ is dict:
        name = item.get("@Name") or item.get("Name")
        attrs = item.get("#attributes")
        if name is None and attrs.__class__ is dict:
            name = attrs.get("Name")
        if name.__class__ is str and name:
            out[name] = item.get("#text")
        elif "#text" in item:
            unnamed.append(item["#text"])
    elif item is not None:
        unnamed.append(item)


def _data(out: dict[str, Any], data: Any) -> None:
    """``EventData`` (or one ``UserData`` child): its values flat under their own names."""
    if data.__class__ is not dict:
        if data is not None:
            out["Data"] = data
        return
    for key, value in data.items():
        kind = value.__class__
        if kind is not dict and kind is not list:
            if key[:1] != "@":
                out[key] = value
                if " " in key:  # Defender writes "Threat Name"; Sigma rules say ThreatName
                    out.setdefault(key.replace(" ", ""), value)
        elif key == "Data":
            unnamed: list[Any] = []
            if kind is list:
                for item in value:
                    _named_data(out, item, unnamed)
            elif "#text" in value and not (
                "@Name" in value or "Name" in value or "#attributes" in value
            ):
                text = value["#text"]
                unnamed.extend(text if text.__class__ is list else [text])
            else:
                _named_data(out, value, unnamed)
            if unnamed:
                out["Data"] = unnamed[0] if len(unnamed) == 1 else unnamed
        elif key == "#attributes":
            continue
        elif kind is dict and "#text" in value:
            out[key] = value["#text"]
            if " " in key:
                out.setdefault(key.replace(" ", ""), value["#text"])
        elif kind is dict:
            out.update(
                flatten({k: v for k, v in value.items() if k != "#attributes"}, prefix=key + ".")
            )
        else:
            out[key] = value


def xml_shape_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Fields of an event in the XML shape: ``{"Event": {"System": ..., "EventData": ...}}``
    (or the inner ``Event`` object)."""
    body = doc.get("Event", doc)
    out: dict[str, Any] = {}
    if body.__class__ is not dict:
        return out
    system = body.get("System")
    if system.__class__ is dict:
        _system(out, system)
    data = body.get("EventData")
    if data is not None:
        _data(out, data)
    user_data = body.get("UserData")
    if user_data.__class__ is dict:
        for key, child in user_data.items():  # one wrapper element named by the provider
            if key != "#attributes" and key[:1] != "@":
                _data(out, child)
    rendering = body.get("RenderingInfo")
    if rendering.__class__ is dict and "Message" in rendering:
        out.setdefault("Message", rendering["Message"])
    return out


def windows_event(
    fields: dict[str, Any],
    *,
    fmt: LogFormat,
    source: EventSource,
    timestamp: datetime | None = None,
) -> Event:
    """An Event from fields already in the EVTX names (``EventID`` becomes an int)."""
    channel = fields.get("Channel")
    if channel is not None and channel.__class__ is not str:
        channel = str(channel)
    raw_id = fields.get("EventID")
    event_id = raw_id if raw_id.__class__ is int else to_int(raw_id)
    if event_id is not None:
        fields["EventID"] = event_id
    computer = fields.get("Computer")
    if timestamp is None:
        created = fields.get("TimeCreated")
        timestamp = parse_iso(created) if created.__class__ is str else None
    return Event(
        timestamp=timestamp,
        host=computer if computer.__class__ is str and computer else None,
        format=fmt,
        logsource=windows_logsource(channel),
        source=source,
        channel=channel or None,
        event_id=event_id,
        fields=fields,
    )


# ---------------------------------------------------------------------------------------------
# Winlogbeat / ECS

#: ``winlog.*`` (Winlogbeat 7+) and top-level (Winlogbeat 6) names -> EVTX names.
_WINLOG_NAMES: Final[Mapping[str, str]] = {
    "event_id": "EventID",
    "channel": "Channel",
    "log_name": "Channel",
    "computer_name": "Computer",
    "provider_name": "Provider_Name",
    "source_name": "Provider_Name",
    "provider_guid": "Provider_Guid",
    "record_id": "EventRecordID",
    "record_number": "EventRecordID",
    "version": "Version",
    "opcode": "Opcode",
    "task": "Task",
    "keywords": "Keywords",
    "activity_id": "Correlation_ActivityID",
    "related_activity_id": "Correlation_RelatedActivityID",
    "process.pid": "ProcessID",
    "process.thread.id": "ThreadID",
    "user.identifier": "Security_UserID",
}

#: Where Winlogbeat keeps the event's own data (under ``winlog``, or at the top in 6.x).
_LEGACY_DATA: Final = ("event_data", "user_data")

#: ECS fields -> Sysmon names, used for Sysmon events whose ``event_data`` lost them (the
#: Winlogbeat Sysmon module moves them into ECS).
_ECS_SYSMON: Final[tuple[tuple[str, str], ...]] = (
    ("process.executable", "Image"),
    ("process.command_line", "CommandLine"),
    ("process.pid", "ProcessId"),
    ("process.entity_id", "ProcessGuid"),
    ("process.working_directory", "CurrentDirectory"),
    ("process.parent.executable", "ParentImage"),
    ("process.parent.command_line", "ParentCommandLine"),
    ("process.parent.pid", "ParentProcessId"),
    ("process.parent.entity_id", "ParentProcessGuid"),
    ("file.path", "TargetFilename"),
    ("registry.path", "TargetObject"),
    ("destination.ip", "DestinationIp"),
    ("destination.port", "DestinationPort"),
    ("destination.domain", "DestinationHostname"),
    ("source.ip", "SourceIp"),
    ("source.port", "SourcePort"),
    ("source.domain", "SourceHostname"),
    ("network.transport", "Protocol"),
    ("dns.question.name", "QueryName"),
)


def is_winlogbeat(obj: dict[str, Any]) -> bool:
    winlog = obj.get("winlog")
    if winlog.__class__ is dict:
        return True
    return obj.get("event_data").__class__ is dict and ("event_id" in obj or "log_name" in obj)


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value.__class__ is dict and value:
        out.update(flatten(value, prefix=key + "."))
    else:
        out[key] = value


def winlogbeat_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """A Winlogbeat document (7+: ``winlog.*``; 6: ``event_data`` at the top) in EVTX names;
    its other ECS fields are kept, dotted (``host.name``, ``process.command_line``)."""
    winlog = obj.get("winlog")
    legacy = winlog.__class__ is not dict
    meta: dict[str, Any] = obj if legacy else winlog  # type: ignore[assignment]
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "winlog" or (legacy and (key in _WINLOG_NAMES or key in _LEGACY_DATA)):
            continue
        _put(out, key, value)
    known: dict[str, Any] = {}
    for key, value in meta.items():
        if key in _LEGACY_DATA or (legacy and key not in _WINLOG_NAMES):
            continue
        _put(known, key, value)
    for key, value in known.items():
        name = _WINLOG_NAMES.get(key)
        out[name or f"winlog.{key}"] = value
    for part in _LEGACY_DATA:
        data = meta.get(part)
        if data.__class__ is dict:
            out.update(flatten({k: v for k, v in data.items() if k != "xml_name"}))
    if "Computer" not in out:
        host = out.get("host.name") or out.get("host.hostname")
        if host:
            out["Computer"] = host
    if "TimeCreated" not in out and "@timestamp" in out:
        out["TimeCreated"] = out["@timestamp"]
    if out.get("Channel") == SYSMON_CHANNEL:
        for ecs, sysmon in _ECS_SYSMON:
            if sysmon not in out and ecs in out:
                out[sysmon] = out[ecs]
    return out


# ---------------------------------------------------------------------------------------------
# Flat JSON: NXLog, OTRF Security-Datasets, Microsoft Sentinel

_FLAT_ALIASES: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("Computer", ("Hostname", "HostName", "MachineName")),
    ("Provider_Name", ("SourceName", "ProviderName", "Provider", "EventSourceName")),
    ("EventRecordID", ("RecordNumber", "EventRecordId")),
    ("TimeCreated", ("@timestamp", "TimeGenerated", "EventTime")),
)
_XML_DATA = re.compile(r'<Data Name="([^"<>]{1,256})"\s*(?:/>|>([^<]*)</Data>)')


def is_flat_windows(obj: dict[str, Any]) -> bool:
    return "EventID" in obj and (
        "Channel" in obj or "SourceName" in obj or "Hostname" in obj or "Provider" in obj
    )


def flat_fields(obj: dict[str, Any]) -> dict[str, Any]:
    """A flat Windows JSON object with the EVTX names added where it uses others (its own
    names are kept: ``Hostname`` stays, ``Computer`` is added)."""
    out = obj
    for value in obj.values():
        kind = value.__class__
        if kind is dict or kind is list:
            out = flatten(obj)
            break
    for name, aliases in _FLAT_ALIASES:
        if name not in out:
            for alias in aliases:
                value = out.get(alias)
                if value.__class__ is str and value:
                    out[name] = value
                    break
    data = out.get("EventData")
    if data.__class__ is str and data:
        _merge_text_data(out, data)
    return out


def _merge_text_data(out: dict[str, Any], text: str) -> None:
    """Sentinel keeps ``EventData`` as JSON text (WindowsEvent) or XML text (SecurityEvent)."""
    head = text.lstrip()[:1]
    if head == "{":
        try:
            data = orjson.loads(text)
        except orjson.JSONDecodeError:
            return
        if data.__class__ is dict:
            for key, value in flatten(data).items():
                out.setdefault(key, value)
    elif head == "<":
        for name, value in _XML_DATA.findall(text):
            out.setdefault(name, html.unescape(value) if "&" in value else value)
