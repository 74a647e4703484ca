"""Linux audit logs (``/var/log/audit/audit.log``): one event per record line, and Sigma
category events (process_creation, file_event, network_connection) made of their records.

``type=SYSCALL msg=audit(1604994496.155:92733): arch=c000003e syscall=59 ... comm="arp"``
becomes ``product: linux, service: auditd`` with every ``key=value`` as a field, as SigmaHQ's
auditd rules name them (``type``, ``a0``, ``exe``, ``comm``, ``key``, ``name`` ...): quoted values
unquoted; the hex auditd writes for arguments with blanks or odd bytes (``EXECVE`` ``aN`` and
the ``aN[i]`` pieces of long ones, ``proctitle``, ``name``, ``cwd``) decoded (NULs between
proctitle's arguments become blanks). Enriched logs (RHEL's ``log_format=ENRICHED``: upper-case
fields after a ``\\x1d``) keep those too (``SYSCALL=execve``, ``UID="root"``); for raw x86-64
records ``SYSCALL`` is filled from the syscall number. ``node=`` (from a remote auditd) becomes
the host.

Sigma categories. One syscall is several records sharing ``msg=audit(<time>:<serial>)``:
SYSCALL, then EXECVE, CWD, PATH, SOCKADDR ... and PROCTITLE. Besides the records, some
syscalls also become one ``product: linux`` category event in Sysmon for Linux's field names,
so SigmaHQ's Linux category rules run on audit logs:

- ``process_creation``: each successful ``execve`` / ``execveat``. ``Image``: the SYSCALL's
  ``exe``; ``CommandLine``: the EXECVE arguments joined with blanks (as Sysmon for Linux writes
  it; the ``aN[i]`` pieces of long arguments put back together), else the PROCTITLE (which the
  kernel cuts at 128 bytes); ``CurrentDirectory``: the CWD.
- ``file_event``: each file a successful open/creat/mknod/rename/link/symlink call created (a
  PATH record with ``nametype=CREATE``; directories left out): ``TargetFilename``, made
  absolute with the CWD when it is relative to it. Overwritten files are not creations here.
- ``network_connection``: each ``connect`` to an IPv4/IPv6 address that succeeded or is under
  way (``exit=-115``, non-blocking): ``DestinationIp``, ``DestinationPort``,
  ``DestinationIsIpv6`` from the SOCKADDR record, and ``Initiated: 'true'``.

All of them: ``Image`` (``exe``), ``ProcessId`` / ``ParentProcessId`` (``pid`` / ``ppid``),
``User`` (the enriched ``UID`` name, else the numeric ``uid`` as text: audit logs do not name
users), auditd's own ``auid``, ``ses``, ``uid``, ``euid``, ``gid``, ``tty``, ``comm``, ``key``,
``SYSCALL``, ``serial`` under their own names, and ``_raw``: the syscall's record lines.
``ParentImage`` / ``ParentCommandLine`` (process_creation) are not in audit records: they are
filled only from an earlier exec of the parent pid read in the same file (a map of the last
:data:`MAX_PARENTS` pids to their Image and CommandLine); a parent that exec'd before the log
starts leaves them absent (rules that need them do not match), and a reused pid can name the
wrong parent. A syscall whose SYSCALL record is missing, or says it failed (a connect under
way aside), gives no category event.

Records are grouped by (node, time, serial) in a buffer of at most :data:`MAX_PENDING`
syscalls: one is emitted when a record of another event follows its SYSCALL and PROCTITLE (or
EOE), when the buffer is full (the oldest first, with what it has), or at the end of the file;
the whole file is never held. A record of a syscall already emitted is not added to it. Only
x86-64 and aarch64 syscall numbers (and i386's execs) are known; other architectures count in
enriched logs (which name the syscall).
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import IO, Any, Final

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers._common import ReadReport, iter_lines, where

LOGSOURCE: Final = LogSource(product="linux", service="auditd")
PROCESS_CREATION: Final = LogSource(product="linux", category="process_creation")
FILE_EVENT: Final = LogSource(product="linux", category="file_event")
NETWORK_CONNECTION: Final = LogSource(product="linux", category="network_connection")
HEADER: Final = re.compile(
    r"^(?:node=(?P<node>\S+) )?type=(?P<type>[A-Z0-9_]{1,40}) "
    r"msg=audit\((?P<secs>\d{1,12})\.(?P<frac>\d{1,9}):(?P<serial>\d{1,20})\): ?"
)
_PAIR: Final = re.compile(r'([A-Za-z0-9_\-]{1,64}(?:\[\d{1,9}\])?)=("[^"]*"|\'[^\']*\'|\S*)')
_HEX: Final = re.compile(r"^(?:[0-9A-F]{2})+$")
_ARG: Final = re.compile(r"^a\d{1,9}(?:\[\d{1,9}\])?$")
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
#: audit arch -> syscall number -> name, for the calls that make category events (x86-64 and
#: aarch64; i386's execs only: its sockets and files go through multiplexed calls).
CATEGORY_SYSCALLS: Final = {
    "c000003e": {
        "59": "execve",
        "322": "execveat",
        "42": "connect",
        "2": "open",
        "85": "creat",
        "257": "openat",
        "437": "openat2",
        "133": "mknod",
        "259": "mknodat",
        "82": "rename",
        "264": "renameat",
        "316": "renameat2",
        "86": "link",
        "265": "linkat",
        "88": "symlink",
        "266": "symlinkat",
    },
    "40000003": {"11": "execve", "358": "execveat"},
    "c00000b7": {
        "221": "execve",
        "281": "execveat",
        "203": "connect",
        "56": "openat",
        "437": "openat2",
        "33": "mknodat",
        "38": "renameat",
        "276": "renameat2",
        "37": "linkat",
        "36": "symlinkat",
    },
}
_EXEC_NAMES: Final = frozenset({"execve", "execveat"})
#: Calls that create files, and which argument holds the directory fd a relative name of theirs
#: is relative to (None: the working directory).
_FILE_CALLS: Final[dict[str, str | None]] = {
    "open": None,
    "creat": None,
    "mknod": None,
    "rename": None,
    "link": None,
    "symlink": None,
    "openat": "a0",
    "openat2": "a0",
    "mknodat": "a0",
    "renameat": "a2",
    "renameat2": "a2",
    "linkat": "a2",
    "symlinkat": "a1",
}
_EINPROGRESS: Final = "-115"  # a non-blocking connect, under way
_AF_INET: Final = 2  # Linux's address families (not this machine's: the log is Linux's)
_AF_INET6: Final = 10
#: The records of a syscall; a record of another type joins a syscall already buffered.
_RECORD_TYPES: Final = frozenset(
    {"SYSCALL", "EXECVE", "CWD", "PATH", "SOCKADDR", "PROCTITLE", "EOE"}
)
#: Syscalls buffered while their records come in.
MAX_PENDING: Final = 32
#: Text kept per syscall (its record lines); later records of a larger one are left out of it.
MAX_EXEC_BYTES: Final = 1 << 18
#: pid -> (Image, CommandLine) of its last exec, for ParentImage / ParentCommandLine.
MAX_PARENTS: Final = 4096
_MAX_ARGS: Final = 1 << 16
_MAX_CREATED: Final = 16
#: SYSCALL fields the category events keep under their own names.
_KEPT: Final = ("auid", "AUID", "ses", "uid", "euid", "gid", "tty", "comm", "key", "SYSCALL")


def is_audit_line(text: str) -> bool:
    return HEADER.match(text) is not None


def _value(key: str, raw: str, record_type: str) -> str:
    if raw[:1] in {'"', "'"} and raw[-1:] == raw[:1] and len(raw) >= 2:
        return raw[1:-1]
    hexed = (record_type == "EXECVE" and _ARG.match(key) is not None) or (key in _HEX_FIELDS)
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


def _stamp(secs: int, frac: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(secs + int(frac[:6].ljust(6, "0")) / 1e6, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def read_auditd(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None = None
) -> Iterator[Event]:
    """Audit records, and the category events of their syscalls (each after its records);
    any other line is reported (file:line) and skipped."""
    label = where(name, member)
    calls = _Syscalls()
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
        stamp = _stamp(secs, frac)
        fields[RAW_FIELD] = text
        node = fields.get("node")
        host = node if isinstance(node, str) else None
        key = (host or "", secs, frac, fields["serial"])
        made = calls.add(fields, key, text=text, source=source, stamp=stamp, host=host)
        if made:
            report.events += len(made)
            yield from made
        report.events += 1
        yield Event(
            timestamp=stamp,
            host=host,
            format=LogFormat.AUDITD,
            logsource=LOGSOURCE,
            source=source,
            fields=fields,
        )
    made = calls.finish()
    report.events += len(made)
    yield from made


# ---------------------------------------------------------------------------------------------
# Category events: the records of one syscall, put together

_Key = tuple[str, int, str, str]  # node, seconds, fraction, serial


class _Kind(StrEnum):
    EXEC = "exec"
    CONNECT = "connect"
    FILE = "file"


@dataclass(slots=True)
class _Call:
    """The records of one syscall read so far."""

    source: EventSource
    stamp: datetime | None
    host: str | None
    kind: _Kind | None = None
    syscall: dict[str, Any] | None = None
    args: dict[str, str] = field(default_factory=dict)  # EXECVE pairs, values as written
    cwd: str | None = None
    proctitle: str | None = None
    created: list[str] = field(default_factory=list)  # PATH names with nametype=CREATE
    saddr: str | None = None
    lines: list[str] = field(default_factory=list)
    size: int = 0
    ended: bool = False  # its PROCTITLE or EOE was read
    closed: bool = False  # ended, and its SYSCALL read: complete


class _Syscalls:
    """Syscalls being put together, in a bounded buffer, and the recent execs of each pid."""

    def __init__(self) -> None:
        self._pending: OrderedDict[_Key, _Call] = OrderedDict()
        self._closed: list[_Key] = []
        self._done: OrderedDict[_Key, None] = OrderedDict()  # emitted, or of no category
        self._parents: OrderedDict[tuple[str | None, str], tuple[Any, Any]] = OrderedDict()

    def add(
        self,
        fields: dict[str, Any],
        key: _Key,
        *,
        text: str,
        source: EventSource,
        stamp: datetime | None,
        host: str | None,
    ) -> list[Event]:
        """Take one record; the category events it completes (those closed before it)."""
        out: list[Event] = []
        if self._closed and (len(self._closed) > 1 or self._closed[0] != key):
            for done in [k for k in self._closed if k != key]:
                self._emit(done, out)
        record_type = fields["type"]
        entry = self._pending.get(key)
        if entry is None:
            if record_type not in _RECORD_TYPES or key in self._done:
                return out
            if record_type == "SYSCALL" and _kind(fields) is None:
                self._forget(key)
                return out
            entry = self._pending[key] = _Call(source=source, stamp=stamp, host=host)
            if len(self._pending) > MAX_PENDING:
                self._emit(next(iter(self._pending)), out)
        if entry.size + len(text) > MAX_EXEC_BYTES and record_type not in {"SYSCALL", "EOE"}:
            if record_type == "PROCTITLE":
                self._end(key, entry)
            return out
        entry.lines.append(text)
        entry.size += len(text) + 1
        match record_type:
            case "SYSCALL":
                kind = _kind(fields)
                if kind is None or entry.syscall is not None:
                    self._drop(key)
                    return out
                entry.kind = kind
                entry.syscall = fields
                entry.source = source  # the event's location is its SYSCALL record
                if entry.ended:
                    self._end(key, entry)
            case "EXECVE":
                m = HEADER.match(text)  # the values as written: pieces join as bytes
                for name, value in _PAIR.findall(text, m.end() if m else 0):
                    entry.args.setdefault(name, value)
            case "CWD":
                cwd = fields.get("cwd")
                entry.cwd = cwd if isinstance(cwd, str) else None
            case "PATH":
                name = fields.get("name")
                mode = str(fields.get("mode", ""))
                if (
                    fields.get("nametype") == "CREATE"
                    and isinstance(name, str)
                    and name
                    and not mode.startswith("040")  # a directory
                    and len(entry.created) < _MAX_CREATED
                ):
                    entry.created.append(name)
            case "SOCKADDR":
                saddr = fields.get("saddr")
                entry.saddr = saddr if isinstance(saddr, str) else None
            case "PROCTITLE":
                title = fields.get("proctitle")
                entry.proctitle = title if isinstance(title, str) else None
                self._end(key, entry)
            case "EOE":
                self._end(key, entry)
            case _:
                pass
        return out

    def finish(self) -> list[Event]:
        """The syscalls still buffered at the end of the file."""
        out: list[Event] = []
        while self._pending:
            self._emit(next(iter(self._pending)), out)
        return out

    def _end(self, key: _Key, entry: _Call) -> None:
        """Its last record (PROCTITLE or EOE) was read: complete once its SYSCALL is too."""
        entry.ended = True
        if entry.syscall is not None and not entry.closed:
            entry.closed = True
            self._closed.append(key)

    def _forget(self, key: _Key) -> None:
        self._done[key] = None
        if len(self._done) > 4 * MAX_PENDING:
            self._done.popitem(last=False)

    def _drop(self, key: _Key) -> _Call | None:
        entry = self._pending.pop(key, None)
        if entry is not None and entry.closed:
            self._closed.remove(key)
        self._forget(key)
        return entry

    def _emit(self, key: _Key, out: list[Event]) -> None:
        entry = self._drop(key)
        if entry is None or entry.syscall is None:
            return  # no SYSCALL read: what the call was, and whether it succeeded, is unknown
        syscall = entry.syscall
        match entry.kind:
            case _Kind.EXEC:
                fields = self._process(entry, syscall)
                out.append(self._event(key, entry, syscall, fields, PROCESS_CREATION))
            case _Kind.FILE:
                for name in entry.created:
                    target = {"TargetFilename": _absolute(name, entry.cwd, syscall)}
                    out.append(self._event(key, entry, syscall, target, FILE_EVENT))
            case _Kind.CONNECT:
                peer = _peer(entry.saddr) if entry.saddr else None
                if peer is not None:
                    out.append(self._event(key, entry, syscall, peer, NETWORK_CONNECTION))
            case None:  # pragma: no cover - a SYSCALL read always has a kind
                pass

    def _process(self, entry: _Call, syscall: dict[str, Any]) -> dict[str, Any]:
        """CommandLine, CurrentDirectory and the parent's Image of an exec; remembers the
        exec as its pid's last."""
        out: dict[str, Any] = {}
        command = _command_line(entry.args)
        if command is None and entry.proctitle:
            command = entry.proctitle
        if command is not None:
            out["CommandLine"] = command
        if entry.cwd is not None:
            out["CurrentDirectory"] = entry.cwd
        pid, ppid = syscall.get("pid"), syscall.get("ppid")
        if isinstance(ppid, str) and ppid:
            parent = self._parents.get((entry.host, ppid))
            if parent is not None:
                parent_image, parent_command = parent
                if parent_image is not None:
                    out["ParentImage"] = parent_image
                if parent_command is not None:
                    out["ParentCommandLine"] = parent_command
        if isinstance(pid, str) and pid:
            image = syscall.get("exe")
            self._parents[(entry.host, pid)] = (image or None, command)
            self._parents.move_to_end((entry.host, pid))
            if len(self._parents) > MAX_PARENTS:
                self._parents.popitem(last=False)
        return out

    def _event(
        self,
        key: _Key,
        entry: _Call,
        syscall: dict[str, Any],
        specific: dict[str, Any],
        logsource: LogSource,
    ) -> Event:
        out: dict[str, Any] = {}
        image = syscall.get("exe")
        if isinstance(image, str) and image:
            out["Image"] = image
        out.update(specific)
        pid, ppid = syscall.get("pid"), syscall.get("ppid")
        if isinstance(pid, str) and pid:
            out["ProcessId"] = pid
        if isinstance(ppid, str) and ppid:
            out["ParentProcessId"] = ppid
        user = syscall.get("UID") or syscall.get("uid")
        if isinstance(user, str) and user:
            out["User"] = user
        for name in _KEPT:
            value = syscall.get(name)
            if value is not None:
                out[name] = value
        if "SYSCALL" not in out:  # aarch64 / i386 numbers
            call = _call_name(syscall)
            if call is not None:
                out["SYSCALL"] = call
        out["serial"] = key[3]
        out[RAW_FIELD] = "\n".join(entry.lines)
        return Event(
            timestamp=entry.stamp,
            host=entry.host,
            format=LogFormat.AUDITD,
            logsource=logsource,
            source=entry.source,
            fields=out,
        )


def _call_name(fields: dict[str, Any]) -> str | None:
    """The name of a SYSCALL record's call, when it is one that makes category events."""
    name = fields.get("SYSCALL")
    if isinstance(name, str):
        return name
    number = fields.get("syscall")
    if number in _EXEC_NAMES or number == "connect" or number in _FILE_CALLS:
        return str(number)  # already a name (auoms and some forwarders write names)
    numbers = CATEGORY_SYSCALLS.get(str(fields.get("arch", "")))
    return numbers.get(str(number)) if numbers is not None else None


def _kind(fields: dict[str, Any]) -> _Kind | None:
    """Which category event a SYSCALL record makes: a successful exec, a connect that
    succeeded or is under way, a successful call that can create files; None for the rest."""
    name = _call_name(fields)
    if name is None:
        return None
    succeeded = fields.get("success") == "yes"
    if name in _EXEC_NAMES:
        return _Kind.EXEC if succeeded else None
    if name == "connect":
        return _Kind.CONNECT if succeeded or fields.get("exit") == _EINPROGRESS else None
    if name in _FILE_CALLS:
        return _Kind.FILE if succeeded else None
    return None


def _absolute(name: str, cwd: str | None, syscall: dict[str, Any]) -> str:
    """A created file's name, made absolute with the working directory when it is relative to
    it (a ``*at`` call's directory fd is ``AT_FDCWD``); else as the kernel logged it."""
    if name.startswith("/") or cwd is None:
        return name
    dirfd = _FILE_CALLS.get(str(_call_name(syscall)))
    if dirfd is not None and not str(syscall.get(dirfd, "")).endswith("ffffff9c"):
        return name  # relative to another directory, which the records do not name
    return posixpath.normpath(posixpath.join(cwd, name))


def _peer(saddr: str) -> dict[str, Any] | None:
    """DestinationIp / DestinationPort of a SOCKADDR's ``saddr`` (a ``struct sockaddr`` in hex,
    the family in host order (little-endian), the port in network order); None when it is not
    IPv4 or IPv6."""
    if not _HEX.match(saddr.upper()):
        return None
    raw = bytes.fromhex(saddr)
    family = int.from_bytes(raw[:2], "little") if len(raw) >= 2 else -1
    try:
        if family == _AF_INET and len(raw) >= 8:
            ip: str = str(ipaddress.IPv4Address(raw[4:8]))
            six = "false"
        elif family == _AF_INET6 and len(raw) >= 24:
            ip = str(ipaddress.IPv6Address(raw[8:24]))
            six = "true"
        else:
            return None
    except ValueError:
        return None
    return {
        "DestinationIp": ip,
        "DestinationPort": str(int.from_bytes(raw[2:4], "big")),
        "DestinationIsIpv6": six,
        "Initiated": "true",
    }


def _arg_bytes(raw: str) -> bytes:
    """One EXECVE value as written: quoted text, or hex (blanks, quotes or odd bytes)."""
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in {'"', "'"}:
        return raw[1:-1].encode("utf-8", errors="surrogateescape")
    if len(raw) >= 2 and _HEX.match(raw):
        return bytes.fromhex(raw)
    return raw.encode("utf-8", errors="surrogateescape")


def _command_line(args: dict[str, str]) -> str | None:
    """The EXECVE arguments joined with blanks; a long argument comes as ``aN_len`` and pieces
    ``aN[0]``, ``aN[1]`` ... (each quoted or hex), put back together before decoding."""
    if not args:
        return None
    argc_text = args.get("argc", "")
    argc = int(argc_text) if argc_text.isdigit() and len(argc_text) < 8 else _MAX_ARGS
    parts: list[str] = []
    for index in range(min(argc, _MAX_ARGS)):
        whole = args.get(f"a{index}")
        if whole is not None:
            value = _arg_bytes(whole)
        elif f"a{index}[0]" in args:
            pieces: list[bytes] = []
            piece = 0
            while (chunk := args.get(f"a{index}[{piece}]")) is not None:
                pieces.append(_arg_bytes(chunk))
                piece += 1
            value = b"".join(pieces)
        else:
            break  # a missing argument (a lost record): the command line stops there
        parts.append(value.decode("utf-8", errors="replace"))
    return " ".join(parts) if parts else None
