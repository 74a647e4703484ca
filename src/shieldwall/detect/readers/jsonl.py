"""JSON lines (NDJSON), and JSON documents that hold events.

Each object is recognized by its shape, not the file's name:

- Windows events (EVTX-as-JSON, Winlogbeat/ECS, flat NXLog/OTRF, Sentinel) leave with the EVTX
  reader's field names (see :mod:`shieldwall.detect.readers.windows`);
- AWS CloudTrail records get ``product: aws, service: cloudtrail``
  (:mod:`shieldwall.detect.readers.cloudtrail`); a ``{"Records": [...]}`` object, on one line or
  as a whole document, is expanded into its records;
- any other object is kept with nested objects as dotted keys.

A document holding a list of events numbers them 1, 2, ... in ``EventSource.record``; JSON lines
number them by line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, Final

import orjson

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers._common import (
    MAX_LINE_BYTES,
    ReadReport,
    iter_lines,
    parse_iso,
    where,
)
from shieldwall.detect.readers.cloudtrail import cloudtrail_event, is_cloudtrail
from shieldwall.detect.readers.windows import (
    flat_fields,
    is_flat_windows,
    is_winlogbeat,
    to_int,
    windows_event,
    winlogbeat_fields,
    xml_shape_fields,
)

MAX_DOCUMENT_BYTES: Final = 256 << 20  # a single (non-line) JSON document is read whole, up to this

_TIME_KEYS: Final = ("@timestamp", "timestamp", "TimeCreated", "EventTime", "UtcTime", "eventTime")
_HOST_KEYS: Final = ("Hostname", "host.name", "Computer", "host.hostname", "hostname", "host")
_CHANNEL_KEYS: Final = ("Channel", "event.provider", "log_name")
_ID_KEYS: Final = ("EventID", "event.code", "event_id")
_BOM: Final = b"\xef\xbb\xbf"


def _first(fields: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = fields.get(key)
        if value is not None and value != "":
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


def _is_xml_shape(obj: dict[str, Any]) -> bool:
    body = obj.get("Event")
    return body.__class__ is dict and body.get("System").__class__ is dict


def event_from_object(obj: dict[str, Any], *, source: EventSource) -> Event:
    """One JSON object -> an Event, by its shape (Windows, CloudTrail, or generic)."""
    if _is_xml_shape(obj):
        return windows_event(xml_shape_fields(obj), fmt=LogFormat.JSON, source=source)
    if is_winlogbeat(obj):
        return windows_event(winlogbeat_fields(obj), fmt=LogFormat.JSON, source=source)
    if is_flat_windows(obj):
        fields = flat_fields(obj)
        created = fields.get("TimeCreated")
        return windows_event(
            fields,
            fmt=LogFormat.JSON,
            source=source,
            timestamp=_time(created) if created is not None else None,
        )
    if is_cloudtrail(obj):
        return cloudtrail_event(obj, source=source)
    fields = flatten(obj)
    channel = _first(fields, _CHANNEL_KEYS)
    host = _first(fields, _HOST_KEYS)
    raw_id = _first(fields, _ID_KEYS)
    windows = "EventID" in fields
    return Event(
        timestamp=_time(_first(fields, _TIME_KEYS)),
        host=str(host) if host is not None and not isinstance(host, list | dict) else None,
        format=LogFormat.JSON,
        logsource=LogSource(product="windows") if windows else LogSource(),
        source=source,
        channel=str(channel) if channel is not None and windows else None,
        event_id=to_int(raw_id) if not isinstance(raw_id, bool) else None,
        fields=fields,
    )


def loads(data: bytes) -> Any:
    """orjson, and the standard library's lenient decoder for what orjson refuses (integers
    beyond 64 bits, NaN). Raises ``ValueError`` (a JSONDecodeError) when neither takes it."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(data.decode("utf-8", errors="replace"))
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def _expand(value: Any) -> list[Any] | None:
    """The events a value holds when it holds several: a list, or ``{"Records": [...]}``."""
    if value.__class__ is list:
        return value
    if value.__class__ is dict:
        records = value.get("Records")
        if records.__class__ is list:
            return records
    return None


def read_json(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """NDJSON line by line; a bad line is reported (file:line) and skipped. A file that is one
    JSON value, or several one after another (pretty-printed, as evtx_dump writes them, or one
    over-long line), is read whole, up to ``MAX_DOCUMENT_BYTES``; where it stops being JSON, a
    ParseError names the file, line and column (the events before it were read)."""
    label = where(name, member)
    if _lines_mode(stream):
        stream.seek(0)
        yield from _read_lines(stream, name=name, member=member, report=report)
        return
    stream.seek(0)
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    report.bytes_read += len(data)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ParseError(
            f"JSON document larger than {MAX_DOCUMENT_BYTES >> 20} MiB and not JSON lines",
            code="detect.read.json_too_large",
            location=label,
            hint="Convert it to JSON lines (one event per line).",
        )
    data = data.removeprefix(_BOM)
    try:
        values: Iterator[Any] = iter([loads(data)])
    except ValueError:
        if not _looks_like_one_document(stream):
            report.bytes_read -= len(data)
            stream.seek(0)  # not one document: JSON lines after all, each bad one reported
            yield from _read_lines(stream, name=name, member=member, report=report)
            return
        values = _concatenated(data.decode("utf-8", errors="replace"), label=label)
    del data
    index = 0
    for value in values:
        many = _expand(value)
        for obj in [value] if many is None else many:
            index += 1
            source = EventSource(file=name, member=member, record=index)
            if obj.__class__ is not dict:
                report.skip(_not_object(source))
                continue
            report.events += 1
            yield event_from_object(obj, source=source)


_BLANK = re.compile(r"\s*")


def _concatenated(text: str, *, label: str) -> Iterator[Any]:
    """JSON values one after another; a ParseError (line:column) where that stops."""
    decoder = json.JSONDecoder()
    index = 0
    end = len(text)
    while True:
        match = _BLANK.match(text, index)
        index = match.end() if match else index
        if index >= end:
            return
        try:
            value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise ParseError(
                f"not valid JSON: {exc.msg}",
                code="detect.read.json",
                location=f"{label}:{exc.lineno}:{exc.colno}",
                hint="Fix the JSON there, or write one event per line (JSON lines).",
            ) from exc
        except RecursionError as exc:
            raise ParseError(
                "JSON nested too deeply", code="detect.read.json", location=label
            ) from exc
        yield value


def _read_lines(
    stream: IO[bytes], *, name: str, member: str | None, report: ReadReport
) -> Iterator[Event]:
    expanded = 0  # events from lines holding several ({"Records": [...]} or a list)
    for number, line in iter_lines(stream, name=where(name, member), report=report):
        if not line or line.isspace():
            continue
        source = EventSource(file=name, member=member, record=number)
        try:
            obj = loads(line.removeprefix(_BOM) if number == 1 else line)
        except ValueError as exc:
            report.skip(
                ParseError(
                    f"not a JSON line: {exc}", code="detect.read.json", location=source.location
                )
            )
            continue
        if obj.__class__ is dict and not ("Records" in obj and obj["Records"].__class__ is list):
            report.events += 1
            yield event_from_object(obj, source=source)
            continue
        many = _expand(obj)
        if many is None:
            report.skip(_not_object(source))
            continue
        for item in many:
            expanded += 1
            item_source = EventSource(file=name, member=member, record=expanded)
            if item.__class__ is not dict:
                report.skip(_not_object(item_source))
                continue
            report.events += 1
            yield event_from_object(item, source=item_source)


def _lines_mode(stream: IO[bytes]) -> bool:
    """JSON lines when the first non-blank line is a whole JSON value and more lines follow."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return True  # empty: nothing to read either way
        text = line.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text:
            break
    if len(line) > MAX_LINE_BYTES:
        return False  # one over-long line: a document (CloudTrail writes them on one line)
    try:
        loads(text)
    except ValueError:
        return False
    rest = stream.read(4096)
    return bool(rest.strip())


def _looks_like_one_document(stream: IO[bytes]) -> bool:
    """A pretty-printed document opens with ``{`` or ``[`` alone on its first line."""
    stream.seek(0)
    first = stream.readline(4096).lstrip(b"\xef\xbb\xbf").strip()
    return first in (b"{", b"[")


def _not_object(source: EventSource) -> ParseError:
    return ParseError(
        "a JSON value that is not an object", code="detect.read.json", location=source.location
    )
