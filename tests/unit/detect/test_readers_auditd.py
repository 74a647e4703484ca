"""Linux audit records: auditd's own field names, decoded hex, SYSCALL names, service auditd."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, LogFormat
from shieldwall.detect.readers import ReadReport, detect_format
from shieldwall.detect.readers.auditd import read_auditd

AUDIT = b"\n".join(
    [
        b"type=SYSCALL msg=audit(1604994496.155:92733): arch=c000003e syscall=59 success=yes "
        b"exit=0 a0=558e251634a0 items=2 ppid=29002 pid=1631 auid=1000 uid=1000 euid=33 "
        b'tty=pts0 ses=104 comm="arp" exe="/usr/sbin/arp" key=(null)',
        b'type=EXECVE msg=audit(1604994496.155:92733): argc=3 a0="nc" a1="-e" '
        b"a2=2F62696E2F7368202D69",
        b'type=CWD msg=audit(1604994496.155:92733): cwd="/home/wardog"',
        b"type=PROCTITLE msg=audit(1604994496.155:92733): proctitle=617270002D61",
        b"node=web1 type=SYSCALL msg=audit(1700000000.5:7): arch=c000003e syscall=319 "
        b'comm="x"\x1dARCH=x86_64 SYSCALL=memfd_create UID="root"',
        b"not an audit record",
    ]
)


def test_audit_records() -> None:
    report = ReadReport()
    events = list(read_auditd(io.BytesIO(AUDIT), name="audit.log", report=report))
    # the successful exec also gives a process_creation event (test_readers_linux_process.py)
    records = [e for e in events if e.logsource.service == "auditd"]
    assert len(events) == len(records) + 1
    syscall, execve, cwd, title, enriched = records
    assert syscall.format is LogFormat.AUDITD
    assert (syscall.logsource.product, syscall.logsource.service) == ("linux", "auditd")
    assert syscall.fields["type"] == "SYSCALL"
    assert syscall.fields["SYSCALL"] == "execve"  # from the x86-64 number
    assert syscall.fields["exe"] == "/usr/sbin/arp"
    assert syscall.fields["comm"] == "arp"
    assert syscall.fields["euid"] == "33"
    assert syscall.fields["a0"] == "558e251634a0"  # a pointer, not text: kept
    assert syscall.timestamp is not None
    assert syscall.timestamp.isoformat() == "2020-11-10T07:48:16.155000+00:00"
    assert execve.fields["a0"] == "nc"
    assert execve.fields["a2"] == "/bin/sh -i"  # hex decoded
    assert cwd.fields["cwd"] == "/home/wardog"
    assert title.fields["proctitle"] == "arp -a"
    assert enriched.host == "web1"
    assert enriched.fields["SYSCALL"] == "memfd_create"
    assert enriched.fields["UID"] == "root"
    assert enriched.fields[RAW_FIELD].startswith("node=web1 type=SYSCALL")
    assert report.skipped == 1
    assert report.errors[0].location == "audit.log:6"


def test_detected_by_content() -> None:
    assert detect_format(AUDIT) is LogFormat.AUDITD


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=150),
            st.sampled_from(AUDIT.splitlines()),
            st.binary(max_size=80).map(lambda b: b"type=EXECVE msg=audit(1.2:3): a0=" + b),
        ),
        max_size=12,
    ).map(b"\n".join)
)
def test_arbitrary_bytes_never_crash_the_audit_reader(data: bytes) -> None:
    report = ReadReport()
    for event in read_auditd(io.BytesIO(data), name="fuzz", report=report):
        if event.logsource.category == "process_creation":  # an exec put together, not a record
            assert event.fields["SYSCALL"] == "execve"
        else:
            assert event.fields["type"]
    for error in report.errors:
        assert isinstance(error, ParseError)
        assert (error.location or "").startswith("fuzz:")
