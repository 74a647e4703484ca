"""Readers: log files -> normalized :class:`~shieldwall.detect.events.Event` streams.

One module per format; the format of each file (and of each member of a zip) is detected from
its content, not its name. Everything streams: memory does not grow with the input. Bad lines
are reported in the run's :class:`ReadReport` with file:line and skipped; a file that cannot be
read at all is reported and the other files of the run still complete.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from shieldwall.core.errors import NotFoundError, ParseError
from shieldwall.detect.events import Event, LogFormat
from shieldwall.detect.readers._common import ReadReport, where
from shieldwall.detect.readers.evtx import MAGIC as EVTX_MAGIC
from shieldwall.detect.readers.evtx import read_evtx
from shieldwall.detect.readers.jsonl import read_json
from shieldwall.detect.readers.syslog import parse_line, read_syslog
from shieldwall.detect.readers.weblog import parse_access_line, read_access_log

__all__ = [
    "ReadReport",
    "detect_format",
    "expand_paths",
    "read_access_log",
    "read_evtx",
    "read_json",
    "read_paths",
    "read_stream",
    "read_syslog",
]

HEAD_BYTES = 1 << 16
ZIP_MAGIC = b"PK\x03\x04"
_SNIFF_LINES = 5


def detect_format(head: bytes) -> LogFormat | None:
    """The format of a file from its first bytes, or None when none fits."""
    if head.startswith(EVTX_MAGIC):
        return LogFormat.EVTX
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines()[:-1] or text.splitlines() if line.strip()]
    if not lines:
        return None
    if lines[0].lstrip().startswith(("{", "[")):
        return LogFormat.JSON
    sample = lines[:_SNIFF_LINES]
    web = sum(parse_access_line(line) is not None for line in sample)
    sys = sum(parse_line(line, year=2000) is not None for line in sample)
    best = max(web, sys)
    if best == 0 or best * 2 < len(sample):
        return None
    return LogFormat.WEB_ACCESS if web >= sys else LogFormat.SYSLOG


def read_stream(
    stream: IO[bytes],
    *,
    name: str,
    report: ReadReport,
    member: str | None = None,
    year: int | None = None,
) -> Iterator[Event]:
    """The events of one seekable binary stream, its format detected from its content."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    fmt = detect_format(head)
    match fmt:
        case LogFormat.EVTX:
            yield from read_evtx(stream, name=name, member=member, report=report)
        case LogFormat.JSON:
            yield from read_json(stream, name=name, member=member, report=report)
        case LogFormat.SYSLOG:
            yield from read_syslog(stream, name=name, member=member, report=report, year=year)
        case LogFormat.WEB_ACCESS:
            yield from read_access_log(stream, name=name, member=member, report=report)
        case None:
            raise ParseError(
                "unrecognized log format",
                code="detect.read.unknown_format",
                location=where(name, member),
                hint="Readable formats: EVTX, JSON / JSON lines, syslog (RFC 3164/5424, "
                "auth.log), web access logs (combined/common), and zips of these.",
            )


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the files under directories named (recursively, sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file())
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


def _read_file(path: Path, *, report: ReadReport) -> Iterator[Event]:
    name = str(path)
    with path.open("rb") as fh:
        magic = fh.read(4)
        fh.seek(0)
        if magic != ZIP_MAGIC:
            if magic == EVTX_MAGIC[:4]:
                # A path lets the Rust parser read the file itself, in parallel.
                yield from read_evtx(name, name=name, report=report)
                report.bytes_read += path.stat().st_size
            else:
                yield from read_stream(fh, name=name, report=report, year=_year(path))
            return
        try:
            archive = zipfile.ZipFile(fh)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ParseError(
                f"not a readable zip: {exc}", code="detect.read.zip", location=name
            ) from exc
        with archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                try:
                    with archive.open(info) as member:
                        if member.read(4) == ZIP_MAGIC:
                            raise ParseError(
                                "zips inside zips are not read",
                                code="detect.read.nested_zip",
                                location=where(name, info.filename),
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
                except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                    report.fail_file(
                        ParseError(
                            f"zip member not readable: {exc}",
                            code="detect.read.zip",
                            location=where(name, info.filename),
                        )
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
        report.files += 1
        try:
            yield from _read_file(path, report=report)
        except ParseError as exc:
            report.fail_file(exc)
        except OSError as exc:
            report.fail_file(
                ParseError(f"cannot read: {exc}", code="detect.read.io", location=str(path))
            )
        if on_file is not None:
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            on_file(path, size)
