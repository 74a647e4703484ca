"""Readers: each format, detection by content, skipped lines with file:line, arbitrary bytes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import NotFoundError, ParseError
from shieldwall.detect.events import LogFormat
from shieldwall.detect.readers import ReadReport, detect_format, read_paths, read_stream
from shieldwall.detect.readers.evtx import read_evtx
from shieldwall.detect.readers.jsonl import read_json
from shieldwall.detect.readers.syslog import read_syslog
from shieldwall.detect.readers.weblog import read_access_log

AUTH_LOG = b"".join(
    [
        b"Mar  3 10:15:01 web1 sshd[1234]: Accepted publi"
        b"ckey for alice from 203.0.113.7 port 50122 ssh2\n",
        b"Mar  3 10:15:09 web1 sshd[1240]: Failed password for"
        b" invalid user admin from 198.51.100.9 port 4242 ssh2\n",
        b"Mar  3 10:16:00 web1 sudo:    alice : TTY=pts/0 ; PWD="
        b"/home/alice ; USER=root ; COMMAND=/bin/cat /etc/shadow\n",
        b"Mar  3 10:17:00 web1 su[99]: (to root) alice on pts/0\n",
        b"Mar  3 10:18:00 web1 sshd[1241]: pam_unix(sshd:auth): authentication fai"
        b"lure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=root\n",
        b"this line is not syslog\n",
        b"<34>1 2024-05-01T12:00:00.123Z host5 sshd 77 ID47 - Ac"
        b"cepted password for bob from 2001:db8::1 port 22 ssh2\n",
    ]
)

ACCESS_LOG = (
    b'10.0.0.5 - - [11/Jul/2018:08:41:28 +0300] "GET /index.php?id=1%27 HTTP/1.1" 200 11 '
    b'"-" "sqlmap/1.2"\n'
    b'10.0.0.6 - bob [11/Jul/2018:08:41:29 +0300] "POST /upload HTTP/1.1" 302 -\n'
)


def _read(fn, data: bytes, **kw):  # type: ignore[no-untyped-def]
    report = ReadReport()
    events = list(fn(io.BytesIO(data), name="t.log", report=report, **kw))
    return events, report


def test_auth_log_fields_and_a_skipped_line_with_its_number() -> None:
    events, report = _read(read_syslog, AUTH_LOG, year=2024)
    assert len(events) == 6
    accepted, failed, sudo, su, pam, rfc5424 = events
    assert accepted.fields["user"] == "alice"
    assert accepted.fields["source_ip"] == "203.0.113.7"
    assert accepted.fields["outcome"] == "success"
    assert accepted.fields["auth_method"] == "publickey"
    assert accepted.logsource.service == "sshd"
    assert accepted.timestamp is not None
    assert accepted.timestamp.isoformat() == "2024-03-03T10:15:01+00:00"
    assert (accepted.source.file, accepted.source.record) == ("t.log", 1)
    assert failed.fields["user"] == "admin"
    assert failed.fields["invalid_user"] is True
    assert failed.fields["outcome"] == "failure"
    assert sudo.fields["target_user"] == "root"
    assert sudo.fields["command"] == "/bin/cat /etc/shadow"
    assert sudo.logsource.service == "sudo"
    assert (su.fields["user"], su.fields["target_user"]) == ("alice", "root")
    assert pam.fields["source_ip"] == "198.51.100.9"
    assert pam.fields["outcome"] == "failure"
    assert rfc5424.fields["user"] == "bob"
    assert rfc5424.fields["source_ip"] == "2001:db8::1"
    assert rfc5424.host == "host5"
    assert rfc5424.source.record == 7
    assert report.skipped == 1
    assert report.errors[0].location == "t.log:6"


def test_access_log_combined_and_common() -> None:
    events, report = _read(read_access_log, ACCESS_LOG)
    assert report.skipped == 0
    first, second = events
    assert first.fields["cs-uri-stem"] == "/index.php"
    assert first.fields["cs-uri-query"] == "id=1%27"
    assert first.fields["cs-user-agent"] == "sqlmap/1.2"
    assert first.fields["sc-status"] == 200
    assert first.logsource.category == "webserver"
    assert first.timestamp is not None
    assert first.timestamp.isoformat() == "2018-07-11T05:41:28+00:00"
    assert second.fields["cs-username"] == "bob"
    assert "sc-bytes" not in second.fields


def test_json_lines_flat_and_nested_and_a_bad_line() -> None:
    flat = {
        "Channel": "Security",
        "EventID": "4624",
        "Hostname": "dc1",
        "@timestamp": "2020-01-01T00:00:00Z",
    }
    nested = {
        "@timestamp": "2021-02-03T04:05:06.789Z",
        "host": {"name": "ws7"},
        "winlog": {
            "channel": "Microsoft-Windows-Sysmon/Operational",
            "event_id": 1,
            "event_data": {"Image": "C:\\x.exe"},
        },
    }
    data = (json.dumps(flat) + "\n{broken\n" + json.dumps(nested) + "\n").encode()
    events, report = _read(read_json, data)
    assert [e.event_id for e in events] == [4624, 1]
    assert events[0].host == "dc1"
    assert events[1].fields["Image"] == "C:\\x.exe"
    assert "winlog.event_data.Image" not in events[1].fields
    assert events[1].host == "ws7"
    assert events[1].channel == "Microsoft-Windows-Sysmon/Operational"
    assert events[1].source.record == 3
    assert report.skipped == 1
    assert report.errors[0].location == "t.log:2"


def test_json_document_with_records() -> None:
    doc = {"Records": [{"eventTime": "2020-01-01T00:00:00Z", "eventName": "GetObject"}]}
    events, _ = _read(read_json, json.dumps(doc, indent=2).encode())
    assert events[0].fields["eventName"] == "GetObject"
    assert events[0].timestamp is not None


def test_format_is_detected_by_content_not_name(tmp_path: Path) -> None:
    assert detect_format(AUTH_LOG) is LogFormat.SYSLOG
    assert detect_format(ACCESS_LOG) is LogFormat.WEB_ACCESS
    assert detect_format(b'{"a": 1}\n') is LogFormat.JSON
    assert detect_format(b"ElfFile\x00rest") is LogFormat.EVTX
    assert detect_format(b"hello world\nnothing here\n") is None
    misnamed = tmp_path / "events.evtx"
    misnamed.write_bytes(ACCESS_LOG)
    report = ReadReport()
    assert len(list(read_paths([misnamed], report=report))) == 2


def test_zip_members_keep_their_source_and_other_files_still_complete(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/auth.log", AUTH_LOG)
        zf.writestr("b/junk.bin", b"\x00\x01 not a log")
        zf.writestr("c/events.json", b'{"EventID": 1}\n')
    bad = tmp_path / "bad.evtx"
    bad.write_bytes(b"ElfFile\x00" + b"\x00" * 100)
    report = ReadReport()
    events = list(read_paths([tmp_path], report=report))
    assert len(events) == 7
    assert {e.source.member for e in events} == {"a/auth.log", "c/events.json"}
    assert report.failed_files == 2
    locations = {e.location for e in report.errors if e.code != "detect.read.syslog"}
    assert f"{archive}!b/junk.bin" in locations
    assert str(bad) in locations


def test_missing_path_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        list(read_paths([tmp_path / "nope"], report=ReadReport()))


def test_not_evtx_raises_a_parse_error_with_the_file() -> None:
    with pytest.raises(ParseError) as info:
        list(read_evtx(io.BytesIO(b"garbage" * 100), name="x.evtx", report=ReadReport()))
    assert info.value.location == "x.evtx"


def test_over_long_line_is_skipped_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from shieldwall.detect.readers import _common

    monkeypatch.setattr(_common, "MAX_LINE_BYTES", 150)
    data = b"x" * 400 + b"\n" + ACCESS_LOG
    events, report = _read(read_access_log, data)
    assert len(events) == 2
    assert report.errors[0].code == "detect.read.line_too_long"
    assert report.errors[0].location == "t.log:1"


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _never_crashes(fn, data: bytes) -> None:  # type: ignore[no-untyped-def]
    report = ReadReport()
    try:
        for _ in fn(io.BytesIO(data), name="fuzz", report=report):
            pass
    except ParseError as exc:
        error: ParseError | None = exc
    else:
        error = None
    assert error is None or (error.location or "").startswith("fuzz")
    for error in report.errors:
        assert error.location is not None


lines = st.lists(
    st.one_of(
        st.binary(max_size=200),
        st.sampled_from(AUTH_LOG.splitlines() + ACCESS_LOG.splitlines() + [b'{"a":{"b":[1]}}']),
    ),
    max_size=20,
).map(b"\n".join)


@FUZZ
@given(lines)
def test_syslog_reader_never_crashes(data: bytes) -> None:
    _never_crashes(read_syslog, data)


@FUZZ
@given(lines)
def test_access_log_reader_never_crashes(data: bytes) -> None:
    _never_crashes(read_access_log, data)


@FUZZ
@given(
    st.one_of(
        lines,
        st.binary(max_size=500),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=5), c, max_size=4),
        ).map(lambda v: json.dumps(v).encode()),
    )
)
def test_json_reader_never_crashes(data: bytes) -> None:
    _never_crashes(read_json, data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096).map(lambda b: b"ElfFile\x00" + b))
def test_evtx_reader_never_crashes(data: bytes) -> None:
    _never_crashes(read_evtx, data)


@FUZZ
@given(st.binary(max_size=2000))
def test_detection_and_dispatch_never_crash(data: bytes) -> None:
    _never_crashes(read_stream, data)
