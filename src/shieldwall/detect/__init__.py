"""Detect (pillar 1): logs -> normalized events -> Sigma alerts -> triaged incidents.

readers/ stream each log format into :class:`Event` values; sigma.py loads rules with pySigma
into an IR (sigma_ir.py), cached between runs; engine.py compiles the IR and matches events in
one pass (logsources.py says which events a rule applies to); run.py runs all of it; incidents,
triage and report turn alerts into what a person reads; repository.py and eventstore.py keep
runs, incidents and events; capabilities.py, results.py, http.py and cli.py are the door's side.
"""

from shieldwall.detect.alerts import Alert, Level, RuleInfo
from shieldwall.detect.capabilities import detect_capabilities
from shieldwall.detect.engine import CompileReport, Engine, Selection, compile_rules
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers import ReadReport, detect_format, read_paths, read_stream
from shieldwall.detect.run import RunOptions, RunResult, run_detection
from shieldwall.detect.sigma import RuleFailure, RuleLoad, load_rules

__all__ = [
    "Alert",
    "CompileReport",
    "Engine",
    "Event",
    "EventSource",
    "Level",
    "LogFormat",
    "LogSource",
    "ReadReport",
    "RuleFailure",
    "RuleInfo",
    "RuleLoad",
    "RunOptions",
    "RunResult",
    "Selection",
    "compile_rules",
    "detect_capabilities",
    "detect_format",
    "flatten",
    "load_rules",
    "read_paths",
    "read_stream",
    "run_detection",
]
