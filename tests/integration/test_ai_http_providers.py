"""The OpenAI and compatible adapters, through the real SDK and real HTTP, against the stand-in.

The stand-in (tests/integration/openai_standin.py) is imported by name: this folder has no
``__init__.py``, so pytest's default "prepend" import mode puts it on ``sys.path``.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import openai
import pytest
from openai_standin import (
    STANDIN_MODEL,
    Delay,
    ErrorReply,
    OpenAIStandIn,
    RawReply,
    Reply,
    ScriptedToolCall,
)

from shieldwall.ai import (
    ChatMessage,
    CompatibleProvider,
    ModelProvider,
    OpenAIProvider,
    Role,
    ToolSpec,
    UsageMeter,
    UsageTotals,
    provider_from_settings,
)
from shieldwall.core.errors import ProviderError
from shieldwall.core.settings import Settings

KEY = "sk-standin-test"

LOOKUP = ToolSpec(
    name="lookup_host",
    description="Look up what Shieldwall knows about a host.",
    parameters={
        "type": "object",
        "properties": {"host": {"type": "string"}},
        "required": ["host"],
    },
)
QUESTION = (
    ChatMessage(role=Role.SYSTEM, content="You are a careful analyst."),
    ChatMessage(role=Role.USER, content="Is 203.0.113.7 known?"),
)


@pytest.fixture
def standin() -> Iterator[OpenAIStandIn]:
    with OpenAIStandIn() as server:
        yield server


def _openai(standin: OpenAIStandIn, **kwargs: Any) -> ModelProvider:
    kwargs = {"timeout_s": 5.0, "max_retries": 0} | kwargs
    return OpenAIProvider(api_key=KEY, model=STANDIN_MODEL, base_url=standin.base_url, **kwargs)


def _compatible(standin: OpenAIStandIn, **kwargs: Any) -> ModelProvider:
    kwargs = {"timeout_s": 5.0, "max_retries": 0, "api_key": KEY} | kwargs
    return CompatibleProvider(base_url=standin.base_url, model=STANDIN_MODEL, **kwargs)


BOTH = pytest.mark.parametrize("make", [_openai, _compatible], ids=["openai", "compatible"])


@BOTH
def test_text_completion_sends_the_openai_request(
    standin: OpenAIStandIn, make: Callable[..., ModelProvider]
) -> None:
    standin.script(Reply(text="Yes: it is on two blocklists.", usage=(21, 8)))
    provider = make(standin)

    completion = provider.complete(QUESTION, max_tokens=50, temperature=0.2)

    assert completion.text == "Yes: it is on two blocklists."
    assert completion.tool_calls == ()
    assert completion.finish_reason == "stop"
    assert completion.model == STANDIN_MODEL
    assert completion.provider == provider.name
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (21, 8)
    assert completion.usage.total_tokens == 29
    assert not completion.usage.estimated
    (sent,) = standin.chat_requests
    assert sent.method == "POST"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.body["model"] == STANDIN_MODEL
    assert sent.body["temperature"] == 0.2
    assert sent.body["messages"] == [
        {"role": "system", "content": "You are a careful analyst."},
        {"role": "user", "content": "Is 203.0.113.7 known?"},
    ]
    assert "tools" not in sent.body
    limit_field = "max_completion_tokens" if provider.name == "openai" else "max_tokens"
    assert sent.body[limit_field] == 50
    assert len([k for k in sent.body if k in ("max_tokens", "max_completion_tokens")]) == 1


@BOTH
def test_tool_calls_round_trip(standin: OpenAIStandIn, make: Callable[..., ModelProvider]) -> None:
    arguments = json.dumps({"host": "203.0.113.7"})
    standin.script(
        Reply(tool_calls=(ScriptedToolCall(id="call_7", name="lookup_host", arguments=arguments),)),
        Reply(text="It is a known scanner."),
    )
    provider = make(standin)

    first = provider.complete(QUESTION, tools=[LOOKUP])
    assert first.finish_reason == "tool_calls"
    (call,) = first.tool_calls
    assert (call.id, call.name) == ("call_7", "lookup_host")
    assert call.parsed_arguments() == {"host": "203.0.113.7"}
    conversation = [*QUESTION, first.as_message(), call.result_message('{"listed": true}')]
    second = provider.complete(conversation, tools=[LOOKUP])

    assert second.text == "It is a known scanner."
    asked, answered = standin.chat_requests
    assert asked.body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "lookup_host",
                "description": LOOKUP.description,
                "parameters": dict(LOOKUP.parameters),
            },
        }
    ]
    assert answered.body["messages"][2:] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_7",
                    "type": "function",
                    "function": {"name": "lookup_host", "arguments": arguments},
                }
            ],
        },
        {"role": "tool", "content": '{"listed": true}', "tool_call_id": "call_7"},
    ]


def test_usage_is_metered_per_provider_and_model(standin: OpenAIStandIn) -> None:
    meter = UsageMeter()
    standin.script(
        Reply(text="one", usage=(10, 2)),
        Reply(text="two", usage=(30, 4), model="standin-large"),
        Reply(text="three", usage=(5, 1)),
        ErrorReply(status=401, message="Incorrect API key provided", type="invalid_request_error"),
    )
    openai_provider = _openai(standin, meter=meter)
    compatible = _compatible(standin, meter=meter)

    openai_provider.complete(QUESTION)
    openai_provider.complete(QUESTION, model="standin-large")
    compatible.complete(QUESTION)
    with pytest.raises(ProviderError):
        compatible.complete(QUESTION)

    assert meter.snapshot() == (
        UsageTotals(
            provider="compatible",
            model=STANDIN_MODEL,
            calls=1,
            errors=1,
            prompt_tokens=5,
            completion_tokens=1,
            total_tokens=6,
        ),
        UsageTotals(
            provider="openai",
            model="standin-large",
            calls=1,
            prompt_tokens=30,
            completion_tokens=4,
            total_tokens=34,
        ),
        UsageTotals(
            provider="openai",
            model=STANDIN_MODEL,
            calls=1,
            prompt_tokens=10,
            completion_tokens=2,
            total_tokens=12,
        ),
    )


def test_a_server_without_usage_gets_an_estimate(standin: OpenAIStandIn) -> None:
    standin.script(Reply(text="three words here", usage=None))

    completion = _compatible(standin).complete(QUESTION)

    assert completion.usage.estimated
    assert completion.usage.completion_tokens == 3
    assert completion.usage.prompt_tokens == 8  # words in the two messages of QUESTION


@BOTH
def test_a_server_error_is_retried(
    standin: OpenAIStandIn, make: Callable[..., ModelProvider]
) -> None:
    standin.script(
        ErrorReply(status=500, message="The server had an error", type="server_error"),
        Reply(text="recovered"),
    )

    completion = make(standin, max_retries=1).complete(QUESTION)

    assert completion.text == "recovered"
    assert len(standin.chat_requests) == 2
    assert standin.chat_requests[1].headers["x-stainless-retry-count"] == "1"


def test_retries_give_up_with_ai_unavailable(standin: OpenAIStandIn) -> None:
    failure = ErrorReply(status=503, message="overloaded", type="server_error")
    standin.script(failure, failure)

    with pytest.raises(ProviderError) as caught:
        _openai(standin, max_retries=1).complete(QUESTION)

    assert caught.value.code == "ai.unavailable"
    assert "overloaded" in caught.value.message
    assert len(standin.chat_requests) == 2


@BOTH
def test_401_is_ai_auth(standin: OpenAIStandIn, make: Callable[..., ModelProvider]) -> None:
    standin.script(
        ErrorReply(
            status=401,
            message="Incorrect API key provided: sk-stan***test.",
            code="invalid_api_key",
        )
    )

    with pytest.raises(ProviderError) as caught:
        make(standin, max_retries=2).complete(QUESTION)

    error = caught.value
    assert error.code == "ai.auth"
    assert "Incorrect API key provided" in error.message
    assert error.hint is not None
    assert "SHIELDWALL_AI_API_KEY" in error.hint
    assert error.details["status"] == 401
    assert isinstance(error.__cause__, openai.AuthenticationError)
    assert len(standin.chat_requests) == 1  # a 401 is not retried


def test_429_is_ai_rate_limited_with_a_quota_hint(standin: OpenAIStandIn) -> None:
    standin.script(
        ErrorReply(
            status=429,
            message="You exceeded your current quota.",
            type="insufficient_quota",
            code="insufficient_quota",
        )
    )

    with pytest.raises(ProviderError) as caught:
        _openai(standin).complete(QUESTION)

    assert caught.value.code == "ai.rate_limited"
    assert caught.value.hint is not None
    assert "quota" in caught.value.hint


def test_404_is_ai_not_found(standin: OpenAIStandIn) -> None:
    standin.script(ErrorReply(status=404, message="The model `nope` does not exist"))

    with pytest.raises(ProviderError) as caught:
        _compatible(standin).complete(QUESTION, model="nope")

    assert caught.value.code == "ai.not_found"
    assert standin.chat_requests[0].body["model"] == "nope"


@BOTH
def test_a_slow_server_is_ai_timeout(
    standin: OpenAIStandIn, make: Callable[..., ModelProvider]
) -> None:
    standin.script(Delay(seconds=5.0, then=Reply(text="too late")))
    provider = make(standin, timeout_s=0.5, max_retries=0)

    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        provider.complete(QUESTION)

    assert caught.value.code == "ai.timeout"
    assert "0.5 s" in caught.value.message
    assert isinstance(caught.value.__cause__, openai.APITimeoutError)
    assert time.monotonic() - started < 4.0


@BOTH
def test_malformed_json_is_ai_bad_response(
    standin: OpenAIStandIn, make: Callable[..., ModelProvider]
) -> None:
    standin.script(RawReply(body=b'{"choices": [{"message": '))

    with pytest.raises(ProviderError) as caught:
        make(standin).complete(QUESTION)

    assert caught.value.code == "ai.bad_response"
    assert caught.value.details["excerpt"].startswith('{"choices"')


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"object": "chat.completion", "choices": []}', "application/json"),
        (b'{"choices": [{"message": {"content": 42}}]}', "application/json"),
        (b"<html>gateway</html>", "text/html"),
    ],
    ids=["no-choices", "content-not-text", "html"],
)
def test_wrong_shapes_are_ai_bad_response(
    standin: OpenAIStandIn, body: bytes, content_type: str
) -> None:
    standin.script(RawReply(body=body, content_type=content_type))

    with pytest.raises(ProviderError) as caught:
        _compatible(standin).complete(QUESTION)

    assert caught.value.code == "ai.bad_response"


def test_no_server_is_ai_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider = CompatibleProvider(
        base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout_s=2.0, max_retries=0
    )

    with pytest.raises(ProviderError) as caught:
        provider.complete(QUESTION)

    assert caught.value.code == "ai.unavailable"
    assert isinstance(caught.value.__cause__, openai.APIConnectionError)


def test_compatible_never_sends_openai_credentials_from_the_environment(
    standin: OpenAIStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-users-real-openai-key")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-users-real-org")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-users-real-project")
    standin.script(Reply(text="ok"))

    CompatibleProvider(base_url=standin.base_url, model=STANDIN_MODEL, max_retries=0).complete(
        QUESTION
    )

    (sent,) = standin.chat_requests
    assert "authorization" not in sent.headers
    assert "openai-organization" not in sent.headers
    assert "openai-project" not in sent.headers
    assert not any("users-real" in value for value in sent.headers.values())


def test_openai_provider_reads_the_organization_like_the_sdk(
    standin: OpenAIStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_ORG_ID", "org-standin")
    standin.script(Reply(text="ok"))

    _openai(standin).complete(QUESTION)

    assert standin.chat_requests[0].headers["openai-organization"] == "org-standin"


def test_list_models() -> None:
    with OpenAIStandIn(models=("b-model", "a-model")) as server:
        provider = CompatibleProvider(base_url=server.base_url, model="a-model", max_retries=0)
        assert provider.list_models() == ("a-model", "b-model")
        assert server.requests[0].path == "/v1/models"


def test_settings_choose_the_compatible_adapter(standin: OpenAIStandIn) -> None:
    settings = Settings(
        ai_provider="compatible",
        ai_base_url=standin.base_url,
        ai_model="standin-from-settings",
        ai_api_key="sk-from-settings",
        ai_timeout_s=5.0,
        ai_max_retries=0,
    )
    meter = UsageMeter()
    standin.script(Reply(text="configured", model="standin-from-settings", usage=(3, 1)))

    provider = provider_from_settings(settings, meter=meter)
    completion = provider.complete([ChatMessage(role=Role.USER, content="hello")])

    assert completion.text == "configured"
    (sent,) = standin.chat_requests
    assert sent.body["model"] == "standin-from-settings"
    assert sent.headers["authorization"] == "Bearer sk-from-settings"
    assert [(t.provider, t.model, t.calls) for t in meter.snapshot()] == [
        ("compatible", "standin-from-settings", 1)
    ]
