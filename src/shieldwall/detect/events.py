"""The normalized event: what every reader produces and the engine will match.

An event keeps where it came from (file, zip member, record number or line) so that every alert
can point back to its evidence.

Field names (``Event.fields``, always flat: nested input becomes dotted keys):

- Windows events have the names the EVTX reader gives, whatever they were read from (EVTX,
  Winlogbeat/ECS, Sysmon or evtx_dump JSON, flat OTRF/NXLog JSON, Sentinel exports): the
  ``System`` values as ``EventID``, ``Channel``, ``Computer``, ``Provider_Name``,
  ``Provider_Guid``, ``EventRecordID``, ``TimeCreated``, ``Security_UserID`` ... and the
  ``EventData`` / ``UserData`` values flat under their own names (``Image``, ``CommandLine``,
  ``ParentImage``, ``TargetObject``, ``SubjectUserName`` ...), as SigmaHQ's rules name them.
- Web server events (access logs, IIS W3C) use Sigma's ``webserver`` names: ``c-ip``,
  ``cs-method``, ``cs-uri-stem``, ``cs-uri-query``, ``sc-status``, ``cs-user-agent``,
  ``cs-referer``, ``cs-username``, ``cs-host`` ...
- AWS CloudTrail records keep their own (dotted) names: ``eventName``, ``eventSource``,
  ``userIdentity.arn``, ``sourceIPAddress``, ``errorCode`` ...; ``requestParameters``,
  ``responseElements`` and ``additionalEventData`` are also kept whole as compact JSON text.
- Linux audit records keep auditd's names (``type``, ``a0``, ``exe``, ``comm``, ``key``,
  ``SYSCALL``); syslog lines have ``program``, ``message`` and, for login programs, ``user``,
  ``source_ip`` ..., plus the names sudo and pam write (``USER``, ``COMMAND``, ``pam_rhost``).
- ``_raw`` (:data:`RAW_FIELD`): the original text line of line-based formats (syslog, audit,
  access and error logs, IIS), for Sigma keyword (full-text) rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

#: The field holding the original text line of line-based formats (for keyword rules).
RAW_FIELD: Final = "_raw"


class LogFormat(StrEnum):
    """The input formats the readers understand (detected by content)."""

    EVTX = "evtx"
    JSON = "json"
    SYSLOG = "syslog"
    WEB_ACCESS = "web_access"
    WEB_ERROR = "web_error"  # Apache / nginx error logs
    W3C = "w3c"  # IIS / W3C extended log files (``#Fields:`` header)
    CLOUDTRAIL = "cloudtrail"  # AWS CloudTrail records (in JSON documents or JSON lines)
    AUDITD = "auditd"  # Linux audit.log records


@dataclass(frozen=True, slots=True, kw_only=True)
class LogSource:
    """A Sigma logsource: which rules may apply to an event."""

    product: str | None = None
    service: str | None = None
    category: str | None = None
    #: Other Sigma services the event also belongs to: an sshd line of auth.log is ``sshd``,
    #: and also ``auth`` and ``syslog``.
    extra_services: tuple[str, ...] = ()

    def matches(
        self,
        *,
        product: str | None = None,
        service: str | None = None,
        category: str | None = None,
    ) -> bool:
        """Whether a rule's logsource covers this event: each part the rule names must agree
        (case-insensitively); a service may be the event's own or one of its extra ones."""
        if product is not None and (self.product or "") != product.lower():
            return False
        if category is not None and (self.category or "") != category.lower():
            return False
        if service is not None:
            wanted = service.lower()
            return self.service == wanted or wanted in self.extra_services
        return True

    def to_json(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (
                ("product", self.product),
                ("service", self.service),
                ("category", self.category),
            )
            if v
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class EventSource:
    """Where an event was read: a file, a member of a zip, and a record number or line."""

    file: str
    record: int
    member: str | None = None

    @property
    def location(self) -> str:
        where = f"{self.file}!{self.member}" if self.member else self.file
        return f"{where}:{self.record}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "record": self.record}
        if self.member:
            out["member"] = self.member
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One normalized log event. ``fields`` is flat: nested input becomes dotted keys."""

    timestamp: datetime | None
    host: str | None
    format: LogFormat
    logsource: LogSource
    source: EventSource
    channel: str | None = None
    event_id: int | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "host": self.host,
            "format": str(self.format),
            "logsource": self.logsource.to_json(),
            "channel": self.channel,
            "event_id": self.event_id,
            "source": self.source.to_json(),
            "fields": dict(self.fields),
        }


def flatten(value: Mapping[str, Any], *, prefix: str = "", max_depth: int = 32) -> dict[str, Any]:
    """Nested mappings to dotted keys (``{"a": {"b": 1}}`` -> ``{"a.b": 1}``). Lists are kept
    as lists, with their mappings flattened; nesting deeper than ``max_depth`` is kept as is."""
    out: dict[str, Any] = {}
    _flatten_into(out, value, prefix, max_depth)
    return out


def _flatten_into(out: dict[str, Any], value: Mapping[str, Any], prefix: str, depth: int) -> None:
    for key, item in value.items():
        name = f"{prefix}{key}"
        kind = item.__class__
        if kind is str or kind is int or item is None:  # the common case, without ABC checks
            out[name] = item
        elif (kind is dict or isinstance(item, Mapping)) and item and depth > 0:
            _flatten_into(out, item, f"{name}.", depth - 1)
        elif isinstance(item, list) and depth > 0:
            out[name] = [
                flatten(v, max_depth=depth - 1) if isinstance(v, Mapping) else v for v in item
            ]
        else:
            out[name] = item
