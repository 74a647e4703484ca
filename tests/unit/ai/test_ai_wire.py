"""The chat-completions wire format: our values out, untrusted response bytes in."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shieldwall.ai import ChatMessage, Completion, Role, ToolCall, ToolSpec
from shieldwall.ai._wire import parse_completion, parse_model_ids, to_wire_messages
from shieldwall.core.errors import InputError, ProviderError

PROMPT = (ChatMessage(role=Role.USER, content="two words"),)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
# Bodies shaped like a completion, with any value in any place.
near_completions = st.fixed_dictionaries(
    {},
    optional={
        "model": json_values,
        "usage": json_values
        | st.fixed_dictionaries(
            {},
            optional=dict.fromkeys(
                ("prompt_tokens", "completion_tokens", "total_tokens"), json_values
            ),
        ),
        "choices": json_values
        | st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "finish_reason": json_values,
                    "message": json_values
                    | st.fixed_dictionaries(
                        {},
                        optional={
                            "content": json_values,
                            "refusal": json_values,
                            "tool_calls": json_values
                            | st.lists(
                                st.fixed_dictionaries(
                                    {},
                                    optional={
                                        "id": json_values,
                                        "type": st.just("function") | json_values,
                                        "function": json_values
                                        | st.fixed_dictionaries(
                                            {},
                                            optional={
                                                "name": json_values,
                                                "arguments": json_values,
                                            },
                                        ),
                                    },
                                ),
                                max_size=3,
                            ),
                        },
                    ),
                },
            ),
            max_size=2,
        ),
    },
)


def _parse(body: bytes) -> Completion:
    return parse_completion(
        body, provider="compatible", requested_model="asked", prompt=PROMPT, where="http://x/v1"
    )


def _parses_or_bad_response(body: bytes) -> None:
    outcome: Completion | ProviderError
    try:
        outcome = _parse(body)
    except ProviderError as exc:
        outcome = exc
    if isinstance(outcome, ProviderError):
        assert outcome.code == "ai.bad_response"
    else:
        assert isinstance(outcome.text, str)
        assert all(isinstance(c.arguments, str) for c in outcome.tool_calls)
        assert outcome.usage.total_tokens >= 0


@given(st.binary(max_size=300))
def test_any_bytes_parse_or_raise_bad_response(body: bytes) -> None:
    _parses_or_bad_response(body)


@given(json_values)
def test_any_json_parses_or_raises_bad_response(value: object) -> None:
    _parses_or_bad_response(json.dumps(value).encode())


@given(near_completions)
def test_near_completions_parse_or_raise_bad_response(value: object) -> None:
    _parses_or_bad_response(json.dumps(value).encode())


def test_deep_nesting_is_bad_response_not_recursion_error() -> None:
    with pytest.raises(ProviderError) as caught:
        _parse(b"[" * 100_000)

    assert caught.value.code == "ai.bad_response"


def test_lenient_where_servers_differ_harmlessly() -> None:
    body = {
        "choices": [
            {
                "message": {
                    "content": None,
                    "tool_calls": [{"function": {"name": "lookup", "arguments": {"host": "h"}}}],
                }
            }
        ]
    }

    completion = _parse(json.dumps(body).encode())

    assert completion.model == "asked"
    assert completion.finish_reason == "tool_calls"
    assert completion.tool_calls == (
        ToolCall(id="call_0", name="lookup", arguments='{"host": "h"}'),
    )
    assert completion.usage.estimated
    assert completion.usage.prompt_tokens == 2


def test_an_error_object_in_a_200_is_reported() -> None:
    body = b'{"error": {"message": "model is loading"}}'

    with pytest.raises(ProviderError) as caught:
        _parse(body)

    assert "model is loading" in caught.value.message


def test_model_ids() -> None:
    body = b'{"data": [{"id": "b"}, {"id": "a"}, {"no": "id"}, 3]}'

    assert parse_model_ids(body, where="w") == ("a", "b")
    with pytest.raises(ProviderError):
        parse_model_ids(b'{"object": "list"}', where="w")


def test_messages_go_out_in_the_openai_shape() -> None:
    call = ToolCall(id="c1", name="lookup", arguments='{"host": "h"}')
    messages = [
        ChatMessage(role=Role.SYSTEM, content="s"),
        ChatMessage(role=Role.USER, content="u", name="analyst"),
        ChatMessage(role=Role.ASSISTANT, tool_calls=(call,)),
        call.result_message("r"),
        ChatMessage(role=Role.ASSISTANT, content="done"),
    ]

    assert to_wire_messages(messages) == [
        {"role": "system", "content": "s"},
        {"role": "user", "content": "u", "name": "analyst"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "lookup", "arguments": '{"host": "h"}'},
                }
            ],
        },
        {"role": "tool", "content": "r", "tool_call_id": "c1"},
        {"role": "assistant", "content": "done"},
    ]


@pytest.mark.parametrize(
    "build",
    [
        lambda: ChatMessage(role=Role.TOOL, content="r"),
        lambda: ChatMessage(role=Role.USER, content="u", tool_call_id="c1"),
        lambda: ChatMessage(role=Role.USER, tool_calls=(ToolCall(id="c", name="n"),)),
        lambda: ToolSpec(name="has space", description="d", parameters={}),
        lambda: ToolSpec(name="x" * 65, description="d", parameters={}),
    ],
    ids=["tool-without-id", "user-with-id", "user-with-calls", "space-in-name", "long-name"],
)
def test_malformed_values_are_refused(build: Callable[[], object]) -> None:
    with pytest.raises(InputError):
        build()


@pytest.mark.parametrize("arguments", ["{not json", "[1, 2]"])
def test_bad_tool_arguments_are_a_provider_error(arguments: str) -> None:
    call = ToolCall(id="c1", name="lookup", arguments=arguments)

    with pytest.raises(ProviderError) as caught:
        call.parsed_arguments()

    assert caught.value.code == "ai.bad_tool_arguments"
    assert caught.value.details == {"tool_call_id": "c1"}
