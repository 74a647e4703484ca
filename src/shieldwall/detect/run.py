"""One detection run: load and compile rules, read every path once, match, correlate.

Memory stays flat in the input size: events stream from the readers through the engine and are
dropped; only alerts (and the matches correlations need) are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from shieldwall.core.errors import NotFoundError
from shieldwall.detect.alerts import Alert, Level
from shieldwall.detect.engine import CompileReport, Selection, compile_rules
from shieldwall.detect.events import Event
from shieldwall.detect.readers import ReadReport, read_paths
from shieldwall.detect.sigma import RuleLoad, load_rules

#: Called after each file: (path, its size in bytes, the run's read report so far).
FileHook = Callable[[Path, int, ReadReport], None]
#: Called with each event after it was matched (e.g. the event store's writer).
EventSink = Callable[[Event], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    rules: Sequence[Path]
    selection: Selection = field(default_factory=Selection)
    #: Where parsed rules are kept between runs (None: parse every time).
    cache: Path | None = None


@dataclass(slots=True, kw_only=True)
class RunResult:
    started: datetime
    finished: datetime
    paths: list[str]
    load: RuleLoad
    compiled: int
    correlations: int
    compile_report: CompileReport
    read: ReadReport
    events: int
    alerts: list[Alert]

    def level_counts(self) -> dict[str, int]:
        counts = Counter(str(a.level) for a in self.alerts)
        return {str(level): counts.get(str(level), 0) for level in reversed(Level)}

    def summary(self) -> dict[str, Any]:
        """Everything but the alerts, as JSON."""
        return {
            "started": self.started.isoformat(),
            "finished": self.finished.isoformat(),
            "paths": self.paths,
            "rules": {
                "files": self.load.files,
                "loaded": self.load.loaded,
                "failed": len(self.load.failures) + len(self.compile_report.failures),
                "compiled": self.compiled,
                "correlations": self.correlations,
                "failures": [f.to_json() for f in self.load.failures]
                + [f.to_json() for f in self.compile_report.failures],
                **{k: v for k, v in self.compile_report.to_json().items() if k != "failures"},
            },
            "read": self.read.to_json(),
            "events": self.events,
            "alerts": len(self.alerts),
            "levels": self.level_counts(),
        }


def run_detection(
    paths: Sequence[Path],
    options: RunOptions,
    *,
    now: Callable[[], datetime],
    on_file: FileHook | None = None,
    sink: EventSink | None = None,
) -> RunResult:
    """Detect over ``paths`` with ``options.rules``; a missing rule path raises NotFoundError,
    an unreadable log file is reported in the result and the other files still run."""
    if not options.rules:
        raise NotFoundError(
            "no Sigma rules given",
            code="detect.rules.none",
            hint="Pass --rules DIR_OR_ZIP (a folder of Sigma rules, e.g. SigmaHQ's rules/, or a "
            "release zip; repeat it to combine sets), or set SHIELDWALL_DETECT_RULES.",
        )
    started = now()
    load = load_rules(*options.rules, cache=options.cache)
    engine, compile_report = compile_rules(load, options.selection)
    report = ReadReport()
    alerts: list[Alert] = []
    stream = read_paths(
        list(paths),
        report=report,
        on_file=(lambda path, size: on_file(path, size, report)) if on_file else None,
    )
    match = engine.match
    try:
        for event in stream:
            found = match(event)
            if found:
                alerts.extend(found)
            if sink is not None:
                sink(event)
    finally:
        stream.close()
    alerts.extend(engine.finish())
    alerts.sort(key=_alert_order)
    return RunResult(
        started=started,
        finished=now(),
        paths=[str(p) for p in paths],
        load=load,
        compiled=len(engine.rules),
        correlations=engine.correlation_count,
        compile_report=compile_report,
        read=report,
        events=engine.events,
        alerts=alerts,
    )


def _alert_order(alert: Alert) -> tuple[Any, ...]:
    stamp = alert.timestamp
    return (
        stamp is None,
        stamp.timestamp() if stamp else 0.0,
        alert.source.file,
        alert.source.record,
    )
