"""A principal's model tokens are bounded by the gateway's budget (policy ``tokens_per_hour``),
not by trust in the model: a turn that could exceed it is refused before the model is called."""

from __future__ import annotations

import json
from typing import Any

from agent_env import AgentEnv, ScriptedProvider
from test_agent_model import final, plan, reply, run

from shieldwall.core.types import Tier

#: Less than one turn may need (its prompt and the longest answer allowed, 1,500 tokens).
TOKENS = [{"capability": "agent.turn", "tier": 1, "tokens_per_hour": 1000}]


def test_a_turn_over_the_budget_never_reaches_the_model(make_env: Any) -> None:
    env: AgentEnv = make_env(quotas=TOKENS)
    analyst = env.principal(Tier.VERIFIED_INDIVIDUAL)
    turns = [plan("protect_url"), reply("looking"), final()]
    report, _ = run(env, *turns, principal=analyst, max_tokens=60_000)
    scripted = env.model
    assert isinstance(scripted, ScriptedProvider)
    assert len(scripted.turns) == len(turns)  # the model was never asked
    assert report["concluded_by"] == "fallback"  # the local playbook finished the case
    assert report["budget"]["tokens"] == 0
    entries = [json.loads(e) for e in env.ledger.entries()]
    turns_decided = [i for i, e in enumerate(entries) if e.get("capability") == "agent.turn"]
    outcomes = [
        e for e in entries if e.get("kind") == "outcome" and e["decision_index"] in turns_decided
    ]
    assert [o["error_code"] for o in outcomes] == ["quota.tokens"]  # the refusal is evidence


def test_the_local_owner_has_no_token_budget(make_env: Any) -> None:
    env: AgentEnv = make_env(quotas=TOKENS)
    report, _ = run(env, plan("protect_url"), reply("looking"), final())
    assert report["budget"]["tokens"] > 0
