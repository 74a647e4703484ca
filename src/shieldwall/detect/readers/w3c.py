"""IIS and other W3C extended log files, driven by their ``#Fields:`` directive.

Field names follow Sigma's ``webserver`` taxonomy: the W3C names as they are (``c-ip``,
``cs-method``, ``cs-uri-stem``, ``cs-uri-query``, ``sc-status``, ``s-ip``, ``time-taken``), and
header fields written ``prefix(Header)`` become ``prefix-header`` (``cs(User-Agent)`` ->
``cs-user-agent``, ``cs(Referer)`` -> ``cs-referer``, ``cs(Cookie)`` -> ``cs-cookie``). ``-`` means
no value and leaves the field out; numeric fields are ints; IIS writes spaces in the user agent
as ``+``, turned back into spaces. ``date`` and ``time`` are UTC (the W3C format says so), and
a ``#Fields:`` directive may change the columns mid-file (IIS writes one at each restart).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, Final

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers._common import ReadReport, iter_lines, where

LOGSOURCE: Final = LogSource(category="webserver")
FIELDS_DIRECTIVE: Final = b"#Fields:"
DIRECTIVES: Final = (
    b"#Software:",
    b"#Version:",
    b"#Date:",
    b"#Fields:",
    b"#Start-Date:",
    b"#Remark:",
)
MAX_COLUMNS: Final = 256
_NUMERIC: Final = frozenset(
    {"sc-status", "sc-substatus", "sc-win32-status", "sc-bytes", "cs-bytes", "time-taken", "s-port"}
)


def field_name(name: str) -> str:
    """A W3C column name in Sigma's spelling: ``cs(User-Agent)`` -> ``cs-user-agent``."""
    prefix, paren, rest = name.partition("(")
    if paren and rest.endswith(")"):
        return f"{prefix}-{rest[:-1].lower()}"
    return name


def parse_fields_directive(line: str) -> list[str] | None:
    """The columns a ``#Fields:`` line names, or None when it names none or too many."""
    names = line[len("#Fields:") :].split()
    if not names or len(names) > MAX_COLUMNS:
        return None
    return [field_name(n) for n in names]


def _time(date: str | None, clock: str | None) -> datetime | None:
    if not date or not clock:
        return None
    try:
        stamp = datetime.fromisoformat(f"{date}T{clock}")
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else None


def parse_w3c_line(text: str, columns: list[str]) -> dict[str, Any] | None:
    """The fields of one entry line, or None when its column count does not match."""
    values = text.split(" ")
    if len(values) != len(columns):
        values = text.split()  # tolerate runs of blanks
        if len(values) != len(columns):
            return None
    fields: dict[str, Any] = {}
    for name, value in zip(columns, values, strict=True):
        if value == "-" or not value:
            continue
        if name in _NUMERIC and value.isdigit() and value.isascii() and len(value) < 19:
            fields[name] = int(value)
        elif name == "cs-user-agent":
            fields[name] = value.replace("+", " ")
        else:
            fields[name] = value
    return fields


def read_w3c(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """W3C entries; a line before any ``#Fields:`` directive, or whose columns do not match
    it, is reported (file:line) and skipped."""
    label = where(name, member)
    columns: list[str] | None = None
    for number, raw in iter_lines(stream, name=label, report=report):
        if not raw or raw.isspace():
            continue
        text = raw.decode("utf-8", errors="replace")
        location = f"{label}:{number}"
        if raw.startswith(b"#"):
            if raw.startswith(FIELDS_DIRECTIVE):
                columns = parse_fields_directive(text)
                if columns is None:
                    report.skip(
                        ParseError(
                            "a #Fields: directive naming no columns (or too many)",
                            code="detect.read.w3c",
                            location=location,
                        )
                    )
            continue
        if columns is None:
            report.skip(
                ParseError(
                    "a W3C log entry before any #Fields: directive",
                    code="detect.read.w3c",
                    location=location,
                    hint="W3C extended logs name their columns in a '#Fields:' line first.",
                )
            )
            continue
        fields = parse_w3c_line(text, columns)
        if fields is None:
            report.skip(
                ParseError(
                    f"a W3C log entry without the {len(columns)} columns of its #Fields: line",
                    code="detect.read.w3c",
                    location=location,
                )
            )
            continue
        stamp = _time(fields.get("date"), fields.get("time"))
        fields[RAW_FIELD] = text
        host = fields.get("s-computername") or fields.get("s-ip")
        report.events += 1
        yield Event(
            timestamp=stamp,
            host=host if isinstance(host, str) else None,
            format=LogFormat.W3C,
            logsource=LOGSOURCE,
            source=EventSource(file=name, member=member, record=number),
            fields=fields,
        )
