"""The playbook's hunts, what a model is shown of a large result, and the report's text."""

from __future__ import annotations

import json
from typing import Any

from shieldwall.ai.agent.observe import events_in, sources_in, view
from shieldwall.ai.agent.playbook import recommended_actions, run_hunts
from shieldwall.ai.agent.report import render_text


def event(record: int, event_id: int, channel: str = "Security", **fields: Any) -> dict[str, Any]:
    return {
        "timestamp": f"2026-11-20T09:00:{record % 60:02d}+00:00",
        "host": "WS1",
        "channel": channel,
        "event_id": event_id,
        "source": {"file": "/logs/x.evtx", "record": record},
        "fields": fields,
    }


LSASS = "C:\\Windows\\System32\\lsass.exe"


def test_hunts_find_what_they_name_and_nothing_else() -> None:
    events = [
        event(
            1,
            10,
            TargetImage=LSASS,
            SourceImage="C:\\Windows\\System32\\svchost.exe",
            CallTrace="C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4",
        ),
        event(
            2,
            10,
            TargetImage=LSASS,
            SourceImage="C:\\Users\\bob\\AppData\\x.exe",
            CallTrace="ntdll.dll+1|UNKNOWN(0000)",
        ),
        event(
            3,
            1,
            Image="C:\\Windows\\System32\\rundll32.exe",
            CommandLine="rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump 624 x.dmp full",
        ),
        event(
            4,
            1,
            Image="C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
            CommandLine="powershell.exe -nop -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA",
        ),
        event(5, 1102, Channel="Security"),
        event(6, 104, channel="Application"),  # 104 outside the System log is something else
        event(7, 7045, channel="System", ServiceName="evil"),
        event(8, 4698),
        event(9, 4720),
        event(10, 1, Image="C:\\Users\\bob\\Downloads\\invoice.exe", CommandLine="invoice.exe"),
        *[event(100 + n, 4625, IpAddress="203.0.113.50") for n in range(12)],
        *[event(200 + n, 4625, IpAddress="203.0.113.51") for n in range(3)],
    ]
    hits = {h.hunt.id: h for h in run_hunts(events)}

    assert set(hits) == {
        "lsass-access-unbacked",
        "lsass-access-user-path",
        "credential-tool-command",
        "encoded-powershell",
        "log-cleared",
        "service-installed",
        "scheduled-task-created",
        "account-created",
        "user-path-execution",
        "failed-logon-burst",
    }
    assert [e["source"]["record"] for e in hits["lsass-access-unbacked"].events] == [2]
    assert [e["source"]["record"] for e in hits["log-cleared"].events] == [5]
    assert hits["failed-logon-burst"].count == 12
    assert "203.0.113.50" in hits["failed-logon-burst"].detail


def test_ordinary_events_raise_no_hunt() -> None:
    events = [
        event(1, 10, TargetImage=LSASS, SourceImage="C:\\Windows\\System32\\svchost.exe"),
        event(2, 1, Image="C:\\Windows\\System32\\notepad.exe", CommandLine="notepad a.txt"),
        event(3, 4624, IpAddress="10.0.0.5"),
    ]
    assert run_hunts(events) == []


def test_a_large_event_list_is_summarised_for_the_model() -> None:
    events = [event(n, 4624) for n in range(1, 500)]
    events.append(event(500, 1102))
    result = {"events": events, "truncated": False, "report": {"files": 1}}

    shown = view(result, max_chars=8000)

    assert shown["events_total"] == 500
    assert shown["event_ids"] == {"4624": 499, "1102": 1}
    assert shown["hunts"][0]["hunt"] == "log-cleared"
    assert shown["hunts"][0]["sources"] == [{"file": "/logs/x.evtx", "record": 500}]
    assert shown["other"] == {"truncated": False, "report": {"files": 1}}
    assert len(json.dumps(shown)) <= 8000


def test_a_large_result_is_cut_and_says_so() -> None:
    shown = view({"blob": "x" * 10_000}, max_chars=100)
    assert shown["start"] == json.dumps({"blob": "x" * 10_000})[:100]
    assert f"{len(json.dumps({'blob': 'x' * 10_000})):,} characters" in shown["cut"]
    assert view({"small": 1}, max_chars=100) == {"small": 1}


def test_events_and_sources_are_found_in_any_shape() -> None:
    nested = {
        "incident": {
            "alerts": [event(3, 1), event(3, 1), {"source": {"file": "f", "record": True}}]
        }
    }
    assert len(events_in(nested)) == 2
    assert sources_in(nested) == [{"file": "/logs/x.evtx", "record": 3}]


def test_recommendations_follow_techniques_then_tactics_without_repeats() -> None:
    actions = recommended_actions(["T1003.001", "T1003.002"], ["credential-access"])
    texts = [a for a, _ in actions]
    assert "LSASS memory" in texts[0]
    assert len(texts) == len(set(texts))
    assert texts[-1].startswith("Preserve the evidence")


def test_the_report_reads_in_a_terminal() -> None:
    report = {
        "investigation": "inv_1",
        "subject": {"question": "what happened?"},
        "provider": "local",
        "model": "playbook/1",
        "concluded_by": "planner",
        "confidence": "high",
        "summary": "Something happened.",
        "findings": [
            {
                "id": "F1",
                "title": "LSASS read",
                "severity": "high",
                "confidence": "high",
                "detail": "by dump.exe",
                "techniques": ["T1003.001"],
                "evidence": [
                    {
                        "call": "c1",
                        "capability": "detect.events",
                        "decision_index": 4,
                        "sources": [{"file": "/l/x.zip", "member": "x.json", "record": 9}],
                    }
                ],
            }
        ],
        "not_checked": [{"what": "intel", "why": "no collection"}],
        "recommended_actions": [{"action": "Approve it", "approval_id": "a1"}],
        "guard": [{"tool": "demo_block", "reason": "not allowed"}],
        "budget": {"steps": 1, "max_steps": 12, "turns": 0, "tokens": 0},
        "transcript_sha256": "ab" * 32,
        "transcript_record_index": 7,
    }
    text = render_text(report)
    assert "F1 HIGH (high confidence) LSASS read [T1003.001]" in text
    assert "evidence c1 detect.events ledger #4; x.zip!x.json:9" in text
    assert "intel: no collection" in text
    assert "(proposal a1 awaits approval)" in text
    assert "demo_block: not allowed" in text
    assert "(ledger #7)" in text
