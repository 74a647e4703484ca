"""Detect (pillar 1): read logs into normalized events and load Sigma rules (slice 1)."""

from shieldwall.detect.capabilities import detect_capabilities
from shieldwall.detect.events import Event, EventSource, LogFormat, LogSource, flatten
from shieldwall.detect.readers import ReadReport, detect_format, read_paths, read_stream
from shieldwall.detect.sigma import RuleFailure, RuleLoad, load_rules

__all__ = [
    "Event",
    "EventSource",
    "LogFormat",
    "LogSource",
    "ReadReport",
    "RuleFailure",
    "RuleLoad",
    "detect_capabilities",
    "detect_format",
    "flatten",
    "load_rules",
    "read_paths",
    "read_stream",
]
