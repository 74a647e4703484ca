"""JSON lines (NDJSON), and JSON documents that hold a list of events.

Both the flat OTRF/NXLog style (``Channel``, ``EventID``, ``Hostname``) and the nested
Winlogbeat/ECS style (``winlog.event_data.Image``, ``host.name``) are read; nested objects become
dotted keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import IO, Any

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers._common import (
    MAX_LINE_BYTES,
    ReadReport,
    iter_lines,
    parse_iso,
    where,
)

MAX_DOCUMENT_BYTES = 256 << 20  # a single (non-line) JSON document is read whole, up to this

_TIME_KEYS = ("@timestamp", "timestamp", "TimeCreated", "EventTime", "UtcTime", "eventTime")
_HOST_KEYS = ("Hostname", "host.name", "winlog.computer_name", "Computer", "host.hostname")
_CHANNEL_KEYS = ("Channel", "winlog.channel", "event.provider", "log_name")
_ID_KEYS = ("EventID", "winlog.event_id", "event.code", "event_id")


def _first(fields: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = fields.get(key)
        if value not in (None, ""):
            return value
    return None


def _time(value: Any) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_iso(value) if isinstance(value, str) else None


def _event_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 12:
        return int(value.strip())
    return None


def event_from_object(obj: Mapping[str, Any], *, source: EventSource) -> Event:
    fields = flatten(obj)
    channel = _first(fields, _CHANNEL_KEYS)
    host = _first(fields, _HOST_KEYS)
    windows = channel is not None or "winlog.event_id" in fields or "EventID" in fields
    return Event(
        timestamp=_time(_first(fields, _TIME_KEYS)),
        host=str(host) if host is not None else None,
        format=LogFormat.JSON,
        logsource=LogSource(product="windows") if windows else LogSource(),
        source=source,
        channel=str(channel) if channel is not None else None,
        event_id=_event_id(_first(fields, _ID_KEYS)),
        fields=fields,
    )


def _objects(doc: Any) -> list[Any]:
    """The events of a whole JSON document: a list, ``{"Records": [...]}`` (CloudTrail), or
    one object."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, Mapping) and isinstance(doc.get("Records"), list):
        return list(doc["Records"])
    return [doc]


def read_json(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """NDJSON line by line; a bad line is reported (file:line) and skipped. A file whose first
    line is not a whole JSON value is read as one document (a list of events)."""
    label = where(name, member)
    lines_mode = _first_line_is_json(stream)
    stream.seek(0)
    if not lines_mode:
        data = stream.read(MAX_DOCUMENT_BYTES + 1)
        report.bytes_read += len(data)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ParseError(
                f"JSON document larger than {MAX_DOCUMENT_BYTES >> 20} MiB and not JSON lines",
                code="detect.read.json_too_large",
                location=label,
                hint="Convert it to JSON lines (one event per line).",
            )
        try:
            doc = json.loads(data.decode("utf-8-sig", errors="replace"))
        except ValueError:
            doc = None  # not one document either: read it line by line, reporting each bad one
        if doc is None:
            report.bytes_read -= len(data)
            stream.seek(0)
            yield from _read_lines(stream, name=name, member=member, report=report)
            return
        for index, obj in enumerate(_objects(doc), start=1):
            source = EventSource(file=name, member=member, record=index)
            if not isinstance(obj, Mapping):
                report.skip(_not_object(source))
                continue
            report.events += 1
            yield event_from_object(obj, source=source)
        return
    yield from _read_lines(stream, name=name, member=member, report=report)


def _read_lines(
    stream: IO[bytes], *, name: str, member: str | None, report: ReadReport
) -> Iterator[Event]:
    for number, line in iter_lines(stream, name=where(name, member), report=report):
        if not line.strip():
            continue
        source = EventSource(file=name, member=member, record=number)
        try:
            obj = json.loads(line)
        except ValueError as exc:
            report.skip(
                ParseError(
                    f"not a JSON line: {exc}", code="detect.read.json", location=source.location
                )
            )
            continue
        if not isinstance(obj, Mapping):
            report.skip(_not_object(source))
            continue
        report.events += 1
        yield event_from_object(obj, source=source)


def _first_line_is_json(stream: IO[bytes]) -> bool:
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return True
        text = line.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text:
            break
    if len(line) > MAX_LINE_BYTES:
        return True  # an over-long line: JSON lines, with that line reported
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _not_object(source: EventSource) -> ParseError:
    return ParseError(
        "a JSON value that is not an object", code="detect.read.json", location=source.location
    )
