"""The model-provider port: chat messages in, one completion out.

Every adapter (:class:`~shieldwall.ai.local.LocalProvider`, the OpenAI API, any
OpenAI-compatible server) implements :class:`ModelProvider`. The values here mirror the
OpenAI chat-completions wire format closely enough that tool calls round-trip: a completion's
:meth:`Completion.as_message` goes back into the conversation, followed by one
:meth:`ToolCall.result_message` per call the caller ran.

Errors raised by ``complete``:

    ProviderError   ai.timeout, ai.auth, ai.rate_limited, ai.bad_response, ai.unavailable,
                    ai.rejected, ai.not_found, ai.unsupported, ai.unknown_task
    InputError      ai.config (bad provider settings), ai.message, ai.tool, ai.task_input
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from shieldwall.core.errors import InputError, ProviderError
from shieldwall.core.types import JSONValue

_TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class Role(StrEnum):
    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCall:
    """A model's request to run a tool. ``arguments`` is the JSON text the model wrote."""

    id: str
    name: str
    arguments: str = "{}"

    def parsed_arguments(self) -> dict[str, JSONValue]:
        """The arguments as a JSON object; models can write invalid JSON, so this checks."""
        try:
            value = json.loads(self.arguments)
        except ValueError as exc:
            raise ProviderError(
                f"the model's arguments for tool {self.name!r} are not JSON: {exc}",
                code="ai.bad_tool_arguments",
                hint="send the error back to the model as the tool result and let it retry",
                details={"tool_call_id": self.id},
            ) from exc
        if not isinstance(value, dict):
            raise ProviderError(
                f"the model's arguments for tool {self.name!r} are not a JSON object",
                code="ai.bad_tool_arguments",
                hint="send the error back to the model as the tool result and let it retry",
                details={"tool_call_id": self.id},
            )
        return value

    def result_message(self, content: str) -> ChatMessage:
        """The ``tool`` message that answers this call."""
        return ChatMessage(role=Role.TOOL, content=content, tool_call_id=self.id)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChatMessage:
    """One turn of a conversation.

    ``tool_calls`` is set only on assistant turns that asked for tools; ``tool_call_id`` only
    (and always) on ``tool`` turns.
    """

    role: Role
    content: str = ""
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()

    def __post_init__(self) -> None:
        if self.role is Role.TOOL and not self.tool_call_id:
            raise InputError(
                "a tool message needs the tool_call_id of the call it answers",
                code="ai.message",
                hint="build it with ToolCall.result_message(content)",
            )
        if self.role is not Role.TOOL and self.tool_call_id is not None:
            raise InputError(
                f"a {self.role} message cannot carry a tool_call_id", code="ai.message"
            )
        if self.tool_calls and self.role is not Role.ASSISTANT:
            raise InputError(f"a {self.role} message cannot carry tool calls", code="ai.message")


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolSpec:
    """A tool the model may call; ``parameters`` is a JSON Schema for its arguments."""

    name: str
    description: str
    parameters: Mapping[str, JSONValue]

    def __post_init__(self) -> None:
        if not _TOOL_NAME.fullmatch(self.name):
            raise InputError(
                f"tool name {self.name!r} is not 1-64 letters, digits, '_' or '-'",
                code="ai.tool",
                hint="the OpenAI tool-calling format allows only [A-Za-z0-9_-]{1,64}",
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage:
    """Tokens spent by one call. ``estimated`` is true when the provider did not count them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    estimated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """The model's answer: text, tool calls, or both."""

    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str
    model: str
    usage: Usage
    provider: str

    def as_message(self) -> ChatMessage:
        """This answer as the assistant turn to put back into the conversation."""
        return ChatMessage(role=Role.ASSISTANT, content=self.text, tool_calls=self.tool_calls)


class ModelProvider(Protocol):
    """Anything that completes a chat. Adapters never let a foreign exception escape."""

    @property
    def name(self) -> str:
        """A short stable name: ``local``, ``openai`` or ``compatible``."""
        ...

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        tools: Sequence[ToolSpec] | None = None,
    ) -> Completion:
        """Complete the conversation; raise ProviderError (or InputError) on failure."""
        ...
