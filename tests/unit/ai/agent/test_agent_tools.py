"""Tools are generated from capability declarations; the allow-lists decide which."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from shieldwall.ai.agent.tools import (
    PROPOSE_TOOL,
    ToolPolicy,
    bind_arguments,
    build_toolbox,
    input_schema,
    tool_name,
)
from shieldwall.core.types import Capability, CapabilityId, InvocationContext, Tier
from shieldwall.gateway import CapabilityRegistry


class UrlIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2048, description="The link.")


class PasswordIn(BaseModel):
    password: SecretStr


class AddIn(BaseModel):
    collection: str
    objects: list[dict[str, Any]]


def _handler(_req: BaseModel, _ctx: InvocationContext) -> dict[str, Any]:
    return {}


def _cap(cid: str, model: type[BaseModel] = UrlIn, **kw: Any) -> Capability[Any]:
    return Capability(
        id=CapabilityId(cid),
        description=f"{cid} does a thing.",
        min_tier=kw.pop("tier", Tier.PUBLIC),
        input_model=model,
        handler=_handler,
        **kw,
    )


@pytest.fixture
def registry() -> CapabilityRegistry:
    return CapabilityRegistry(
        [
            _cap("protect.url"),
            _cap("protect.password", PasswordIn, secret_fields=("password",)),
            _cap("protect.active_scan", touches_external=True),
            _cap("intel.objects.add", AddIn, writes=True, tier=Tier.VERIFIED_INDIVIDUAL),
            _cap("ledger.append", AddIn, writes=True),
            _cap("ledger.entries"),
            _cap("gateway.keys.create"),
        ]
    )


def test_tool_schemas_come_from_the_input_model(registry: CapabilityRegistry) -> None:
    box = build_toolbox(registry, ToolPolicy())

    url = box.for_capability("protect.url")
    assert url is not None
    assert url.name == "protect_url"
    assert url.parameters == {k: v for k, v in UrlIn.model_json_schema().items() if k != "title"}
    assert url.parameters["additionalProperties"] is False
    assert url.parameters["properties"]["url"]["maxLength"] == 2048
    assert "protect.url does a thing." in url.description
    assert url.to_openai() == {
        "type": "function",
        "function": {
            "name": "protect_url",
            "description": url.description,
            "parameters": url.parameters,
        },
    }
    neutral = url.to_neutral()
    assert neutral["inputSchema"] == url.parameters
    assert neutral["capability"] == "protect.url"
    assert url.spec().name == "protect_url"


def test_only_read_only_allow_listed_capabilities_are_tools(registry: CapabilityRegistry) -> None:
    box = build_toolbox(registry, ToolPolicy())

    assert [t.capability for t in box.tools] == ["ledger.entries", "protect.url"]
    assert box.proposable == ("intel.objects.add",)
    assert [t.name for t in box.all()][-1] == PROPOSE_TOOL
    propose = box.by_name(PROPOSE_TOOL)
    assert propose is not None
    assert propose.parameters["properties"]["capability"]["enum"] == ["intel.objects.add"]
    assert box.for_capability("intel.objects.add") is None  # proposable, never callable


def test_a_write_is_never_a_read_tool_whatever_the_list_says(
    registry: CapabilityRegistry,
) -> None:
    box = build_toolbox(registry, ToolPolicy(read=("*",), propose=()))
    capabilities = {t.capability for t in box.tools}
    assert "ledger.append" not in capabilities
    assert "intel.objects.add" not in capabilities
    assert "protect.password" not in capabilities  # carries a secret
    assert "protect.active_scan" not in capabilities  # touches external assets
    assert "gateway.keys.create" in capabilities  # what a wide list allows, the door decides
    assert box.proposable == ()


def test_narrowing_never_widens(registry: CapabilityRegistry) -> None:
    narrow = ToolPolicy().narrowed(["protect.*", "gateway.*"])
    box = build_toolbox(registry, narrow)
    assert [t.capability for t in box.tools] == ["protect.url"]
    assert box.proposable == ()
    narrower = narrow.narrowed(["gateway.*"])
    assert build_toolbox(registry, narrower).tools == ()


def test_only_registered_capabilities_become_tools() -> None:
    box = build_toolbox(CapabilityRegistry([_cap("protect.url")]), ToolPolicy())
    assert [t.capability for t in box.tools] == ["protect.url"]
    assert not box.has("detect.incidents.get")
    assert box.first("detect.*", "protect.*") is box.for_capability("protect.url")


def test_tool_names_are_openai_safe_and_unique() -> None:
    assert tool_name("detect.incidents.get") == "detect_incidents_get"
    assert tool_name("a" * 80) == "a" * 64
    registry = CapabilityRegistry([_cap("protect.url"), _cap("protect_url")])
    box = build_toolbox(registry, ToolPolicy(read=("protect*",)))
    assert sorted(t.name for t in box.tools) == ["protect_url", "protect_url_2"]


def test_input_schema_is_an_object_schema() -> None:
    class Empty(BaseModel):
        pass

    schema = input_schema(_cap("ledger.checkpoint", Empty))
    assert schema["type"] == "object"
    assert schema["properties"] == {}


def test_arguments_are_bound_by_concept_and_refused_when_incomplete() -> None:
    schema = {
        "type": "object",
        "properties": {
            "term": {"type": "string"},
            "types": {"type": "array", "items": {"type": "string"}},
            "limit": {"type": "integer"},
        },
        "required": ["term"],
    }
    assert bind_arguments(schema, {"indicator": "198.51.100.7", "limit": 5}) == {
        "term": "198.51.100.7",
        "limit": 5,
    }
    assert bind_arguments(schema, {"limit": 5}) is None
    paths = {"type": "object", "properties": {"paths": {"type": "array"}}, "required": ["paths"]}
    assert bind_arguments(paths, {"paths": "/var/log/auth.log"}) == {"paths": ["/var/log/auth.log"]}
    optional = {
        "type": "object",
        "properties": {"since": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
    }
    assert bind_arguments(optional, {"since": None, "until": "x"}) == {}
    assert bind_arguments({"type": "object"}, {"url": "x"}) is None
