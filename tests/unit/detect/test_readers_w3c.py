"""IIS / W3C extended logs: columns from #Fields:, Sigma webserver names, errors with lines."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import RAW_FIELD, LogFormat
from shieldwall.detect.readers import ReadReport, detect_format, read_stream
from shieldwall.detect.readers.w3c import field_name, read_w3c

FIELDS = (
    b"#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    b"cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"
)
IIS = b"\n".join(
    [
        b"#Software: Microsoft Internet Information Services 10.0",
        b"#Version: 1.0",
        b"#Date: 2019-09-03 10:04:35",
        FIELDS,
        b"2019-09-03 10:13:36 10.0.2.15 GET /erp/conn.aspx proxy&port=3389&ip=127.0.0.1 80 - "
        b"10.0.2.17 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) http://intranet/ 200 0 0 7",
        b"2019-09-03 10:13:44 10.0.2.15 POST /erp/conn.aspx - 80 CORP\\bob 10.0.2.17 - - "
        b"500 0 64 4",
        b"2019-09-03 10:13:45 10.0.2.15 GET /short",
        b"#Software: Microsoft Internet Information Services 10.0",
        b"#Fields: date time c-ip cs-method cs-uri-stem sc-status cs-host",
        b"2019-09-04 00:00:01 10.9.9.9 HEAD /health 204 www.example.org",
        b"",
    ]
)


def _read(data: bytes) -> tuple[list, ReadReport]:  # type: ignore[type-arg]
    report = ReadReport()
    return list(read_w3c(io.BytesIO(data), name="u_ex.log", report=report)), report


def test_columns_named_by_the_fields_directive_in_sigma_spelling() -> None:
    events, report = _read(IIS)
    assert len(events) == 3
    first, second, third = events
    assert first.format is LogFormat.W3C
    assert first.logsource.category == "webserver"
    assert first.fields["cs-method"] == "GET"
    assert first.fields["cs-uri-stem"] == "/erp/conn.aspx"
    assert first.fields["cs-uri-query"] == "proxy&port=3389&ip=127.0.0.1"
    assert first.fields["c-ip"] == "10.0.2.17"
    assert first.fields["cs-user-agent"] == "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
    assert first.fields["cs-referer"] == "http://intranet/"
    assert first.fields["sc-status"] == 200
    assert first.fields["time-taken"] == 7
    assert first.fields[RAW_FIELD].startswith("2019-09-03 10:13:36 10.0.2.15 GET")
    assert first.timestamp is not None
    assert first.timestamp.isoformat() == "2019-09-03T10:13:36+00:00"
    assert first.host == "10.0.2.15"
    assert first.source.record == 5
    # "-" is no value: the field is left out
    assert "cs-uri-query" not in second.fields
    assert "cs-user-agent" not in second.fields
    assert second.fields["cs-username"] == "CORP\\bob"
    assert second.fields["sc-win32-status"] == 64
    # a new #Fields: line changes the columns mid-file
    assert third.fields["cs-host"] == "www.example.org"
    assert third.fields["sc-status"] == 204
    assert third.source.record == 10
    assert report.skipped == 1
    assert report.errors[0].location == "u_ex.log:7"
    assert report.errors[0].code == "detect.read.w3c"


def test_entries_before_any_fields_directive_are_reported() -> None:
    events, report = _read(b"#Version: 1.0\n2019-01-01 00:00:00 GET /\n")
    assert events == []
    assert report.errors[0].location == "u_ex.log:2"
    assert "#Fields" in report.errors[0].message


def test_header_names() -> None:
    assert field_name("cs(User-Agent)") == "cs-user-agent"
    assert field_name("cs(Cookie)") == "cs-cookie"
    assert field_name("sc(Content-Type)") == "sc-content-type"
    assert field_name("c-ip") == "c-ip"


def test_detected_by_content() -> None:
    assert detect_format(IIS) is LogFormat.W3C
    report = ReadReport()
    assert len(list(read_stream(io.BytesIO(IIS), name="x.txt", report=report))) == 3


directive = st.sampled_from(
    [b"#Fields: date time c-ip cs-method cs-uri-stem sc-status", b"#Fields:", b"#Version: 1.0"]
)
entry = st.sampled_from([*IIS.splitlines()[4:7], b"2019-13-45 99:99:99 x y z 200"])
w3c_input = st.lists(st.one_of(directive, entry, st.binary(max_size=120)), max_size=15).map(
    b"\n".join
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(w3c_input)
def test_arbitrary_bytes_never_crash_the_w3c_reader(data: bytes) -> None:
    report = ReadReport()
    for event in read_w3c(io.BytesIO(data), name="fuzz", report=report):
        assert event.fields[RAW_FIELD]
    for error in report.errors:
        assert isinstance(error, ParseError)
        assert (error.location or "").startswith("fuzz:")
