"""What the readers share: the run's report of skipped input, bounded line reading, times."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO

from shieldwall.core.errors import ParseError

MAX_LINE_BYTES = 1 << 20  # longer lines are skipped (and reported), never buffered whole
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
    skipped without reading them into memory whole."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        report.bytes_read += len(line)
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # drain the rest of the over-long line
                rest = stream.readline(MAX_LINE_BYTES)
                report.bytes_read += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            report.skip(
                ParseError(
                    f"line longer than {MAX_LINE_BYTES} bytes skipped",
                    code="detect.read.line_too_long",
                    location=f"{name}:{number}",
                )
            )
            continue
        yield number, line.rstrip(b"\r\n")


def parse_iso(text: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 time (with 'Z', ' UTC', or up to 9 fractional digits) in UTC."""
    value = text.strip()
    if not value:
        return None
    if value.endswith(" UTC"):
        value = value[:-4]
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    # Python takes at most 6 fractional digits: cut nanoseconds (EVTX has 7).
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
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
