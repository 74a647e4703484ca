"""Verdicts a non-expert can act on: safe, suspicious or dangerous, a score, reasons, advice.

Every check (a link, a text message, a password) produces :class:`Signal` values: a stable
``signal`` id, a sentence for a person (``detail``) and a ``weight``. Positive weights are
warning signs and combine like independent pieces of evidence (noisy-OR:
``1 - prod(1 - w)``); negative weights are reassurances (the link is an official domain of the
brand it names) and scale the result down. The score is then cut into a verdict at fixed
thresholds, so the same signals always give the same answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SUSPICIOUS_AT = 0.35
DANGEROUS_AT = 0.7


class Verdict(StrEnum):
    SAFE = "safe"
    SUSPICIOUS = "suspicious"
    DANGEROUS = "dangerous"


@dataclass(frozen=True, slots=True, kw_only=True)
class Signal:
    """One reason: what was seen (``signal``), in plain words (``detail``), and how much it
    counts (``weight`` in [-1, 1]; negative means reassuring)."""

    signal: str
    detail: str
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"signal": self.signal, "detail": self.detail, "weight": round(self.weight, 3)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    verdict: Verdict
    score: float
    reasons: tuple[Signal, ...]
    advice: tuple[str, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return self.verdict is not Verdict.SAFE

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": str(self.verdict),
            "score": round(self.score, 3),
            "reasons": [r.to_json() for r in self.reasons],
            "advice": list(self.advice),
        }
        out.update(self.extra)
        return out


def combine(signals: Iterable[Signal]) -> float:
    """Noisy-OR of the warning signs, scaled down by each reassurance; always in [0, 1]."""
    keep_safe = 1.0
    scale = 1.0
    for s in signals:
        w = max(-1.0, min(1.0, s.weight))
        if w > 0:
            keep_safe *= 1.0 - w
        elif w < 0:
            scale *= 1.0 + w
    score = (1.0 - keep_safe) * scale
    return 0.0 if math.isnan(score) else max(0.0, min(1.0, score))


def verdict_for(score: float) -> Verdict:
    if score >= DANGEROUS_AT:
        return Verdict.DANGEROUS
    if score >= SUSPICIOUS_AT:
        return Verdict.SUSPICIOUS
    return Verdict.SAFE


def dedupe(signals: Iterable[Signal]) -> list[Signal]:
    """Keep the first of each (signal, detail) pair, strongest first, for a readable list."""
    seen: set[tuple[str, str]] = set()
    out: list[Signal] = []
    for s in sorted(signals, key=lambda s: -abs(s.weight)):
        key = (s.signal, s.detail)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def assess(
    signals: Iterable[Signal],
    *,
    advice: dict[Verdict, tuple[str, ...]],
    extra_advice: Iterable[str] = (),
    extra: dict[str, Any] | None = None,
) -> Assessment:
    """Score the signals and pick the advice for the verdict they add up to."""
    reasons = dedupe(signals)
    score = combine(reasons)
    verdict = verdict_for(score)
    tips = list(advice[verdict])
    if verdict is not Verdict.SAFE:
        tips.extend(t for t in extra_advice if t not in tips)
    return Assessment(
        verdict=verdict,
        score=score,
        reasons=tuple(reasons),
        advice=tuple(tips),
        extra=dict(extra or {}),
    )


def render_text(assessment: Assessment, *, subject: str) -> str:
    """The plain-text report the CLI prints."""
    head = {
        Verdict.SAFE: "SAFE: no warning signs found",
        Verdict.SUSPICIOUS: "SUSPICIOUS: be careful",
        Verdict.DANGEROUS: "DANGEROUS: do not trust this",
    }[assessment.verdict]
    lines = [f"{head} (score {assessment.score:.2f}) - {subject}"]
    sections = (
        ("Why:", [r for r in assessment.reasons if r.weight > 0]),
        ("Good signs:", [r for r in assessment.reasons if r.weight < 0]),
        ("Notes:", [r for r in assessment.reasons if r.weight == 0]),
    )
    for title, reasons in sections:
        if reasons:
            lines.append(title)
            lines.extend(f"  - {r.detail}" for r in reasons)
    if assessment.advice:
        lines.append("What to do:")
        lines.extend(f"  - {a}" for a in assessment.advice)
    return "\n".join(lines)
