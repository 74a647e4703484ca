"""The OpenAI chat-completions wire format: our values to request JSON, response bytes to ours.

Pure functions, no I/O. The response parser reads untrusted bytes from a remote server: it is
lenient where servers differ harmlessly (a missing ``usage``, ``type`` or ``finish_reason``,
tool arguments sent as an object) and raises ``ProviderError(code="ai.bad_response")`` for
anything else; no other exception escapes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, assert_never

from shieldwall.ai.accounting import estimate_tokens
from shieldwall.ai.provider import ChatMessage, Completion, Role, ToolCall, ToolSpec, Usage
from shieldwall.core.errors import ProviderError

if TYPE_CHECKING:
    from openai.types.chat import (
        ChatCompletionAssistantMessageParam,
        ChatCompletionMessageFunctionToolCallParam,
        ChatCompletionMessageParam,
        ChatCompletionToolUnionParam,
    )

_EXCERPT = 200


def to_wire_messages(messages: Sequence[ChatMessage]) -> list[ChatCompletionMessageParam]:
    wire: list[ChatCompletionMessageParam] = []
    for m in messages:
        match m.role:
            case Role.SYSTEM:
                if m.name:
                    wire.append({"role": "system", "content": m.content, "name": m.name})
                else:
                    wire.append({"role": "system", "content": m.content})
            case Role.USER:
                if m.name:
                    wire.append({"role": "user", "content": m.content, "name": m.name})
                else:
                    wire.append({"role": "user", "content": m.content})
            case Role.ASSISTANT:
                assistant: ChatCompletionAssistantMessageParam = {
                    "role": "assistant",
                    "content": m.content if m.content or not m.tool_calls else None,
                }
                if m.name:
                    assistant["name"] = m.name
                if m.tool_calls:
                    assistant["tool_calls"] = [_wire_tool_call(call) for call in m.tool_calls]
                wire.append(assistant)
            case Role.TOOL:
                wire.append(
                    {"role": "tool", "content": m.content, "tool_call_id": m.tool_call_id or ""}
                )
            case _:
                assert_never(m.role)
    return wire


def _wire_tool_call(call: ToolCall) -> ChatCompletionMessageFunctionToolCallParam:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments},
    }


def to_wire_tools(tools: Sequence[ToolSpec]) -> list[ChatCompletionToolUnionParam]:
    wire: list[ChatCompletionToolUnionParam] = []
    for spec in tools:
        parameters: dict[str, object] = dict(spec.parameters)
        wire.append(
            {
                "type": "function",
                "function": {
                    "name": spec.name,
                    "description": spec.description,
                    "parameters": parameters,
                },
            }
        )
    return wire


def _bad(why: str, *, where: str, body: bytes) -> ProviderError:
    excerpt = body[:_EXCERPT].decode("utf-8", errors="replace")
    return ProviderError(
        f"the model server answered, but not in the OpenAI chat-completions format: {why}",
        code="ai.bad_response",
        hint=f"check that {where} is an OpenAI-compatible endpoint (usually ending in /v1) "
        "and that the model supports chat completions",
        details={"excerpt": excerpt},
    )


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _parse_tool_call(n: int, raw: object, fail: Callable[[str], ProviderError]) -> ToolCall:
    if not isinstance(raw, dict):
        raise fail(f"tool_calls[{n}] is not an object")
    if raw.get("type", "function") != "function":
        raise fail(f"tool_calls[{n}] has unsupported type {raw.get('type')!r}")
    function = raw.get("function")
    if not isinstance(function, dict) or not isinstance(function.get("name"), str):
        raise fail(f"tool_calls[{n}].function has no name")
    arguments = function.get("arguments", "{}")
    if isinstance(arguments, dict):  # some servers send an object instead of JSON text
        arguments = json.dumps(arguments, ensure_ascii=False)
    if not isinstance(arguments, str):
        raise fail(f"tool_calls[{n}].function.arguments is not a string")
    call_id = raw.get("id")
    if not isinstance(call_id, str) or not call_id:
        call_id = f"call_{n}"
    return ToolCall(id=call_id, name=function["name"], arguments=arguments)


def parse_completion(
    body: bytes,
    *,
    provider: str,
    requested_model: str,
    prompt: Sequence[ChatMessage],
    where: str,
) -> Completion:
    """The first choice of a chat-completions response body."""

    def fail(why: str) -> ProviderError:
        return _bad(why, where=where, body=body)

    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise fail(f"the body is not JSON ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise fail("the body is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices:
        error = data.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            raise fail(f"the server reported an error: {error['message']}")
        raise fail("there are no choices")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(message, dict):
        raise fail("choices[0].message is missing")
    content = message.get("content")
    if content is None:
        refusal = message.get("refusal")
        content = refusal if isinstance(refusal, str) else ""
    if not isinstance(content, str):
        raise fail("choices[0].message.content is not a string")
    raw_calls = message.get("tool_calls") or []
    if not isinstance(raw_calls, list):
        raise fail("choices[0].message.tool_calls is not a list")
    calls = tuple(_parse_tool_call(n, raw, fail) for n, raw in enumerate(raw_calls))
    finish_reason = choice.get("finish_reason")
    if not isinstance(finish_reason, str) or not finish_reason:
        finish_reason = "tool_calls" if calls else "stop"
    model = data.get("model")
    return Completion(
        text=content,
        tool_calls=calls,
        finish_reason=finish_reason,
        model=model if isinstance(model, str) and model else requested_model,
        usage=_parse_usage(data.get("usage"), prompt=prompt, content=content, calls=calls),
        provider=provider,
    )


def _parse_usage(
    raw: object, *, prompt: Sequence[ChatMessage], content: str, calls: Sequence[ToolCall]
) -> Usage:
    if isinstance(raw, Mapping):
        prompt_tokens = _count(raw.get("prompt_tokens"))
        completion_tokens = _count(raw.get("completion_tokens"))
        if prompt_tokens is not None and completion_tokens is not None:
            total = _count(raw.get("total_tokens"))
            return Usage(
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                total_tokens=total if total is not None else prompt_tokens + completion_tokens,
            )
    prompt_tokens = estimate_tokens(m.content for m in prompt)
    completion_tokens = estimate_tokens([content, *(c.arguments for c in calls)])
    return Usage(
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        total_tokens=prompt_tokens + completion_tokens,
        estimated=True,
    )


def parse_model_ids(body: bytes, *, where: str) -> tuple[str, ...]:
    """The ids in a ``GET /models`` response body, sorted."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise _bad("the model list is not JSON", where=where, body=body) from exc
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise _bad("the model list has no data array", where=where, body=body)
    ids = [e.get("id") for e in entries if isinstance(e, dict)]
    return tuple(sorted(i for i in ids if isinstance(i, str)))
