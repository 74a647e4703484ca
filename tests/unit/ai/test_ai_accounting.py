"""UsageMeter: exact totals under concurrent reporting."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from shieldwall.ai import Usage, UsageMeter, UsageTotals, estimate_tokens


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond, so an unlocked read-modify-write would lose updates."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_concurrent_reports_are_all_counted() -> None:
    """Every thread reports once per model, over the same fresh models in the same order, so
    threads race both to create a model's totals and to add to them."""
    meter = UsageMeter()
    threads_n, models_n = 8, 10_000
    start = threading.Barrier(threads_n)
    usage = Usage(prompt_tokens=3, completion_tokens=2, total_tokens=5)

    def report() -> None:
        start.wait()
        for n in range(models_n):
            meter.record(provider="p", model=f"m{n:05}", usage=usage)
            meter.record_error(provider="p", model=f"m{n:05}")

    workers = [threading.Thread(target=report) for _ in range(threads_n)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert meter.snapshot() == tuple(
        UsageTotals(
            provider="p",
            model=f"m{n:05}",
            calls=threads_n,
            errors=threads_n,
            prompt_tokens=3 * threads_n,
            completion_tokens=2 * threads_n,
            total_tokens=5 * threads_n,
        )
        for n in range(models_n)
    )


def test_snapshot_is_a_sorted_copy() -> None:
    meter = UsageMeter()
    meter.record(provider="openai", model="b", usage=Usage(prompt_tokens=1, total_tokens=1))
    meter.record(provider="local", model="skill:x", usage=Usage(estimated=True))
    meter.record_error(provider="openai", model="a")

    before = meter.snapshot()
    meter.record(provider="openai", model="b", usage=Usage(prompt_tokens=1, total_tokens=1))

    assert [(t.provider, t.model) for t in before] == [
        ("local", "skill:x"),
        ("openai", "a"),
        ("openai", "b"),
    ]
    assert before[0].estimated_calls == 1
    assert (before[1].calls, before[1].errors) == (0, 1)
    assert before[2].prompt_tokens == 1
    assert meter.snapshot()[2].prompt_tokens == 2


def test_estimate_counts_whitespace_separated_words() -> None:
    assert estimate_tokens(["one two\nthree", "  ", "four\tfive"]) == 5
    assert estimate_tokens([]) == 0
