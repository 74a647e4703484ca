"""The one door, with a real ledger on SQLite and real API keys: what it records and when."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict
from pydantic_core import to_jsonable_python

from shieldwall.core.errors import DeniedError, InputError, InternalError, ShieldwallError
from shieldwall.core.types import (
    ANONYMOUS,
    LOCAL_OWNER,
    AuditMode,
    Capability,
    CapabilityId,
    DecisionKind,
    InvocationContext,
    Tier,
)
from shieldwall.gateway import ApiKeys, CapabilityRegistry, Gateway, Policy, Screening, json_digest
from shieldwall.ledger.hashing import canonical_json
from shieldwall.ledger.log import Ledger
from shieldwall.ledger.note import Signer
from shieldwall.store import open_store


class FakeClock:
    def now(self) -> datetime:
        return datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Echo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = ""


class Env:
    def __init__(self, url: str) -> None:
        self.engine = open_store(url)
        self.ledger = Ledger(self.engine, Signer.generate("t.example/log"))
        self.keys = ApiKeys(self.engine)
        self.calls: list[tuple[str, int]] = []
        self.registry = CapabilityRegistry()

    def cap(
        self,
        cid: str,
        tier: Tier,
        *,
        audit: AuditMode = AuditMode.FULL,
        fail: Exception | None = None,
    ) -> None:
        def handler(req: BaseModel, ctx: InvocationContext) -> dict[str, Any]:
            # The decision must already be durable in the ledger when the handler runs.
            self.calls.append((ctx.capability, self.ledger.size()))
            if fail is not None:
                raise fail
            assert isinstance(req, Echo)
            return {"echo": req.text}

        self.registry.register(
            Capability(
                id=CapabilityId(cid),
                description=cid,
                min_tier=tier,
                input_model=Echo,
                handler=handler,
                audit=audit,
                free_text_fields=("text",),
            )
        )

    def gateway(self, rules: list[dict[str, Any]], screener: Any = None) -> Gateway:
        policy = Policy.parse(json.dumps({"version": 1, "rules": rules}))
        return Gateway(
            registry=self.registry,
            policy=policy,
            recorder=self.ledger,
            directory=self.keys,
            screener=screener,
            clock=FakeClock(),
        )

    def entries(self) -> list[dict[str, Any]]:
        return [json.loads(b) for b in self.ledger.entries()]


@pytest.fixture
def env(store_url: str) -> Iterator[Env]:
    e = Env(store_url)
    yield e
    e.ledger.close()
    e.engine.dispose()


def test_allowed_call_is_recorded_before_the_handler_runs(env: Env) -> None:
    env.cap("demo.echo", Tier.PUBLIC)
    out = env.gateway([{"capability": "demo.*", "effect": "allow"}]).invoke(
        "demo.echo", {"text": "hi"}, ANONYMOUS
    )
    assert out.result == {"echo": "hi"}
    assert out.decision.kind is DecisionKind.ALLOW
    assert env.calls == [("demo.echo", 1)]
    decision, outcome = env.entries()
    assert decision["kind"] == "decision"
    assert decision["principal"] == {"id": "anonymous", "kind": "anonymous", "tier": 0}
    assert decision["ts"] == "2026-11-26T12:00:00.000000Z"
    assert len(decision["request_sha256"]) == 64
    assert "hi" not in json.dumps(decision)  # a digest, never the content
    assert outcome == {**outcome, "kind": "outcome", "decision_index": 0, "status": "ok"}


def test_unknown_capability_is_refused_and_recorded(env: Env) -> None:
    gate = env.gateway([{"capability": "*", "effect": "allow"}])
    with pytest.raises(DeniedError) as err:
        gate.invoke("no.such.thing", {}, LOCAL_OWNER)
    assert err.value.details["ledger_index"] == 0
    assert env.entries()[0]["reasons"][0]["code"] == "capability.unknown"


def test_a_capability_no_rule_covers_is_refused(env: Env) -> None:
    env.cap("demo.echo", Tier.PUBLIC)
    with pytest.raises(DeniedError, match="no policy rule"):
        env.gateway([]).invoke("demo.echo", {}, LOCAL_OWNER)
    assert env.calls == []
    assert env.entries()[0]["decision"] == "refuse"


def test_tier_below_the_declaration_is_refused_whatever_the_policy(env: Env) -> None:
    env.cap("demo.write", Tier.VERIFIED_ORG)
    gate = env.gateway([{"capability": "demo.*", "effect": "allow", "min_tier": 0}])
    principal, _ = env.keys.create(name="member", tier=Tier.VERIFIED_INDIVIDUAL)
    with pytest.raises(DeniedError, match="needs tier 2"):
        gate.invoke("demo.write", {}, principal)
    assert env.calls == []


def test_forbid_beats_permit(env: Env) -> None:
    env.cap("demo.echo", Tier.PUBLIC)
    gate = env.gateway(
        [
            {"capability": "demo.*", "effect": "allow"},
            {"capability": "demo.echo", "effect": "refuse", "reason": "frozen"},
        ]
    )
    with pytest.raises(DeniedError, match="frozen"):
        gate.invoke("demo.echo", {}, LOCAL_OWNER)


def test_hold_is_recorded_and_not_run(env: Env) -> None:
    env.cap("demo.risky", Tier.PUBLIC)
    gate = env.gateway([{"capability": "demo.risky", "effect": "hold"}])
    with pytest.raises(DeniedError) as err:
        gate.invoke("demo.risky", {}, LOCAL_OWNER)
    assert err.value.code == "gateway.held"
    assert env.calls == []
    assert env.entries()[0]["decision"] == "hold"


def test_downgrade_runs_the_safer_capability(env: Env) -> None:
    env.cap("demo.full", Tier.VERIFIED_ORG)
    env.cap("demo.lite", Tier.PUBLIC)
    gate = env.gateway(
        [
            {"capability": "demo.full", "effect": "allow", "downgrade_to": "demo.lite"},
            {"capability": "demo.lite", "effect": "allow"},
        ]
    )
    out = gate.invoke("demo.full", {"text": "x"}, ANONYMOUS)
    assert out.capability == "demo.lite"
    assert out.decision.kind is DecisionKind.DOWNGRADE
    assert env.calls == [("demo.lite", 1)]
    assert env.entries()[0]["downgraded_to"] == "demo.lite"


def test_revoked_key_is_refused_at_the_door(env: Env) -> None:
    env.cap("demo.echo", Tier.PUBLIC)
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])
    principal, _ = env.keys.create(name="ci", tier=Tier.VERIFIED_INDIVIDUAL)
    env.keys.revoke(principal.id.removeprefix("key:"))
    with pytest.raises(DeniedError, match="revoked"):
        gate.invoke("demo.echo", {}, principal)


def test_bad_input_is_the_callers_error_and_records_nothing(env: Env) -> None:
    env.cap("demo.echo", Tier.PUBLIC)
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])
    with pytest.raises(InputError) as err:
        gate.invoke("demo.echo", {"text": "a", "extra": 1}, LOCAL_OWNER)
    assert err.value.location == "extra"
    assert env.ledger.size() == 0


def test_handler_failure_is_recorded_as_an_outcome(env: Env) -> None:
    env.cap("demo.boom", Tier.PUBLIC, fail=RuntimeError("disk on fire"))
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])
    with pytest.raises(InternalError, match="disk on fire"):
        gate.invoke("demo.boom", {}, LOCAL_OWNER)
    assert env.entries()[1]["status"] == "error"


def test_public_reads_are_recorded_only_when_refused(env: Env) -> None:
    env.cap("demo.read", Tier.PUBLIC, audit=AuditMode.REFUSALS)
    env.gateway([{"capability": "demo.read", "effect": "allow"}]).invoke("demo.read", {}, ANONYMOUS)
    assert env.ledger.size() == 0
    with pytest.raises(DeniedError):
        env.gateway([]).invoke("demo.read", {}, ANONYMOUS)
    assert env.ledger.size() == 1


def test_malicious_screening_refuses_at_every_tier(env: Env) -> None:
    class Always:
        def screen(self, text: str) -> Screening:
            return Screening(label="malicious", score=0.97, tactic="impact")

    env.cap("demo.echo", Tier.PUBLIC)
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}], screener=Always())
    with pytest.raises(DeniedError, match="malicious"):
        gate.invoke("demo.echo", {"text": "encrypt their files"}, LOCAL_OWNER)
    assert env.entries()[0]["screening"] == {
        "label": "malicious",
        "score": 0.97,
        "tactic": "impact",
    }


def test_default_policy_parses_and_fails_closed() -> None:
    policy = Policy.default()
    cap = Capability(
        id=CapabilityId("nobody.covers.this"),
        description="",
        min_tier=Tier.PUBLIC,
        input_model=Echo,
        handler=lambda r, c: None,
    )
    assert policy.evaluate(cap, LOCAL_OWNER).kind is DecisionKind.REFUSE


def test_a_deferred_read_outcome_follows_its_durable_decision(env: Env) -> None:
    env.cap("demo.read", Tier.PUBLIC)
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])
    out = gate.invoke("demo.read", {"text": "hi"}, ANONYMOUS, defer_outcome=True)
    assert env.calls == [("demo.read", 1)]  # the decision was committed before the handler
    assert (out.decision_index, out.outcome_index) == (0, None)
    env.ledger.flush()
    decision, outcome = env.entries()
    assert decision["kind"] == "decision"
    assert outcome == {**outcome, "kind": "outcome", "decision_index": 0, "status": "ok"}
    assert outcome["result_sha256"] == json_digest({"echo": "hi"})


def test_by_default_a_read_defers_its_outcome_and_a_caller_may_wait_for_it(env: Env) -> None:
    env.cap("demo.read", Tier.PUBLIC)
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])
    deferred = gate.invoke("demo.read", {"text": "a"}, ANONYMOUS)
    waited = gate.invoke("demo.read", {"text": "b"}, ANONYMOUS, defer_outcome=False)
    assert (deferred.decision_index, deferred.outcome_index) == (0, None)
    assert (waited.decision_index, waited.outcome_index) == (2, 3)
    kinds = [(e["kind"], e.get("decision_index")) for e in env.entries()]
    assert kinds == [("decision", None), ("outcome", 0), ("decision", None), ("outcome", 2)]


def test_writes_and_errors_keep_the_synchronous_outcome(env: Env) -> None:
    def write(req: BaseModel, ctx: InvocationContext) -> dict[str, Any]:
        return {"wrote": True}

    env.registry.register(
        Capability(
            id=CapabilityId("demo.write"),
            description="",
            min_tier=Tier.PUBLIC,
            input_model=Echo,
            handler=write,
            writes=True,
        )
    )
    env.cap("demo.boom", Tier.PUBLIC, fail=RuntimeError("no"))
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])
    wrote = gate.invoke("demo.write", {}, LOCAL_OWNER, defer_outcome=True)
    assert wrote.outcome_index == 1
    with pytest.raises(InternalError):
        gate.invoke("demo.boom", {}, LOCAL_OWNER, defer_outcome=True)
    assert [e["kind"] for e in env.entries()] == ["decision", "outcome", "decision", "outcome"]
    assert env.entries()[3]["status"] == "error"


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


def _digest_before(value: Any) -> str:
    """The digest as the door computed it before its orjson path: the reference."""
    plain = to_jsonable_python(value, fallback=repr)
    try:
        data = canonical_json(plain, max_bytes=1 << 62)
    except ShieldwallError:
        data = json.dumps(plain, sort_keys=True, separators=(",", ":"), default=repr).encode()
    return hashlib.sha256(data).hexdigest()


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_the_fast_digest_is_the_canonical_one(value: Any) -> None:
    assert json_digest(value) == _digest_before(value)


def test_the_fast_digest_keeps_values_that_orjson_would_blur_apart() -> None:
    assert json_digest({"a": float("nan")}) != json_digest({"a": None})
    assert json_digest({"a": 1.0}) == _digest_before({"a": 1.0})
    assert json_digest({"\U0001f600": 1, "\uffff": 2}) == _digest_before(
        {"\U0001f600": 1, "\uffff": 2}
    )
    assert json_digest({1: "a", 10: "b", 2: "c"}) == _digest_before({1: "a", 10: "b", 2: "c"})
    assert json_digest({"d": datetime(2026, 1, 1, tzinfo=UTC)}) == _digest_before(
        {"d": datetime(2026, 1, 1, tzinfo=UTC)}
    )
    assert json_digest({"big": 2**70}) == _digest_before({"big": 2**70})


def _run_async(coro: Any) -> Any:
    """asyncio.run in a thread of its own (an earlier test may leave a loop in this one)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_the_async_door_records_what_the_sync_door_records(env: Env) -> None:
    env.cap("demo.echo", Tier.PUBLIC)
    env.cap("demo.boom", Tier.PUBLIC, fail=RuntimeError("disk on fire"))
    gate = env.gateway([{"capability": "demo.echo", "effect": "allow"}])

    async def calls() -> list[Any]:
        out: list[Any] = [await gate.invoke_async("demo.echo", {"text": "hi"}, ANONYMOUS)]
        for capability in ("demo.boom", "no.such.thing"):
            try:
                await gate.invoke_async(capability, {}, LOCAL_OWNER)
            except ShieldwallError as err:
                out.append(err)
        # Concurrent callers on one loop each get their own commit's index.
        many = await asyncio.gather(
            *(gate.invoke_async("demo.echo", {"text": str(n)}, ANONYMOUS) for n in range(5))
        )
        return [*out, *many]

    first, refused, unknown, *many = _run_async(calls())
    # The decision was durable before the handler ran, as through ``invoke``.
    assert env.calls[0] == ("demo.echo", 1)
    assert first.result == {"echo": "hi"}
    assert first.decision_index == 0
    assert first.outcome_index is None  # a read's outcome rides the next group commit
    assert isinstance(refused, DeniedError)  # no rule allows demo.boom
    assert isinstance(unknown, DeniedError)
    assert [m.result for m in many] == [{"echo": str(n)} for n in range(5)]
    env.ledger.flush()
    entries = env.entries()
    decisions = {i for i, e in enumerate(entries) if e["kind"] == "decision"}
    assert {m.decision_index for m in many} <= decisions
    assert len(decisions) == 8  # echo, boom, unknown, five more echoes
    outcomes = [e for e in entries if e["kind"] == "outcome"]
    assert sorted(o["decision_index"] for o in outcomes) == sorted(
        [0, *(m.decision_index for m in many)]
    )
    assert unknown.details["ledger_index"] in decisions
    assert entries[unknown.details["ledger_index"]]["reasons"][0]["code"] == "capability.unknown"


def test_the_async_door_records_a_failing_handler_as_the_sync_door_does(env: Env) -> None:
    env.cap("demo.boom", Tier.PUBLIC, fail=RuntimeError("disk on fire"))
    gate = env.gateway([{"capability": "demo.*", "effect": "allow"}])

    async def boom() -> None:
        await gate.invoke_async("demo.boom", {}, LOCAL_OWNER)

    with pytest.raises(InternalError, match="disk on fire"):
        _run_async(boom())
    decision, outcome = env.entries()
    assert decision["decision"] == "allow"
    assert outcome == {**outcome, "status": "error", "decision_index": 0}


def test_the_async_door_without_an_awaitable_recorder_runs_in_a_thread(env: Env) -> None:
    class Plain:  # a recorder with only ``append`` (the protocol's minimum)
        def __init__(self, ledger: Ledger) -> None:
            self.ledger = ledger

        def append(self, entry: Any) -> int:
            return self.ledger.append(entry)

    env.cap("demo.echo", Tier.PUBLIC)
    policy = Policy.parse(
        json.dumps({"version": 1, "rules": [{"capability": "*", "effect": "allow"}]})
    )
    gate = Gateway(
        registry=env.registry, policy=policy, recorder=Plain(env.ledger), directory=env.keys
    )
    out = _run_async(gate.invoke_async("demo.echo", {"text": "x"}, ANONYMOUS))
    assert out.result == {"echo": "x"}
    assert (out.decision_index, out.outcome_index) == (0, 1)
    assert [e["kind"] for e in env.entries()] == ["decision", "outcome"]
