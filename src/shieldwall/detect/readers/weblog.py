"""Web server logs: Apache/nginx access logs ("combined" and "common"), and their error logs.

Access log fields use the Sigma ``webserver`` taxonomy (``c-ip``, ``cs-method``,
``cs-uri-stem``, ``cs-uri-query`` (without its ``?``), ``cs-uri`` (both), ``sc-status``,
``cs-user-agent``, ``cs-referer``, ``cs-username``); logsource ``category: webserver``.

Error logs (Apache ``[Sun Dec 04 04:47:44 2005] [error] ...``, Apache 2.4
``[... 2023] [core:error] [pid 1:tid 2] [client 1.2.3.4:5] ...``, nginx
``2023/01/02 03:04:05 [error] 12#0: *3 ...``) are ``service: apache`` / ``service: nginx``, with
``level``, ``module``, ``pid``, ``client`` and ``message`` fields.

Every line is kept in ``_raw`` for Sigma's keyword rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, Final

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers._common import ReadReport, iter_lines, where

ACCESS = re.compile(
    r"^(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]{1,64})\] "
    r'"(?P<request>(?:[^"\\]|\\.)*)" (?P<status>\d{3}|-) (?P<size>\d+|-)'
    r'(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)")?(?P<extra>.*)$'
)


#: For lines the strict pattern refuses: quotes inside the request (attacks put them there,
#: and some servers do not escape them), up to the first `" <status> <size>`.
ACCESS_LENIENT = re.compile(
    r"^(?P<host>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]{1,64})\] "
    r'"(?P<request>.*?)" (?P<status>\d{3}|-) (?P<size>\d+|-)'
    r'(?: "(?P<referer>.*?)" "(?P<agent>.*)")?(?P<extra>)$'
)
WEBSERVER: Final = LogSource(category="webserver")
APACHE: Final = LogSource(service="apache")
NGINX: Final = LogSource(service="nginx")

APACHE_ERROR = re.compile(
    r"^\[(?P<time>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,6})? \d{4})\] "
    r"\[(?:(?P<module>[^\]:\s]{1,64}):)?(?P<level>[a-z0-9]{1,16})\]"
    r"(?: \[pid (?P<pid>\d{1,10})(?::tid \d{1,24})?\])?"
    r"(?: \[client (?P<client>[^\]]{1,128})\])?"
    r" ?(?P<message>.*)$"
)
NGINX_ERROR = re.compile(
    r"^(?P<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(?P<level>[a-z]{1,8})\] "
    r"(?P<pid>\d{1,10})#\d{1,10}: (?:\*\d{1,20} )?(?P<message>.*)$"
)


def _time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").astimezone(UTC)
    except ValueError:
        return None


def parse_access_line(text: str) -> dict[str, Any] | None:
    m = ACCESS.match(text) or ACCESS_LENIENT.match(text)
    if not m:
        return None
    fields: dict[str, Any] = {"c-ip": m["host"]}
    if m["user"] != "-":
        fields["cs-username"] = m["user"]
    parts = m["request"].split(" ")
    method: str | None
    target: str | None
    version: str | None
    if len(parts) >= 3 and parts[-1].startswith("HTTP/"):
        method, target, version = parts[0], " ".join(parts[1:-1]), parts[-1]
    elif len(parts) == 2 and parts[0].isupper():  # HTTP/0.9: no version
        (method, target), version = parts, None
    else:
        method = target = version = None
    if method is not None and target is not None:
        fields["cs-method"] = method
        if version:
            fields["cs-version"] = version
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


def parse_error_line(text: str) -> tuple[LogSource, datetime | None, dict[str, Any]] | None:
    """An Apache or nginx error log line: its logsource, time and fields; None otherwise."""
    m = APACHE_ERROR.match(text)
    if m:
        stamp_text = m["time"]
        dot = stamp_text.find(".")
        if dot != -1:  # 2.4 writes microseconds before the year
            stamp_text = stamp_text[:dot] + stamp_text[stamp_text.index(" ", dot) :]
        try:
            stamp: datetime | None = datetime.strptime(stamp_text, "%a %b %d %H:%M:%S %Y")
        except ValueError:
            stamp = None
        fields: dict[str, Any] = {"level": m["level"], "message": m["message"]}
        for key in ("module", "pid", "client"):
            if m[key]:
                fields[key] = m[key]
        return APACHE, stamp.replace(tzinfo=UTC) if stamp else None, fields
    m = NGINX_ERROR.match(text)
    if m:
        try:
            stamp = datetime.strptime(m["time"], "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            stamp = None
        return NGINX, stamp, {"level": m["level"], "pid": m["pid"], "message": m["message"]}
    return None


def read_access_log(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """Access log lines; any other line is reported (file:line) and skipped."""
    label = where(name, member)
    for number, raw in iter_lines(stream, name=label, report=report):
        if not raw or raw.isspace():
            continue
        source = EventSource(file=name, member=member, record=number)
        text = raw.decode("utf-8", errors="replace")
        fields = parse_access_line(text)
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
        fields[RAW_FIELD] = text
        report.events += 1
        yield Event(
            timestamp=stamp,
            host=None,
            format=LogFormat.WEB_ACCESS,
            logsource=WEBSERVER,
            source=source,
            fields=fields,
        )


def read_error_log(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """Apache / nginx error log lines; a continuation line (a stack trace) is kept as an event
    of the line before's logsource; any other line is reported (file:line) and skipped."""
    label = where(name, member)
    last: tuple[LogSource, datetime | None] | None = None
    for number, raw in iter_lines(stream, name=label, report=report):
        if not raw or raw.isspace():
            continue
        source = EventSource(file=name, member=member, record=number)
        text = raw.decode("utf-8", errors="replace")
        parsed = parse_error_line(text)
        if parsed is None:
            if last is None or not raw[:1].isspace():
                report.skip(
                    ParseError(
                        "not a web server error log line (Apache or nginx)",
                        code="detect.read.web_error",
                        location=source.location,
                    )
                )
                continue
            logsource, stamp = last
            fields: dict[str, Any] = {"message": text.strip()}
        else:
            logsource, stamp, fields = parsed
            last = (logsource, stamp)
        fields[RAW_FIELD] = text
        report.events += 1
        yield Event(
            timestamp=stamp,
            host=None,
            format=LogFormat.WEB_ERROR,
            logsource=logsource,
            source=source,
            fields=fields,
        )
