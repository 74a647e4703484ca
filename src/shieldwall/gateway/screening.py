"""The misuse-screening port. The shipped classifier is ``screening_model.LinearScreener``;
a decision on a request with no free text records ``screening: null``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class Screening:
    label: str  # benign | dual_use | malicious
    score: float
    tactic: str | None = None


class Screener(Protocol):
    def screen(self, text: str) -> Screening: ...


class LazyScreener:
    """A screener built on first use: most commands never screen anything, and loading the
    model on every start of the CLI would be paid by all of them."""

    def __init__(self, load: Callable[[], Screener]) -> None:
        self._load = load
        self._inner: Screener | None = None
        self._lock = threading.Lock()

    def screen(self, text: str) -> Screening:
        if self._inner is None:
            with self._lock:
                if self._inner is None:
                    self._inner = self._load()
        return self._inner.screen(text)
