"""AWS CloudTrail: Records documents (gzip too), JSON lines, Sigma's aws/cloudtrail logsource."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import LogFormat
from shieldwall.detect.readers import ReadReport, read_paths, read_stream
from shieldwall.detect.readers.cloudtrail import is_cloudtrail

RECORD: dict[str, Any] = {
    "eventVersion": "1.08",
    "userIdentity": {
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLE",
        "arn": "arn:aws:iam::123456789012:user/mallory",
        "accountId": "123456789012",
        "userName": "mallory",
    },
    "eventTime": "2024-03-01T12:00:00Z",
    "eventSource": "s3.amazonaws.com",
    "eventName": "PutBucketVersioning",
    "awsRegion": "us-east-1",
    "sourceIPAddress": "198.51.100.23",
    "userAgent": "aws-cli/2.15",
    "requestParameters": {
        "bucketName": "backups",
        "VersioningConfiguration": {"Status": "Suspended"},
    },
    "responseElements": None,
    "recipientAccountId": "123456789012",
}
DENIED = {
    **RECORD,
    "eventName": "ConsoleLogin",
    "eventSource": "signin.amazonaws.com",
    "eventTime": "2024-03-01T12:05:00Z",
    "errorCode": "AccessDenied",
    "errorMessage": "Failed authentication",
    "responseElements": {"ConsoleLogin": "Failure"},
    "additionalEventData": {"MFAUsed": "No"},
}


def _events(data: bytes, name: str = "trail.json") -> tuple[list, ReadReport]:  # type: ignore[type-arg]
    report = ReadReport()
    return list(read_stream(io.BytesIO(data), name=name, report=report)), report


def test_records_document_gives_one_event_per_record_with_sigma_fields() -> None:
    doc = json.dumps({"Records": [RECORD, DENIED]}, indent=2).encode()
    (first, second), report = _events(doc)
    assert report.skipped == 0
    assert first.format is LogFormat.CLOUDTRAIL
    assert (first.logsource.product, first.logsource.service) == ("aws", "cloudtrail")
    assert first.fields["eventName"] == "PutBucketVersioning"
    assert first.fields["eventSource"] == "s3.amazonaws.com"
    assert first.fields["userIdentity.arn"] == "arn:aws:iam::123456789012:user/mallory"
    assert first.fields["userIdentity.type"] == "IAMUser"
    assert first.fields["sourceIPAddress"] == "198.51.100.23"
    assert first.fields["requestParameters.bucketName"] == "backups"
    # kept whole as JSON text too: SigmaHQ's rules search it (requestParameters|contains)
    assert "Suspended" in first.fields["requestParameters"]
    assert json.loads(first.fields["requestParameters"]) == RECORD["requestParameters"]
    assert first.host == "123456789012"
    assert first.timestamp is not None
    assert first.timestamp.isoformat() == "2024-03-01T12:00:00+00:00"
    assert (first.source.record, second.source.record) == (1, 2)
    assert second.fields["errorCode"] == "AccessDenied"
    assert second.fields["responseElements.ConsoleLogin"] == "Failure"
    assert json.loads(second.fields["additionalEventData"]) == {"MFAUsed": "No"}


def test_one_line_records_document_and_json_lines_of_records() -> None:
    one_line = json.dumps({"Records": [RECORD, DENIED]}).encode()
    events, _ = _events(one_line)
    assert [e.fields["eventName"] for e in events] == ["PutBucketVersioning", "ConsoleLogin"]
    lines = b"\n".join(json.dumps(r).encode() for r in (RECORD, DENIED, RECORD))
    events, _ = _events(lines)
    assert [e.source.record for e in events] == [1, 2, 3]
    assert all(e.format is LogFormat.CLOUDTRAIL for e in events)


def test_gzipped_records_files_as_cloudtrail_writes_them(tmp_path: Path) -> None:
    folder = tmp_path / "AWSLogs" / "123456789012" / "CloudTrail" / "us-east-1"
    folder.mkdir(parents=True)
    for index in range(3):
        data = json.dumps({"Records": [RECORD, DENIED]}).encode()
        (folder / f"trail_{index}.json.gz").write_bytes(gzip.compress(data))
    report = ReadReport()
    events = list(read_paths([tmp_path], report=report))
    assert len(events) == 6
    assert report.failed_files == 0
    assert {e.source.file for e in events} == {str(p) for p in folder.iterdir()}


def test_what_is_and_is_not_cloudtrail() -> None:
    assert is_cloudtrail(RECORD)
    assert not is_cloudtrail({"eventSource": "x", "eventName": "y"})
    assert not is_cloudtrail({**RECORD, "eventName": 5})


record_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {"eventSource": st.text(max_size=20), "eventName": st.text(max_size=20)},
    optional={
        "eventVersion": st.text(max_size=5),
        "eventTime": st.text(max_size=30),
        "userIdentity": record_values,
        "requestParameters": record_values,
        "responseElements": record_values,
        "recipientAccountId": record_values,
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records | record_values, max_size=5), st.booleans(), st.binary(max_size=40))
def test_arbitrary_records_and_damage_never_crash(
    items: list[Any], compress: bool, tail: bytes
) -> None:
    data = json.dumps({"Records": items}).encode() + tail
    if compress:
        data = gzip.compress(data)[: len(data) // 2 + 10] if tail else gzip.compress(data)
    report = ReadReport()
    error: ParseError | None = None
    try:
        for _ in read_stream(io.BytesIO(data), name="fuzz.json.gz", report=report):
            pass
    except ParseError as exc:  # anything else fails the test
        error = exc
    for reported in [*report.errors, *([error] if error else [])]:
        assert (reported.location or "").startswith("fuzz.json.gz")
