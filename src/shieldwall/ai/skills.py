"""Named tasks ("skills") that any provider can answer, and the local provider can render.

A task request is two messages, built by :meth:`Skill.messages`:

1. a ``system`` message whose first line is ``shieldwall-task: <name>`` and whose remaining
   lines tell a language model what to do;
2. a ``user`` message holding the task input as one JSON object.

A remote model reads the instructions and the JSON like any prompt. The local provider reads
the task name from the first line and renders its answer from the JSON with plain code, the same
way every time. So a caller writes ``provider.complete(SUMMARIZE.messages({...}))`` once and it
works with every provider.

Built-in skills:

``summarize``         ``{"text": str, "max_words": int = 60}``: an extractive summary after
                      Luhn (1958). A sentence scores the summed document frequencies of its
                      distinct significant words (content words that occur more than once),
                      divided by the square root of its length. The best are kept greedily within
                      the word budget, skipping any that score 0 or add no new content word, and
                      are returned in their original order.
``explain-decision``  ``{"capability": str, "decision": "allow|downgrade|hold|refuse",
                      "reasons": [{"code": str, "message": str}], "downgraded_to": str = null}``:
                      a gateway decision in plain language.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, assert_never

from shieldwall.ai.provider import ChatMessage, Role
from shieldwall.core.errors import InputError
from shieldwall.core.types import DecisionKind, JSONValue

TASK_PREFIX = "shieldwall-task:"
MAX_SUMMARIZE_CHARS = 1_000_000

SkillRenderer = Callable[[Mapping[str, Any], int | None], str]
"""``render(payload, word_budget)``: the answer; ``word_budget`` is the caller's max_tokens."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Skill:
    """A named task: instructions for a language model and a deterministic local renderer."""

    name: str
    summary: str
    instructions: str
    render: SkillRenderer = field(repr=False)

    def messages(self, payload: Mapping[str, JSONValue]) -> tuple[ChatMessage, ChatMessage]:
        """The two messages that request this task with ``payload`` as its input."""
        return task_messages(self.name, payload, instructions=self.instructions)


def task_messages(
    task: str, payload: Mapping[str, JSONValue], *, instructions: str
) -> tuple[ChatMessage, ChatMessage]:
    """A task request in the documented convention (see the module docstring)."""
    system = f"{TASK_PREFIX} {task}\n{instructions}"
    user = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return ChatMessage(role=Role.SYSTEM, content=system), ChatMessage(role=Role.USER, content=user)


def task_name(messages: Sequence[ChatMessage]) -> str | None:
    """The task named by the first system message, or None for a free-form chat."""
    for message in messages:
        if message.role is Role.SYSTEM:
            first_line = message.content.partition("\n")[0].strip()
            if first_line.startswith(TASK_PREFIX):
                return first_line.removeprefix(TASK_PREFIX).strip()
            return None
    return None


def task_payload(task: str, messages: Sequence[ChatMessage]) -> dict[str, Any]:
    """The JSON object in the last user message."""
    users = [m for m in messages if m.role is Role.USER]
    if not users:
        raise InputError(
            f"task {task!r} has no user message with its input",
            code="ai.task_input",
            hint="build the request with Skill.messages(payload)",
        )
    try:
        payload = json.loads(users[-1].content)
    except ValueError as exc:
        raise InputError(
            f"task {task!r}: the user message is not JSON: {exc}",
            code="ai.task_input",
            hint="build the request with Skill.messages(payload)",
        ) from exc
    if not isinstance(payload, dict):
        raise InputError(f"task {task!r}: the input must be a JSON object", code="ai.task_input")
    return payload


def _field_error(task: str, key: str, wanted: str) -> InputError:
    return InputError(
        f"task {task!r}: {key!r} must be {wanted}", code="ai.task_input", location=f"{task}.{key}"
    )


def _text(task: str, payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str):
        raise _field_error(task, key, "a string")
    return value


def _positive_int(task: str, payload: Mapping[str, Any], key: str, default: int) -> int:
    value = payload.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _field_error(task, key, "a positive integer")
    return value


# --- summarize -----------------------------------------------------------------------------

# fmt: off
_STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me",
    "might", "more", "most", "must", "my", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so",
    "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
    "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
    "would", "you", "your", "yours",
})
# fmt: on
_BULLET = re.compile(r"\s*(?:[-*\u2022]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[a-z0-9](?:[a-z0-9_.:/-]*[a-z0-9])?")


def _sentences(text: str) -> list[str]:
    """Paragraphs split at blank lines, bullets kept apart, then split at sentence ends."""
    units: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines: list[list[str]] = []
        for line in paragraph.splitlines():
            if not line.strip():
                continue
            if not lines or _BULLET.match(line):
                lines.append([line.strip()])
            else:
                lines[-1].append(line.strip())
        units.extend(" ".join(parts) for parts in lines)
    return [s for unit in units for s in _SENTENCE_END.split(unit) if s.strip()]


def _content_words(sentence: str) -> list[str]:
    words = _WORD.findall(sentence.lower())
    return [w for w in words if w not in _STOPWORDS and (len(w) > 2 or any(c.isdigit() for c in w))]


def _summarize(payload: Mapping[str, Any], word_budget: int | None) -> str:
    text = _text("summarize", payload, "text")
    if len(text) > MAX_SUMMARIZE_CHARS:
        raise _field_error("summarize", "text", f"at most {MAX_SUMMARIZE_CHARS} characters")
    budget = _positive_int("summarize", payload, "max_words", 60)
    if word_budget is not None:
        budget = min(budget, word_budget)
    sentences = _sentences(text)
    lengths = [len(s.split()) for s in sentences]
    if sum(lengths) <= budget:
        return " ".join(sentences)
    content = [_content_words(s) for s in sentences]
    frequency = Counter(w for words in content for w in words)
    if any(n > 1 for n in frequency.values()):  # Luhn: only repeated words signal the topic
        frequency = Counter({w: n for w, n in frequency.items() if n > 1})
    scores = [
        sum(frequency[w] for w in set(words)) / math.sqrt(length)
        for words, length in zip(content, lengths, strict=True)
    ]
    ranked = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    covered: set[str] = set()
    used = 0
    for i in ranked:
        new_words = set(content[i]) - covered
        if scores[i] > 0 and new_words and used + lengths[i] <= budget:
            chosen.append(i)
            covered |= new_words
            used += lengths[i]
    if not chosen:
        best = sentences[ranked[0]].split()
        return " ".join(best[:budget]) + "\u2026"
    return " ".join(sentences[i] for i in sorted(chosen))


SUMMARIZE = Skill(
    name="summarize",
    summary="an extractive summary of a text within a word budget",
    instructions=(
        "Summarize the `text` field of the JSON object below in at most `max_words` words "
        "(default 60). Keep identifiers, versions, hosts and numbers exactly as written. "
        "Answer with the summary only."
    ),
    render=_summarize,
)


# --- explain-decision ----------------------------------------------------------------------


def _explain_decision(payload: Mapping[str, Any], word_budget: int | None) -> str:
    task = "explain-decision"
    capability = _text(task, payload, "capability")
    raw_kind = _text(task, payload, "decision")
    try:
        kind = DecisionKind(raw_kind)
    except ValueError as exc:
        raise _field_error(task, "decision", "one of allow, downgrade, hold, refuse") from exc
    raw_reasons = payload.get("reasons", [])
    if not isinstance(raw_reasons, list):
        raise _field_error(task, "reasons", "a list of {code, message} objects")
    reasons: list[tuple[str, str]] = []
    for n, reason in enumerate(raw_reasons):
        if not isinstance(reason, dict):
            raise _field_error(task, f"reasons[{n}]", "an object with code and message")
        reasons.append((_text(task, reason, "code"), _text(task, reason, "message")))
    target = payload.get("downgraded_to")
    if target is not None and not isinstance(target, str):
        raise _field_error(task, "downgraded_to", "a string or null")

    match kind:
        case DecisionKind.ALLOW:
            head = f"Shieldwall allowed `{capability}`: the request goes ahead as asked."
        case DecisionKind.DOWNGRADE:
            instead = f"`{target}`" if target else "a narrower capability"
            head = (
                f"Shieldwall downgraded `{capability}`: {instead} runs instead of what was asked."
            )
        case DecisionKind.HOLD:
            head = f"Shieldwall held `{capability}` for review: it has not run yet."
        case DecisionKind.THROTTLE:
            head = f"Shieldwall paused `{capability}`: this account is over its quota for now."
        case DecisionKind.REFUSE:
            head = f"Shieldwall refused `{capability}`: it did not run."
        case _:
            assert_never(kind)
    if not reasons:
        return f"{head}\nNo reason was recorded with this decision."
    lines = [head, "Because:"]
    lines.extend(f"- {message} ({code})" for code, message in reasons)
    return "\n".join(lines)


EXPLAIN_DECISION = Skill(
    name="explain-decision",
    summary="a gateway decision explained in plain language",
    instructions=(
        "The JSON object below is a decision of Shieldwall's access gateway about one "
        "capability: allow, downgrade, hold or refuse, with reasons. Explain to the person who "
        "asked, in plain language and in a few sentences, what was decided and why. Quote the "
        "reason codes. Do not speculate beyond the reasons given."
    ),
    render=_explain_decision,
)

BUILTIN_SKILLS: tuple[Skill, ...] = (SUMMARIZE, EXPLAIN_DECISION)
