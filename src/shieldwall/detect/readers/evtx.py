"""Windows EVTX, parsed by the Rust ``evtx`` package (records as JSON, chunk by chunk).

``System`` becomes ``Channel``, ``EventID``, ``Computer``, ``Provider_Name`` ... and the
children of ``EventData`` / ``UserData`` keep their own names (``Image``, ``CommandLine``), as
SigmaHQ's Windows rules name them.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from typing import IO, Any

from evtx import PyEvtxParser

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers._common import ReadReport, parse_iso, where

MAGIC = b"ElfFile\x00"

_SERVICES = {
    "security": "security",
    "system": "system",
    "application": "application",
    "microsoft-windows-sysmon/operational": "sysmon",
    "microsoft-windows-powershell/operational": "powershell",
    "windows powershell": "powershell-classic",
    "microsoft-windows-windows defender/operational": "windefend",
    "microsoft-windows-taskscheduler/operational": "taskscheduler",
    "microsoft-windows-wmi-activity/operational": "wmi",
    "microsoft-windows-bits-client/operational": "bits-client",
    "microsoft-windows-dns-client/operational": "dns-client",
}


def _text(value: Any) -> Any:
    """``{"#attributes": ..., "#text": x}`` -> x."""
    if isinstance(value, Mapping) and "#text" in value:
        return value["#text"]
    return value


def _system_fields(system: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in system.items():
        if isinstance(value, Mapping):
            attrs = value.get("#attributes")
            if isinstance(attrs, Mapping):
                for attr, attr_value in attrs.items():
                    out[f"{key}_{attr}" if key not in {"Security"} else attr] = attr_value
            if "#text" in value:
                out[key] = value["#text"]
        elif value is not None:
            out[key] = value
    if "TimeCreated_SystemTime" in out:
        out["TimeCreated"] = out.pop("TimeCreated_SystemTime")
    for key in ("Execution_ProcessID", "Execution_ThreadID"):
        if key in out:
            out[key.removeprefix("Execution_")] = out.pop(key)
    return out


def _data_fields(data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        return {} if data is None else {"Data": data}
    body = {k: v for k, v in data.items() if k != "#attributes"}
    return flatten({k: _text(v) for k, v in body.items()})


def event_from_record(record: Mapping[str, Any], *, source: EventSource) -> Event:
    """One record as the ``evtx`` package gives it (``records_json``) -> an Event."""
    raw = json.loads(record["data"])
    body = raw.get("Event", raw) if isinstance(raw, Mapping) else {}
    system = body.get("System") if isinstance(body, Mapping) else None
    fields = _system_fields(system) if isinstance(system, Mapping) else {}
    if isinstance(body, Mapping):
        if "EventData" in body:
            fields.update(_data_fields(body["EventData"]))
        user_data = body.get("UserData")
        if isinstance(user_data, Mapping):
            for child in user_data.values():  # one wrapper element named by the provider
                fields.update(_data_fields(child))
    channel = fields.get("Channel")
    event_id = _text(fields.get("EventID"))
    stamp = parse_iso(str(fields.get("TimeCreated") or record.get("timestamp") or ""))
    service = _SERVICES.get(str(channel).lower()) if channel else None
    return Event(
        timestamp=stamp,
        host=str(fields["Computer"]) if fields.get("Computer") else None,
        format=LogFormat.EVTX,
        logsource=LogSource(product="windows", service=service),
        source=source,
        channel=str(channel) if channel else None,
        event_id=int(event_id)
        if isinstance(event_id, int | str) and str(event_id).isdigit()
        else None,
        fields=fields,
    )


def read_evtx(
    data: str | IO[bytes],
    *,
    name: str,
    report: ReadReport,
    member: str | None = None,
    threads: int = 0,
) -> Iterator[Event]:
    """Events of one EVTX file (a path, or a seekable binary file). A damaged record is
    reported and skipped; a file that is not EVTX at all raises ParseError."""
    label = where(name, member)
    try:
        parser = PyEvtxParser(data, number_of_threads=threads, skip_errors=True)
        records = parser.records_json()
    except (RuntimeError, OSError, ValueError) as exc:
        raise ParseError(
            f"not a readable EVTX file: {exc}", code="detect.read.evtx", location=label
        ) from exc
    index = 0
    while True:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                record = next(records)
            except StopIteration:
                record = None
            except (RuntimeError, OSError, ValueError) as exc:
                report.skip(
                    ParseError(
                        f"EVTX read stopped: {exc}",
                        code="detect.read.evtx",
                        location=f"{label}:{index + 1}",
                    )
                )
                return
        for warning in caught:
            report.skip(
                ParseError(
                    f"damaged EVTX record skipped: {warning.message}",
                    code="detect.read.evtx_record",
                    location=f"{label}:{index + 1}",
                )
            )
        if record is None:
            return
        index += 1
        number = record.get("event_record_id")
        source = EventSource(
            file=name, member=member, record=number if isinstance(number, int) else index
        )
        try:
            event = event_from_record(record, source=source)
        except (ValueError, TypeError, KeyError) as exc:
            report.skip(
                ParseError(
                    f"EVTX record not understood: {exc}",
                    code="detect.read.evtx_record",
                    location=source.location,
                )
            )
            continue
        report.events += 1
        yield event
