"""Web server access logs: Apache/nginx "combined" and "common" formats.

Fields use the Sigma ``webserver`` taxonomy (``c-ip``, ``cs-method``, ``cs-uri-stem``,
``cs-uri-query``, ``sc-status``, ``cs-user-agent``, ``cs-referer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers._common import ReadReport, iter_lines, where

ACCESS = re.compile(
    r"^(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]{1,64})\] "
    r'"(?P<request>(?:[^"\\]|\\.)*)" (?P<status>\d{3}|-) (?P<size>\d+|-)'
    r'(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)")?(?P<extra>.*)$'
)


def _time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").astimezone(UTC)
    except ValueError:
        return None


def parse_access_line(text: str) -> dict[str, Any] | None:
    m = ACCESS.match(text)
    if not m:
        return None
    fields: dict[str, Any] = {"c-ip": m["host"]}
    if m["user"] != "-":
        fields["cs-username"] = m["user"]
    parts = m["request"].split(" ")
    if len(parts) == 3:
        fields["cs-method"], target, fields["cs-version"] = parts
        stem, _, query = target.partition("?")
        fields["cs-uri-stem"] = stem
        if query:
            fields["cs-uri-query"] = query
        fields["cs-uri"] = target
    else:
        fields["request"] = m["request"]
    if m["status"] != "-":
        fields["sc-status"] = int(m["status"])
    if m["size"] != "-":
        fields["sc-bytes"] = int(m["size"])
    if m["referer"] is not None and m["referer"] != "-":
        fields["cs-referer"] = m["referer"]
    if m["agent"] is not None and m["agent"] != "-":
        fields["cs-user-agent"] = m["agent"]
    fields["_time"] = m["time"]
    return fields


def read_access_log(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """Access log lines; any other line is reported (file:line) and skipped."""
    label = where(name, member)
    for number, raw in iter_lines(stream, name=label, report=report):
        if not raw.strip():
            continue
        source = EventSource(file=name, member=member, record=number)
        fields = parse_access_line(raw.decode("utf-8", errors="replace"))
        if fields is None:
            report.skip(
                ParseError(
                    "not an access log line (combined or common format)",
                    code="detect.read.web_access",
                    location=source.location,
                )
            )
            continue
        stamp = _time(fields.pop("_time"))
        report.events += 1
        yield Event(
            timestamp=stamp,
            host=None,
            format=LogFormat.WEB_ACCESS,
            logsource=LogSource(category="webserver"),
            source=source,
            fields=fields,
        )
