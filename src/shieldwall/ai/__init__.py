"""Model providers behind one port: local skills (default, no network), the OpenAI API, or any
OpenAI-compatible server. Only composition roots call :func:`provider_from_settings`."""

from shieldwall.ai.accounting import UsageMeter, UsageTotals, estimate_tokens
from shieldwall.ai.factory import provider_from_settings
from shieldwall.ai.local import LocalProvider
from shieldwall.ai.openai_api import DEFAULT_OPENAI_MODEL, CompatibleProvider, OpenAIProvider
from shieldwall.ai.provider import (
    ChatMessage,
    Completion,
    ModelProvider,
    Role,
    ToolCall,
    ToolSpec,
    Usage,
)
from shieldwall.ai.skills import (
    BUILTIN_SKILLS,
    EXPLAIN_DECISION,
    SUMMARIZE,
    TASK_PREFIX,
    Skill,
    task_messages,
)

__all__ = [
    "BUILTIN_SKILLS",
    "DEFAULT_OPENAI_MODEL",
    "EXPLAIN_DECISION",
    "SUMMARIZE",
    "TASK_PREFIX",
    "ChatMessage",
    "CompatibleProvider",
    "Completion",
    "LocalProvider",
    "ModelProvider",
    "OpenAIProvider",
    "Role",
    "Skill",
    "ToolCall",
    "ToolSpec",
    "Usage",
    "UsageMeter",
    "UsageTotals",
    "estimate_tokens",
    "provider_from_settings",
    "task_messages",
]
