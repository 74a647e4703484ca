"""Linux audit logs (``/var/log/audit/audit.log``): one event per record line.

``type=SYSCALL msg=audit(1604994496.155:92733): arch=c000003e syscall=59 ... comm="arp"``
becomes ``product: linux, service: auditd`` with every ``key=value`` as a field, as SigmaHQ's
auditd rules name them (``type``, ``a0``, ``exe``, ``comm``, ``key``, ``name`` ...): quoted values
unquoted; the hex auditd writes for arguments with blanks or odd bytes (``EXECVE`` ``aN``,
``proctitle``, ``name``, ``cwd``) decoded (NULs between proctitle's arguments become blanks).
Enriched logs (RHEL's ``log_format=ENRICHED``: upper-case fields after a ``\\x1d``) keep those
too (``SYSCALL=execve``, ``UID="root"``); for raw x86-64 records ``SYSCALL`` is filled from the
syscall number. ``node=`` (from a remote auditd) becomes the host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, Final

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers._common import ReadReport, iter_lines, where

LOGSOURCE: Final = LogSource(product="linux", service="auditd")
HEADER: Final = re.compile(
    r"^(?:node=(?P<node>\S+) )?type=(?P<type>[A-Z0-9_]{1,40}) "
    r"msg=audit\((?P<secs>\d{1,12})\.(?P<frac>\d{1,9}):(?P<serial>\d{1,20})\): ?"
)
_PAIR: Final = re.compile(r'([A-Za-z0-9_\-]{1,64})=("[^"]*"|\'[^\']*\'|\S*)')
_HEX: Final = re.compile(r"^(?:[0-9A-F]{2})+$")
_HEX_FIELDS: Final = frozenset({"proctitle", "name", "cwd", "exe", "comm", "data", "cmd"})
#: x86-64 syscall numbers of the calls SigmaHQ's auditd rules (and an analyst) ask about.
X86_64_SYSCALLS: Final = {
    "2": "open",
    "41": "socket",
    "42": "connect",
    "43": "accept",
    "49": "bind",
    "57": "fork",
    "59": "execve",
    "62": "kill",
    "82": "rename",
    "87": "unlink",
    "90": "chmod",
    "92": "chown",
    "99": "sysinfo",
    "101": "ptrace",
    "103": "syslog",
    "105": "setuid",
    "106": "setgid",
    "133": "mknod",
    "135": "personality",
    "165": "mount",
    "175": "init_module",
    "176": "delete_module",
    "257": "openat",
    "259": "mknodat",
    "263": "unlinkat",
    "268": "fchmodat",
    "313": "finit_module",
    "319": "memfd_create",
    "321": "bpf",
    "322": "execveat",
}


def is_audit_line(text: str) -> bool:
    return HEADER.match(text) is not None


def _value(key: str, raw: str, record_type: str) -> str:
    if raw[:1] in {'"', "'"} and raw[-1:] == raw[:1] and len(raw) >= 2:
        return raw[1:-1]
    hexed = (record_type == "EXECVE" and key[:1] == "a" and key[1:].isdigit()) or (
        key in _HEX_FIELDS
    )
    if hexed and len(raw) >= 2 and _HEX.match(raw):
        text = bytes.fromhex(raw).decode("utf-8", errors="replace")
        return text.replace("\x00", " ").rstrip() if key == "proctitle" else text
    return raw


def parse_audit_line(text: str) -> dict[str, Any] | None:
    """The fields of one audit record line, or None when it is not one."""
    m = HEADER.match(text)
    if m is None:
        return None
    record_type = m["type"]
    body, _, enriched = text[m.end() :].partition("\x1d")
    fields: dict[str, Any] = {"type": record_type, "serial": m["serial"]}
    if m["node"]:
        fields["node"] = m["node"]
    for key, raw in _PAIR.findall(body):
        fields.setdefault(key, _value(key, raw, record_type))
    for key, raw in _PAIR.findall(enriched):
        fields.setdefault(key, _value(key, raw, record_type))
    if "SYSCALL" not in fields and fields.get("arch") == "c000003e":
        name = X86_64_SYSCALLS.get(str(fields.get("syscall", "")))
        if name:
            fields["SYSCALL"] = name
    fields["_time"] = (int(m["secs"]), m["frac"])
    return fields


def read_auditd(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """Audit records; any other line is reported (file:line) and skipped."""
    label = where(name, member)
    for number, raw in iter_lines(stream, name=label, report=report):
        if not raw or raw.isspace():
            continue
        text = raw.decode("utf-8", errors="replace")
        source = EventSource(file=name, member=member, record=number)
        fields = parse_audit_line(text)
        if fields is None:
            report.skip(
                ParseError(
                    "not a Linux audit record (type=... msg=audit(...))",
                    code="detect.read.auditd",
                    location=source.location,
                )
            )
            continue
        secs, frac = fields.pop("_time")
        try:
            stamp: datetime | None = datetime.fromtimestamp(
                secs + int(frac[:6].ljust(6, "0")) / 1e6, tz=UTC
            )
        except (OverflowError, OSError, ValueError):
            stamp = None
        fields[RAW_FIELD] = text
        node = fields.get("node")
        report.events += 1
        yield Event(
            timestamp=stamp,
            host=node if isinstance(node, str) else None,
            format=LogFormat.AUDITD,
            logsource=LOGSOURCE,
            source=source,
            fields=fields,
        )
