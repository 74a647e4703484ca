"""The local (default) investigation through a real door: deterministic, every call in the
ledger as the principal, bounded by the principal's tier and the step budget."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from agent_env import INCIDENT, INJECTED, PAYLOAD_SHA256, AgentEnv

from shieldwall.ai.agent.transcript import canonical_bytes
from shieldwall.core.errors import DeniedError, InputError, NotFoundError
from shieldwall.core.types import LOCAL_OWNER, Tier


def _decisions(env: AgentEnv) -> list[dict[str, Any]]:
    return [e for e in env.entries() if e["kind"] == "decision"]


def test_an_incident_is_investigated_with_every_call_in_the_ledger(env: AgentEnv) -> None:
    report, sink = env.investigate({"incident_id": "inc_demo1"})

    calls = report["tool_calls"]
    assert [c["capability"] for c in calls] == [
        "detect.incidents.get",
        "detect.events.query",
        "protect.url",
    ]
    assert all(c["status"] == "ok" for c in calls)
    entries = env.entries()
    for call in calls:
        decision = entries[call["decision_index"]]
        assert decision["kind"] == "decision"
        assert decision["capability"] == call["capability"]
        assert decision["principal"]["id"] == LOCAL_OWNER.id
        assert decision["decision"] == "allow"
        outcome = entries[call["outcome_index"]]
        assert outcome == {**outcome, "kind": "outcome", "decision_index": call["decision_index"]}
    assert sink.kinds()[0] == "started"
    assert sink.kinds()[-1] == "report"
    assert sink.kinds().count("tool_call") == 3


def test_findings_cite_calls_and_event_sources_that_exist(env: AgentEnv) -> None:
    report, _ = env.investigate({"incident_id": "inc_demo1"})

    calls = {c["call"]: c for c in report["tool_calls"]}
    sources = {(a["source"]["file"], a["source"]["record"]) for a in INCIDENT["alerts"]}
    assert report["findings"], "the incident has two rules' alerts"
    for finding in report["findings"]:
        for link in finding["evidence"]:
            call = calls[link["call"]]
            assert call["status"] == "ok"
            assert link["decision_index"] == call["decision_index"]
            for src in link["sources"]:
                assert (src["file"], src["record"]) in sources
    lsass = next(f for f in report["findings"] if f["title"] == "LSASS Memory Access")
    assert lsass["severity"] == "high"
    assert lsass["techniques"] == ["T1003.001"]
    # A rule and an independent hunt (injected code reading LSASS) agree: high confidence.
    assert lsass["confidence"] == "high"
    hunt = next(f for f in report["findings"] if "not backed by a file" in f["title"])
    assert {s["record"] for s in hunt["evidence"][0]["sources"]} == {41, 42}
    assert "dump.exe" in hunt["detail"]
    assert PAYLOAD_SHA256 in hunt["detail"]


def test_the_transcript_is_hashed_stored_and_recorded_in_the_ledger(env: AgentEnv) -> None:
    report, _ = env.investigate({"incident_id": "inc_demo1", "include_transcript": True})

    transcript = report["transcript"]
    assert hashlib.sha256(canonical_bytes(transcript)).hexdigest() == report["transcript_sha256"]
    stored = (env.transcripts / report["transcript_file"]).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == report["transcript_sha256"]
    record = env.entries()[report["transcript_record_index"]]
    assert record["kind"] == "record"
    assert record["principal"] == LOCAL_OWNER.id
    assert record["body"]["type"] == "agent.transcript"
    assert record["body"]["transcript_sha256"] == report["transcript_sha256"]
    recorded_calls = [c[1] for c in record["body"]["calls"]]
    assert recorded_calls == [c["capability"] for c in report["tool_calls"]]
    kinds = [e["type"] for e in transcript["entries"]]
    assert kinds[0] == "case"
    assert kinds[-1] == "report"
    assert kinds.count("tool_call") == len(report["tool_calls"])


def test_the_same_case_gives_the_same_calls(make_env: Any) -> None:
    first, _ = make_env().investigate({"incident_id": "inc_demo1"})
    second, _ = make_env().investigate({"incident_id": "inc_demo1"})

    def shape(r: dict[str, Any]) -> Any:
        return [(c["capability"], c["arguments"]) for c in r["tool_calls"]], r["findings"]

    assert shape(first) == shape(second)


def test_a_tier_1_principal_is_refused_a_tier_2_tool_and_the_refusal_is_recorded(
    env: AgentEnv,
) -> None:
    analyst = env.principal(Tier.VERIFIED_INDIVIDUAL)

    report, _ = env.investigate({"incident_id": "inc_demo1"}, analyst)

    query = next(c for c in report["tool_calls"] if c["capability"] == "detect.events.query")
    assert query["status"] == "refused"
    decision = env.entries()[query["decision_index"]]
    assert decision["decision"] == "refuse"
    assert decision["capability"] == "detect.events.query"
    assert decision["principal"] == {"id": analyst.id, "kind": "api_key", "tier": 1}
    assert decision["reasons"][0]["code"] == "policy.tier_too_low"
    assert any("detect.events.query" in n["what"] for n in report["not_checked"])
    # Every other call ran as the analyst too, never as anyone more trusted.
    for entry in _decisions(env):
        assert entry["principal"]["id"] == analyst.id


def test_an_anonymous_caller_cannot_start_an_investigation(env: AgentEnv) -> None:
    from shieldwall.core.types import ANONYMOUS

    with pytest.raises(DeniedError, match="needs tier 1"):
        env.gateway.invoke("agent.investigate", {"question": "is 8.8.8.8 bad?"}, ANONYMOUS)
    assert _decisions(env)[-1]["capability"] == "agent.investigate"


def test_injected_instructions_in_evidence_are_not_followed(env: AgentEnv) -> None:
    report, _ = env.investigate({"incident_id": "inc_demo1"})

    capabilities = [c["capability"] for c in report["tool_calls"]]
    assert "demo.block" not in capabilities
    assert "agent.propose" not in capabilities
    assert env.blocked == []
    assert not any(e.get("capability") == "demo.block" for e in env.entries())
    # ... and the attempt itself is reported.
    injection = next(f for f in report["findings"] if "addressed to an AI" in f["title"])
    assert injection["evidence"][0]["call"] == "c1"
    assert any(
        "ignore all previous instructions" in s["excerpt"] for s in report["injection_signals"]
    )
    assert INJECTED not in report["summary"]


def test_the_step_budget_binds_and_what_was_skipped_is_reported(env: AgentEnv) -> None:
    report, _ = env.investigate({"incident_id": "inc_demo1", "max_steps": 1})

    assert [c["capability"] for c in report["tool_calls"]] == ["detect.incidents.get"]
    assert report["budget"]["steps"] == 1
    skipped = [n for n in report["not_checked"] if "step budget" in n["why"]]
    assert {"detect.events.query", "protect.url"} <= {n["what"].split()[0] for n in skipped}


def test_an_unknown_incident_is_a_clear_error(env: AgentEnv) -> None:
    with pytest.raises(NotFoundError) as err:
        env.investigate({"incident_id": "inc_nope"})
    assert err.value.code == "agent.no_incident"


def test_an_empty_request_is_refused_by_the_door(env: AgentEnv) -> None:
    with pytest.raises(InputError, match="give an incident id"):
        env.investigate({})


def test_without_incident_capabilities_the_report_says_what_was_not_checked(
    make_env: Any,
) -> None:
    env = make_env()
    env.registry._caps.pop("detect.incidents.get")  # a server where detect has no incidents yet

    report, _ = env.investigate(
        {"incident_id": "inc_demo1", "question": "what happened at http://paypa1-updates.com/x ?"}
    )

    assert report["not_checked"][0]["what"] == "incident inc_demo1"
    assert "not available" in report["not_checked"][0]["why"]
    assert [c["capability"] for c in report["tool_calls"]] == ["protect.url"]


def test_a_narrowed_tool_list_is_honoured(env: AgentEnv) -> None:
    report, _ = env.investigate({"incident_id": "inc_demo1", "tools": ["detect.incidents.*"]})

    assert [c["capability"] for c in report["tool_calls"]] == ["detect.incidents.get"]
    assert any("protect.url" in n["why"] for n in report["not_checked"])


def test_the_question_is_screened_like_any_free_text(env: AgentEnv) -> None:
    agent = env.registry.get("agent.investigate")
    assert agent is not None
    assert agent.free_text_fields == ("question",)


def test_the_report_json_round_trips(env: AgentEnv) -> None:
    report, _ = env.investigate({"incident_id": "inc_demo1"})
    assert json.loads(json.dumps(report)) == report


def test_a_client_that_goes_away_stops_the_investigation(env: AgentEnv) -> None:
    from shieldwall.ai.agent import CollectingSink, progress_sink
    from shieldwall.core.errors import ShieldwallError

    sink = CollectingSink()
    sink.stop = True  # as the HTTP stream does when its client disconnects
    token = progress_sink.set(sink)
    try:
        with pytest.raises(ShieldwallError) as err:
            env.gateway.invoke("agent.investigate", {"incident_id": "inc_demo1"}, LOCAL_OWNER)
    finally:
        progress_sink.reset(token)
    assert err.value.code == "agent.cancelled"
    assert not any(e.get("capability") == "detect.incidents.get" for e in env.entries())
    assert env.entries()[-1]["error_code"] == "agent.cancelled"
