"""The gateway's token budget (policy quotas with ``tokens_per_hour``): reserved before a model
call, settled with real usage, per principal and tier, by the hour; the local owner has none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from shieldwall.core.errors import ThrottledError
from shieldwall.core.types import LOCAL_OWNER, Principal, PrincipalId, PrincipalKind, Tier
from shieldwall.gateway.control import QuotaRule, Quotas


class StepClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


def key(name: str, tier: Tier = Tier.VERIFIED_INDIVIDUAL) -> Principal:
    return Principal(id=PrincipalId(name), kind=PrincipalKind.API_KEY, tier=tier)


RULES = [
    QuotaRule(capability="agent.turn", per_minute=60),
    QuotaRule(capability="agent.turn", tier=Tier.VERIFIED_INDIVIDUAL, tokens_per_hour=1000),
    QuotaRule(capability="agent.*", tier=Tier.VERIFIED_ORG, tokens_per_hour=5000),
]


def test_a_reservation_over_the_budget_is_refused_before_the_model_runs() -> None:
    quotas = Quotas(RULES, clock=StepClock())
    alice = key("alice")
    quotas.reserve(alice, "agent.turn", 800)
    with pytest.raises(ThrottledError) as caught:
        quotas.reserve(alice, "agent.turn", 300)
    assert caught.value.code == "quota.tokens"
    assert "200 of 1,000 model tokens left" in caught.value.message
    quotas.reserve(key("bob"), "agent.turn", 1000)  # budgets are per principal


def test_settling_returns_what_was_reserved_but_not_used() -> None:
    quotas = Quotas(RULES, clock=StepClock())
    alice = key("alice")
    quotas.reserve(alice, "agent.turn", 900)
    quotas.settle(alice, "agent.turn", reserved=900, used=150)
    quotas.reserve(alice, "agent.turn", 850)  # 150 + 850 = the whole budget
    with pytest.raises(ThrottledError):
        quotas.reserve(alice, "agent.turn", 1)


def test_the_budget_comes_back_the_next_hour() -> None:
    clock = StepClock()
    quotas = Quotas(RULES, clock=clock)
    alice = key("alice")
    quotas.reserve(alice, "agent.turn", 1000)
    with pytest.raises(ThrottledError):
        quotas.reserve(alice, "agent.turn", 1)
    clock.at += timedelta(hours=1)
    quotas.reserve(alice, "agent.turn", 1000)


def test_the_rule_of_the_principals_tier_applies_and_the_owner_has_no_budget() -> None:
    quotas = Quotas(RULES, clock=StepClock())
    quotas.reserve(key("org", Tier.VERIFIED_ORG), "agent.turn", 4000)
    quotas.reserve(key("vetted", Tier.VETTED_DEFENDER), "agent.turn", 10**9)  # no rule: none
    quotas.reserve(LOCAL_OWNER, "agent.turn", 10**9)
    # call counting is unchanged by token rules
    assert quotas.charge(key("alice"), "agent.turn") is None


def test_a_quota_rule_needs_a_limit() -> None:
    with pytest.raises(ValidationError, match="per_minute or tokens_per_hour"):
        QuotaRule(capability="agent.turn")
