"""Syslog (RFC 5424 and RFC 3164, as in /var/log/syslog and /var/log/auth.log).

Logsource: ``product: linux``, ``service`` the program's Sigma service (``sshd``, ``sudo``,
``su``, ``cron`` (also crontab), ``vsftpd``, ``clamav``, ``guacamole``, ``auth`` for pam and
other login programs, else ``syslog``), with ``extra_services`` naming the others it belongs to:
every line is also ``syslog``, and lines of login programs (or of a file named like auth.log /
secure) are also ``auth``. The whole line is kept in ``_raw`` for Sigma's keyword rules.

Auth programs get their own fields: for sshd the user, source address, port and method of
accepted and failed logins; for sudo the invoking user, target user and command (also as sudo
writes them: ``USER``, ``TTY``, ``PWD``, ``COMMAND``); for su the target and invoking users;
for pam (``pam_unix(sshd:auth)`` or the older ``sshd(pam_unix)``) the service, user and remote
host (also as ``pam_user``, ``pam_rhost``, ``pam_message``).

Sysmon for Linux writes its events to syslog as XML (program ``sysmon``): such a line is a
syslog event as any other, and is also handed to :mod:`.sysmon_linux`, which makes the
``product: linux`` category event (process_creation, network_connection, file_event ...) that
follows it; a broken XML message is reported (file:line) and only the syslog event is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, Event, EventSource, LogFormat, LogSource
from shieldwall.detect.readers._common import ReadReport, iter_lines, parse_iso, where
from shieldwall.detect.readers.sysmon_linux import is_sysmon_message, sysmon_event

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
        start=1,
    )
}
RFC5424 = re.compile(
    r"^<(?P<pri>\d{1,3})>(?P<version>\d{1,2}) (?P<time>\S+) (?P<host>\S+) (?P<app>\S+) "
    r"(?P<procid>\S+) (?P<msgid>\S+) (?P<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?P<msg>.*))?$"
)
RFC3164 = re.compile(
    r"^(?:<(?P<pri>\d{1,3})>)?"
    r"(?:(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(?P<day>\d{1,2}) "
    r"(?P<hms>\d\d:\d\d:\d\d)|(?P<iso>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?))"
    r" (?P<host>\S+) (?:(?P<tag>[^\s:\[]{1,64}?)(?:\[(?P<pid>\d{1,10})\])?: ?)?(?P<msg>.*)$"
)

_SSHD = (
    (
        re.compile(
            r"^(?P<outcome>Accepted|Failed) (?P<method>\S+) for (?P<invalid>invalid user )?"
            r"(?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+) port (?P<port>\d+)"
        ),
        "login",
    ),
    (re.compile(r"^Invalid user (?P<user>.*?) from (?P<ip>[0-9A-Fa-f:.]+)"), "invalid_user"),
    (
        re.compile(
            r"^Disconnected from (?:authenticating |invalid )?user (?P<user>\S+) "
            r"(?P<ip>[0-9A-Fa-f:.]+) port (?P<port>\d+)"
        ),
        "disconnect",
    ),
)
_SUDO = re.compile(
    r"^\s*(?P<user>\S+) : (?:(?P<error>[^;]*?) ; )?TTY=(?P<tty>\S+) ; PWD=(?P<pwd>.*?) ; "
    r"USER=(?P<target>\S+) ;(?: .*?;)*? COMMAND=(?P<command>.*)$"
)
_SU = re.compile(
    r"^(?:(?P<failed>FAILED SU)|Successful su for (?P<target2>\S+) by (?P<user2>\S+)|"
    r"(?:\+|-) \S+ (?P<user3>\S+):(?P<target3>\S+))|^\(to (?P<target>\S+)\) (?P<user>\S+) on"
)
_PAM = re.compile(r"pam_unix\((?P<service>[^:)]+):(?P<kind>[^)]+)\): (?P<what>.*)$")
_KV = re.compile(r"(\w+)=(\S*)")
_SESSION = re.compile(r"session (opened|closed) for user (\S+)")


def _auth_fields(program: str, msg: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    base, _, qualifier = program.partition("(")
    if base == "sshd":
        for pattern, action in _SSHD:
            m = pattern.match(msg)
            if m:
                out["action"] = action
                groups = m.groupdict()
                if groups.get("outcome"):
                    out["outcome"] = "success" if groups["outcome"] == "Accepted" else "failure"
                    out["auth_method"] = groups["method"]
                elif action == "invalid_user":
                    out["outcome"] = "failure"
                if groups.get("invalid"):
                    out["invalid_user"] = True
                out["user"] = groups["user"]
                out["source_ip"] = groups["ip"]
                if groups.get("port"):
                    out["source_port"] = int(groups["port"])
                break
    elif base == "sudo":
        m = _SUDO.match(msg)
        if m:
            out.update(
                user=m["user"],
                tty=m["tty"],
                pwd=m["pwd"],
                target_user=m["target"],
                command=m["command"],
                outcome="failure" if m["error"] else "success",
                TTY=m["tty"],
                PWD=m["pwd"],
                USER=m["target"],
                COMMAND=m["command"],
            )
            if m["error"]:
                out["error"] = m["error"]
    elif base == "su":
        m = _SU.search(msg)
        if m:
            out["user"] = m["user"] or m["user2"] or m["user3"]
            out["target_user"] = m["target"] or m["target2"] or m["target3"]
            out["outcome"] = "failure" if m["failed"] or msg.startswith("-") else "success"
    pam = _PAM.search(msg)
    what: str | None = None
    if pam:
        out["pam_service"] = pam["service"]
        out["pam_kind"] = pam["kind"]
        what = pam["what"]
    elif qualifier.startswith("pam_"):  # the older "sshd(pam_unix)[42]: ..." form
        out["pam_service"] = base
        what = msg
    if what is not None:
        message, _, rest = what.partition(";")
        out["pam_message"] = message.strip()
        for key, value in _KV.findall(rest if rest else what):
            if value:
                out.setdefault("source_ip" if key == "rhost" else key, value)
                if key in {"user", "rhost", "ruser", "tty", "uid", "euid", "logname"}:
                    out[f"pam_{key}"] = value
        if "authentication failure" in what:
            out.setdefault("outcome", "failure")
        session = _SESSION.search(what)
        if session:
            out.setdefault("user", session[2])
            out["pam_user"] = session[2]
            out["action"] = f"session_{session[1]}"
    return out


#: Program (lower case, without pid or "(pam_unix)") -> Sigma service.
PROGRAM_SERVICES: dict[str, str] = {
    "sshd": "sshd",
    "sudo": "sudo",
    "su": "su",
    "cron": "cron",
    "crond": "cron",
    "anacron": "cron",
    "crontab": "cron",
    "vsftpd": "vsftpd",
    "clamd": "clamav",
    "freshclam": "clamav",
    "clamav": "clamav",
    "clamscan": "clamav",
    "guacd": "guacamole",
    "guacamole": "guacamole",
    "auditd": "auditd",
    "systemd": "systemd",
    "login": "login",
}
#: Programs whose lines go to auth.log: Sigma's ``service: auth`` covers them.
AUTH_PROGRAMS = frozenset(
    {
        "sshd",
        "sudo",
        "su",
        "login",
        "passwd",
        "chpasswd",
        "chage",
        "useradd",
        "userdel",
        "usermod",
        "groupadd",
        "groupdel",
        "gpasswd",
        "newgrp",
        "pkexec",
        "polkitd",
        "systemd-logind",
        "gdm-password",
        "unix_chkpwd",
        "dbus-daemon",
    }
)
_AUTH_FILES = ("auth.log", "secure")
_SYSLOG_ONLY = LogSource(product="linux", service="syslog")
_LOGSOURCES: dict[tuple[str, bool], LogSource] = {}


def logsource_for(program: str, message: str, *, auth_file: bool = False) -> LogSource:
    """The Sigma logsource of a syslog line from ``program``."""
    base, _, qualifier = program.partition("(")
    base = base.lower()
    auth = (
        auth_file
        or base in AUTH_PROGRAMS
        or qualifier.startswith("pam_")
        or "pam_unix(" in message
        or base.startswith("pam")
    )
    key = (base, auth)
    found = _LOGSOURCES.get(key)
    if found is not None:
        return found
    service = PROGRAM_SERVICES.get(base) or ("auth" if auth else "syslog")
    extra = ("syslog",) if service != "syslog" else ()
    if auth and service != "auth":
        extra = (*extra, "auth")
    found = LogSource(product="linux", service=service, extra_services=extra)
    if len(_LOGSOURCES) < 4096:
        _LOGSOURCES[key] = found
    return found


def is_auth_file(name: str, member: str | None = None) -> bool:
    """auth.log, auth.log.1, secure, secure-20240101 ...: every line belongs to ``auth``."""
    base = (member or name).replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base in _AUTH_FILES or base.startswith(
        tuple(f"{stem}{sep}" for stem in _AUTH_FILES for sep in ".-_")
    )


def parse_line(text: str, *, year: int) -> dict[str, Any] | None:
    """The syslog header of one line (5424 first, then 3164), or None if it is not syslog."""
    m = RFC5424.match(text)
    if m:
        g = m.groupdict()
        return {
            "timestamp": parse_iso(g["time"]) if g["time"] != "-" else None,
            "host": None if g["host"] == "-" else g["host"],
            "program": None if g["app"] == "-" else g["app"],
            "pid": None if g["procid"] == "-" else g["procid"],
            "msgid": None if g["msgid"] == "-" else g["msgid"],
            "structured_data": None if g["sd"] == "-" else g["sd"],
            "pri": int(g["pri"]),
            "message": (g["msg"] or "").removeprefix("\ufeff"),
        }
    m = RFC3164.match(text)
    if not m:
        return None
    g = m.groupdict()
    if g["iso"]:
        stamp = parse_iso(g["iso"])
    else:
        try:
            h, mi, s = (int(x) for x in g["hms"].split(":"))
            stamp = datetime(year, _MONTHS[g["mon"]], int(g["day"]), h, mi, s, tzinfo=UTC)
        except ValueError:
            return None
    return {
        "timestamp": stamp,
        "host": g["host"],
        "program": g["tag"],
        "pid": g["pid"],
        "pri": int(g["pri"]) if g["pri"] else None,
        "message": g["msg"],
    }


def read_syslog(
    stream: IO[bytes],
    *,
    name: str,
    report: ReadReport,
    member: str | None = None,
    year: int | None = None,
) -> Iterator[Event]:
    """Syslog lines; lines that are not syslog are reported (file:line) and skipped. RFC 3164
    has no year: ``year`` (default: this year, UTC) fills it."""
    label = where(name, member)
    the_year = year if year is not None else datetime.now(tz=UTC).year
    auth_file = is_auth_file(name, member)
    for number, raw in iter_lines(stream, name=label, report=report):
        if not raw or raw.isspace():
            continue
        text = raw.decode("utf-8", errors="replace")
        source = EventSource(file=name, member=member, record=number)
        head = parse_line(text, year=the_year)
        if head is None:
            report.skip(
                ParseError(
                    "not a syslog line (RFC 3164 or 5424)",
                    code="detect.read.syslog",
                    location=source.location,
                )
            )
            continue
        fields: dict[str, Any] = {
            k: v for k, v in head.items() if k not in {"timestamp", "host"} and v is not None
        }
        if head["pri"] is not None:
            fields["facility"], fields["severity"] = divmod(head["pri"], 8)
        program = str(head.get("program") or "")
        message = head["message"]
        if program:
            fields.update(_auth_fields(program, message))
        fields[RAW_FIELD] = text
        report.events += 1
        yield Event(
            timestamp=head["timestamp"],
            host=head["host"],
            format=LogFormat.SYSLOG,
            logsource=logsource_for(program, message, auth_file=auth_file)
            if program
            else (_AUTH_SYSLOG if auth_file else _SYSLOG_ONLY),
            source=source,
            fields=fields,
        )
        if program and is_sysmon_message(program, message):
            try:
                sysmon = sysmon_event(
                    message,
                    line=text,
                    source=source,
                    host=head["host"],
                    timestamp=head["timestamp"],
                )
            except ParseError as exc:
                report.skip(exc)
                continue
            if sysmon is not None:
                report.events += 1
                yield sysmon


_AUTH_SYSLOG = LogSource(product="linux", service="auth", extra_services=("syslog",))
