"""The model-driven loop through a real door, with a scripted (fake) model: plan first, the
guard, the fence, budgets and quotas, proposals, and the checking of the model's report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from agent_env import INJECTED, AgentEnv, ScriptedProvider, reply

from shieldwall.ai.provider import Role
from shieldwall.core.errors import DeniedError, ProviderError
from shieldwall.core.types import LOCAL_OWNER, PrincipalKind, Tier

URL = "http://paypa1-updates.com/dl/dump.exe"


def plan(*tools: str) -> Any:
    return reply(json.dumps({"plan": [{"tool": t, "why": "needed"} for t in tools]}))


def final(**report: Any) -> Any:
    body = {"summary": "done", "confidence": "medium", "findings": []} | report
    return reply(json.dumps(body))


def run(env: AgentEnv, *turns: Any, principal: Any = LOCAL_OWNER, **request: Any) -> Any:
    env.model = ScriptedProvider(*turns)
    body = {"incident_id": "inc_demo1", "provider": "compatible"} | request
    return env.investigate(body, principal)


def test_plan_then_tools_then_a_checked_report(env: AgentEnv) -> None:
    report, sink = run(
        env,
        plan("protect_url"),
        reply(calls=[("t1", "protect_url", {"url": URL})]),
        final(
            summary="credential theft from LSASS",
            findings=[
                {
                    "title": "LSASS read by dump.exe",
                    "severity": "high",
                    "confidence": "high",
                    "techniques": ["t1003.001", "not-a-technique"],
                    "evidence": [
                        {"call": "c1", "sources": [{"file": "/logs/ws1-sysmon.evtx", "record": 41}]}
                    ],
                },
                {"title": "Download link", "severity": "medium", "evidence": ["c2"]},
            ],
        ),
    )

    assert report["concluded_by"] == "model"
    assert [c["capability"] for c in report["tool_calls"]] == [
        "detect.incidents.get",
        "protect.url",
    ]
    assert [c["by"] for c in report["tool_calls"]] == ["agent", "model"]
    lsass = next(f for f in report["findings"] if f["title"] == "LSASS read by dump.exe")
    assert lsass["techniques"] == ["T1003.001"]
    assert lsass["evidence"][0]["sources"] == [{"file": "/logs/ws1-sysmon.evtx", "record": 41}]
    assert lsass["evidence"][0]["decision_index"] == report["tool_calls"][0]["decision_index"]
    assert report["budget"]["turns"] == 3
    assert "plan" in sink.kinds()
    # Every model turn was a door decision, as the principal.
    turns = [e for e in env.entries() if e.get("capability") == "agent.turn"]
    assert len(turns) == 3
    assert all(t["decision"] == "allow" and t["principal"]["id"] == LOCAL_OWNER.id for t in turns)


def test_citations_of_evidence_that_does_not_exist_are_dropped(env: AgentEnv) -> None:
    report, _ = run(
        env,
        plan(),
        final(
            findings=[
                {
                    "title": "Made up",
                    "severity": "critical",
                    "confidence": "high",
                    "evidence": [
                        "c9",
                        {"call": "c1", "sources": [{"file": "/etc/shadow", "record": 1}]},
                    ],
                }
            ]
        ),
    )

    made_up = next(f for f in report["findings"] if f["title"] == "Made up")
    assert made_up["evidence"] == [
        {
            "call": "c1",
            "capability": "detect.incidents.get",
            "decision_index": report["tool_calls"][0]["decision_index"],
            "outcome_index": report["tool_calls"][0]["outcome_index"],
            "sources": [],
        }
    ]
    assert "c9" in made_up["note"]
    assert "/etc/shadow" in made_up["note"]


def test_a_finding_without_real_evidence_has_low_confidence(env: AgentEnv) -> None:
    report, _ = run(
        env,
        plan(),
        final(findings=[{"title": "Trust me", "severity": "high", "confidence": "high"}]),
    )
    trust = next(f for f in report["findings"] if f["title"] == "Trust me")
    assert trust["confidence"] == "low"
    assert trust["evidence"] == []


def test_evidence_reaches_the_model_only_as_fenced_tool_results(env: AgentEnv) -> None:
    run(env, plan("protect_url"), final())

    model = env.model
    assert isinstance(model, ScriptedProvider)
    messages = model.received[-1][0]
    system = messages[0]
    assert system.role is Role.SYSTEM
    assert "Instruction hierarchy" in system.content
    holding = [m for m in messages if INJECTED in json.loads(json.dumps(m.content))]
    carrying = [m for m in messages if "NOTE TO THE AI ASSISTANT" in m.content]
    assert carrying, "the incident (with the injected line) was shown to the model"
    assert holding == [] or all(m.role is Role.TOOL for m in holding)
    for m in carrying:
        assert m.role is Role.TOOL
        boundary = m.content.split(" ", 1)[0].removeprefix("<<<")
        assert boundary.startswith("DATA-")
        assert boundary in system.content
        assert m.content.rstrip().endswith(">>>")
    # The plan was asked for before any data: the first request held no evidence at all.
    first_request = model.received[0][0]
    assert not any("NOTE TO THE AI ASSISTANT" in m.content for m in first_request)


def test_the_guard_refuses_calls_outside_the_plan_and_the_allow_list(env: AgentEnv) -> None:
    report, _ = run(
        env,
        plan("protect_url"),
        reply(
            calls=[
                ("t1", "demo_block", {"target": "10.0.0.1"}),
                ("t2", "ledger_entries", {}),
                ("t3", "protect_url", "{not json"),
                ("t4", "agent_investigate", {"question": "again"}),
            ]
        ),
        final(),
    )

    codes = [g["code"] for g in report["guard"]]
    assert codes == [
        "agent.not_allowed",
        "agent.not_planned",
        "ai.bad_tool_arguments",
        "agent.not_allowed",
    ]
    assert env.blocked == []
    touched = {e.get("capability") for e in env.entries() if e["kind"] == "decision"}
    assert touched.isdisjoint({"demo.block", "ledger.entries"})
    assert [e.get("capability") for e in env.entries()].count("agent.investigate") == 1
    record = env.entries()[report["transcript_record_index"]]
    assert record["body"]["guard_refusals"] == 4
    # The model was told, in the agent's own words (not fenced data).
    model = env.model
    assert isinstance(model, ScriptedProvider)
    answers = [m for m in model.received[-1][0] if m.role is Role.TOOL and m.tool_call_id == "t2"]
    assert answers[0].content.startswith("refused by the agent's guard (agent.not_planned)")


def test_tool_calls_in_the_plan_turn_become_the_plan_and_run_before_the_data(
    env: AgentEnv,
) -> None:
    report, _ = run(env, reply(calls=[("t1", "protect_url", {"url": URL})]), final())

    assert [c["capability"] for c in report["tool_calls"]] == [
        "protect.url",
        "detect.incidents.get",
    ]
    assert report["tool_calls"][0]["by"] == "model"


def test_without_a_plan_the_allow_list_still_bounds_the_calls(env: AgentEnv) -> None:
    report, _ = run(
        env,
        reply("I will look around."),
        reply(calls=[("t1", "demo_block", {"target": "x"}), ("t2", "protect_url", {"url": URL})]),
        final(),
    )

    assert [g["code"] for g in report["guard"]] == ["agent.not_allowed"]
    assert report["tool_calls"][-1]["capability"] == "protect.url"
    assert env.blocked == []


def test_a_proposal_waits_for_a_person_and_then_runs_as_the_requester(env: AgentEnv) -> None:
    analyst = env.principal(Tier.VERIFIED_INDIVIDUAL)
    report, sink = run(
        env,
        plan("propose_action"),
        reply(
            calls=[
                (
                    "t1",
                    "propose_action",
                    {
                        "capability": "demo.block",
                        "request": {"target": "198.51.100.9"},
                        "rationale": "the payload's download server",
                    },
                )
            ]
        ),
        final(),
        principal=analyst,
    )

    (proposal,) = report["proposals"]
    assert proposal["status"] == "held"
    assert proposal["capability"] == "demo.block"
    assert env.blocked == []
    assert "proposal" in sink.kinds()
    held = env.approvals.get(proposal["approval_id"])
    assert held.status == "pending"
    assert held.capability == "agent.propose"
    assert held.requester.id == analyst.id
    assert any(
        a.get("approval_id") == proposal["approval_id"] for a in report["recommended_actions"]
    )

    done = env.gateway.approve(proposal["approval_id"], LOCAL_OWNER, approve=True)

    assert done is not None
    assert env.blocked == [("198.51.100.9", analyst.id)]
    ran = env.entries()[done.result["decision_index"]]
    assert ran["capability"] == "demo.block"
    assert ran["principal"]["id"] == analyst.id


def test_a_proposal_of_something_not_proposable_is_refused(env: AgentEnv) -> None:
    report, _ = run(
        env,
        plan("propose_action"),
        reply(
            calls=[
                (
                    "t1",
                    "propose_action",
                    {"capability": "ledger.append", "request": {"body": {}}, "rationale": "x"},
                ),
                (
                    "t2",
                    "propose_action",
                    {"capability": "demo.block", "request": {"nope": 1}, "rationale": "x"},
                ),
            ]
        ),
        final(),
    )
    assert [g["code"] for g in report["guard"]] == ["agent.not_proposable", "agent.bad_proposal"]
    assert report["proposals"] == []
    assert env.approvals.list() == []


def test_a_proposal_never_runs_without_approval_whatever_the_policy(make_env: Any) -> None:
    from agent_env import ALLOW_ALL

    rules = [r for r in ALLOW_ALL if r["capability"] != "agent.propose"]
    env = make_env(rules=[*rules, {"capability": "agent.propose", "effect": "allow"}])
    request = {"capability": "demo.block", "request": {"target": "x"}, "rationale": "because"}

    with pytest.raises(DeniedError) as err:
        env.gateway.invoke("agent.propose", request, LOCAL_OWNER)

    assert err.value.code == "agent.not_approved"
    assert env.blocked == []


def test_the_principals_quota_binds_model_turns(make_env: Any) -> None:
    env = make_env(quotas=[{"capability": "agent.turn", "per_minute": 2}])
    analyst = env.principal(Tier.VERIFIED_INDIVIDUAL)

    report, _ = run(
        env,
        plan("protect_url"),
        reply(calls=[("t1", "protect_url", {"url": URL})]),
        final(summary="never reached"),
        principal=analyst,
    )

    assert report["concluded_by"] == "fallback"
    assert report["budget"]["turns"] == 2
    assert report["budget"]["stopped"] == "gateway"
    throttled = [
        e
        for e in env.entries()
        if e.get("capability") == "agent.turn" and e["decision"] == "throttle"
    ]
    assert len(throttled) == 1
    assert throttled[0]["principal"]["id"] == analyst.id
    assert any("refused a model turn" in n["why"] for n in report["not_checked"])
    # The deterministic conclusion still cites the incident it loaded.
    assert any(f["title"] == "LSASS Memory Access" for f in report["findings"])


def test_the_token_budget_stops_before_a_turn_that_could_overrun_it(env: AgentEnv) -> None:
    report, _ = run(env, plan(), final(), max_tokens=1000)

    assert report["budget"]["turns"] == 0
    assert report["budget"]["stopped"] == "token budget"
    assert report["concluded_by"] == "fallback"
    model = env.model
    assert isinstance(model, ScriptedProvider)
    assert model.received == []


def test_each_turn_is_capped_by_what_the_budget_has_left(env: AgentEnv) -> None:
    run(env, plan(), final(), max_tokens=3000)

    model = env.model
    assert isinstance(model, ScriptedProvider)
    caps = [max_tokens for _m, _t, max_tokens in model.received]
    assert caps
    assert all(c is not None and 64 <= c <= 1500 for c in caps)


def test_the_step_budget_binds_model_calls(env: AgentEnv) -> None:
    report, _ = run(
        env,
        plan("protect_url"),
        reply(
            calls=[("t1", "protect_url", {"url": URL}), ("t2", "protect_url", {"url": URL + "2"})]
        ),
        reply(calls=[("t3", "protect_url", {"url": URL + "3"})]),
        final(),
        max_steps=2,
    )
    ran = [c["capability"] for c in report["tool_calls"] if c["status"] == "ok"]
    assert ran == ["detect.incidents.get", "protect.url"]
    assert report["budget"]["steps"] == 2
    assert any(n["why"] == "the step budget (2) was spent" for n in report["not_checked"])
    assert report["guard"][-1]["code"] == "agent.budget"
    model = env.model
    assert isinstance(model, ScriptedProvider)
    assert model.received[-1][1] == []  # the last turn was offered no tools


def test_a_model_that_fails_at_once_is_an_error(env: AgentEnv) -> None:
    with pytest.raises(ProviderError, match="refused the credentials"):
        run(env, ProviderError("the server refused the credentials", code="ai.auth"))
    outcome = env.entries()[-1]
    assert outcome["kind"] == "outcome"
    assert outcome["error_code"] == "ai.auth"


def test_a_model_that_fails_midway_leaves_a_deterministic_report(env: AgentEnv) -> None:
    report, _ = run(env, plan(), ProviderError("gone", code="ai.unavailable"))
    assert report["concluded_by"] == "fallback"
    assert report["budget"]["stopped"] == "model error"
    assert report["findings"]


def test_agent_turn_serves_only_a_running_investigation(env: AgentEnv) -> None:
    analyst = env.principal(Tier.VERIFIED_INDIVIDUAL)
    request = {
        "investigation": "inv_0001",
        "turn": 1,
        "key": "k" * 32,
        "prompt_sha256": "0" * 64,
        "max_tokens": 100,
    }
    with pytest.raises(DeniedError) as err:
        env.gateway.invoke("agent.turn", request, analyst)
    assert err.value.code == "agent.no_session"
    decision = next(e for e in env.entries() if e.get("capability") == "agent.turn")
    assert "k" * 32 not in json.dumps(env.entries())  # the key is a secret field
    assert decision["principal"]["kind"] == str(PrincipalKind.API_KEY)


def test_model_turns_are_in_the_transcript_with_their_prompt_digest(env: AgentEnv) -> None:
    report, _ = run(env, plan("protect_url"), final(), include_transcript=True)

    turns = [e for e in report["transcript"]["entries"] if e["type"] == "model_turn"]
    assert [t["turn"] for t in turns] == [1, 2]
    ledger = env.entries()
    for turn in turns:
        assert len(turn["prompt_sha256"]) == 64
        assert ledger[turn["decision_index"]]["capability"] == "agent.turn"
        assert turn["response"]["usage"]["total_tokens"] == 30
    # Each message is recorded once: the second turn holds only what was added since.
    assert turns[0]["messages"][0]["role"] == "system"
    assert all(m["role"] != "system" for m in turns[1]["messages"])
