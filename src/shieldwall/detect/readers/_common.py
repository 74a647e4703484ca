"""What the readers share: the run's report of skipped input, bounded line reading, times."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from shieldwall.core.errors import ParseError

MAX_LINE_BYTES = 1 << 20  # longer lines are skipped (and reported), never buffered whole
CHUNK_BYTES = 1 << 18
MAX_ERRORS_KEPT = 50  # per run; every skip is counted, the first ones are kept with details


@dataclass(slots=True)
class ReadReport:
    """Per-run state: what was read and what was skipped, and why. Readers add to it."""

    files: int = 0
    events: int = 0
    skipped: int = 0
    failed_files: int = 0
    errors: list[ParseError] = field(default_factory=list)
    bytes_read: int = 0

    def skip(self, error: ParseError) -> None:
        self.skipped += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def fail_file(self, error: ParseError) -> None:
        self.failed_files += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def to_json(self) -> dict[str, object]:
        return {
            "files": self.files,
            "events": self.events,
            "skipped": self.skipped,
            "failed_files": self.failed_files,
            "errors": [
                {"code": e.code, "message": e.message, "location": e.location} for e in self.errors
            ],
        }


def where(name: str, member: str | None) -> str:
    return f"{name}!{member}" if member else name


def iter_lines(stream: IO[bytes], *, name: str, report: ReadReport) -> Iterator[tuple[int, bytes]]:
    """(line number, line without its end) for each line; over-long lines are reported and
    skipped without reading them into memory whole. Reads in chunks of ``CHUNK_BYTES`` (much
    faster than ``readline`` on a zip member or a gzip stream)."""
    limit = MAX_LINE_BYTES
    number = 0
    rest = b""
    skipping = False  # inside a line already longer than the limit
    while chunk := stream.read(CHUNK_BYTES):
        report.bytes_read += len(chunk)
        parts = chunk.split(b"\n")
        if skipping:
            if len(parts) == 1:
                continue  # still inside the long line
            number += 1
            _too_long(report, name, number, limit)
            skipping = False
            del parts[0]
        elif rest:
            parts[0] = rest + parts[0]
        rest = parts.pop()
        for line in parts:
            number += 1
            if len(line) > limit:
                _too_long(report, name, number, limit)
                continue
            yield number, line[:-1] if line.endswith(b"\r") else line
        if len(rest) > limit:
            skipping, rest = True, b""
    if skipping:
        _too_long(report, name, number + 1, limit)
    elif rest:
        yield number + 1, rest[:-1] if rest.endswith(b"\r") else rest


def _too_long(report: ReadReport, name: str, number: int, limit: int) -> None:
    report.skip(
        ParseError(
            f"line longer than {limit} bytes skipped",
            code="detect.read.line_too_long",
            location=f"{name}:{number}",
        )
    )


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 time (with 'Z', ' UTC', or up to 9 fractional digits) in UTC; a
    time without a zone is taken as UTC. None when it is not such a time."""
    try:
        stamp = datetime.fromisoformat(text)  # the common case, in C
    except ValueError:
        return _parse_iso_lenient(text)
    return _utc(stamp)


def _utc(stamp: datetime) -> datetime | None:
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC)
    if stamp.tzinfo is UTC:
        return stamp
    try:
        return stamp.astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 with a positive offset, year 9999 negative
        return None


def _parse_iso_lenient(text: str) -> datetime | None:
    value = text.strip()
    if not value:
        return None
    if value.endswith(" UTC"):
        value = value[:-4]
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    # Older Pythons take at most 6 fractional digits: cut nanoseconds (EVTX has 7).
    dot = value.find(".")
    if dot != -1:
        end = dot + 1
        while end < len(value) and value[end].isdigit():
            end += 1
        if end - dot - 1 > 6:
            value = value[: dot + 7] + value[end:]
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return _utc(stamp)
