"""Readers: log files -> normalized :class:`~shieldwall.detect.events.Event` streams.

One module per format; the format of each file (and of each member of a zip, and of what a
gzip holds) is detected from its content, not its name. Everything streams: memory does not
grow with the input. Bad lines are reported in the run's :class:`ReadReport` with file:line and
skipped; a file that cannot be read at all is reported (a :class:`ParseError` naming the file
and the position) and the other files of the run still complete.

Formats: Windows EVTX; JSON lines and JSON documents (Windows events from Winlogbeat/ECS,
Sysmon/evtx_dump JSON, flat NXLog/OTRF JSON; AWS CloudTrail; anything else, flattened); syslog
RFC 3164/5424 and auth.log (Sysmon for Linux's XML events in it also as Sigma category events);
Linux audit logs (each successful exec also as a process_creation event); Apache/nginx access
logs (combined, common) and error logs; IIS / W3C extended logs. Containers: zip (one level)
and gzip, transparently. macOS's metadata files (``__MACOSX/``, ``._name``, ``.DS_Store``)
are passed over.
"""

from __future__ import annotations

import gzip
import io
import lzma
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Final, cast

from shieldwall.core.errors import NotFoundError, ParseError
from shieldwall.detect.events import Event, LogFormat
from shieldwall.detect.readers._common import ReadReport, where
from shieldwall.detect.readers.auditd import is_audit_line, read_auditd
from shieldwall.detect.readers.evtx import MAGIC as EVTX_MAGIC
from shieldwall.detect.readers.evtx import read_evtx
from shieldwall.detect.readers.jsonl import read_json
from shieldwall.detect.readers.syslog import parse_line, read_syslog
from shieldwall.detect.readers.w3c import DIRECTIVES as W3C_DIRECTIVES
from shieldwall.detect.readers.w3c import read_w3c
from shieldwall.detect.readers.weblog import (
    parse_access_line,
    parse_error_line,
    read_access_log,
    read_error_log,
)

__all__ = [
    "ReadReport",
    "detect_format",
    "expand_paths",
    "read_access_log",
    "read_auditd",
    "read_error_log",
    "read_evtx",
    "read_json",
    "read_path",
    "read_paths",
    "read_stream",
    "read_syslog",
    "read_w3c",
]

HEAD_BYTES: Final = 1 << 16
ZIP_MAGIC: Final = b"PK\x03\x04"
GZIP_MAGIC: Final = b"\x1f\x8b"
#: An EVTX file inside a zip or gzip is copied to a temporary file (the Rust parser seeks);
#: larger ones are refused rather than filling the disk.
MAX_SPOOL_BYTES: Final = 8 << 30
_SNIFF_LINES: Final = 5
#: What a damaged compressed stream raises while it is read.
_DECOMPRESS_ERRORS: Final = (OSError, EOFError, zlib.error, lzma.LZMAError)


def detect_format(head: bytes) -> LogFormat | None:
    """The format of a file from its first bytes, or None when none fits."""
    if head.startswith(EVTX_MAGIC):
        return LogFormat.EVTX
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines()[:-1] or text.splitlines() if line.strip()]
    if not lines:
        return None
    first = lines[0].lstrip()
    if first.startswith("{") or (first.startswith("[") and parse_error_line(first) is None):
        return LogFormat.JSON
    if any(line.encode().startswith(W3C_DIRECTIVES) for line in lines[:8]):
        return LogFormat.W3C
    sample = lines[:_SNIFF_LINES]
    scores = {
        LogFormat.WEB_ACCESS: sum(parse_access_line(line) is not None for line in sample),
        LogFormat.SYSLOG: sum(parse_line(line, year=2000) is not None for line in sample),
        LogFormat.WEB_ERROR: sum(parse_error_line(line) is not None for line in sample),
        LogFormat.AUDITD: sum(is_audit_line(line) for line in sample),
    }
    best = max(scores, key=lambda fmt: scores[fmt])  # ties: the order above
    if scores[best] == 0 or scores[best] * 2 < len(sample):
        return None
    return best


def read_stream(
    stream: IO[bytes],
    *,
    name: str,
    report: ReadReport,
    member: str | None = None,
    year: int | None = None,
) -> Iterator[Event]:
    """The events of one seekable binary stream, its format detected from its content; a gzip
    stream is read through (one level)."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if head.startswith(GZIP_MAGIC):
        yield from _read_gzip(stream, name=name, report=report, member=member, year=year)
        return
    yield from _read_detected(stream, head, name=name, report=report, member=member, year=year)


def _read_gzip(
    stream: IO[bytes], *, name: str, report: ReadReport, member: str | None, year: int | None
) -> Iterator[Event]:
    label = where(name, member)
    try:
        with cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb")) as inner:
            head = inner.read(HEAD_BYTES)
            inner.seek(0)
            if head.startswith(GZIP_MAGIC):
                raise ParseError(
                    "gzip inside gzip is not read", code="detect.read.nested_gzip", location=label
                )
            yield from _read_detected(
                inner, head, name=name, report=report, member=member, year=year
            )
    except _DECOMPRESS_ERRORS as exc:
        raise ParseError(
            f"damaged gzip data: {exc}",
            code="detect.read.gzip",
            location=label,
            hint="The events before the damage were read; re-copy or re-compress the file.",
        ) from exc


def _read_detected(
    stream: IO[bytes],
    head: bytes,
    *,
    name: str,
    report: ReadReport,
    member: str | None,
    year: int | None,
) -> Iterator[Event]:
    fmt = detect_format(head)
    match fmt:
        case LogFormat.EVTX:
            if isinstance(stream, io.BytesIO | io.BufferedReader | io.FileIO):
                yield from read_evtx(stream, name=name, member=member, report=report)
            else:
                yield from _read_spooled_evtx(stream, name=name, member=member, report=report)
        case LogFormat.JSON:
            yield from read_json(stream, name=name, member=member, report=report)
        case LogFormat.SYSLOG:
            yield from read_syslog(stream, name=name, member=member, report=report, year=year)
        case LogFormat.WEB_ACCESS:
            yield from read_access_log(stream, name=name, member=member, report=report)
        case LogFormat.WEB_ERROR:
            yield from read_error_log(stream, name=name, member=member, report=report)
        case LogFormat.W3C:
            yield from read_w3c(stream, name=name, member=member, report=report)
        case LogFormat.AUDITD:
            yield from read_auditd(stream, name=name, member=member, report=report)
        case LogFormat.CLOUDTRAIL | None:
            raise ParseError(
                "unrecognized log format",
                code="detect.read.unknown_format",
                location=where(name, member),
                hint="Readable formats: EVTX, JSON / JSON lines (Windows, CloudTrail, any), "
                "syslog (RFC 3164/5424, auth.log), Linux audit logs, web access and error logs "
                "(Apache, nginx), "
                "IIS / W3C logs, and zips or gzips of these.",
            )


def _read_spooled_evtx(
    stream: IO[bytes], *, name: str, member: str | None, report: ReadReport
) -> Iterator[Event]:
    """An EVTX from a compressed stream, copied to a temporary file first (the Rust parser
    seeks, which a decompressing stream does slowly or not at all)."""
    fd, path = tempfile.mkstemp(prefix="shieldwall-", suffix=".evtx")
    try:
        with os.fdopen(fd, "wb") as out:
            copied = 0
            while chunk := stream.read(1 << 20):
                copied += len(chunk)
                if copied > MAX_SPOOL_BYTES:
                    raise ParseError(
                        f"compressed EVTX larger than {MAX_SPOOL_BYTES >> 30} GiB",
                        code="detect.read.evtx_too_large",
                        location=where(name, member),
                        hint="Decompress it and read the .evtx file itself.",
                    )
                out.write(chunk)
        report.bytes_read += copied
        yield from read_evtx(path, name=name, member=member, report=report)
    finally:
        Path(path).unlink(missing_ok=True)


def is_metadata(name: str) -> bool:
    """macOS's Finder metadata, in folders and zips: not logs."""
    parts = name.replace("\\", "/").split("/")
    return "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] == ".DS_Store"


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files under directories named (recursively, sorted; macOS
    metadata files left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and not is_metadata(p.name)
            )
        elif path.is_file():
            files.append(path)
        else:
            raise NotFoundError(f"no such file or directory: {path}", code="detect.read.not_found")
    return files


def _year(path: Path) -> int:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).year
    except (OSError, ValueError, OverflowError):
        return datetime.now(tz=UTC).year


_ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    ValueError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    *_DECOMPRESS_ERRORS,
)


def _read_file(path: Path, *, report: ReadReport) -> Iterator[Event]:
    name = str(path)
    with path.open("rb") as fh:
        magic = fh.read(8)
        fh.seek(0)
        if magic.startswith(EVTX_MAGIC):
            # A path lets the Rust parser read the file itself.
            yield from read_evtx(name, name=name, report=report)
            report.bytes_read += path.stat().st_size
        elif magic.startswith(ZIP_MAGIC):
            yield from _read_zip(fh, name=name, report=report)
        else:
            yield from read_stream(fh, name=name, report=report, year=_year(path))


def _read_zip(fh: IO[bytes], *, name: str, report: ReadReport) -> Iterator[Event]:
    try:
        archive = zipfile.ZipFile(fh)
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not is_metadata(info.filename)
        ]
    except _ZIP_ERRORS as exc:
        raise ParseError(
            f"not a readable zip: {exc}",
            code="detect.read.zip",
            location=name,
            hint="Check that the zip is complete (not truncated) and not encrypted.",
        ) from exc
    with archive:
        for info in members:
            label = where(name, info.filename)
            try:
                with archive.open(info) as member:
                    if member.read(4) == ZIP_MAGIC:
                        raise ParseError(
                            "zips inside zips are not read",
                            code="detect.read.nested_zip",
                            location=label,
                            hint="Unpack the inner zip and name its folder.",
                        )
                    member.seek(0)
                    yield from read_stream(
                        member,
                        name=name,
                        member=info.filename,
                        report=report,
                        year=info.date_time[0],
                    )
            except ParseError as exc:
                report.fail_file(exc)
            except _ZIP_ERRORS as exc:
                report.fail_file(
                    ParseError(
                        f"zip member not readable: {exc}", code="detect.read.zip", location=label
                    )
                )


def read_path(path: Path, *, report: ReadReport) -> Iterator[Event]:
    """The events of one file (a zip: of each member). A file that cannot be read is added to
    ``report`` as failed, with a ParseError naming it and the position; nothing is raised."""
    report.files += 1
    try:
        yield from _read_file(path, report=report)
    except ParseError as exc:
        report.fail_file(exc)
    except _DECOMPRESS_ERRORS as exc:
        report.fail_file(
            ParseError(f"cannot read: {exc}", code="detect.read.io", location=str(path))
        )


def read_paths(
    paths: Iterable[Path],
    *,
    report: ReadReport,
    on_file: Callable[[Path, int], None] | None = None,
) -> Generator[Event, None, None]:
    """Every event of every file under ``paths``. A missing path raises NotFoundError before
    anything is read; a file that cannot be read is reported and the next one read.
    ``on_file(path, size)`` is called after each file (for a progress bar)."""
    for path in expand_paths(paths):
        yield from read_path(path, report=report)
        if on_file is not None:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            on_file(path, size)
