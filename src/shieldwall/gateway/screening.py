"""The misuse-screening port. The classifier itself is built in the trusted-access work;
until then no screener is configured and every decision records ``screening: null``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, kw_only=True)
class Screening:
    label: str  # benign | dual_use | malicious
    score: float
    tactic: str | None = None


class Screener(Protocol):
    def screen(self, text: str) -> Screening: ...
