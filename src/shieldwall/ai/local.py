"""The default provider: no network, no model, the same answer every time.

It is not a language model and does not pretend to be one. It answers only the named tasks of
:mod:`shieldwall.ai.skills` (see the request convention there), by rendering templates over the
task's JSON input. A free-form chat or an unknown task is refused with a hint to configure a
real model. It never calls tools. Token counts are estimates (see
:func:`~shieldwall.ai.accounting.estimate_tokens`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final

from shieldwall.ai.accounting import UsageMeter, estimate_tokens
from shieldwall.ai.provider import ChatMessage, Completion, ToolSpec, Usage
from shieldwall.ai.skills import BUILTIN_SKILLS, Skill, task_name, task_payload
from shieldwall.core.errors import InputError, ProviderError, ShieldwallError

_WORD = re.compile(r"\S+")
_FREE_FORM_HINT = "configure SHIELDWALL_AI_PROVIDER=openai|compatible for free-form chat"


class LocalProvider:
    """Renders the answers of registered skills deterministically."""

    name: Final = "local"

    def __init__(
        self, *, skills: Iterable[Skill] = BUILTIN_SKILLS, meter: UsageMeter | None = None
    ) -> None:
        self._skills: dict[str, Skill] = {}
        for skill in skills:
            if skill.name in self._skills:
                raise InputError(f"two local skills are named {skill.name!r}", code="ai.config")
            self._skills[skill.name] = skill
        self._meter = meter

    @property
    def skills(self) -> tuple[str, ...]:
        """The names of the tasks this provider answers, sorted."""
        return tuple(sorted(self._skills))

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        model: str | None = None,
        max_tokens: int | None = None,
        temperature: float = 0.0,
        tools: Sequence[ToolSpec] | None = None,
    ) -> Completion:
        """Render the task named in ``messages``; ``model``, ``temperature`` and ``tools`` are
        ignored (there is no model to choose, nothing random, and no tool is ever called)."""
        task = task_name(messages)
        metered_model = f"skill:{task}" if task else "skill:none"
        try:
            completion = self._render(task, messages, max_tokens)
        except ShieldwallError:
            if self._meter is not None:
                self._meter.record_error(provider=self.name, model=metered_model)
            raise
        if self._meter is not None:
            self._meter.record(provider=self.name, model=completion.model, usage=completion.usage)
        return completion

    def _render(
        self, task: str | None, messages: Sequence[ChatMessage], max_tokens: int | None
    ) -> Completion:
        known = ", ".join(self.skills) or "none"
        if task is None:
            raise ProviderError(
                "the local provider answers only named tasks, not free-form chat",
                code="ai.unsupported",
                hint=f"request one of its tasks ({known}) with Skill.messages(), or "
                + _FREE_FORM_HINT,
            )
        skill = self._skills.get(task)
        if skill is None:
            raise ProviderError(
                f"the local provider has no task named {task!r} (it knows: {known})",
                code="ai.unknown_task",
                hint=_FREE_FORM_HINT,
            )
        if max_tokens is not None and max_tokens < 1:
            raise InputError("max_tokens must be at least 1", code="ai.task_input")
        text = skill.render(task_payload(task, messages), max_tokens)
        finish_reason = "stop"
        if max_tokens is not None:
            ends = [m.end() for m in _WORD.finditer(text)]
            if len(ends) > max_tokens:
                text = text[: ends[max_tokens - 1]]
                finish_reason = "length"
        prompt_tokens = estimate_tokens(m.content for m in messages)
        completion_tokens = estimate_tokens([text])
        usage = Usage(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
            estimated=True,
        )
        return Completion(
            text=text,
            finish_reason=finish_reason,
            model=f"skill:{skill.name}",
            usage=usage,
            provider=self.name,
        )
