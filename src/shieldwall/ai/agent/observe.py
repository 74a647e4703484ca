"""What a tool result says, in a form that fits: events and their sources found in any result
shape, and a bounded view of a result for a model's context.

Capabilities return JSON of their own shapes, and the ones the agent uses are still being
written, so nothing here assumes a schema: an *event* is any object with a ``fields`` object and
a ``source`` object; a *source* is any object with a string ``file`` and an integer ``record``
(the shape ``detect`` gives every event and alert, so a finding can cite the line it rests on).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any, Final

from shieldwall.ai.agent.playbook import event_id, run_hunts

MAX_WALK: Final = 500_000
LARGE_EVENT_LIST: Final = 20


def _walk(value: Any, limit: int = MAX_WALK) -> Iterator[Mapping[str, Any]]:
    stack: list[Any] = [value]
    seen = 0
    while stack and seen < limit:
        item = stack.pop()
        seen += 1
        if isinstance(item, Mapping):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, Mapping | list)]))
        elif isinstance(item, list | tuple):
            stack.extend(reversed([v for v in item if isinstance(v, Mapping | list)]))


def is_source(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and isinstance(value.get("file"), str)
        and isinstance(value.get("record"), int)
        and not isinstance(value.get("record"), bool)
    )


def source_json(value: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"file": value["file"], "record": value["record"]}
    if isinstance(value.get("member"), str):
        out["member"] = value["member"]
    return out


def events_in(value: Any) -> list[Mapping[str, Any]]:
    """Every event-shaped object in ``value``, in document order."""
    return [
        item
        for item in _walk(value)
        if isinstance(item.get("fields"), Mapping) and is_source(item.get("source"))
    ]


def sources_in(value: Any, *, limit: int = 1000) -> list[dict[str, Any]]:
    """The distinct sources (file, member, record) in ``value``, in document order."""
    out: dict[tuple[str, str, int], dict[str, Any]] = {}
    for item in _walk(value):
        src = item.get("source")
        if is_source(src) and isinstance(src, Mapping):
            key = (src["file"], str(src.get("member") or ""), src["record"])
            out.setdefault(key, source_json(src))
            if len(out) >= limit:
                break
    return list(out.values())


def _trim_event(event: Mapping[str, Any], max_field_chars: int = 300) -> dict[str, Any]:
    fields = event.get("fields")
    trimmed: dict[str, Any] = {}
    if isinstance(fields, Mapping):
        for key, value in list(fields.items())[:40]:
            text = value if isinstance(value, str) else json.dumps(value, default=str)
            trimmed[str(key)] = text if len(text) <= max_field_chars else text[:max_field_chars]
    return {
        "timestamp": event.get("timestamp"),
        "host": event.get("host"),
        "channel": event.get("channel"),
        "event_id": event_id(event),
        "source": event.get("source"),
        "fields": trimmed,
    }


def events_summary(events: list[Mapping[str, Any]], *, sample: int = 8) -> dict[str, Any]:
    """Counts, the hunts that matched (with their sources) and a few events."""
    hosts = Counter(str(e.get("host")) for e in events if e.get("host"))
    channels = Counter(str(e.get("channel")) for e in events if e.get("channel"))
    ids = Counter(str(event_id(e)) for e in events if event_id(e) is not None)
    times = sorted(str(e["timestamp"]) for e in events if isinstance(e.get("timestamp"), str))
    return {
        "events_total": len(events),
        "first": times[0] if times else None,
        "last": times[-1] if times else None,
        "hosts": dict(hosts.most_common(10)),
        "channels": dict(channels.most_common(10)),
        "event_ids": dict(ids.most_common(15)),
        "hunts": [hit.to_json() for hit in run_hunts(events)],
        "sample": [_trim_event(e) for e in events[:sample]],
    }


def view(result: Any, *, max_chars: int) -> Any:
    """What of ``result`` goes to a model: all of it when it is small; for a long list of
    events, a summary (counts, hunt matches with sources, a sample); otherwise the start of its
    JSON, marked as cut."""
    events = events_in(result)
    if len(events) > LARGE_EVENT_LIST:
        summary = events_summary(events)
        if isinstance(result, Mapping):
            others = {
                k: v
                for k, v in result.items()
                if k != "events" and len(json.dumps(v, default=str)) < 2000
            }
            summary["other"] = others
        text = json.dumps(summary, default=str)
        if len(text) <= max_chars:
            return summary
        result = summary
    text = json.dumps(result, default=str, ensure_ascii=False)
    if len(text) <= max_chars:
        return result
    return {
        "cut": f"the result is {len(text):,} characters; the first {max_chars:,} follow",
        "start": text[:max_chars],
    }
