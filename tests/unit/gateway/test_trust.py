"""Trusted access through the real runtime: identities and tiers, e-mail verification over a
real SMTP server, approvals, quotas, the kill switch and dual-use screening."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict

from mail_inbox import Inbox
from shieldwall.core.errors import (
    AuthError,
    DeniedError,
    HeldError,
    InputError,
    ThrottledError,
)
from shieldwall.core.settings import Settings
from shieldwall.core.types import (
    LOCAL_OWNER,
    Capability,
    CapabilityId,
    InvocationContext,
    Principal,
    Tier,
)
from shieldwall.gateway import Policy, Screening
from shieldwall.runtime import Runtime, open_runtime


class FakeClock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


class Echo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = ""


@dataclass
class Env:
    runtime: Runtime
    clock: FakeClock
    ran: list[tuple[str, str]]


@pytest.fixture
def rt(tmp_path: Path, smtp: tuple[int, Inbox]) -> Iterator[Env]:
    clock = FakeClock()
    policy = tmp_path / "policy.json"
    base = json.loads(
        (Path(__file__).parents[3] / "src/shieldwall/gateway/default_policy.json").read_text()
    )
    base["rules"] += [
        {"capability": "demo.echo", "effect": "allow"},
        {"capability": "demo.risky", "effect": "hold"},
        {"capability": "demo.limited", "effect": "allow"},
    ]
    base["quotas"].append({"capability": "demo.limited", "per_minute": 2})
    policy.write_text(json.dumps(base))
    settings = Settings(
        home=tmp_path / "home", smtp_host="127.0.0.1", smtp_port=smtp[0], policy_file=policy
    )
    runtime = open_runtime(settings, clock=clock)
    ran: list[tuple[str, str]] = []

    def handler(req: Echo, ctx: InvocationContext) -> dict[str, str]:
        ran.append((ctx.capability, req.text))
        return {"echo": req.text}

    for cid in ("demo.echo", "demo.risky", "demo.limited"):
        runtime.gateway.registry.register(
            Capability(
                id=CapabilityId(cid),
                description=cid,
                min_tier=Tier.VERIFIED_INDIVIDUAL,
                input_model=Echo,
                handler=handler,
                free_text_fields=("text",),
            )
        )
    yield Env(runtime, clock, ran)
    runtime.close()


def _entries(runtime: Runtime) -> list[dict[str, Any]]:
    return [json.loads(b) for b in runtime.ledger.entries()]


PASSWORD = "correct horse battery staple"


def _account(runtime: Runtime, email: str) -> dict[str, Any]:
    """A new account (its e-mail address not confirmed), made through the door."""
    made: dict[str, Any] = runtime.gateway.invoke(
        "gateway.users.create",
        {"email": email, "name": email.split("@")[0], "password": PASSWORD},
        LOCAL_OWNER,
    ).result
    return made


def _verified_user(runtime: Runtime, inbox: Inbox, email: str) -> Principal:
    made = _account(runtime, email)
    mail = inbox.last_body()
    token = re.search(r"verify-email (\S+)", mail)
    assert token is not None, mail
    runtime.gateway.invoke("gateway.users.verify_email", {"token": token.group(1)}, LOCAL_OWNER)
    return runtime.identities.principal(made["user_id"])


def test_email_verification_over_smtp_raises_the_tier(rt: Env, smtp: tuple[int, Inbox]) -> None:
    runtime = rt.runtime
    made = runtime.gateway.invoke(
        "gateway.users.create", {"email": "Ada@Example.org", "name": "Ada"}, LOCAL_OWNER
    ).result
    assert runtime.identities.tier_of(made["user_id"]) is Tier.PUBLIC
    assert smtp[1].mail[-1]["To"] == "ada@example.org"
    token = re.search(r"verify-email (\S+)", smtp[1].last_body())
    assert token is not None
    runtime.gateway.invoke("gateway.users.verify_email", {"token": token.group(1)}, LOCAL_OWNER)
    assert runtime.identities.tier_of(made["user_id"]) is Tier.VERIFIED_INDIVIDUAL
    with pytest.raises(AuthError, match="unknown, used or expired"):
        runtime.gateway.invoke("gateway.users.verify_email", {"token": token.group(1)}, LOCAL_OWNER)


def test_expired_tokens_and_wrong_passwords_are_refused(rt: Env, smtp: tuple[int, Inbox]) -> None:
    runtime, clock = rt.runtime, rt.clock
    runtime.gateway.invoke(
        "gateway.users.create",
        {"email": "bo@example.org", "name": "Bo", "password": "correct horse battery staple"},
        LOCAL_OWNER,
    )
    token = re.search(r"verify-email (\S+)", smtp[1].last_body())
    assert token is not None
    clock.moment += timedelta(hours=25)
    with pytest.raises(AuthError):
        runtime.gateway.invoke("gateway.users.verify_email", {"token": token.group(1)}, LOCAL_OWNER)
    with pytest.raises(AuthError, match="wrong"):
        runtime.gateway.invoke(
            "gateway.users.login",
            {"email": "bo@example.org", "password": "not the password"},
            LOCAL_OWNER,
        )
    key = runtime.gateway.invoke(
        "gateway.users.login",
        {"email": "bo@example.org", "password": "correct horse battery staple"},
        LOCAL_OWNER,
    ).result
    assert runtime.keys.authenticate(key["key"]).tier is Tier.PUBLIC  # e-mail never confirmed


def test_signing_out_revokes_only_the_key_given(rt: Env) -> None:
    runtime = rt.runtime
    _account(runtime, "di@example.org")
    login = {"email": "di@example.org", "password": PASSWORD}
    laptop = runtime.gateway.invoke("gateway.users.login", login, LOCAL_OWNER).result["key"]
    phone = runtime.gateway.invoke("gateway.users.login", login, LOCAL_OWNER).result["key"]
    who = runtime.keys.authenticate(laptop)
    out = runtime.gateway.invoke("gateway.users.logout", {"key": laptop}, who).result
    assert out == {"id": laptop.split("_")[1], "revoked": True}
    with pytest.raises(AuthError, match="revoked"):
        runtime.keys.authenticate(laptop)
    assert runtime.keys.authenticate(phone).user == who.user  # the other sign-in lives on
    with pytest.raises(AuthError, match="revoked"):  # twice: nothing left to end
        runtime.gateway.invoke("gateway.users.logout", {"key": laptop}, who)
    with pytest.raises(AuthError):  # a made-up key with a real key's id revokes nothing
        runtime.gateway.invoke(
            "gateway.users.logout", {"key": f"swk_{phone.split('_')[1]}_guess"}, who
        )
    runtime.keys.authenticate(phone)
    raw = b"".join(runtime.ledger.entries())
    assert laptop.encode() not in raw
    assert phone.split("_")[2].encode() not in raw
    signed_out = [e for e in _entries(runtime) if e.get("capability") == "gateway.users.logout"]
    assert signed_out
    assert {e["principal"]["id"] for e in signed_out} == {who.id}


def test_passwords_never_reach_the_ledger(rt: Env) -> None:
    runtime = rt.runtime
    runtime.gateway.invoke(
        "gateway.users.create",
        {"email": "cy@example.org", "name": "Cy", "password": "correct horse battery staple"},
        LOCAL_OWNER,
    )
    from shieldwall.gateway import json_digest

    entry = next(e for e in _entries(runtime) if e.get("capability") == "gateway.users.create")
    with_secret = json_digest(
        {"email": "cy@example.org", "name": "Cy", "password": "correct horse battery staple"}
    )
    redacted = json_digest({"email": "cy@example.org", "name": "Cy", "password": "[secret]"})
    assert entry["request_sha256"] == redacted != with_secret
    raw = b"".join(runtime.ledger.entries())
    assert b"correct horse" not in raw


def test_held_request_runs_once_approved_by_another_approver(
    rt: Env, smtp: tuple[int, Inbox]
) -> None:
    runtime = rt.runtime
    alice = _verified_user(runtime, smtp[1], "alice@example.org")
    bob = _verified_user(runtime, smtp[1], "bob@example.org")
    mallory = _verified_user(runtime, smtp[1], "mallory@example.org")
    org = runtime.gateway.invoke("gateway.orgs.create", {"name": "Clinic"}, alice).result
    runtime.gateway.invoke(
        "gateway.orgs.add_member",
        {"org_id": org["org_id"], "user_id": bob.user, "role": "approver"},
        alice,
    )
    alice = runtime.identities.principal(alice.user or "")

    with pytest.raises(HeldError) as held:
        runtime.gateway.invoke("demo.risky", {"text": "scan our mail server"}, alice)
    approval_id = held.value.details["approval_id"]
    assert rt.ran == []

    with pytest.raises(DeniedError, match="own request"):
        runtime.gateway.invoke("gateway.approvals.approve", {"id": approval_id}, alice)
    with pytest.raises(DeniedError, match="not an approver"):
        runtime.gateway.invoke("gateway.approvals.approve", {"id": approval_id}, mallory)

    bob = runtime.identities.principal(bob.user or "")
    pending = runtime.gateway.invoke("gateway.approvals.list", {}, bob).result
    assert [a["id"] for a in pending] == [approval_id]
    done = runtime.gateway.invoke(
        "gateway.approvals.approve", {"id": approval_id, "reason": "planned audit"}, bob
    ).result
    assert done["result"] == {"echo": "scan our mail server"}
    assert rt.ran == [("demo.risky", "scan our mail server")]
    with pytest.raises(InputError, match="already approved"):
        runtime.gateway.invoke("gateway.approvals.approve", {"id": approval_id}, bob)

    answers = [e for e in _entries(runtime) if e["kind"] == "approval"]
    assert [a["answer"] for a in answers] == ["refused", "refused", "approve", "approve"][:3] or [
        a["answer"] for a in answers
    ][:3] == ["refused", "refused", "approve"]
    outcome = runtime.ledger.entry(done["outcome_index"])
    assert json.loads(outcome)["status"] == "ok"


def test_quota_throttles_and_recovers_next_minute(rt: Env, smtp: tuple[int, Inbox]) -> None:
    runtime, clock = rt.runtime, rt.clock
    user = _verified_user(runtime, smtp[1], "dee@example.org")
    for _ in range(2):
        runtime.gateway.invoke("demo.limited", {"text": "x"}, user)
    with pytest.raises(ThrottledError) as err:
        runtime.gateway.invoke("demo.limited", {"text": "x"}, user)
    assert err.value.http_status == 429
    assert _entries(runtime)[err.value.details["ledger_index"]]["decision"] == "throttle"
    clock.moment += timedelta(minutes=1)
    runtime.gateway.invoke("demo.limited", {"text": "x"}, user)


def test_kill_switch_binds_at_once(rt: Env, smtp: tuple[int, Inbox]) -> None:
    runtime = rt.runtime
    user = _verified_user(runtime, smtp[1], "eve@example.org")
    runtime.gateway.invoke(
        "gateway.disable",
        {"kind": "capability", "target": "demo.echo", "reason": "incident 42"},
        LOCAL_OWNER,
    )
    with pytest.raises(DeniedError, match="incident 42"):
        runtime.gateway.invoke("demo.echo", {}, user)
    runtime.gateway.invoke(
        "gateway.enable", {"kind": "capability", "target": "demo.echo"}, LOCAL_OWNER
    )
    runtime.gateway.invoke("demo.echo", {}, user)
    runtime.gateway.invoke(
        "gateway.disable",
        {"kind": "principal", "target": user.id, "reason": "stolen laptop"},
        LOCAL_OWNER,
    )
    with pytest.raises(DeniedError, match="stolen laptop"):
        runtime.gateway.invoke("demo.echo", {}, user)
    with pytest.raises(DeniedError, match="cannot be switched off"):
        runtime.gateway.invoke(
            "gateway.disable",
            {"kind": "capability", "target": "gateway.enable", "reason": "x"},
            LOCAL_OWNER,
        )


class Labels:
    def screen(self, text: str) -> Screening:
        label = (
            "malicious" if "ransomware" in text else "dual_use" if "exploit" in text else "benign"
        )
        return Screening(label=label, score=0.9, tactic="impact" if label == "malicious" else None)


def test_dual_use_needs_tier_two_or_an_approver(rt: Env, smtp: tuple[int, Inbox]) -> None:
    runtime = rt.runtime
    runtime.gateway._screener = Labels()  # the trained model is tested on its own
    user = _verified_user(runtime, smtp[1], "fay@example.org")
    runtime.gateway.invoke("demo.echo", {"text": "summarise this alert"}, user)
    with pytest.raises(HeldError, match="dual use"):
        runtime.gateway.invoke("demo.echo", {"text": "validate this exploit"}, user)
    org_user = Principal(id=user.id, kind=user.kind, tier=Tier.VERIFIED_ORG, user=user.user)
    runtime.gateway.invoke("demo.echo", {"text": "validate this exploit"}, org_user)
    with pytest.raises(DeniedError, match="malicious"):
        runtime.gateway.invoke("demo.echo", {"text": "write ransomware"}, LOCAL_OWNER)


def test_policy_file_errors_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "p.json"
    bad.write_text('{"version": 1, "rules": [], "quotas": [{"per_minute": -1}]}')
    with pytest.raises(InputError) as err:
        Policy.load(bad)
    assert err.value.location == f"{bad}:quotas.0.per_minute"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(email=st.text(max_size=80), name=st.text(max_size=40))
def test_account_fields_are_validated_without_crashing(rt: Env, email: str, name: str) -> None:
    try:
        made = rt.runtime.identities.create_user(email=email, name=name)
    except InputError:
        return
    assert "@" in made.email
    assert made.email == made.email.lower()


def test_verification_tokens_never_start_with_a_dash(rt: Env) -> None:
    """Regression: a token_urlsafe token starting with '-' was read by the CLI as an option."""
    made = rt.runtime.identities.create_user(email="dash@example.org", name="Dash")
    tokens = [rt.runtime.identities.start_email_verification(made.id) for _ in range(200)]
    assert not [t for t in tokens if t.startswith("-")]
