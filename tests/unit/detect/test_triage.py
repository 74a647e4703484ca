"""Triage: the baseline priority, the local writer, and a model's answer validated (with a fake
provider here; the real OpenAI adapters against the stand-in server are in
tests/integration/test_detect_triage_llm.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from alert_builders import alert, rule

from shieldwall.ai import LocalProvider
from shieldwall.ai.provider import ChatMessage, Completion, Role, ToolSpec, Usage
from shieldwall.core.errors import ProviderError
from shieldwall.detect.alerts import Level
from shieldwall.detect.incidents import Incident, group_alerts
from shieldwall.detect.triage import (
    TRIAGE_SKILL,
    TRIAGE_TASK,
    Priority,
    Triage,
    baseline_priority,
    parse_answer,
    render_local,
    triage_incident,
    triage_incidents,
    triage_payload,
)

DUMP = rule(
    "dump",
    title="LSASS Memory Dump via Procdump",
    level=Level.HIGH,
    tags=("attack.credential-access", "attack.t1003.001"),
    description="Detects Procdump dumping LSASS memory. Second sentence is not quoted.",
    falsepositives=("Legitimate admin debugging",),
)
CLEAR = rule(
    "clear",
    title="Security Eventlog Cleared",
    level=Level.HIGH,
    tags=("attack.defense-impairment", "attack.t1685.005"),
)
ENC = rule("enc", title="Encoded PowerShell", level=Level.MEDIUM, tags=("attack.execution",))
NOTE = rule("note", title="Informational note", level=Level.INFORMATIONAL)


def _incident(*alerts_: object) -> Incident:
    (incident,) = group_alerts(alerts_)  # type: ignore[arg-type]
    return incident


def _compromise() -> Incident:
    return _incident(
        alert(
            DUMP,
            0,
            user="CORP\\alice",
            Image="C:\\Tools\\procdump64.exe",
            CommandLine="procdump64.exe -ma lsass.exe out.dmp",
            ParentImage="C:\\Windows\\System32\\cmd.exe",
        ),
        alert(CLEAR, 5, user="CORP\\alice"),
    )


# -- baseline ----------------------------------------------------------------------------------


def test_baseline_priority_follows_level_and_breadth() -> None:
    crit = rule("crit", level=Level.CRITICAL)
    assert baseline_priority(_incident(alert(crit, 0))) is Priority.P1
    assert baseline_priority(_compromise()) is Priority.P1  # high + 2 damaging tactics
    assert baseline_priority(_incident(alert(DUMP, 0))) is Priority.P2
    assert baseline_priority(_incident(alert(ENC, 0))) is Priority.P3
    three = [rule(f"m{i}", level=Level.MEDIUM) for i in range(3)]
    assert baseline_priority(_incident(*(alert(r, i) for i, r in enumerate(three)))) is Priority.P2
    low = rule("low", level=Level.LOW)
    assert baseline_priority(_incident(alert(low, 0))) is Priority.P4
    assert baseline_priority(_incident(alert(NOTE, 0))) is Priority.P4


# -- local writer ------------------------------------------------------------------------------


def test_local_triage_explains_from_rules_attack_and_evidence() -> None:
    triage = triage_incident(_compromise())
    assert triage.provider == "local"
    assert triage.fallback is None
    assert triage.priority is Priority.P1
    text = triage.summary
    for expected in (
        "2 alerts from 2 Sigma rules",
        "WS01",
        "CORP\\alice",
        "LSASS Memory Dump via Procdump",
        "Detects Procdump dumping LSASS memory.",
        "procdump64.exe -ma lsass.exe out.dmp",
        "C:\\Windows\\System32\\cmd.exe",
        "OS Credential Dumping: LSASS Memory (T1003.001)",
        "Clear Windows Event Logs (T1685.005)",
    ):
        assert expected in text, expected
    assert "Second sentence" not in text
    assert "Credential Access" in triage.why_it_matters
    assert "Defense Impairment" in triage.why_it_matters
    steps = " ".join(triage.next_steps)
    assert "disconnect" in steps  # P1: contain
    assert "reset" in steps  # credential access
    assert "Legitimate admin debugging" in steps  # the rule's false positives
    assert "logging" in steps  # defense impairment
    assert "/logs/Security.evtx" in steps


def test_local_triage_is_the_same_every_time() -> None:
    incident = _compromise()
    assert triage_incident(incident) == triage_incident(incident)
    assert triage_incident(incident, provider=LocalProvider()) == triage_incident(incident)


def test_a_low_incident_gets_tuning_advice_not_containment() -> None:
    triage = triage_incident(_incident(alert(ENC, 0, CommandLine="powershell -enc AAAA")))
    assert triage.priority is Priority.P3
    steps = " ".join(triage.next_steps)
    assert "disconnect" not in steps
    assert "allow-list" in steps
    assert "powershell -enc AAAA" in steps


def test_the_skill_lets_a_local_provider_serve_the_same_answer() -> None:
    incident = _compromise()
    payload = triage_payload(incident)
    provider = LocalProvider(skills=(TRIAGE_SKILL,))
    completion = provider.complete(TRIAGE_SKILL.messages(payload))
    assert json.loads(completion.text) == render_local(payload)
    assert completion.model == f"skill:{TRIAGE_TASK}"


def test_the_payload_marks_log_content_untrusted_and_clips_it() -> None:
    long_value = "A" * 5000
    incident = _incident(alert(DUMP, 0, CommandLine=long_value, Data=b"\x00\x01"))
    payload = triage_payload(incident)
    (item,) = payload["untrusted_evidence"]
    assert item["fields"]["CommandLine"].startswith("AAAA")
    assert len(item["fields"]["CommandLine"]) <= 401
    assert item["fields"]["Data"] == "0001"
    assert item["source"].startswith("/logs/Security.evtx:")
    assert payload["incident"]["baseline_priority"] == "P2"
    assert "untrusted" in TRIAGE_SKILL.instructions.lower()
    json.dumps(payload)  # the payload is plain JSON


# -- a model's answer --------------------------------------------------------------------------


def _answer(**overrides: object) -> str:
    body = {
        "priority": "P1",
        "summary": "Credentials were dumped on WS01.",
        "why_it_matters": "Stolen passwords open every door.",
        "next_steps": ["Isolate WS01.", "Reset alice's password."],
    }
    body.update(overrides)
    return json.dumps(body)


def test_a_valid_answer_is_accepted_also_inside_a_code_fence() -> None:
    parsed = parse_answer(f"```json\n{_answer()}\n```", baseline=Priority.P1)
    assert parsed["priority"] == "P1"
    assert parsed["next_steps"] == ["Isolate WS01.", "Reset alice's password."]


@pytest.mark.parametrize(
    ("asked", "baseline", "kept"),
    [("P4", "P1", "P2"), ("P1", "P4", "P3"), ("P2", "P3", "P2"), ("p3", "P3", "P3")],
)
def test_a_model_moves_the_priority_one_step_at_most(asked: str, baseline: str, kept: str) -> None:
    parsed = parse_answer(_answer(priority=asked), baseline=Priority(baseline))
    assert parsed["priority"] == kept


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1, 2]",
        _answer(priority="urgent"),
        _answer(priority=None),
        _answer(summary=""),
        _answer(summary=7),
        _answer(why_it_matters="x" * 2001),
        _answer(next_steps=[]),
        _answer(next_steps="do things"),
        _answer(next_steps=["ok", 3]),
        _answer(next_steps=["x"] * 13),
    ],
)
def test_a_malformed_answer_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case fails for its own reason
        parse_answer(text, baseline=Priority.P2)


@dataclass
class ScriptedProvider:
    """A fake model provider (the port, not a mock): answers from a script, records prompts."""

    answers: list[str | ProviderError]
    name: str = "compatible"
    received: list[Sequence[ChatMessage]] = field(default_factory=list)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        tools: Sequence[ToolSpec] | None = None,
    ) -> Completion:
        self.received.append(messages)
        answer = self.answers.pop(0)
        if isinstance(answer, ProviderError):
            raise answer
        return Completion(
            text=answer, finish_reason="stop", model="fake-model", usage=Usage(), provider=self.name
        )


def test_a_model_answer_is_used_when_it_is_valid() -> None:
    provider = ScriptedProvider([_answer(priority="P2")])
    triage = triage_incident(_compromise(), provider=provider)
    assert triage.provider == "compatible"
    assert triage.model == "fake-model"
    assert triage.priority is Priority.P2
    assert triage.summary == "Credentials were dumped on WS01."
    system, user = provider.received[0]
    assert system.role is Role.SYSTEM
    assert system.content.startswith(f"shieldwall-task: {TRIAGE_TASK}")
    assert "procdump64.exe -ma lsass.exe" not in system.content
    sent = json.loads(user.content)
    assert sent["untrusted_evidence"][0]["fields"]["CommandLine"].startswith("procdump64.exe")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("Sure! Here is my analysis...", "ai.bad_answer"),
        (_answer(next_steps=[]), "ai.bad_answer"),
        (ProviderError("timed out", code="ai.timeout"), "ai.timeout"),
    ],
)
def test_any_failure_falls_back_to_the_local_writer(
    answer: str | ProviderError, reason: str
) -> None:
    incident = _compromise()
    triage = triage_incident(incident, provider=ScriptedProvider([answer]))
    local = triage_incident(incident)
    assert triage.provider == "local"
    assert triage.fallback is not None
    assert triage.fallback.startswith(reason)
    assert (triage.priority, triage.summary, triage.next_steps) == (
        local.priority,
        local.summary,
        local.next_steps,
    )


def test_triage_round_trips_through_json_and_covers_every_incident() -> None:
    incidents = group_alerts([alert(DUMP, 0), alert(ENC, 0, host="OTHER")])
    triaged = triage_incidents(incidents)
    assert [t.incident.id for t in triaged] == [i.id for i in incidents]
    for item in triaged:
        assert Triage.from_json(item.triage.to_json()) == item.triage
        body = item.to_json()
        assert body["triage"]["priority"] == str(item.triage.priority)
        assert "alerts" in body
        assert "alerts" not in item.to_json(with_alerts=False)
