"""Windows EVTX, parsed by the Rust ``evtx`` package (records as JSON, chunk by chunk).

``System`` becomes ``Channel``, ``EventID``, ``Computer``, ``Provider_Name`` ... and the
children of ``EventData`` / ``UserData`` keep their own names (``Image``, ``CommandLine``), as
SigmaHQ's Windows rules name them (see :mod:`shieldwall.detect.readers.windows`).

Speed: this is the hot path. The Rust parser renders each record as compact JSON (one thread by
default: the Python side costs more than the parse, and the machine is shared); ``orjson``
decodes it; the conversion touches each value once, with no ABC checks. Parser warnings (damaged
records the parser skips) are collected per batch of records, not per record.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import IO, Any, Final

import orjson
from evtx import PyEvtxParser, PyRecordsIterator

from shieldwall.core.errors import ParseError
from shieldwall.detect.events import Event, EventSource, LogFormat
from shieldwall.detect.readers._common import ReadReport, where
from shieldwall.detect.readers.windows import windows_event, xml_shape_fields

MAGIC: Final = b"ElfFile\x00"
BATCH: Final = 256  # records pulled from the parser per warnings scope
_PARSER_ERRORS: Final = (RuntimeError, OSError, ValueError)


def event_from_record(record: dict[str, Any], *, source: EventSource) -> Event:
    """One record as the ``evtx`` package gives it (``records_json``) -> an Event."""
    doc = orjson.loads(record["data"])
    fields = xml_shape_fields(doc) if doc.__class__ is dict else {}
    return windows_event(fields, fmt=LogFormat.EVTX, source=source)


def _batch(
    records: PyRecordsIterator, index: int
) -> tuple[list[dict[str, Any]], list[tuple[int, str]], str | None, bool]:
    """Up to BATCH records, the parser's warnings (position, text), the error that stopped the
    parser (if one did), and whether the file is done."""
    batch: list[dict[str, Any]] = []
    notes: list[tuple[int, str]] = []
    error: str | None = None
    done = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seen = 0
        for _ in range(BATCH):
            try:
                record = next(records)
            except StopIteration:
                done = True
                break
            except _PARSER_ERRORS as exc:
                error, done = str(exc), True
                break
            finally:
                if len(caught) > seen:
                    position = index + len(batch) + 1
                    notes.extend((position, str(w.message)) for w in caught[seen:])
                    seen = len(caught)
            if record.__class__ is dict:
                batch.append(record)
    return batch, notes, error, done


def read_evtx(
    data: str | IO[bytes],
    *,
    name: str,
    report: ReadReport,
    member: str | None = None,
    threads: int = 1,
) -> Iterator[Event]:
    """Events of one EVTX file (a path, or a seekable binary file). A damaged record is
    reported and skipped; a file that is not EVTX at all raises ParseError. ``threads``: the
    Rust parser's worker threads (0: as many as cores)."""
    label = where(name, member)
    try:
        parser = PyEvtxParser(data, number_of_threads=threads, skip_errors=True)
        records = parser.records_json()
    except _PARSER_ERRORS as exc:
        raise ParseError(
            f"not a readable EVTX file: {exc}",
            code="detect.read.evtx",
            location=label,
            hint="Check that the file is a Windows event log (.evtx) and not truncated.",
        ) from exc
    index = 0
    done = False
    while not done:
        batch, notes, error, done = _batch(records, index)
        for position, text in notes:
            report.skip(
                ParseError(
                    f"damaged EVTX record skipped: {text}",
                    code="detect.read.evtx_record",
                    location=f"{label}:{position}",
                )
            )
        for record in batch:
            index += 1
            number = record.get("event_record_id")
            source = EventSource(
                file=name, member=member, record=number if number.__class__ is int else index
            )
            try:
                event = event_from_record(record, source=source)
            except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError) as exc:
                report.skip(
                    ParseError(
                        f"EVTX record not understood: {exc}",
                        code="detect.read.evtx_record",
                        location=source.location,
                    )
                )
                continue
            report.events += 1
            yield event
        if error is not None:
            report.skip(
                ParseError(
                    f"EVTX read stopped: {error}",
                    code="detect.read.evtx",
                    location=f"{label}:{index + 1}",
                )
            )
