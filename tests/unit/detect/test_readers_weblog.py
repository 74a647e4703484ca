"""Web server logs: access logs keep _raw; Apache and nginx error logs are their services."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, LogFormat
from shieldwall.detect.readers import ReadReport, detect_format, read_stream
from shieldwall.detect.readers.weblog import read_access_log, read_error_log

APACHE_ERRORS = b"\n".join(
    [
        b"[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/w2.properties",
        b"[Sun Dec 04 04:51:08 2005] [error] mod_jk child workerEnv in error state 6",
        b"[Wed Oct 11 14:32:52.123456 2023] [core:error] [pid 35708:tid 4328636416] "
        b"[client 72.15.99.187:5050] exit signal Segmentation Fault (11)",
        b"    continued stack line",
        b"not an error log line",
    ]
)
NGINX_ERRORS = (
    b"2023/01/02 03:04:05 [alert] 12#0: *3 worker process 99 exited on signal 6 (core dumped)\n"
)


def _read(fn, data: bytes) -> tuple[list, ReadReport]:  # type: ignore[no-untyped-def, type-arg]
    report = ReadReport()
    return list(fn(io.BytesIO(data), name="error.log", report=report)), report


def test_apache_error_log_lines() -> None:
    events, report = _read(read_error_log, APACHE_ERRORS)
    assert len(events) == 4
    notice, error, segv, continued = events
    assert notice.format is LogFormat.WEB_ERROR
    assert notice.logsource.service == "apache"
    assert notice.fields["level"] == "notice"
    assert notice.timestamp is not None
    assert notice.timestamp.isoformat() == "2005-12-04T04:47:44+00:00"
    assert error.fields["message"] == "mod_jk child workerEnv in error state 6"
    assert segv.fields["module"] == "core"
    assert segv.fields["level"] == "error"
    assert segv.fields["pid"] == "35708"
    assert segv.fields["client"] == "72.15.99.187:5050"
    assert "exit signal Segmentation Fault" in segv.fields[RAW_FIELD]
    assert segv.timestamp is not None
    assert segv.timestamp.isoformat() == "2023-10-11T14:32:52+00:00"
    assert continued.logsource.service == "apache"
    assert continued.fields["message"] == "continued stack line"
    assert report.skipped == 1
    assert report.errors[0].location == "error.log:5"


def test_nginx_error_log_line() -> None:
    (event,), _ = _read(read_error_log, NGINX_ERRORS)
    assert event.logsource.service == "nginx"
    assert event.fields["level"] == "alert"
    assert "exited on signal 6 (core dumped)" in event.fields[RAW_FIELD]


def test_detected_by_content_not_as_json() -> None:
    assert detect_format(APACHE_ERRORS) is LogFormat.WEB_ERROR
    assert detect_format(NGINX_ERRORS) is LogFormat.WEB_ERROR
    assert detect_format(b'[{"a": 1}]\n') is LogFormat.JSON
    report = ReadReport()
    assert len(list(read_stream(io.BytesIO(APACHE_ERRORS), name="e", report=report))) == 4


def test_access_log_keeps_the_raw_line_and_the_whole_uri() -> None:
    line = b'10.0.0.5 - - [11/Jul/2018:08:41:28 +0300] "GET /a/../../etc/passwd?x=1 HTTP/1.1" 404 9'
    (event,), _ = _read(read_access_log, line)
    assert event.fields[RAW_FIELD] == line.decode()
    assert event.fields["cs-uri"] == "/a/../../etc/passwd?x=1"
    assert event.fields["cs-uri-stem"] == "/a/../../etc/passwd"
    assert event.fields["cs-uri-query"] == "x=1"


lines = st.lists(
    st.one_of(
        st.binary(max_size=160),
        st.sampled_from([*APACHE_ERRORS.splitlines(), NGINX_ERRORS.strip(), b"  indented"]),
    ),
    max_size=15,
).map(b"\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_arbitrary_bytes_never_crash_the_error_log_reader(data: bytes) -> None:
    report = ReadReport()
    for event in read_error_log(io.BytesIO(data), name="fuzz", report=report):
        assert event.logsource.service in {"apache", "nginx"}
    for error in report.errors:
        assert isinstance(error, ParseError)
        assert (error.location or "").startswith("fuzz:")
