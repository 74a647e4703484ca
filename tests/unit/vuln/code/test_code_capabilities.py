"""The capabilities' rules: vuln.patch is the local owner's; vuln.code takes a path only from
the local owner, and files' text from anyone at tier 1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shieldwall.core.errors import DeniedError
from shieldwall.core.settings import Settings
from shieldwall.core.types import (
    LOCAL_OWNER,
    CapabilityId,
    Decision,
    DecisionKind,
    InvocationContext,
    Principal,
    PrincipalId,
    PrincipalKind,
    Tier,
)
from shieldwall.gateway.policy import Policy
from shieldwall.vuln.code.capabilities import CodeRequest, PatchRequest, vuln_code_capabilities

KEY_USER = Principal(id=PrincipalId("key:1"), kind=PrincipalKind.API_KEY, tier=Tier.VETTED_DEFENDER)


def _ctx(principal: Principal, capability: str) -> InvocationContext:
    return InvocationContext(
        principal=principal,
        capability=CapabilityId(capability),
        decision=Decision(kind=DecisionKind.ALLOW, reasons=()),
        decision_index=None,
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _caps(tmp_path):  # type: ignore[no-untyped-def]
    return {c.id: c for c in vuln_code_capabilities(settings=Settings(home=tmp_path))}


def test_the_default_policy_keeps_vuln_patch_for_the_local_owner(tmp_path) -> None:  # type: ignore[no-untyped-def]
    caps = _caps(tmp_path)
    policy = Policy.default()
    assert policy.evaluate(caps["vuln.patch"], KEY_USER).kind is DecisionKind.REFUSE
    assert policy.evaluate(caps["vuln.patch"], LOCAL_OWNER).kind is DecisionKind.ALLOW
    assert policy.evaluate(caps["vuln.code"], KEY_USER).kind is DecisionKind.ALLOW
    assert caps["vuln.patch"].writes


def test_handlers_refuse_paths_from_remote_principals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    caps = _caps(tmp_path)
    with pytest.raises(DeniedError) as err:
        caps["vuln.code"].handler(CodeRequest(path=str(tmp_path)), _ctx(KEY_USER, "vuln.code"))
    assert err.value.code == "vuln.local_only"
    with pytest.raises(DeniedError):
        caps["vuln.patch"].handler(
            PatchRequest(path=str(tmp_path), all=True), _ctx(KEY_USER, "vuln.patch")
        )


def test_files_sent_as_text_are_analysed_for_remote_principals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    caps = _caps(tmp_path)
    files = {"pkg/h.py": "import hashlib\nh = hashlib.md5(b'x')\n"}
    request = CodeRequest(files=files, analysers=["bandit"], sarif=True)
    result = caps["vuln.code"].handler(request, _ctx(KEY_USER, "vuln.code"))
    assert [f["rule"] for f in result["findings"]] == ["bandit.B324"]
    assert result["root"] == "(request)"
    assert (
        result["sarif"]["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "artifactLocation"
        ]["uri"]
        == "pkg/h.py"
    )
