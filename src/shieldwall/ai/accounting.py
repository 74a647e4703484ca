"""Token accounting: every provider reports each call into a shared :class:`UsageMeter`."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from shieldwall.ai.provider import Usage


def estimate_tokens(texts: Iterable[str]) -> int:
    """An estimate of the tokens in ``texts``: the number of whitespace-separated words.

    Real tokenizers give roughly 1.3 tokens per English word and more for code, hashes or
    addresses, so this undercounts; it is used only where no tokenizer answered (the local
    provider, and servers that return no ``usage``), and such usage is flagged ``estimated``.
    """
    return sum(len(text.split()) for text in texts)


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageTotals:
    """Totals for one (provider, model).

    ``calls`` counts answered calls, ``errors`` failed ones; ``estimated_calls`` counts the
    answered calls whose tokens were estimated rather than reported by a tokenizer.
    """

    provider: str
    model: str
    calls: int = 0
    errors: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    estimated_calls: int = 0


class _Counter:
    __slots__ = (
        "calls",
        "completion_tokens",
        "errors",
        "estimated_calls",
        "prompt_tokens",
        "total_tokens",
    )

    def __init__(self) -> None:
        self.calls = 0
        self.errors = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.total_tokens = 0
        self.estimated_calls = 0


class UsageMeter:
    """Thread-safe running totals per (provider, model)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, str], _Counter] = {}

    def _counter(self, provider: str, model: str) -> _Counter:
        key = (provider, model)
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = _Counter()
        return counter

    def record(self, *, provider: str, model: str, usage: Usage) -> None:
        """Count one answered call and the tokens it used."""
        with self._lock:
            counter = self._counter(provider, model)
            counter.calls += 1
            counter.prompt_tokens += usage.prompt_tokens
            counter.completion_tokens += usage.completion_tokens
            counter.total_tokens += usage.total_tokens
            if usage.estimated:
                counter.estimated_calls += 1

    def record_error(self, *, provider: str, model: str) -> None:
        """Count one failed call."""
        with self._lock:
            self._counter(provider, model).errors += 1

    def snapshot(self) -> tuple[UsageTotals, ...]:
        """A copy of the totals, sorted by (provider, model)."""
        with self._lock:
            items = sorted(self._counters.items())
            return tuple(
                UsageTotals(
                    provider=provider,
                    model=model,
                    calls=c.calls,
                    errors=c.errors,
                    prompt_tokens=c.prompt_tokens,
                    completion_tokens=c.completion_tokens,
                    total_tokens=c.total_tokens,
                    estimated_calls=c.estimated_calls,
                )
                for (provider, model), c in items
            )
