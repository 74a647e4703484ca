"""Fixtures for the code-analysis tests: Semgrep (required under CI), the rule cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shieldwall.vuln.code.semgrep import find_semgrep


@pytest.fixture(scope="session")
def semgrep_exe() -> str:
    """The Semgrep that `make` installs; CI must have it, a bare checkout may not."""
    exe = find_semgrep()
    if exe is None or not Path(exe).exists():
        if os.environ.get("CI"):
            pytest.fail("Semgrep is missing under CI: `make` installs it into .venv/tools/semgrep")
        pytest.skip("Semgrep is not installed (run `make` or set SHIELDWALL_SEMGREP)")
    return exe
