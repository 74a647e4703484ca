"""Detect, slice 1, on real data: SigmaHQ rule load rate; every EVTX record read."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from shieldwall.detect.readers import ReadReport, read_paths
from shieldwall.detect.sigma import load_rules

pytestmark = pytest.mark.eval

EVTX_ATTACK_SAMPLES_RECORDS = 8255  # per ../shared/data/README.md, measured here too


def test_sigmahq_rules_load_rate(shared_data: Path) -> None:
    load = load_rules(shared_data / "detect" / "sigma" / "rules")
    for failure in load.failures:
        print(f"NOT LOADED {failure.location}: {failure.reason}")
    print(f"loaded {load.loaded}/{load.total} = {load.load_rate:.2%}")
    assert load.total == 3141
    assert load.load_rate >= 0.995


def test_every_evtx_record_is_read(shared_data: Path) -> None:
    root = shared_data / "detect" / "logs" / "evtx" / "evtx-attack-samples"
    files = sorted(root.rglob("*.evtx"))
    report = ReadReport()
    start = time.perf_counter()
    count = sum(1 for _ in read_paths(files, report=report))
    elapsed = time.perf_counter() - start
    print(f"{count} records from {len(files)} files, {count / elapsed:,.0f} events/s")
    assert report.failed_files == 0
    assert report.skipped == 0
    assert count == EVTX_ATTACK_SAMPLES_RECORDS
    assert all(e.location for e in report.errors)
