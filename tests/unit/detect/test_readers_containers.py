"""gzip and zip are read through; damaged ones fail alone, naming the file and the place."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from hashlib import sha256
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import LogFormat
from shieldwall.detect.readers import ReadReport, read_path, read_paths, read_stream

SYSLOG = (
    b"Mar  3 10:15:01 web1 sshd[1234]: Accepted publickey for alice from 203.0.113.7 port 5 ssh2\n"
    b"Mar  3 10:16:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
    b"COMMAND=/bin/id\n"
)
NDJSON = b"".join(
    json.dumps({"EventID": 4688, "Channel": "Security", "Hostname": f"h{i}"}).encode() + b"\n"
    for i in range(50)
)
ACCESS = b'10.0.0.5 - - [11/Jul/2018:08:41:28 +0300] "GET /a?b=1 HTTP/1.1" 200 11 "-" "curl/8"\n'


def test_gzip_is_read_through_and_keeps_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "auth.log.2.gz"
    path.write_bytes(gzip.compress(SYSLOG))
    report = ReadReport()
    events = list(read_path(path, report=report))
    assert [e.format for e in events] == [LogFormat.SYSLOG, LogFormat.SYSLOG]
    assert events[0].source.file == str(path)
    assert events[1].source.record == 2
    assert events[1].fields["COMMAND"] == "/bin/id"
    assert report.failed_files == 0


def test_zip_of_gzips_and_plain_files(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("var/log/auth.log.1.gz", gzip.compress(SYSLOG))
        zf.writestr("win/security.json", NDJSON)
        zf.writestr("web/access.log", ACCESS)
        zf.writestr("empty/", b"")
    report = ReadReport()
    events = list(read_paths([archive], report=report))
    members = [e.source.member for e in events]
    assert members.count("var/log/auth.log.1.gz") == 2
    assert members.count("win/security.json") == 50
    assert members.count("web/access.log") == 1
    assert report.failed_files == 0
    assert report.files == 1


def test_damaged_gzip_fails_alone_after_the_events_before_the_damage(tmp_path: Path) -> None:
    lines = b"".join(  # hashes: the data does not compress away
        json.dumps(
            {
                "EventID": 1,
                "Channel": "Security",
                "Hash": sha256(bytes([i % 256, i // 256])).hexdigest(),
            }
        ).encode()
        + b"\n"
        for i in range(5000)
    )
    whole = gzip.compress(lines)
    damaged = tmp_path / "a_damaged.json.gz"
    damaged.write_bytes(whole[: len(whole) // 2])  # truncated mid-stream
    good = tmp_path / "b_good.log"
    good.write_bytes(SYSLOG)
    report = ReadReport()
    events = list(read_paths([tmp_path], report=report))
    from_damaged = [e for e in events if e.source.file == str(damaged)]
    assert 0 < len(from_damaged) < 5000
    assert [e.source.file for e in events].count(str(good)) == 2  # the next file completes
    assert report.failed_files == 1
    (error,) = [e for e in report.errors if e.code == "detect.read.gzip"]
    assert error.location == str(damaged)
    assert error.hint


def test_gzip_inside_gzip_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "twice.gz"
    path.write_bytes(gzip.compress(gzip.compress(SYSLOG)))
    report = ReadReport()
    assert list(read_path(path, report=report)) == []
    assert report.errors[0].code == "detect.read.nested_gzip"


def test_damaged_zip_member_fails_alone(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.json", NDJSON * 20)
        zf.writestr("b.log", SYSLOG)
    data = bytearray(archive.read_bytes())
    start = data.index(b"a.json") + len(b"a.json") + 40  # inside a.json's compressed bytes
    data[start : start + 30] = bytes(30)
    archive.write_bytes(bytes(data))
    report = ReadReport()
    events = list(read_paths([archive], report=report))
    assert [e.source.member for e in events].count("b.log") == 2
    assert report.failed_files == 1
    assert report.errors[0].location == f"{archive}!a.json"


def test_an_in_memory_gzip_stream() -> None:
    report = ReadReport()
    events = list(read_stream(io.BytesIO(gzip.compress(ACCESS)), name="x.gz", report=report))
    assert events[0].fields["cs-uri-query"] == "b=1"


def _wrap(kind: str, payload: bytes, path: Path) -> None:
    if kind == "gzip":
        path.write_bytes(gzip.compress(payload))
    elif kind == "zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("inner.log", payload)
    elif kind == "cut-gzip":
        whole = gzip.compress(payload)
        path.write_bytes(whole[: max(2, len(whole) // 2)])
    elif kind == "cut-zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("inner.log", payload)
        path.write_bytes(buffer.getvalue()[: max(4, len(buffer.getvalue()) // 2)])
    else:
        path.write_bytes(payload)


payloads = st.one_of(
    st.binary(max_size=600),
    st.lists(
        st.sampled_from([*SYSLOG.splitlines(), *NDJSON.splitlines()[:2], ACCESS.strip()]),
        max_size=8,
    ).map(b"\n".join),
    st.binary(max_size=200).map(lambda b: b"ElfFile\x00" + b),
    st.binary(max_size=200).map(lambda b: b"\x1f\x8b" + b),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
)
kinds = st.sampled_from(["plain", "gzip", "zip", "cut-gzip", "cut-zip"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(kinds, payloads)
def test_arbitrary_bytes_in_any_container_fail_alone(
    tmp_path: Path, kind: str, payload: bytes
) -> None:
    folder = tmp_path / kind
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    fuzz = folder / "a_fuzz"
    _wrap(kind, payload, fuzz)
    (folder / "b_good.log").write_bytes(SYSLOG)
    report = ReadReport()
    events = list(read_paths([folder], report=report))  # never raises
    assert sum(e.source.file == str(folder / "b_good.log") for e in events) == 2
    for error in report.errors:
        assert isinstance(error, ParseError)
        assert (error.location or "").startswith(str(fuzz))
