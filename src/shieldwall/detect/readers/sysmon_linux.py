"""Sysmon for Linux: the ``<Event>`` XML it writes to syslog, as a Sigma category event.

``Oct 15 19:41:27 web1 sysmon: <Event><System><Provider Name="Linux-Sysmon" .../>
<EventID>1</EventID>...</System><EventData><Data Name="Image">/usr/bin/curl</Data>...``

The syslog reader keeps the line as a syslog event and hands the message here; the event made
from it is ``product: linux`` with the category of its event id
(:data:`~shieldwall.detect.logsources.SYSMON_LINUX_CATEGORIES`: 1 process_creation, 3
network_connection, 5 process_termination, 11 file_event, 23 file_delete ...), with each
``<Data Name="X">`` as field ``X`` (``Image``, ``CommandLine``, ``ParentImage``, ``User``,
``TargetFilename``, ``DestinationIp`` ..., as SigmaHQ's Linux rules name them) and the
``System`` values in the EVTX reader's names (``EventID`` (an int), ``Channel``, ``Computer``,
``Provider_Name``, ``Provider_Guid``, ``EventRecordID``, ``TimeCreated``, ``ProcessID``,
``ThreadID``, ``Security_UserID``). The event is not a Windows one: it has no channel.

The XML is parsed with expat, streaming, without building a tree; a document type declaration
(the only way to declare entities) is refused, so no entity is ever expanded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final
from xml.parsers import expat

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, Event, EventSource, LogFormat, LogSource
from shieldwall.detect.logsources import SYSMON_LINUX_CATEGORIES
from shieldwall.detect.readers._common import parse_iso
from shieldwall.detect.readers.windows import to_int

PROVIDER: Final = "Linux-Sysmon"
PROGRAM: Final = "sysmon"
#: System attributes -> field names (the EVTX reader's).
_SYSTEM_ATTRS: Final = {
    ("Provider", "Name"): "Provider_Name",
    ("Provider", "Guid"): "Provider_Guid",
    ("TimeCreated", "SystemTime"): "TimeCreated",
    ("Execution", "ProcessID"): "ProcessID",
    ("Execution", "ThreadID"): "ThreadID",
    ("Security", "UserId"): "Security_UserID",
}
_MAX_FIELDS: Final = 512
_LOGSOURCES: Final = {
    event_id: LogSource(product="linux", category=category)
    for event_id, category in SYSMON_LINUX_CATEGORIES.items()
}


class _Refused(Exception):
    """A document type declaration: never expanded."""


def is_sysmon_message(program: str, message: str) -> bool:
    """Whether a syslog line's program and message look like Sysmon for Linux's."""
    return program.lower() == PROGRAM and message.lstrip()[:7] == "<Event>"


def parse_sysmon_xml(text: str, *, location: str | None = None) -> dict[str, Any]:
    """The fields of one Sysmon for Linux ``<Event>`` document; ParseError (at ``location``)
    when it is not well-formed or declares a document type."""
    fields: dict[str, Any] = {}
    path: list[str] = []
    data_name: list[str | None] = [None]
    text_parts: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        path.append(name)
        text_parts.clear()
        if len(path) == 3 and path[1] == "System":
            for attr, value in attrs.items():
                key = _SYSTEM_ATTRS.get((name, attr))
                if key is not None:
                    fields[key] = value
        elif len(path) == 3 and path[1] == "EventData" and name == "Data":
            data_name[0] = attrs.get("Name")

    def end(name: str) -> None:
        value = "".join(text_parts)
        text_parts.clear()
        if len(path) == 3 and len(fields) < _MAX_FIELDS:
            if path[1] == "System" and value:
                fields[name] = value
            elif path[1] == "EventData" and name == "Data" and data_name[0]:
                fields[data_name[0]] = value
                data_name[0] = None
        path.pop()

    def chars(data: str) -> None:
        if len(path) == 3:
            text_parts.append(data)

    def refuse(*_args: Any) -> None:
        raise _Refused

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(text, True)
    except _Refused as exc:
        raise ParseError(
            "Sysmon for Linux event with a document type declaration refused",
            code="detect.read.sysmon_linux",
            location=location,
        ) from exc
    except expat.ExpatError as exc:
        raise ParseError(
            f"Sysmon for Linux event is not well-formed XML: {exc}",
            code="detect.read.sysmon_linux",
            location=location,
        ) from exc
    return fields


def sysmon_event(
    message: str,
    *,
    line: str,
    source: EventSource,
    host: str | None,
    timestamp: datetime | None,
) -> Event | None:
    """The category event of a Sysmon for Linux syslog message, or None when it is not one of
    Sysmon for Linux's (another provider) or its event id has no category. ``line`` (the whole
    syslog line) becomes ``_raw``; ``host`` and ``timestamp`` (the syslog line's) are used when
    the XML has no ``Computer`` / ``TimeCreated``. Raises ParseError (with the location) when
    the XML is broken."""
    fields = parse_sysmon_xml(message.strip(), location=source.location)
    if fields.get("Provider_Name") != PROVIDER:
        return None
    event_id = to_int(fields.get("EventID"))
    logsource = _LOGSOURCES.get(event_id) if event_id is not None else None
    if logsource is None:
        return None
    fields["EventID"] = event_id
    fields[RAW_FIELD] = line
    created = fields.get("TimeCreated")
    stamp = parse_iso(created) if isinstance(created, str) else None
    computer = fields.get("Computer")
    return Event(
        timestamp=stamp or timestamp,
        host=computer if isinstance(computer, str) and computer else host,
        format=LogFormat.SYSLOG,
        logsource=logsource,
        source=source,
        fields=fields,
    )
