"""Scores of a mail checker on labelled messages, shared by the e-mail evaluations and
benchmarks/protect_filters_bench.py: one definition of precision, recall, F1, false-positive rate
and recall at a given number of false positives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def rates(c: Mapping[str, int]) -> dict[str, float]:
    """Precision, recall, F1 and false-positive rate from tp/fp/fn/tn counts."""
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "fpr": fp / (fp + tn) if fp + tn else 0.0,
    }


def recall_at(scores: Sequence[float], labels: Sequence[int], false_positives: int) -> float:
    """The recall of ``score > t`` for the lowest t that flags at most ``false_positives`` ham."""
    ham = sorted((s for s, y in zip(scores, labels, strict=True) if not y), reverse=True)
    spam = [s for s, y in zip(scores, labels, strict=True) if y]
    cut = ham[false_positives] if false_positives < len(ham) else float("-inf")
    return sum(s > cut for s in spam) / len(spam) if spam else 0.0
